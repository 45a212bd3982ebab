"""Judge a new figure against the figures on record: NEW, KNOWN, UPDATE or CONFLICT.

Only figures with the same subject key are compared. Intervals are closed; an open end (None)
reaches to 0 (low) or infinity (high). Rules, in order:

1. NEW — nothing on record for the subject.
2. KNOWN — the figure repeats a claim already on record by the same claimant (same_claimant and
   overlapping intervals). The disagreement it carries with others is already on record, so it
   is not raised again. (This is what makes the public sample feed all "known".)
3. CONFLICT — its interval is disjoint from a figure of *another* claimant dated within
   ``window`` of ``date``. CONFLICT wins over KNOWN when the overlap is only with other
   claimants' figures. Undated figures (seed articles) are background and never conflict, and
   an undated new figure conflicts with nothing.
4. KNOWN — the interval overlaps any figure on record.
5. UPDATE — the same claimant said something different (disjoint) earlier (undated background
   counts as earlier).
6. NEW — the subject is on record, but nothing overlaps, nothing of the same claimant precedes
   it and no disjoint figure is recent: a new value the desk has not seen.

``conflicts_with`` lists every recorded figure a CONFLICT contradicts; ``related`` lists those it
agrees with (KNOWN, and the agreeing ones of a CONFLICT) or updates (UPDATE).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from newsbot.figures.claimants import same_claimant
from newsbot.types import Figure, Finding, RecordedFigure, Status

__all__ = ["classify", "overlaps", "same_claimant"]


def _bounds(fig: Figure) -> tuple[float, float]:
    low = 0.0 if fig.low is None else fig.low
    high = float("inf") if fig.high is None else fig.high
    if low > high:  # defensive: a malformed record must not flip comparisons
        low, high = high, low
    return low, high


def overlaps(a: Figure, b: Figure) -> bool:
    """Whether the intervals of two figures share at least one value."""
    alo, ahi = _bounds(a)
    blo, bhi = _bounds(b)
    return alo <= bhi and blo <= ahi


def _close_in_time(date: datetime | None, other: datetime | None, window: timedelta) -> bool:
    if date is None or other is None:
        return False
    try:
        return abs(date - other) <= window
    except TypeError:  # naive vs aware datetimes: compare as UTC-naive wall times
        return abs(date.replace(tzinfo=None) - other.replace(tzinfo=None)) <= window


def _earlier(rec_date: datetime | None, date: datetime | None) -> bool:
    if rec_date is None or date is None:
        return True
    try:
        return rec_date <= date
    except TypeError:
        return rec_date.replace(tzinfo=None) <= date.replace(tzinfo=None)


def classify(
    figure: Figure,
    record: Sequence[RecordedFigure],
    *,
    date: datetime | None,
    window: timedelta = timedelta(days=14),
) -> Finding:
    """Status of ``figure`` (reported on ``date``) against ``record`` (see module doc)."""
    same_subject = [r for r in record if r.figure.subject == figure.subject]
    if not same_subject:
        return Finding(figure, Status.NEW)
    agreeing = tuple(r for r in same_subject if overlaps(figure, r.figure))
    repeats = [r for r in agreeing if same_claimant(figure.claimant, r.figure.claimant)]
    if repeats:
        return Finding(figure, Status.KNOWN, related=agreeing)
    conflicts = tuple(
        r
        for r in same_subject
        if not overlaps(figure, r.figure)
        and not same_claimant(figure.claimant, r.figure.claimant)
        and _close_in_time(date, r.date, window)
    )
    if conflicts:
        return Finding(figure, Status.CONFLICT, conflicts_with=conflicts, related=agreeing)
    if agreeing:
        return Finding(figure, Status.KNOWN, related=agreeing)
    updated = tuple(
        r
        for r in same_subject
        if same_claimant(figure.claimant, r.figure.claimant) and _earlier(r.date, date)
    )
    if updated:
        return Finding(figure, Status.UPDATE, related=updated)
    return Finding(figure, Status.NEW)
