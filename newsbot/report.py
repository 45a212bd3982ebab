"""The machine-readable row of ``newsbot check --json`` (DESIGN.md, "CLI and machine-readable
output"). One dict per entry; keys and types are the contract, plus ``new`` and ``updated``
saying whether this run saw the entry for the first time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from newsbot.pipeline import EntryReport
from newsbot.types import Finding, RecordedFigure


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def plain_number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def conflict_row(other: RecordedFigure) -> dict[str, Any]:
    return {
        "value": plain_number(other.figure.value),
        "claimant": other.figure.claimant,
        "item": other.item_id,
        "date": iso(other.date),
    }


def figure_row(finding: Finding) -> dict[str, Any]:
    fig = finding.figure
    return {
        "value": plain_number(fig.value),
        "low": plain_number(fig.low),
        "high": plain_number(fig.high),
        "unit": fig.unit,
        "subject": fig.subject,
        "claimant": fig.claimant,
        "quote": fig.quote,
        "status": str(finding.status),
        "conflicts_with": [conflict_row(o) for o in finding.conflicts_with],
    }


def entry_row(report: EntryReport) -> dict[str, Any]:
    item = report.item
    result, best = report.result, report.result.best
    return {
        "entry_id": item.entry_id,
        "title": item.title,
        "link": item.link,
        "published": iso(item.published),
        "relevant": result.relevant,
        "relevance": round(float(result.relevance), 4),
        "best_match": (
            {"story_id": best.story_id, "title": best.title, "score": round(best.score, 2)}
            if best is not None
            else None
        ),
        "duplicate_of": report.duplicate_of,  # also copies found by link or title+date
        "figures": [figure_row(f) for f in report.findings],
        "new": report.new,
        "updated": report.updated,
    }
