"""Digests as Discord messages: embeds that fit every limit, feed text that cannot inject.

Pure rendering over ``DigestEntry`` lists into the JSON Discord takes (``content`` +
``embeds``), so the outbox can store exactly what will be posted and a resend after a crash
posts the same parts. Rules:

- Every limit holds: title 256, description 4,096, 25 fields, footer 2,048, 6,000 characters
  over all embeds of a message, 10 embeds and 2,000 content characters per message.
- A figure line, a conflict line and a link are atomic: when an item does not fit it goes on
  in the next embed or message, never cut. Only prose (a headline, a claimant name, a story
  title) is shortened, with an ellipsis; links too long or not http(s) are left out whole.
- Feed text is escaped (markdown, mentions) so a headline cannot format, mask links or ping.
- The last embed of each message carries a footer ``newsbot <kind> <ref> · i/n``: readers see
  the part number, and the sender finds a part it already posted by that marker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from discord.utils import escape_mentions

from newsbot.digest import DigestEntry, date_text, figure_text, headline, number
from newsbot.types import Finding, RecordedFigure, Status

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
MESSAGE_EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
CONTENT_LIMIT = 2000
LINK_LIMIT = 2000  # longer links are left out rather than cut

FOOTER_RESERVE = 80  # room kept in each message for the part marker
PROSE_LIMIT = 120  # claimant, unit, item reference inside one line
STORY_TITLE_LIMIT = 200
LINE_LIMIT = 1000  # no single line is longer (it would not be a figure any more)

COLOURS = {
    Status.CONFLICT: 0xD83C3E,
    Status.UPDATE: 0xE67E22,
    Status.NEW: 0x3498DB,
    Status.KNOWN: 0x95A5A6,
}
STATUS_LABEL = {
    Status.NEW: "🆕 NEW",
    Status.KNOWN: "KNOWN",
    Status.UPDATE: "🔄 UPDATE",
    Status.CONFLICT: "⚠️ CONFLICT",
}
NO_MENTIONS: dict[str, Any] = {"parse": []}

_SPACE = re.compile(r"\s+")
# characters Discord markdown gives a meaning anywhere: emphasis, code, spoilers, masked
# links [text](url), <t:…>/<#…>/<:emoji:…> tags; and those that only count at a line's
# start: headings, quotes, lists ("# ", "> ", "- ", "+ ", "1. ")
_MARKDOWN = re.compile(r"([\\*_~`|\[\]()<])")
_LINE_START = re.compile(r"^(\s*)([#>+\-])", re.MULTILINE)
_NUMBERED = re.compile(r"^(\s*\d+)\.", re.MULTILINE)
_LINK = re.compile(r"https?://[^\s<>\"]+\Z", re.IGNORECASE)


def escape(text: str) -> str:
    """Feed text made inert: markdown shown literally, mentions broken with a zero-width space.

    Each markdown character is escaped on its own: discord.py's ``escape_markdown`` treats
    ``[a](b) … [c](d)`` as one masked link and leaves what lies between unescaped, so it
    is not used here.
    """
    text = _MARKDOWN.sub(r"\\\1", text)
    text = _NUMBERED.sub(r"\1\\.", _LINE_START.sub(r"\1\\\2", text))
    return escape_mentions(text)


def one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def clip(text: str, limit: int) -> str:
    """Shorten escaped prose to ``limit`` characters, ending with an ellipsis.

    Never leaves a dangling backslash, which would escape the ellipsis instead.
    """
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    trailing = len(cut) - len(cut.rstrip("\\"))
    if trailing % 2:
        cut = cut[:-1]
    cut = cut.rstrip()
    return cut + "…"


def safe(text: str | None, limit: int = PROSE_LIMIT) -> str:
    """Feed prose for one line: whitespace folded, escaped, shortened."""
    return clip(escape(one_line(text or "")), limit)


def valid_link(link: str | None) -> str | None:
    """The link if it can be an embed URL whole, else None (never a cut link)."""
    if not link:
        return None
    link = link.strip()
    if len(link) > LINK_LIMIT or not _LINK.match(link):
        return None
    return link


def marker(kind: str, key: str, part: int, total: int) -> str:
    """The footer that identifies part ``part`` (0-based) of outbox row ``key``."""
    return f"newsbot {kind} {key[:16]} · {part + 1}/{total}"


def nonce(key: str, part: int) -> str:
    """Discord's message nonce for one part: at most 25 characters, stable across restarts."""
    return f"{key[:16]}-{part}"


