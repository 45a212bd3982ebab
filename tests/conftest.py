"""Shared fixtures: a store on SQLite and on PostgreSQL, a clean environment, a config.

Store tests take the ``db_url`` fixture and so run once per backend. PostgreSQL is the server
at NEWSBOT_TEST_PG (default 127.0.0.1:5432, database ``test``); each test gets a database of
its own, dropped afterwards. Where PostgreSQL is unreachable the PostgreSQL cases are skipped,
except under CI=true, where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsbot.config import Config, load_config

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
PG_ADMIN_URL = os.environ.get("NEWSBOT_TEST_PG", "postgresql+psycopg://127.0.0.1:5432/test")


def pytest_report_header() -> list[str]:
    import sqlite3

    return [f"sqlite {sqlite3.sqlite_version}; postgresql {PG_ADMIN_URL}"]


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A developer's own NEWSBOT_* variables and ./config.toml never reach a test."""
    for name in list(os.environ):
        if name.startswith("NEWSBOT_") and name != "NEWSBOT_TEST_PG":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def _pg_engine() -> sa.Engine:
    return sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_available() -> bool:
    try:
        engine = _pg_engine()
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
        return True
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {PG_ADMIN_URL}: {exc}")
        return False


@pytest.fixture
def pg_url(pg_available: bool) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    if not pg_available:
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    name = f"newsbot_t_{uuid.uuid4().hex[:10]}"
    admin = _pg_engine()
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'newsbot.db'}"
    return request.getfixturevalue("pg_url")


def write_config(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    """Built-in defaults on the test's database, loopback allowed, demo feeds."""
    return load_config(
        None, env={"NEWSBOT_DATABASE_URL": db_url, "NEWSBOT_DATA_DIR": str(tmp_path / "data")}
    )
