"""Compare a text, a web page or a stored item with the corpus (``newsbot compare``,
``!compare``).

The input becomes a title and a text (a stored item by its id or link, a web page fetched
through the guarded fetcher, or the text as given); the matcher ranks the stored stories, and
the figure extractor and classifier judge the text's figures against the record. Nothing is
stored. Each figure comes with the corpus's figures for the same subject, so agreement and
contradiction can be read off one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import or_, select

from newsbot import models
from newsbot.app import FeedCommandError, Newsbot, now_utc
from newsbot.digest import date_text, figure_text, finding_text
from newsbot.feeds.fetch import Fetcher
from newsbot.feeds.text import html_to_text
from newsbot.figures.classify import classify
from newsbot.figures.extract import extract_figures
from newsbot.pipeline import FigureRecord
from newsbot.types import Finding, MatchResult, RecordedFigure

MAX_TEXT = 100_000  # characters of a page or message that are compared
ON_RECORD_SHOWN = 6
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Query:
    """What is compared: a title and a text, and where they came from."""

    title: str
    text: str
    label: str
    date: datetime | None = None
    own_id: str | None = None  # a stored item's entry_id: left out of its own comparison


@dataclass(frozen=True)
class Comparison:
    result: MatchResult
    findings: list[tuple[Finding, list[RecordedFigure]]]


def stored_query(newsbot: Newsbot, ref: str) -> Query | None:
    """A stored item named by its entry id (seed file name, guid) or its link."""
    with newsbot.store.session() as session:
        row = session.scalars(
            select(models.Item)
            .where(or_(models.Item.entry_id == ref, models.Item.link == ref))
            .order_by(models.Item.id)
            .limit(1)
        ).first()
        if row is None:
            return None
        label = f"stored item {row.entry_id}"
        return Query(row.title, row.text, label, row.published, row.entry_id)


def text_query(text: str) -> Query:
    """Free text: its first line (or sentence) is the title."""
    text = text.strip()[:MAX_TEXT]
    first = text.splitlines()[0] if text else ""
    title = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0][:300]
    return Query(title, text, "the text given")


def page_query(url: str, content: bytes) -> Query:
    markup = content.decode("utf-8", errors="replace")
    match = _TITLE_TAG.search(markup)
    title = html_to_text(match.group(1)) if match else ""
    text = html_to_text(markup)[:MAX_TEXT]
    return Query(title or text[:200], text, url)


def compare(newsbot: Newsbot, query: Query) -> Comparison:
    """Matches and judged figures for ``query``; reads the store, writes nothing."""
    result = newsbot.matcher.match(query.title, query.text, limit=6)
    matches = tuple(m for m in result.matches if m.story_id != query.own_id)[:5]
    result = MatchResult(result.relevant, result.relevance, matches, result.duplicate_of)
    figures = extract_figures(f"{query.title}\n{query.text}")
    date = query.date or now_utc()
    judged = []
    with newsbot.store.session() as session:
        record = FigureRecord(session)
        for fig in figures:
            on_record = [r for r in record.get(fig.subject) if r.item_id != query.own_id]
            judged.append((classify(fig, on_record, date=date, window=newsbot.window), on_record))
    return Comparison(result, judged)


async def fetch_page(newsbot: Newsbot, fetcher: Fetcher, url: str) -> Query:
    """A web page through the guarded fetcher (http/https only), as a query."""
    from newsbot.poll import fetch

    if urlsplit(url).scheme not in ("http", "https"):
        raise FeedCommandError(f"only http(s) pages can be compared, not {url!r}")
    result = await fetch(newsbot, fetcher, url)
    if result.status != "ok":
        raise FeedCommandError(f"cannot fetch {url}: {result.error or result.status}")
    return page_query(result.url, result.content)


def ordered_record(
    finding: Finding, others: list[RecordedFigure]
) -> list[tuple[str, RecordedFigure]]:
    """The corpus's figures for a subject, marked and ordered: contradicted (≠) first, then
    agreeing (≈), then the rest; newest first within each."""
    mark = {r: "≈ " for r in finding.related}
    mark.update({r: "≠ " for r in finding.conflicts_with})
    latest = sorted(others, key=lambda r: (r.date is not None, r.date or 0), reverse=True)
    ordered = sorted(latest, key=lambda r: {"≠ ": 0, "≈ ": 1}.get(mark.get(r, ""), 2))
    return [(mark.get(r, ""), r) for r in ordered]


def render_text(query: Query, comparison: Comparison, *, shown: int = 6) -> str:
    """Plain-text comparison for the command line."""
    res = comparison.result
    verdict = "on the story" if res.relevant else "off the story"
    lines = [
        f"{query.title}",
        f"relevance {res.relevance:.2f} ({verdict}); compared: {query.label}",
    ]
    lines += [f"  {m.score:5.1f}  {m.title}  [{m.story_id}]" for m in res.matches] or [
        "  no stored story is close"
    ]
    lines.append("figures:" if comparison.findings else "no figures found in this text")
    for finding, others in comparison.findings:
        lines.append(f"  {finding_text(finding)}")
        if not others:
            lines.append("      on record: nothing for this subject yet")
        for mark, other in ordered_record(finding, others)[:shown]:
            who = other.figure.claimant or "unattributed"
            lines.append(
                f"      {mark or '  '}{figure_text(other.figure)} ({who}, "
                f"{date_text(other.date)}, {other.item_id})"
            )
        if len(others) > shown:
            lines.append(f"      … and {len(others) - shown} more")
    return "\n".join(lines)
