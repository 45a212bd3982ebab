"""One poll of one feed: fetch → parse → ingest → health. The same function in every mode.

Reads like a feed reader's refresh: load what the store knows of the feed, fetch
conditionally, parse the bytes, run new entries through the pipeline, then record the feed's
health (backoff, pause, moved URL) — one transaction for the outcome. A failing feed is a
value, never an exception, so one bad feed cannot stop a cycle.

``file://`` URLs are read from disk: only feeds named in the config file may use them (the
bundled demo feeds); ``!feed add`` accepts http(s) only.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import select, text, update

from newsbot import models
from newsbot.app import Newsbot, now_utc
from newsbot.config import Config
from newsbot.feeds.fetch import Fetcher, FetchResult, make_client
from newsbot.feeds.health import FeedHealth, after_fetch, notice
from newsbot.feeds.parse import ParsedFeed, parse_feed
from newsbot.outbox import queue_notice
from newsbot.pipeline import EntryReport
from newsbot.scale.due import publisher_interval
from newsbot.types import Item

log = logging.getLogger(__name__)

_RNG = random.Random()  # jitter of next fetch times; seeding one per poll costs more than a poll


@dataclass(frozen=True)
class PollResult:
    """What one poll did, for logs, ``!feeds`` and tests."""

    feed_id: int
    url: str
    status: str  # ok | not_modified | gone | error | skipped
    new: int = 0
    seen: int = 0
    error: str | None = None
    reports: tuple[EntryReport, ...] = ()


@contextlib.asynccontextmanager
async def open_fetcher(config: Config) -> AsyncIterator[Fetcher]:
    """The guarded HTTP client of one process, with per-host politeness."""
    async with make_client(timeout=config["polling.timeout_seconds"]) as client:
        yield Fetcher(client)


def read_file_url(url: str) -> FetchResult:
    """A local feed file as if fetched (demo feeds, tests)."""
    path = Path(unquote(urlsplit(url).path))
    try:
        content = path.read_bytes()
    except OSError as exc:
        return FetchResult("error", url, error=f"cannot read {path}: {exc.strerror}")
    return FetchResult("ok", url, content=content)


async def fetch(
    bot: Newsbot,
    fetcher: Fetcher,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    if urlsplit(url).scheme == "file":
        return read_file_url(url)
    cfg = bot.config
    return await fetcher.fetch(
        url,
        etag=etag,
        last_modified=last_modified,
        max_bytes=cfg["polling.max_bytes"],
        allow_private=cfg["polling.allow_private"],
        timeout=cfg["polling.timeout_seconds"],
    )


def announce_flags(count: int, *, first_poll: bool, backfill: int) -> list[bool]:
    """Which of ``count`` entries (oldest first) to announce: all, or the newest ``backfill``
    on a feed's first poll."""
    if not first_poll:
        return [True] * count
    return [i >= count - backfill for i in range(count)]


async def poll_feed(
    bot: Newsbot,
    fetcher: Fetcher,
    feed_id: int,
    *,
    now: datetime | None = None,
    rng: random.Random | None = None,
    known: FeedSnapshot | None = None,
) -> PollResult:
    """Poll one feed once and store everything it yields."""
    now = now or now_utc()
    fetched = await fetch_parsed(bot, fetcher, feed_id, now=now, rng=rng, known=known)
    if isinstance(fetched, PollResult):
        return fetched
    (result,) = await asyncio.to_thread(record, bot, [fetched], now, rng or _RNG)
    return result


@dataclass(frozen=True)
class Fetched:
    """A feed's fetch outcome and, for a 200, its parse — not yet stored."""

    feed_id: int
    result: FetchResult
    parsed: ParsedFeed | None


@dataclass(frozen=True)
class FeedSnapshot:
    """What a poll must know of a feed before fetching it."""

    url: str
    etag: str | None
    last_modified: str | None
    state: str
    consecutive_failures: int

    @property
    def watched(self) -> bool:
        return self.state not in (models.FeedState.PAUSED, models.FeedState.REMOVED)


SNAPSHOT_COLUMNS = (
    models.Feed.url,
    models.Feed.etag,
    models.Feed.last_modified,
    models.Feed.state,
    models.Feed.consecutive_failures,
)


