"""Normalisation: the same subject written in German or English becomes the same tokens."""

from __future__ import annotations

import pytest

from newsbot.matching.normalise import Normaliser, fold, words


@pytest.fixture(scope="module")
def norm() -> Normaliser:
    return Normaliser()


def test_fold_writes_umlauts_and_sharp_s_out_and_drops_accents() -> None:
    assert fold("Pjöngjang Weißes Haus Straße Café") == "pjoengjang weisses haus strasse cafe"


def test_grouped_numbers_are_one_token_whatever_the_separator() -> None:
    assert words(fold("10.000 10,000 10 000 12.000 1,2 Millionen")) == [
        "10000",
        "10000",
        "10000",
        "12000",
        "1.2",
        "millionen",
    ]


@pytest.mark.parametrize(
    "variant",
    ["Nordkorea", "North Korea", "DPRK", "Pjöngjang", "Pyongyang", "nordkoreanischen", "N. Korean"],
)
def test_north_korea_variants_meet(norm: Normaliser, variant: str) -> None:
    assert norm.tokens(variant) == ["north_korea"]


@pytest.mark.parametrize(
    ("variants", "token"),
    [
        (["Selenskyj", "Zelensky", "Zelenskyy", "Wolodymyr Selenskyj"], "zelensky"),
        (["Kim Jong-un", "Kim Jong Un", "Kim Jong Uns"], "kim_jong_un"),
        (["Kursk", "Kursker Gebiet", "Kursk region", "Region Kursk"], "kursk"),
        (["Wladiwostok", "Vladivostok"], "vladivostok"),
        (["Soldaten", "troops", "soldiers", "Elitesoldaten", "Truppen"], "troops"),
    ],
)
def test_alias_groups(norm: Normaliser, variants: list[str], token: str) -> None:
    for variant in variants:
        assert norm.tokens(variant) == [token], variant


def test_south_korea_is_not_north_korea(norm: Normaliser) -> None:
    assert norm.tokens("South Korean intelligence") == ["south_korea", "intelligence"]


def test_stop_words_go_numbers_and_names_stay(norm: Normaliser) -> None:
    assert norm.tokens("Die NATO sagt, dass es 3.000 sind") == ["nato", "3000"]
    assert norm.tokens("The Pentagon put the total at 10,000") == [
        "pentagon",
        "put",
        "total",
        "10000",
    ]


def test_qualifiers_meet_across_languages(norm: Normaliser) -> None:
    assert norm.tokens("etwa 10.000") == norm.tokens("about 10,000") == ["approximately", "10000"]
    assert norm.tokens("mindestens 3.000") == norm.tokens("at least 3,000") == ["at_least", "3000"]


def test_compound_word_hits_both_of_its_parts(norm: Normaliser) -> None:
    assert norm.tokens("Ukrainekrieg") == ["ukraine", "war"]


def test_us_in_capitals_is_the_country_but_us_the_pronoun_is_a_stop_word(norm: Normaliser) -> None:
    assert norm.tokens("US officials told us") == ["united_states", "official"]


def test_config_aliases_extend_the_table() -> None:
    norm = Normaliser({"Kursk": ["Kurskaja oblast"], "Oreshnik": ["Oreschnik", "Орешник"]})
    assert norm.tokens("Kurskaja Oblast") == ["kursk"]
    assert norm.tokens("Oreschnik") == norm.tokens("Орешник") == ["oreshnik"]


def test_malformed_config_aliases_are_refused_with_a_clear_error() -> None:
    with pytest.raises(TypeError, match="list of strings"):
        Normaliser({"Kursk": "Kursker"})
    with pytest.raises(ValueError, match="wildcard"):
        Normaliser({"X": ["a*"]})


def test_non_text_is_refused(norm: Normaliser) -> None:
    with pytest.raises(TypeError):
        norm.tokens(None)  # type: ignore[arg-type]


def test_huge_hostile_text_is_cut_not_choked_on(norm: Normaliser) -> None:
    text = ("\u0000\ufeff" + "x" * 10_000 + " ") * 500 + "Nordkorea"
    tokens = norm.tokens(text)
    assert "north_korea" not in tokens  # beyond the cut
    assert len(tokens) <= 5
