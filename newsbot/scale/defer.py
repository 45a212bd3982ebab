"""The bot's side of scaled mode: hand each due feed to the job queue, once.

Every minute the bot's scheduler calls :meth:`FeedQueue.cycle`. Feeds due now or within the
next tick are deferred as poll jobs, scheduled at their own due time (so a feed due in 40 s is
polled in 40 s, not at the next tick), in batches. A feed that already has a job waiting or
running is left out; if another bot process deferred it meanwhile, procrastinate's queueing
lock refuses the second job and that feed is skipped.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import String, cast, column, exists, literal, or_, select, table, text
from sqlalchemy.orm import Session

from newsbot import models
from newsbot.app import Newsbot, now_utc
from newsbot.poll import SNAPSHOT_COLUMNS, FeedSnapshot
from newsbot.scale.queue import FEED_LOCK_PREFIX, POLL_TASK, feed_lock, make_app

log = logging.getLogger(__name__)

TICK = timedelta(minutes=1)  # how often the bot's scheduler calls cycle()
BATCH = 1000  # jobs per INSERT
ANALYZE_AFTER = 500  # deferring this many jobs at once refreshes the queue table's statistics

_jobs = table("procrastinate_jobs", column("lock"))


@dataclass(frozen=True)
class DueFeed:
    feed_id: int
    due: datetime | None  # None: never polled or resumed, due at once
    known: FeedSnapshot | None = None  # the feed as read now; the job carries it to the poll


@dataclass(frozen=True)
class DeferReport:
    deferred: int
    skipped: int  # another job of the feed was queued first


def feeds_to_defer(session: Session, *, until: datetime) -> list[DueFeed]:
    """Active or backing-off feeds due by ``until`` that have no poll job waiting or running."""
    busy = exists().where(
        _jobs.c.lock == literal(FEED_LOCK_PREFIX) + cast(models.Feed.id, String),
        text("procrastinate_jobs.status IN ('todo', 'doing')"),  # an enum: compare in SQL
    )
    rows = session.execute(
        select(models.Feed.id, models.Feed.next_fetch_at, *SNAPSHOT_COLUMNS)
        .where(
            models.Feed.state.in_([models.FeedState.ACTIVE, models.FeedState.BACKOFF]),
            or_(models.Feed.next_fetch_at.is_(None), models.Feed.next_fetch_at <= until),
            ~busy,
        )
        .order_by(models.Feed.next_fetch_at.is_not(None), models.Feed.next_fetch_at, models.Feed.id)
    ).all()
    return [DueFeed(row[0], row[1], FeedSnapshot(*row[2:])) for row in rows]


def poll_job(
    task: procrastinate.tasks.Task, feed: DueFeed, now: datetime
) -> procrastinate.jobs.Job:
    """The job polling ``feed``: locked per feed, scheduled at its due time."""
    scheduled = feed.due if feed.due is not None and feed.due > now else None
    lock = feed_lock(feed.feed_id)
    job = task.configure(lock=lock, queueing_lock=lock, schedule_at=scheduled).job
    kwargs = {"feed_id": feed.feed_id, "due": (feed.due or now).isoformat()}
    if feed.known is not None:
        kwargs["feed"] = asdict(feed.known)
    return job.evolve(task_kwargs=kwargs)


async def defer_feeds(
    app: procrastinate.App, feeds: list[DueFeed], *, now: datetime
) -> DeferReport:
    """Defer one poll job per feed, in batches; a feed another process queued is skipped."""
    task = app.tasks[POLL_TASK]
    deferred = skipped = analysed = 0
    for start in range(0, len(feeds), BATCH):
        jobs = [poll_job(task, f, now) for f in feeds[start : start + BATCH]]
        try:
            await app.job_manager.batch_defer_jobs_async(jobs)
            deferred += len(jobs)
        except AlreadyEnqueued:  # the whole batch was rolled back: defer one by one
            for job in jobs:
                try:
                    await app.job_manager.defer_job_async(job)
                    deferred += 1
                except AlreadyEnqueued:
                    skipped += 1
        if deferred - analysed >= ANALYZE_AFTER and (not analysed or start + BATCH >= len(feeds)):
            # The planner's picture of the queue table is from before this burst (autovacuum
            # catches up a minute later); with it, each worker's fetch of the next job scans
            # every waiting job (measured: 300 ms per fetch at 2,000 jobs, 0.2 ms after
            # ANALYZE). So: after the first big batch, and once more at the end.
            await app.connector.execute_query_async("ANALYZE procrastinate_jobs")
            analysed = deferred
    return DeferReport(deferred, skipped)


class FeedQueue:
    """Defers due feeds for ``newsbot worker`` processes; used by the bot's scheduler."""

    def __init__(self, bot: Newsbot, app: procrastinate.App | None = None) -> None:
        self.bot = bot
        self.app = app or make_app(bot.config, pool_size=2, role="newsbot-bot")

    def _due(self, until: datetime) -> list[DueFeed]:
        with self.bot.store.session() as session:
            return feeds_to_defer(session, until=until)

    async def defer_due(
        self, now: datetime | None = None, *, ahead: timedelta = TICK
    ) -> DeferReport:
        """Defer every feed due before ``now + ahead`` that has no job yet."""
        now = now or now_utc()
        feeds = await asyncio.to_thread(self._due, now + ahead)
        if not feeds:
            return DeferReport(0, 0)
        async with self.app.open_async():
            report = await defer_feeds(self.app, feeds, now=now)
        log.info("deferred %d feed poll(s) to the workers", report.deferred)
        return report

    def _conflict_waiting(self) -> bool:
        with self.bot.store.session() as session:
            return has_pending_conflict(session)

    async def cycle(self) -> bool:
        """One scheduler tick: defer what is due; True if a stored CONFLICT awaits a digest."""
        await self.defer_due()
        return await asyncio.to_thread(self._conflict_waiting)


def has_pending_conflict(session: Session) -> bool:
    """Workers store the findings; the bot sees a CONFLICT once it is in the store."""
    return (
        session.scalar(
            select(models.FigureRow.id)
            .join(models.Item, models.FigureRow.item_id == models.Item.id)
            .where(
                models.Item.announce.is_(True),
                models.Item.digest_id.is_(None),
                models.FigureRow.status == "conflict",
            )
            .limit(1)
        )
        is not None
    )
