"""Feeds: fetch, parse and de-duplicate RSS/Atom entries.

Modules in the order data moves (none of them touches the database):

- ``guard``: which URLs may be fetched at all (SSRF): ``check_url``, ``FeedURLError``.
- ``fetch``: ``make_client()``, ``Fetcher`` (per-host limit), async ``fetch_feed(client, url, ...)
  -> FetchResult``; never raises for network/HTTP problems.
- ``parse``: ``parse_feed(content, *, url=None, headers=None, source=None) -> ParsedFeed``
  (items oldest first); never raises.
- ``dedup``: ``dedup_keys(item)``, ``entry_fingerprint(title, text)``, ``classify_entry(keys,
  fingerprint, seen) -> Classification`` (new / seen / updated), ``SeenIndex``.
- ``health``: ``after_fetch(health, result, ...) -> FeedHealth`` (backoff / pause policy) and
  ``notice(before, after, name)`` for the channel.
- ``text``: HTML → plain text.
"""
