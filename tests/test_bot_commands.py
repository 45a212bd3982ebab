"""The commands through real discord.py invocation, answered through the fake Discord server.

The bot logs in against ``FakeDiscord`` (REST only, no gateway) and is fed the gateway
events a connected bot would get: GUILD_CREATE for a server with an "Editors" role (Manage
Server) and a "Desk" role (the configured manager role), then MESSAGE_CREATE messages that
go through ``Bot.process_commands`` — prefix parsing, converters, checks, the cogs' error
handler — or INTERACTION_CREATE for the slash twins. Replies are read where Discord would
have them: at the fake server.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
from aiohttp import web
from discord.http import Route

from newsbot.app import FeedCommands, Newsbot
from newsbot.bot.client import NewsbotBot
from newsbot.config import demo_feeds_dir, load_config
from newsbot.feeds.parse import parse_feed
from newsbot.poll import open_fetcher
from tests.fakediscord import FakeDiscord, guild_create, interaction_create, message_create

DESK, ADMIN = 1001, 1002
_tokens = itertools.count(1)


def text_of(message: dict[str, Any]) -> str:
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
    return "\n".join(parts)


def shown(text: str) -> str:
    """What Discord displays: markdown escapes resolved (``\\_`` shows as ``_``)."""
    return re.sub(r"\\(.)", r"\1", text)


@dataclass
class Desk:
    """A server with the bot in it; ``say`` posts a message as one of the test users."""

    server: FakeDiscord
    bot: NewsbotBot
    newsbot: Newsbot

    async def say(self, content: str, author: str = "reader") -> list[dict[str, Any]]:
        before = len(self.server.messages)
        data = message_create(content, author, DESK)
        channel = self.bot.get_channel(DESK)
        message = discord.Message(state=self.bot._connection, channel=channel, data=data)
        await self.bot.process_commands(message)
        return self.server.messages[before:]

    async def reply(self, content: str, author: str = "reader") -> str:
        """The text of what was posted in the channel of the command."""
        posted = await self.say(content, author)
        return "\n".join(text_of(m) for m in posted if m["channel_id"] == str(DESK))

    async def slash(
        self, name: str, options: list[dict[str, Any]], author: str = "reader"
    ) -> dict[str, Any]:
        token = f"interaction-token-{next(_tokens)}"
        self.server.interaction_channels[token] = DESK
        self.bot._connection.parse_interaction_create(
            interaction_create(name, options, author, token, DESK)
        )
        for _ in range(200):
            for response in self.server.interaction_responses:
                if response["token"] == token:
                    return response
            await asyncio.sleep(0.02)
        raise AssertionError(f"no interaction response for /{name}")

    def feeds(self) -> dict[str, str]:
        return {f.url: f.state for f in FeedCommands(self.newsbot).list()}


@pytest.fixture
async def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Desk]:
    server = FakeDiscord(channels={DESK, ADMIN})
    base = await server.start()
    monkeypatch.setattr(Route, "BASE", base)
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        f'data_dir = "{tmp_path / "data"}"\n'
        f'[discord]\ntoken = "{server.token}"\napi_base = "{base}"\n'
        f'channel_id = {DESK}\nadmin_channel_id = {ADMIN}\nmanager_role = "Desk"\n',
        encoding="utf-8",
    )
    newsbot = Newsbot(load_config(config_file))
    newsbot.init(progress=False)
    bot = NewsbotBot(newsbot, schedule=False)
    await bot.login(server.token)
    bot._connection.parse_guild_create(guild_create())
    yield Desk(server, bot, newsbot)
    await bot.close()
    newsbot.close()
    await server.stop()


async def test_slash_twins_are_synced_at_login(desk: Desk) -> None:
    [(_, path, status)] = [r for r in desk.server.requests if r[0] == "PUT"]
    assert path.endswith("/commands") and status == 200
    names = {c.name for c in desk.bot.tree.get_commands()}
    assert names == {"feeds", "feed", "compare", "digest", "figures", "help"}


async def test_anyone_lists_feeds_with_their_health(desk: Desk) -> None:
    [message] = await desk.say("!feeds")
    text = shown(text_of(message))
    assert "Watched feeds (3)" in text
    for url in desk.feeds():
        assert url in text
    assert "regional de" in text and "active" in text
    assert text.count("last fetch never · last new item never · errors 0") == 3
    assert message["_request"]["allowed_mentions"]["parse"] == []


async def test_reader_may_not_change_feeds(desk: Desk) -> None:
    before = desk.feeds()
    reply = await desk.reply("!feed add https://93.184.215.14/rss Wire", author="reader")
    assert "Manage Server" in reply and "Desk" in reply
    reply = await desk.reply("!feed pause 1", author="reader")
    assert "Manage Server" in reply
    reply = await desk.reply("!digest now", author="reader")
    assert "Manage Server" in reply
    assert desk.feeds() == before


@pytest.mark.parametrize("who", ["editor", "desk"])  # Manage Server by role; the named role
async def test_managers_add_pause_resume_remove(desk: Desk, who: str) -> None:
    url = "https://93.184.215.14/rss"
    reply = await desk.reply(f"!feed add {url} Agency wire", author=who)
    assert reply.startswith("Watching feed 4: Agency wire") and url in reply
    assert desk.feeds()[url] == "active"
    assert "Paused feed 4" in await desk.reply("!feed pause Agency wire", author=who)
    assert desk.feeds()[url] == "paused"
    assert "Resumed feed 4" in await desk.reply(f"!feed resume {url}", author=who)
    assert desk.feeds()[url] == "active"
    assert "Removed feed 4" in await desk.reply("!feed remove 4", author=who)
    assert url not in desk.feeds()


async def test_bad_arguments_get_a_usage_line_or_a_clear_answer(desk: Desk) -> None:
    assert await desk.reply("!feed add", author="editor") == (
        "Usage: `!feed add <url> [name]` — Watch the feed at URL, optionally under NAME."
    )
    group = "Usage: `!feed <add|pause|remove|resume> …` — see `!help feed`."
    assert await desk.reply("!feed", author="editor") == group
    assert await desk.reply("!feed bogus", author="editor") == group
    assert "Usage: `!compare <query>`" in await desk.reply("!compare")
    unknown = await desk.reply("!feed pause nosuchfeed", author="editor")
    assert shown(unknown) == "no feed 'nosuchfeed': give its number, URL or name (see `feeds`)"
    scheme = await desk.reply("!feed add ftp://example.org/feed", author="editor")
    assert "only http:// and https://" in scheme
    loopback = await desk.reply("!feed add http://127.0.0.1/feed.xml", author="editor")
    assert "refusing to fetch 127.0.0.1" in loopback and "loopback" in loopback
    await desk.reply("!feed add https://93.184.215.14/rss", author="editor")
    duplicate = await desk.reply("!feed add https://93.184.215.14/rss", author="editor")
    assert "already watching https://93.184.215.14/rss" in duplicate
    assert "Traceback" not in scheme + loopback + duplicate + unknown
    assert await desk.say("!nosuchcommand") == []  # other bots may share the prefix


async def test_hostile_feed_name_is_shown_inert(desk: Desk) -> None:
    [message] = await desk.say("!feed add https://93.184.215.14/rss @everyone **wow**", "editor")
    assert "@\u200beveryone \\*\\*wow\\*\\*" in message["content"]
    assert message["_request"]["allowed_mentions"]["parse"] == []


async def test_internal_errors_are_logged_not_shown(
    desk: Desk, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self) -> list:
        raise RuntimeError("secret stack detail")

    monkeypatch.setattr(FeedCommands, "list", broken)
    reply = await desk.reply("!feeds")
    assert reply == "Something went wrong; the error was logged for the operators."
    assert "secret stack detail" in caplog.text


def ingest_demo_feeds(desk: Desk) -> int:
    """Run the bundled demo feeds through the pipeline; returns the items a digest shows."""
    relevant = 0
    for path in sorted(demo_feeds_dir().glob("*.xml")):
        parsed = parse_feed(path.read_bytes(), url=path.as_uri())
        feed_id = desk.newsbot.feed_for_check(path.as_uri(), path.stem)
        reports = desk.newsbot.ingest(parsed.items, feed_id=feed_id)
        relevant += sum(r.result.relevant and r.duplicate_of is None for r in reports)
    return relevant


async def test_digest_now_posts_pending_findings_once(desk: Desk) -> None:
    relevant = ingest_demo_feeds(desk)
    assert relevant > 0

    replies = await desk.say("!digest now", author="desk")
    digest, answer = replies[:-1], replies[-1]
    assert text_of(answer) == f"Posted a digest of {relevant} items to <#{DESK}>."
    assert digest and all(m["channel_id"] == str(DESK) for m in digest)
    assert digest[0]["content"].startswith(f"newsbot digest: {relevant} new item")
    assert sum(len(m["embeds"]) for m in digest) >= relevant
    assert await desk.reply("!digest now", author="desk") == "Nothing new since the last digest."


async def test_digest_now_to_a_deleted_channel_says_so(desk: Desk) -> None:
    ingest_demo_feeds(desk)
    desk.bot.sender.channel_id = 1003  # the digest channel was deleted
    reply = shown(await desk.reply("!digest now", author="desk"))
    assert reply.startswith("Could not post a digest of ")
    assert "channel 1003 not found" in reply
    [notice] = desk.server.in_channel(ADMIN)
    assert "will not be retried" in notice["embeds"][0]["description"]


async def test_figures_table_and_chart(desk: Desk) -> None:
    [message] = await desk.say("!figures")
    text = text_of(message)
    assert text.startswith("\nFigures: north korean troops in russia\n")
    table = [line for line in text.splitlines() if line.startswith("`")]
    assert f"{len(table)} figures from" in text and len(table) >= 5
    assert all(line.endswith("· seed") and "undated" in line for line in table)  # only seeds yet
    assert any("**etwa 10,000** Soldaten · 9,000 – 11,000" in line for line in table)
    [png] = message["_files"]
    assert png["filename"] == "figures.png" and png["data"].startswith(b"\x89PNG")
    assert message["embeds"][0]["image"]["url"] == "attachment://figures.png"
    assert await desk.reply("!figures no such subject") == (
        "No figures on record matching “no such subject”."
    )


async def test_compare_text_and_stored_item(desk: Desk) -> None:
    text = (
        "Nordkorea hat nach Angaben der Ukraine rund 12.000 Soldaten nach Russland geschickt, "
        "die in der Region Kursk eingesetzt werden sollen."
    )
    reply = await desk.reply(f"!compare {text}")
    assert "on the story" in reply
    assert "12,000 Soldaten" in reply and "on record:" in reply
    seed = sorted(desk.newsbot.config.seeds_dir.glob("*.txt"))[0].name
    stored = shown(await desk.reply(f"!compare {seed}"))
    assert f"compared: stored item {seed}" in stored
    assert f"`{seed}`" not in stored  # an item is not its own best match


async def test_compare_fetches_an_article_url(desk: Desk) -> None:
    page = (
        "<html><head><title>Pentagon: 10.000 Soldaten aus Nordkorea</title></head><body>"
        "<p>Nach Angaben des Pentagon sind rund 10.000 nordkoreanische Soldaten in Russland "
        "eingetroffen, viele davon in der Region Kursk.</p></body></html>"
    )

    async def article(_request: web.Request) -> web.Response:
        return web.Response(text=page, content_type="text/html")

    app = web.Application()
    app.router.add_get("/article", article)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    desk.newsbot.config.values["polling.allow_private"] = True  # the article is on loopback
    try:
        async with open_fetcher(desk.newsbot.config) as fetcher:
            desk.bot.fetcher = fetcher
            reply = shown(await desk.reply(f"!compare <http://127.0.0.1:{port}/article>"))
    finally:
        await runner.cleanup()
    assert reply.startswith("\nCompare: Pentagon: 10.000 Soldaten aus Nordkorea")
    assert f"compared: http://127.0.0.1:{port}/article" in reply
    assert "rund 10,000 Soldaten" in reply and "on record:" in reply


async def test_help_lists_every_command_and_who_may_use_it(desk: Desk) -> None:
    reply = await desk.reply("!help")
    for usage in (
        "`!compare <query>`",
        "`!feeds`",
        "`!feed add <url> [name]` — Watch the feed at URL, optionally under NAME. *(managers)*",
        "`!feed remove <feed>`",
        "`!digest now` — Post the pending findings as a digest now. *(managers)*",
        "`!figures [subject]`",
    ):
        assert usage in reply
    assert "Manage Server or the “Desk” role" in reply


async def test_slash_commands_answer_and_refuse_like_prefix_ones(desk: Desk) -> None:
    listing = await desk.slash("feeds", [], author="reader")
    assert listing["type"] == 4 and "Watched feeds (3)" in listing["data"]["embeds"][0]["title"]
    option = {"name": "url", "type": 3, "value": "https://93.184.215.14/rss"}
    refused = await desk.slash("feed", [{"name": "add", "type": 1, "options": [option]}])
    assert "Manage Server" in refused["data"]["content"]
    assert refused["data"]["flags"] & 64  # ephemeral: only the author sees the refusal
    added = await desk.slash(
        "feed", [{"name": "add", "type": 1, "options": [option]}], author="editor"
    )
    assert added["data"]["content"].startswith("Watching feed 4")
