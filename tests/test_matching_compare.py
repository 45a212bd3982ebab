"""The compare core: matches and figures side by side, and the check --json fields."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from newsbot.matching.compare import compare, format_value, match_fields, render_text
from newsbot.types import Figure, Match, MatchResult, RecordedFigure

TROOPS = "north korean troops in russia"
LOSSES = "russian soldiers killed or wounded"


def fig(value: float, low: float | None, high: float | None, claimant: str | None, **kw) -> Figure:
    return Figure(
        value=value,
        low=low,
        high=high,
        unit=kw.get("unit", "Soldaten"),
        subject=kw.get("subject", TROOPS),
        claimant=claimant,
        quote=kw.get("quote", "…"),
        qualifier=kw.get("qualifier"),
    )


RESULT = MatchResult(
    relevant=True,
    relevance=0.91,
    matches=(
        Match("002_1bf99e9070e36d9d.txt", "Krieg gegen die Ukraine Offenbar 10.000 Soldaten", 82.5),
        Match("004_f0337515d6951f32.txt", "Nordkorea verstärkt militärische Unterstützung", 68.6),
    ),
)
RECORD = [
    RecordedFigure(fig(10_000, 9_000, 11_000, "Pentagon", qualifier="etwa"), "002.txt", None),
    RecordedFigure(fig(1_500, 1_500, 1_500, "NIS"), "003.txt", None),
    RecordedFigure(fig(11_000, 11_000, 11_000, "HUR"), "e084", datetime(2024, 12, 3, tzinfo=UTC)),
    RecordedFigure(
        fig(3_000, 3_000, None, "Kirby", qualifier="at least", unit="troops"),
        "e010",
        datetime(2024, 10, 24, tzinfo=UTC),
    ),
    RecordedFigure(fig(600_000, 600_000, None, "Rutte", subject=LOSSES), "002.txt", None),
]


def test_each_subject_of_the_item_gets_its_record_background_first_then_by_date() -> None:
    item = [fig(10_000, 9_000, 11_000, "Pentagon", qualifier="about", unit="troops")]
    table = compare(RESULT, item, RECORD)
    assert [r.subject for r in table.rows] == [TROOPS]
    row = table.rows[0]
    assert row.item == tuple(item)
    assert [r.item_id for r in row.record] == ["002.txt", "003.txt", "e010", "e084"]
    assert table.matches == RESULT.matches and table.relevant


def test_a_subject_nobody_reported_yet_has_an_empty_record() -> None:
    item = [fig(50, 50, 50, "Kyiv", subject="north korean soldiers captured", unit="POWs")]
    table = compare(RESULT, item, RECORD)
    assert table.rows[0].record == ()
    assert "nothing yet" in render_text(table)


def test_rendering_shows_scores_values_claimants_and_dates() -> None:
    item = [fig(10_000, 9_000, 11_000, "Pentagon", qualifier="about", unit="troops")]
    text = render_text(compare(RESULT, item, RECORD))
    assert "1.  82.5  Krieg gegen die Ukraine Offenbar 10.000 Soldaten" in text
    assert "this item:  about 10,000 troops (Pentagon)" in text
    assert "on record:  at least 3,000 troops (Kirby) - e010, 2024-10-24" in text
    assert "on record:  1,500 Soldaten (NIS) - 003.txt, background" in text
    assert "600,000" not in text  # another subject


def test_value_formats() -> None:
    assert format_value(fig(11_000, 10_000, 12_000, None, unit="troops")) == "10,000-12,000 troops"
    assert format_value(fig(1_200_000, 1_200_000, 1_200_000, None)) == "1,200,000 Soldaten"
    assert format_value(fig(2.5, 2.5, 2.5, None, unit="%")) == "2.5 %"


def test_no_figures_and_no_matches_still_render() -> None:
    text = render_text(compare(MatchResult(relevant=False, relevance=0.02), [], RECORD))
    assert "not relevant" in text and "Best matches: none" in text and "none in this item" in text


def test_match_fields_are_the_check_json_shape() -> None:
    fields = match_fields(MatchResult(True, 0.9, RESULT.matches, duplicate_of="e019"))
    assert json.loads(json.dumps(fields)) == {
        "relevant": True,
        "relevance": 0.9,
        "best_match": {
            "story_id": "002_1bf99e9070e36d9d.txt",
            "title": "Krieg gegen die Ukraine Offenbar 10.000 Soldaten",
            "score": 82.5,
        },
        "duplicate_of": "e019",
    }
    assert match_fields(MatchResult(False, 0.0))["best_match"] is None
