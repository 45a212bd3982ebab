"""``!digest now``: write the pending findings as a digest and post it at once.

The digest goes through the outbox like the scheduled one (same row, same sender), so a
digest asked for by hand is never posted twice or lost either; the reply says what became
of that very row.
"""

from __future__ import annotations

from discord.ext import commands

from newsbot import models
from newsbot.app import Newsbot, now_utc
from newsbot.bot.cogs.base import NewsbotCog, group_usage, manager_only
from newsbot.outbox import queue_digest


def queue_now(newsbot: Newsbot) -> tuple[int | None, int]:
    """Queue pending findings as one digest row: (its id or None, how many items)."""
    with newsbot.store.session() as session:
        entries = newsbot.pending_entries(session)
        row = queue_digest(session, entries, now=now_utc())
        return (row.id if row else None), len(entries)


def row_state(newsbot: Newsbot, row_id: int) -> tuple[str, str | None]:
    with newsbot.store.session() as session:
        row = session.get(models.Outbox, row_id)
        return row.state, row.last_error


class DigestCog(NewsbotCog, name="Digest"):
    """Digests on demand."""

    @commands.hybrid_group(name="digest", invoke_without_command=True)
    async def digest(self, ctx: commands.Context) -> None:
        """Digests: `digest now` posts what is pending right away."""
        await ctx.send(group_usage(ctx, self.digest))

    @digest.command(name="now")
    @manager_only()
    async def now(self, ctx: commands.Context) -> None:
        """Post the pending findings as a digest now."""
        row_id, items = await self.blocking(queue_now, self.newsbot)
        await self.bot.sender.deliver_due()
        if row_id is None:
            await ctx.send("Nothing new since the last digest.")
            return
        state, error = await self.blocking(row_state, self.newsbot, row_id)
        what = f"a digest of {items} item{'s' if items != 1 else ''}"
        channel = self.newsbot.config["discord.channel_id"]
        if state == models.OutboxState.SENT:
            await ctx.send(f"Posted {what} to <#{channel}>.")
        elif state == models.OutboxState.FAILED:
            await ctx.send(f"Could not post {what}: {error}. The admin channel has the details.")
        else:
            why = f" ({error})" if error else " behind messages still waiting"
            await ctx.send(f"Queued {what}; it could not be posted yet{why} and will be retried.")
