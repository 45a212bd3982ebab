"""A scriptable local HTTP server on 127.0.0.1 for feed tests (aiohttp, same event loop).

Routes are plain dict entries that a test may change between fetches (a feed that starts
failing, flips to HTML, recovers…). Every request is recorded so a test can check what the
client sent (User-Agent, conditional headers) and how many requests reached the server.

    async with FeedServer() as server:
        server.feed("/rss", body, etag='"v1"')
        result = await fetch_feed(client, server.url("/rss"), allow_private=True)
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Reply:
    """One canned response."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> web.Response:
        return web.Response(status=self.status, body=self.body, headers=self.headers)


@dataclass(frozen=True)
class SeenRequest:
    path: str
    headers: dict[str, str]


class FeedServer:
    """Local test server; use as ``async with FeedServer() as server``."""

    def __init__(self) -> None:
        self.requests: list[SeenRequest] = []
        self.bytes_sent: dict[str, int] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self._routes: dict[str, Handler] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def __aenter__(self) -> FeedServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(
            SeenRequest(request.path, {k.lower(): v for k, v in request.headers.items()})
        )
        handler = self._routes.get(request.path)
        if handler is None:
            return web.Response(status=404, text="no such test route")
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await handler(request)
        finally:
            self.in_flight -= 1

    # --- route helpers -------------------------------------------------------------------

    def route(self, path: str, handler: Handler) -> None:
        self._routes[path] = handler

    def reply(self, path: str, body: bytes = b"", status: int = 200, **headers: str) -> None:
        """Always answer ``path`` with this response (header names use ``_`` for ``-``)."""
        fixed = Reply(status, body, {k.replace("_", "-"): v for k, v in headers.items()})
        self.replies(path, [fixed])

    def replies(self, path: str, replies: Iterable[Reply]) -> None:
        """Answer successive requests with these responses; the last one repeats."""
        queue = list(replies)

        async def handler(request: web.Request) -> web.StreamResponse:
            reply = queue.pop(0) if len(queue) > 1 else queue[0]
            return reply.response()

        self.route(path, handler)

    def feed(
        self,
        path: str,
        body: bytes,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        content_type: str = "application/rss+xml; charset=utf-8",
    ) -> None:
        """A feed that answers conditional GETs with 304 like a well-behaved server."""

        async def handler(request: web.Request) -> web.StreamResponse:
            headers = {"Content-Type": content_type}
            if etag:
                headers["ETag"] = etag
            if last_modified:
                headers["Last-Modified"] = last_modified
            match_etag = etag and request.headers.get("If-None-Match") == etag
            match_date = last_modified and request.headers.get("If-Modified-Since") == last_modified
            if match_etag or (match_date and "If-None-Match" not in request.headers):
                return web.Response(status=304, headers=headers)
            return web.Response(body=body, headers=headers)

        self.route(path, handler)

    def redirect(self, path: str, to: str, status: int = 301) -> None:
        self.reply(path, status=status, Location=to)

    def stream(
        self,
        path: str,
        chunks: Iterable[bytes],
        *,
        delay: float = 0.0,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Send ``chunks`` one by one, sleeping ``delay`` before each; counts bytes sent."""

        async def handler(request: web.Request) -> web.StreamResponse:
            response = web.StreamResponse(headers=headers or {"Content-Type": "application/xml"})
            await response.prepare(request)
            self.bytes_sent[path] = 0
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                for chunk in chunks:
                    if delay:
                        await asyncio.sleep(delay)
                    await response.write(chunk)
                    self.bytes_sent[path] += len(chunk)
                await response.write_eof()
            return response

        self.route(path, handler)

    def slow(self, path: str, seconds: float, reply: Reply) -> None:
        """Wait before answering (for concurrency and timeout tests)."""

        async def handler(request: web.Request) -> web.StreamResponse:
            await asyncio.sleep(seconds)
            return reply.response()

        self.route(path, handler)


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[str]:
    """A TCP server on 127.0.0.1 that accepts connections and never sends a byte."""
    held: list[asyncio.StreamWriter] = []

    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        await reader.read(65536)  # swallow the request, then say nothing

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


_HEADER_LINE = re.compile(rb"^Header:\s*([A-Za-z-]+):\s*(.*?)\s*$", re.MULTILINE)


def corpus_reply(document: bytes, base_url: str) -> Reply:
    """Response for a feedparser corpus file, from its ``Header:`` comment lines.

    ``Status:`` becomes the status code; ``http://localhost:8097`` / ``127.0.0.1:8097`` in
    header values point back at this server.
    """
    head = document[: document.find(b"-->") + 3] if b"-->" in document else b""
    status = 200
    headers: dict[str, str] = {}
    for name, value in _HEADER_LINE.findall(head):
        key = name.decode("ascii")
        text = value.decode("latin-1")
        for old in ("http://localhost:8097", "http://127.0.0.1:8097"):
            text = text.replace(old, base_url)
        if key.lower() == "status":
            status = int(text)
        else:
            headers[key] = text
    return Reply(status, document, headers)
