"""``!feeds`` and ``!feed add|remove|pause|resume``: the watched feeds, from Discord.

Reading is for everyone; changes need Manage Server or the configured role. The work is
``FeedCommands`` (the same as ``newsbot feeds`` on the command line); this cog only turns
its answers and its ``FeedCommandError``s into replies.
"""

from __future__ import annotations

from datetime import datetime

from discord import app_commands
from discord.ext import commands

from newsbot.app import FeedCommands, FeedView
from newsbot.bot.cogs.base import NewsbotCog, group_usage, manager_only, send_embeds
from newsbot.bot.embeds import safe, text_embeds, valid_link

STATE_MARK = {"active": "🟢 active", "backoff": "🟠 backing off", "paused": "⏸️ paused"}


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def link_text(url: str) -> str:
    """A feed URL shown whole and clickable, or escaped when it is not a plain http(s) link."""
    return valid_link(url) or safe(url, 300)


def feed_line(feed: FeedView) -> str:
    """One feed: name, URL, state, last fetch, last new item, errors (one atomic line)."""
    state = STATE_MARK.get(feed.state, feed.state)
    head = f"**{feed.id}. {safe(feed.name, 100)}** — {state}"
    health = (
        f"last fetch {when(feed.last_fetch_at)} · last new item {when(feed.last_new_item_at)}"
        f" · errors {feed.error_count}"
    )
    lines = [head, link_text(feed.url), health]
    why = feed.paused_reason or feed.last_error
    if why:
        lines.append(f"↳ {safe(why, 200)}")
    return "\n".join(lines)


def changed(verb: str, feed: FeedView) -> str:
    return f"{verb} feed {feed.id}: {safe(feed.name, 100)} <{link_text(feed.url)}>"


class FeedsCog(NewsbotCog, name="Feeds"):
    """Watched feeds."""

    @property
    def commands_(self) -> FeedCommands:
        return FeedCommands(self.newsbot)

    @commands.hybrid_command(name="feeds")
    async def feeds(self, ctx: commands.Context) -> None:
        """List the watched feeds with their health."""
        views = await self.blocking(self.commands_.list)
        if not views:
            await ctx.send("No feeds are watched. Add one with `!feed add <url> [name]`.")
            return
        title = f"Watched feeds ({len(views)})"
        await send_embeds(ctx, text_embeds(title, [feed_line(v) for v in views]))

    @commands.hybrid_group(name="feed", invoke_without_command=True)
    async def feed(self, ctx: commands.Context) -> None:
        """Change the watched feeds: add, remove, pause, resume."""
        await ctx.send(group_usage(ctx, self.feed))

    @feed.command(name="add")
    @manager_only()
    @app_commands.describe(url="The feed's http(s) address", name="A short name for the feed")
    async def add(self, ctx: commands.Context, url: str, *, name: str | None = None) -> None:
        """Watch the feed at URL, optionally under NAME."""
        view = await self.blocking(self.commands_.add, url, name)
        await ctx.send(changed("Watching", view) + ". Its first poll only records what is there.")

    @feed.command(name="remove")
    @manager_only()
    @app_commands.describe(feed="Feed number, URL or name (see /feeds)")
    async def remove(self, ctx: commands.Context, *, feed: str) -> None:
        """Stop watching a feed (what it brought stays on record)."""
        view = await self.blocking(self.commands_.remove, feed)
        await ctx.send(changed("Removed", view))

    @feed.command(name="pause")
    @manager_only()
    @app_commands.describe(feed="Feed number, URL or name (see /feeds)")
    async def pause(self, ctx: commands.Context, *, feed: str) -> None:
        """Stop polling a feed until it is resumed."""
        view = await self.blocking(
            self.commands_.pause, feed, f"paused by {ctx.author.display_name}"
        )
        await ctx.send(changed("Paused", view))

    @feed.command(name="resume")
    @manager_only()
    @app_commands.describe(feed="Feed number, URL or name (see /feeds)")
    async def resume(self, ctx: commands.Context, *, feed: str) -> None:
        """Poll a paused feed again."""
        view = await self.blocking(self.commands_.resume, feed)
        await ctx.send(changed("Resumed", view))
