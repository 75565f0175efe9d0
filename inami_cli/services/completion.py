"""Values a shell completes from the database: codes, committees, decisions, providers, persons.

A completion runs a whole ``inami`` process per key press, so it must answer in well under
0.3 s (issue 17): a SQLite database is read with the standard ``sqlite3`` module, read-only,
without importing SQLAlchemy or the models (``import sqlmodel`` alone costs ~0.35 s); any
other database goes through a plain SQLAlchemy Core connection. A missing database, a schema
too old or a locked file give no candidates, never an error: the shell just offers nothing.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from urllib.parse import unquote

LIMIT = 200

# kind -> SQL returning one text column of candidates; ":prefix" is the typed beginning
QUERIES: dict[str, str] = {
    "code": "SELECT code FROM act WHERE code LIKE :prefix ORDER BY code",
    "committee": "SELECT code FROM committee WHERE code LIKE :prefix ORDER BY code",
    # decision numbers are written "CASS 2026/001"; "CASS-2026/001" is the same number
    # (domain/committees/_numbers.py) and needs no quoting in a shell
    "decision": (
        "SELECT replace(number, ' ', '-') AS n FROM decision "
        "WHERE replace(number, ' ', '-') LIKE :prefix ORDER BY committee_code, year, seq"
    ),
    # an INAMI number is the provider's 8 digits and a qualification's 3 (1-23456-78-004)
    "provider": (
        "SELECT DISTINCT nihii || code AS n FROM provider_qualification "
        "WHERE nihii || code LIKE :prefix ORDER BY n"
    ),
    "meeting": "SELECT CAST(id AS TEXT) AS n FROM meeting WHERE CAST(id AS TEXT) LIKE :prefix",
    "household": "SELECT DISTINCT code FROM maf_household WHERE code LIKE :prefix ORDER BY code",
}


def _sqlite_path(url: str) -> str | None:
    """The file of a ``sqlite:///PATH`` URL, else None (another database)."""
    for scheme in ("sqlite+pysqlite:///", "sqlite:///"):
        if url.startswith(scheme):
            path = unquote(url[len(scheme) :].split("?", 1)[0])
            return path if path and path != ":memory:" else None
    return None


def _escape(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def candidates(url: str, kind: str, prefix: str) -> list[str]:
    """Up to ``LIMIT`` stored values of *kind* starting with *prefix* (none on any error)."""
    sql = QUERIES[kind].replace("LIKE :prefix", "LIKE :prefix ESCAPE '\\'")
    sql += f" LIMIT {LIMIT}"
    params = {"prefix": _escape(prefix)}
    path = _sqlite_path(url)
    rows: Sequence[Sequence[object]] = []
    if path is not None:
        with contextlib.suppress(sqlite3.Error):
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.1)
            try:
                rows = conn.execute(sql, params).fetchall()
            finally:
                conn.close()
    elif url:
        rows = _core_rows(url, sql, params)
    return [str(row[0]) for row in rows]


def _core_rows(url: str, sql: str, params: dict[str, str]) -> Sequence[Sequence[object]]:
    """The rows of *sql* on a non-SQLite database, through SQLAlchemy Core."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(url, connect_args={"connect_timeout": 2}, pool_pre_ping=False)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params).all())
    except SQLAlchemyError:
        return []
    finally:
        engine.dispose()
