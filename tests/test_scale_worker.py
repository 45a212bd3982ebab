"""Workers on PostgreSQL, in this process: they poll what the bot deferred with the same poll
function, keep the 304 path cheap, never store an entry twice, retry, recover stalled jobs,
and share what they store with each other's matchers. A local feed farm serves the feeds."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from newsbot import models
from newsbot.app import FeedCommands, Newsbot, now_utc
from newsbot.config import Config, load_config
from newsbot.feeds.fetch import Fetcher, make_client
from newsbot.poll import poll_feed
from newsbot.scale import tasks
from newsbot.scale.defer import FeedQueue
from newsbot.scale.feedfarm import FeedFarm, RunningFarm, start_in_thread
from newsbot.scale.queue import POLL_RETRY, POLL_TASK, make_app
from newsbot.scale.tasks import WorkerRuntime
from newsbot.scale.worker import run_worker
from newsbot.scale.workerbot import WorkerBot
from newsbot.scheduler import make_digest
from newsbot.store import StoreError
from newsbot.types import Item

from .conftest import write_config


@dataclass
class Env:
    config: Config
    bot: Newsbot
    farm: RunningFarm
    feeds: dict[int, int]  # farm feed number -> feeds.id


@pytest.fixture
def env(pg_url: str, tmp_path: Path) -> Iterator[Env]:
    path = write_config(
        tmp_path / "scaled.toml",
        f'feeds = []\n[database]\nurl = "{pg_url}"\n[polling]\nallow_private = true\n'
        '[scale]\nmode = "scaled"\nheartbeat_seconds = 1.0\nstalled_after_seconds = 3.0\n',
    )
    config = load_config(path, env={})
    bot = Newsbot(config)
    bot.init(progress=False)
    farm = start_in_thread(FeedFarm(20), host_count=2)
    yield Env(config, bot, farm, {})
    farm.stop()
    bot.close()


def add_farm_feeds(env: Env, numbers: range) -> None:
    """Feeds as after an earlier poll: the farm's first ETag known."""
    with env.bot.store.session() as session:
        for n in numbers:
            feed = models.Feed(
                name=f"farm {n}", url=env.farm.url(n), etag=f'"{n}.0"', polled_once=True
            )
            session.add(feed)
            session.flush()
            env.feeds[n] = feed.id


def pending_polls(bot: Newsbot) -> int:
    with bot.store.engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT count(*) FROM procrastinate_jobs WHERE task_name = :t "
                "AND status IN ('todo', 'doing')"
            ),
            {"t": POLL_TASK},
        ).scalar()


async def run_until_idle(env: Env, timeout: float = 30.0) -> None:
    """A worker in this process until no poll job waits or runs."""
    worker = asyncio.create_task(
        run_worker(env.config, concurrency=4, install_signal_handlers=False, name="test")
    )
    deadline = time.monotonic() + timeout
    try:
        while pending_polls(env.bot):
            assert not worker.done(), worker.exception()
            assert time.monotonic() < deadline, "the worker did not empty the queue in time"
            await asyncio.sleep(0.1)
    finally:
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)


def make_all_due(bot: Newsbot) -> None:
    with bot.store.engine.begin() as conn:
        conn.execute(sa.update(models.Feed).values(next_fetch_at=now_utc()))


def entries_of(bot: Newsbot, feed_id: int) -> list[str]:
    with bot.store.session() as session:
        return sorted(
            session.scalars(
                sa.select(models.Item.entry_id).where(models.Item.feed_id == feed_id)
            ).all()
        )


