"""The Matcher as the pipeline uses it: grow the corpus, match items, spot copies."""

from __future__ import annotations

import time

import pytest

from newsbot.matching import Matcher, MatcherError, Topic

KIRBY_DE = (
    "USA: Mindestens 3000 Soldaten aus Nordkorea in Russland",
    "Nach Angaben des Weißen Hauses hat Nordkorea Anfang bis Mitte Oktober mindestens 3000 "
    "Soldaten in den Osten Russlands verlegt. Sie würden auf mehreren Stützpunkten ausgebildet, "
    "sagte Sprecher John Kirby.",
)
KIRBY_DE_COPY = (
    "Weißes Haus bestätigt Verlegung nordkoreanischer Soldaten",  # other headline, small edits
    "Nach Angaben des Weißen Hauses hat Nordkorea Anfang bis Mitte Oktober mindestens 3000 "
    "Soldaten in den Osten Russlands verlegt. Sie würden derzeit auf mehreren Stützpunkten "
    "ausgebildet, sagte Sprecher John Kirby in Washington.",
)
KIRBY_EN = (
    "White House: at least 3,000 North Korean troops moved to eastern Russia",
    "National Security Council spokesman John Kirby said North Korea moved at least 3,000 "
    "soldiers into eastern Russia in early to mid-October and that they were training at "
    "several military sites.",
)
DRONES = (
    "Russian drones pound Kyiv overnight, three killed",
    "Russia launched more than 80 drones at Ukraine overnight, with debris falling on "
    "residential buildings in Kyiv, the city's military administration said.",
)
RUTTE_DE = (
    "Nato bestätigt: Nordkoreanische Truppen im Gebiet Kursk",
    "Nato-Generalsekretär Mark Rutte hat die Entsendung nordkoreanischer Truppen nach Russland "
    "bestätigt. Einige Einheiten seien bereits in die Region Kursk verlegt worden.",
)


def test_a_stored_story_is_found_and_its_syndicated_copy_is_collapsed_onto_it() -> None:
    matcher = Matcher()
    assert matcher.match(*KIRBY_DE_COPY).duplicate_of is None  # nothing stored yet
    matcher.add("kirby-de", *KIRBY_DE)
    matcher.add("rutte-de", *RUTTE_DE)
    assert len(matcher) == 2 and "kirby-de" in matcher
    result = matcher.match(*KIRBY_DE_COPY)
    assert result.duplicate_of == "kirby-de"
    assert result.relevant
    assert result.best is not None and result.best.story_id == "kirby-de"
    assert result.best.score >= 90


def test_the_english_report_of_the_same_claim_matches_but_is_not_a_copy() -> None:
    matcher = Matcher()
    matcher.add("rutte-de", *RUTTE_DE)
    matcher.add("kirby-de", *KIRBY_DE)
    result = matcher.match(*KIRBY_EN)
    assert result.relevant
    assert result.duplicate_of is None
    assert result.matches[0].story_id == "kirby-de"
    assert result.matches[0].score > result.matches[1].score


def test_other_ukraine_war_news_is_not_relevant_even_when_it_resembles_the_corpus() -> None:
    matcher = Matcher()
    matcher.add("kirby-de", *KIRBY_DE)
    result = matcher.match(*DRONES)
    assert not result.relevant
    assert result.relevance < 0.5
    assert result.duplicate_of is None


def test_matches_are_limited_and_ordered_best_first() -> None:
    matcher = Matcher()
    for n in range(8):
        matcher.add(f"k{n}", f"{KIRBY_DE[0]} ({n})", KIRBY_DE[1])
    result = matcher.match(*KIRBY_EN, limit=3)
    assert len(result.matches) == 3
    scores = [m.score for m in result.matches]
    assert scores == sorted(scores, reverse=True)
    assert matcher.match(*KIRBY_EN, limit=0).matches == ()
    # equal stories tie: the older one comes first, the same way every time
    assert [m.story_id for m in result.matches] == ["k0", "k1", "k2"]


def test_an_empty_corpus_and_an_empty_item_are_answered_not_crashed_on() -> None:
    matcher = Matcher()
    assert matcher.match(*KIRBY_EN).matches == ()
    assert matcher.match(*KIRBY_EN).relevant  # relevance comes from the topic, not the corpus
    empty = matcher.match("", "   ")
    assert (empty.relevant, empty.relevance, empty.matches) == (False, 0.0, ())
    assert matcher.match("!!! ??? ...", "— – •").relevance == 0.0


def test_bad_stories_and_settings_get_clear_errors() -> None:
    matcher = Matcher()
    matcher.add("a", "t", "x")
    with pytest.raises(MatcherError, match="already"):
        matcher.add("a", "t", "x")
    with pytest.raises(MatcherError, match="story_id"):
        matcher.add("", "t", "x")
    with pytest.raises(TypeError, match="str"):
        matcher.add("b", None, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str"):
        matcher.match("t", b"bytes")  # type: ignore[arg-type]
    with pytest.raises(MatcherError, match="limit"):
        matcher.match("t", "x", limit=-1)
    with pytest.raises(MatcherError, match="threshold"):
        Matcher(threshold=1.5)
    with pytest.raises(MatcherError, match="duplicate_threshold"):
        Matcher(duplicate_threshold=101)
    assert len(matcher) == 1  # the failed adds left nothing behind


def test_huge_hostile_text_is_matched_quickly() -> None:
    matcher = Matcher()
    matcher.add("kirby-de", *KIRBY_DE)
    hostile = ("Nordkorea " * 50_000) + "\x00\u202e" + ("ä" * 100_000) + "@everyone " * 1000
    start = time.perf_counter()
    matcher.add("hostile", hostile[:1000], hostile)
    result = matcher.match(hostile, hostile)
    assert time.perf_counter() - start < 5
    assert result.matches  # still an answer


def test_config_aliases_reach_the_matcher() -> None:
    story = ("Kim schickt Truppen nach Russland", "Phenjan schickt 3000 Soldaten nach Kursk.")
    query = ("Nordkorea: 3000 Soldaten in Kursk", "")
    plain = Matcher()
    plain.add("s", *story)
    extended = Matcher(aliases={"North Korea": ["Phenjan"]})
    extended.add("s", *story)
    before, after = plain.match(*query).best, extended.match(*query).best
    assert before is not None and after is not None
    assert after.score >= before.score + 10


def test_another_running_story_is_a_config_change() -> None:
    topic = Topic.from_config(
        {"missile": ["Oreshnik"], "place": ["Ukraine", "Dnipro"]},
    )
    matcher = Matcher(topic=topic, aliases={"Oreshnik": ["Oreschnik", "Орешник"]})
    assert matcher.match("Russland setzt Oreschnik-Rakete gegen Dnipro ein", "").relevant
    assert not matcher.match(*KIRBY_EN).relevant
