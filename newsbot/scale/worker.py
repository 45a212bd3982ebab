"""``newsbot worker``: a process that runs feed polls from the PostgreSQL job queue.

One process, one event loop, ``scale.worker_concurrency`` polls in flight: fetches overlap
while they wait on the network, so a worker keeps many feeds going on one core. Start as many
as the machines allow; they coordinate only through the queue and the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import httpx

from newsbot.config import Config
from newsbot.feeds.fetch import Fetcher, make_client
from newsbot.scale import require_postgresql
from newsbot.scale.queue import QUEUE, make_app
from newsbot.scale.schema import require_queue_schema
from newsbot.scale.tasks import PollStats, WorkerRuntime
from newsbot.scale.workerbot import WorkerBot

log = logging.getLogger(__name__)

PER_JOB_LOGGERS = ("procrastinate", "newsbot.poll")


def quiet_per_job_logs() -> None:
    """At thousands of polls a minute one line per job is noise; a summary a minute is kept."""
    for name in PER_JOB_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def feed_client(config: Config, concurrency: int) -> httpx.AsyncClient:
    """The same guarded client as the bot's, with a connection for each poll in flight."""
    return make_client(
        timeout=config["polling.timeout_seconds"],
        max_connections=concurrency,
        max_keepalive=concurrency,
    )


async def log_summaries(stats: PollStats, every: float, name: str) -> None:
    started = time.monotonic()
    while True:
        await asyncio.sleep(every)
        now = time.monotonic()
        window = stats.take()
        if window.by_status:
            log.info("%s: %s", name, window.summary(now - started))
        started = now


async def run_worker(
    config: Config,
    *,
    concurrency: int | None = None,
    name: str | None = None,
    install_signal_handlers: bool = True,
    summary_every: float = 60.0,
) -> None:
    """Run poll jobs until SIGINT/SIGTERM (running polls finish first)."""
    bot = WorkerBot(config)
    try:
        require_postgresql(bot, "newsbot worker")
        bot.store.check()
        await asyncio.to_thread(require_queue_schema, bot.store)
        concurrency = concurrency or config["scale.worker_concurrency"]
        name = name or "worker"
        app = make_app(config, role=f"newsbot-{name}")
        await asyncio.to_thread(lambda: bot.matcher)  # build it before the first job needs it
        async with (
            feed_client(config, concurrency) as client,
            app.open_async(),
        ):
            runtime = WorkerRuntime(bot, Fetcher(client))
            summaries = asyncio.create_task(log_summaries(runtime.stats, summary_every, name))
            log.info("%s: polling up to %d feed(s) at once from queue %r", name, concurrency, QUEUE)
            try:
                await app.run_worker_async(
                    name=name,
                    queues=[QUEUE],
                    concurrency=concurrency,
                    additional_context={"newsbot": runtime},
                    delete_jobs="successful",
                    update_heartbeat_interval=float(config["scale.heartbeat_seconds"]),
                    stalled_worker_timeout=float(config["scale.stalled_after_seconds"]),
                    fetch_job_polling_interval=1.0,
                    install_signal_handlers=install_signal_handlers,
                )
            finally:
                summaries.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await summaries
    finally:
        bot.close()
