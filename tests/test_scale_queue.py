"""Scaled mode's job queue on PostgreSQL: its schema from `newsbot init`, which mode runs
where, and how the bot hands due feeds to the workers (once per feed)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from procrastinate.exceptions import AlreadyEnqueued

from newsbot import models
from newsbot.app import Newsbot, now_utc
from newsbot.cli import cli
from newsbot.config import ConfigError, load_config
from newsbot.scale import ScaleError, feed_queue_for
from newsbot.scale.defer import DueFeed, FeedQueue, defer_feeds, feeds_to_defer
from newsbot.scale.queue import POLL_TASK, feed_lock, make_app
from newsbot.scale.schema import VERSION_KEY, alembic_include_name, ensure_queue_schema

from .conftest import write_config


def scaled_config(tmp_path: Path, url: str, extra: str = ""):
    path = write_config(
        tmp_path / "scaled.toml",
        f'feeds = []\n[database]\nurl = "{url}"\n[polling]\nallow_private = true\n'
        f'[scale]\nmode = "scaled"\n{extra}',
    )
    return load_config(path, env={})


def jobs(bot: Newsbot) -> list[tuple]:
    with bot.store.engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT lock, queueing_lock, status::text, scheduled_at, args "
                "FROM procrastinate_jobs WHERE task_name = :t ORDER BY id"
            ),
            {"t": POLL_TASK},
        ).all()


def add_feed(bot: Newsbot, n: int, **values) -> int:
    with bot.store.session() as session:
        feed = models.Feed(name=f"feed {n}", url=f"http://127.0.0.1:9/feed/{n}", **values)
        session.add(feed)
        session.flush()
        return feed.id


def test_init_applies_the_queue_schema_once_beside_alembic(pg_url: str, tmp_path: Path) -> None:
    bot = Newsbot(scaled_config(tmp_path, pg_url))
    bot.init(progress=False)
    names = set(sa.inspect(bot.store.engine).get_table_names())
    assert {"procrastinate_jobs", "procrastinate_workers", "feeds", "items"} <= names
    with bot.store.session() as session:
        recorded = session.get(models.Setting, VERSION_KEY).value
    again = ensure_queue_schema(bot.store)  # a second init applies nothing
    assert not again.applied_now and not again.outdated and again.version == recorded
    bot.init(progress=False)
    # Alembic owns our tables only: with its filter, autogenerate sees no drift even though
    # the queue's tables sit in the same database; without it, it would drop them.
    with bot.store.engine.connect() as conn:
        filtered = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": alembic_include_name}
        )
        assert compare_metadata(filtered, models.Base.metadata) == []
        unfiltered = MigrationContext.configure(conn, opts={"compare_type": True})
        dropped = {d[1].name for d in compare_metadata(unfiltered, models.Base.metadata)}
        assert "procrastinate_jobs" in dropped
    bot.close()


def test_scaled_mode_needs_postgresql(tmp_path: Path) -> None:
    config = scaled_config(tmp_path, f"sqlite:///{tmp_path / 'n.db'}")
    bot = Newsbot(config)
    with pytest.raises(ScaleError, match="PostgreSQL"):
        feed_queue_for(bot)
    bot.close()
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "scaled.toml"), "worker"])
    assert result.exit_code == 1 and "needs a PostgreSQL store" in result.output
    bad = write_config(tmp_path / "bad.toml", '[scale]\nmode = "cluster"\n')
    with pytest.raises(ConfigError, match=r"scale\.mode"):
        load_config(bad, env={})


def test_embedded_mode_on_postgresql_keeps_polling_in_the_bot(pg_url: str, tmp_path: Path) -> None:
    bot = Newsbot(load_config(None, env={"NEWSBOT_DATABASE_URL": pg_url}))
    assert feed_queue_for(bot) is None
    bot.close()


async def test_due_feeds_are_deferred_once_each(pg_url: str, tmp_path: Path) -> None:
    bot = Newsbot(scaled_config(tmp_path, pg_url))
    bot.init(progress=False)
    now = now_utc()
    never = add_feed(bot, 1)  # never polled: due at once
    soon = add_feed(bot, 2, next_fetch_at=now + timedelta(seconds=30))  # due within the tick
    later = add_feed(bot, 3, next_fetch_at=now + timedelta(minutes=10))
    add_feed(bot, 4, state=models.FeedState.PAUSED)
    backoff = add_feed(bot, 5, state=models.FeedState.BACKOFF, next_fetch_at=now)
    queue = FeedQueue(bot)

    report = await queue.defer_due(now)
    assert (report.deferred, report.skipped) == (3, 0)
    by_lock = {row.lock: row for row in jobs(bot)}
    assert set(by_lock) == {feed_lock(never), feed_lock(soon), feed_lock(backoff)}
    assert all(row.queueing_lock == row.lock and row.status == "todo" for row in jobs(bot))
    assert by_lock[feed_lock(never)].scheduled_at is None  # due now: run at once
    assert by_lock[feed_lock(soon)].scheduled_at == now + timedelta(seconds=30)
    assert by_lock[feed_lock(soon)].args == {  # the job carries the feed as read now
        "feed_id": soon,
        "due": (now + timedelta(seconds=30)).isoformat(),
        "feed": {
            "url": "http://127.0.0.1:9/feed/2",
            "etag": None,
            "last_modified": None,
            "state": "active",
            "consecutive_failures": 0,
        },
    }

    assert (await queue.defer_due(now)).deferred == 0  # a feed with a job waiting is left out
    assert (await queue.defer_due(now + timedelta(minutes=10))).deferred == 1  # `later` now
    assert feed_lock(later) in {row.lock for row in jobs(bot)}
    bot.close()


async def test_a_feed_queued_by_another_bot_is_skipped_not_doubled(
    pg_url: str, tmp_path: Path
) -> None:
    bot = Newsbot(scaled_config(tmp_path, pg_url))
    bot.init(progress=False)
    ids = [add_feed(bot, n) for n in range(5)]
    now = now_utc()
    with bot.store.session() as session:
        due = feeds_to_defer(session, until=now)
    assert [f.feed_id for f in due] == ids
    app = make_app(bot.config)
    async with app.open_async():
        first = await defer_feeds(app, due[2:3], now=now)  # another bot process got there first
        second = await defer_feeds(app, due, now=now)  # the batch fails, then one by one
        third = await defer_feeds(app, [DueFeed(ids[0], None)], now=now)
        with pytest.raises(AlreadyEnqueued):  # the queue itself refuses a second waiting job
            job = app.tasks[POLL_TASK].configure(queueing_lock=feed_lock(ids[0])).job
            await app.job_manager.defer_job_async(job)
    assert (first.deferred, second.deferred, second.skipped) == (1, 4, 1)
    assert (third.deferred, third.skipped) == (0, 1)
    assert sorted(row.lock for row in jobs(bot)) == sorted(feed_lock(i) for i in ids)
    bot.close()


async def test_queue_command_shows_jobs_workers_and_overdue_feeds(
    pg_url: str, tmp_path: Path
) -> None:
    config = scaled_config(tmp_path, pg_url)
    bot = Newsbot(config)
    bot.init(progress=False)
    for n in range(3):
        add_feed(bot, n, next_fetch_at=now_utc() - timedelta(minutes=5))
    await FeedQueue(bot).defer_due()
    bot.close()
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "scaled.toml"), "queue"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "poll jobs: 3 todo"
    assert lines[1].startswith("workers: none registered")
    assert lines[2].startswith("feeds past due: 3 (oldest by 30")
