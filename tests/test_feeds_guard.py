"""SSRF guard: private targets are refused with a clear message, before any connection."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from unittest import mock

import httpcore
import httpx
import pytest

from newsbot.feeds import guard
from newsbot.feeds.fetch import fetch_feed, make_client
from newsbot.feeds.guard import FeedURLError, check_url, check_url_target
from tests.feedserver import FeedServer

RSS = b'<rss version="2.0"><channel><title>W</title><item><guid>1</guid></item></channel></rss>'


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as srv:
        srv.feed("/rss", RSS)
        yield srv


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(timeout=2.0) as c:
        yield c


def fake_dns(*addresses: str):
    def resolve(host: str, port: int, **kw: object) -> list[tuple[object, ...]]:
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    return resolve


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/feed", "loopback"),
        ("http://[::1]:8080/feed", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://10.0.0.1/rss", "private"),
        ("http://192.168.1.20/rss", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://100.64.0.1/", "non-public"),
        ("https://240.0.0.1/", "reserved"),
    ],
)
def test_private_literals_refused_without_dns(url: str, reason: str):
    with pytest.raises(FeedURLError, match=reason) as caught:
        check_url(url, allow_private=False, resolve=mock.Mock(side_effect=AssertionError("DNS")))
    assert "allow private addresses in the config" in str(caught.value)
    check_url_target(url, allow_private=True)  # allowed when the operator says so


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/f", "data:,x", "//x/y"])
def test_other_schemes_refused(url: str):
    with pytest.raises(FeedURLError, match=r"only http:// and https://"):
        check_url(url, allow_private=True)


def test_host_names_checked_after_resolution():
    check_url("https://news.example/rss", allow_private=False, resolve=fake_dns("93.184.216.34"))
    with pytest.raises(FeedURLError, match=r"intranet\.example \(10\.1\.2\.3\): a private"):
        check_url("https://intranet.example/", allow_private=False, resolve=fake_dns("10.1.2.3"))
    # one bad address among good ones is enough: the attacker controls the order
    with pytest.raises(FeedURLError):
        check_url(
            "https://x.example/",
            allow_private=False,
            resolve=fake_dns("93.184.216.34", "127.0.0.1"),
        )
    with pytest.raises(FeedURLError, match="cannot resolve"):
        check_url(
            "https://nx.example/",
            allow_private=False,
            resolve=mock.Mock(side_effect=socket.gaierror("nx")),
        )


def test_feed_url_error_is_a_value_error():
    assert issubclass(FeedURLError, ValueError)


async def test_fetch_refuses_private_targets_before_connecting(client):
    with mock.patch.object(httpcore.AnyIOBackend, "connect_tcp") as connect:
        for url in ("http://10.0.0.1/rss", "http://169.254.169.254/latest/meta-data/"):
            result = await fetch_feed(client, url)
            assert result.status == "error" and "refusing to fetch" in (result.error or "")
        assert connect.call_count == 0


async def test_loopback_refused_unless_allowed(server, client):
    refused = await fetch_feed(client, server.url("/rss"))
    assert refused.status == "error" and "loopback" in (refused.error or "")
    assert server.requests == []
    allowed = await fetch_feed(client, server.url("/rss"), allow_private=True)
    assert allowed.status == "ok"


async def test_host_names_and_numeric_tricks_are_checked_at_connect_time(server, client):
    # "localhost" and "2130706433" both resolve to 127.0.0.1 without any network traffic
    for host in ("localhost", "2130706433"):
        result = await fetch_feed(client, server.url("/rss").replace("127.0.0.1", host))
        assert result.status == "error" and "loopback" in (result.error or ""), host
    assert server.requests == []


async def test_every_redirect_hop_is_checked(server, client):
    """Pretend the local server is a public host; its redirects to internal targets must fail."""
    real_problem = guard.address_problem
    original_connect = httpcore.AnyIOBackend.connect_tcp
    connected: list[str] = []

    def loopback_is_public(address):
        return None if str(address) == "127.0.0.1" else real_problem(address)

    async def recording_connect(self, host, port, **kw):
        connected.append(host)
        return await original_connect(self, host, port, **kw)

    server.redirect("/meta", "http://169.254.169.254/latest/meta-data/", 302)
    server.redirect("/lan", "http://[::1]/", 301)
    with (
        mock.patch.object(guard, "address_problem", loopback_is_public),
        mock.patch.object(httpcore.AnyIOBackend, "connect_tcp", recording_connect),
    ):
        assert (await fetch_feed(client, server.url("/rss"))).status == "ok"
        for path, reason in (("/meta", "link-local"), ("/lan", "loopback")):
            result = await fetch_feed(client, server.url(path))
            assert result.status == "error" and reason in (result.error or ""), path
            assert result.permanent_redirect is None
    assert server.hits("/meta") == 1 and server.hits("/lan") == 1
    assert set(connected) <= {"127.0.0.1"}


async def test_client_used_directly_still_refuses_private_addresses(server, client):
    with pytest.raises(FeedURLError, match="loopback"):
        await client.get(server.url("/rss"))
    assert server.requests == []
