"""The figure timeline ``!figures`` shows: figures on record by subject, source and date.

Pure: the cog loads ``TimelinePoint`` rows from the store; this module picks the subject,
orders the points and writes the table lines; ``chart`` draws the same points.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from newsbot.bot.embeds import STATUS_LABEL, safe
from newsbot.digest import date_text, number
from newsbot.types import Status


@dataclass(frozen=True)
class TimelinePoint:
    """One figure on record, as the timeline draws it."""

    subject: str
    value: float
    low: float | None
    high: float | None
    unit: str
    qualifier: str | None
    claimant: str | None
    source: str | None  # outlet / feed; seeds: the seed file
    date: datetime | None  # None = undated background (seeds)
    status: Status | None  # None for seeds

    @property
    def conflict(self) -> bool:
        return self.status is Status.CONFLICT

    @property
    def bottom(self) -> float:
        return self.low if self.low is not None else 0.0


@dataclass(frozen=True)
class SubjectChoice:
    subject: str | None  # None: nothing matched
    others: tuple[str, ...]  # further subjects that matched the query


def choose_subject(subjects: Sequence[str], query: str | None) -> SubjectChoice:
    """The subject with the most figures among those the query names (all when no query)."""
    counts = Counter(subjects)
    q = (query or "").strip().casefold()
    matching = [s for s in counts if q in s.casefold()] if q else list(counts)
    if not matching:
        return SubjectChoice(None, ())
    exact = [s for s in matching if s.casefold() == q]
    ranked = sorted(matching, key=lambda s: (-counts[s], s))
    best = exact[0] if exact else ranked[0]
    return SubjectChoice(best, tuple(s for s in ranked if s != best))


def ordered(points: Sequence[TimelinePoint]) -> list[TimelinePoint]:
    """Undated background first, then by date, source and claimant."""
    return sorted(
        points, key=lambda p: (p.date is not None, p.date or 0, p.source or "", p.claimant or "")
    )


def interval_text(point: TimelinePoint) -> str:
    """The interval the qualifier implies: "= 1,500", "3,000 – ∞", "9,000 – 11,000"."""
    if point.low is not None and point.low == point.high:
        return f"= {number(point.low)}"
    return f"{number(point.bottom)} – {number(point.high)}"


def table_lines(points: Sequence[TimelinePoint]) -> list[str]:
    """One line per figure: date · source (claimant) · as stated · interval · status."""
    lines = []
    for p in ordered(points):
        stated = number(p.value)
        if p.qualifier:
            stated = f"{safe(p.qualifier, 40)} {stated}"
        who = safe(p.source or "unknown source", 60)
        if p.claimant:
            who += f" ({safe(p.claimant, 60)})"
        status = STATUS_LABEL[p.status] if p.status else "seed"
        line = f"`{date_text(p.date):>10}` {who} · **{stated}** {safe(p.unit, 60)}"
        lines.append(f"{line} · {interval_text(p)} · {status}")
    return lines


def summary(points: Sequence[TimelinePoint]) -> str:
    conflicts = sum(p.conflict for p in points)
    sources = len({p.source for p in points})
    text = f"{len(points)} figure{'s' if len(points) != 1 else ''} from {sources} source"
    text += "s" if sources != 1 else ""
    if conflicts:
        text += f", {conflicts} in conflict"
    return text