def read_snapshot(bot: Newsbot, feed_id: int) -> FeedSnapshot | None:
    with bot.store.session() as session:
        row = session.execute(
            select(*SNAPSHOT_COLUMNS).where(models.Feed.id == feed_id)
        ).one_or_none()
    return FeedSnapshot(*row) if row is not None else None


async def fetch_parsed(
    bot: Newsbot,
    fetcher: Fetcher,
    feed_id: int,
    *,
    now: datetime | None = None,
    rng: random.Random | None = None,
    known: FeedSnapshot | None = None,
) -> Fetched | PollResult:
    """Fetch and parse one feed. A PollResult when nothing is left to store: ``skipped``
    (paused or gone) or, on PostgreSQL, ``not_modified`` already recorded by the cheap path.

    ``known``: the feed as read when the poll was scheduled (the scaled-mode job carries it),
    saving a read per poll; the feed is read afresh before anything but that cheap UPDATE."""
    row = known or read_snapshot(bot, feed_id)
    if row is None or not row.watched:
        return PollResult(feed_id, row.url if row else "", "skipped")
    url = row.url
    result = await fetch(bot, fetcher, url, etag=row.etag, last_modified=row.last_modified)
    if (
        bot.store.dialect == "postgresql"  # SQLite could block the loop on its file lock
        and row.state == models.FeedState.ACTIVE
        and row.consecutive_failures == 0
        and result.status == "not_modified"
        and not result.permanent_redirect
        and record_unchanged(bot, feed_id, result, now or now_utc(), rng or _RNG)
    ):
        return PollResult(feed_id, url, "not_modified")
    if known is not None:  # paused or removed since it was scheduled? then store nothing
        current = read_snapshot(bot, feed_id)
        if current is None or not current.watched:
            return PollResult(feed_id, url, "skipped")
    parsed: ParsedFeed | None = None
    if result.status == "ok":
        parsed = await asyncio.to_thread(
            parse_feed, result.content, url=result.url, headers=result.headers
        )
    return Fetched(feed_id, result, parsed)


def record_unchanged(
    bot: Newsbot, feed_id: int, result: FetchResult, now: datetime, rng: random.Random
) -> bool:
    """The common case, kept cheap: a healthy feed answered 304. No parse, no ORM load, one
    small UPDATE, done in the event loop without a thread hop. False if the feed changed since
    it was read (paused meanwhile, say): then ``record`` decides.

    The commit does not wait for the WAL flush (``synchronous_commit`` off for this one
    transaction): if PostgreSQL crashed in that moment the feed would merely be polled once
    more. Nothing else is written this way."""
    cfg = bot.config
    health = after_fetch(
        FeedHealth(),
        result,
        now=now,
        interval=timedelta(minutes=cfg["polling.interval_minutes"]),
        max_failures=cfg["polling.max_failures"],
        rng=rng,
        publisher_interval=publisher_interval(None, result.headers),
    )
    with bot.store.session() as session:
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        updated = session.execute(
            update(models.Feed)
            .where(
                models.Feed.id == feed_id,
                models.Feed.state == models.FeedState.ACTIVE,
                models.Feed.consecutive_failures == 0,
            )
            .values(next_fetch_at=health.next_fetch_at, last_fetch_at=now, last_error=None)
            .execution_options(synchronize_session=False)
        )
        return updated.rowcount == 1


def record(
    bot: Newsbot, batch: list[Fetched], now: datetime, rng: random.Random
) -> list[PollResult]:
    """Store what a batch of feeds yielded — every entry of every feed in one publication
    order, so which copy of a story counts as the first does not depend on which server
    answered first — then each feed's health."""
    cfg = bot.config
    queue: list[tuple[Item, int, bool]] = []
    for fetched in batch:
        parsed = fetched.parsed
        if parsed is None or not parsed.items:
            continue
        with bot.store.session() as session:
            feed = session.get(models.Feed, fetched.feed_id)
            first = not feed.polled_once
            backfill = feed.backfill if feed.backfill is not None else cfg["polling.backfill"]
        flags = announce_flags(len(parsed.items), first_poll=first, backfill=backfill)
        queue += [
            (item, fetched.feed_id, flag) for item, flag in zip(parsed.items, flags, strict=True)
        ]
    queue.sort(key=lambda entry: (entry[0].published is None, entry[0].published or now))
    reports: dict[int, list[EntryReport]] = {f.feed_id: [] for f in batch}
    for feed_id, run in itertools.groupby(queue, key=lambda entry: entry[1]):
        entries = list(run)
        reports[feed_id] += bot.ingest(
            [e[0] for e in entries], feed_id=feed_id, announce=[e[2] for e in entries], now=now
        )
    return [
        _record_health(bot, f.feed_id, f.result, f.parsed, reports[f.feed_id], now, rng)
        for f in batch
    ]


