"""The Discord side of the bot process: commands, the schedule, delivery through the outbox.

``run_discord`` logs in (REST base URL from ``discord.api_base``), loads the cogs, syncs the
slash twins, and runs the poll/digest schedule whose digests the outbox sender posts. It
asks for the message-content intent so ``!`` commands work; if the application does not
have it, it starts again without it (slash commands and mentions still work). With only a
webhook URL configured there is no login at all: polls and digests run and the sender
posts through the webhook.

SIGTERM/SIGINT: no new jobs start, the sender finishes the message in flight (up to a grace
period) and stops; whatever was not posted stays in the outbox for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable

import discord
from discord.ext import commands

from newsbot.app import Newsbot
from newsbot.bot.cogs import COGS
from newsbot.bot.cogs.base import error_reply
from newsbot.bot.delivery import Sender
from newsbot.bot.transport import RestTransport, WebhookTransport, set_api_base, webhook_routes
from newsbot.feeds.fetch import Fetcher
from newsbot.poll import open_fetcher
from newsbot.scheduler import BotSchedule

log = logging.getLogger(__name__)

SHUTDOWN_GRACE = 10.0  # seconds the message in flight may take after SIGTERM
DELIVER_EVERY = 30.0  # seconds between outbox passes (retries, notices) besides digests


def bot_intents(message_content: bool) -> discord.Intents:
    intents = discord.Intents.default()
    intents.message_content = message_content
    return intents


class NewsbotBot(commands.Bot):
    """The bot: hybrid commands over one ``Newsbot``, and the outbox sender."""

    def __init__(
        self,
        newsbot: Newsbot,
        *,
        fetcher: Fetcher | None = None,
        intents: discord.Intents | None = None,
        schedule: bool = True,
        sync_commands: bool = True,
    ) -> None:
        prefix = newsbot.config["discord.command_prefix"] or "!"
        super().__init__(
            command_prefix=commands.when_mentioned_or(prefix),
            intents=intents or bot_intents(True),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            case_insensitive=True,
            chunk_guilds_at_startup=False,
        )
        self.newsbot, self.fetcher = newsbot, fetcher
        self.sender: Sender | None = None
        self.schedule: BotSchedule | None = None
        self._with_schedule, self._sync_commands = schedule, sync_commands

    async def setup_hook(self) -> None:
        for cog in COGS:
            await self.add_cog(cog(self))
        cfg = self.newsbot.config
        self.sender = Sender(
            self.newsbot.store,
            RestTransport(self.http, self.user.id),
            channel_id=cfg["discord.channel_id"],
            admin_channel_id=cfg["discord.admin_channel_id"],
        )
        if self._sync_commands:
            try:
                synced = await self.tree.sync()
                log.info("slash commands synced: %s", ", ".join(c.name for c in synced))
            except discord.HTTPException as exc:
                log.warning("could not sync slash commands (prefix commands still work): %s", exc)

    async def on_ready(self) -> None:
        """Start polls and digests once connected (a refused intent never gets this far)."""
        if self._with_schedule and self.fetcher is not None and self.schedule is None:
            self.schedule = BotSchedule(
                self.newsbot, self.fetcher, self.sender.deliver, deliver_every=DELIVER_EVERY
            )
            self.schedule.start()
            log.info("connected as %s; polling and digests scheduled", self.user)

    async def on_command_error(self, ctx: commands.Context, error: Exception) -> None:
        """Errors no cog answered (unknown commands are ignored: other bots share ``!``)."""
        if ctx.cog is not None and ctx.cog.has_error_handler():
            return
        text = error_reply(ctx, error)
        if text:
            await ctx.send(text, allowed_mentions=discord.AllowedMentions.none())

    async def shutdown(self, grace: float = SHUTDOWN_GRACE) -> None:
        """Stop scheduling, let the sender finish the part in flight, then disconnect."""
        if self.schedule is not None:
            self.schedule.shutdown()
        if self.sender is not None:
            self.sender.stop()
            if not await self.sender.wait_idle(grace):
                log.warning("a message was still in flight after %.0fs; left in the outbox", grace)
        await self.close()

    async def close(self) -> None:
        if self.schedule is not None:
            self.schedule.shutdown()
        await super().close()


def on_stop_signal(callback: Callable[[], None]) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, callback)


async def run_discord(newsbot: Newsbot) -> None:
    cfg = newsbot.config
    set_api_base(cfg["discord.api_base"])
    if not cfg.discord_token:
        await run_webhook(newsbot)
        return
    async with open_fetcher(cfg) as fetcher:
        message_content = True
        while True:
            bot = NewsbotBot(newsbot, fetcher=fetcher, intents=bot_intents(message_content))
            on_stop_signal(lambda bot=bot: asyncio.ensure_future(bot.shutdown()))
            try:
                async with bot:
                    await bot.start(cfg.discord_token)
            except discord.PrivilegedIntentsRequired:
                if not message_content:
                    raise
                log.warning(
                    "the Message Content intent is not enabled for this application: "
                    "`%s` commands answer only when the bot is mentioned; slash commands work",
                    cfg["discord.command_prefix"],
                )
                message_content = False
                continue
            return


async def run_webhook(newsbot: Newsbot) -> None:
    """No bot login: poll, digest and post through the configured webhook."""
    stop = asyncio.Event()
    on_stop_signal(stop.set)
    config = newsbot.config
    transport = WebhookTransport.open(config["discord.webhook_url"], webhook_routes(config))
    sender = Sender(
        newsbot.store,
        transport,
        channel_id=config["discord.channel_id"],
        admin_channel_id=config["discord.admin_channel_id"],
        require_channel=False,
    )
    try:
        async with open_fetcher(newsbot.config) as fetcher:
            schedule = BotSchedule(newsbot, fetcher, sender.deliver, deliver_every=DELIVER_EVERY)
            schedule.start()
            log.info("webhook mode: digests are posted through the webhook; no commands")
            await stop.wait()
            schedule.shutdown()
            sender.stop()
            await sender.wait_idle(SHUTDOWN_GRACE)
    finally:
        await transport.close()
