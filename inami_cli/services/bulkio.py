"""Helpers of the bulk paths: the garbage collector paused, a larger SQLite cache, rows
read straight from the driver with their dates shared.

They only change how fast an import or a batch's load runs, never what it writes or
reads: the rows, constraints and the single transaction are the caller's.
"""

from __future__ import annotations

import contextlib
import gc
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, func, select
from sqlmodel import Session

# SQLite's default page cache is 2 MiB: a million-row insert into indexed tables then
# spills dirty pages to the WAL again and again (measured: 7 s of system time of 20 s on
# the person import). 128 MiB is only allocated as pages are touched, and given back
# when the import ends.
BULK_CACHE_KIB = 128 * 1024


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around a bulk import.

    An import keeps hundreds of thousands of small acyclic objects alive; the collector
    would rescan them again and again for no garbage (reference counting frees what the
    import drops).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def sqlite_bulk_cache(session: Session, kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """A large page cache (*kib*) on this session's SQLite connection while the block runs.

    Set on the driver's connection, outside SQLAlchemy's bookkeeping, so that the
    previous size is restored even when the block fails (the connection goes back to the
    pool). A no-op on other databases.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.dbapi_connection
    assert raw is not None
    previous = int(raw.execute("PRAGMA cache_size").fetchone()[0])
    raw.execute(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        # After Ctrl-C inside a statement SQLAlchemy has invalidated (closed) the connection:
        # there is no cache left to restore, and an error here would replace the interrupt
        # (exit 70 instead of 130).
        with contextlib.suppress(sqlite3.Error):
            raw.execute(f"PRAGMA cache_size={previous}")


# Inserts from which a bulk import drops a table's secondary indexes and builds them again
# after its rows are in (when it at least doubles the table): SQLite then sorts each index
# once instead of updating it row by row (issue 19: -1.9 s on a million persons).
LATE_INDEX_ROWS = 100_000


@contextmanager
def indexes_built_after(session: Session, table: Table, rows: int) -> Iterator[None]:
    """Drop *table*'s non-unique indexes while the block inserts *rows* rows, then build
    them again, all inside the caller's transaction (SQLite's DDL is transactional: a
    failure rolls the indexes back with the rows). Unique indexes stay: they check the
    rows as they come. A no-op for small imports, into big tables, or off SQLite."""
    connection = session.connection()
    late = [index for index in table.indexes if not index.unique]
    if connection.dialect.name != "sqlite" or rows < LATE_INDEX_ROWS or not late:
        yield
        return
    existing = connection.execute(select(func.count()).select_from(table)).scalar_one()
    if existing > rows:
        yield
        return
    for index in late:
        index.drop(connection)
    yield
    for index in late:
        index.create(connection)


def copy_rows(
    connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Bulk-load *rows* (values of *columns*, in order) into *table* with PostgreSQL's
    ``COPY ... FROM STDIN`` through psycopg 3 (``cursor.copy``); the number of rows sent.

    COPY runs inside the connection's transaction, as an INSERT would: when anything fails
    later, the caller's rollback removes every row (all or nothing). executemany INSERT
    runs at ~5 000 rows/s on PostgreSQL, COPY at ~100 000 (issue 19). Values go as the
    driver adapts them (dates, booleans, None as NULL).
    """
    quote = connection.dialect.identifier_preparer
    names = ", ".join(quote.quote(name) for name in columns)
    sql = f"COPY {quote.format_table(table)} ({names}) FROM STDIN"
    raw = connection.connection.dbapi_connection
    assert raw is not None
    sent = 0
    cursor = raw.cursor()
    try:
        with cursor.copy(sql) as copy:
            write_row = copy.write_row
            for sent, row in enumerate(rows, 1):  # noqa: B007
                write_row(row)
    finally:
        cursor.close()
    return sent


DRIVER_FETCH = 20_000  # rows per ``fetchmany`` of ``driver_rows``


def driver_rows(session: Session, statement: Any) -> Iterator[Any]:
    """The rows of a parameterless SELECT straight from the driver's cursor.

    Millions of rows: SQLAlchemy's result rows (a Row object and type processing per
    row) cost about as much again as the driver itself. The values come as the driver
    gives them: dates as ISO text on SQLite (see ``SharedDates``), booleans as 0/1.
    """
    connection = session.connection()
    sql = str(statement.compile(dialect=connection.dialect))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(DRIVER_FETCH):
            yield from rows
    finally:
        cursor.close()


class SharedDates(dict[Any, Any]):
    """Dates as they come from the driver (ISO text on SQLite, dates elsewhere) → one
    shared ``date`` per distinct value: a million rows hold a few thousand distinct
    dates. A subscript is a C-level look-up; only a new value calls ``__missing__``."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, value: Any) -> date:
        found = value if isinstance(value, date) else date.fromisoformat(value)
        self[value] = found
        return found
