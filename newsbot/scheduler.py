"""Schedules inside the bot process (APScheduler 3, asyncio): polls and digests.

Every minute the poll job fetches the feeds that are due (each feed keeps its own next-fetch
time, so intervals, backoff and Retry-After are per feed); every ``digest.interval_minutes``
the digest job writes pending findings to the outbox and hands them to the sender. The first
digest goes out right after the first poll, and a CONFLICT triggers one at once when
``digest.conflict_immediately`` is set.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from newsbot.app import Newsbot, now_utc
from newsbot.feeds.fetch import Fetcher
from newsbot.outbox import queue_digest
from newsbot.poll import PollResult, poll_due
from newsbot.scale import feed_queue_for
from newsbot.types import Status

log = logging.getLogger(__name__)

Deliver = Callable[[], Awaitable[int]]


def has_conflict(results: list[PollResult]) -> bool:
    return any(
        f.status is Status.CONFLICT
        for r in results
        for rep in r.reports
        for f in rep.findings
        if rep.new
    )


def make_digest(bot: Newsbot, now: datetime | None = None, channel_id: int = 0) -> int | None:
    """Write pending findings as one digest row; returns its outbox id (None if nothing)."""
    with bot.store.session() as session:
        row = queue_digest(
            session, bot.pending_entries(session), now=now or now_utc(), channel_id=channel_id
        )
        return row.id if row else None


class BotSchedule:
    """The poll and digest jobs of one bot process."""

    def __init__(
        self,
        bot: Newsbot,
        fetcher: Fetcher,
        deliver: Deliver,
        *,
        deliver_every: float | None = None,
    ) -> None:
        self.bot, self.fetcher, self.deliver = bot, fetcher, deliver
        # scaled mode (PostgreSQL + scale.mode = "scaled"): `newsbot worker`s poll, we defer
        self.feed_queue = feed_queue_for(bot)
        # retries of what the outbox still holds (backoff, notices) between digests
        self.deliver_every = deliver_every
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self._first_cycle = True
        self._busy = asyncio.Lock()

    def start(self) -> None:
        start = datetime.now(UTC)
        self.scheduler.add_job(
            self.poll_cycle,
            "interval",
            minutes=1,
            next_run_time=start,
            id="poll",
            max_instances=1,
            coalesce=True,
        )
        minutes = self.bot.config["digest.interval_minutes"]
        self.scheduler.add_job(
            self.digest_cycle,
            "interval",
            minutes=minutes,
            next_run_time=start + timedelta(minutes=minutes),
            id="digest",
            max_instances=1,
            coalesce=True,
        )
        if self.deliver_every:
            self.scheduler.add_job(
                self.delivery_cycle,
                "interval",
                seconds=self.deliver_every,
                id="deliver",
                max_instances=1,
                coalesce=True,
            )
        self.scheduler.start()

    async def poll_cycle(self) -> list[PollResult]:
        async with self._busy:
            try:
                if self.feed_queue is not None:
                    results, conflict = [], await self.feed_queue.cycle()
                else:
                    results = await poll_due(self.bot, self.fetcher)
                    conflict = has_conflict(results)
            except Exception:  # the store may be down: log, keep the schedule alive
                log.exception("poll cycle failed")
                return []
        conflict = self.bot.config["digest.conflict_immediately"] and conflict
        if self._first_cycle or conflict:
            self._first_cycle = False
            await self.digest_cycle()
        return results

    async def digest_cycle(self) -> None:
        try:
            await asyncio.to_thread(make_digest, self.bot)
            sent = await self.deliver()
            if sent:
                log.info("delivered %d message(s)", sent)
        except Exception:
            log.exception("digest cycle failed; pending messages stay in the outbox")

    async def delivery_cycle(self) -> None:
        try:
            await self.deliver()
        except Exception:
            log.exception("delivery failed; pending messages stay in the outbox")

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
