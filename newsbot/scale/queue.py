"""The procrastinate app the bot and the workers share: connection, tasks, retry policy.

Both sides build the same app from the config: the bot only defers jobs with it, a worker
runs them. One poll job per feed at a time comes from two procrastinate features used
together: the *queueing lock* refuses a second waiting job for a feed, the *lock* keeps a
waiting job from starting while another job of the same feed is running (a retried stalled
job, say).
"""

from __future__ import annotations

from typing import Any

import procrastinate
from procrastinate import PsycopgConnector, RetryStrategy
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from newsbot.config import Config
from newsbot.store import StoreError

QUEUE = "newsbot"
POLL_TASK = "newsbot.poll_feed"
RETRY_STALLED_TASK = "newsbot.retry_stalled_jobs"
STALLED_PRIORITY = 100  # ahead of a backlog of polls: recovery must not wait behind them

# A poll reports feed trouble as a value, so an exception is our side failing (database gone,
# a race on a unique constraint): retry after 2, 4, 8, 16 s, then give up until the next
# cycle defers the feed again.
POLL_RETRY = RetryStrategy(
    max_attempts=4, exponential_wait=2, retry_exceptions=[SQLAlchemyError, StoreError, OSError]
)


FEED_LOCK_PREFIX = "newsbot-feed-"


def feed_lock(feed_id: int) -> str:
    """The queueing lock and lock of a feed's poll jobs."""
    return f"{FEED_LOCK_PREFIX}{feed_id}"


def conninfo(database_url: str) -> str:
    """The libpq URL psycopg wants, from the SQLAlchemy URL in the config."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise StoreError(f"the job queue needs PostgreSQL, not {url.get_backend_name()}")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def stalled_cron(stalled_after: float) -> str:
    """A seconds-resolution cron that looks for stalled jobs about three times per timeout."""
    step = max(1, min(30, int(stalled_after // 3)))
    return f"* * * * * */{step}"


def connector_for(
    database_url: str, *, pool_size: int = 4, role: str = "newsbot"
) -> PsycopgConnector:
    """A small pool (the queue's queries are short); ``role`` shows in pg_stat_activity."""
    return PsycopgConnector(
        conninfo=conninfo(database_url),
        min_size=1,
        max_size=pool_size,
        kwargs={"application_name": role},
    )


def make_app(config: Config, *, pool_size: int = 4, role: str = "newsbot") -> procrastinate.App:
    """The app with newsbot's tasks; open it (``open_async``) before use."""
    from newsbot.scale import tasks

    app = procrastinate.App(
        connector=connector_for(config.database_url, pool_size=pool_size, role=role)
    )
    app.task(name=POLL_TASK, queue=QUEUE, pass_context=True, retry=POLL_RETRY)(tasks.poll_feed_job)
    stalled_after = float(config["scale.stalled_after_seconds"])

    async def retry_stalled_jobs(context: Any, timestamp: int) -> int:
        return await tasks.retry_stalled_jobs(context.app, stalled_after)

    stalled_task = app.task(
        name=RETRY_STALLED_TASK,
        queue=QUEUE,
        pass_context=True,
        queueing_lock=RETRY_STALLED_TASK,
        priority=STALLED_PRIORITY,
    )(retry_stalled_jobs)
    app.periodic(cron=stalled_cron(stalled_after), periodic_id="stalled")(stalled_task)
    return app
