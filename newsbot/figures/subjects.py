"""What a figure counts: unit nouns, nationalities and context words → a subject key.

Subject keys are English, lower case and language independent ("north korean troops in russia"),
so that "etwa 10.000 Soldaten" in a German item and "about 10,000 troops" in an English one are
compared, while "3.000 Soldaten getötet oder verwundet" never is. Everything that decides a key is
in the tables below; extending the vocabulary means adding a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (regex matched at the word after the number, lower case; concept). Longest alternatives first.
UNIT_TABLE: list[tuple[str, str]] = [
    # troops
    (r"soldatinnen und soldaten|soldat(?:en|innen)?|truppen|mann\b|kämpfer(?:n|innen)?", "troops"),
    (
        r"spezialkräfte(?:n)?|spezialeinheiten|elitesoldaten|militärs|rekruten|söldner(?:n)?",
        "troops",
    ),
    (r"militärangehörige(?:n)?|armeeangehörige(?:n)?|streitkräfte(?:n)?", "troops"),
    (r"nord-?koreaner(?:n|innen)?", "troops:north korean"),
    (
        r"troops|soldiers|servicemen|service ?members|fighters|special forces|military personnel",
        "troops",
    ),
    (r"personnel|mercenaries|recruits|commandos|special operations forces", "troops"),
    (r"north koreans", "troops:north korean"),
    # ranks and formations
    (r"offizier(?:e|en)?|officers", "officers"),
    (r"generäle(?:n)?|generale|generals", "generals"),
    (r"brigaden|brigades", "brigades"),
    (r"bataillone(?:n)?|battalions", "battalions"),
    (r"divisionen|divisions", "divisions"),
    # other people sent
    (r"pioniere(?:n)? und bauarbeiter(?:n)?|pioniere(?:n)?|bauarbeiter(?:n)?", "engineers"),
    (r"militärbauarbeiter(?:n)?|ingenieure(?:n)?|engineers and builders|engineers", "engineers"),
    (r"military builders|builders|construction workers|sappers", "engineers"),
    (r"arbeiter(?:n)?|arbeitskräfte(?:n)?|workers|laborers|labourers", "workers"),
    # casualties as nouns
    (r"tote(?:n)?|todesopfer(?:n)?|gefallene(?:n)?|dead|killed", "casualties:killed"),
    (r"verwundete(?:n)?|verletzte(?:n)?|wounded|injured", "casualties:wounded"),
    (r"casualties|verluste(?:n)?|opfer(?:n)?", "casualties:killed or wounded"),
    (r"kriegsgefangene(?:n)?|gefangene(?:n)?|prisoners of war|prisoners|pows", "prisoners"),
    # materiel
    (r"schuss (?:artillerie)?munition|artilleriegranaten|granaten|geschosse", "ammunition"),
    (r"artillery shells|artillery rounds|rounds of ammunition|shells|rounds", "ammunition"),
    (
        r"ballistische(?:n)? raketen|raketen|marschflugkörper|ballistic missiles|missiles",
        "missiles",
    ),
    (r"drohnen|drones", "drones"),
    (r"kampfpanzer(?:n)?|panzer(?:n)?|tanks", "tanks"),
]
UNIT_RES = [(re.compile(r"(?:" + pat + r")(?![\w-])"), concept) for pat, concept in UNIT_TABLE]
# All unit nouns in one pattern (one scan instead of one per row); the group name is the row.
UNIT_ANY = re.compile(
    r"(?<![^\W\d_])(?:"
    + "|".join(f"(?P<u{i}>{pat})" for i, (pat, _c) in enumerate(UNIT_TABLE))
    + r")(?![\w-])"
)


def unit_concept(m: re.Match[str]) -> str:
    """Concept of a UNIT_ANY match."""
    return UNIT_TABLE[int((m.lastgroup or "u0")[1:])][1]


# Subject templates per concept; {nat} is the nationality ("" when unknown), {rel} the relation.
_DEFAULT_REL_NK = {  # what a bare count of North Korean X in this story is about
    "troops": "in russia",
    "engineers": "to russia",
    "workers": "in russia",
    "ammunition": "to russia",
    "missiles": "to russia",
}
_BASE = {
    "troops": "troops",
    "officers": "officers",
    "generals": "generals",
    "brigades": "brigades",
    "battalions": "battalions",
    "divisions": "divisions",
    "engineers": "engineers and builders",
    "workers": "workers",
    "prisoners": "prisoners of war",
    "ammunition": "ammunition",
    "missiles": "missiles",
    "drones": "drones",
    "tanks": "tanks",
}

NATIONALITIES: list[tuple[str, str]] = [
    (
        r"nord-?korea\w*|north[- ]korea\w*|pjöngjang\w*|pyongyang\w*|dprk|kim jong[- ]?un\w*",
        "north korean",
    ),
    (r"süd-?korea\w*|south[- ]korea\w*|seoul\w*", "south korean"),
    (
        r"russisch\w*|russland\w*|russia\w*|russen|moskau\w*|moscow\w*|kreml\w*|kremlin\w*",
        "russian",
    ),
    (r"ukrain\w*|kiew\w*|kyiv\w*|kiev\w*", "ukrainian"),
    (r"amerikan\w*|american\w*|us-\w+|u\.s\.|usa", "american"),
    (r"chines\w*|china\w*|peking\w*|beijing\w*", "chinese"),
]
NAT_RES = [(re.compile(r"\b(?:" + pat + r")", re.I), nat) for pat, nat in NATIONALITIES]
# A country named after these is where troops go or fight, not whose troops they are.
_DESTINATION_BEFORE = re.compile(
    r"\b(?:(?:in|nach|gegen|an|im|ins|zur|zum|to|into|against|inside|den osten|the east of|"
    r"in den osten|seite|side)\s+(?:\w+\s+){0,2}|"
    # the receiver of a delivery: "supplied Russia with", "belieferte Russland mit"
    r"(?:supplied|supplies|supplying|provided|provides|gave|gives|sold|sells|armed|arming|"
    r"beliefert|belieferte|beliefern|versorgt|versorgte|versorgen|liefert|lieferte)\s+)$",
    re.I,
)

# Context words → relation, checked in order on the clause around the number (lower case).
RELATIONS: list[tuple[str, str]] = [
    (
        r"getötet (?:oder|und) (?:verwundet|verletzt)|tot (?:oder|und) verwundet|"
        r"tote und verwundete|"
        r"killed (?:or|and) (?:wounded|injured)|dead (?:or|and) wounded|casualties|verluste|"
        r"\blost\b|\bverloren\b|\bverlier\w*|\blosses\b|\blosing\b|\bloses\b",
        "killed or wounded",
    ),
    (r"getötet|gefallen|ums leben|\bkilled\b|\bdied\b", "killed"),
    (r"verwundet|verletzt|\bwounded\b|\binjured\b", "wounded"),
    (r"gefangen genommen|in gefangenschaft|\bcaptured\b|taken prisoner", "captured"),
    (
        r"\bheer(?:e|es)?\b|\bverfügt\b|stehende[ns]? (?:heer|armee)|\barmy of\b|-strong|"
        r"standing army|largest armies|größten armeen|aktive\w* soldaten|"
        r"active(?:[- ]duty)? (?:soldiers|troops|personnel)|"
        r"(?:armee|heer|streitkräfte)\w* (?:\w+ )?(?:zählt|umfasst)|"
        r"army (?:\w+ )?(?:numbers|totals)",
        "army size",
    ),
    (
        r"\bfront\w*|vor ort|\bkampf\w*|\bkämpf\w*|schlachtfeld|im einsatz|gefecht\w*|"
        r"\bcombat\b|\bfighting\b|\bbattle\w*|front ?line|on the ground",
        "at the front",
    ),
]
REL_RES = [(re.compile(pat, re.I), rel) for pat, rel in RELATIONS]


@dataclass(frozen=True, slots=True)
class UnitMatch:
    text: str  # as written
    concept: str | None  # None for a noun outside the table
    start: int
    end: int


def match_unit(lower_text: str, pos: int) -> tuple[str, int] | None:
    """Concept and end offset of a known unit noun starting at ``pos`` of the lower-cased text."""
    m = UNIT_ANY.match(lower_text, pos)
    return (unit_concept(m), m.end()) if m else None


def nationality_in(text: str) -> str | None:
    """The nationality a single word or short phrase names, if any."""
    for rx, nat in NAT_RES:
        if rx.search(text):
            return nat
    return None


# Countries whose troops this desk counts; "US-Regierung" or "China" in a sentence is not whose
# soldiers they are.
_ACTORS = frozenset({"north korean", "south korean", "russian", "ukrainian"})


Mention = tuple[int, int, str]  # start, end, nationality


def actor_mentions(clause: str) -> list[Mention]:
    """(start, end, nationality) of the countries in the clause that act rather than receive:
    "Nordkorea hat ... geschickt" counts, "nach Russland" does not."""
    out = []
    for rx, nat in NAT_RES:
        if nat not in _ACTORS:
            continue
        for m in rx.finditer(clause):
            if not _DESTINATION_BEFORE.search(clause[max(0, m.start() - 40) : m.start()]):
                out.append((m.start(), m.end(), nat))
    return sorted(out)


def actor_nationality(mentions: list[Mention], pos: int, clause: str = "") -> str | None:
    """Whose soldiers a number at ``pos`` counts: the nearest actor before it, else the first
    after it ("Kim Jong Un has sent 3 million shells, South Korea's military said"). Of two
    countries side by side ("dass Nordkorea Russland ... beliefert"), the first is the subject."""
    before = [m for m in mentions if m[0] < pos]
    if before:
        if len(before) > 1 and not clause[before[-2][1] : before[-1][0]].strip():
            return before[-2][2]
        return before[-1][2]
    return mentions[0][2] if mentions else None


def relation_in(context: str) -> str | None:
    for rx, rel in REL_RES:
        if rx.search(context):
            return rel
    return None


def subject_key(
    concept: str | None, unit: str, nationality: str | None, relation: str | None
) -> str:
    """The comparable subject of a figure (see module doc)."""
    if concept is None:
        return unit.lower()
    base_concept, _, implied = concept.partition(":")
    nat = nationality or ""
    if base_concept == "troops" and implied:
        nat = implied
    if base_concept == "casualties":
        relation = implied
        base_concept = "troops"
    if base_concept == "troops":
        if relation in ("killed or wounded", "killed", "wounded", "captured"):
            return f"{nat} soldiers {relation}".strip()
        if relation == "army size":
            return f"size of the {nat} army".replace("  ", " ")
        if relation == "at the front":
            return f"{nat} troops at the front".strip()
    base = _BASE.get(base_concept, base_concept)
    if relation in ("killed", "wounded", "captured", "killed or wounded") and base_concept in (
        "officers",
        "generals",
    ):
        return f"{nat} {base} {relation}".strip()
    rel = _DEFAULT_REL_NK.get(base_concept) if nat == "north korean" else None
    return " ".join(p for p in (nat, base, rel) if p)
