"""JSON Feed (https://jsonfeed.org, versions 1 and 1.1), which feedparser does not read.

Only the reading step lives here: bytes → :class:`JsonFeed` of plain fields. ``parse.py``
turns the entries into :class:`~newsbot.types.Item` with the same rules as RSS/Atom entries.
Real JSON feeds bend the spec (numeric ids, missing titles, naive dates), so every field is
read defensively and a bad entry is skipped rather than failing the document.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

VERSION_PREFIX = "https://jsonfeed.org/version/"


@dataclass(frozen=True, slots=True)
class JsonEntry:
    id: str | None
    title: str | None
    html: str | None  # content_html, else summary
    text: str | None  # content_text
    link: str | None  # absolute
    published: datetime | None
    language: str | None


@dataclass(frozen=True, slots=True)
class JsonFeed:
    title: str | None
    link: str | None
    language: str | None
    entries: list[JsonEntry]
    skipped: int  # entries that were not objects or could not be read


def looks_like_json(content: bytes) -> bool:
    """Cheap sniff: the document starts with ``{`` (after a BOM and whitespace)."""
    head = content[:64].removeprefix(codecs.BOM_UTF8).lstrip()
    return head.startswith(b"{")


def read_json_feed(content: bytes, *, url: str | None = None) -> JsonFeed | str:
    """The feed, or a message saying why this is not a readable JSON Feed."""
    try:
        document = json.loads(content.removeprefix(codecs.BOM_UTF8))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        return f"not valid JSON: {str(exc)[:200]}"
    if not isinstance(document, dict):
        return "JSON document is not a JSON Feed (top level is not an object)"
    version = document.get("version")
    if not isinstance(version, str) or not version.startswith(VERSION_PREFIX):
        return "JSON document is not a JSON Feed (no jsonfeed.org version)"
    raw_items = document.get("items")
    if not isinstance(raw_items, list):
        return "JSON Feed has no items list"
    base = _string(document.get("feed_url")) or url
    entries: list[JsonEntry] = []
    skipped = 0
    for raw in raw_items:
        entry = _entry(raw, base) if isinstance(raw, dict) else None
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    return JsonFeed(
        title=_string(document.get("title")),
        link=_url(document.get("home_page_url"), base),
        language=_string(document.get("language")),
        entries=entries,
        skipped=skipped,
    )


def _entry(raw: dict[str, Any], base: str | None) -> JsonEntry | None:
    raw_id = raw.get("id")
    entry_id = str(raw_id).strip() if isinstance(raw_id, str | int) else None
    try:
        return JsonEntry(
            id=entry_id or None,
            title=_string(raw.get("title")),
            html=_string(raw.get("content_html")) or _string(raw.get("summary")),
            text=_string(raw.get("content_text")),
            link=_url(raw.get("url"), base) or _url(raw.get("external_url"), base),
            published=_date(raw.get("date_published")) or _date(raw.get("date_modified")),
            language=_string(raw.get("language")),
        )
    except (TypeError, ValueError):
        return None


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _url(value: Any, base: str | None) -> str | None:
    text = _string(value)
    if text is None:
        return None
    try:
        return urljoin(base, text.strip()) if base else text.strip()
    except ValueError:
        return None


def _date(value: Any) -> datetime | None:
    """RFC 3339 as JSON Feed requires; a date without zone is taken as UTC."""
    text = _string(value)
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
