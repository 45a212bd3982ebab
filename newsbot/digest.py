"""Digests: what the desk reads, a line or two per relevant item. Pure rendering.

A line names the item (title, source, date, link), the stored story it matches best and how
well, then its figures with their status; a CONFLICT names each figure it contradicts with
value, claimant and date. The Discord layer turns the same ``DigestEntry`` list into embeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newsbot.types import Figure, Finding, Match, RecordedFigure, Status


@dataclass(frozen=True)
class DigestEntry:
    """One item as the digest shows it."""

    item_id: str
    title: str
    link: str | None
    source: str | None
    published: datetime | None
    best_match: Match | None
    findings: tuple[Finding, ...] = ()
    also_in: tuple[str, ...] = ()  # sources of syndicated copies collapsed into this item


STATUS_MARK = {
    Status.NEW: "🆕 NEW",
    Status.KNOWN: "KNOWN",
    Status.UPDATE: "🔄 UPDATE",
    Status.CONFLICT: "⚠️ CONFLICT",
}


# Qualifiers that are the count themselves ("Tausende Soldaten"): shown with their interval,
# not with the representative value the figure carries.
COUNT_WORDS = frozenset(
    {
        "tausende",
        "thousands",
        "thousands of",
        "dutzende",
        "dozens",
        "dozens of",
        "hunderte",
        "hundreds",
        "hundreds of",
    }
)


def number(value: float | None) -> str:
    """1500 → "1,500"; 1.5 → "1.5"; None → "∞"."""
    if value is None:
        return "∞"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def date_text(value: datetime | None) -> str:
    return value.date().isoformat() if value else "undated"


def figure_text(figure: Figure) -> str:
    """ "mindestens 3,000 Soldaten" — as stated, qualifier first."""
    stated = number(figure.value)
    if figure.qualifier and figure.qualifier.lower() in COUNT_WORDS:
        stated = f"{figure.qualifier} ({number(figure.low)}–{number(figure.high)})"
    elif figure.qualifier:
        stated = f"{figure.qualifier} {stated}"
    return f"{stated} {figure.unit}".strip()


def recorded_text(other: RecordedFigure) -> str:
    who = other.figure.claimant or "unattributed"
    return f"{figure_text(other.figure)} ({who}, {date_text(other.date)}, {other.item_id})"


def latest_claims(figures: Sequence[RecordedFigure]) -> list[RecordedFigure]:
    """One figure per (claimant, value): the most recent report of that claim."""
    latest: dict[tuple[str | None, float], RecordedFigure] = {}
    for fig in figures:
        key = (fig.figure.claimant, fig.figure.value)
        current = latest.get(key)
        if current is None or (fig.date or datetime.min.replace(tzinfo=UTC)) > (
            current.date or datetime.min.replace(tzinfo=UTC)
        ):
            latest[key] = fig
    return list(latest.values())


def finding_text(finding: Finding) -> str:
    fig = finding.figure
    text = f"{STATUS_MARK[finding.status]} {figure_text(fig)}"
    if fig.claimant:
        text += f" ({fig.claimant})"
    if finding.status is Status.CONFLICT and finding.conflicts_with:
        text += " vs " + "; ".join(recorded_text(o) for o in latest_claims(finding.conflicts_with))
    return text


def entry_lines(entry: DigestEntry) -> list[str]:
    head = f"• {entry.title}"
    meta = [m for m in (entry.source, date_text(entry.published) if entry.published else None) if m]
    if entry.also_in:
        meta.append("also " + ", ".join(entry.also_in))
    if meta:
        head += f" — {', '.join(meta)}"
    if entry.link:
        head += f" <{entry.link}>"
    lines = [head]
    detail = []
    if entry.best_match is not None:
        detail.append(f"matches “{entry.best_match.title}” ({entry.best_match.score:.0f})")
    if entry.findings:
        detail.append(" · ".join(finding_text(f) for f in entry.findings))
    else:
        detail.append("no figures")
    lines.append("  " + " | ".join(detail))
    return lines


def headline(entries: Sequence[DigestEntry]) -> str:
    conflicts = sum(f.status is Status.CONFLICT for e in entries for f in e.findings)
    new = sum(f.status is Status.NEW for e in entries for f in e.findings)
    parts = [f"{len(entries)} new item{'s' if len(entries) != 1 else ''} on the story"]
    if conflicts:
        parts.append(f"{conflicts} conflicting figure{'s' if conflicts != 1 else ''}")
    if new:
        parts.append(f"{new} new figure{'s' if new != 1 else ''}")
    return "newsbot digest: " + ", ".join(parts)


def render_text(entries: Sequence[DigestEntry]) -> str:
    """Plain-text digest (console mode and the body of Discord messages)."""
    lines = [headline(entries)]
    for entry in entries:
        lines.extend(entry_lines(entry))
    return "\n".join(lines)
