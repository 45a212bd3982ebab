"""The bot process without a gateway: its schedule polls, digests and posts; shutdown is clean.

The bot logs in against the fake Discord server and, when told it is ready (as the gateway
would), starts its APScheduler jobs as in production. The bundled demo feeds (local files)
are the watched feeds, so the first poll finds items and the first digest goes out through
the outbox to the fake server.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from discord.http import Route
from sqlalchemy import select

from newsbot import models
from newsbot.app import Newsbot
from newsbot.bot.client import DELIVER_EVERY, NewsbotBot
from newsbot.config import load_config
from newsbot.poll import open_fetcher
from newsbot.runner import run_bot
from tests.fakediscord import FakeDiscord
from tests.test_bot_delivery import entry, queue

DESK, ADMIN = 1001, 1002


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord(channels={DESK, ADMIN})
    monkeypatch.setattr(Route, "BASE", await fake.start())
    yield fake
    await fake.stop()


@pytest.fixture
def newsbot(tmp_path: Path, server: FakeDiscord) -> Newsbot:
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        f'data_dir = "{tmp_path / "data"}"\n'
        f'[discord]\ntoken = "{server.token}"\napi_base = "{server.api_base}"\n'
        f"channel_id = {DESK}\nadmin_channel_id = {ADMIN}\n",
        encoding="utf-8",
    )
    bot = Newsbot(load_config(config_file))
    bot.init(progress=False)
    yield bot
    bot.close()


async def until(condition, timeout: float = 30.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached in time")


async def test_schedule_polls_digests_and_posts(server: FakeDiscord, newsbot: Newsbot) -> None:
    async with open_fetcher(newsbot.config) as fetcher:
        bot = NewsbotBot(newsbot, fetcher=fetcher, sync_commands=False)
        await bot.login(server.token)
        assert bot.schedule is None  # nothing runs before the gateway says READY
        await bot.on_ready()
        try:
            jobs = {job.id: job for job in bot.schedule.scheduler.get_jobs()}
            assert set(jobs) == {"poll", "digest", "deliver"}
            assert jobs["digest"].trigger.interval.total_seconds() == 30 * 60
            assert jobs["deliver"].trigger.interval.total_seconds() == DELIVER_EVERY
            await until(lambda: server.in_channel(DESK))  # first poll → first digest
        finally:
            await bot.shutdown(grace=5)
    digest = server.in_channel(DESK)
    assert digest[0]["content"].startswith("newsbot digest:")
    assert not bot.schedule.scheduler.running
    with newsbot.store.session() as session:
        states = set(
            session.scalars(select(models.Outbox.state).where(models.Outbox.kind == "digest"))
        )
    assert states == {"sent"}


async def test_shutdown_finishes_the_message_in_flight_and_keeps_the_rest(
    server: FakeDiscord, newsbot: Newsbot
) -> None:
    for d in range(4):
        queue(
            newsbot.store, [entry(100 * d + i, title="Lange Überschrift " * 12) for i in range(25)]
        )
    server.post_delay = 0.3
    bot = NewsbotBot(newsbot, schedule=False, sync_commands=False)
    await bot.login(server.token)
    drain = asyncio.create_task(bot.sender.drain())
    await until(lambda: len(server.messages) >= 2)
    await bot.shutdown(grace=5)  # as on SIGTERM, while the 2nd answer is held back
    await asyncio.wait_for(drain, 1)

    with newsbot.store.session() as session:
        rows = list(session.scalars(select(models.Outbox)))
    assert all(r.attempts == len(r.message_ids) for r in rows)  # nothing left in doubt
    assert sum(len(r.message_ids) for r in rows) == len(server.messages) == 2
    assert [r.state for r in rows].count("pending") >= 3


async def test_webhook_mode_posts_without_login_and_stops_on_sigterm(
    tmp_path: Path, server: FakeDiscord
) -> None:
    config_file = tmp_path / "webhook.toml"
    config_file.write_text(
        f'data_dir = "{tmp_path / "hook"}"\n[discord]\nwebhook_url = "{server.webhook_url()}"\n',
        encoding="utf-8",
    )
    newsbot = Newsbot(load_config(config_file))
    newsbot.init(progress=False)
    try:
        running = asyncio.create_task(run_bot(newsbot))
        await until(lambda: server.in_channel(DESK))
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(running, 10)
        with newsbot.store.session() as session:
            states = set(session.scalars(select(models.Outbox.state)))
    finally:
        newsbot.close()
    assert states == {"sent"}
    assert all(m["_via"] == "webhook" for m in server.messages)
    assert not any(path == "/users/@me" for _, path, _ in server.requests)  # no bot login
