"""Feed bytes → :class:`~newsbot.types.Item` list, via feedparser (JSON Feed via ``jsonfeed``).

The bytes and the response headers go in, never a URL to fetch: a file on disk and a live
response run the same code, and feedparser can resolve encodings (``Content-Type`` charset) and
relative links (``Content-Location``) from the headers.

Choices made here (the pipeline relies on them):

- ``link`` = the entry link made absolute and canonical (tracking parameters dropped).
- ``entry_id`` = guid, else canonical link, else :func:`~newsbot.feeds.dedup.content_hash`.
  A guid longer than ``MAX_ID_LENGTH`` is replaced by ``"sha256:" + its hash`` so it fits a
  database column.
- ``text`` = the entry's content if it has any, else its summary, HTML reduced to visible text
  with paragraph breaks kept as ``\\n`` (the longer body gives the figure extractor more).
- ``title`` = the entry title as plain text; an untitled entry takes the first
  ``UNTITLED_PREFIX`` characters of its text (so matching has something to work on).
- ``published`` = published, else updated, else created date, as aware UTC.
- ``language`` = the entry's ``xml:lang``, else the feed's ``<language>``/``xml:lang``, else the
  ``Content-Language`` header, reduced to its primary subtag ("de-AT" → "de").
- ``source`` = the ``source`` argument (the configured feed name), else the feed title, else
  the host of ``url``.
- Order: dated entries oldest first; entries without a date come after them. Ties and undated
  entries are in *reverse* document order, because feeds conventionally list newest first.
- ``error``: feedparser's "bozo" problem as ``"<kind>: <message>"``; a document that is not a
  feed at all (an HTML page, garbage) has ``items == []`` and ``error`` set. Entries a bozo feed
  still yields are kept. A missing or non-XML ``Content-Type`` alone is not an error (common on
  the real web and harmless when the body parses). An entry that cannot be converted is
  skipped and counted in ``error``.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from newsbot.feeds.dedup import canonical_link, content_hash
from newsbot.feeds.jsonfeed import looks_like_json, read_json_feed
from newsbot.feeds.text import html_to_text, normalise_space
from newsbot.types import Item

MAX_ID_LENGTH = 512
UNTITLED_PREFIX = 120
_LANG = re.compile(r"[a-z]{2,3}")


@dataclass(slots=True)
class ParsedFeed:
    """One parsed document. ``items`` may be non-empty while ``error`` records a problem."""

    title: str | None
    items: list[Item]
    error: str | None
    version: str | None = None  # "rss20", "atom10", … (feedparser's names), "json1"; None = no feed
    ttl: timedelta | None = None  # RSS <ttl>: how long the publisher asks clients to wait
    link: str | None = None  # the site the feed belongs to


def parse_feed(
    content: bytes,
    *,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    source: str | None = None,
) -> ParsedFeed:
    """Parse one fetched document. Never raises: problems end up in ``ParsedFeed.error``."""
    if isinstance(content, str):  # a caller bug, but still no crash
        content = content.encode("utf-8")
    content = bytes(content)
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    header_lang = _language(response_headers.get("content-language"))
    if looks_like_json(content):
        return _parse_json(content, url=url, header_lang=header_lang, source=source)
    if url:
        location = response_headers.get("content-location")
        response_headers["content-location"] = urljoin(url, location) if location else url
    try:
        # BytesIO, never raw bytes/str: feedparser treats a string as a path or URL to open.
        parsed = feedparser.parse(io.BytesIO(content), response_headers=response_headers)
    except Exception as exc:  # feedparser bug on hostile input: record it, do not crash a poll
        return ParsedFeed(None, [], f"feed could not be parsed: {_describe(exc)}")

    feed = parsed.get("feed") or {}
    version = parsed.get("version") or None
    feed_title = _clean_title(feed.get("title_detail"), feed.get("title")) or None
    feed_lang = _language(feed.get("language")) or header_lang
    name = source or feed_title or (urlsplit(url).hostname if url else None)

    problems: list[str] = []
    bozo = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if parsed.get("bozo") and not isinstance(bozo, feedparser.NonXMLContentType):
        problems.append(_describe(bozo))

    items: list[Item] = []
    skipped = 0
    for entry in parsed.get("entries") or ():
        try:
            items.append(_to_item(entry, feed_lang=feed_lang, source=name))
        except Exception:  # one bad entry must not cost the rest of the feed
            skipped += 1
    if not items and version is None:
        problems.append("not an RSS/Atom feed" + _looks_like(content))
    return ParsedFeed(
        title=feed_title,
        items=oldest_first(items),
        error=_join(problems, skipped),
        version=version,
        ttl=_ttl(feed.get("ttl")),
        link=feed.get("link") or None,
    )


def oldest_first(items: list[Item]) -> list[Item]:
    """Dated items by date; undated ones after them; ties and undated in reverse feed order."""
    ranked = [
        (item.published is None, item.published.timestamp() if item.published else 0.0, -i, item)
        for i, item in enumerate(items)
    ]
    ranked.sort(key=lambda row: row[:3])
    return [row[3] for row in ranked]


def _join(problems: list[str], skipped: int) -> str | None:
    if skipped:
        problems = [
            *problems,
            f"{skipped} entr{'y' if skipped == 1 else 'ies'} skipped (unreadable)",
        ]
    return "; ".join(dict.fromkeys(p for p in problems if p)) or None


def _parse_json(
    content: bytes, *, url: str | None, header_lang: str | None, source: str | None
) -> ParsedFeed:
    document = read_json_feed(content, url=url)
    if isinstance(document, str):
        return ParsedFeed(None, [], document)
    feed_title = " ".join((document.title or "").split()) or None
    feed_lang = _language(document.language) or header_lang
    name = source or feed_title or (urlsplit(url).hostname if url else None)
    items: list[Item] = []
    skipped = document.skipped
    for entry in document.entries:
        try:
            text = html_to_text(entry.html) if entry.html else normalise_space(entry.text or "")
            items.append(
                _make_item(
                    raw_id=entry.id,
                    title=" ".join((entry.title or "").split()),
                    text=text,
                    link=entry.link,
                    published=entry.published,
                    language=_language(entry.language) or feed_lang,
                    source=name,
                )
            )
        except Exception:  # same rule as for RSS/Atom entries
            skipped += 1
    return ParsedFeed(
        title=feed_title,
        items=oldest_first(items),
        error=_join([], skipped),
        version="json1",
        link=document.link,
    )


def _to_item(entry: Mapping[str, Any], *, feed_lang: str | None, source: str | None) -> Item:
    raw_id = entry.get("id")
    return _make_item(
        raw_id=raw_id if isinstance(raw_id, str) else None,
        title=_clean_title(entry.get("title_detail"), entry.get("title")),
        text=_body(entry),
        link=entry.get("link") if isinstance(entry.get("link"), str) else None,
        published=_date(entry),
        language=_entry_language(entry) or feed_lang,
        source=source,
    )


def _make_item(
    *,
    raw_id: str | None,
    title: str,
    text: str,
    link: str | None,
    published: datetime | None,
    language: str | None,
    source: str | None,
) -> Item:
    """The rules shared by every feed format (see the module docstring)."""
    if not title:
        title = text[:UNTITLED_PREFIX].split("\n", 1)[0].strip()
    link = canonical_link(link) if link and link.strip() else None
    entry_id = (raw_id or "").strip()
    if len(entry_id) > MAX_ID_LENGTH:
        entry_id = "sha256:" + hashlib.sha256(entry_id.encode("utf-8", "replace")).hexdigest()
    entry_id = entry_id or link or content_hash(title, published)
    return Item(
        entry_id=entry_id,
        title=title,
        text=text,
        link=link,
        published=published,
        language=language,
        source=source,
    )


def _clean_title(detail: Mapping[str, Any] | None, value: Any) -> str:
    if not isinstance(value, str):
        return ""
    if detail and "html" in str(detail.get("type", "")):
        return " ".join(html_to_text(value).split())
    return " ".join(value.split())


def _body(entry: Mapping[str, Any]) -> str:
    """Text of the first non-empty content block, else of the summary."""
    candidates = [*(entry.get("content") or ()), entry.get("summary_detail")]
    for detail in candidates:
        if not detail:
            continue
        value = detail.get("value") or ""
        if not isinstance(value, str) or not value.strip():
            continue
        kind = str(detail.get("type", ""))
        text = html_to_text(value) if "html" in kind else normalise_space(value)
        if text:
            return text
    summary = entry.get("summary")
    return html_to_text(summary) if isinstance(summary, str) else ""


def _date(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            try:  # feedparser's struct_time is UTC
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _language(value: Any) -> str | None:
    """Primary language subtag, lower case: "de-DE" / "DE_at" / "de" → "de"; junk → None."""
    if not isinstance(value, str):
        return None
    primary = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if _LANG.fullmatch(primary) else None


def _entry_language(entry: Mapping[str, Any]) -> str | None:
    for detail in (
        *(entry.get("content") or ()),
        entry.get("summary_detail"),
        entry.get("title_detail"),
    ):
        if detail and (lang := _language(detail.get("language"))):
            return lang
    return None


def _ttl(value: Any) -> timedelta | None:
    """RSS ``<ttl>`` is minutes; anything unparsable or absurd is ignored."""
    try:
        minutes = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return timedelta(minutes=minutes) if 0 < minutes <= 7 * 24 * 60 else None


def _describe(exc: object) -> str:
    if exc is None:
        return "malformed feed"
    message = normalise_space(str(exc)).removeprefix("<unknown>:") or "no details"
    return f"{type(exc).__name__}: {message[:300]}"


def _looks_like(content: bytes) -> str:
    head = bytes(content[:2048]).lstrip().lower()
    if not head:
        return " (empty document)"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return " (looks like an HTML page)"
    if head.startswith((b"\x1f\x8b", b"\x78")):
        return " (compressed data)"
    return ""
