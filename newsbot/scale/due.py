"""How long a publisher asks us to wait before the next fetch: RSS ``<ttl>`` and the HTTP
``Cache-Control: max-age`` of the response, whichever is longer. Pure functions.

``feeds.health.after_fetch`` takes the result as ``publisher_interval``: it can only lengthen
our own interval (capped at six hours there), never shorten it, so a CDN's default
``max-age=60`` changes nothing while a feed that says "fresh for two hours" is not asked
every fifteen minutes. ``no-cache`` / ``no-store`` mean "revalidate each time": no wait.
On a 304 there is no document, so only the header speaks.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

MAX_AGE_LIMIT = timedelta(days=7)  # larger values are nonsense for a news feed: ignored


def cache_max_age(headers: Mapping[str, str]) -> timedelta | None:
    """``max-age`` of a response's Cache-Control header (lower-case header names)."""
    value = headers.get("cache-control", "")
    max_age = None
    for directive in value.lower().split(","):
        name, _, arg = directive.strip().partition("=")
        if name in ("no-cache", "no-store"):
            return None
        if name == "max-age":
            try:
                seconds = int(arg.strip().strip('"'))
            except ValueError:
                return None  # malformed: as if absent
            if seconds <= 0:
                return None
            max_age = timedelta(seconds=seconds)
    if max_age is not None and max_age > MAX_AGE_LIMIT:
        return None
    return max_age


def publisher_interval(ttl: timedelta | None, headers: Mapping[str, str]) -> timedelta | None:
    """The longer of the feed's ``<ttl>`` and the response's ``max-age``, or None."""
    waits = [w for w in (ttl, cache_max_age(headers)) if w is not None]
    return max(waits) if waits else None
