"""A local feed server for the load test and the worker tests: thousands of RSS feeds on
loopback, conditional GET (ETag → 304), and a log of who was fetched when.

Not used by the bot. Run it in-process (:func:`start_in_thread`) or as a process
(``python -m newsbot.scale.feedfarm --feeds 10000``, which prints its base URL), and drive it
over HTTP: ``/_bump?ids=1,2`` gives feeds a new entry, ``/_stats`` returns per-feed request
counts and first-request times since ``/_reset``. Feeds are spread over several loopback
addresses (127.0.0.1, 127.0.0.2, ...) like feeds of many sites, so per-host politeness limits
apply as they would in life. A hand-rolled asyncio protocol keeps the server cheap: on a
2-core machine every microsecond it spends is taken from the workers being measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

BASE_DATE = datetime(2024, 11, 1, 6, 0, tzinfo=UTC)
ENTRIES_PER_FEED = 5  # newest entries kept in a feed document


def entry_text(feed: int, version: int) -> tuple[str, str, str]:
    """(title, link, description) of a feed's ``version``-th entry.

    Every 10th entry is on the story (North Korean troops in Russia) with a figure; every
    20th is a wire story that several feeds carry under the same link (syndicated copies).
    """
    if version % 20 == 0:
        n = version // 20
        return (
            f"Wire: Nordkorea schickt weitere Soldaten nach Russland ({n})",
            f"http://wire.example/story/{n}",
            f"Nach Angaben aus Seoul sind inzwischen mindestens {3 + n % 9}.000 nordkoreanische "
            "Soldaten in der russischen Region Kursk eingetroffen.",
        )
    if version % 10 == 0:
        return (
            f"Nordkoreanische Truppen in Kursk: neue Zahlen aus Kiew (Feed {feed})",
            f"http://farm.example/{feed}/{version}",
            f"Der ukrainische Geheimdienst spricht von rund {10 + feed % 3}.000 Soldaten aus "
            "Nordkorea, die an der Front eingesetzt werden sollen.",
        )
    return (
        f"Stadtrat beschließt neuen Radweg, Meldung {version} aus Feed {feed}",
        f"http://farm.example/{feed}/{version}",
        "Der Ausbau soll im Frühjahr beginnen; die Anwohner wurden informiert.",
    )


def feed_document(feed: int, version: int) -> bytes:
    items = []
    for v in range(max(1, version - ENTRIES_PER_FEED + 1), version + 1):
        title, link, text = entry_text(feed, v)
        date = format_datetime(BASE_DATE + timedelta(minutes=v), usegmt=True)
        items.append(
            f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
            f"<guid isPermaLink='false'>farm-{feed}-{v}</guid><pubDate>{date}</pubDate>"
            f"<description>{escape(text)}</description></item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Farm feed {feed}</title><link>http://farm.example/{feed}</link>"
        f"<description>load test feed</description>{''.join(items)}</channel></rss>"
    ).encode()


@dataclass
class FeedFarm:
    """The feeds' state and the request log; shared by all connections."""

    feeds: int
    delay: float = 0.0  # seconds before each feed response (to stretch a cycle in tests)
    max_age: int | None = None  # Cache-Control max-age sent with feed responses
    versions: list[int] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)  # requests per feed since reset
    first: list[float] = field(default_factory=list)  # time.time() of the first, 0 = none
    full: int = 0  # 200 responses since reset
    not_modified: int = 0  # 304 responses since reset
    connections: int = 0  # TCP connections opened since reset (keep-alive working: few)

    def __post_init__(self) -> None:
        self.versions = [0] * self.feeds
        self.reset()

    def reset(self) -> None:
        self.counts = [0] * self.feeds
        self.first = [0.0] * self.feeds
        self.full = self.not_modified = self.connections = 0

    def etag(self, feed: int) -> bytes:
        return f'"{feed}.{self.versions[feed]}"'.encode()

    def bump(self, ids: list[int]) -> None:
        for i in ids:
            self.versions[i] += 1

    def stats(self) -> dict:
        return {
            "counts": self.counts,
            "first": self.first,
            "full": self.full,
            "not_modified": self.not_modified,
            "connections": self.connections,
        }

    def respond(self, path: str, if_none_match: bytes | None) -> bytes:
        parts = urlsplit(path)
        if parts.path.startswith("/feed/"):
            try:
                feed = int(parts.path[6:])
            except ValueError:
                return _response(404, b"no such feed")
            if not 0 <= feed < self.feeds:
                return _response(404, b"no such feed")
            self.counts[feed] += 1
            if not self.first[feed]:
                self.first[feed] = time.time()
            etag = self.etag(feed)
            extra = b"Cache-Control: max-age=%d" % self.max_age if self.max_age else None
            if if_none_match == etag:
                self.not_modified += 1
                return _response(304, b"", etag=etag, extra=extra)
            self.full += 1
            return _response(
                200,
                feed_document(feed, self.versions[feed]),
                etag=etag,
                ctype=b"application/rss+xml",
                extra=extra,
            )
        query = parse_qs(parts.query)
        if parts.path == "/_stats":
            return _response(200, json.dumps(self.stats()).encode(), ctype=b"application/json")
        if parts.path == "/_reset":
            self.reset()
            return _response(200, b"ok")
        if parts.path == "/_bump":
            ids = [int(x) for x in query.get("ids", [""])[0].split(",") if x]
            self.bump(ids)
            return _response(200, b"ok")
        return _response(404, b"not found")


