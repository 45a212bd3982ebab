"""Delivery through the outbox to a fake Discord REST server: what arrives, failures survived.

Each test starts ``FakeDiscord`` on 127.0.0.1, points discord.py at it, queues digests the
way the scheduler does (``queue_digest`` in one transaction with the items) and runs the
real sender. Assertions are on what the server received and on the outbox rows.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from discord.http import Route
from sqlalchemy import select

from newsbot import models
from newsbot.bot.delivery import Policy, Sender
from newsbot.bot.embeds import limit_problems, nonce
from newsbot.bot.transport import RestTransport, WebhookTransport
from newsbot.digest import DigestEntry
from newsbot.outbox import queue_digest, queue_notice
from newsbot.store import Store
from newsbot.types import Figure, Finding, Match, RecordedFigure, Status
from tests.fakediscord import BOT_ID, FakeDiscord

CHANNEL, ADMIN = 1001, 1002
FAST = Policy(backoff_base=0.05, backoff_cap=0.2, max_failures=4)
NOW = datetime(2024, 11, 5, 12, 0, tzinfo=UTC)


def entry(i: int, *, conflict: bool = True, title: str | None = None) -> DigestEntry:
    """A digest line like the pipeline writes: a CONFLICT against the Pentagon's figure."""
    pentagon = RecordedFigure(
        Figure(10000, 9000, 11000, "Soldaten", "nk-troops", "Pentagon", "…", "etwa"),
        "seed-02.txt",
        datetime(2024, 10, 28, tzinfo=UTC),
    )
    figure = Figure(1500 + i, 1500 + i, 1500 + i, "Soldaten", "nk-troops", "NIS", "…", None)
    finding = Finding(figure, Status.CONFLICT if conflict else Status.NEW, (pentagon,))
    return DigestEntry(
        item_id=f"item-{i}",
        title=title or f"Report {i}: North Korean troops near Kursk",
        link=f"https://news.example/{i}?a_b=1",
        source="Wire",
        published=datetime(2024, 11, 1, tzinfo=UTC) + timedelta(hours=i),
        best_match=Match("seed-01.txt", "Nordkorea schickt Soldaten", 88.0),
        findings=(finding,),
    )


def queue(store: Store, entries: list[DigestEntry], channel_id: int = 0) -> str:
    """Write items and their digest row in one transaction, as ``make_digest`` does."""
    with store.session() as session:
        pairs = []
        for e in entries:
            row = models.Item(
                entry_id=e.item_id,
                title=e.title,
                text="",
                link=e.link,
                content_hash=e.item_id,
                text_hash=e.item_id,
                published=e.published,
                announce=True,
            )
            session.add(row)
            pairs.append((row, e))
        session.flush()
        return queue_digest(session, pairs, now=NOW, channel_id=channel_id).key


def rows(store: Store) -> list[models.Outbox]:
    with store.session() as session:
        return list(session.scalars(select(models.Outbox).order_by(models.Outbox.id)))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'newsbot.db'}")
    s.migrate()
    yield s
    s.dispose()


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord(channels={CHANNEL, ADMIN})
    base = await fake.start()
    monkeypatch.setattr(Route, "BASE", base)
    yield fake
    await fake.stop()


@pytest.fixture
async def rest(server: FakeDiscord) -> AsyncIterator[RestTransport]:
    transport = await RestTransport.login(server.token)
    yield transport
    await transport.close()


def sender(store: Store, transport, **kw) -> Sender:
    kw.setdefault("policy", FAST)
    return Sender(store, transport, channel_id=CHANNEL, admin_channel_id=ADMIN, **kw)


