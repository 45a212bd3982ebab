"""The poll function against a local HTTP server, with the real store (SQLite and PostgreSQL):
first-poll silence, backfill, conditional GET, redirects, pauses with a notice, edits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from newsbot import models
from newsbot.app import FeedCommands, Newsbot
from newsbot.config import load_config
from newsbot.poll import open_fetcher, poll_due, poll_feed
from newsbot.scheduler import BotSchedule, make_digest
from tests.feedserver import FeedServer, Reply

T0 = datetime(2024, 10, 20, 12, tzinfo=UTC)


def rss(*entries: tuple[str, str, str, str]) -> bytes:
    """entries: (guid, title, description, RFC 822 date)."""
    items = "".join(
        f"<item><guid isPermaLink='false'>{g}</guid><title>{t}</title>"
        f"<link>https://example.org/{g}?utm_source=rss</link>"
        f"<description>{d}</description><pubDate>{p}</pubDate></item>"
        for g, t, d, p in entries
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Testfeed</title><language>de</language>{items}</channel></rss>"
    ).encode()


ON_TOPIC = [
    (
        "a1",
        "Pentagon: 10.000 nordkoreanische Soldaten in Russland",
        "Nordkorea hat nach Angaben des Pentagon etwa 10.000 Soldaten nach Russland geschickt.",
        "Mon, 21 Oct 2024 08:00:00 +0000",
    ),
    (
        "a2",
        "Nordkoreanische Truppen im Gebiet Kursk",
        "Laut dem ukrainischen Militärgeheimdienst HUR sind nordkoreanische Soldaten in Kursk.",
        "Tue, 22 Oct 2024 08:00:00 +0000",
    ),
    (
        "a3",
        "Kirby: Mindestens 3.000 Soldaten aus Nordkorea in Russland",
        "Nordkorea hat mindestens 3.000 Soldaten nach Russland verlegt, sagte John Kirby.",
        "Wed, 23 Oct 2024 08:00:00 +0000",
    ),
]


@pytest.fixture
def bot(db_url: str, tmp_path: Path) -> Newsbot:
    path = tmp_path / "config.toml"
    path.write_text("feeds = []\n[polling]\nallow_private = true\nmax_failures = 3\n")
    bot = Newsbot(load_config(path, env={"NEWSBOT_DATABASE_URL": db_url}))
    bot.init(progress=False)
    yield bot
    bot.close()


def add_feed(bot: Newsbot, url: str, backfill: int | None = None) -> int:
    view = FeedCommands(bot).add(url)
    if backfill is not None:
        with bot.store.session() as session:
            session.get(models.Feed, view.id).backfill = backfill
    return view.id


def feed_row(bot: Newsbot, feed_id: int) -> models.Feed:
    with bot.store.session() as session:
        return session.get(models.Feed, feed_id)


def pending_titles(bot: Newsbot) -> list[str]:
    with bot.store.session() as session:
        return [entry.title for _, entry in bot.pending_entries(session)]


def notices(bot: Newsbot) -> list[str]:
    with bot.store.session() as session:
        return [
            r.payload["text"]
            for r in session.scalars(select(models.Outbox).where(models.Outbox.kind == "notice"))
        ]


async def test_first_poll_records_silently_then_new_entries_are_announced(bot: Newsbot) -> None:
    async with FeedServer() as server, open_fetcher(bot.config) as fetcher:
        server.feed("/rss", rss(*ON_TOPIC[:2]), etag='"v1"')
        feed_id = add_feed(bot, server.url("/rss"))
        first = await poll_feed(bot, fetcher, feed_id, now=T0)
        assert (first.status, first.new) == ("ok", 2)
        assert pending_titles(bot) == []  # recorded, not announced
        server.feed("/rss", rss(*ON_TOPIC), etag='"v2"')
        second = await poll_feed(bot, fetcher, feed_id, now=T0 + timedelta(minutes=20))
        assert (second.new, second.seen) == (1, 2)
        assert pending_titles(bot) == [ON_TOPIC[2][1]]
        assert make_digest(bot) is not None and pending_titles(bot) == []


async def test_backfill_announces_the_newest_entries_of_a_new_feed(bot: Newsbot) -> None:
    async with FeedServer() as server, open_fetcher(bot.config) as fetcher:
        server.feed("/rss", rss(*reversed(ON_TOPIC)))  # listed newest first
        feed_id = add_feed(bot, server.url("/rss"), backfill=2)
        result = await poll_feed(bot, fetcher, feed_id, now=T0)
        assert [r.item.entry_id for r in result.reports] == ["a1", "a2", "a3"]  # oldest first
        assert pending_titles(bot) == [ON_TOPIC[1][1], ON_TOPIC[2][1]]


async def test_not_modified_costs_no_parse_and_keeps_validators(bot: Newsbot) -> None:
    modified = "Wed, 23 Oct 2024 08:00:00 GMT"
    async with FeedServer() as server, open_fetcher(bot.config) as fetcher:
        server.feed("/rss", rss(*ON_TOPIC), etag='"v1"', last_modified=modified)
        feed_id = add_feed(bot, server.url("/rss"))
        await poll_feed(bot, fetcher, feed_id, now=T0)
        again = await poll_feed(bot, fetcher, feed_id, now=T0 + timedelta(minutes=20))
        assert again.status == "not_modified" and again.reports == ()
        assert server.requests[-1].headers.get("if-none-match") == '"v1"'
        row = feed_row(bot, feed_id)
        assert (row.etag, row.last_modified) == ('"v1"', modified)
        assert row.next_fetch_at > T0 + timedelta(minutes=20)


@pytest.mark.parametrize("status, moves", [(301, True), (308, True), (302, False), (307, False)])
async def test_only_permanent_redirects_move_the_feed(
    bot: Newsbot, status: int, moves: bool
) -> None:
    async with FeedServer() as server, open_fetcher(bot.config) as fetcher:
        server.feed("/new", rss(*ON_TOPIC))
        server.redirect("/old", server.url("/new"), status=status)
        feed_id = add_feed(bot, server.url("/old"))
        result = await poll_feed(bot, fetcher, feed_id, now=T0)
        assert result.status == "ok" and result.new == 3
        assert feed_row(bot, feed_id).url == server.url("/new" if moves else "/old")


async def test_gone_pauses_at_once_and_tells_the_channel(bot: Newsbot) -> None:
    async with FeedServer() as server, open_fetcher(bot.config) as fetcher:
        server.reply("/rss", b"gone", status=410)
        feed_id = add_feed(bot, server.url("/rss"))
        await poll_feed(bot, fetcher, feed_id, now=T0)
        row = feed_row(bot, feed_id)
        assert row.state == "paused" and "410" in row.paused_reason
        assert len(notices(bot)) == 1 and "paused" in notices(bot)[0]
        skipped = await poll_feed(bot, fetcher, feed_id, now=T0 + timedelta(days=1))
        assert skipped.status == "skipped" and server.hits("/rss") == 1


async def test_failure_streak_pauses_then_resume_recovers(bot: Newsbot) -> None:
    async with FeedServer() as server, open_fetcher(bot.config) as fetcher:
        server.replies("/rss", [Reply(500, b"oops")] * 3 + [Reply(200, rss(*ON_TOPIC))])
        feed_id = add_feed(bot, server.url("/rss"))
        now = T0
        for _ in range(2):
            result = await poll_feed(bot, fetcher, feed_id, now=now)
            assert result.status == "error" and "500" in result.error
            row = feed_row(bot, feed_id)
            assert row.state == "backoff" and row.next_fetch_at > now
            now = row.next_fetch_at
        await poll_feed(bot, fetcher, feed_id, now=now)  # third failure in a row
        row = feed_row(bot, feed_id)
        assert row.state == "paused" and row.error_count == 3
        assert any("paused" in n for n in notices(bot))
        FeedCommands(bot).resume(str(feed_id))
        result = await poll_feed(bot, fetcher, feed_id, now=now)
        assert (result.status, result.new) == ("ok", 3)
        row = feed_row(bot, feed_id)
        assert row.state == "active" and row.consecutive_failures == 0


async def test_an_edited_entry_is_an_update_not_a_new_story(bot: Newsbot) -> None:
    async with FeedServer() as server, open_fetcher(bot.config) as fetcher:
        server.feed("/rss", rss(*ON_TOPIC))
        feed_id = add_feed(bot, server.url("/rss"))
        await poll_feed(bot, fetcher, feed_id, now=T0)
        guid, title, text, date = ON_TOPIC[0]
        server.feed("/rss", rss((guid, title + " (aktualisiert)", text, date), *ON_TOPIC[1:]))
        result = await poll_feed(bot, fetcher, feed_id, now=T0 + timedelta(minutes=20))
        assert result.new == 0
        (edited,) = [r for r in result.reports if r.updated]
        assert edited.item.entry_id == guid
        with bot.store.session() as session:
            rows = session.scalars(select(models.Item).where(models.Item.feed_id == feed_id))
            titles = sorted(r.title for r in rows)
        assert len(titles) == 3 and title + " (aktualisiert)" in titles


async def test_a_feed_that_turns_into_html_is_a_recorded_failure(bot: Newsbot) -> None:
    async with FeedServer() as server, open_fetcher(bot.config) as fetcher:
        server.reply(
            "/rss", b"<html><body><h1>Wartung</h1></body></html>", Content_Type="text/html"
        )
        feed_id = add_feed(bot, server.url("/rss"))
        result = await poll_feed(bot, fetcher, feed_id, now=T0)
        assert result.new == 0 and result.error
        row = feed_row(bot, feed_id)
        assert row.consecutive_failures == 1 and "not an RSS/Atom feed" in row.parse_problem


async def test_copies_across_feeds_are_stored_once_in_publication_order(bot: Newsbot) -> None:
    copy = ("b9", ON_TOPIC[0][1], ON_TOPIC[0][2], "Mon, 21 Oct 2024 09:30:00 +0000")
    async with FeedServer() as server, open_fetcher(bot.config) as fetcher:
        server.feed("/late", rss(copy))
        server.feed("/early", rss(ON_TOPIC[0]))
        late, early = add_feed(bot, server.url("/late")), add_feed(bot, server.url("/early"))
        results = await poll_due(bot, fetcher, now=T0)
        assert {r.feed_id for r in results} == {late, early}
        reports = {r.item.entry_id: r for res in results for r in res.reports}
        assert reports["a1"].duplicate_of is None  # the earlier one is the original
        assert reports["b9"].duplicate_of == "a1"


async def test_a_dead_database_does_not_stop_the_schedule(tmp_path: Path) -> None:
    config = load_config(
        None, env={"NEWSBOT_DATABASE_URL": "postgresql+psycopg://127.0.0.1:1/none"}
    )
    bot = Newsbot(config)
    async with open_fetcher(config) as fetcher:
        schedule = BotSchedule(bot, fetcher, deliver=lambda: None)
        assert await schedule.poll_cycle() == []  # logged, not raised
    bot.close()
