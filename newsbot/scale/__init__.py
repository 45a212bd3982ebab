"""Scaled mode: many feeds, several worker processes, one PostgreSQL store.

The bot process keeps its APScheduler jobs, but in scaled mode its poll job only *defers*
each due feed as a procrastinate job (``defer.FeedQueue``); ``newsbot worker`` processes run
those jobs with the same ``poll_feed`` the embedded mode uses (``worker``). procrastinate
(a PostgreSQL-based task queue, no extra broker) gives one job per feed at a time (queueing
lock + lock), retries, heartbeats and stalled-job recovery (``queue``). Its tables are
created by its own schema path from ``newsbot init`` (``schema``); Alembic owns ours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsbot.config import ConfigError

if TYPE_CHECKING:
    from newsbot.app import Newsbot
    from newsbot.scale.defer import FeedQueue


class ScaleError(ConfigError):
    """Scaled mode asked for where it cannot work (e.g. on SQLite)."""


def require_postgresql(bot: Newsbot, what: str) -> None:
    if bot.store.dialect != "postgresql":
        raise ScaleError(
            f"{what} needs a PostgreSQL store (database.url = "
            f'"postgresql+psycopg://HOST:5432/DB"); this one is {bot.store.dialect}'
        )


def feed_queue_for(bot: Newsbot) -> FeedQueue | None:
    """The bot's job queue in scaled mode, ``None`` in embedded mode (the bot polls)."""
    if bot.config["scale.mode"] != "scaled":
        return None
    require_postgresql(bot, 'scale.mode = "scaled"')
    from newsbot.scale.defer import FeedQueue

    return FeedQueue(bot)
