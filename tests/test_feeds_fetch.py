"""fetch_feed against a real local HTTP server: what a poll sees from a misbehaving web."""

from __future__ import annotations

import asyncio
import gzip
import time
import tracemalloc
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from unittest import mock

import httpx
import pytest

from newsbot.feeds import fetch as fetch_module
from newsbot.feeds.fetch import USER_AGENT, Fetcher, fetch_feed, make_client, parse_retry_after
from newsbot.feeds.parse import parse_feed
from tests.feedserver import FeedServer, Reply, silent_server

RSS = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
    b"<item><guid>a1</guid><title>Seoul: 1.500 Soldaten</title>"
    b"<pubDate>Fri, 18 Oct 2024 09:00:00 +0200</pubDate></item></channel></rss>"
)
HTML = b"<!DOCTYPE html><html><head><title>Welcome</title></head><body>Consent?</body></html>"


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as srv:
        yield srv


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(timeout=httpx.Timeout(2.0)) as c:
        yield c


async def get(client: httpx.AsyncClient, url: str, **kw: object) -> fetch_module.FetchResult:
    return await fetch_feed(client, url, allow_private=True, **kw)  # type: ignore[arg-type]


async def test_200_then_304_with_etag_and_last_modified(server, client):
    modified = "Thu, 24 Oct 2024 07:00:00 GMT"
    server.feed("/rss", RSS, etag='"v1"', last_modified=modified)

    first = await get(client, server.url("/rss"))
    assert first.status == "ok" and first.http_status == 200 and first.error is None
    assert first.etag == '"v1"' and first.last_modified == modified
    assert [i.entry_id for i in parse_feed(first.content, headers=first.headers).items] == ["a1"]
    assert server.requests[0].headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("newsbot/") and "feed monitor" in USER_AGENT

    with mock.patch("newsbot.feeds.parse.feedparser.parse") as parser:
        second = await get(client, server.url("/rss"), etag=first.etag, last_modified=modified)
        assert second.status == "not_modified" and second.content == b""
        # the poll only parses "ok" results; a 304 carries nothing to parse
        assert parser.call_count == 0
    assert second.etag == '"v1"' and second.last_modified == modified
    sent = server.requests[1].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == modified

    only_date = await get(client, server.url("/rss"), last_modified=modified)
    assert only_date.status == "not_modified"


async def test_gzip_body_is_decoded(server, client):
    server.reply("/gz", gzip.compress(RSS), Content_Encoding="gzip", Content_Type="text/xml")
    result = await get(client, server.url("/gz"))
    assert result.status == "ok" and result.content == RSS
    assert "gzip" in server.requests[0].headers["accept-encoding"]


async def test_301_is_permanent_302_is_not(server, client):
    server.feed("/new", RSS)
    server.redirect("/moved", "/new", 301)
    server.redirect("/temp", "/new", 302)
    server.redirect("/perm308", server.url("/moved"), 308)
    server.redirect("/mixed", "/temp", 301)  # 301 then 302: the 301 target is still right

    moved = await get(client, server.url("/moved"))
    assert moved.status == "ok" and moved.url == server.url("/new")
    assert moved.permanent_redirect == server.url("/new")

    temp = await get(client, server.url("/temp"))
    assert temp.status == "ok" and temp.url == server.url("/new")
    assert temp.permanent_redirect is None

    chain = await get(client, server.url("/perm308"))
    assert chain.permanent_redirect == server.url("/new")

    mixed = await get(client, server.url("/mixed"))
    assert mixed.permanent_redirect == server.url("/temp")


async def test_temporary_first_hop_keeps_the_stored_url(server, client):
    server.feed("/final", RSS)
    server.redirect("/a", "/b", 302)
    server.redirect("/b", "/final", 301)
    result = await get(client, server.url("/a"))
    assert result.status == "ok" and result.permanent_redirect is None


async def test_permanent_redirect_to_a_404_is_not_stored(server, client):
    server.redirect("/old", "/missing", 301)
    result = await get(client, server.url("/old"))
    assert result.status == "error" and result.http_status == 404
    assert result.permanent_redirect is None


async def test_redirect_loop_and_too_many_hops_end_with_clear_errors(server, client):
    server.redirect("/ping", "/pong", 302)
    server.redirect("/pong", "/ping", 301)
    loop = await get(client, server.url("/ping"))
    assert loop.status == "error" and "redirect loop" in (loop.error or "")
    assert server.hits("/ping") == 1 and server.hits("/pong") == 1

    for n in range(10):
        server.redirect(f"/hop{n}", f"/hop{n + 1}", 302)
    far = await get(client, server.url("/hop0"))
    assert far.status == "error" and "too many redirects" in (far.error or "")
    assert server.hits("/hop6") == 0

    server.reply("/nowhere", status=302)
    missing = await get(client, server.url("/nowhere"))
    assert missing.status == "error" and "Location" in (missing.error or "")


async def test_404_and_410(server, client):
    server.reply("/gone", b"bye", status=410)
    missing = await get(client, server.url("/missing"))
    assert missing.status == "error" and missing.http_status == 404
    assert missing.error == "HTTP 404 Not Found"
    gone = await get(client, server.url("/gone"))
    assert gone.status == "gone" and gone.http_status == 410 and "gone" in (gone.error or "")


