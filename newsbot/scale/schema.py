"""procrastinate's tables: applied by procrastinate's own schema path, never by Alembic.

``newsbot init`` on PostgreSQL calls :func:`ensure_queue_schema`: on a database without the
queue tables it runs ``app.schema_manager.apply_schema()`` (what ``procrastinate schema
--apply`` does) and records the procrastinate version in newsbot's ``settings`` table. On a
later init with another procrastinate version it says which SQL migrations to apply
(procrastinate ships them as plain SQL files; see README, "Running at scale") instead of guessing.
Alembic is told to look away from these tables (:func:`alembic_include_name`), so
autogenerate never proposes dropping them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib.metadata import version

import procrastinate
from sqlalchemy import inspect, text

from newsbot import models
from newsbot.store import Store, StoreError

log = logging.getLogger(__name__)

QUEUE_TABLE_PREFIX = "procrastinate_"
VERSION_KEY = "queue.procrastinate_schema"
INIT_LOCK = 0x6E657773  # advisory lock id: two `newsbot init` at once apply the schema once


@dataclass(frozen=True)
class QueueSchema:
    applied_now: bool
    version: str  # procrastinate version the schema was applied with
    installed: str  # procrastinate version running now

    @property
    def outdated(self) -> bool:
        return self.version != self.installed


def alembic_include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic ``include_name`` hook: procrastinate's tables are not ours to diff."""
    return not (type_ == "table" and name is not None and name.startswith(QUEUE_TABLE_PREFIX))


def has_queue_schema(store: Store) -> bool:
    with store.engine.connect() as conn:
        return inspect(conn).has_table("procrastinate_jobs")


def require_queue_schema(store: Store) -> None:
    if not has_queue_schema(store):
        raise StoreError(f"{store.safe_url} has no job queue tables: run `newsbot init` first")


def ensure_queue_schema(store: Store) -> QueueSchema:
    """Apply procrastinate's schema if the database has none; report what is there."""
    from newsbot.scale.queue import connector_for

    installed = version("procrastinate")
    with store.engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": INIT_LOCK})
        conn.commit()
        try:
            applied_now = False
            if not inspect(conn).has_table("procrastinate_jobs"):
                app = procrastinate.App(connector=connector_for(store.url, role="newsbot-init"))
                with app.open():
                    app.schema_manager.apply_schema()
                applied_now = True
                log.info("job queue tables created (procrastinate %s)", installed)
            with store.session() as session:
                row = session.get(models.Setting, VERSION_KEY)
                if row is None:
                    # a schema applied before we recorded versions is taken to be this one
                    row = models.Setting(key=VERSION_KEY, value=installed)
                    session.add(row)
                elif applied_now:
                    row.value = installed
                recorded = row.value
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": INIT_LOCK})
            conn.commit()
    schema = QueueSchema(applied_now, recorded, installed)
    if schema.outdated:
        log.warning(
            "job queue tables are from procrastinate %s, this is %s: stop the workers and "
            "apply the SQL migrations in between (`procrastinate schema --migrations-path`), "
            "then update the '%s' row of the settings table",
            recorded,
            installed,
            VERSION_KEY,
        )
    return schema
