"""The sender as a separate process, killed with SIGKILL mid-digest and stopped with SIGTERM.

``python -m newsbot.bot.deliver --drain`` posts a SQLite outbox to the fake Discord server,
which stores each message and then holds its answer for a moment: the kill lands when
Discord has the message and the sender does not know yet — the worst moment. After each
kill the sender is started again; at the end every part of every digest must be at the
server exactly once and every row ``sent``. With ``nonce_window=0`` the server has
forgotten nonces by the restart, so only the sender's own history check prevents reposts.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from newsbot import models
from newsbot.bot.embeds import nonce
from newsbot.store import Store
from tests.fakediscord import FakeDiscord
from tests.test_bot_delivery import CHANNEL, entry, queue

REPO = Path(__file__).resolve().parent.parent
DIGESTS = 12


@pytest.fixture
async def server() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord(channels={1001, 1002}, post_delay=0.15)
    await fake.start()
    yield fake
    await fake.stop()


def setup_store(tmp_path: Path, server: FakeDiscord) -> tuple[Store, Path, dict[str, int]]:
    """A store with DIGESTS digests (every third one spans several messages) and a config."""
    store = Store(f"sqlite:///{tmp_path / 'outbox.db'}")
    store.migrate()
    parts = {}
    for d in range(DIGESTS):
        size = 25 if d % 3 == 0 else 2
        entries = [entry(100 * d + i, title="Lange Überschrift " * 12) for i in range(size)]
        key = queue(store, entries)
        with store.session() as session:
            row = session.scalars(select(models.Outbox).where(models.Outbox.key == key)).one()
            parts[key] = len(row.payload["messages"])
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "{store.url}"\n'
        f'[discord]\ntoken = "{server.token}"\napi_base = "{server.api_base}"\n'
        f"channel_id = {CHANNEL}\nadmin_channel_id = 1002\n",
        encoding="utf-8",
    )
    return store, config, parts


async def start_sender(config: Path) -> asyncio.subprocess.Process:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "newsbot.bot.deliver",
        "--config",
        str(config),
        "--drain",
        "--backoff",
        "0.05",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def wait_for_messages(server: FakeDiscord, count: int, timeout: float = 15) -> None:
    """Return the moment the server has stored its ``count``-th message."""
    reached = asyncio.Event()
    server.on_message = lambda _m: reached.set() if len(server.messages) >= count else None
    if len(server.messages) < count:
        await asyncio.wait_for(reached.wait(), timeout)
    server.on_message = None


def tally(server: FakeDiscord, parts: dict[str, int], store: Store) -> dict[str, int]:
    received = Counter(m["nonce"] for m in server.in_channel(CHANNEL))
    expected = {nonce(key, p) for key, n in parts.items() for p in range(n)}
    with store.session() as session:
        states = Counter(r.state for r in session.scalars(select(models.Outbox)))
    return {
        "digests": len(parts),
        "messages_expected": len(expected),
        "sent_rows": states["sent"],
        "delivered": sum(1 for n in expected if received[n] >= 1),
        "duplicates": sum(c - 1 for c in received.values() if c > 1),
        "lost": sum(1 for n in expected if received[n] == 0),
        "unexpected": sum(1 for n in received if n not in expected),
    }


@pytest.mark.parametrize("nonce_window", [120.0, 0.0], ids=["nonce-dedup", "history-check"])
async def test_kill9_mid_digest_then_restart_delivers_each_once(
    tmp_path: Path, server: FakeDiscord, nonce_window: float
) -> None:
    server.nonce_window = nonce_window
    store, config, parts = setup_store(tmp_path, server)
    total = sum(parts.values())
    kills = 0
    for target in (3, 8, 14):  # kill while the server holds the answer to this message
        proc = await start_sender(config)
        try:
            await wait_for_messages(server, target)
        finally:
            proc.kill()
        assert await proc.wait() == -signal.SIGKILL
        kills += 1
    proc = await start_sender(config)
    _, stderr = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, stderr.decode()

    counts = tally(server, parts, store)
    print(f"kill -9 test ({kills} kills, nonce window {nonce_window:g}s): {counts}")
    assert counts == {
        "digests": DIGESTS,
        "messages_expected": total,
        "sent_rows": DIGESTS,
        "delivered": total,
        "duplicates": 0,
        "lost": 0,
        "unexpected": 0,
    }
    if nonce_window == 0:  # the restarts found the killed parts in the channel history
        assert b"found already posted" in stderr
    store.dispose()


async def test_sigterm_finishes_the_part_in_flight_and_leaves_the_rest(
    tmp_path: Path, server: FakeDiscord
) -> None:
    store, config, parts = setup_store(tmp_path, server)
    proc = await start_sender(config)
    try:
        await wait_for_messages(server, 5)
        proc.send_signal(signal.SIGTERM)  # arrives while the 5th answer is held back
        _, stderr = await asyncio.wait_for(proc.communicate(), 10)
    finally:
        if proc.returncode is None:
            proc.kill()
    assert proc.returncode == 0, stderr.decode()

    with store.session() as session:
        outbox = list(session.scalars(select(models.Outbox)))
    # the part in flight was finished and recorded: nothing is left in doubt
    assert all(r.attempts == len(r.message_ids) for r in outbox)
    assert sum(len(r.message_ids) for r in outbox) == len(server.in_channel(CHANNEL)) == 5
    assert any(r.state == "pending" for r in outbox)  # the rest waits in the outbox

    proc = await start_sender(config)
    await asyncio.wait_for(proc.communicate(), 30)
    counts = tally(server, parts, store)
    assert counts["duplicates"] == counts["lost"] == 0 and counts["sent_rows"] == DIGESTS
    store.dispose()