# -- one item as lines -------------------------------------------------------------------
def conflict_line(other: RecordedFigure) -> str:
    who = safe(other.figure.claimant or "unattributed")
    where = safe(other.item_id, 80) if len(other.item_id) <= 80 else None
    meta = ", ".join(p for p in (who, date_text(other.date), where) if p)
    return f"  ↳ vs {safe(figure_text(other.figure))} ({meta})"


def finding_lines(finding: Finding) -> list[str]:
    fig = finding.figure
    stated = number(fig.value)
    if fig.qualifier:
        stated = f"{safe(fig.qualifier, 40)} {stated}"
    line = f"**{STATUS_LABEL[finding.status]}** {stated} {safe(fig.unit)}".rstrip()
    if fig.claimant:
        line += f" — {safe(fig.claimant)}"
    lines = [line]
    if finding.status is Status.CONFLICT:
        lines.extend(conflict_line(o) for o in finding.conflicts_with)
    return lines


def entry_colour(entry: DigestEntry) -> int:
    statuses = {f.status for f in entry.findings}
    for status in (Status.CONFLICT, Status.UPDATE, Status.NEW):
        if status in statuses:
            return COLOURS[status]
    return COLOURS[Status.KNOWN]


def entry_lines(entry: DigestEntry) -> list[str]:
    """The description lines of one item; each line is atomic."""
    meta = [safe(entry.source)] if entry.source else []
    meta.append(date_text(entry.published))
    if entry.also_in:
        meta.append("also in " + ", ".join(safe(s, 60) for s in entry.also_in[:10]))
    lines = [" · ".join(meta)]
    if entry.best_match is not None:
        story = safe(entry.best_match.title, STORY_TITLE_LIMIT)
        lines.append(f"matches “{story}” ({entry.best_match.score:.0f})")
    if not valid_link(entry.link) and entry.link:
        lines.append("(link left out: not an http(s) address of sensible length)")
    for finding in entry.findings:
        lines.extend(finding_lines(finding))
    if not entry.findings:
        lines.append("no figures")
    return [clip(line, LINE_LIMIT) for line in lines]


# -- packing ------------------------------------------------------------------------------
@dataclass
class Card:
    """One item before it is cut into embeds."""

    title: str
    url: str | None
    colour: int
    lines: list[str]


def entry_card(entry: DigestEntry) -> Card:
    return Card(
        title=safe(entry.title, TITLE_LIMIT) or "(untitled)",
        url=valid_link(entry.link),
        colour=entry_colour(entry),
        lines=entry_lines(entry),
    )


def embed_size(embed: dict[str, Any]) -> int:
    """Characters Discord counts towards the 6,000 per message."""
    size = len(embed.get("title", "")) + len(embed.get("description", ""))
    size += len(embed.get("footer", {}).get("text", ""))
    size += len(embed.get("author", {}).get("name", ""))
    size += sum(len(f.get("name", "")) + len(f.get("value", "")) for f in embed.get("fields", []))
    return size


def card_embeds(card: Card, budget: int = DESCRIPTION_LIMIT) -> list[dict[str, Any]]:
    """A card as one embed, or several when its lines exceed a description."""
    embeds: list[dict[str, Any]] = []
    current: list[str] = []
    used = 0
    for line in card.lines:
        extra = len(line) + (1 if current else 0)
        if current and used + extra > budget:
            embeds.append(_embed(card, current, continued=bool(embeds)))
            current, used, extra = [], 0, len(line)
        current.append(line)
        used += extra
    embeds.append(_embed(card, current, continued=bool(embeds)))
    return embeds


def _embed(card: Card, lines: list[str], *, continued: bool) -> dict[str, Any]:
    title = clip(card.title, TITLE_LIMIT - 9) + " (cont.)" if continued else card.title
    embed: dict[str, Any] = {"title": title, "description": "\n".join(lines), "color": card.colour}
    if card.url:
        embed["url"] = card.url
    return embed


@dataclass
class _Message:
    embeds: list[dict[str, Any]] = field(default_factory=list)
    size: int = 0


