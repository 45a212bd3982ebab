"""The newsbot object: config + store + matcher, and the operations every front end uses.

The CLI, the Discord bot, the scheduler and the workers all hold one ``Newsbot`` and call the
same methods, so a feed added from Discord and one added on the command line are the same row,
and a poll is the same code everywhere.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from newsbot import models
from newsbot.config import Config
from newsbot.digest import DigestEntry
from newsbot.matching.index import Matcher
from newsbot.pipeline import EntryReport, build_matcher, ingest, stored_findings
from newsbot.seeds import import_seeds, read_seeds
from newsbot.store import Store
from newsbot.types import Item, Match


class FeedCommandError(ValueError):
    """A feed command cannot be done as asked (unknown feed, duplicate, bad URL)."""


@dataclass(frozen=True)
class InitReport:
    revision: str | None
    seeds_added: int
    seeds_total: int
    feeds_added: int


def now_utc() -> datetime:
    return datetime.now(UTC)


class Newsbot:
    """Holds the store and the matcher; one per process."""

    def __init__(self, config: Config, store: Store | None = None) -> None:
        self.config = config
        self.store = store or Store(config.database_url)
        self._matcher: Matcher | None = None
        self._lock = threading.RLock()  # the matcher and a pass's writes are one at a time

    # -- set-up -------------------------------------------------------------------------
    def init(self, *, progress: bool = True) -> InitReport:
        """Create or upgrade the schema, import the seeds, register the configured feeds."""
        self.store.migrate()
        if self.store.dialect == "postgresql":  # the job queue of scaled mode lives there too
            from newsbot.scale.schema import ensure_queue_schema

            ensure_queue_schema(self.store)
        seeds_dir = self.config.seeds_dir
        seeds = read_seeds(seeds_dir) if seeds_dir.is_dir() else []
        with self.store.session() as session:
            added = import_seeds(session, seeds, progress=progress)
        feeds_added = self.sync_config_feeds()
        self._matcher = None
        return InitReport(self.store.current_revision(), added, len(seeds), feeds_added)

    def sync_config_feeds(self) -> int:
        """Add the feeds named in the config that the store does not have yet."""
        added = 0
        with self.store.session() as session:
            known = set(session.scalars(select(models.Feed.url)))
            for spec in self.config.feeds:
                if spec.url not in known:
                    session.add(models.Feed(name=spec.name, url=spec.url, backfill=spec.backfill))
                    added += 1
        return added

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.config["figures.conflict_window_days"])

    @property
    def matcher(self) -> Matcher:
        """Built from the store on first use, then grown as items arrive."""
        with self._lock:
            if self._matcher is None:
                with self.store.session() as session:
                    self._matcher = build_matcher(
                        session,
                        threshold=self.config["matching.relevance_threshold"],
                        duplicate_threshold=self.config["matching.duplicate_threshold"],
                        aliases=self.config["matching.aliases"],
                    )
            return self._matcher

    # -- ingest -------------------------------------------------------------------------
    def ingest(
        self,
        items: Sequence[Item],
        *,
        feed_id: int | None,
        announce: Sequence[bool] | None = None,
        now: datetime | None = None,
    ) -> list[EntryReport]:
        """Run items through the pipeline in one transaction."""
        now = now or now_utc()
        matcher = self.matcher
        with self._lock, self.store.session() as session:
            feed = session.get(models.Feed, feed_id) if feed_id is not None else None
            return ingest(
                session,
                items,
                feed=feed,
                matcher=matcher,
                window=self.window,
                announce=announce,
                now=now,
            )

    def feed_for_check(self, url: str, name: str | None) -> int:
        """The feed row a one-off ``check`` stores its items under (created paused)."""
        with self.store.session() as session:
            feed = session.scalars(select(models.Feed).where(models.Feed.url == url)).first()
            if feed is None:
                feed = models.Feed(
                    name=name or url,
                    url=url,
                    state=models.FeedState.PAUSED,
                    paused_reason="checked once with `newsbot check`; resume it to watch it",
                    polled_once=True,
                )
                session.add(feed)
                session.flush()
            return feed.id

    # -- digests ------------------------------------------------------------------------
    def pending_entries(self, session, limit: int = 200) -> list[tuple[models.Item, DigestEntry]]:
        """Relevant, announced, not yet digested items, oldest first."""
        rows = session.scalars(
            select(models.Item)
            .where(models.Item.announce.is_(True), models.Item.digest_id.is_(None))
            .order_by(models.Item.published.is_(None), models.Item.published, models.Item.id)
            .limit(limit)
        ).all()
        return [(row, self.digest_entry(session, row)) for row in rows]

    def digest_entry(self, session, row: models.Item) -> DigestEntry:
        findings = stored_findings(session, row)
        best = row.matches[0] if row.matches else None
        copies = session.scalars(
            select(models.Item.source).where(models.Item.duplicate_of_id == row.id)
        ).all()
        return DigestEntry(
            item_id=row.entry_id,
            title=row.title,
            link=row.link,
            source=row.source,
            published=row.published,
            best_match=Match(story_id=best.story.entry_id, title=best.story.title, score=best.score)
            if best
            else None,
            findings=findings,
            also_in=tuple(sorted({c for c in copies if c})),
        )

    def counts(self) -> dict[str, int]:
        with self.store.session() as session:
            return {
                "feeds": session.scalar(select(func.count(models.Feed.id))) or 0,
                "items": session.scalar(select(func.count(models.Item.id))) or 0,
                "figures": session.scalar(select(func.count(models.FigureRow.id))) or 0,
            }

    def close(self) -> None:
        self.store.dispose()


@dataclass(frozen=True)
class FeedView:
    """A feed's health as ``!feeds`` and ``newsbot feeds`` show it."""

    id: int
    name: str
    url: str
    state: str
    last_fetch_at: datetime | None
    last_new_item_at: datetime | None
    error_count: int
    last_error: str | None
    paused_reason: str | None


