"""Helpers of the bulk paths: the garbage collector paused, a larger SQLite cache, rows
read straight from the driver with their dates shared, rows written straight to it
(``insert_rows``: executemany on SQLite, ``COPY`` on PostgreSQL).

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
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, insert, literal, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from sqlmodel import Session

    from inami_cli.db.engine import Reader

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
# PostgreSQL also drops the table's foreign keys and adds them back, which checks every row
# in one join instead of one trigger query per row (issue 19: a million persons and their
# affiliations, 37 s of the server's time with them, 8 s without).
LATE_INDEX_ROWS = 100_000

# The memory of PostgreSQL's index builds after a bulk load (``SET LOCAL``: until the end of
# the import's transaction); its default, 64 MiB, sorts a million affiliation keys on disk.
LATE_INDEX_MEMORY = "256MB"


@contextmanager
def indexes_built_after(session: Session, table: Table, rows: int) -> Iterator[None]:
    """Drop *table*'s non-unique indexes while the block inserts *rows* rows, then build
    them again, all inside the caller's transaction (DDL is transactional on SQLite and
    PostgreSQL: a failure rolls the indexes back with the rows). Unique indexes stay: they
    check the rows as they come. On PostgreSQL the table's foreign keys are dropped and
    added back as well (``_pg_checks_after``), into an empty table only. A no-op for small
    imports, into big tables, on other databases, or inside a block of the same table (an
    import around its writes).
    """
    connection = session.connection()
    dialect = connection.dialect.name
    late_tables: set[str] = session.info.setdefault(LATE_TABLES, set())
    if dialect not in ("sqlite", "postgresql") or rows < LATE_INDEX_ROWS:
        yield
        return
    # more than *rows* rows stored already: the import would not double the table. On
    # PostgreSQL, any row: dropping the table's keys locks the tables they name against
    # readers until the import commits (``_pg_checks_after``), which only a first load
    # into an empty table may do (README, "Guarantees")
    stored = 0 if dialect == "postgresql" else rows
    bigger = select(literal(1)).select_from(table).offset(stored).limit(1)
    if table.name in late_tables or connection.execute(bigger).first() is not None:
        yield
        return
    late_tables.add(table.name)
    try:
        with (
            _pg_checks_after(session, table)
            if dialect == "postgresql"
            else _sqlite_indexes_after(connection, table)
        ):
            yield
    finally:
        late_tables.discard(table.name)


LATE_TABLES = "inami_late_checks"  # session.info: the tables inside indexes_built_after


@contextmanager
def _sqlite_indexes_after(connection: Connection, table: Table) -> Iterator[None]:
    """SQLite: *table*'s non-unique indexes dropped while the block runs, then created."""
    late = [index for index in table.indexes if not index.unique]
    for index in late:
        index.drop(connection)
    yield
    for index in late:
        index.create(connection)


@contextmanager
def _pg_checks_after(session: Session, table: Table) -> Iterator[None]:
    """PostgreSQL: *table*'s non-unique indexes and its foreign keys dropped while the block
    runs, then created again from their stored definitions (``pg_get_indexdef``,
    ``pg_get_constraintdef``: the database's own, whatever migration made them); adding a
    foreign key back checks every row, so the rows are held to it as before.

    The table and the ones its keys reference stay locked (ACCESS EXCLUSIVE) until the
    transaction ends: readers of them wait for the import. When one of them is in use
    already, the block runs with the indexes and keys in place (no waiting on readers).
    """
    restore = _pg_drop_checks(session, table)
    yield
    if restore:
        connection = session.connection()
        connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{LATE_INDEX_MEMORY}'")
        for statement in restore:
            connection.exec_driver_sql(statement)


def _pg_drop_checks(session: Session, table: Table) -> list[str]:
    """Drop *table*'s non-unique indexes and foreign keys; the statements that create
    them again (none when a table to lock is in use: then nothing is dropped)."""
    connection = session.connection()
    target = connection.dialect.identifier_preparer.format_table(table)
    oid = connection.exec_driver_sql(
        "SELECT %(table)s::regclass::oid", {"table": target}
    ).scalar_one()
    indexes = connection.exec_driver_sql(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
        " WHERE indrelid = %(oid)s AND NOT indisunique AND NOT indisexclusion ORDER BY 1",
        {"oid": oid},
    ).all()
    keys = connection.exec_driver_sql(
        "SELECT quote_ident(conname), pg_get_constraintdef(oid), confrelid::regclass::text"
        " FROM pg_constraint WHERE conrelid = %(oid)s AND contype = 'f' ORDER BY 1",
        {"oid": oid},
    ).all()
    if not indexes and not keys:
        return []
    locked = [target, *dict.fromkeys(referenced for *_, referenced in keys)]
    try:
        with session.begin_nested():  # (a savepoint, once its session's connection is used)
            session.connection().exec_driver_sql(
                f"LOCK TABLE {', '.join(locked)} IN ACCESS EXCLUSIVE MODE NOWAIT"
            )
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        return []  # in use: the rows go in with the indexes and keys in place
    for name, _definition in indexes:
        connection.exec_driver_sql(f"DROP INDEX {name}")
    for name, _definition, _referenced in keys:
        connection.exec_driver_sql(f"ALTER TABLE {target} DROP CONSTRAINT {name}")
    return [definition for _name, definition in indexes] + [
        f"ALTER TABLE {target} ADD CONSTRAINT {name} {definition}"
        for name, definition, _referenced in keys
    ]


LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE of a NOWAIT lock that is taken


DRIVER_FETCH = 20_000  # rows per ``fetchmany`` of ``driver_rows``


def driver_rows(session: Reader, statement: Any) -> Iterator[Any]:
    """The rows of a parameterless SELECT straight from the driver's cursor.

    Millions of rows: SQLAlchemy's result rows (a Row object and type processing per
    row) cost about as much again as the driver itself. The values come as the driver
    gives them: dates as ISO text on SQLite (see ``SharedDates``), booleans as 0/1.
    """
    connection = session if isinstance(session, Connection) else session.connection()
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


# ---------------------------------------------------------------- writing rows in bulk


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """INSERT *rows* (tuples in *columns* order) into *table*, inside the caller's
    transaction, straight through the driver: one executemany on SQLite
    (``driver_insert``), ``COPY`` on PostgreSQL (``copy_rows``), a Core executemany
    elsewhere. The stored values are those of a Core insert of the same rows.

    SQLAlchemy's per-row parameter handling cost about as much as SQLite itself on a
    200 000-row tariff import (issue 19).
    """
    if not rows:
        return
    session.flush()  # the ORM's pending rows first, as session.execute would (autoflush)
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        driver_insert(connection, table, columns, rows)
    else:
        insert_driver_rows(session, table, columns, rows)


class DriverValues(dict[Any, Any]):
    """One column's values → what ``insert_driver_rows`` hands the driver for them: the
    column's bind processor on SQLite (dates as ISO text, booleans as 0/1: the ORM's
    storage format), the value itself elsewhere (``COPY`` and a Core insert adapt it).
    Each distinct value is converted once (``__missing__``); a subscript is a C look-up.

    For an import that builds its rows itself: converting a million rows column by column
    (``driver_insert``) cost about 2 s more than a subscript in the loop that builds them.
    """

    def __init__(self, convert: Any) -> None:
        super().__init__({None: None})
        self._convert = convert

    def __missing__(self, value: Any) -> Any:
        found = value if self._convert is None else self._convert(value)
        self[value] = found
        return found


def driver_values(session: Session, table: Table, name: str) -> DriverValues:
    """The ``DriverValues`` of *table*'s column *name* on this session's database."""
    dialect = session.connection().dialect
    convert = None
    if dialect.name == "sqlite":
        convert = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    return DriverValues(convert)


def insert_driver_rows(
    session: Session, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """``insert_rows`` for rows whose values are already the driver's (``driver_values``):
    executemany on SQLite, ``COPY`` on PostgreSQL, a Core executemany elsewhere."""
    if not rows:
        return
    session.flush()  # the ORM's pending rows first, as session.execute would (autoflush)
    connection = session.connection()
    name = connection.dialect.name
    if name == "sqlite":
        _executemany(connection, table, columns, rows)
    elif name == "postgresql" and connection.dialect.driver == "psycopg":
        copy_rows(connection, table, columns, rows)
    else:
        connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def driver_insert(
    connection: Connection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """INSERT *rows* (tuples in *columns* order) with one executemany on the DB-API cursor.

    Each value is still converted by its column's own bind processor (dates to text,
    booleans to integers on SQLite: the storage format of the ORM). A column holds few
    distinct values (dates, flags, the stamp), so the conversion is done column by
    column, once per distinct value.
    """
    dialect = connection.dialect
    by_column: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for i, name in enumerate(columns):
        convert = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if convert is None:
            continue
        stored = {value: convert(value) for value in set(by_column[i]) if value is not None}
        stored[None] = None
        by_column[i] = [stored[value] for value in by_column[i]]
    _executemany(connection, table, columns, list(zip(*by_column, strict=True)))


def _executemany(
    connection: Connection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """One executemany of an INSERT whose rows hold the driver's values; through
    ``exec_driver_sql``, which hands them on as they are and keeps SQLAlchemy's error
    translation (a locked database is still exit 6)."""
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    connection.exec_driver_sql(sql, rows)


def copy_rows(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> int:
    """Bulk-load *rows* (values in *columns* order) into *table* with PostgreSQL's
    ``COPY ... FROM STDIN`` (psycopg 3 ``cursor.copy``); returns the rows written.

    The rows join the caller's transaction: a later error rolls them back with the rest
    (all or nothing, as an INSERT). Values are adapted by psycopg as for an INSERT (dates,
    booleans, ``None`` as NULL); an aware datetime is stored as its UTC time, as the
    audit's ``now()`` intends. About five times as fast as executemany (issue 19).
    """
    raw: Any = connection.connection.dbapi_connection  # a psycopg 3 connection
    preparer = connection.dialect.identifier_preparer
    target = preparer.format_table(table)
    names = ", ".join(preparer.quote(name) for name in columns)
    count = 0
    with raw.cursor() as cursor, cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
        write_row = copy.write_row
        for row in rows:
            write_row(row)
            count += 1
    return count
