"""The outbox: every message to post is a row first, written with what it reports.

``queue_digest`` writes the digest row and marks its items in one transaction, so a crash
either leaves both undone or both done; senders then post pending rows and mark them sent.
Each row stores the Discord messages it will become (``payload["messages"]``), rendered once
at queue time: a resend after a crash posts the very same parts, and the row's ``key`` gives
each part its nonce and footer marker (``newsbot.bot.delivery`` does the posting).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsbot import models
from newsbot.bot.embeds import render_digest, render_notice
from newsbot.digest import DigestEntry, render_text


def entry_payload(entry: DigestEntry) -> dict[str, Any]:
    # imported here so the sender process, which only reads rows, loads no pipeline code
    from newsbot.report import figure_row, iso

    best = entry.best_match
    return {
        "item_id": entry.item_id,
        "title": entry.title,
        "link": entry.link,
        "source": entry.source,
        "published": iso(entry.published),
        "best_match": (
            {"story_id": best.story_id, "title": best.title, "score": best.score} if best else None
        ),
        "figures": [figure_row(f) for f in entry.findings],
        "also_in": list(entry.also_in),
    }


def queue_digest(
    session: Session,
    entries: list[tuple[models.Item, DigestEntry]],
    *,
    now: datetime,
    channel_id: int = 0,
) -> models.Outbox | None:
    """Write one digest row for ``entries`` and link the items to it; None if nothing."""
    if not entries:
        return None
    digest_entries = [entry for _, entry in entries]
    key = uuid.uuid4().hex
    row = models.Outbox(
        key=key,
        kind="digest",
        channel_id=channel_id,
        created_at=now,
        payload={
            "text": render_text(digest_entries),
            "messages": render_digest(digest_entries, key=key),
            "entries": [entry_payload(e) for e in digest_entries],
        },
    )
    session.add(row)
    session.flush()
    for item, _ in entries:
        item.digest_id = row.id
    return row


def queue_notice(
    session: Session, text: str, *, now: datetime, channel_id: int = 0
) -> models.Outbox:
    """A short operational notice (feed paused, delivery failing) for the admin channel."""
    key = uuid.uuid4().hex
    row = models.Outbox(
        key=key,
        kind="notice",
        channel_id=channel_id,
        created_at=now,
        payload={"text": text, "messages": render_notice(text, key=key)},
    )
    session.add(row)
    return row


def pending(session: Session, limit: int = 50) -> list[models.Outbox]:
    return list(
        session.scalars(
            select(models.Outbox)
            .where(models.Outbox.state == models.OutboxState.PENDING)
            .order_by(models.Outbox.id)
            .limit(limit)
        )
    )


def deliver_pending(
    session: Session, send: Callable[[models.Outbox], None], *, now: datetime
) -> int:
    """Send each pending row with ``send`` and mark it sent; returns how many."""
    sent = 0
    for row in pending(session):
        send(row)
        row.state, row.sent_at = models.OutboxState.SENT, now
        row.attempts += 1
        sent += 1
    return sent
