"""``!compare <text|url|item>``: best matches in the corpus and the figures side by side.

Thin over the core: the input becomes a title and a text (a stored item by its id or link,
a web page fetched through the guarded fetcher, or the text as given), the matcher ranks the
stored stories, the figure extractor and classifier judge the text's figures against the
record — nothing is stored. Each figure is shown with the corpus's figures for the same
subject, so agreement and contradiction can be read off one line.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from discord import app_commands
from discord.ext import commands

from newsbot.app import FeedCommandError
from newsbot.bot.cogs.base import NewsbotCog, send_embeds
from newsbot.bot.embeds import finding_lines, safe, text_embeds
from newsbot.compare import (
    ON_RECORD_SHOWN,
    Comparison,
    Query,
    compare,
    fetch_page,
    ordered_record,
    stored_query,
    text_query,
)
from newsbot.digest import date_text, figure_text
from newsbot.types import Finding, RecordedFigure


def on_record_line(finding: Finding, others: list[RecordedFigure]) -> str:
    """The corpus's figures for the same subject: contradicted (≠) first, then agreeing (≈)."""
    if not others:
        return "  on record: nothing for this subject yet"
    shown = [
        f"{mark}{safe(figure_text(r.figure), 80)} "
        f"({safe(r.figure.claimant or 'unattributed', 60)}, {date_text(r.date)})"
        for mark, r in ordered_record(finding, others)[:ON_RECORD_SHOWN]
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
        return await fetch_page(self.newsbot, fetcher, url)
