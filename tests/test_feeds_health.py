"""Feed health policy: backoff, Retry-After, pausing, recovery — with real fetch results."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from newsbot.feeds.fetch import FetchResult, fetch_feed, make_client
from newsbot.feeds.health import FeedHealth, FeedState, after_fetch, notice, resume
from newsbot.feeds.parse import parse_feed
from tests.feedserver import FeedServer, Reply

NOW = datetime(2024, 10, 24, 12, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=10)
RSS = (
    b'<rss version="2.0"><channel><title>W</title>'
    b"<item><guid>1</guid><title>t</title></item></channel></rss>"
)


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as srv:
        yield srv


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(timeout=2.0) as c:
        yield c


def step(health: FeedHealth, result: FetchResult, **kw: object) -> FeedHealth:
    options: dict = {"now": NOW, "interval": INTERVAL, "max_failures": 5, "rng": random.Random(7)}
    options.update(kw)
    return after_fetch(health, result, **options)


async def test_500_streak_backs_off_then_recovers(server, client):
    server.replies("/flaky", [Reply(500)] * 3 + [Reply(200, RSS)])
    health = FeedHealth()
    delays = []
    for n in range(1, 4):
        result = await fetch_feed(client, server.url("/flaky"), allow_private=True)
        health = step(health, result)
        assert health.state == FeedState.BACKOFF and health.consecutive_failures == n
        assert health.last_error == "HTTP 500 Internal Server Error"
        assert health.next_fetch_at is not None
        delay = health.next_fetch_at - NOW
        # n-th failure waits between interval·2^(n-1) and interval·2^n
        assert INTERVAL * 2 ** (n - 1) <= delay <= INTERVAL * 2**n
        delays.append(delay)
    assert delays == sorted(delays)

    result = await fetch_feed(client, server.url("/flaky"), allow_private=True)
    recovered = step(health, result)
    assert recovered.state == "active" and recovered.consecutive_failures == 0
    assert recovered.last_error is None and recovered.next_fetch_at is not None
    assert INTERVAL <= recovered.next_fetch_at - NOW <= INTERVAL * 1.1
    assert notice(health, recovered, "Wire") is None  # backoff → active is routine


async def test_pause_after_max_failures_with_a_channel_notice(server, client):
    server.reply("/dead", status=502)
    health = FeedHealth()
    for _ in range(3):
        before = health
        health = step(health, await fetch_feed(client, server.url("/dead"), allow_private=True),
                      max_failures=3)  # fmt: skip
    assert health.state == "paused" and health.consecutive_failures == 3
    assert health.next_fetch_at is None
    assert "3 failed fetches in a row" in (health.paused_reason or "")
    message = notice(before, health, "Wire")
    assert message is not None and "Wire" in message and "502" in message
    assert notice(health, health, "Wire") is None  # told once, not on every poll

    resumed = resume(health)
    assert resumed.state == "active" and resumed.consecutive_failures == 0
    server.reply("/dead", RSS)
    back = step(resumed, await fetch_feed(client, server.url("/dead"), allow_private=True))
    assert back.state == "active"
    assert notice(health, back, "Wire") == "Feed Wire is working again."


async def test_410_pauses_at_once(server, client):
    server.reply("/gone", status=410)
    result = await fetch_feed(client, server.url("/gone"), allow_private=True)
    health = step(FeedHealth(), result)
    assert health.state == "paused" and "410" in (health.paused_reason or "")
    assert notice(FeedHealth(), health, "Wire") is not None


async def test_retry_after_wins_when_longer_and_is_capped(server, client):
    server.reply("/busy", status=429, Retry_After="7200")
    result = await fetch_feed(client, server.url("/busy"), allow_private=True)
    health = step(FeedHealth(), result)
    assert health.state == "backoff"
    assert health.next_fetch_at == NOW + timedelta(seconds=7200)

    absurd = FetchResult("error", "u", http_status=503, retry_after=30 * 86400, error="HTTP 503")
    assert step(FeedHealth(), absurd).next_fetch_at == NOW + timedelta(hours=24)

    short = FetchResult("error", "u", http_status=429, retry_after=5, error="HTTP 429")
    assert step(FeedHealth(), short).next_fetch_at - NOW >= INTERVAL  # never sooner than usual


def test_backoff_is_capped_and_jittered():
    failing = FetchResult("error", "u", error="could not connect")
    health = FeedHealth(consecutive_failures=20, state=FeedState.BACKOFF)
    capped = step(health, failing, max_failures=100)
    assert capped.next_fetch_at - NOW <= timedelta(hours=12)
    spread = {
        step(FeedHealth(), failing, rng=random.Random(seed)).next_fetch_at for seed in range(20)
    }
    assert len(spread) > 10  # jitter: feeds failing together do not retry together


async def test_feed_that_turns_into_html_counts_as_failure(server, client):
    server.reply("/page", b"<html><body>Consent</body></html>", Content_Type="text/html")
    result = await fetch_feed(client, server.url("/page"), allow_private=True)
    parsed = parse_feed(result.content, headers=result.headers)
    health = step(FeedHealth(), result, parse_error=parsed.error if not parsed.items else None)
    assert result.status == "ok" and health.state == "backoff"
    assert "not a usable feed" in (health.last_error or "")


def test_not_modified_is_success_and_publisher_ttl_is_honoured_within_limits():
    result = FetchResult("not_modified", "u", http_status=304)
    health = step(FeedHealth(consecutive_failures=2, state=FeedState.BACKOFF), result)
    assert health.state == "active" and health.consecutive_failures == 0
    ttl = step(FeedHealth(), result, publisher_interval=timedelta(hours=1))
    assert timedelta(hours=1) <= ttl.next_fetch_at - NOW <= timedelta(hours=1, minutes=1)
    huge = step(FeedHealth(), result, publisher_interval=timedelta(days=7))
    assert huge.next_fetch_at - NOW <= timedelta(hours=6, minutes=1)
    small = step(FeedHealth(), result, publisher_interval=timedelta(minutes=1))
    assert small.next_fetch_at - NOW >= INTERVAL
