"""The alias table: names and topic words that differ by language or spelling.

Plain data, canonical → variants. Normalisation replaces every variant by one token made from
the canonical name ("North Korea" → ``north_korea``), so "Nordkorea", "DPRK", "Pjöngjang" and
"N. Korean" all meet in the index, and an English item can match a German story.

Variant syntax (case and umlauts do not matter; both are folded like the text):

- ``"Kursker Gebiet"``: the words in this order (a phrase; punctuation and hyphens are ignored,
  so ``"Kim Jong-un"`` and ``"Kim Jong Un"`` are the same variant);
- ``"nordkorean*"``: one word starting with this (``nordkoreanische``, ``Nordkoreaner``);
- ``"*soldaten"``: one word ending with this (German compounds: ``Elitesoldaten``).

A word can hit both a prefix and a suffix variant ("Ukrainekrieg" → ``ukraine`` + ``war``).
Extend per topic through the config (``Matcher(aliases=...)``); entries there are merged in and
win over these defaults.
"""

from __future__ import annotations

from collections.abc import Mapping

# fmt: off
# Places, states and organisations.
PLACES: dict[str, tuple[str, ...]] = {
    "North Korea": (
        "Nordkorea", "Nordkoreas", "nordkorean*", "Nord-Korea", "North Korea", "North Korean",
        "North Koreans", "N. Korea", "N. Korean", "N. Koreans", "DPRK", "DVRK",
        "Demokratische Volksrepublik Korea", "Democratic People's Republic of Korea",
        "Pjöngjang", "Pjongjang", "Pyongyang", "Pjöngjangs", "Pyongyang's",
    ),
    "South Korea": (
        "Südkorea", "Südkoreas", "südkorean*", "Süd-Korea", "South Korea", "South Korean",
        "South Koreans", "S. Korea", "S. Korean", "Republic of Korea", "ROK", "Seoul", "Seouls",
    ),
    "Russia": (
        "Russland", "Russlands", "*russland", "*russlands", "russisch*", "Russe", "Russen",
        "Russia", "Russias", "Russian", "Russians", "Russische Föderation",
        "Russian Federation", "Moskau", "Moskaus", "Moscow", "Kreml", "Kremls", "Kremlin",
    ),
    "Ukraine": (
        "Ukraine", "ukrain*", "Kiew", "Kiews", "Kyiv", "Kiev", "Kyjiw",
    ),
    "Kursk": (
        "Kursk", "kursk*", "Kursker Gebiet", "Gebiet Kursk", "Region Kursk", "Oblast Kursk",
        "Kursk region", "Kursk Oblast", "Kursk province",
    ),
    "Vladivostok": ("Wladiwostok", "Vladivostok"),
    "Kharkiv": ("Charkiw", "Charkow", "Kharkiv", "Kharkov"),
    "Donetsk": ("Donezk", "Donetsk", "Donbass", "Donbas"),
    "Pokrovsk": ("Pokrowsk", "Pokrovsk"),
    "Zaporizhzhia": ("Saporischschja", "Saporoschje", "Zaporizhzhia", "Zaporozhye"),
    "Odesa": ("Odessa", "Odesa"),
    "Belgorod": ("Belgorod", "Bilhorod"),
    "Beijing": ("Peking", "Beijing"),
    "China": ("China", "Chinas", "chinesisch*", "Chinese"),
    "Japan": ("Japan", "Japans", "japanisch*", "Japanese", "Tokio", "Tokyo"),
    "United States": (
        "USA", "U.S.", "U.S.A.", "Vereinigte Staaten", "Vereinigten Staaten", "United States",
        "amerikanisch*", "American", "Americans", "Washington", "Washingtons",
    ),
    "Pentagon": (
        "Pentagon", "Pentagons", "US-Verteidigungsministerium", "US-Verteidigungsministeriums",
        "Defense Department", "Department of Defense", "US Defense Department",
    ),
    "White House": ("Weißes Haus", "Weißen Haus", "Weißem Haus", "Weißen Hauses", "White House"),
    "NATO": ("NATO", "Nato", "North Atlantic Treaty Organization", "Nordatlantikpakt"),
    "European Union": ("EU", "Europäische Union", "Europäischen Union", "European Union"),
    "United Nations": ("UN", "UNO", "Vereinte Nationen", "Vereinten Nationen", "United Nations"),
}

