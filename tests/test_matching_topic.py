"""Topic facets: the story is the co-occurrence of its ingredients, close together."""

from __future__ import annotations

import pytest

from newsbot.matching.normalise import Normaliser
from newsbot.matching.topic import (
    ALL_IN_SENTENCE,
    CLOSE_ACROSS_NEIGHBOURS,
    CLOSE_IN_SENTENCE,
    DEFAULT_TOPIC,
    PARTIAL_SCALE,
    Topic,
    facet_score,
    shortest_span,
)

NORM = Normaliser()
TOPIC = DEFAULT_TOPIC.compile(NORM.tokens)


def score(*sentences: str) -> float:
    return facet_score(TOPIC, [NORM.tokens(s) for s in sentences])


def test_all_three_ingredients_in_one_sentence_in_either_language() -> None:
    assert score("Nordkoreanische Soldaten im Gebiet Kursk") == CLOSE_IN_SENTENCE
    assert score("Pyongyang has sent 10,000 troops to Russia") == CLOSE_IN_SENTENCE
    assert score("North Koreans fighting for Russia suffer losses") == CLOSE_IN_SENTENCE


def test_title_and_lead_together_count_almost_as_much() -> None:
    assert score("Kim Jong Un schickt Nachschub", "Weitere Kämpfer sind in Russland") == (
        CLOSE_ACROSS_NEIGHBOURS
    )


def test_one_or_two_ingredients_are_partial() -> None:
    assert score("North Korea test-fires a ballistic missile") == pytest.approx(PARTIAL_SCALE / 3)
    assert score("Russian drones pound Kyiv, three killed") == pytest.approx(PARTIAL_SCALE / 3)
    assert score("Ukrainische Truppen halten Stellungen im Gebiet Kursk") == pytest.approx(
        PARTIAL_SCALE * 2 / 3
    )
    assert score("") == 0.0
    assert facet_score(TOPIC, []) == 0.0


def test_a_north_korea_next_to_a_weapon_is_about_the_weapon() -> None:
    # Ukrainian soldiers and Russia are in the sentence, North Korea only as the shells' maker
    assert score("Ukrainian soldiers say North Korean shells fired by Russia are duds") < 0.5
    assert score("Ukrainische Soldaten erbeuten in Nordkorea gebaute Haubitze von Russland") < 0.5
    assert score("Russia uses missiles from North Korea against Ukrainian troops") < 0.5


def test_ingredients_far_apart_in_a_long_sentence_count_less() -> None:
    far = (
        "Ukrainian officials said Russian forces fired North Korean-made KN-23 ballistic "
        "missiles at Kyiv, killing four people, and urged allies to tighten sanctions on "
        "Pyongyang"
    )
    assert score(far) == ALL_IN_SENTENCE


def test_shortest_span_counts_tokens_from_first_to_last_ingredient() -> None:
    tokens = NORM.tokens("Nordkorea hat mindestens 3000 Soldaten nach Russland verlegt")
    assert tokens[:3] == ["north_korea", "at_least", "3000"]
    assert shortest_span(TOPIC, tokens) == 4
    assert shortest_span(TOPIC, NORM.tokens("Nordkorea und Russland")) is None


def test_topic_from_config_resolves_names_through_the_aliases() -> None:
    topic = Topic.from_config(
        {"who": ["Pjöngjang"], "what": ["Soldaten"]}, blockers={"who": ["Raketen"]}
    ).compile(NORM.tokens)
    assert [sorted(f.concepts) for f in topic.facets] == [["north_korea"], ["troops"]]
    assert [sorted(f.blockers) for f in topic.facets] == [["missile"], []]


@pytest.mark.parametrize(
    ("facets", "blockers", "message"),
    [
        ({}, None, "at least one facet"),
        ({"a": []}, None, "non-empty"),
        ({"a": "Nordkorea"}, None, "non-empty list"),
        ({"a": ["Nordkorea"]}, {"b": ["x"]}, "unknown facets"),
    ],
)
def test_malformed_topic_config_is_refused(facets, blockers, message) -> None:
    with pytest.raises(ValueError, match=message):
        Topic.from_config(facets, blockers)


def test_a_name_that_is_not_one_token_is_refused_with_advice() -> None:
    topic = Topic.from_config({"place": ["Black Sea Fleet"]})
    with pytest.raises(ValueError, match="add it to the aliases"):
        topic.compile(NORM.tokens)
