"""Three `newsbot worker` processes on PostgreSQL, 300 feeds, one worker killed with SIGKILL
mid-cycle: every feed is still polled, within the stall timeout plus one scheduler interval,
and no item is stored twice."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsbot import models
from newsbot.app import Newsbot
from newsbot.config import load_config
from newsbot.scale.defer import TICK, FeedQueue
from newsbot.scale.feedfarm import FeedFarm, start_in_thread
from newsbot.scale.queue import POLL_TASK

from .conftest import REPO, write_config

pytestmark = pytest.mark.slow

FEEDS = 300
STALLED_AFTER = 4.0  # seconds without a heartbeat after which a worker counts as dead


def scalar(bot: Newsbot, sql: str, **params):
    with bot.store.engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar()


def wait_for(condition, timeout: float, what: str) -> float:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)
    return time.time()


def test_a_killed_worker_loses_no_feed_and_stores_nothing_twice(
    pg_url: str, tmp_path: Path
) -> None:
    config_path = write_config(
        tmp_path / "scaled.toml",
        f'feeds = []\n[database]\nurl = "{pg_url}"\n[polling]\nallow_private = true\n'
        f'[scale]\nmode = "scaled"\nworker_concurrency = 8\nheartbeat_seconds = 1.0\n'
        f"stalled_after_seconds = {STALLED_AFTER}\n",
    )
    bot = Newsbot(load_config(config_path, env={}))
    bot.init(progress=False)
    farm = start_in_thread(FeedFarm(FEEDS, delay=0.3), host_count=4)  # slow server: long cycle
    farm.call(farm.farm.bump, list(range(FEEDS)))  # every feed has one new entry
    with bot.store.engine.begin() as conn:
        conn.execute(
            sa.insert(models.Feed),
            [
                {"name": f"farm {n}", "url": farm.url(n), "etag": f'"{n}.0"',
                 "polled_once": True, "state": "active", "consecutive_failures": 0,
                 "error_count": 0, "added_at": datetime.now(UTC)}
                for n in range(FEEDS)
            ],
        )  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    logs = [tmp_path / f"worker{k}.log" for k in range(3)]
    command = [sys.executable, "-m", "newsbot", "--config", str(config_path), "worker"]
    workers = [
        subprocess.Popen(
            [*command, "--name", f"w{k}"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )
        for k, log in enumerate(logs)
    ]
    try:
        wait_for(
            lambda: scalar(bot, "SELECT count(*) FROM procrastinate_workers") == 3,
            60,
            "three workers to start",
        )
        assert asyncio.run(FeedQueue(bot).defer_due()).deferred == FEEDS
        wait_for(lambda: sum(farm.call(lambda: farm.farm.counts)) >= FEEDS // 5, 30, "polls")
        with bot.store.engine.connect() as conn:
            doing = conn.execute(
                sa.text("SELECT worker_id, lock FROM procrastinate_jobs WHERE status = 'doing'")
            ).all()
        workers[0].send_signal(signal.SIGKILL)
        killed_at = time.time()
        workers[0].wait()

        def queue_empty() -> bool:
            return not scalar(
                bot,
                "SELECT count(*) FROM procrastinate_jobs WHERE task_name = :t "
                "AND status IN ('todo', 'doing')",
                t=POLL_TASK,
            )

        done_at = wait_for(queue_empty, STALLED_AFTER + TICK.total_seconds(), "the queue")
        dead = scalar(
            bot,
            "SELECT id FROM procrastinate_workers WHERE last_heartbeat < now() - interval '3 s'",
        )
    finally:
        for w in workers[1:]:
            w.send_signal(signal.SIGTERM)
        for w in workers[1:]:
            try:
                w.wait(30)
            except subprocess.TimeoutExpired:
                w.kill()
        farm.stop()

    cut_off = [lock for worker_id, lock in doing if worker_id == dead]
    assert cut_off, "the killed worker had no poll running: the test did not test a kill"
    with bot.store.session() as session:
        feeds = session.scalars(sa.select(models.Feed)).all()
        items = session.execute(sa.select(models.Item.feed_id, models.Item.entry_id)).all()
    # every feed polled and recorded, the cut-off ones again after the kill
    assert len(feeds) == FEEDS
    assert all(f.etag == f'"{f.url.rsplit("/", 1)[1]}.1"' and f.last_fetch_at for f in feeds)
    by_lock = {f"newsbot-feed-{f.id}": f for f in feeds}
    assert all(by_lock[lock].last_fetch_at.timestamp() > killed_at for lock in cut_off)
    assert done_at - killed_at <= STALLED_AFTER + TICK.total_seconds()
    # one item per feed: nothing stored twice, nothing lost
    feed_items = [(f, e) for f, e in items if f is not None]
    assert len(feed_items) == len(set(feed_items)) == FEEDS
    assert not scalar(bot, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'")
    survivors = logs[1].read_text() + logs[2].read_text()
    assert "job(s) of stalled workers" in survivors
    print(
        f"\n{len(cut_off)} poll(s) cut off by SIGKILL; queue empty {done_at - killed_at:.1f} s "
        f"after the kill (stall timeout {STALLED_AFTER:.0f} s)"
    )
    bot.close()