async def test_workers_poll_what_the_bot_deferred_and_the_bot_digests_it(env: Env) -> None:
    add_farm_feeds(env, range(12))
    for _ in range(10):  # feeds 0-2 get ten new entries; the 10th is on the story
        env.farm.call(env.farm.farm.bump, [0, 1, 2])
    assert (await FeedQueue(env.bot).defer_due()).deferred == 12
    await run_until_idle(env)

    stats = env.farm.call(env.farm.farm.stats)
    assert stats["counts"][:12] == [1] * 12  # each feed fetched once
    assert (stats["full"], stats["not_modified"]) == (3, 9)
    for n in range(3):  # the document holds the newest five entries
        assert entries_of(env.bot, env.feeds[n]) == sorted(f"farm-{n}-{v}" for v in range(6, 11))
    with env.bot.store.session() as session:
        feeds = session.scalars(sa.select(models.Feed).order_by(models.Feed.id)).all()
        assert all(f.last_fetch_at is not None and f.next_fetch_at > now_utc() for f in feeds)
        assert [f.etag for f in feeds[:3]] == [f'"{n}.10"' for n in range(3)]

    env.farm.call(env.farm.farm.reset)
    make_all_due(env.bot)
    assert (await FeedQueue(env.bot).defer_due()).deferred == 12
    await run_until_idle(env)
    stats = env.farm.call(env.farm.farm.stats)
    assert (stats["full"], stats["not_modified"]) == (0, 12)
    assert entries_of(env.bot, env.feeds[0]) == sorted(f"farm-0-{v}" for v in range(6, 11))

    digest_id = make_digest(env.bot)  # the bot digests what the workers stored
    with env.bot.store.session() as session:
        text = session.get(models.Outbox, digest_id).payload["text"]
    assert "Nordkoreanische Truppen in Kursk" in text
    assert "Radweg" not in text  # off-topic entries are stored, not announced


async def test_a_feed_paused_after_it_was_deferred_stores_nothing(env: Env) -> None:
    add_farm_feeds(env, range(2))
    env.farm.call(env.farm.farm.bump, [0])  # feed 0 would bring an entry, feed 1 a 304
    assert (await FeedQueue(env.bot).defer_due()).deferred == 2
    commands = FeedCommands(env.bot)
    for n in range(2):  # someone pauses both while their jobs wait
        commands.pause(str(env.feeds[n]), reason="paused from Discord")
    await run_until_idle(env)
    assert entries_of(env.bot, env.feeds[0]) == []
    with env.bot.store.session() as session:
        for n in range(2):
            feed = session.get(models.Feed, env.feeds[n])
            assert (feed.state, feed.paused_reason) == ("paused", "paused from Discord")
            assert feed.last_fetch_at is None and feed.etag == f'"{n}.0"'


