"""Fetching feed documents politely with httpx; every outcome is a :class:`FetchResult` value.

One bad feed must never stop a poll cycle, so :func:`fetch_feed` does not raise for network,
TLS, HTTP or size problems: they come back as ``status="error"`` with a message a person can
act on. Redirects are followed here (not by httpx) so that a chain of permanent redirects can
update the stored URL while a temporary one does not, loops end, and the SSRF guard sees every
hop. Bodies are streamed and cut off at ``max_bytes`` of *decoded* data (so a gzip bomb is
stopped too).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urlsplit

import httpx

from newsbot import __version__
from newsbot.feeds.guard import FeedURLError, GuardedBackend, allowing_private, check_url_target

USER_AGENT = f"newsbot/{__version__} (newsroom feed monitor; python-httpx)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
DEFAULT_MAX_BYTES = 5 * 2**20
MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=20.0, write=10.0, pool=30.0)
DEFAULT_DEADLINE = 60.0  # whole fetch, all hops: a server trickling bytes cannot hold us longer
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
RETRY_AFTER_STATUSES = frozenset({429, 503})

FetchStatus = Literal["ok", "not_modified", "gone", "error"]


@dataclass(slots=True)
class FetchResult:
    """What one fetch of a feed URL produced."""

    status: FetchStatus
    url: str  # the final URL after redirects (the requested one if none were followed)
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    permanent_redirect: str | None = None  # store this URL instead (only after a success)
    retry_after: float | None = None  # seconds the server asked us to wait (429/503)
    error: str | None = None


class _TooLarge(Exception):
    pass


def make_client(
    *,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    max_connections: int = 20,
    max_keepalive: int = 10,
    user_agent: str = USER_AGENT,
) -> httpx.AsyncClient:
    """An httpx client for feeds: guarded connections, bot User-Agent, gzip/deflate, no proxy
    environment (a proxy would hide the real target from the SSRF guard), redirects off."""
    transport = httpx.AsyncHTTPTransport(
        limits=httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_keepalive
        ),
        trust_env=False,
    )
    # httpx has no public switch for the network backend; swap in the guarded one so the
    # address check happens on every connection the client opens.
    transport._pool._network_backend = GuardedBackend()
    return httpx.AsyncClient(
        transport=transport,
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
    )


class Fetcher:
    """A client plus a per-host concurrency limit, so a poll of many feeds on one site does
    not hit that site with more than ``per_host`` requests at once."""

    def __init__(self, client: httpx.AsyncClient, *, per_host: int = 2) -> None:
        self.client = client
        self.per_host = per_host
        self._slots: dict[str, asyncio.Semaphore] = {}

    def _slot(self, url: str) -> asyncio.Semaphore:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
        return self._slots.setdefault(host, asyncio.Semaphore(self.per_host))

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        allow_private: bool = False,
        timeout: httpx.Timeout | float | None = None,
        deadline: float | None = DEFAULT_DEADLINE,
    ) -> FetchResult:
        """:func:`fetch_feed` with this client, waiting for a free slot on the URL's host."""
        async with self._slot(url):
            return await fetch_feed(
                self.client,
                url,
                etag=etag,
                last_modified=last_modified,
                max_bytes=max_bytes,
                allow_private=allow_private,
                timeout=timeout,
                deadline=deadline,
            )


async def fetch_feed(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
    timeout: httpx.Timeout | float | None = None,
    deadline: float | None = DEFAULT_DEADLINE,
) -> FetchResult:
    """GET a feed with conditional headers, following redirects ourselves. Never raises for
    network or HTTP problems; see :class:`FetchResult`."""
    with allowing_private(allow_private):
        try:
            async with asyncio.timeout(deadline):
                return await _follow(
                    client, url, etag, last_modified, max_bytes, allow_private, timeout
                )
        except TimeoutError:
            return FetchResult(
                "error", url, error=f"fetch took longer than {deadline:g} s, gave up"
            )


