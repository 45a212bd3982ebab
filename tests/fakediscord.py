"""A fake Discord REST API on 127.0.0.1 for tests (aiohttp), plus gateway-event builders.

It answers the calls newsbot makes, the way Discord documents them: login (``/users/@me``,
``/oauth2/applications/@me``), create message (JSON or multipart with files), channel
history (newest first, without nonces — Discord does not return them there), webhooks,
interaction callbacks and follow-ups, command sync. It checks what a real server would
refuse — message limits (its own code, not newsbot's), nonce length, the JSON content type —
and dedupes ``enforce_nonce`` messages from the same author within ``nonce_window`` seconds
by returning the first message. Faults are scripted per route: 429 with ``retry_after``,
``Via`` and X-RateLimit headers (so discord.py treats it as a rate limit, not a Cloudflare
ban), 5xx, 403, 404. ``post_delay`` holds each answer after the message is stored, so a
test can kill a client between "Discord has it" and "the client knows".
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

DISCORD_EPOCH_MS = 1420070400000
BOT_ID = "900000000000000001"
APP_ID = "900000000000000002"
GUILD_ID = "900000000000000100"
OWNER_ID = "900000000000000009"
BOT_USER = {
    "id": BOT_ID,
    "username": "newsbot",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
}


def snowflake(counter: int) -> str:
    return str(((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (counter & 0x3FFFFF))


def limit_errors(payload: dict[str, Any]) -> list[str]:
    """Discord's documented message limits, written independently of newsbot's renderer."""
    errors = []
    if len(payload.get("content") or "") > 2000:
        errors.append("content: Must be 2000 or fewer in length.")
    embeds = payload.get("embeds") or []
    if len(embeds) > 10:
        errors.append("embeds: Must be 10 or fewer in length.")
    total = 0
    for i, e in enumerate(embeds):
        title, desc = e.get("title") or "", e.get("description") or ""
        footer = (e.get("footer") or {}).get("text") or ""
        author = (e.get("author") or {}).get("name") or ""
        fields = e.get("fields") or []
        if len(title) > 256:
            errors.append(f"embeds.{i}.title: Must be 256 or fewer in length.")
        if len(desc) > 4096:
            errors.append(f"embeds.{i}.description: Must be 4096 or fewer in length.")
        if len(fields) > 25:
            errors.append(f"embeds.{i}.fields: Must be 25 or fewer in length.")
        if len(footer) > 2048:
            errors.append(f"embeds.{i}.footer.text: Must be 2048 or fewer in length.")
        for f in fields:
            if len(f.get("name") or "") > 256 or len(f.get("value") or "") > 1024:
                errors.append(f"embeds.{i}.fields: name/value too long.")
        total += len(title) + len(desc) + len(footer) + len(author)
        total += sum(len(f.get("name") or "") + len(f.get("value") or "") for f in fields)
    if total > 6000:
        errors.append(f"embeds: Embed size exceeds maximum size of 6000 ({total}).")
    nonce = payload.get("nonce")
    if nonce is not None and len(str(nonce)) > 25:
        errors.append("nonce: Must be 25 or fewer in length.")
    return errors


@dataclass
class Fault:
    """One scripted answer for the next request matching ``method`` and ``path`` (regex)."""

    method: str
    path: str
    status: int
    retry_after: float = 0.05
    is_global: bool = False


@dataclass
class FakeDiscord:
    """The server. ``messages`` holds what was created, in order, with a ``nonce`` kept."""

    channels: set[int] = field(default_factory=lambda: {1001, 1002})
    forbidden: set[int] = field(default_factory=set)  # channels answering 403 Missing Permissions
    nonce_window: float = 120.0
    post_delay: float = 0.0
    token: str = "test-token"
    messages: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str, int]] = field(default_factory=list)  # method, path, status
    interaction_responses: list[dict[str, Any]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    on_message: Callable[[dict[str, Any]], None] | None = None
    webhook_channel: int = 1001  # the channel every webhook posts into
    interaction_channels: dict[str, int] = field(default_factory=dict)  # token -> channel

    def __post_init__(self) -> None:
        self._counter = 0
        self._runner: web.AppRunner | None = None
        self.port = 0
        app = web.Application(client_max_size=32 * 2**20)
        app.router.add_route("*", "/api/{tail:.*}", self.dispatch)
        self.app = app

    # -- lifecycle ----------------------------------------------------------------------
    async def start(self) -> str:
        self._runner = web.AppRunner(self.app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self.api_base

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    def webhook_url(self, webhook_id: int = 950000000000000001) -> str:
        return f"http://127.0.0.1:{self.port}/api/webhooks/{webhook_id}/{'w' * 68}"

    def fail(self, method: str, path: str, *statuses: int, retry_after: float = 0.05) -> None:
        """Answer the next requests to ``path`` (regex) with these statuses, in order."""
        self.faults += [Fault(method, path, s, retry_after) for s in statuses]

    def in_channel(self, channel_id: int) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["channel_id"] == str(channel_id)]

    # -- plumbing -----------------------------------------------------------------------
    def _next_id(self) -> str:
        self._counter += 1
        return snowflake(self._counter)

    def _json(self, data: Any, status: int = 200, headers: dict[str, str] | None = None):
        base = {
            "Content-Type": "application/json",
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "4",
            "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
            "X-RateLimit-Bucket": "fake-bucket",
        }
        base.update(headers or {})
        body = b"" if data is None else json.dumps(data).encode()
        return web.Response(body=body, status=status, headers=base)

    def _error(self, status: int, code: int, message: str, **extra: Any) -> web.Response:
        return self._json({"message": message, "code": code, **extra}, status)

    def _fault_for(self, method: str, path: str) -> Fault | None:
        for i, fault in enumerate(self.faults):
            if fault.method == method and re.fullmatch(fault.path, path):
                return self.faults.pop(i)
        return None

    def _fault_response(self, fault: Fault) -> web.Response:
        if fault.status == 429:
            return self._json(
                {
                    "message": "You are being rate limited.",
                    "retry_after": fault.retry_after,
                    "global": fault.is_global,
                },
                429,
                {
                    "Via": "1.1 google",
                    "Retry-After": str(max(1, round(fault.retry_after))),
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
                    "X-RateLimit-Scope": "user",
                },
            )
        if fault.status == 403:
            return self._error(403, 50013, "Missing Permissions")
        if fault.status == 404:
            return self._error(404, 10003, "Unknown Channel")
        return self._json({"message": "Internal Server Error", "code": 0}, fault.status)

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        path = "/" + re.sub(r"^v10/", "", request.match_info["tail"])  # unversioned = v10
        response = await self._handle(request, path)
        self.requests.append((request.method, path, response.status))
        return response

    async def _handle(self, request: web.Request, path: str) -> web.StreamResponse:
        fault = self._fault_for(request.method, path)
        if fault is not None:
            return self._fault_response(fault)
        is_webhook = path.startswith(("/webhooks/", "/interactions/"))
        if not is_webhook and request.headers.get("Authorization") != f"Bot {self.token}":
            return self._error(401, 0, "401: Unauthorized")
        method = request.method
        if method == "GET" and path == "/users/@me":
            return self._json(BOT_USER)
        if method == "GET" and path == "/oauth2/applications/@me":
            return self._json(application())
        if method == "PUT" and re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path):
            body = await request.json()
            synced = [dict(c, id=self._next_id(), application_id=APP_ID) for c in body]
            return self._json(synced)
        if m := re.fullmatch(r"/channels/(\d+)/messages", path):
            channel = int(m[1])
            if channel not in self.channels:
                return self._error(404, 10003, "Unknown Channel")
            if channel in self.forbidden:
                return self._error(403, 50013, "Missing Permissions")
            if method == "GET":
                return self._history(channel, int(request.query.get("limit", "50")))
            if method == "POST":
                return await self._create(request, str(channel), BOT_USER)
        if m := re.fullmatch(r"/channels/(\d+)", path):
            if method == "GET" and int(m[1]) in self.channels:
                return self._json(text_channel(int(m[1])))
            return self._error(404, 10003, "Unknown Channel")
        if m := re.fullmatch(r"/interactions/(\d+)/([\w.-]+)/callback", path):
            body, files = await self._read_body(request)
            self.interaction_responses.append({"token": m[2], **body, "files": files})
            return web.Response(status=204)
        if m := re.fullmatch(r"/webhooks/(\d+)/([\w.-]+)", path):
            if m[1] == APP_ID:  # an interaction follow-up, posted as the bot
                channel = self.interaction_channels.get(m[2], 0)
                return await self._create(request, str(channel), BOT_USER, via="followup")
            author = {"id": m[1], "username": "newsbot webhook", "discriminator": "0000"}
            return await self._create(
                request, str(self.webhook_channel), dict(author, bot=True), via="webhook"
            )
        if m := re.fullmatch(r"/webhooks/(\d+)/([\w.-]+)/messages/@original", path):
            body, files = await self._read_body(request)
            self.interaction_responses.append({"token": m[2], "edit": body, "files": files})
            channel = str(self.interaction_channels.get(m[2], 0))
            return self._json(self._message_object(channel, BOT_USER, body, None))
        return self._error(404, 0, f"404: Not Found ({method} {path})")

    async def _read_body(self, request: web.Request) -> tuple[dict[str, Any], list[dict]]:
        """JSON or multipart (payload_json + files[n]); anything else is refused."""
        ctype = request.headers.get("Content-Type", "")
        if ctype.startswith("multipart/form-data"):
            body: dict[str, Any] = {}
            files = []
            async for part in await request.multipart():
                if part.name == "payload_json":
                    body = json.loads(await part.text())
                else:
                    files.append({"filename": part.filename, "data": await part.read()})
            return body, files
        if ctype != "application/json":
            raise web.HTTPBadRequest(text=f"unsupported content type {ctype!r}")
        return await request.json(), []

    def _message_object(
        self, channel: str, author: dict[str, Any], body: dict[str, Any], nonce: str | None
    ) -> dict[str, Any]:
        return {
            "id": self._next_id(),
            "type": 0,
            "channel_id": channel,
            "author": author,
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
            "edited_timestamp": None,
            "flags": 0,
            "components": [],
            "nonce": nonce,
        }

    async def _create(
        self, request: web.Request, channel: str, author: dict[str, Any], via: str = "bot"
    ) -> web.Response:
        body, files = await self._read_body(request)
        errors = limit_errors(body)
        if not (body.get("content") or body.get("embeds") or files):
            errors.append("Cannot send an empty message")
        if errors:
            return self._error(400, 50035, "Invalid Form Body", errors=errors)
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            for old in self.messages:
                fresh = time.monotonic() - old["_received"] < self.nonce_window
                if old["nonce"] == str(nonce) and old["author"]["id"] == author["id"] and fresh:
                    return self._json(public(old))
        message = self._message_object(channel, author, body, None if nonce is None else str(nonce))
        message["attachments"] = [
            {
                "id": self._next_id(),
                "filename": f["filename"],
                "size": len(f["data"]),
                "url": f"http://127.0.0.1:{self.port}/attachments/{f['filename']}",
                "proxy_url": f"http://127.0.0.1:{self.port}/attachments/{f['filename']}",
            }
            for f in files
        ]
        message["_files"] = files
        message["_via"] = via
        message["_received"] = time.monotonic()
        message["_request"] = body
        self.messages.append(message)
        if self.on_message is not None:
            self.on_message(message)
        if self.post_delay:
            await asyncio.sleep(self.post_delay)
        return self._json(public(message))

    def _history(self, channel: int, limit: int) -> web.Response:
        mine = [m for m in self.messages if m["channel_id"] == str(channel)]
        newest_first = list(reversed(mine))[: max(1, min(limit, 100))]
        return self._json([dict(public(m), nonce=None) for m in newest_first])


def public(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if not k.startswith("_")}


def application() -> dict[str, Any]:
    return {
        "id": APP_ID,
        "name": "newsbot",
        "icon": None,
        "description": "",
        "bot_public": False,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "owner": {"id": OWNER_ID, "username": "owner", "discriminator": "0", "avatar": None},
        "flags": 0,
        "team": None,
    }


def text_channel(channel_id: int) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": GUILD_ID,
        "name": f"news-{channel_id}",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
    }


# -- gateway side: the events a connected bot would receive -----------------------------------
MANAGE_GUILD = 1 << 5
READ = (1 << 10) | (1 << 11) | (1 << 16)  # view channel, send messages, read history
ROLE_IDS = {"@everyone": GUILD_ID, "Editors": "900000000000000201", "Desk": "900000000000000202"}
USERS = {  # name -> (id, roles)
    "reader": ("900000000000000301", []),
    "editor": ("900000000000000302", ["Editors"]),  # Manage Server through a role
    "desk": ("900000000000000303", ["Desk"]),  # the configured manager role, no permission
}


def guild_create() -> dict[str, Any]:
    """GUILD_CREATE for one server: channels 1001/1002, roles @everyone, Editors, Desk."""
    perms = {"@everyone": READ, "Editors": READ | MANAGE_GUILD, "Desk": READ}
    roles = [
        {
            "id": rid,
            "name": name,
            "permissions": str(perms[name]),
            "position": i,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }
        for i, (name, rid) in enumerate(ROLE_IDS.items())
    ]
    return {
        "id": GUILD_ID,
        "name": "Newsroom",
        "owner_id": OWNER_ID,
        "roles": roles,
        "channels": [text_channel(1001), text_channel(1002)],
        "members": [
            {"user": BOT_USER, "roles": [], "joined_at": "2024-01-01T00:00:00+00:00", "flags": 0}
        ],
        "member_count": 4,
        "features": [],
        "emojis": [],
        "stickers": [],
        "threads": [],
        "large": False,
        "unavailable": False,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "afk_timeout": 300,
        "nsfw_level": 0,
    }


def user(name: str) -> dict[str, Any]:
    uid, _ = USERS[name]
    return {"id": uid, "username": name, "discriminator": "0", "avatar": None, "global_name": name}


def member(name: str) -> dict[str, Any]:
    _, roles = USERS[name]
    return {
        "roles": [ROLE_IDS[r] for r in roles],
        "joined_at": "2024-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
    }


_event_ids = iter(range(1, 1 << 20))


def message_create(content: str, author: str, channel: int = 1001) -> dict[str, Any]:
    return {
        "id": snowflake(next(_event_ids)),
        "type": 0,
        "channel_id": str(channel),
        "guild_id": GUILD_ID,
        "author": user(author),
        "member": member(author),
        "content": content,
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
    }


def interaction_create(
    name: str, options: list[dict[str, Any]], author: str, token: str, channel: int = 1001
) -> dict[str, Any]:
    """INTERACTION_CREATE for a slash command (``options`` as Discord nests them)."""
    return {
        "id": snowflake(next(_event_ids)),
        "application_id": APP_ID,
        "type": 2,
        "token": token,
        "version": 1,
        "guild_id": GUILD_ID,
        "channel_id": str(channel),
        "channel": text_channel(channel),
        "member": dict(member(author), user=user(author), permissions=str(READ)),
        "app_permissions": str(READ),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "attachment_size_limit": 10 * 2**20,
        "authorizing_integration_owners": {"0": GUILD_ID},
        "context": 0,
        "data": {"id": snowflake(next(_event_ids)), "name": name, "type": 1, "options": options},
    }