# People whose names are spelled differently in German and English.
PEOPLE: dict[str, tuple[str, ...]] = {
    "Kim Jong Un": (
        "Kim Jong Un", "Kim Jong-un", "Kim Jong Uns", "Kim Jong-uns", "Kim Jong Un's",
        "Kim Jongun",
    ),
    "Kim Yo Jong": ("Kim Yo Jong", "Kim Yo-jong"),
    "Putin": ("Putin", "Putins", "Wladimir Putin", "Vladimir Putin", "Wladimir Putins"),
    "Zelensky": (
        "Selenskyj", "Selenskyjs", "Selensky", "Selenski", "Zelensky", "Zelenskyy", "Zelenskiy",
        "Zelenskyi", "Zelensky's", "Wolodymyr Selenskyj", "Volodymyr Zelensky",
        "Volodymyr Zelenskyy", "Wolodimir Selenski",
    ),
    "Lavrov": ("Lawrow", "Lavrov", "Sergei Lawrow", "Sergey Lavrov", "Sergei Lavrov"),
    "Zakharova": ("Sacharowa", "Zakharova", "Maria Sacharowa", "Maria Zakharova"),
    "Shoigu": ("Schoigu", "Shoigu", "Sergei Schoigu", "Sergei Shoigu"),
    "Belousov": ("Beloussow", "Belousov", "Andrei Beloussow", "Andrei Belousov"),
    "Choe Son Hui": ("Choe Son Hui", "Choe Son-hui"),
    "Yoon Suk Yeol": ("Yoon Suk Yeol", "Yoon Suk-yeol", "Yoon"),
    "Trump": ("Trump", "Trumps", "Donald Trump"),
    "Biden": ("Biden", "Bidens", "Joe Biden"),
}

