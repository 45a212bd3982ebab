"""extract_figures: numbers, qualifiers, noise, units, subjects and claimants, both languages."""

from __future__ import annotations

import pytest

from newsbot.figures.extract import extract_figures
from newsbot.figures.numbers import find_numbers, read_number
from newsbot.figures.segment import guess_language

N = None


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("3.000", "de", 3000),
        ("3,000", "en", 3000),
        ("1,2 Millionen", "de", 1_200_000),
        ("1.2 million", "en", 1_200_000),
        ("1 234 567", "de", 1_234_567),
        ("40\u202f000", "de", 40_000),
        ("40\u2009000", "en", 40_000),
        ("2.000,5", "de", 2000.5),
        ("5 Tsd.", "de", 5_000),
        ("4,5 Mio.", "de", 4_500_000),
        ("1,5 Mrd.", "de", 1_500_000_000),
        ("20k", "en", 20_000),
        ("1.2bn", "en", 1_200_000_000),
        ("drei", "de", 3),
        ("zwölftausend", "de", 12_000),
        ("zweihundertdreiundvierzigtausendsiebenhundertvierundzwanzig", "de", 243_724),
        ("zwei Millionen eintausendeinhundertfünfzig", "de", 2_001_150),
        ("eineinhalb Millionen", "de", 1_500_000),
        ("eleven thousand", "en", 11_000),
        ("a dozen", "en", 12),
        ("two dozen", "en", 24),
        ("one hundred and five", "en", 105),
        ("twenty-one", "en", 21),
        ("two point five million", "en", 2_500_000),
    ],
)
def test_read_number(text: str, lang: str, value: float) -> None:
    assert read_number(text, lang) == pytest.approx(value)


def test_not_numbers() -> None:
    assert find_numbers("ein dreitägiger Besuch, Einsatz, Verein", "de") == []
    assert find_numbers("MH17 und F-16", "de")[0].value == 16  # the hyphen form is noise later
    assert find_numbers("the one you mentioned", "en") == []
    with pytest.raises(ValueError):
        read_number("zwanzig dreihundert", "de")


def test_language_guess() -> None:
    assert guess_language("Nach Angaben des Pentagon sind die Soldaten in Russland.") == "de"
    assert guess_language("The Pentagon said the troops were in Russia.") == "en"
    assert extract_figures("The Pentagon said 3,000 troops were in Russia.")[0].value == 3000
    assert extract_figures("Laut Pentagon sind 3,5 Tausend Soldaten in Russland.")[0].value == 3500


def _one(text: str, lang: str | None = None, source: str | None = None):
    figs = extract_figures(text, language=lang, source=source)
    assert len(figs) == 1, figs
    return figs[0]


