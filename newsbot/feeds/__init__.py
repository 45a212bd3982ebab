"""Feeds: fetch, parse and de-duplicate RSS/Atom entries.

Public surface used by the pipeline:

- ``parse.parse_feed(content, *, url=None, headers=None, source=None) -> ParsedFeed``
- ``fetch.fetch_feed(client, url, ...) -> FetchResult`` (async, httpx)
- ``dedup``: the keys an entry is recognised by (guid, canonical link, content hash)
"""