def _response(
    status: int,
    body: bytes,
    *,
    etag: bytes | None = None,
    ctype: bytes = b"text/plain",
    extra: bytes | None = None,
) -> bytes:
    reason = {200: b"OK", 304: b"Not Modified", 404: b"Not Found"}[status]
    head = [b"HTTP/1.1 %d %s" % (status, reason), b"Content-Length: %d" % len(body)]
    if etag:
        head.append(b"ETag: " + etag)
    if status == 200:
        head.append(b"Content-Type: " + ctype)
    if extra:
        head.append(extra)
    return b"\r\n".join(head) + b"\r\n\r\n" + body


class _Connection(asyncio.Protocol):
    """HTTP/1.1 GETs with keep-alive; enough for httpx, nothing more."""

    def __init__(self, farm: FeedFarm) -> None:
        self.farm = farm
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.farm.connections += 1

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            lines = head.split(b"\r\n")
            try:
                _method, target, _version = lines[0].split(b" ", 2)
            except ValueError:
                self.transport.close()
                return
            inm = None
            for line in lines[1:]:
                if line[:14].lower() == b"if-none-match:":
                    inm = line[14:].strip()
            response = self.farm.respond(target.decode("latin-1"), inm)
            if self.farm.delay and target.startswith(b"/feed/"):
                loop = asyncio.get_running_loop()
                loop.call_later(self.farm.delay, self._write, response)
            else:
                self._write(response)

    def _write(self, response: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(response)


def hosts(count: int) -> list[str]:
    return [f"127.0.0.{i}" for i in range(1, count + 1)]


@dataclass
class Listening:
    servers: list[asyncio.Server]
    port: int

    def close(self) -> None:
        for server in self.servers:
            server.close()


async def serve(farm: FeedFarm, host_count: int = 1, port: int = 0) -> Listening:
    """Listen on ``host_count`` loopback addresses, all on one port."""
    loop = asyncio.get_running_loop()
    addresses = hosts(host_count)
    first = await loop.create_server(lambda: _Connection(farm), addresses[0], port)
    port = first.sockets[0].getsockname()[1]
    servers = [first]
    try:
        for address in addresses[1:]:
            servers.append(await loop.create_server(lambda: _Connection(farm), address, port))
    except OSError:
        for server in servers:
            server.close()
        raise
    return Listening(servers, port)


def feed_url(base_port: int, feed: int, host_count: int) -> str:
    """Feed ``feed``'s URL; feeds are dealt round-robin over the loopback addresses."""
    return f"http://127.0.0.{1 + feed % host_count}:{base_port}/feed/{feed}"


@dataclass
class RunningFarm:
    farm: FeedFarm
    port: int
    host_count: int
    loop: asyncio.AbstractEventLoop
    thread: threading.Thread

    def url(self, feed: int) -> str:
        return feed_url(self.port, feed, self.host_count)

    def call(self, fn, *args):  # type: ignore[no-untyped-def]
        """Run ``fn`` on the server's loop (the farm is not thread-safe) and return its value."""

        async def run():  # type: ignore[no-untyped-def]
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(10)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def start_in_thread(farm: FeedFarm, host_count: int = 1) -> RunningFarm:
    """Serve ``farm`` from a daemon thread of this process (tests)."""
    loop = asyncio.new_event_loop()
    started: dict[str, int] = {}
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        listening = loop.run_until_complete(serve(farm, host_count))
        started["port"] = listening.port
        ready.set()
        loop.run_forever()
        listening.close()
        loop.close()

    thread = threading.Thread(target=run, name="feedfarm", daemon=True)
    thread.start()
    if not ready.wait(10):
        raise RuntimeError("feed farm did not start")
    return RunningFarm(farm, started["port"], host_count, loop, thread)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=16, help="loopback addresses to spread over")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each response")
    args = parser.parse_args(argv)

    async def run() -> None:
        farm = FeedFarm(args.feeds, delay=args.delay)
        listening = await serve(farm, args.hosts, args.port)
        print(json.dumps({"port": listening.port, "hosts": args.hosts}), flush=True)
        await asyncio.Event().wait()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
