"""Robustness gate: every feedparser test document through parse_feed + dedup_keys."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from newsbot.feeds.dedup import dedup_keys
from newsbot.feeds.fetch import fetch_feed, make_client
from newsbot.feeds.parse import parse_feed
from tests.feedserver import FeedServer, corpus_reply

CORPUS = Path(__file__).parent / "data" / "feedparser-corpus"


def corpus_files() -> list[Path]:
    return sorted(
        p for p in CORPUS.rglob("*") if p.is_file() and p.name not in {"LICENSE", "README.md"}
    )


def test_every_corpus_file_parses_to_items_an_error_or_an_empty_feed():
    files = corpus_files()
    assert len(files) == 2248  # the README's count: nothing silently missing
    outcomes: Counter[str] = Counter()
    for path in files:
        feed = parse_feed(
            path.read_bytes(), url=f"http://127.0.0.1:8097/{path.relative_to(CORPUS)}"
        )
        keys = [dedup_keys(item) for item in feed.items]
        for item, key in zip(feed.items, keys, strict=True):
            assert item.entry_id, path
            assert key.hash and (key.guid or key.link or item.entry_id == key.hash), path
            assert item.published is None or item.published.utcoffset() is not None, path
        if feed.items:
            outcomes["items"] += 1
        elif feed.error:
            outcomes["error"] += 1
        else:
            # no entries and no problem: must be a recognised feed that simply has no entries
            assert feed.version, path
            outcomes["empty feed"] += 1
    assert sum(outcomes.values()) == len(files)
    assert outcomes["items"] > 1000 and outcomes["error"] > 0


def test_hostile_sanitize_files_leave_no_markup_or_script_in_text():
    for path in sorted((CORPUS / "wellformed" / "sanitize").glob("*.xml")):
        for item in parse_feed(path.read_bytes()).items:
            lowered = item.text.lower()
            assert "<script" not in lowered and "javascript:" not in lowered, path


# --- the same documents fetched over HTTP with the headers their comments ask for ------------

HEADERED = [
    p for p in corpus_files() if p.suffix == ".xml" and b"\nHeader:" in p.read_bytes()[:1024]
]


@pytest.fixture
async def served() -> AsyncIterator[tuple[FeedServer, httpx.AsyncClient]]:
    async with FeedServer() as server, make_client(timeout=5.0) as client:
        for path in corpus_files():
            server.replies(
                f"/tests/{path.relative_to(CORPUS)}",
                [corpus_reply(path.read_bytes(), server.base_url)],
            )
        server.reply("/-/return-304.xml", status=304)
        yield server, client


async def fetch_parse(server: FeedServer, client: httpx.AsyncClient, rel: str):
    result = await fetch_feed(client, server.url(f"/tests/{rel}"), allow_private=True)
    parsed = (
        parse_feed(result.content, url=result.url, headers=result.headers)
        if result.status == "ok"
        else None
    )
    return result, parsed


async def test_headered_corpus_files_fetch_and_parse_like_with_their_headers(served):
    server, client = served
    assert len(HEADERED) >= 100
    checked = 0
    for path in HEADERED:
        rel = str(path.relative_to(CORPUS))
        reply = corpus_reply(path.read_bytes(), server.base_url)
        if reply.status != 200:
            continue  # the status cases have their own test below
        result, parsed = await fetch_parse(server, client, rel)
        assert result.status == "ok", (rel, result.error)
        assert parsed is not None
        direct = parse_feed(path.read_bytes(), url=result.url, headers=reply.headers)
        # what the server said (charset, language, base URL) reached the parser
        assert (parsed.title, parsed.items, parsed.error) == (
            direct.title,
            direct.items,
            direct.error,
        ), rel
        assert parsed.items or parsed.error or parsed.version, rel
        if "ETag" in reply.headers:
            assert result.etag == reply.headers["ETag"]
        checked += 1
    assert checked >= 95


async def test_content_language_header_sets_item_language(served):
    server, client = served
    _, parsed = await fetch_parse(
        server, client, "wellformed/lang/http_content_language_entry_title_inherit.xml"
    )
    assert parsed is not None and parsed.items and parsed.items[0].language == "en"


async def test_corpus_http_status_files(served):
    server, client = served
    target = server.url("/tests/http/target.xml")
    cases = {
        "http/http_status_301.xml": ("ok", target),
        "http/http_status_302.xml": ("ok", None),
        "http/http_status_303.xml": ("ok", None),
        "http/http_status_307.xml": ("ok", None),
    }
    for rel, (status, permanent) in cases.items():
        result, parsed = await fetch_parse(server, client, rel)
        assert (result.status, result.url, result.permanent_redirect) == (
            status,
            target,
            permanent,
        ), rel
        assert parsed is not None and parsed.version == "atom10"
    missing, _ = await fetch_parse(server, client, "http/http_status_404.xml")
    assert missing.status == "error" and missing.http_status == 404
    no_location, _ = await fetch_parse(server, client, "http/http_status_302-no-location.xml")
    assert no_location.status == "error" and "Location" in (no_location.error or "")
    to_304, _ = await fetch_parse(server, client, "http/http_redirect_to_304.xml")
    assert to_304.status == "not_modified"


@pytest.mark.parametrize(
    ("name", "encoding", "ok"),
    [
        ("gzip.gz", "gzip", True),
        ("deflate.z", "deflate", True),
        ("deflate-no-headers.z", "deflate", True),
        ("gzip-not-compressed.gz", "gzip", False),
        ("gzip-struct-error.gz", "gzip", False),
        ("deflate-not-compressed.z", "deflate", False),
    ],
)
async def test_compressed_corpus_bodies(name: str, encoding: str, ok: bool):
    body = (CORPUS / "compression" / name).read_bytes()
    async with FeedServer() as server, make_client(timeout=5.0) as client:
        server.reply("/c", body, Content_Encoding=encoding, Content_Type="application/atom+xml")
        result = await fetch_feed(client, server.url("/c"), allow_private=True)
    if ok:
        parsed = parse_feed(result.content, headers=result.headers)
        assert result.status == "ok" and parsed.version == "atom10" and parsed.error is None
    else:
        assert result.status == "error" and "could not decode" in (result.error or "")
