"""The Discord connection: log in, run the schedule, post outbox messages to the channel."""

from __future__ import annotations

import asyncio
import logging

import discord

from newsbot import models
from newsbot.app import Newsbot, now_utc
from newsbot.feeds.fetch import Fetcher
from newsbot.outbox import pending
from newsbot.poll import open_fetcher
from newsbot.scheduler import BotSchedule

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 2000


def chunks(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split on line breaks so no line (figure, link) is cut; a single over-long line is
    split hard as a last resort."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines():
        while len(line) > limit:
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


class NewsbotClient(discord.Client):
    def __init__(self, bot: Newsbot, fetcher: Fetcher) -> None:
        super().__init__(
            intents=discord.Intents.default(), allowed_mentions=discord.AllowedMentions.none()
        )
        self.bot = bot
        self.schedule = BotSchedule(bot, fetcher, self.deliver)

    async def setup_hook(self) -> None:
        self.schedule.start()

    async def deliver(self) -> int:
        channel_id = self.bot.config["discord.channel_id"]
        await self.wait_until_ready()
        channel = self.get_channel(channel_id) or await self.fetch_channel(channel_id)
        rows = await asyncio.to_thread(self._pending)
        sent = 0
        for row_id, text in rows:
            for part in chunks(discord.utils.escape_mentions(text)):
                await channel.send(part, allowed_mentions=discord.AllowedMentions.none())
            await asyncio.to_thread(self._mark_sent, row_id)
            sent += 1
        return sent

    def _pending(self) -> list[tuple[int, str]]:
        with self.bot.store.session() as session:
            return [(row.id, row.payload["text"]) for row in pending(session)]

    def _mark_sent(self, row_id: int) -> None:
        with self.bot.store.session() as session:
            row = session.get(models.Outbox, row_id)
            row.state, row.sent_at = models.OutboxState.SENT, now_utc()
            row.attempts += 1

    async def close(self) -> None:
        self.schedule.shutdown()
        await super().close()


async def run_discord(bot: Newsbot) -> None:
    base = bot.config["discord.api_base"]
    if base:
        discord.http.Route.BASE = base.rstrip("/")
    async with open_fetcher(bot.config) as fetcher, NewsbotClient(bot, fetcher) as client:
        await client.start(bot.config.discord_token)
