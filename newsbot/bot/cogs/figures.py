"""``!figures [subject]``: the figures on record for one subject, as a table and a chart."""

from __future__ import annotations

from discord.ext import commands
from sqlalchemy import select

from newsbot import models
from newsbot.bot.chart import timeline_png
from newsbot.bot.cogs.base import NewsbotCog, send_embeds
from newsbot.bot.embeds import COLOURS, safe, text_embeds
from newsbot.bot.timeline import TimelinePoint, choose_subject, summary, table_lines
from newsbot.types import Status


def load_points(store, query: str | None) -> tuple[str | None, list[TimelinePoint], list[str]]:
    """The subject ``query`` names (or the one with most figures), its points, other matches."""
    with store.session() as session:
        subjects = list(session.scalars(select(models.FigureRow.subject)))
        choice = choose_subject(subjects, query)
        if choice.subject is None:
            return None, [], []
        rows = session.execute(
            select(models.FigureRow, models.Item)
            .join(models.Item, models.FigureRow.item_id == models.Item.id)
            .where(models.FigureRow.subject == choice.subject)
        ).all()
        points = [
            TimelinePoint(
                subject=fig.subject,
                value=fig.value,
                low=fig.low,
                high=fig.high,
                unit=fig.unit,
                qualifier=fig.qualifier,
                claimant=fig.claimant,
                source=item.source or item.entry_id,
                date=(fig.as_of or item.published) if item.feed_id is not None else None,
                status=Status(fig.status) if fig.status else None,
            )
            for fig, item in rows
        ]
        return choice.subject, points, list(choice.others)


class FiguresCog(NewsbotCog, name="Figures"):
    """The figure timeline."""

    @commands.hybrid_command(name="figures")
    async def figures(self, ctx: commands.Context, *, subject: str | None = None) -> None:
        """The figures on record by source and date, with a timeline chart."""
        found, points, others = await self.blocking(load_points, self.newsbot.store, subject)
        if found is None:
            asked = f" matching “{safe(subject, 100)}”" if subject else ""
            await ctx.send(f"No figures on record{asked}.")
            return
        png = await self.blocking(timeline_png, points, found)
        lines = [summary(points), *table_lines(points)]
        if others:
            lines.append("Other subjects: " + ", ".join(safe(o, 80) for o in others[:10]))
        conflict = any(p.conflict for p in points)
        colour = COLOURS[Status.CONFLICT if conflict else Status.KNOWN]
        embeds = text_embeds(f"Figures: {safe(found, 200)}", lines, colour=colour)
        embeds[0]["image"] = {"url": "attachment://figures.png"}
        await send_embeds(ctx, embeds, png=png, png_name="figures.png")