def _record_health(
    bot: Newsbot,
    feed_id: int,
    result: FetchResult,
    parsed: ParsedFeed | None,
    reports: list[EntryReport],
    now: datetime,
    rng: random.Random,
) -> PollResult:
    cfg = bot.config
    with bot.store.session() as session:
        feed = session.get(models.Feed, feed_id)
        before = FeedHealth(
            state=feed.state,
            consecutive_failures=feed.consecutive_failures,
            next_fetch_at=feed.next_fetch_at,
            last_error=feed.last_error,
            paused_reason=feed.paused_reason,
        )
        health = after_fetch(
            before,
            result,
            now=now,
            interval=timedelta(minutes=cfg["polling.interval_minutes"]),
            max_failures=cfg["polling.max_failures"],
            rng=rng,
            parse_error=parsed.error if parsed is not None and not parsed.items else None,
            publisher_interval=publisher_interval(parsed.ttl if parsed else None, result.headers),
        )
        feed.state, feed.consecutive_failures = health.state, health.consecutive_failures
        feed.next_fetch_at, feed.last_error = health.next_fetch_at, health.last_error
        feed.paused_reason, feed.last_fetch_at = health.paused_reason, now
        if health.consecutive_failures > before.consecutive_failures:
            feed.error_count += 1
        if result.status == "ok":
            feed.etag, feed.last_modified = result.etag, result.last_modified
            feed.polled_once = True
            if parsed is not None:
                feed.parse_problem = parsed.error
                if parsed.title and feed.name == feed.url:
                    feed.name = parsed.title[:200]
        if result.permanent_redirect and result.permanent_redirect != feed.url:
            log.info("feed %s moved permanently to %s", feed.url, result.permanent_redirect)
            feed.url = result.permanent_redirect
        message = notice(before, health, f"{feed.name} <{feed.url}>")
        if message:
            queue_notice(session, message, now=now)
        url = feed.url
    new = sum(r.new for r in reports)
    log.info(
        "polled %s: %s, %d new, %d seen%s",
        url,
        result.status,
        new,
        len(reports) - new,
        f" ({result.error})" if result.error else "",
    )
    return PollResult(
        feed_id,
        url,
        result.status,
        new=new,
        seen=len(reports) - new,
        error=result.error or (parsed.error if parsed else None),
        reports=tuple(reports),
    )


def due_feeds(bot: Newsbot, now: datetime) -> list[int]:
    """Feeds not paused whose next fetch time has come (or never polled)."""
    from sqlalchemy import or_, select

    with bot.store.session() as session:
        return list(
            session.scalars(
                select(models.Feed.id)
                .where(
                    models.Feed.state.in_([models.FeedState.ACTIVE, models.FeedState.BACKOFF]),
                    or_(models.Feed.next_fetch_at.is_(None), models.Feed.next_fetch_at <= now),
                )
                .order_by(models.Feed.id)
            )
        )


async def poll_due(
    bot: Newsbot, fetcher: Fetcher, *, now: datetime | None = None
) -> list[PollResult]:
    """Poll every due feed: fetches overlap, then everything is stored in one order."""
    now = now or now_utc()
    ids = due_feeds(bot, now)
    fetched = await asyncio.gather(
        *(fetch_parsed(bot, fetcher, i, now=now) for i in ids), return_exceptions=True
    )
    out: list[PollResult] = []
    batch: list[Fetched] = []
    for feed_id, res in zip(ids, fetched, strict=True):
        if isinstance(res, BaseException):
            log.error("poll of feed %s failed", feed_id, exc_info=res)
            out.append(PollResult(feed_id, "", "error", error=f"internal error: {res!r}"))
        elif isinstance(res, PollResult):
            out.append(res)
        else:
            batch.append(res)
    if batch:
        out += await asyncio.to_thread(record, bot, batch, now, random.Random())
    return out
