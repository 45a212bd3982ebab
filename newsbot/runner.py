"""Process entry points: the long-running bot (Discord or console) and the offline demo."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from dataclasses import replace
from pathlib import Path

from newsbot.app import Newsbot, now_utc
from newsbot.config import Config
from newsbot.outbox import deliver_pending
from newsbot.poll import open_fetcher, poll_due
from newsbot.scheduler import BotSchedule, make_digest

log = logging.getLogger(__name__)


def print_pending(bot: Newsbot) -> int:
    """Console delivery: print each pending outbox message to stdout, then mark it sent."""

    def show(row) -> None:
        print(row.payload["text"] + "\n", flush=True)

    with bot.store.session() as session:
        return deliver_pending(session, show, now=now_utc())


async def run_console(bot: Newsbot) -> None:
    """Poll and print digests until SIGINT/SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with open_fetcher(bot.config) as fetcher:
        schedule = BotSchedule(bot, fetcher, lambda: asyncio.to_thread(print_pending, bot))
        schedule.start()
        feeds = bot.counts()["feeds"]
        print(
            f"newsbot console mode: watching {feeds} feed(s), digests every "
            f"{bot.config['digest.interval_minutes']} min; Ctrl-C to stop",
            file=sys.stderr,
        )
        try:
            await stop.wait()
        finally:
            schedule.shutdown()
    print("newsbot stopped; undelivered digests stay in the outbox", file=sys.stderr)


async def run_bot(bot: Newsbot) -> None:
    bot.sync_config_feeds()
    if bot.config.console_mode:
        await run_console(bot)
        return
    from newsbot.bot.client import run_discord

    await run_discord(bot)


def run_demo(config: Config, tmp: Path) -> None:
    """Init a temporary store, poll the bundled feeds once, print the digest."""
    values = dict(
        config.values,
        **{
            "data_dir": str(tmp),
            "database.url": "",
            "discord.token": "",
            "discord.webhook_url": "",
        },
    )
    demo_config = replace(config, values=values)
    if config.source is None or not config.feeds:
        from newsbot.config import default_feeds

        demo_config = replace(demo_config, feeds=default_feeds())
    bot = Newsbot(demo_config)
    try:
        report = bot.init()
        print(
            f"demo store {bot.store.safe_url}: {report.seeds_added} seed articles, "
            f"{len(demo_config.feeds)} demo feeds",
            file=sys.stderr,
        )

        async def poll_once() -> list:
            async with open_fetcher(bot.config) as fetcher:
                return await poll_due(bot, fetcher)

        for result in asyncio.run(poll_once()):
            print(
                f"polled {Path(result.url).name}: {result.status}, {result.new} new entries"
                + (f" ({result.error})" if result.error else ""),
                file=sys.stderr,
            )
        make_digest(bot)
        print_pending(bot)
    finally:
        bot.close()
