"""SQLAlchemy tables. Alembic (``migrations/``) owns the schema; these models mirror it.

Constraint names follow one naming convention so migrations can alter them on SQLite (batch
mode) and PostgreSQL alike.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from newsbot.feeds.health import FeedState

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Feed(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    state: Mapped[str] = mapped_column(String(16), default=FeedState.ACTIVE)
    backfill: Mapped[int | None] = mapped_column(Integer, nullable=True)
    etag: Mapped[str | None] = mapped_column(String(500), nullable=True)
    last_modified: Mapped[str | None] = mapped_column(String(100), nullable=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    parse_problem: Mapped[str | None] = mapped_column(Text, nullable=True)
    paused_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_fetch_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_new_item_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    next_fetch_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    polled_once: Mapped[bool] = mapped_column(Boolean, default=False)


class Item(Base):
    """A stored story: a seed article (feed_id NULL) or a feed entry."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("feed_id", "entry_id", name="uq_items_feed_entry"),
        Index(
            "uq_items_seed_entry",
            "entry_id",
            unique=True,
            sqlite_where=text("feed_id IS NULL"),
            postgresql_where=text("feed_id IS NULL"),
        ),
        Index("ix_items_canonical_link", "canonical_link"),
        Index("ix_items_content_hash", "content_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int | None] = mapped_column(
        ForeignKey("feeds.id", ondelete="CASCADE"), nullable=True
    )
    entry_id: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    canonical_link: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    text_hash: Mapped[str] = mapped_column(String(64))  # of title+text, to see later edits
    published: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    source: Mapped[str | None] = mapped_column(String(200), nullable=True)
    relevant: Mapped[bool] = mapped_column(Boolean, default=False)
    relevance: Mapped[float] = mapped_column(Float, default=0.0)
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("items.id", ondelete="SET NULL"), nullable=True
    )
    announce: Mapped[bool] = mapped_column(Boolean, default=False)
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox.id", ondelete="SET NULL"), nullable=True, index=True
    )

    figures: Mapped[list[FigureRow]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="FigureRow.id"
    )
    matches: Mapped[list[MatchRow]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        order_by="MatchRow.rank",
        foreign_keys="MatchRow.item_id",
    )

    @property
    def is_seed(self) -> bool:
        return self.feed_id is None


class MatchRow(Base):
    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("item_id", "story_id", name="uq_matches_item_story"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    story_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)

    item: Mapped[Item] = relationship(back_populates="matches", foreign_keys=[item_id])
    story: Mapped[Item] = relationship(foreign_keys=[story_id])


class FigureRow(Base):
    __tablename__ = "figures"
    __table_args__ = (Index("ix_figures_subject", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Float)
    low: Mapped[float | None] = mapped_column(Float, nullable=True)
    high: Mapped[float | None] = mapped_column(Float, nullable=True)
    unit: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    claimant: Mapped[str | None] = mapped_column(String(300), nullable=True)
    quote: Mapped[str] = mapped_column(Text)
    qualifier: Mapped[str | None] = mapped_column(String(100), nullable=True)
    as_of: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    status: Mapped[str | None] = mapped_column(String(16), nullable=True)  # None for seeds
    conflicts_with: Mapped[list[int]] = mapped_column(JSON, default=list)  # figures.id

    item: Mapped[Item] = relationship(back_populates="figures")


class OutboxState(enum.StrEnum):
    """Delivery state of one outgoing message."""

    PENDING = "pending"  # written, not yet confirmed sent
    SENT = "sent"  # the destination accepted it
    FAILED = "failed"  # permanent failure (deleted channel, no permission); not retried


class Outbox(Base):
    """A message to post, written in the same transaction as what it reports."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # idempotency key / nonce
    kind: Mapped[str] = mapped_column(String(32))  # digest | notice
    channel_id: Mapped[int] = mapped_column(BigInteger, default=0)  # 0 = the configured channel
    payload: Mapped[dict] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default=OutboxState.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Discord ids of the parts posted so far; attempts > len(message_ids) means the outcome
    # of an earlier attempt is unknown (a crash or timeout), so look before resending
    message_ids: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))


class Setting(Base):
    """Runtime settings changed from Discord (e.g. the digest channel)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
