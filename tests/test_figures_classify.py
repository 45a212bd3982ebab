"""Classification against the record: NEW / KNOWN / UPDATE / CONFLICT (see classify.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsbot.figures.classify import classify, overlaps, same_claimant
from newsbot.types import Figure, RecordedFigure, Status

SUBJECT = "north korean troops in russia"
D0 = datetime(2024, 10, 18, tzinfo=UTC)


def fig(
    value: float,
    low: float | None,
    high: float | None,
    claimant: str | None,
    subject: str = SUBJECT,
) -> Figure:
    return Figure(value, low, high, "Soldaten", subject, claimant, f"{value} Soldaten")


def rec(f: Figure, days: float | None, item: str = "item") -> RecordedFigure:
    return RecordedFigure(f, item, None if days is None else D0 + timedelta(days=days))


def test_new_when_subject_not_on_record() -> None:
    record = [rec(fig(600000, 600000, None, "NATO", "russian soldiers killed or wounded"), 0)]
    finding = classify(fig(10000, 10000, 10000, "HUR"), record, date=D0)
    assert finding.status is Status.NEW and not finding.related and not finding.conflicts_with


def test_known_when_interval_overlaps_and_related_names_it() -> None:
    pentagon = rec(fig(10000, 9000, 11000, "Pentagon"), 0)
    finding = classify(fig(10500, 10500, 10500, "Reuters"), [pentagon], date=D0 + timedelta(days=3))
    assert finding.status is Status.KNOWN
    assert finding.related == (pentagon,)


def test_conflict_with_other_claimant_within_window_names_what_it_contradicts() -> None:
    nis = rec(fig(1500, 1500, 1500, "NIS"), 0, "s1")
    pentagon = rec(fig(10000, 9000, 11000, "Pentagon"), 1, "s2")
    finding = classify(fig(3000, 3000, None, "Kirby"), [nis, pentagon], date=D0 + timedelta(days=6))
    assert finding.status is Status.CONFLICT
    assert finding.conflicts_with == (nis,)
    assert finding.related == (pentagon,)  # it agrees with the Pentagon, still a conflict


def test_no_conflict_outside_the_window_or_with_undated_background() -> None:
    old = rec(fig(1500, 1500, 1500, "NIS"), -30)
    seed = rec(fig(1500, 1500, 1500, "NIS"), None)
    new = fig(10000, 9000, 11000, "Pentagon")
    assert classify(new, [old], date=D0).status is Status.NEW
    assert classify(new, [seed], date=D0).status is Status.NEW
    assert classify(new, [old], date=D0, window=timedelta(days=40)).status is Status.CONFLICT


def test_undated_new_figure_conflicts_with_nothing() -> None:
    nis = rec(fig(1500, 1500, 1500, "NIS"), 0)
    assert classify(fig(10000, 9000, 11000, "Pentagon"), [nis], date=None).status is Status.NEW


def test_update_when_same_claimant_said_something_else_earlier() -> None:
    earlier = rec(fig(3000, 3000, 3000, "HUR"), 0)
    finding = classify(
        fig(11000, 11000, 11000, "ukrainischer Militärgeheimdienst"),
        [earlier],
        date=D0 + timedelta(days=9),
    )
    assert finding.status is Status.UPDATE
    assert finding.related == (earlier,)


def test_repeat_of_own_claim_is_known_even_against_recent_disagreement() -> None:
    seed = rec(fig(10000, 10000, None, "HUR"), None, "seed")
    nis = rec(fig(1500, 1500, 1500, "NIS"), 0, "s1")
    finding = classify(
        fig(10000, 10000, None, "Militärgeheimdienst HUR"), [seed, nis], date=D0 + timedelta(days=7)
    )
    assert finding.status is Status.KNOWN
    assert seed in finding.related


def test_subjects_are_never_mixed() -> None:
    killed = rec(fig(3000, 3000, 3000, "HUR", "north korean soldiers killed or wounded"), 0)
    finding = classify(fig(12000, 12000, 12000, "Kleine Zeitung"), [killed], date=D0)
    assert finding.status is Status.NEW


def test_naive_and_aware_dates_do_not_crash() -> None:
    nis = RecordedFigure(fig(1500, 1500, 1500, "NIS"), "s1", datetime(2024, 10, 18))
    finding = classify(fig(10000, 9000, 11000, "Pentagon"), [nis], date=D0 + timedelta(days=2))
    assert finding.status is Status.CONFLICT


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("John Kirby", "Weißes Haus", True),
        ("laut Weißem Haus", "White House", True),
        ("US-Regierung", "Nationaler Sicherheitsrat", True),
        ("Pentagon", "Sabrina Singh", True),
        ("US-Verteidigungsministerium", "Defense Department", True),
        ("NIS", "südkoreanischer Geheimdienst", True),
        ("Seoul's spy agency", "South Korean intelligence", True),
        ("HUR", "ukrainischer Militärgeheimdienst", True),
        ("Ukrainian military intelligence", "HUR", True),
        ("Selenskyj", "Zelenskyy", True),
        ("Zelensky", "Wolodymyr Selenskyj", True),
        ("NATO", "Rutte", True),
        ("Kirby", "Pentagon", False),
        ("NIS", "HUR", False),
        ("Kleine Zeitung", "kleine zeitung", True),
        ("Kleine Zeitung", "Zeit", False),
        (None, "NIS", False),
    ],
)
def test_same_claimant_aliases(a: str | None, b: str | None, same: bool) -> None:
    assert same_claimant(a, b) is same
    assert same_claimant(b, a) is same


def test_open_intervals_overlap() -> None:
    assert overlaps(fig(3000, 3000, None, None), fig(10000, 9000, 11000, None))
    assert not overlaps(fig(10000, None, 10000, None), fig(12000, 12000, None, None))
    assert overlaps(fig(10000, None, 10000, None), fig(10000, 10000, None, None))