async def test_not_modified_is_one_small_update_no_parse_no_new_connection(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_farm_feeds(env, range(1))
    feed_id = env.feeds[0]
    writes: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:
        if statement.split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            writes.append(statement)

    def no_parse(*args, **kwargs):
        raise AssertionError("a 304 was parsed")

    monkeypatch.setattr("newsbot.poll.parse_feed", no_parse)
    sa.event.listen(env.bot.store.engine, "before_cursor_execute", seen)
    start = now_utc()
    async with make_client() as client:
        fetcher = Fetcher(client)
        first = await poll_feed(env.bot, fetcher, feed_id)
        second = await poll_feed(env.bot, fetcher, feed_id)
    sa.event.remove(env.bot.store.engine, "before_cursor_execute", seen)

    assert first.status == second.status == "not_modified"
    assert len(writes) == 2 and all(w.startswith("UPDATE feeds SET") for w in writes)
    assert env.farm.call(env.farm.farm.stats)["connections"] == 1  # kept alive between polls
    with env.bot.store.session() as session:
        feed = session.get(models.Feed, feed_id)
        interval = timedelta(minutes=env.config["polling.interval_minutes"])
        assert start + interval <= feed.next_fetch_at <= now_utc() + interval * 1.1
        assert feed.state == models.FeedState.ACTIVE and feed.etag == '"0.0"'


async def test_an_entry_stored_meanwhile_by_another_worker_is_not_stored_twice(
    env: Env,
) -> None:
    add_farm_feeds(env, range(1))
    feed_id = env.feeds[0]
    env.farm.call(env.farm.farm.bump, [0])
    # Another worker is storing the same entry right now: its transaction holds the row.
    other = sa.create_engine(env.config.database_url)
    session = Session(other)
    theirs = models.Item(
        feed_id=feed_id,
        entry_id="farm-0-1",
        title="stored by the other worker",
        text="",
        content_hash="x",
        text_hash="x",
    )
    session.add(theirs)
    session.flush()
    theirs_id = theirs.id
    committer = threading.Timer(1.5, session.commit)
    committer.start()

    bot = WorkerBot(env.config)
    try:
        async with make_client() as client:
            runtime = WorkerRuntime(bot, Fetcher(client))
            context = SimpleNamespace(additional_context={"newsbot": runtime})
            result = await tasks.poll_feed_job(context, feed_id=feed_id)
    finally:
        committer.join()
        session.close()
        other.dispose()
        bot.close()

    assert result["status"] == "ok" and result["error"] is None
    assert entries_of(env.bot, feed_id) == ["farm-0-1"]
    with env.bot.store.session() as check:  # theirs is the row; ours found it and updated it
        kept = check.scalar(sa.select(models.Item.id).where(models.Item.feed_id == feed_id))
    assert kept == theirs_id
    assert env.farm.call(env.farm.farm.stats)["counts"][0] == 2  # polled again after the clash


async def test_a_failing_poll_is_retried_after_a_backoff(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_farm_feeds(env, range(1))
    calls: list[float] = []
    real = tasks.poll_feed

    async def flaky(*args, **kwargs):
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise StoreError("database error: connection lost")
        return await real(*args, **kwargs)

    monkeypatch.setattr(tasks, "poll_feed", flaky)
    await FeedQueue(env.bot).defer_due()
    await run_until_idle(env)

    assert len(calls) == 2 and 2.0 <= calls[1] - calls[0] < 8.0
    assert env.farm.call(env.farm.farm.stats)["counts"][0] == 1
    now = now_utc()
    waits = [
        POLL_RETRY.get_retry_decision(exception=StoreError("x"), job=_job(a)) for a in range(5)
    ]
    assert [round((w.retry_at - now).total_seconds()) for w in waits[:4]] == [2, 4, 8, 16]
    assert waits[4] is None  # after four attempts the feed waits for the next cycle
    assert POLL_RETRY.get_retry_decision(exception=ValueError("bug"), job=_job(0)) is None


def _job(attempts: int):
    return SimpleNamespace(attempts=attempts)


async def test_jobs_of_a_dead_worker_are_retried_by_a_live_one(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    add_farm_feeds(env, range(2))
    await FeedQueue(env.bot).defer_due()
    app = make_app(env.config)
    async with app.open_async():  # a worker takes a job, then dies without a word
        dead = await app.job_manager.register_worker()
        taken = await app.job_manager.fetch_job(queues=None, worker_id=dead)
    with env.bot.store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour' "
                "WHERE id = :id"
            ),
            {"id": dead},
        )
    assert taken is not None and pending_polls(env.bot) == 2
    with caplog.at_level(logging.WARNING, logger="newsbot.scale.tasks"):
        await run_until_idle(env)
    assert env.farm.call(env.farm.farm.stats)["counts"][:2] == [1, 1]
    assert "retried 1 job(s) of stalled workers" in caplog.text


def test_matchers_catch_up_with_stories_other_workers_stored(env: Env) -> None:
    add_farm_feeds(env, range(1))
    writer, reader = WorkerBot(env.config), WorkerBot(env.config)
    try:
        assert "story-1" not in reader.matcher
        story = Item(
            entry_id="story-1",
            title="Nordkorea schickt weitere Soldaten nach Russland",
            text="Nach Angaben aus Seoul sind mindestens 3.000 nordkoreanische Soldaten in "
            "der russischen Region Kursk eingetroffen.",
            published=datetime(2024, 11, 2, tzinfo=UTC),
        )
        (report,) = writer.ingest([story], feed_id=env.feeds[0])
        assert report.new and report.result.relevant
        assert reader.catch_up() == 1 and "story-1" in reader.matcher
        assert reader.catch_up() == 0  # taken in once
        copy = Item(entry_id="copy-1", title=story.title, text=story.text, published=None)
        (seen,) = reader.ingest([copy], feed_id=env.feeds[0])
        assert seen.duplicate_of == "story-1"  # the reader knows the writer's story
    finally:
        writer.close()
        reader.close()
