"""What a worker runs: one feed's poll, and the recovery of jobs left by dead workers."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import procrastinate
from sqlalchemy.exc import IntegrityError

from newsbot.app import Newsbot, now_utc
from newsbot.feeds.fetch import Fetcher
from newsbot.poll import FeedSnapshot, PollResult, poll_feed

log = logging.getLogger(__name__)


@dataclass
class PollStats:
    """Counts and due→polled delays since the last summary line of this worker."""

    by_status: dict[str, int] = field(default_factory=dict)
    new_items: int = 0
    lags: list[float] = field(default_factory=list)  # seconds from due to poll start

    def add(self, result: PollResult, lag: float | None) -> None:
        self.by_status[result.status] = self.by_status.get(result.status, 0) + 1
        self.new_items += result.new
        if lag is not None:
            self.lags.append(lag)

    def take(self) -> PollStats:
        """This window's numbers; the next window starts empty."""
        taken = PollStats(self.by_status, self.new_items, self.lags)
        self.by_status, self.new_items, self.lags = {}, 0, []
        return taken

    def summary(self, seconds: float) -> str:
        total = sum(self.by_status.values())
        parts = ", ".join(f"{n} {s}" for s, n in sorted(self.by_status.items()))
        line = (
            f"polled {total} feed(s) in {seconds:.0f} s ({parts or 'none'}), {self.new_items} new"
        )
        if self.lags:
            lags = sorted(self.lags)
            p95 = lags[min(len(lags) - 1, int(0.95 * len(lags)))]
            line += f"; due→polled p95 {p95:.1f} s"
        return line


@dataclass
class WorkerRuntime:
    """What the tasks of one worker process share (passed as procrastinate context)."""

    bot: Newsbot
    fetcher: Fetcher
    stats: PollStats = field(default_factory=PollStats)


def _lag(due: str | None, started: datetime) -> float | None:
    if not due:
        return None
    try:
        return max(0.0, (started - datetime.fromisoformat(due)).total_seconds())
    except (ValueError, TypeError):
        return None


async def poll_feed_job(
    context: procrastinate.JobContext,
    feed_id: int,
    due: str | None = None,
    feed: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Poll one feed with the same ``poll_feed`` embedded mode uses.

    ``feed`` is the feed as the bot read it when deferring: it saves a read per poll (see
    ``fetch_parsed``). The unique constraint on (feed, entry) keeps an item from being stored
    twice:
    if another poll of this feed committed the same entries first (a stalled job retried
    while its first run still lived), our transaction fails on it, and polling again finds
    those entries seen. Any other exception goes to procrastinate's retry strategy.
    """
    runtime: WorkerRuntime = context.additional_context["newsbot"]
    started = now_utc()
    known = FeedSnapshot(**feed) if feed else None  # the feed as the bot read it
    try:
        result = await poll_feed(runtime.bot, runtime.fetcher, feed_id, now=started, known=known)
    except IntegrityError:
        log.info("feed %s: entries stored meanwhile by another poll; polling again", feed_id)
        result = await poll_feed(runtime.bot, runtime.fetcher, feed_id)
    runtime.stats.add(result, _lag(due, started))
    return {"status": result.status, "new": result.new, "error": result.error}


async def retry_stalled_jobs(app: procrastinate.App, stalled_after: float) -> int:
    """Put the running jobs of workers silent for ``stalled_after`` s back in the queue.

    procrastinate's documented recovery: workers write heartbeats; a job still ``doing``
    under a worker without a recent one was cut off (SIGKILL, lost machine) and is retried.
    """
    manager = app.job_manager
    retried = 0
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
        try:
            await manager.retry_job(job)
        except Exception as exc:  # finished or retried by another worker meanwhile
            log.debug("stalled job %s not retried: %s", job.id, exc)
            continue
        retried += 1
    if retried:
        log.warning("retried %d job(s) of stalled workers", retried)
    return retried
