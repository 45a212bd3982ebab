"""The store on SQLite and PostgreSQL: migrations, schema drift, init idempotency."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from newsbot import models
from newsbot.app import Newsbot
from newsbot.config import Config
from newsbot.store import Store, StoreError, alembic_config

TABLES = {"feeds", "items", "figures", "matches", "outbox", "settings"}


def tables(store: Store) -> set[str]:
    return set(sa.inspect(store.engine).get_table_names()) - {"alembic_version"}


def test_every_migration_upgrades_and_downgrades(db_url: str) -> None:
    store = Store(db_url)
    script = ScriptDirectory.from_config(alembic_config(store.engine))
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert revisions, "no migrations found"
    for rev in revisions:  # step up one by one, then all the way down and up again
        store.migrate(rev)
        assert store.current_revision() == rev
    assert tables(store) >= TABLES
    store.downgrade("base")
    assert tables(store) == set()
    store.migrate()
    assert store.current_revision() == revisions[-1]
    store.dispose()


def test_models_match_migrations(db_url: str) -> None:
    """Autogenerate against the models finds nothing to do: no schema drift."""
    store = Store(db_url)
    store.migrate()
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, models.Base.metadata)
    store.dispose()
    assert diff == []


def test_init_twice_adds_nothing(config: Config) -> None:
    bot = Newsbot(config)
    first = bot.init(progress=False)
    counts = bot.counts()
    second = bot.init(progress=False)
    assert first.seeds_added == 5
    assert first.feeds_added == len(config.feeds) > 0
    assert second.seeds_added == 0 and second.feeds_added == 0
    assert bot.counts() == counts
    assert counts["items"] == 5 and counts["figures"] > 0
    bot.close()


def test_dead_database_is_a_clear_error(tmp_path) -> None:
    store = Store("postgresql+psycopg://127.0.0.1:1/nothing")
    with pytest.raises(StoreError, match="not reachable"):
        store.check()
    empty = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(StoreError, match="newsbot init"):
        empty.check()


def test_bad_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="invalid database URL"):
        Store("not a url")
