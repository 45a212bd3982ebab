"""The core of ``newsbot compare`` and ``!compare``: best matches and figures side by side.

Pure: takes what the matcher and the figure extractor already produced and returns a plain
table plus a plain-text rendering; the CLI and the Discord cog format or paginate it further.
Also the matcher's fields of one ``check --json`` row, so every front end says the same.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from newsbot.types import Figure, Match, MatchResult, RecordedFigure


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One subject: the item's figures for it and the figures on record for it."""

    subject: str
    item: tuple[Figure, ...]
    record: tuple[RecordedFigure, ...]  # oldest first; undated (seed) background first


@dataclass(frozen=True, slots=True)
class Comparison:
    """What ``compare`` shows: relevance, best matches, duplicate, figures by subject."""

    relevant: bool
    relevance: float
    matches: tuple[Match, ...]
    duplicate_of: str | None
    rows: tuple[FigureRow, ...]  # in the order the item first reports each subject


def compare(
    result: MatchResult,
    item_figures: Sequence[Figure],
    record: Iterable[RecordedFigure],
) -> Comparison:
    """Line up the item's figures with the recorded figures of the same subject.

    Only subjects the item reports get a row (that is what the desk asks about); recorded
    figures come from the whole corpus, not only the best matches, because the same count
    is often reported by stories that word it differently.
    """
    by_subject: dict[str, list[RecordedFigure]] = {}
    for recorded in record:
        by_subject.setdefault(recorded.figure.subject, []).append(recorded)
    subjects: dict[str, list[Figure]] = {}
    for figure in item_figures:
        subjects.setdefault(figure.subject, []).append(figure)
    rows = tuple(
        FigureRow(
            subject,
            tuple(figures),
            tuple(sorted(by_subject.get(subject, ()), key=_record_order)),
        )
        for subject, figures in subjects.items()
    )
    return Comparison(
        relevant=result.relevant,
        relevance=result.relevance,
        matches=result.matches,
        duplicate_of=result.duplicate_of,
        rows=rows,
    )


def _record_order(recorded: RecordedFigure) -> tuple[int, float, str]:
    stamp = recorded.date.timestamp() if recorded.date is not None else -math.inf
    return (recorded.date is not None, stamp, recorded.item_id)


def format_value(figure: Figure) -> str:
    """One line: "mindestens 3,000 Soldaten", "10,000-12,000 troops" (a bare range)."""
    low, high = figure.low, figure.high
    if figure.qualifier is None and low is not None and high is not None and low != high:
        value = f"{_number(low)}-{_number(high)}"
    else:
        value = _number(figure.value)
    text = f"{figure.qualifier} {value}" if figure.qualifier else value
    return f"{text} {figure.unit}".strip()


def _number(value: float) -> str:
    if math.isinf(value) or math.isnan(value):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _claimed(figure: Figure) -> str:
    return f" ({figure.claimant})" if figure.claimant else ""


def render_text(comparison: Comparison, *, max_record: int = 8) -> str:
    """Plain text for a terminal or a Discord code block; no markup, no mentions."""
    verdict = "relevant" if comparison.relevant else "not relevant"
    lines = [f"Topic: {verdict} (relevance {comparison.relevance:.2f})"]
    if comparison.duplicate_of:
        lines.append(f"Copy of stored story {comparison.duplicate_of}")
    lines.append("Best matches:" if comparison.matches else "Best matches: none")
    for rank, match in enumerate(comparison.matches, 1):
        lines.append(f"  {rank}. {match.score:5.1f}  {_one_line(match.title)}  [{match.story_id}]")
    if not comparison.rows:
        lines.append("Figures: none in this item")
    for row in comparison.rows:
        lines.append(f"Figures: {row.subject}")
        for figure in row.item:
            lines.append(f"  this item:  {format_value(figure)}{_claimed(figure)}")
        if not row.record:
            lines.append("  on record:  nothing yet (new subject)")
        for recorded in row.record[:max_record]:
            when = recorded.date.date().isoformat() if recorded.date else "background"
            lines.append(
                f"  on record:  {format_value(recorded.figure)}{_claimed(recorded.figure)}"
                f" - {recorded.item_id}, {when}"
            )
        if len(row.record) > max_record:
            lines.append(f"  … and {len(row.record) - max_record} more on record")
    return "\n".join(lines)


def _one_line(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def match_fields(result: MatchResult) -> dict[str, Any]:
    """The matcher's part of one ``check --json`` row (DESIGN.md, "CLI")."""
    best = result.best
    return {
        "relevant": result.relevant,
        "relevance": result.relevance,
        "best_match": (
            {"story_id": best.story_id, "title": best.title, "score": best.score}
            if best is not None
            else None
        ),
        "duplicate_of": result.duplicate_of,
    }
