"""``newsbot queue``: what the job queue and the workers are doing, read from the store."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from newsbot.app import Newsbot
from newsbot.scale import require_postgresql
from newsbot.scale.queue import POLL_TASK
from newsbot.scale.schema import require_queue_schema


@dataclass(frozen=True)
class WorkerBeat:
    id: int
    seconds_since_heartbeat: float


@dataclass(frozen=True)
class QueueStatus:
    jobs: dict[str, int]  # poll jobs by procrastinate status (todo, doing, failed, ...)
    workers: tuple[WorkerBeat, ...]
    overdue_feeds: int  # active feeds past their due time
    oldest_overdue_seconds: float | None

    def lines(self, stalled_after: float) -> list[str]:
        jobs = ", ".join(f"{n} {s}" for s, n in sorted(self.jobs.items())) or "none"
        out = [f"poll jobs: {jobs}"]
        if not self.workers:
            out.append("workers: none registered (start `newsbot worker`)")
        for w in self.workers:
            state = "STALLED" if w.seconds_since_heartbeat > stalled_after else "alive"
            out.append(f"worker {w.id}: {state}, heartbeat {w.seconds_since_heartbeat:.0f} s ago")
        overdue = f"feeds past due: {self.overdue_feeds}"
        if self.oldest_overdue_seconds is not None:
            overdue += f" (oldest by {self.oldest_overdue_seconds:.0f} s)"
        out.append(overdue)
        return out


def queue_status(bot: Newsbot) -> QueueStatus:
    require_postgresql(bot, "newsbot queue")
    require_queue_schema(bot.store)
    with bot.store.engine.connect() as conn:
        jobs = dict(
            conn.execute(
                text(
                    "SELECT status::text, count(*) FROM procrastinate_jobs "
                    "WHERE task_name = :task GROUP BY status"
                ),
                {"task": POLL_TASK},
            ).all()
        )
        workers = tuple(
            WorkerBeat(wid, float(age))
            for wid, age in conn.execute(
                text(
                    "SELECT id, EXTRACT(EPOCH FROM now() - last_heartbeat) "
                    "FROM procrastinate_workers ORDER BY id"
                )
            )
        )
        count, oldest = conn.execute(
            text(
                "SELECT count(*), EXTRACT(EPOCH FROM now() - min(next_fetch_at)) FROM feeds "
                "WHERE state IN ('active', 'backoff') AND next_fetch_at < now()"
            )
        ).one()
    return QueueStatus(jobs, workers, int(count), float(oldest) if oldest is not None else None)
