"""Database administration: initialise, upgrade, status, consistency check, backup."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from inami_cli.db.engine import schema_revision, sqlite_path
from inami_cli.domain.errors import InvalidInput
from inami_cli.services.consistency import Check


@dataclass(frozen=True)
class DbStatus:
    """Where the database is, its schema revision and how many rows each table holds."""

    url: str
    backend: str
    revision: str | None
    expected_revision: str
    tables: dict[str, int]


def initialise(engine: Engine) -> str:
    """Create or upgrade the schema to the newest revision; return it."""
    from inami_cli.db.migrate import upgrade
    from inami_cli.db.schema import KNOWN_REVISIONS, SCHEMA_REVISION
    from inami_cli.domain.errors import DatabaseError

    current = schema_revision(engine)
    if current is not None and current not in KNOWN_REVISIONS:
        # Alembic would fail with "Can't locate revision": a database from a newer inami.
        raise DatabaseError(
            f"database schema {current} is newer than this inami knows ({SCHEMA_REVISION})",
            hint="upgrade inami-cli",
        )
    if current is None:
        from inami_cli.db.engine import unversioned

        problem = unversioned(engine)  # Alembic would try to create existing tables
        if problem is not None:
            raise problem
    upgrade(engine)
    revision = schema_revision(engine)
    assert revision is not None
    return revision


def status(*, session: Session, url: str) -> DbStatus:
    """Revision and row counts per table."""
    from inami_cli.db import models  # noqa: F401  (every table in the metadata)
    from inami_cli.db.schema import SCHEMA_REVISION

    bind = session.get_bind()
    counts: dict[str, int] = {}
    for table in SQLModel.metadata.sorted_tables:
        counts[table.name] = int(
            session.execute(select(func.count()).select_from(table)).scalar_one()
        )
    revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()
    return DbStatus(
        url=url,
        backend=bind.dialect.name,
        revision=revision,
        expected_revision=SCHEMA_REVISION,
        tables=counts,
    )


def _check_engine(session: Session) -> Iterable[str]:
    if session.get_bind().dialect.name == "sqlite":
        for (result,) in session.execute(text("PRAGMA integrity_check")):
            if result != "ok":
                yield f"sqlite integrity: {result}"
        for row in session.execute(text("PRAGMA foreign_key_check")):
            yield f"foreign key: {row[0]} row {row[1]} points to a missing {row[2]}"


def checks() -> tuple[Check, ...]:
    """Every consistency check: the engine's own, then each feature's public ``CHECKS``."""
    from inami_cli.services import (
        committees,
        funding,
        indemnities,
        insurability,
        maf,
        nomenclature,
        providers,
    )

    return (
        _check_engine,
        *nomenclature.CHECKS,
        *insurability.CHECKS,
        *committees.CHECKS,
        *providers.CHECKS,
        *maf.CHECKS,
        *funding.CHECKS,
        *indemnities.CHECKS,
    )


def check(*, session: Session) -> list[str]:
    """Every problem found, one line each (empty when the database is consistent)."""
    from inami_cli.services import integrity

    # rows as stored first: the features' checks load rows through the models, and a
    # missing column or a non-date would make them fail instead of report
    problems = integrity.structure(session)
    if problems:
        return [*problems, "further checks skipped until these problems are fixed"]
    problems.extend(integrity.values(session))
    for run in checks():
        problems.extend(run(session))
    return problems


def backup(*, url: str, destination: Path) -> Path:
    """Copy a SQLite database with the online backup API (consistent during writes)."""
    source = sqlite_path(url)
    if source is None:
        raise InvalidInput(
            "db backup works on SQLite files; for PostgreSQL use pg_dump "
            "(e.g. pg_dump --format=custom -f inami.dump DBNAME)"
        )
    if destination.exists() and destination.is_dir():
        destination = destination / source.name
    if destination.resolve() == source.resolve():
        raise InvalidInput(f"backup destination {destination} is the database itself")
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".partial")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    finally:
        dst.close()
        src.close()
    os.replace(tmp, destination)
    return destination
