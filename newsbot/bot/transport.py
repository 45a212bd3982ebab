"""Where outbox messages go: Discord's REST API as the bot, or a channel webhook.

A transport posts one message and says how a failure should be treated. Every error from
discord.py or the network becomes a ``DeliveryError`` here, once, with ``permanent`` saying
whether a retry can help: a deleted channel or a missing permission cannot, a 5xx or a
dropped connection can. discord.py itself already waits out 429s (``retry_after``) and
retries 500/502/504 a few times before an error reaches this module.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from typing import Any, Protocol

import aiohttp
import discord
from discord.http import HTTPClient, Route

from newsbot.config import Config

log = logging.getLogger(__name__)

WEBHOOK_URL = re.compile(r"^(?P<base>https?://.+?)/webhooks/(?P<id>\d+)/(?P<token>[\w.-]+)/?$")


class DeliveryError(Exception):
    """A message could not be posted; ``permanent`` means retrying will not help."""

    def __init__(self, reason: str, *, permanent: bool, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class Transport(Protocol):
    """Posts messages to a channel and, where it can, finds one it posted before."""

    async def post(self, channel_id: int, message: dict[str, Any], nonce: str) -> str:
        """Post ``message``; return its Discord id. Raises DeliveryError."""
        ...

    async def find(self, channel_id: int, marker: str) -> str | None:
        """The id of a recent message of ours carrying ``marker``, or None."""
        ...

    async def close(self) -> None: ...


def set_api_base(base: str) -> None:
    """Point discord.py's REST calls (bot and webhook alike) at ``base`` (ends in /api/vN)."""
    if base:
        Route.BASE = base.rstrip("/")


def delivery_error(exc: BaseException, channel_id: int) -> DeliveryError:
    """The one place a discord.py or network error is judged permanent or not."""
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, discord.RateLimited):
        return DeliveryError(
            f"rate limited for {exc.retry_after:.0f}s", permanent=False, retry_after=exc.retry_after
        )
    if isinstance(exc, discord.Forbidden):
        return DeliveryError(
            f"no permission to post in channel {channel_id} "
            f"(Discord {exc.status}/{exc.code}: {exc.text or 'Forbidden'})",
            permanent=True,
        )
    if isinstance(exc, discord.NotFound):
        return DeliveryError(
            f"channel {channel_id} not found: deleted, or the bot cannot see it "
            f"(Discord {exc.status}/{exc.code}: {exc.text or 'Not Found'})",
            permanent=True,
        )
    if isinstance(exc, discord.DiscordServerError):
        return DeliveryError(f"Discord server error {exc.status}", permanent=False)
    if isinstance(exc, discord.HTTPException):
        if exc.status == 429:
            retry = _retry_after(exc)
            return DeliveryError("rate limited", permanent=False, retry_after=retry)
        if exc.status == 401:
            return DeliveryError("Discord rejected the bot token (401)", permanent=False)
        if exc.status >= 500:
            return DeliveryError(f"Discord server error {exc.status}", permanent=False)
        return DeliveryError(
            f"Discord refused the message ({exc.status}/{exc.code}: {exc.text})", permanent=True
        )
    if isinstance(exc, aiohttp.ClientError | asyncio.TimeoutError | OSError):
        return DeliveryError(f"network error: {exc!r}", permanent=False)
    raise exc


def _retry_after(exc: discord.HTTPException) -> float | None:
    header = exc.response.headers.get("Retry-After") if exc.response is not None else None
    try:
        return float(header) if header else None
    except ValueError:
        return None


def carries_marker(message: dict[str, Any], marker: str) -> bool:
    footers = [(e.get("footer") or {}).get("text") for e in message.get("embeds") or []]
    return marker in footers or marker in (message.get("content") or "")


class RestTransport:
    """Posts as the bot user through discord.py's HTTP client (rate limits included).

    Works after ``login`` alone: no gateway connection is needed to post or read history.
    """

    def __init__(self, http: HTTPClient, user_id: int, *, history_limit: int = 50) -> None:
        self.http, self.user_id, self.history_limit = http, user_id, history_limit
        self._owned = False

    @classmethod
    async def login(cls, token: str, *, history_limit: int = 50) -> RestTransport:
        http = HTTPClient(asyncio.get_running_loop())
        try:
            user = await http.static_login(token.strip())
        except BaseException:
            await http.close()
            raise
        transport = cls(http, int(user["id"]), history_limit=history_limit)
        transport._owned = True
        return transport

    async def post(self, channel_id: int, message: dict[str, Any], nonce: str) -> str:
        payload = dict(message, nonce=nonce, enforce_nonce=True)
        route = Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)
        try:
            data = await self.http.request(route, json=payload)
        except Exception as exc:
            raise delivery_error(exc, channel_id) from exc
        return str(data["id"])

    async def find(self, channel_id: int, marker: str) -> str | None:
        try:
            recent = await self.http.logs_from(channel_id, self.history_limit)
        except discord.Forbidden:
            log.warning("cannot read history of channel %s to check for a repost", channel_id)
            return None
        except Exception as exc:
            raise delivery_error(exc, channel_id) from exc
        for message in recent:
            author = message.get("author") or {}
            if str(author.get("id")) == str(self.user_id) and carries_marker(message, marker):
                return str(message["id"])
        return None

    async def close(self) -> None:
        if self._owned:
            await self.http.close()


class WebhookTransport:
    """Posts through a channel webhook: no bot login, no gateway.

    A webhook cannot read its channel, so a part whose outcome is unknown after a crash
    cannot be looked up; the window is the moment between Discord's answer and the commit.
    """

    def __init__(
        self,
        url: str,
        session: aiohttp.ClientSession,
        per_channel: Mapping[int, str] | None = None,
    ) -> None:
        self.session = session
        self.webhook = self._partial(url)
        self.per_channel = {cid: self._partial(u) for cid, u in (per_channel or {}).items()}

    def _partial(self, url: str) -> discord.Webhook:
        match = WEBHOOK_URL.match(url.strip())
        if not match:
            raise ValueError(f"not a webhook URL (…/webhooks/<id>/<token>): {url!r}")
        base = match["base"]
        if "discord.com" not in base and "discordapp.com" not in base:
            set_api_base(base)
        return discord.Webhook.partial(int(match["id"]), match["token"], session=self.session)

    @classmethod
    def open(cls, url: str, per_channel: Mapping[int, str] | None = None) -> WebhookTransport:
        return cls(url, aiohttp.ClientSession(), per_channel)

    async def post(self, channel_id: int, message: dict[str, Any], nonce: str) -> str:
        embeds = [discord.Embed.from_dict(e) for e in message.get("embeds") or []]
        webhook = self.per_channel.get(channel_id, self.webhook)
        try:
            sent = await webhook.send(
                content=message.get("content") or discord.utils.MISSING,
                embeds=embeds,
                wait=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except Exception as exc:
            raise delivery_error(exc, channel_id) from exc
        return str(sent.id)

    async def find(self, channel_id: int, marker: str) -> str | None:
        return None

    async def close(self) -> None:
        await self.session.close()


def webhook_routes(config: Config) -> dict[int, str]:
    """``discord.webhooks`` as channel id → webhook URL."""
    return {int(cid): url for cid, url in config["discord.webhooks"].items()}