async def test_429_and_503_carry_retry_after_in_both_forms(server, client):
    server.reply("/busy", status=429, Retry_After="120")
    in_an_hour = datetime.now(UTC).timestamp() + 3600
    http_date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(in_an_hour))
    server.reply("/down", status=503, Retry_After=http_date)

    busy = await get(client, server.url("/busy"))
    assert busy.status == "error" and busy.http_status == 429 and busy.retry_after == 120.0
    down = await get(client, server.url("/down"))
    assert down.status == "error" and down.retry_after is not None
    assert 3500 < down.retry_after <= 3600


def test_parse_retry_after_forms():
    now = datetime(2024, 10, 24, 12, 0, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30.0
    assert parse_retry_after("Thu, 24 Oct 2024 12:05:00 GMT", now) == 300.0
    assert parse_retry_after("Thu, 24 Oct 2024 11:00:00 GMT", now) == 0.0  # in the past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


async def test_500_is_an_error_with_the_status(server, client):
    server.reply("/boom", b"oops", status=500)
    result = await get(client, server.url("/boom"))
    assert result.status == "error" and result.http_status == 500
    assert result.error == "HTTP 500 Internal Server Error"


async def test_50_mib_body_is_cut_at_the_cap_with_low_memory(server, client):
    chunk = b"x" * 65536
    server.stream("/huge", (chunk for _ in range(800)))  # 50 MiB, chunked, no Content-Length
    tracemalloc.start()
    try:
        result = await get(client, server.url("/huge"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == "error" and result.error == "response larger than 5 MiB"
    assert result.content == b""
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.1f} MiB"
    await asyncio.sleep(0.1)
    assert server.bytes_sent["/huge"] < 20 * 2**20  # the client hung up, not read it all


async def test_declared_length_over_cap_is_refused_before_reading(server, client):
    headers = {"Content-Type": "text/xml", "Content-Length": "10240"}
    server.stream("/big", (b"y" * 1024 for _ in range(10)), delay=1.0, headers=headers)
    started = time.monotonic()
    result = await get(client, server.url("/big"), max_bytes=1000)
    assert result.status == "error" and result.error == "response larger than 1000 bytes"
    assert time.monotonic() - started < 0.9  # did not wait for the first body chunk


async def test_gzip_bomb_is_capped_on_decoded_size(server, client):
    bomb = gzip.compress(b"\0" * (8 * 2**20))  # 8 MiB of zeros, a few KiB compressed
    server.reply("/bomb", bomb, Content_Encoding="gzip")
    result = await get(client, server.url("/bomb"))
    assert result.status == "error" and result.error == "response larger than 5 MiB"


async def test_trickling_server_hits_the_deadline(server, client):
    server.stream("/trickle", (b"<" for _ in range(1000)), delay=0.1)
    started = time.monotonic()
    result = await get(client, server.url("/trickle"), deadline=1.0)
    assert time.monotonic() - started < 3
    assert result.status == "error" and "longer than 1 s" in (result.error or "")


async def test_stalled_body_hits_the_read_timeout(server, client):
    server.stream("/stall", [b"<rss>", b"</rss>"], delay=1.5)
    result = await get(client, server.url("/stall"), timeout=httpx.Timeout(5.0, read=0.5))
    assert result.status == "error" and (result.error or "").startswith("read timed out")


async def test_server_that_never_answers_times_out(client):
    async with silent_server() as url:
        started = time.monotonic()
        result = await get(client, url + "/feed", timeout=httpx.Timeout(5.0, read=0.5))
    assert time.monotonic() - started < 3
    assert result.status == "error" and "read timed out" in (result.error or "")


async def test_refused_connection_is_an_error_not_an_exception(client):
    async with silent_server() as url:
        pass  # closed: the port now refuses connections
    result = await get(client, url + "/feed")
    assert result.status == "error" and (result.error or "").startswith("could not connect")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/feed.xml",
        "gopher://x/",
        "javascript:alert(1)",
        "feed.xml",
    ],
)
async def test_non_http_schemes_are_refused(client, url):
    result = await fetch_feed(client, url, allow_private=True)
    assert result.status == "error" and "only http:// and https://" in (result.error or "")


async def test_https_to_a_plain_http_port_is_a_tls_error(server, client):
    server.feed("/rss", RSS)
    result = await get(client, server.url("/rss").replace("http://", "https://"))
    assert result.status == "error" and (result.error or "").startswith("TLS handshake failed")


async def test_feed_that_flips_to_html(server, client):
    server.replies("/flip", [Reply(200, RSS), Reply(200, HTML, {"Content-Type": "text/html"})])
    good = await get(client, server.url("/flip"))
    assert parse_feed(good.content, headers=good.headers).items
    bad = await get(client, server.url("/flip"))
    assert bad.status == "ok"  # HTTP is fine; the document is not a feed
    parsed = parse_feed(bad.content, headers=bad.headers, url=bad.url)
    assert parsed.items == [] and "HTML page" in (parsed.error or "")


async def test_per_host_limit_caps_concurrent_requests(server, client):
    server.slow("/slow", 0.2, Reply(200, RSS))
    fetcher = Fetcher(client, per_host=2)
    results = await asyncio.gather(
        *(fetcher.fetch(server.url("/slow"), allow_private=True) for _ in range(6))
    )
    assert all(r.status == "ok" for r in results)
    assert server.max_in_flight == 2