async def test_digest_arrives_as_embeds_with_nonce_and_no_mentions(
    store: Store, server: FakeDiscord, rest: RestTransport, tmp_path: Path
) -> None:
    hostile = "@everyone **Breaking** <@123456789012345678> [click](https://evil.example)"
    key = queue(store, [entry(0, title=hostile), entry(1, conflict=False)])
    outcome = await sender(store, rest).drain(timeout=10)

    assert (outcome.sent, outcome.parts, outcome.failed) == (1, 1, 0)
    [message] = server.in_channel(CHANNEL)
    sent = message["_request"]
    (tmp_path / "digest.json").write_text(json.dumps(sent, ensure_ascii=False, indent=1))
    print("digest as the fake Discord server received it:\n" + json.dumps(sent, indent=1))
    assert sent["nonce"] == nonce(key, 0) and sent["enforce_nonce"] is True
    assert sent["allowed_mentions"] == {"parse": []}
    assert sent["content"].startswith("newsbot digest: 2 new items")
    first, second = sent["embeds"]
    # the hostile headline is shown literally: no ping, no bold, no masked link
    assert "@everyone" not in first["title"] and "@\u200beveryone" in first["title"]
    assert "<@123456789012345678>" not in first["title"]
    assert "\\*\\*Breaking\\*\\*" in first["title"] and "\\[click\\]" in first["title"]
    assert first["url"] == "https://news.example/0?a_b=1"  # the link whole, not escaped
    assert "CONFLICT** 1,500 Soldaten — NIS" in first["description"]
    assert "↳ vs etwa 10,000 Soldaten (Pentagon, 2024-10-28, seed-02.txt)" in first["description"]
    assert "NEW** 1,501 Soldaten" in second["description"]
    assert second["footer"]["text"] == f"newsbot digest {key[:16]} · 1/1"
    [row] = rows(store)
    assert row.state == "sent" and row.message_ids == [message["id"]] and row.attempts == 1


async def test_big_digest_is_split_in_order_within_limits(
    store: Store, server: FakeDiscord, rest: RestTransport
) -> None:
    entries = [entry(i, title="Lange Überschrift " * 20) for i in range(45)]
    key = queue(store, entries)
    await sender(store, rest).drain(timeout=10)

    received = server.in_channel(CHANNEL)
    assert len(received) >= 5  # 45 items cannot fit 10 embeds per message
    assert all(limit_problems(m["_request"]) == [] for m in received)
    footers = [m["embeds"][-1]["footer"]["text"] for m in received]
    assert footers == [f"newsbot digest {key[:16]} · {i}/{len(received)}" for i in range(1, 6)]
    figures = [d for m in received for e in m["embeds"] for d in [e["description"]]]
    for i in range(45):  # every figure arrives whole, once, in order
        assert sum(f"{1500 + i:,} Soldaten — NIS" in d for d in figures) == 1


async def test_rate_limits_and_server_errors_are_survived(
    store: Store, server: FakeDiscord, rest: RestTransport
) -> None:
    keys = [queue(store, [entry(i)]) for i in range(3)]
    post = r"/channels/1001/messages"
    server.fail("POST", post, 429, 429)  # discord.py waits retry_after itself
    server.fail("POST", post, 500)  # discord.py retries 500 after 1 s
    server.fail("POST", post, 503, 503)  # reaches the sender: backoff, row stays pending
    outcome = await sender(store, rest).drain(timeout=15)

    assert outcome.sent == 3 and outcome.failed == 0
    statuses = [s for m, p, s in server.requests if m == "POST" and p == post]
    assert statuses == [429, 429, 500, 503, 503, 200, 200, 200]
    received = server.in_channel(CHANNEL)
    assert [m["nonce"] for m in received] == [nonce(k, 0) for k in keys]  # each once, in order
    assert [r.state for r in rows(store)] == ["sent"] * 3
    assert rows(store)[0].attempts == 3  # two 503s, then the post that worked


async def test_deleted_channel_and_missing_permission_are_reported_not_retried(
    store: Store, server: FakeDiscord, rest: RestTransport
) -> None:
    server.channels.add(1003)
    server.forbidden.add(1003)
    gone = queue(store, [entry(0)], channel_id=1004)  # no such channel: 404 Unknown Channel
    denied = queue(store, [entry(1)], channel_id=1003)  # 403 Missing Permissions
    fine = queue(store, [entry(2)])
    outcome = await sender(store, rest).drain(timeout=10)

    assert outcome.failed == 2 and outcome.sent == 3  # the good digest + two admin notices
    by_key = {r.key: r for r in rows(store)}
    assert by_key[gone].state == by_key[denied].state == "failed"
    assert "not found" in by_key[gone].last_error
    assert "no permission" in by_key[denied].last_error
    assert by_key[fine].state == "sent"
    posts = [(p, s) for m, p, s in server.requests if m == "POST"]
    assert posts.count(("/channels/1004/messages", 404)) == 1  # tried once, never again
    assert posts.count(("/channels/1003/messages", 403)) == 1
    notices = [m["embeds"][0]["description"] for m in server.in_channel(ADMIN)]
    assert len(notices) == 2
    assert "channel 1004" in notices[0] and "not found" in notices[0]
    assert "channel 1003" in notices[1] and "permission" in notices[1]


