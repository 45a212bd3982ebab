"""Plain data passed between the pipeline's stages.

Named by stage, in the order data moves:
``Item`` (a parsed feed entry or seed article) → ``MatchResult`` (how it relates to the corpus)
→ ``Figure`` (a number it reports) → ``Finding`` (that figure judged against the record).
No stage here knows about the database, the network or Discord; the shell modules convert
between these and their own representations.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Item:
    """One news item: a feed entry after parsing, or a seed article."""

    entry_id: str  # guid, else link, else a content hash; seed items use the file name
    title: str
    text: str  # summary / body as plain text (HTML stripped)
    link: str | None = None
    published: datetime | None = None  # timezone-aware UTC, or None when the feed gives none
    language: str | None = None  # "de", "en", … from the feed or a guess; None = unknown
    source: str | None = None  # outlet / feed name, the fallback claimant


@dataclass(frozen=True, slots=True)
class Match:
    """A stored story that a new item resembles."""

    story_id: str
    title: str
    score: float  # 0..100, rapidfuzz scale


@dataclass(frozen=True, slots=True)
class MatchResult:
    """What the matcher says about one item."""

    relevant: bool
    relevance: float  # 0..1
    matches: tuple[Match, ...] = ()  # best first
    duplicate_of: str | None = None  # story_id of the stored item this is a syndicated copy of

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


@dataclass(frozen=True, slots=True)
class Figure:
    """A count a text reports, with the interval its qualifier implies.

    ``low``/``high`` of ``None`` mean open-ended ("mindestens 3.000" → low=3000, high=None).
    ``value`` is the number as stated (for "Tausende" the representative value of the interval).
    """

    value: float
    low: float | None
    high: float | None
    unit: str  # the counted noun as written: "Soldaten", "troops", "Pioniere und Bauarbeiter"
    subject: str  # what is counted, comparable across languages: "north korean troops in russia"
    claimant: str | None  # who says so: "Pentagon", "HUR", "Kirby"; None if only the outlet
    quote: str  # the sentence (or clause) the figure came from
    qualifier: str | None = None  # "mindestens", "about", … as written; None for a bare number


class Status(enum.StrEnum):
    """A figure's standing against the record (DESIGN.md, "Figures")."""

    NEW = "new"  # nothing on record for this subject
    KNOWN = "known"  # overlaps a figure on record
    UPDATE = "update"  # same claimant as a figure on record, later, different value
    CONFLICT = "conflict"  # another claimant, close in time, disjoint interval


@dataclass(frozen=True, slots=True)
class RecordedFigure:
    """A figure already on record, with where and when it was reported."""

    figure: Figure
    item_id: str  # entry_id of the item (seed file name for seeds)
    date: datetime | None  # the item's publication date; None = undated background (seeds)


@dataclass(frozen=True, slots=True)
class Finding:
    """A figure of a new item, judged against the record."""

    figure: Figure
    status: Status
    conflicts_with: tuple[RecordedFigure, ...] = ()
    related: tuple[RecordedFigure, ...] = field(default=())  # figures it agrees with / updates