@pytest.mark.parametrize(
    ("text", "lang", "value", "low", "high"),
    [
        ("Es sind mindestens 3.000 Soldaten.", "de", 3000, 3000, N),
        ("Es sind mehr als 10.000 Soldaten.", "de", 10000, 10000, N),
        ("Es sind über 10.000 Soldaten.", "de", 10000, 10000, N),
        ("Es sind bis zu 10.000 Soldaten.", "de", 10000, N, 10000),
        ("Es sind höchstens 10.000 Soldaten.", "de", 10000, N, 10000),
        ("Es sind etwa 10.000 Soldaten.", "de", 10000, 9000, 11000),
        ("Es sind rund 10.000 Soldaten.", "de", 10000, 9000, 11000),
        ("Es sind ungefähr 10.000 Soldaten.", "de", 10000, 9000, 11000),
        ("Es sind knapp 10.000 Soldaten.", "de", 10000, 9000, 10000),
        ("Es sind gut 10.000 Soldaten.", "de", 10000, 10000, 11000),
        ("Es sind weniger als 500 Soldaten.", "de", 500, N, 500),
        ("Tausende Soldaten sind in Russland.", "de", 2000, 2000, 9999),
        ("Dutzende Soldaten sind in Russland.", "de", 24, 24, 99),
        ("Hunderte Soldaten sind in Russland.", "de", 200, 200, 999),
        ("Es sind 10.000 bis 12.000 Soldaten.", "de", 10000, 10000, 12000),
        ("Es sind zwischen 10.000 und 12.000 Soldaten.", "de", 10000, 10000, 12000),
        ("There are at least 3,000 troops.", "en", 3000, 3000, N),
        ("There are more than 10,000 troops.", "en", 10000, 10000, N),
        ("There are over 10,000 troops.", "en", 10000, 10000, N),
        ("There are up to 10,000 troops.", "en", 10000, N, 10000),
        ("There are about 10,000 troops.", "en", 10000, 9000, 11000),
        ("There are nearly 10,000 troops.", "en", 10000, 9000, 10000),
        ("There are almost 10,000 troops.", "en", 10000, 9000, 10000),
        ("Hundreds of troops are in Russia.", "en", 200, 200, 999),
        ("Thousands of troops are in Russia.", "en", 2000, 2000, 9999),
        ("There are 10,000-12,000 troops.", "en", 10000, 10000, 12000),
        ("There are between 10,000 and 12,000 troops.", "en", 10000, 10000, 12000),
        ("Russia got millions of shells.", "en", 2_000_000, 2_000_000, N),
    ],
)
def test_qualifiers_become_intervals(text: str, lang: str, value: float, low, high) -> None:
    f = _one(text, lang)
    assert (f.value, f.low, f.high) == (value, low, high)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Im Oktober 2024 kamen die ersten Soldaten.", "de"),  # year
        ("Seit 1998 war es der höchste Besuch.", "de"),  # year
        ("Am 3. November begann die Offensive.", "de"),  # date / ordinal
        ("Die Meldung kam am 28.10.2024 um 18:45 Uhr.", "de"),  # date and time
        ("Der 38-jährige Offizier wurde gefangen genommen.", "de"),  # age
        ("Der Besuch dauerte drei Tage.", "de"),  # duration
        ("4 Minuten Lesezeit", "de"),  # reading time
        ("Die Zustimmung liegt bei 31 Prozent der Soldaten.", "de"),  # percentage
        ("Die 155. Brigade kämpft in Kursk.", "de"),  # ordinal
        ("1. Nordkorea liefert Soldaten.", "de"),  # list number
        ("Kommentare (0)", "de"),  # page furniture
        ("Seite 2 von 3", "de"),  # page furniture
        ("Jena gewann mit 2:0.", "de"),  # score
        ("The 34-year-old soldier was captured on Nov. 12.", "en"),  # age, date
        ("Talks resume at 10 a.m. on 5 November.", "en"),  # time, date
        ("Nearly 70% of the troops had no experience.", "en"),  # percentage
        ("Russia's 11th Army Corps moved in 2023.", "en"),  # ordinal, year
        ("5 min read", "en"),  # reading time
        ("The US pledged $1.2 billion in aid.", "en"),  # money
    ],
)
def test_noise_is_not_a_figure(text: str, lang: str) -> None:
    assert extract_figures(text, language=lang) == []


def test_units_and_subjects_compare_across_languages() -> None:
    de = _one("Laut Pentagon hat Nordkorea etwa 10.000 Soldaten nach Russland geschickt.", "de")
    en = _one("North Korea has sent about 10,000 troops to Russia, the Pentagon said.", "en")
    assert (de.unit, en.unit) == ("Soldaten", "troops")
    assert de.subject == en.subject == "north korean troops in russia"


def test_different_quantities_get_different_subjects() -> None:
    text = (
        "Nordkorea hat 12.000 Soldaten in Russland. Laut HUR wurden bereits 3.000 nordkoreanische "
        "Soldaten getötet oder verwundet. Pjöngjang verfügt über ein Heer von 1,2 Millionen "
        "Soldaten. Unter ihnen sind 500 Offiziere."
    )
    subjects = [f.subject for f in extract_figures(text, language="de")]
    assert subjects == [
        "north korean troops in russia",
        "north korean soldiers killed or wounded",
        "size of the north korean army",
        "north korean officers",
    ]


