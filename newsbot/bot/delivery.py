"""The sender: posts pending outbox rows to Discord, each part exactly once.

A row holds the messages it becomes (rendered at queue time). For each part the sender
commits ``attempts += 1``, posts with a nonce Discord dedupes for a few minutes
(``enforce_nonce``), then commits the message id. So after a crash a row whose attempts
exceed its posted parts has one part of unknown fate: before resending it the sender looks
for that part's footer marker among the channel's recent messages, which also covers a
restart long after the nonce window.

Failures: 429s are waited out by discord.py (``retry_after``); 5xx and network errors leave
the row pending with exponential backoff (and ``retry_after`` when Discord gives one), rows
stay in order; a deleted channel, a missing permission or a refused message marks the row
failed, logs it and queues a notice for the admin channel, never retrying forever.

``python -m newsbot.bot.deliver`` runs a sender on its own (REST only, no gateway).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from newsbot import models
from newsbot.bot.embeds import marker, nonce, render_notice
from newsbot.bot.transport import DeliveryError, Transport
from newsbot.outbox import queue_notice
from newsbot.store import Store

log = logging.getLogger(__name__)


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Policy:
    """How hard to try: backoff between failed attempts and when to give up."""

    backoff_base: float = 5.0  # seconds before the first retry
    backoff_cap: float = 900.0
    max_failures: int = 12  # failed attempts of one row before it is marked failed


def backoff_seconds(failures: int, policy: Policy, jitter: float = 1.0) -> float:
    """5 s, 10 s, 20 s … capped; ``jitter`` in [0.5, 1] spreads retries of many senders."""
    return min(policy.backoff_cap, policy.backoff_base * 2 ** max(failures - 1, 0)) * jitter


@dataclass
class Job:
    """A pending row as the sender works on it (a snapshot, written back step by step)."""

    id: int
    key: str
    kind: str
    channel_id: int
    messages: list[dict[str, Any]]
    attempts: int
    message_ids: list[str]

    @property
    def failures(self) -> int:
        return self.attempts - len(self.message_ids)


@dataclass
class Outcome:
    """What a pass (or a drain) did."""

    sent: int = 0  # rows fully delivered
    parts: int = 0  # messages posted or found already posted
    recovered: int = 0  # parts found already posted after a crash, not sent again
    failed: int = 0  # rows given up (permanent errors)
    errors: list[str] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        self.sent += other.sent
        self.parts += other.parts
        self.recovered += other.recovered
        self.failed += other.failed
        self.errors += other.errors


def messages_of(row: models.Outbox) -> list[dict[str, Any]]:
    """The row's messages; rows queued before messages were stored get a plain notice."""
    messages = row.payload.get("messages")
    if messages:
        return messages
    return render_notice(row.payload.get("text") or "(empty message)", key=row.key)