# Topic words: the same concept in German and English, so short items in either language
# meet the long German seeds.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "troops": (
        "Soldat", "soldat*", "*soldat", "*soldaten", "soldier*", "troop*", "Truppe", "truppen*",
        "*truppen", "Streitkräfte", "*streitkraefte", "Kräfte", "*kraefte", "forces",
        "special forces", "Kämpfer", "fighter", "fighters", "Offizier*", "officers", "Generäle",
        "generals", "Brigade*", "brigades", "Bataillon*", "battalion*", "Infanterie",
        "infantry", "Kanonenfutter", "cannon fodder", "servicemen", "military personnel",
        "Militärangehörige", "Pionier*", "sappers", "military engineers", "Militärbauarbeiter",
        "military builders", "Einheit", "Einheiten", "units", "military units",
    ),
    "fighting": (
        "kämpf*", "Kampf", "Kampfeinsatz", "Kampfeinsätze", "Gefecht*", "*gefecht", "*gefechte",
        "fight", "fights", "fighting", "fought", "combat", "battle*", "Front", "Fronten",
        "*front", "front", "front line", "front lines", "frontline", "front-line",
        "Sturmangriff*", "assault*", "Einsatz an der Front",
    ),
    "deploy": (
        "entsenden", "entsandt", "entsendet", "Entsendung", "entsendete", "verlegt", "verlegen",
        "Verlegung", "stationiert", "stationieren", "Stationierung", "geschickt", "schicken",
        "schickt", "schickte", "deploy*", "sent", "send", "sends", "sending", "dispatch*",
        "stationed",
    ),
    "war": ("Krieg", "Krieges", "Kriegs", "*krieg", "*kriegs", "*krieges", "war", "wars"),
    "intelligence": (
        "Geheimdienst*", "*geheimdienst", "*geheimdienstes", "*geheimdienste",
        "Nachrichtendienst*", "intelligence", "spy agency",
    ),
    "killed": (
        "getötet", "tot", "Tote", "Toten", "gefallen", "gefallene", "killed", "dead", "died",
        "casualties", "Verluste", "losses",
    ),
    "wounded": ("verwundet", "verwundete", "verletzt", "verletzte", "wounded", "injured"),
    "captured": (
        "gefangen genommen", "gefangengenommen", "Gefangene", "Gefangenen", "*gefangene",
        "*gefangenen", "captured", "prisoner*", "POW", "POWs",
    ),
    "training": ("Ausbildung", "ausgebildet", "trainieren", "trainiert", "Training", "trained"),
    "sanctions": ("Sanktion*", "sanction*"),
    "missile": (
        "Rakete", "Raketen", "raketen*", "*rakete", "*raketen", "missile*", "rocket*", "KN-23",
        "KN-24", "Hwasong",
    ),
    "artillery": (
        "Artillerie", "artillery", "Haubitze*", "howitzer*", "Raketenwerfer", "rocket launcher",
        "rocket launchers", "Geschütz*", "Koksan",
    ),
    "weapons": ("Waffe", "Waffen", "*waffen", "weapon*", "arms"),
    "deliveries": (
        "Lieferung*", "*lieferung", "*lieferungen", "liefert", "liefern", "lieferte", "geliefert",
        "supplies", "supply", "supplied", "deliveries", "delivered",
    ),
    "north korean made": (
        "North Korean-made", "North Korea-made", "made in North Korea", "in Nordkorea gebaut",
        "in Nordkorea gebaute", "in Nordkorea gebauten", "in Nordkorea hergestellt",
        "in Nordkorea hergestellte", "in Nordkorea hergestellten", "nordkoreanischer Bauart",
        "nordkoreanischer Produktion", "aus nordkoreanischer Produktion",
    ),
    "ammunition": (
        "Munition", "ammunition", "munitions", "Granaten", "*granaten", "artillery shells",
        "shells",
    ),
    "drone": ("Drohne*", "*drohne", "*drohnen", "drone*"),
    "attack": ("Angriff*", "*angriff", "*angriffe", "*angriffen", "attack*", "strike", "strikes"),
    "border": ("Grenze", "Grenzen", "grenz*", "border*"),
    "nuclear": ("Atom*", "*atom", "nuklear*", "nuclear"),
    "summit": ("Gipfel*", "*gipfel", "summit*"),
    "spokesperson": ("Sprecher*", "*sprecher", "*sprecherin", "spokes*"),
    "secretary general": ("Generalsekretär", "Secretary General", "Secretary-General"),
    "defence minister": (
        "Verteidigungsminister", "*verteidigungsminister", "defence minister",
        "defense minister", "defense secretary",
    ),
    "foreign minister": ("Außenminister", "Außenministerin", "foreign minister"),
    # everyday words of war and politics news, so short items meet across languages
    "first time": ("erstmals", "zum ersten Mal", "erstmalig", "first time", "for the first time"),
    "state media": ("Staatsmedien", "staatliche Medien", "state media", "KCNA", "KCNA's"),
    "confirm": (
        "bestätigt", "bestätigte", "bestätigen", "Bestätigung", "räumt ein", "eingeräumt",
        "confirm", "confirms", "confirmed", "confirmation", "acknowledge*", "admit", "admits",
        "admitted",
    ),
    "deny": ("dementiert", "dementieren", "bestreitet", "bestritten", "deny", "denies", "denied"),
    "treaty": ("Vertrag", "Verträge", "Abkommen", "Pakt", "treaty", "pact", "agreement"),
    "uniform": ("Uniform", "Uniformen", "uniform", "uniforms"),
    "identity papers": (
        "Papiere", "Papieren", "Ausweis", "Ausweise", "Ausweisen", "papers", "identity papers",
        "ID papers", "documents",
    ),
    "exchange": (
        "Austausch", "austauschen", "ausgetauscht", "Gefangenenaustausch", "swap", "swaps",
        "swapped", "exchange", "exchanged",
    ),
    "president": ("Präsident", "Präsidenten", "Staatschef", "president", "head of state"),
    "leader": ("Machthaber", "Diktator", "leader", "dictator", "ruler"),
    "government": ("Regierung", "Regierungen", "government", "governments", "administration"),
    "parliament": ("Parlament", "Abgeordnete", "Abgeordneten", "parliament", "lawmakers", "MPs"),
    "military": ("Militär", "militärisch*", "Armee", "military", "army"),
    "general staff": ("Generalstab", "Generalstabs", "general staff", "Joint Chiefs of Staff"),
    "escalation": ("Eskalation", "eskalier*", "escalation", "escalate*"),
    "warning": ("warnt", "warnte", "Warnung", "warns", "warned", "warning"),
    "condemn": ("verurteilt", "verurteilte", "verurteilen", "condemn", "condemns", "condemned"),
    "estimate": ("Schätzung", "Einschätzung", "geschätzt", "schätzt", "estimate*"),
    "region": ("Region", "Gebiet", "Oblast", "region", "province"),
    "week": ("Woche", "Wochen", "week", "weeks"),
    "day": ("Tag", "Tage", "Tagen", "day", "days"),
    "month": ("Monat", "Monate", "Monaten", "month", "months"),
    "thousands": ("Tausende", "Tausenden", "thousands"),
    "hundreds": ("Hunderte", "Hunderten", "hundreds"),
    "more than": ("mehr als", "more than"),
    "at least": ("mindestens", "at least"),
    "up to": ("bis zu", "up to"),
    "approximately": ("etwa", "rund", "ungefähr", "around", "roughly", "about"),
    "video": ("Video", "Videos", "Aufnahmen", "video", "videos", "footage"),
    "photos": ("Fotos", "Bilder", "photos", "pictures", "images"),
    "satellite images": ("Satellitenbilder", "satellite images", "satellite imagery"),
    "interview": ("Interview", "interview"),
    "reinforcements": ("Nachschub", "Verstärkung", "Verstärkungen", "reinforcement*"),
    "withdraw": ("abgezogen", "zurückgezogen", "Abzug", "Rückzug", "withdraw*", "pulled back"),
    "defence": ("Verteidigung", "Verteidigungs*", "defence", "defense"),
    "foreign": ("ausländisch*", "foreign"),
    "families": ("Familien", "Angehörige", "Angehörigen", "families", "relatives"),
    "ceremony": ("Zeremonie", "Feier", "ceremony"),
    "honour": ("ehrt", "ehrte", "geehrt", "honour*", "honor*"),
    "january": ("Januar", "January"),
    "february": ("Februar", "February"),
    "march": ("März", "March"),
    "june": ("Juni", "June"),
    "july": ("Juli", "July"),
    "october": ("Oktober", "October"),
    "december": ("Dezember", "December"),
}
# fmt: on


def default_aliases() -> dict[str, tuple[str, ...]]:
    """All built-in aliases, canonical → variants (a fresh dict the caller may change)."""
    table: dict[str, tuple[str, ...]] = {}
    for part in (PLACES, PEOPLE, CONCEPTS):
        table.update(part)
    return table


def merged(extra: Mapping[str, object] | None) -> dict[str, tuple[str, ...]]:
    """The defaults with ``extra`` (from config) merged in: variants of a known canonical are
    added to it, new canonicals are appended. Raises ``TypeError`` on malformed entries."""
    table = default_aliases()
    for canonical, variants in (extra or {}).items():
        if not isinstance(canonical, str) or not canonical.strip():
            raise TypeError(f"alias canonical name must be a non-empty string, got {canonical!r}")
        if isinstance(variants, str) or not all(isinstance(v, str) for v in variants):  # type: ignore[attr-defined]
            raise TypeError(f"aliases for {canonical!r} must be a list of strings")
        table[canonical] = (*table.get(canonical, ()), *variants)  # type: ignore[misc]
    return table
