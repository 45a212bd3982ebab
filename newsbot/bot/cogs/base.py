"""What every cog shares: the manager check, replies in embeds, and one error handler.

Errors are answered by class, never by message text (discord.py's split by who is at
fault): wrong arguments get the command's usage line, a refused check says what is needed,
a ``FeedCommandError`` (unknown feed, bad URL, duplicate) is shown as it is, and anything
else is logged with its traceback while the user gets one short line.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from newsbot.app import FeedCommandError
from newsbot.bot.embeds import pack, safe
from newsbot.store import StoreError

if TYPE_CHECKING:
    from newsbot.bot.client import NewsbotBot

log = logging.getLogger(__name__)
T = TypeVar("T")


class NotManager(commands.CheckFailure):
    """The author may read but not change the bot's configuration."""


def manager_role(ctx: commands.Context) -> str:
    return ctx.bot.newsbot.config["discord.manager_role"]


def is_manager(member: discord.abc.User, role: str) -> bool:
    """Manage Server, or the configured role."""
    if not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild:
        return True
    return bool(role) and any(r.name == role for r in member.roles)


def manager_only() -> Callable[[T], T]:
    """Check for commands that change what the bot does (feeds, posting a digest)."""

    async def predicate(ctx: commands.Context) -> bool:
        if ctx.guild is None:
            raise commands.NoPrivateMessage("This command works in a server channel only.")
        role = manager_role(ctx)
        if is_manager(ctx.author, role):
            return True
        needs = "the Manage Server permission"
        if role:
            needs += f" or the “{safe(role, 100)}” role"
        raise NotManager(f"Only members with {needs} can do that; everyone may read.")

    predicate.managers_only = True  # type: ignore[attr-defined]  # read by !help
    return commands.check(predicate)


def display_prefix(ctx: commands.Context) -> str:
    """The prefix as typed ("!"), a mention shown as @name; "/" for slash commands."""
    if ctx.interaction is not None:
        return "/"
    if ctx.me is None:  # the guild's member list does not hold the bot (yet)
        return ctx.prefix or ""
    return ctx.clean_prefix


def group_usage(ctx: commands.Context, group: commands.Group) -> str:
    """For a group called without (or with an unknown) subcommand: what it takes."""
    prefix = display_prefix(ctx)
    names = "|".join(sorted(c.name for c in group.commands))
    return f"Usage: `{prefix}{group.qualified_name} <{names}> …` — see `{prefix}help {group.name}`."


def usage(ctx: commands.Context) -> str:
    command = ctx.command
    if command is None:
        return ""
    prefix = display_prefix(ctx)
    text = f"{prefix}{command.qualified_name}"
    if command.signature:
        text += f" {command.signature}"
    line = f"Usage: `{text}`"
    doc = (command.short_doc or "").strip()
    return f"{line} — {doc}" if doc else line


def error_reply(ctx: commands.Context, error: Exception) -> str | None:
    """The one line a user sees for ``error``; None when nothing should be said."""
    if isinstance(error, commands.HybridCommandError | commands.CommandInvokeError):
        original = error.original
        if isinstance(original, commands.CommandInvokeError | app_commands.CommandInvokeError):
            original = original.original
        if isinstance(original, FeedCommandError):
            return safe(str(original), 1500)
        if isinstance(original, StoreError):
            log.error("store error in %s: %s", ctx.command, original)
            return "The database is not reachable right now; try again in a minute."
        log.error("command %s failed", ctx.command, exc_info=original)
        return "Something went wrong; the error was logged for the operators."
    if isinstance(error, commands.UserInputError):
        detail = error.args[0] if error.args and isinstance(error, commands.BadArgument) else ""
        line = usage(ctx)
        return f"{safe(detail, 300)}\n{line}" if detail else line
    if isinstance(error, commands.CheckFailure):
        return str(error) or "You cannot use this command here."
    if isinstance(error, commands.CommandNotFound):
        return None
    log.error("command %s: %r", ctx.command, error)
    return "That did not work; the error was logged for the operators."


class NewsbotCog(commands.Cog):
    """Base of the bot's cogs: access to the Newsbot core and a shared error handler."""

    def __init__(self, bot: NewsbotBot) -> None:
        self.bot = bot

    @property
    def newsbot(self):
        return self.bot.newsbot

    async def blocking(self, fn: Callable[..., T], *args: Any) -> T:
        """Store and CPU work off the event loop."""
        return await asyncio.to_thread(fn, *args)

    async def cog_command_error(self, ctx: commands.Context, error: Exception) -> None:
        try:
            text = error_reply(ctx, error)
            if text:
                await ctx.send(
                    text, allowed_mentions=discord.AllowedMentions.none(), ephemeral=True
                )
        except Exception:  # the error handler must never be a second source of errors
            log.exception("could not answer the error of %s (%r)", ctx.command, error)


async def send_embeds(
    ctx: commands.Context,
    embeds: Sequence[dict[str, Any]],
    *,
    content: str | None = None,
    png: bytes | None = None,
    png_name: str = "chart.png",
) -> None:
    """Reply with embeds packed into as many messages as the limits need."""
    groups = pack(embeds) or [[]]
    for i, group in enumerate(groups):
        kwargs: dict[str, Any] = {"allowed_mentions": discord.AllowedMentions.none()}
        if group:
            kwargs["embeds"] = [discord.Embed.from_dict(e) for e in group]
        if i == 0 and content:
            kwargs["content"] = content
        if i == 0 and png is not None:
            kwargs["file"] = discord.File(io.BytesIO(png), filename=png_name)
        await ctx.send(**kwargs)
