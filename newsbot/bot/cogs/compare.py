"""``!compare <text|url|item>``: best matches in the corpus and the figures side by side.

Thin over the core: the input becomes a title and a text (a stored item by its id or link,
a web page fetched through the guarded fetcher, or the text as given), the matcher ranks the
stored stories, the figure extractor and classifier judge the text's figures against the
record — nothing is stored. Each figure is shown with the corpus's figures for the same
subject, so agreement and contradiction can be read off one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from discord import app_commands
from discord.ext import commands
from sqlalchemy import or_, select

from newsbot import models
from newsbot.app import FeedCommandError, Newsbot, now_utc
from newsbot.bot.cogs.base import NewsbotCog, send_embeds
from newsbot.bot.embeds import finding_lines, safe, text_embeds
from newsbot.digest import date_text, figure_text
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


def on_record_line(finding: Finding, others: list[RecordedFigure]) -> str:
    """The corpus's figures for the same subject: contradicted (≠) first, then agreeing (≈)."""
    if not others:
        return "  on record: nothing for this subject yet"
    mark = {r: "≈ " for r in finding.related}
    mark.update({r: "≠ " for r in finding.conflicts_with})
    latest = sorted(others, key=lambda r: (r.date is not None, r.date or 0), reverse=True)
    ordered = sorted(latest, key=lambda r: {"≠ ": 0, "≈ ": 1}.get(mark.get(r, ""), 2))
    shown = [
        f"{mark.get(r, '')}{safe(figure_text(r.figure), 80)} "
        f"({safe(r.figure.claimant or 'unattributed', 60)}, {date_text(r.date)})"
        for r in ordered[:ON_RECORD_SHOWN]
    ]
    more = f" and {len(others) - ON_RECORD_SHOWN} more" if len(others) > ON_RECORD_SHOWN else ""
    return "  on record: " + "; ".join(shown) + more


def reply_lines(query: Query, comparison: Comparison) -> tuple[list[str], list[str]]:
    res = comparison.result
    verdict = "on the story" if res.relevant else "off the story"
    matches = [f"Relevance {res.relevance:.2f} ({verdict}), compared: {safe(query.label, 200)}"]
    matches += [
        f"**{m.score:.0f}** “{safe(m.title, 150)}” `{safe(m.story_id, 80)}`" for m in res.matches
    ] or ["no stored story is close"]
    figures: list[str] = []
    for finding, others in comparison.findings:
        figures.append("\n".join([*finding_lines(finding), on_record_line(finding, others)]))
    return matches, figures or ["no figures found in this text"]


class CompareCog(NewsbotCog, name="Compare"):
    """Compare a text with the corpus."""

    @commands.hybrid_command(name="compare")
    @app_commands.describe(query="Text, an article URL, or a stored item's id or link")
    async def compare(self, ctx: commands.Context, *, query: str) -> None:
        """Best matches in the corpus and the figures side by side."""
        query = query.strip().strip("<>")
        found = await self.blocking(stored_query, self.newsbot, query)
        if found is None and urlsplit(query).scheme in ("http", "https") and " " not in query:
            found = await self.fetch_page(query)
        found = found or text_query(query)
        if ctx.interaction is not None:
            await ctx.defer()
        comparison = await self.blocking(compare, self.newsbot, found)
        matches, figures = reply_lines(found, comparison)
        title = f"Compare: {safe(found.title, 200) or 'text'}"
        await send_embeds(ctx, text_embeds(title, matches) + text_embeds("Figures", figures))

    async def fetch_page(self, url: str) -> Query:
        fetcher = self.bot.fetcher
        if fetcher is None:
            raise FeedCommandError("fetching pages is not available here; paste the text instead")
        cfg = self.newsbot.config
        result = await fetcher.fetch(
            url,
            max_bytes=cfg["polling.max_bytes"],
            allow_private=cfg["polling.allow_private"],
            timeout=cfg["polling.timeout_seconds"],
        )
        if result.status != "ok":
            raise FeedCommandError(f"cannot fetch {url}: {result.error or result.status}")
        return await self.blocking(page_query, result.url, result.content)
