"""``!digest now``: write the pending findings as a digest and post it at once.

The digest goes through the outbox like the scheduled one (same row, same sender), so a
digest asked for by hand is never posted twice or lost either.
"""

from __future__ import annotations

from discord.ext import commands

from newsbot.app import now_utc
from newsbot.bot.cogs.base import NewsbotCog, manager_only, usage
from newsbot.outbox import queue_digest


def queue_now(newsbot) -> int:
    """Queue pending findings as one digest row; returns how many items it holds."""
    with newsbot.store.session() as session:
        entries = newsbot.pending_entries(session)
        queue_digest(session, entries, now=now_utc())
        return len(entries)


class DigestCog(NewsbotCog, name="Digest"):
    """Digests on demand."""

    @commands.hybrid_group(name="digest", invoke_without_command=True)
    async def digest(self, ctx: commands.Context) -> None:
        """Digests: `digest now` posts what is pending right away."""
        await ctx.send(f"{usage(ctx)}now — post the pending findings as a digest now.")

    @digest.command(name="now")
    @manager_only()
    async def now(self, ctx: commands.Context) -> None:
        """Post the pending findings as a digest now."""
        items = await self.blocking(queue_now, self.newsbot)
        outcome = await self.bot.sender.deliver_due()
        channel = self.newsbot.config["discord.channel_id"]
        where = f"<#{channel}>" if channel else "the digest channel"
        if not items and not outcome.sent:
            await ctx.send("Nothing new since the last digest.")
        elif outcome.errors and not outcome.sent:
            await ctx.send(
                f"The digest is queued but could not be posted yet ({outcome.errors[0]}); "
                "it will be retried."
            )
        else:
            what = f"a digest of {items} item{'s' if items != 1 else ''}" if items else "a digest"
            await ctx.send(f"Posted {what} to {where}.")