def feed_view(feed: models.Feed) -> FeedView:
    return FeedView(
        feed.id,
        feed.name,
        feed.url,
        feed.state,
        feed.last_fetch_at,
        feed.last_new_item_at,
        feed.error_count,
        feed.last_error or feed.parse_problem,
        feed.paused_reason,
    )


def _find_feed(session, ref: str) -> models.Feed:
    """A feed by id, exact URL or name (case-insensitive)."""
    ref = ref.strip()
    feed = None
    if ref.isdigit():
        feed = session.get(models.Feed, int(ref))
    if feed is None:
        feed = session.scalars(
            select(models.Feed).where(
                (models.Feed.url == ref) | (func.lower(models.Feed.name) == ref.lower())
            )
        ).first()
    if feed is None or feed.state == models.FeedState.REMOVED:
        raise FeedCommandError(f"no feed {ref!r}: give its number, URL or name (see `feeds`)")
    return feed


class FeedCommands:
    """Feed management shared by the CLI and the Discord commands."""

    def __init__(self, bot: Newsbot) -> None:
        self.bot = bot

    def list(self) -> list[FeedView]:
        with self.bot.store.session() as session:
            return [
                feed_view(f)
                for f in session.scalars(
                    select(models.Feed)
                    .where(models.Feed.state != models.FeedState.REMOVED)
                    .order_by(models.Feed.id)
                )
            ]

    def add(self, url: str, name: str | None = None) -> FeedView:
        from newsbot.feeds.guard import FeedURLError, check_url

        url = url.strip().strip("<>")
        try:
            check_url(url, allow_private=self.bot.config["polling.allow_private"])
        except FeedURLError as exc:
            raise FeedCommandError(str(exc)) from exc
        with self.bot.store.session() as session:
            feed = session.scalars(select(models.Feed).where(models.Feed.url == url)).first()
            if feed is not None and feed.state != models.FeedState.REMOVED:
                raise FeedCommandError(f"already watching {url} (feed {feed.id}, {feed.name})")
            if feed is None:
                feed = models.Feed(name=(name or url)[:200], url=url)
                session.add(feed)
            else:  # watched before: keep its history and what it knows (ETag, seen items)
                feed.state, feed.paused_reason = models.FeedState.ACTIVE, None
                feed.name = (name or feed.name)[:200]
            session.flush()
            return feed_view(feed)

    def remove(self, ref: str) -> FeedView:
        """Stop watching a feed; what it brought stays on record."""
        with self.bot.store.session() as session:
            feed = _find_feed(session, ref)
            feed.state, feed.paused_reason = models.FeedState.REMOVED, None
            return feed_view(feed)

    def pause(self, ref: str, reason: str = "paused by hand") -> FeedView:
        with self.bot.store.session() as session:
            feed = _find_feed(session, ref)
            feed.state, feed.paused_reason = models.FeedState.PAUSED, reason
            return feed_view(feed)

    def resume(self, ref: str) -> FeedView:
        with self.bot.store.session() as session:
            feed = _find_feed(session, ref)
            feed.state, feed.paused_reason = models.FeedState.ACTIVE, None
            feed.consecutive_failures, feed.next_fetch_at = 0, None
            return feed_view(feed)