def test_unit_keeps_the_counted_noun() -> None:
    f = _one("Kim Jong-un will etwa 6.000 Pioniere und Bauarbeiter nach Kursk schicken.", "de")
    assert f.unit == "Pioniere und Bauarbeiter"
    f = _one("Nordkorea lieferte mehr als eine Million Artilleriegranaten.", "de")
    assert (f.unit, f.value, f.low) == ("Artilleriegranaten", 1_000_000, 1_000_000)


@pytest.mark.parametrize(
    ("text", "lang", "claimant"),
    [
        ("Laut HUR sind 11.000 Soldaten in Kursk.", "de", "HUR"),
        ("Nach Angaben des Pentagon sind 10.000 Soldaten in Russland.", "de", "Pentagon"),
        ("Es seien 10.000 Soldaten in Russland, sagte Singh.", "de", "Singh"),
        (
            "Dem ukrainischen Militärgeheimdienst zufolge sind 3.000 Soldaten an der Front.",
            "de",
            "Militärgeheimdienst",
        ),
        ("According to Seoul's spy agency, 1,500 troops have arrived.", "en", "Seoul's spy agency"),
        ("Some 3,000 troops are in Russia, Kirby said.", "en", "Kirby"),
        (
            "About 3,000 troops are in Russia, the British defence ministry said.",
            "en",
            "British defence ministry",
        ),
    ],
)
def test_claimant_from_the_sentence(text: str, lang: str, claimant: str) -> None:
    assert claimant in (_one(text, lang).claimant or "")


def test_claimant_from_neighbour_sentence_else_outlet() -> None:
    text = (
        "Der südkoreanische Geheimdienst NIS hat neue Erkenntnisse vorgelegt, sagte ein Sprecher "
        "des NIS. Von insgesamt 12.000 Soldaten in vier Brigaden ist die Rede."
    )
    figs = extract_figures(text, language="de", source="Tagesblatt")
    assert [f.claimant for f in figs] == ["NIS", "NIS"]
    f = _one(
        "Unter den 12.000 Soldaten sollen 500 Offiziere sein.".replace(
            "500 Offiziere", "Offiziere"
        ),
        "de",
        "Tagesblatt",
    )
    assert f.claimant == "Tagesblatt"
    assert _one("Unter den 12.000 Soldaten sind Offiziere.", "de").claimant is None


def test_headline_and_body_repeating_a_figure_give_one_figure() -> None:
    text = (
        "Kirby: Mindestens 3.000 Nordkoreaner in Ostrussland\n"
        "Nordkorea hat laut Weißem Haus mindestens 3.000 Soldaten in den Osten Russlands "
        "gebracht, sagte Sprecher John Kirby."
    )
    f = _one(text, "de")
    assert (f.value, f.low, f.high, f.subject) == (
        3000,
        3000,
        None,
        "north korean troops in russia",
    )
    assert "Kirby" in (f.claimant or "") or "Weiß" in (f.claimant or "")


def test_bad_input() -> None:
    with pytest.raises(TypeError):
        extract_figures(b"3.000 Soldaten")  # type: ignore[arg-type]
    assert extract_figures("") == []
    assert extract_figures("\x00\ufffd 3.000 \u202e Soldaten") != []


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "text",
    [
        "1" * 1_000_000,
        "1.000 " * 170_000,
        "." * 1_000_000,
        "a" + " " * 1_000_000 + "zufolge",
        "3 Soldaten und " * 70_000,
        "Kirby sagte " * 90_000,
        "zwei und " * 120_000,
    ],
    ids=["digits", "groups", "dots", "spaces", "figures", "cues", "words"],
)
def test_hostile_input_finishes(text: str) -> None:
    """A hang guard, not a timing test: each of these must simply return."""
    figs = extract_figures(text)
    assert len(figs) <= 2_000
