"""A read session on the demo database (``inami init --demo``), on every backend; and the
SQLite copy of it the UI tests drive."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def engine(tmp_path: Path, sqlite_demo_template: Path) -> Iterator[Any]:
    """The demo database (SQLite copy) for the desk's UI tests (loop, journal, provider): the
    loop is UI, the answers run on every backend in test_answers.py."""
    from inami_cli.db.engine import make_engine

    target = tmp_path / "desk.db"
    shutil.copyfile(sqlite_demo_template, target)
    eng = make_engine(f"sqlite:///{target}")
    yield eng
    eng.dispose()


@pytest.fixture
def demo_engine(demo_db_url: str) -> Iterator[Any]:
    """An engine on a fresh copy of the demo database."""
    from inami_cli.db.engine import make_engine

    engine = make_engine(demo_db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def demo_session(demo_engine: Any) -> Iterator[Any]:
    """A session on the demo database (rolled back at the end)."""
    from sqlmodel import Session

    with Session(demo_engine) as session:
        yield session
        session.rollback()


def count_rows(engine: Any, table: str) -> int:
    """Rows in *table* (to prove the desk wrote nothing)."""
    from sqlalchemy import text

    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