async def test_repeated_server_errors_end_in_failed_row_and_notice(
    store: Store, server: FakeDiscord, rest: RestTransport
) -> None:
    key = queue(store, [entry(0)])
    server.fail("POST", r"/channels/1001/messages", *[503] * FAST.max_failures)
    await sender(store, rest).drain(timeout=10)

    row = next(r for r in rows(store) if r.key == key)
    assert row.state == "failed" and row.attempts == FAST.max_failures
    assert "503" in row.last_error
    [notice] = server.in_channel(ADMIN)
    assert "will not be retried" in notice["embeds"][0]["description"]


async def test_unknown_outcome_is_checked_in_history_before_resending(
    store: Store, server: FakeDiscord, rest: RestTransport
) -> None:
    """A crash after Discord stored part 1 but before the row said so, long after the
    nonce window: the sender finds the part by its footer and does not post it again."""
    server.nonce_window = 0  # Discord forgot the nonce; only the history can tell
    entries = [entry(i, title="Lange Überschrift " * 20) for i in range(12)]
    key = queue(store, entries)
    [row] = rows(store)
    first = row.payload["messages"][0]
    posted = await rest.post(CHANNEL, first, nonce(key, 0))  # Discord has part 1 ...
    with store.session() as session:  # ... and the crashed sender had only counted the try
        session.get(models.Outbox, row.id).attempts = 1
    outcome = await sender(store, rest).drain(timeout=10)

    assert outcome.recovered == 1 and outcome.sent == 1
    received = server.in_channel(CHANNEL)
    assert [m["nonce"] for m in received] == [nonce(key, i) for i in range(len(received))]
    assert rows(store)[0].message_ids[0] == posted
    assert all(m["author"]["id"] == BOT_ID for m in received)


async def test_notice_goes_to_admin_channel(
    store: Store, server: FakeDiscord, rest: RestTransport
) -> None:
    with store.session() as session:
        queue_notice(session, "feed Wire <https://x.example/rss> paused after 5 failures", now=NOW)
    await sender(store, rest).drain(timeout=10)
    [notice] = server.in_channel(ADMIN)
    assert "paused after 5 failures" in notice["embeds"][0]["description"]
    assert server.in_channel(CHANNEL) == []


async def test_webhook_delivery_needs_no_bot_login(store: Store, server: FakeDiscord) -> None:
    queue(store, [entry(0), entry(1)])
    transport = WebhookTransport.open(server.webhook_url())
    try:
        outcome = await Sender(store, transport, policy=FAST, require_channel=False).drain(10)
    finally:
        await transport.close()
    assert outcome.sent == 1
    [message] = server.in_channel(CHANNEL)
    assert message["_via"] == "webhook"
    assert len(message["embeds"]) == 2 and message["content"].startswith("newsbot digest")
    assert message["_request"]["allowed_mentions"]["parse"] == []
    assert not any(p.startswith("/users/@me") for _, p, _ in server.requests)


async def test_webhook_per_channel_routes_notices_to_the_admin_webhook(
    store: Store, server: FakeDiscord
) -> None:
    queue(store, [entry(0)])
    with store.session() as session:
        queue_notice(session, "Feed paused: Wire", now=datetime.now(UTC))
    admin_hook = 950000000000000002
    transport = WebhookTransport.open(server.webhook_url(), {ADMIN: server.webhook_url(admin_hook)})
    try:
        sender = Sender(
            store,
            transport,
            channel_id=CHANNEL,
            admin_channel_id=ADMIN,
            policy=FAST,
            require_channel=False,
        )
        outcome = await sender.drain(10)
    finally:
        await transport.close()
    assert outcome.sent == 2
    by_hook = {m["author"]["id"]: m for m in server.messages}
    assert by_hook[str(admin_hook)]["embeds"][0]["description"].startswith("Feed paused")
    assert by_hook["950000000000000001"]["content"].startswith("newsbot digest")
