"""Feed health: when to fetch next, when to back off, when to give up. Pure policy.

Data and time in, decision out (no clock, no database): the poll function passes ``now`` and
an ``rng`` and stores the returned :class:`FeedHealth`.

Policy:

- success (200 or 304) → ``active``, failures reset, next fetch at ``now + interval`` plus up to
  ``SUCCESS_JITTER`` of the interval (so feeds added together drift apart). A publisher's RSS
  ``<ttl>`` (passed as ``publisher_interval``) is honoured when longer than our interval, up
  to ``max_interval``: it is an explicit request about polling. ``Cache-Control: max-age`` is
  *not* used: it is a cache hint (CDN defaults are arbitrary), and conditional GETs already
  make frequent polls cheap.
- failure → ``backoff`` with delay drawn from ``[base/2, base]``, ``base = interval · 2^n``
  for the n-th consecutive failure, capped at ``max_backoff``: never sooner than the normal
  interval, doubling, jittered. A server's ``Retry-After`` wins when longer (capped at
  ``max_retry_after``).
- ``max_failures`` consecutive failures → ``paused`` (the channel is told; only a person
  resumes it). 410 Gone pauses at once.
- A 200 whose body is not a feed (the caller passes the parse error) counts as a failure:
  a feed that turned into an HTML page is broken for the desk even if HTTP is fine.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from newsbot.feeds.fetch import FetchResult

SUCCESS_JITTER = 0.1  # fraction of the interval added at random after a success


class FeedState(enum.StrEnum):
    """Where a feed stands; compares equal to its string value."""

    ACTIVE = "active"  # fetched on schedule
    BACKOFF = "backoff"  # recent failures: fetched later and later
    PAUSED = "paused"  # not fetched until someone resumes it
    REMOVED = "removed"  # unwatched (``!feed remove``); kept so its figures keep a source


@dataclass(frozen=True, slots=True)
class FeedHealth:
    state: FeedState = FeedState.ACTIVE
    consecutive_failures: int = 0
    next_fetch_at: datetime | None = None  # None = due now
    last_error: str | None = None
    paused_reason: str | None = None


def after_fetch(
    health: FeedHealth,
    result: FetchResult,
    *,
    now: datetime,
    interval: timedelta,
    max_failures: int,
    rng: random.Random,
    parse_error: str | None = None,
    publisher_interval: timedelta | None = None,
    max_interval: timedelta = timedelta(hours=6),
    max_backoff: timedelta = timedelta(hours=12),
    max_retry_after: timedelta = timedelta(hours=24),
) -> FeedHealth:
    """The feed's health after one fetch (and, for a 200, its parse)."""
    if result.status == "gone":
        return FeedHealth(
            FeedState.PAUSED,
            health.consecutive_failures + 1,
            None,
            result.error,
            "the server says the feed is gone (HTTP 410); remove it or resume with a new URL",
        )
    failed = result.status == "error" or (result.status == "ok" and parse_error is not None)
    if not failed:
        wait = interval
        if publisher_interval is not None and publisher_interval > wait:
            wait = min(publisher_interval, max(max_interval, interval))
        wait += interval * (SUCCESS_JITTER * rng.random())
        return FeedHealth(FeedState.ACTIVE, 0, now + wait, None, None)

    error = result.error if result.status == "error" else f"not a usable feed: {parse_error}"
    failures = health.consecutive_failures + 1
    if failures >= max_failures:
        reason = f"{failures} failed fetches in a row; last error: {error}"
        return FeedHealth(FeedState.PAUSED, failures, None, error, reason)
    base = min(interval * 2**failures, max(max_backoff, interval))
    delay = base * (0.5 + 0.5 * rng.random())
    if result.retry_after is not None:
        delay = max(delay, min(timedelta(seconds=result.retry_after), max_retry_after))
    return FeedHealth(FeedState.BACKOFF, failures, now + delay, error, None)


def resume(health: FeedHealth) -> FeedHealth:
    """A person resumed the feed: fetch it at once, forget the failure streak."""
    return replace(health, state=FeedState.ACTIVE, consecutive_failures=0,
                   next_fetch_at=None, paused_reason=None)  # fmt: skip


def notice(before: FeedHealth, after: FeedHealth, feed_name: str) -> str | None:
    """The channel message a state change deserves, or ``None``.

    Only pauses and recovery from a pause are announced; a backoff is routine and would be
    noise (it shows up in ``!feeds``).
    """
    if after.state == FeedState.PAUSED and before.state != FeedState.PAUSED:
        return f"Feed {feed_name} paused: {after.paused_reason}. Use !feed resume to try again."
    if before.state == FeedState.PAUSED and after.state == FeedState.ACTIVE:
        return f"Feed {feed_name} is working again."
    return None