class Sender:
    """Delivers the outbox through one transport; one pass at a time per process."""

    def __init__(
        self,
        store: Store,
        transport: Transport,
        *,
        channel_id: int = 0,
        admin_channel_id: int = 0,
        policy: Policy | None = None,
        require_channel: bool = True,
        clock: Callable[[], datetime] = now_utc,
    ) -> None:
        self.store, self.transport = store, transport
        self.channel_id = channel_id
        self.admin_channel_id = admin_channel_id or channel_id
        self.policy = policy or Policy()
        self.require_channel = require_channel
        self.clock = clock
        self._lock = asyncio.Lock()
        self._stop = asyncio.Event()

    # -- control ------------------------------------------------------------------------
    def stop(self) -> None:
        """Finish the part in flight, start nothing new; the rest stays in the outbox."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    async def wait_stop(self, timeout: float) -> None:
        """Sleep up to ``timeout`` seconds, waking early when asked to stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout)

    async def wait_idle(self, timeout: float) -> bool:
        """True once no pass is running (the part in flight is done), False on timeout."""
        try:
            await asyncio.wait_for(self._lock.acquire(), timeout)
        except TimeoutError:
            return False
        self._lock.release()
        return True

    def channel_for(self, job: Job) -> int:
        if job.channel_id:
            return job.channel_id
        return self.admin_channel_id if job.kind == "notice" else self.channel_id

    # -- passes -------------------------------------------------------------------------
    async def deliver_due(self) -> Outcome:
        """Send the rows that are due, oldest first; stop at the first that must wait."""
        outcome = Outcome()
        async with self._lock:
            for _ in range(3):  # a row given up queues a notice: post it in the same pass
                failed_before = outcome.failed
                jobs = await asyncio.to_thread(self._load_due, self.clock())
                finished = True
                for job in jobs:
                    if self.stopping or not await self._deliver(job, outcome):
                        finished = False
                        break
                if not finished or outcome.failed == failed_before:
                    break
        if outcome.sent or outcome.failed:
            log.info(
                "delivered %d row(s) in %d message(s) (%d found already posted), %d failed",
                outcome.sent,
                outcome.parts,
                outcome.recovered,
                outcome.failed,
            )
        return outcome

    async def deliver(self) -> int:
        """Scheduler hook: one pass, returns rows delivered."""
        return (await self.deliver_due()).sent

    async def drain(self, timeout: float | None = None) -> Outcome:
        """Pass after pass, sleeping out backoffs, until nothing is pending (or stop)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout if timeout is not None else None
        total = Outcome()
        while not self.stopping:
            total.add(await self.deliver_due())
            due = await asyncio.to_thread(self._next_due)
            if due is None or self.stopping:
                break
            delay = max((due - self.clock()).total_seconds(), 0.01)
            if deadline is not None:
                if loop.time() >= deadline:
                    break
                delay = min(delay, deadline - loop.time())
            await self.wait_stop(delay)
        return total

    async def _deliver(self, job: Job, outcome: Outcome) -> bool:
        """Post the remaining parts of one row; False when the pass should stop here."""
        channel = self.channel_for(job)
        if not job.messages:  # nothing to post (cannot be queued so; never loop on it)
            await asyncio.to_thread(self._part_done, job.id, "", True)
            return True
        if self.require_channel and not channel:
            await self._give_up(job, 0, "no channel configured (discord.channel_id)", outcome)
            return True
        unsure = job.failures > 0  # an earlier attempt's outcome is unknown
        total = len(job.messages)
        for part in range(len(job.message_ids), total):
            if self.stopping:
                return False
            try:
                found = None
                if unsure:
                    mark = marker(job.kind, job.key, part, total)
                    found, unsure = await self.transport.find(channel, mark), False
                if found is not None:
                    message_id = found
                    outcome.recovered += 1
                    log.info("part %d/%d of %s was already posted", part + 1, total, job.key)
                else:
                    await asyncio.to_thread(self._begin_attempt, job.id)
                    job.attempts += 1
                    message_id = await self.transport.post(
                        channel, job.messages[part], nonce(job.key, part)
                    )
            except DeliveryError as err:
                if err.permanent or job.failures >= self.policy.max_failures:
                    await self._give_up(job, channel, err.reason, outcome)
                    return True
                await self._retry_later(job, err)
                outcome.errors.append(err.reason)
                return False
            last = part == total - 1
            await asyncio.to_thread(self._part_done, job.id, message_id, last)
            job.message_ids.append(message_id)
            outcome.parts += 1
        outcome.sent += 1
        return True

    async def _retry_later(self, job: Job, err: DeliveryError) -> None:
        wait = backoff_seconds(job.failures, self.policy, random.uniform(0.5, 1.0))
        wait = max(wait, err.retry_after or 0.0)
        log.warning("delivery of %s failed (%s); retry in %.1fs", job.key, err.reason, wait)
        await asyncio.to_thread(
            self._set_retry, job.id, err.reason, self.clock() + timedelta(seconds=wait)
        )

    async def _give_up(self, job: Job, channel: int, reason: str, outcome: Outcome) -> None:
        log.error("giving up on %s %s for channel %s: %s", job.kind, job.key, channel, reason)
        tell_admin = self.admin_channel_id and self.admin_channel_id != channel
        text = (
            f"Could not post {job.kind} {job.key[:16]} to channel {channel}: {reason}. "
            "It will not be retried; fix the channel or the bot's permissions."
        )
        await asyncio.to_thread(self._fail, job.id, reason, text if tell_admin else None)
        outcome.failed += 1
        outcome.errors.append(reason)

    # -- store (run in a worker thread) ---------------------------------------------------
    def _load_due(self, now: datetime, limit: int = 100) -> list[Job]:
        jobs = []
        with self.store.session() as session:
            rows = session.scalars(
                select(models.Outbox)
                .where(models.Outbox.state == models.OutboxState.PENDING)
                .order_by(models.Outbox.id)
                .limit(limit)
            )
            for row in rows:
                if row.next_attempt_at is not None and row.next_attempt_at > now:
                    break  # keep the order: later rows wait for this one
                jobs.append(
                    Job(
                        row.id,
                        row.key,
                        row.kind,
                        row.channel_id,
                        messages_of(row),
                        row.attempts,
                        list(row.message_ids or []),
                    )
                )
        return jobs

    def _next_due(self) -> datetime | None:
        with self.store.session() as session:
            head = session.scalars(
                select(models.Outbox)
                .where(models.Outbox.state == models.OutboxState.PENDING)
                .order_by(models.Outbox.id)
                .limit(1)
            ).first()
            if head is None:
                return None
            return head.next_attempt_at or self.clock()

    def _begin_attempt(self, row_id: int) -> None:
        with self.store.session() as session:
            row = session.get(models.Outbox, row_id)
            row.attempts += 1

    def _part_done(self, row_id: int, message_id: str, last: bool) -> None:
        with self.store.session() as session:
            row = session.get(models.Outbox, row_id)
            if message_id:
                row.message_ids = [*(row.message_ids or []), message_id]
            row.last_error, row.next_attempt_at = None, None
            if last:
                row.state, row.sent_at = models.OutboxState.SENT, self.clock()

    def _set_retry(self, row_id: int, reason: str, when: datetime) -> None:
        with self.store.session() as session:
            row = session.get(models.Outbox, row_id)
            row.last_error, row.next_attempt_at = reason, when

    def _fail(self, row_id: int, reason: str, notice: str | None) -> None:
        with self.store.session() as session:
            row = session.get(models.Outbox, row_id)
            row.state, row.last_error = models.OutboxState.FAILED, reason
            if notice:
                queue_notice(session, notice, now=self.clock(), channel_id=self.admin_channel_id)
