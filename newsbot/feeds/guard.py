"""SSRF guard: feed URLs may only reach public http(s) hosts unless the operator allows more.

Anyone who can run ``!feed add`` chooses a URL the bot will fetch, so without this guard the
bot would happily GET ``http://169.254.169.254/`` (cloud metadata) or an admin page on the
LAN. Two layers, both here:

- :func:`check_url_target` (no I/O): scheme, host present, and IP *literals* — refused before
  any packet leaves the machine. :func:`check_url` adds a DNS lookup for host names
  (for validating ``!feed add`` up front).
- :class:`GuardedBackend`: an httpcore network backend that resolves the host itself, checks
  every address, and connects only to a checked one. It runs on every connection the client
  opens (every redirect hop too), so a host name that resolves to a private address — or
  re-resolves to one later (DNS rebinding) — is refused at connect time.

Whether private targets are allowed is read from a context variable that
:func:`allowing_private` sets for the duration of one fetch, so one client can serve both.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import socket
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import anyio
import httpcore
import httpx

ALLOWED_SCHEMES = frozenset({"http", "https"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., list[tuple[Any, ...]]]

_ALLOW_PRIVATE: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "newsbot_feeds_allow_private", default=False
)


class FeedURLError(ValueError):
    """A feed URL the bot refuses to fetch; the message is fit to show to the user."""


def address_problem(address: IPAddress) -> str | None:
    """Why fetching from ``address`` is refused (``None`` when it is a public address)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    checks = (
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address (cloud metadata lives there)"),
        ("is_multicast", "a multicast address"),
        ("is_unspecified", "the unspecified address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private network address"),
    )
    for attribute, label in checks:
        if getattr(address, attribute):
            return label
    if not address.is_global:  # shared address space (100.64/10) and the like
        return "a non-public address"
    return None


def check_address(host: str, address: IPAddress, *, allow_private: bool) -> None:
    """Raise :class:`FeedURLError` if ``host`` at ``address`` must not be fetched."""
    if allow_private:
        return
    problem = address_problem(address)
    if problem:
        shown = host if host == str(address) else f"{host} ({address})"
        raise FeedURLError(
            f"refusing to fetch {shown}: {problem}; allow private addresses in the config "
            "if this feed is meant to be internal"
        )


def _literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_url_target(url: str, *, allow_private: bool) -> tuple[str, int]:
    """Check a URL without touching the network; return its (host, port).

    Refuses non-http(s) schemes, URLs without a host, and IP literals in refused ranges.
    Host names are left to DNS-time checks (:func:`check_url` or :class:`GuardedBackend`).
    """
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise FeedURLError(f"not a valid URL: {url!r} ({exc})") from exc
    if parsed.scheme not in ALLOWED_SCHEMES:
        shown = f"{parsed.scheme}://" if parsed.scheme else "no scheme"
        raise FeedURLError(f"only http:// and https:// feeds can be fetched, not {shown} ({url})")
    host = parsed.host
    if not host:
        raise FeedURLError(f"URL has no host: {url}")
    address = _literal_address(host)
    if address is not None:
        check_address(host, address, allow_private=allow_private)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return host, port


def check_url(url: str, *, allow_private: bool, resolve: Resolver = socket.getaddrinfo) -> None:
    """Full check including a DNS lookup; for validating a URL before it is stored.

    A host name that does not resolve is an error too (the user most likely mistyped it).
    """
    host, port = check_url_target(url, allow_private=allow_private)
    if allow_private or _literal_address(host) is not None:
        return
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FeedURLError(f"cannot resolve host {host}: {exc}") from exc
    for address in _addresses(infos):
        check_address(host, address, allow_private=False)


def _addresses(infos: Iterable[tuple[Any, ...]]) -> list[IPAddress]:
    found: list[IPAddress] = []
    for info in infos:
        sockaddr = info[4]
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


@contextlib.contextmanager
def allowing_private(allow: bool) -> Iterator[None]:
    """Within this block (and the tasks it awaits), connections follow ``allow``."""
    token = _ALLOW_PRIVATE.set(allow)
    try:
        yield
    finally:
        _ALLOW_PRIVATE.reset(token)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every address, then connects to the first reachable checked address."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        allow = _ALLOW_PRIVATE.get()
        literal = _literal_address(host)
        if literal is not None:
            addresses = [literal]
        else:
            try:
                with anyio.fail_after(timeout):
                    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except TimeoutError as exc:
                raise httpcore.ConnectTimeout(f"DNS lookup for {host} timed out") from exc
            except (OSError, UnicodeError) as exc:
                raise httpcore.ConnectError(f"cannot resolve host {host}: {exc}") from exc
            addresses = _addresses(infos)
        for address in addresses:  # all must pass: an attacker chooses the order
            check_address(host, address, allow_private=allow)
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        if last_error is not None:
            raise last_error
        raise httpcore.ConnectError(f"no address found for {host}")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise FeedURLError("feeds cannot be fetched over unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