def pack(embeds: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group embeds into messages: at most 10 each and 6,000 characters with the footer."""
    budget = MESSAGE_EMBED_TOTAL - FOOTER_RESERVE
    messages: list[_Message] = [_Message()]
    for embed in embeds:
        size = embed_size(embed)
        last = messages[-1]
        if last.embeds and (len(last.embeds) >= EMBEDS_PER_MESSAGE or last.size + size > budget):
            last = _Message()
            messages.append(last)
        last.embeds.append(embed)
        last.size += size
    return [m.embeds for m in messages if m.embeds]


def finish(
    groups: Sequence[list[dict[str, Any]]], *, kind: str, key: str, content: str
) -> list[dict[str, Any]]:
    """Messages with content, part markers and mentions off."""
    total = len(groups)
    messages = []
    for i, embeds in enumerate(groups):
        embeds = [dict(e) for e in embeds]
        embeds[-1]["footer"] = {"text": marker(kind, key, i, total)}
        text = content if i == 0 else f"{content} (continued, {i + 1}/{total})"
        messages.append(
            {
                "content": clip(text, CONTENT_LIMIT),
                "embeds": embeds,
                "allowed_mentions": NO_MENTIONS,
            }
        )
    return messages


def render_digest(entries: Sequence[DigestEntry], *, key: str) -> list[dict[str, Any]]:
    """A digest as one or more Discord messages, in order."""
    if not entries:
        return []
    embeds = [e for entry in entries for e in card_embeds(entry_card(entry))]
    return finish(pack(embeds), kind="digest", key=key, content=headline(entries))


def text_embeds(
    title: str, lines: Sequence[str], *, colour: int = COLOURS[Status.KNOWN]
) -> list[dict[str, Any]]:
    """Lines (already escaped where they carry user text) as embeds, split between lines."""
    card = Card(title=clip(title, TITLE_LIMIT), url=None, colour=colour, lines=list(lines))
    card.lines = [clip(line, LINE_LIMIT) for line in card.lines] or ["(nothing)"]
    return card_embeds(card)


def render_notice(text: str, *, key: str) -> list[dict[str, Any]]:
    """An operational notice (delivery failing, feed paused) as one escaped message."""
    lines = [safe(line, LINE_LIMIT) for line in text.splitlines() if line.strip()]
    groups = pack(text_embeds("newsbot notice", lines, colour=COLOURS[Status.UPDATE]))
    return finish(groups, kind="notice", key=key, content="")


def plain_messages(groups: Sequence[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Replies to commands: embeds packed into messages, no markers."""
    return [{"embeds": g, "allowed_mentions": NO_MENTIONS} for g in groups]


def limit_problems(message: dict[str, Any]) -> list[str]:
    """Every Discord limit ``message`` breaks (empty when it may be sent)."""
    problems = []
    content = message.get("content") or ""
    if len(content) > CONTENT_LIMIT:
        problems.append(f"content {len(content)} > {CONTENT_LIMIT}")
    embeds = message.get("embeds") or []
    if len(embeds) > EMBEDS_PER_MESSAGE:
        problems.append(f"{len(embeds)} embeds > {EMBEDS_PER_MESSAGE}")
    total = 0
    for i, embed in enumerate(embeds):
        checks = (
            ("title", len(embed.get("title", "")), TITLE_LIMIT),
            ("description", len(embed.get("description", "")), DESCRIPTION_LIMIT),
            ("fields", len(embed.get("fields", [])), FIELD_COUNT_LIMIT),
            ("footer", len(embed.get("footer", {}).get("text", "")), FOOTER_LIMIT),
        )
        problems += [f"embed {i} {name} {n} > {lim}" for name, n, lim in checks if n > lim]
        for f in embed.get("fields", []):
            if len(f.get("name", "")) > FIELD_NAME_LIMIT:
                problems.append(f"embed {i} field name > {FIELD_NAME_LIMIT}")
            if len(f.get("value", "")) > FIELD_VALUE_LIMIT:
                problems.append(f"embed {i} field value > {FIELD_VALUE_LIMIT}")
        total += embed_size(embed)
    if total > MESSAGE_EMBED_TOTAL:
        problems.append(f"embeds total {total} > {MESSAGE_EMBED_TOTAL}")
    return problems
