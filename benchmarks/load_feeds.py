"""Load test of scaled mode: 10,000 feeds, one cycle, 1 worker against 3 workers.

A local feed farm (``newsbot.scale.feedfarm``, its own process) serves the feeds from 16
loopback addresses; most answer 304 to the conditional GET, ``--new`` of them have one new
entry (every 10th of those on the story, every 20th a wire story several feeds carry). The
store is a fresh PostgreSQL database. Each run makes every feed due at once, defers them the
way the bot does (``FeedQueue.defer_due``) and starts ``newsbot worker`` processes; the cycle
ends when the queue holds no poll job. Reported per run: feeds per second, p95 time from due
to polled (the farm's clock at the first request for the feed), items stored twice for one
feed, feeds fetched twice, feeds missed, failed jobs. The speed-up is 3 workers against 1,
measured in the same run. Bars: 3-worker cycle ≤ 60 s, speed-up ≥ 1.5, zero duplicates and
zero missed.

    python benchmarks/load_feeds.py [--feeds 10000] [--workers 1,3] [--new 0.02]

Progress goes to stderr; the table to stdout. Exit status 1 when a bar is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsbot import models  # noqa: E402
from newsbot.app import Newsbot  # noqa: E402
from newsbot.config import load_config  # noqa: E402
from newsbot.scale.defer import FeedQueue  # noqa: E402
from newsbot.scale.feedfarm import feed_url  # noqa: E402
from newsbot.scale.queue import POLL_TASK  # noqa: E402

PG_ADMIN_URL = os.environ.get("NEWSBOT_TEST_PG", "postgresql+psycopg://127.0.0.1:5432/test")
HOSTS = 4
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


@dataclass
class Run:
    workers: int
    feeds: int
    cycle: float
    p95_lag: float
    full: int
    not_modified: int
    new_items: int
    expected_new: int
    duplicate_items: int
    double_polls: int
    missed: int
    failed_jobs: int
    worker_cpu: float  # seconds of CPU during the cycle, all worker processes
    pg_cpu: float  # seconds of CPU, the PostgreSQL backends serving them

    @property
    def rate(self) -> float:
        return self.feeds / self.cycle


class Farm:
    """The feed farm process and its control endpoints."""

    def __init__(self, feeds: int, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newsbot.scale.feedfarm", "--feeds", str(feeds),
             "--hosts", str(HOSTS)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.port = json.loads(self.proc.stdout.readline())["port"]
        self.control = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", trust_env=False)

    def url(self, feed: int) -> str:
        return feed_url(self.port, feed, HOSTS)

    def bump(self, ids: list[int]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ",".join(map(str, ids[start : start + 500]))
            self.control.get("/_bump", params={"ids": chunk}).raise_for_status()

    def reset(self) -> None:
        self.control.get("/_reset").raise_for_status()

    def stats(self) -> dict:
        return self.control.get("/_stats").json()

    def stop(self) -> None:
        self.control.close()
        self.proc.terminate()
        self.proc.wait(10)


def start_workers(n: int, config_path: Path, concurrency: int, env: dict, logs: Path) -> list:
    procs = []
    for k in range(n):
        log = (logs / f"worker{n}-{k}.log").open("w")
        command = [sys.executable, "-m", "newsbot", "--config", str(config_path), "worker",
                   "--concurrency", str(concurrency), "--name", f"load-{n}-{k}"]  # fmt: skip
        procs.append(subprocess.Popen(command, cwd=ROOT, env=env, stderr=log, stdout=log))
    return procs


def stop_workers(procs: list) -> None:
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def wait_registered(engine: sa.Engine, n: int, procs: list, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in procs:
            if p.poll() is not None:
                raise SystemExit(f"a worker exited early with status {p.returncode}; see its log")
        with engine.connect() as conn:
            live = conn.execute(sa.text("SELECT count(*) FROM procrastinate_workers")).scalar()
        if live >= n:
            return
        time.sleep(0.2)
    raise SystemExit(f"{n} worker(s) did not register within {timeout:.0f} s")


def pending_polls(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT count(*) FROM procrastinate_jobs WHERE task_name = :t "
                "AND status IN ('todo', 'doing')"
            ),
            {"t": POLL_TASK},
        ).scalar()


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process on this machine (Linux /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_pids(engine: sa.Engine) -> list[int]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                sa.text(
                    "SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'newsbot-load-%'"
                )
            ).scalars()
        )


def count(engine: sa.Engine, sql: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(sql)).scalar() or 0


def one_cycle(bot: Newsbot, farm: Farm, n_workers: int, args, config_path: Path, env, logs) -> Run:
    engine = bot.store.engine
    rng = random.Random(n_workers)
    bumped = rng.sample(range(args.feeds), int(args.feeds * args.new))
    farm.bump(bumped)
    farm.reset()
    items_before = count(engine, "SELECT count(*) FROM items")
    failed_before = count(engine, "SELECT count(*) FROM procrastinate_jobs WHERE status='failed'")
    procs = start_workers(n_workers, config_path, args.concurrency, env, logs)
    try:
        wait_registered(engine, n_workers, procs)
        time.sleep(1.0)  # let start-up finish; its CPU is not part of the cycle
        say(f"{n_workers} worker(s) up; making {args.feeds} feeds due")
        startup_cpu = sum(cpu_seconds(p.pid) for p in procs)
        t0 = time.time()
        due = datetime.fromtimestamp(t0, UTC)
        with engine.begin() as conn:
            conn.execute(sa.update(models.Feed).values(next_fetch_at=due))
        report = asyncio.run(FeedQueue(bot).defer_due(now=due))
        say(f"deferred {report.deferred} jobs in {time.time() - t0:.2f} s")
        deadline = time.monotonic() + args.timeout
        next_report = time.monotonic() + 10
        while (left := pending_polls(engine)) and time.monotonic() < deadline:
            if time.monotonic() >= next_report:
                say(f"  {time.time() - t0:5.0f} s: {left} polls to go")
                next_report += 10
            time.sleep(0.2)
        cycle = time.time() - t0
        worker_cpu = sum(cpu_seconds(p.pid) for p in procs) - startup_cpu
        pg_cpu = sum(cpu_seconds(pid) for pid in backend_pids(engine))
        left = pending_polls(engine)
        if left:
            say(f"timeout: {left} poll jobs still queued after {args.timeout:.0f} s")
    finally:
        stop_workers(procs)
    stats = farm.stats()
    firsts = sorted(f - t0 for f in stats["first"] if f)
    p95 = firsts[min(len(firsts) - 1, int(0.95 * len(firsts)))] if firsts else float("nan")
    return Run(
        workers=n_workers,
        feeds=args.feeds,
        cycle=cycle,
        p95_lag=p95,
        full=stats["full"],
        not_modified=stats["not_modified"],
        new_items=count(engine, "SELECT count(*) FROM items") - items_before,
        expected_new=len(bumped),
        duplicate_items=count(
            engine,
            "SELECT count(*) FROM (SELECT feed_id, entry_id FROM items "
            "GROUP BY feed_id, entry_id HAVING count(*) > 1) d",
        ),
        double_polls=sum(1 for c in stats["counts"] if c > 1),
        missed=sum(1 for c in stats["counts"] if c == 0),
        failed_jobs=count(engine, "SELECT count(*) FROM procrastinate_jobs WHERE status='failed'")
        - failed_before,
        worker_cpu=worker_cpu,
        pg_cpu=pg_cpu,
    )


def add_feeds(bot: Newsbot, farm: Farm, n: int) -> None:
    """Feeds as after an earlier poll: ETag known, not due until a run makes them due."""
    rows = [
        {"name": f"farm {i}", "url": farm.url(i), "etag": f'"{i}.0"', "polled_once": True,
         "state": "active", "next_fetch_at": FAR_FUTURE, "consecutive_failures": 0,
         "error_count": 0, "added_at": datetime.now(UTC)}
        for i in range(n)
    ]  # fmt: skip
    with bot.store.engine.begin() as conn:
        conn.execute(sa.insert(models.Feed), rows)


def table(runs: list[Run]) -> str:
    head = (
        "| workers | feeds | cycle s | feeds/s | p95 due→polled s | 200 | 304 | new items "
        "(expected) | items stored twice | feeds fetched twice | missed | failed jobs "
        "| worker CPU ms/feed | PostgreSQL CPU ms/feed |"
    )
    lines = [head, "|" + "---|" * 14]
    for r in runs:
        lines.append(
            f"| {r.workers} | {r.feeds} | {r.cycle:.1f} | {r.rate:.0f} | {r.p95_lag:.1f} | "
            f"{r.full} | {r.not_modified} | {r.new_items} ({r.expected_new}) | "
            f"{r.duplicate_items} | {r.double_polls} | {r.missed} | {r.failed_jobs} | "
            f"{1000 * r.worker_cpu / r.feeds:.1f} | {1000 * r.pg_cpu / r.feeds:.1f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=10_000)
    parser.add_argument("--workers", default="1,3", help="worker counts to run, comma-separated")
    parser.add_argument("--concurrency", type=int, default=16, help="polls in flight per worker")
    parser.add_argument("--new", type=float, default=0.02, help="share of feeds with a new entry")
    parser.add_argument("--timeout", type=float, default=600.0, help="give up a cycle after (s)")
    parser.add_argument("--logs", type=Path, help="keep the workers' logs in this folder")
    args = parser.parse_args()
    counts = [int(x) for x in args.workers.split(",")]
    load = os.getloadavg()[0]  # other work on the machine shares the cores with this test

    name = f"newsbot_load_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    farm = None
    try:
        with tempfile.TemporaryDirectory(prefix="newsbot-load-") as tmp:
            config_path = Path(tmp) / "config.toml"
            config_path.write_text(
                f'feeds = []\n[database]\nurl = "{url}"\n[polling]\nallow_private = true\n'
                'interval_minutes = 15\n[scale]\nmode = "scaled"\n',
                encoding="utf-8",
            )
            bot = Newsbot(load_config(config_path, env={}))
            say(f"database {name}: {bot.init(progress=False)}")
            farm = Farm(args.feeds, env)
            add_feeds(bot, farm, args.feeds)
            say(f"{args.feeds} feeds on {HOSTS} loopback addresses, port {farm.port}")
            runs = []
            for n in counts:
                logs = args.logs or Path(tmp)
                logs.mkdir(parents=True, exist_ok=True)
                runs.append(one_cycle(bot, farm, n, args, config_path, env, logs))
                say(f"{n} worker(s): {runs[-1].cycle:.1f} s")
            bot.close()
    finally:
        if farm is not None:
            farm.stop()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    print(table(runs))
    print(f"\nmachine: {os.cpu_count()} cores, 1-min load average before the runs {load:.1f}")
    ok = all(r.duplicate_items == 0 and r.missed == 0 and r.double_polls == 0 for r in runs)
    by = {r.workers: r for r in runs}
    if 1 in by and 3 in by:
        speedup = by[3].rate / by[1].rate
        print(f"\nspeed-up 3 workers vs 1: {speedup:.2f}x (bar >= 1.5x)")
        print(f"3-worker cycle of {by[3].feeds} feeds: {by[3].cycle:.1f} s (bar <= 60 s)")
        ok = ok and speedup >= 1.5 and by[3].cycle <= 60
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