async def _follow(
    client: httpx.AsyncClient,
    url: str,
    etag: str | None,
    last_modified: str | None,
    max_bytes: int,
    allow_private: bool,
    timeout: httpx.Timeout | float | None,
) -> FetchResult:
    current = url
    chain = [url]
    permanent: str | None = None
    only_permanent_so_far = True
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            check_url_target(current, allow_private=allow_private)
        except FeedURLError as exc:
            return FetchResult("error", current, error=str(exc))
        headers = conditional_headers(etag, last_modified)
        try:
            request = client.build_request(
                "GET",
                current,
                headers=headers,
                timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
            )
            response = await client.send(request, stream=True)
        except (FeedURLError, httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
            return FetchResult(
                "error", current, error=describe_error(exc, timeout or client.timeout)
            )
        try:
            if response.status_code not in REDIRECT_STATUSES:
                result = await _finish(response, current, etag, last_modified, max_bytes)
                ok = result.status in ("ok", "not_modified")
                result.permanent_redirect = permanent if ok else None
                return result
            location = response.headers.get("location", "").strip()
            if not location:
                return _http_error(response, current, "redirect without a Location header")
            try:
                target = str(httpx.URL(current).join(location))
            except (httpx.InvalidURL, ValueError) as exc:
                return _http_error(response, current, f"redirect to an invalid URL ({exc})")
        finally:
            await response.aclose()
        if target in chain:
            loop = " → ".join([*chain[chain.index(target) :], target])
            return FetchResult("error", current, http_status=response.status_code,
                               error=f"redirect loop: {loop}")  # fmt: skip
        if response.status_code in PERMANENT_REDIRECTS and only_permanent_so_far:
            permanent = target
        else:
            only_permanent_so_far = False
        chain.append(target)
        current = target
    return FetchResult("error", current, error=f"too many redirects (more than {MAX_REDIRECTS})")


async def _finish(
    response: httpx.Response,
    url: str,
    etag: str | None,
    last_modified: str | None,
    max_bytes: int,
) -> FetchResult:
    status = response.status_code
    headers = {k.lower(): v for k, v in response.headers.items()}
    new_etag = headers.get("etag") or None
    new_modified = headers.get("last-modified") or None
    if status == 304:
        # A 304 has no body, but httpcore only returns the connection to the keep-alive pool
        # once the (empty) body has been read; without this every 304 costs a new connection.
        with contextlib.suppress(_TooLarge, httpx.HTTPError, OSError):
            await _read_capped(response, 0)
        return FetchResult("not_modified", url, b"", headers, status,
                           new_etag or etag, new_modified or last_modified)  # fmt: skip
    if status == 410:
        return _http_error(response, url, "the server says this feed is gone for good", "gone")
    if not 200 <= status < 300:
        result = _http_error(response, url)
        if status in RETRY_AFTER_STATUSES:
            result.retry_after = parse_retry_after(headers.get("retry-after"), datetime.now(UTC))
        return result
    try:
        content = await _read_capped(response, max_bytes)
    except _TooLarge:
        return FetchResult("error", url, b"", headers, status,
                           error=f"response larger than {_size(max_bytes)}")  # fmt: skip
    except (httpx.HTTPError, OSError) as exc:
        return FetchResult("error", url, b"", headers, status,
                           error=describe_error(exc, None))  # fmt: skip
    return FetchResult("ok", url, content, headers, status, new_etag, new_modified)


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _TooLarge  # compressed size already too big: do not read a byte
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _http_error(
    response: httpx.Response, url: str, detail: str | None = None, status: FetchStatus = "error"
) -> FetchResult:
    phrase = response.reason_phrase or ""
    message = f"HTTP {response.status_code} {phrase}".strip()
    return FetchResult(
        status,
        url,
        b"",
        {k.lower(): v for k, v in response.headers.items()},
        response.status_code,
        error=f"{message}: {detail}" if detail else message,
    )


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - now).total_seconds()
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        return None
    return max(0.0, seconds)


def describe_error(exc: BaseException, timeout: httpx.Timeout | float | None) -> str:
    """A sentence for the feed's health line; never a bare traceback."""
    detail = str(exc) or type(exc).__name__
    limits = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
    if isinstance(exc, FeedURLError):
        return str(exc)
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connection timed out: the server did not answer within {limits.connect} s"
    if isinstance(exc, httpx.ReadTimeout):
        return f"read timed out: the server sent nothing for {limits.read} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    if isinstance(exc, httpx.ConnectError):
        lowered = detail.lower()
        if "ssl" in lowered or "tls" in lowered or "certificate" in lowered:
            return f"TLS handshake failed: {detail}"
        return f"could not connect: {detail}"
    if isinstance(exc, httpx.DecodingError):
        return f"could not decode the compressed response: {detail}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the HTTP protocol: {detail}"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL | ValueError):
        return f"invalid URL: {detail}"
    return f"{type(exc).__name__}: {detail}"


def _size(n: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n} bytes"


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """``If-None-Match`` / ``If-Modified-Since`` for the validators we have."""
    return {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
