"""Engine and sessions: SQLite pragmas, file permissions, schema version guard, error mapping.

SQLite is opened in WAL mode (readers never wait for a writer), with foreign keys on and a
busy timeout from the configuration. Write transactions start with ``BEGIN IMMEDIATE`` so
two writers queue on the busy timeout instead of failing on a lock upgrade.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from inami_cli.config import mask_url
from inami_cli.db.schema import KNOWN_REVISIONS, SCHEMA_REVISION
from inami_cli.domain.errors import DatabaseError

if TYPE_CHECKING:
    from sqlmodel import Session

    # What the read functions of the services take: the command's ORM session, or a Core
    # connection (``read_transaction``) for the one-shot reads that import no SQLModel.
    Reader = Session | Connection

# First key of the PostgreSQL advisory lock every write transaction takes (any constant will
# do); the second is the schema's hash, so databases in different schemas do not queue.
PG_WRITE_LOCK = 0x1AA31


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None (not SQLite, or in memory)."""
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def _create_private_file(path: Path) -> None:
    """Create the database file with mode 0600 before SQLite does (its WAL inherits it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)


def make_engine(url: str, *, busy_timeout_ms: int = 5000, create: bool = False) -> Engine:
    """An engine for *url*; SQLite files are created (0600) only when *create* is true."""
    try:
        parsed = make_url(url)
    except Exception:
        raise DatabaseError(f"invalid database URL {mask_url(url)!r}") from None
    path = sqlite_path(url)
    if path is not None:
        if create:
            _create_private_file(path)
        elif not path.exists():
            raise DatabaseError(
                f"database {path} does not exist", hint="run `inami init` (or `inami db init`)"
            )
        engine = create_engine(
            url, connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False}
        )
        _sqlite_events(engine, busy_timeout_ms)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
        url = str(parsed.render_as_string(hide_password=False))
    driver_options: dict[str, Any] = {}
    if parsed.drivername == "postgresql+psycopg":
        # No column is an HSTORE: without this, the first connection of every command looks
        # the type up in pg_type (one more round trip before the first answer; issue 19).
        driver_options["use_native_hstore"] = False
    try:
        return create_engine(
            url,
            pool_pre_ping=False,
            execution_options={"inami_busy_timeout_ms": int(busy_timeout_ms)},
            **driver_options,
        )
    except ImportError as exc:
        raise DatabaseError(
            f"no driver for {parsed.drivername}: {exc}", hint="pip install 'inami-cli[postgres]'"
        ) from None


def _sqlite_events(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module (it would BEGIN lazily and
        # DEFERRED); SQLAlchemy's "begin" event below issues our own BEGIN.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision of the database, or None when it was never initialised."""
    with engine.connect() as conn:
        try:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        except DBAPIError:
            return None
    return None if row is None else str(row[0])


def ensure_schema(engine: Engine) -> None:
    """Refuse to work on a database whose schema is not the one this code knows."""
    revision = schema_revision(engine)
    if revision == SCHEMA_REVISION:
        return
    if revision is None:
        raise unversioned(engine) or DatabaseError(
            "database is not initialised", hint="run `inami db init`"
        )
    if revision in KNOWN_REVISIONS:
        raise DatabaseError(
            f"database schema {revision} is older than this inami ({SCHEMA_REVISION})",
            hint="run `inami db upgrade`",
        )
    raise DatabaseError(
        f"database schema {revision} is newer than this inami knows ({SCHEMA_REVISION})",
        hint="upgrade inami-cli",
    )


def unversioned(engine: Engine) -> DatabaseError | None:
    """The error for a database holding tables but no ``alembic_version`` (its schema
    version: dropped, or the tables made by another tool), or None when it is empty."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    if not tables or "alembic_version" in tables:
        return None
    return DatabaseError(
        f"database has {len(tables)} tables but no alembic_version table (its schema "
        "version), so inami can neither use nor upgrade it",
        hint="restore a backup (`inami db backup` makes them); or, if it was made by this "  # noqa: S608 (a hint, not a query)
        f"inami at schema {SCHEMA_REVISION}, record it: CREATE TABLE alembic_version "
        f"(version_num VARCHAR(32) PRIMARY KEY); INSERT INTO alembic_version VALUES "
        f"('{SCHEMA_REVISION}')",
    )


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM held for the block, then delivered to the handler they had.

    For a commit and the record that it happened: a signal landing between the two (the
    database committed, the command not yet told) made a saved import report "interrupted,
    nothing saved" with exit 130 (one run in ten of the interrupt tests under load). Main
    thread only (elsewhere Python delivers no signal)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = {
        number: signal.signal(number, lambda number, _frame: held.append(number))
        for number in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    for caught in dict.fromkeys(held):
        handler = previous[signal.Signals(caught)]
        if callable(handler):  # Python's KeyboardInterrupt, the CLI's SIGTERM handler
            handler(caught, None)
        elif handler == signal.SIG_DFL:
            signal.raise_signal(caught)
        # SIG_IGN (or a handler set outside Python): nothing to deliver


@contextmanager
def transaction(
    engine: Engine, *, write: bool, committed: Callable[[], None] | None = None
) -> Iterator[Session]:
    """One session, one transaction: committed when the block ends, rolled back on error.

    *committed* runs right after the commit, with the commit under ``signals_deferred``:
    a Ctrl-C never falls between the commit and what the caller records of it."""
    from sqlmodel import Session

    bind = engine.execution_options(sqlite_begin="IMMEDIATE" if write else "DEFERRED")
    with Session(bind, expire_on_commit=False) as session:
        session.begin()
        try:
            if write and engine.dialect.name == "postgresql":
                # One writer at a time, as SQLite's BEGIN IMMEDIATE gives: under READ
                # COMMITTED two writers could both read the open tariff period and both
                # close it (an overlap). lock_timeout makes a queued writer give up after
                # the busy timeout.
                options = engine.get_execution_options()
                timeout = int(options.get("inami_busy_timeout_ms", 5000))
                session.execute(text(f"SET LOCAL lock_timeout = {max(timeout, 1)}"))
                session.execute(
                    text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"),
                    {"key": PG_WRITE_LOCK},
                )
            yield session
            if write:
                _fault_point_before_commit(session)
        except BaseException:
            session.rollback()
            raise
        with signals_deferred():
            session.commit()
            if committed is not None:
                committed()


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """One read-only transaction on a Core connection: what ``transaction(write=False)``
    gives, without the ORM session, so that a one-shot read imports no SQLModel (issue 19).
    """
    with engine.connect() as connection, connection.begin():
        yield connection


def orm_session(session: Reader) -> Session:
    """*session* as the ORM session that a write (or an ORM read) needs: a connection of
    ``read_transaction`` serves the Core reads only."""
    from sqlmodel import Session

    if not isinstance(session, Session):
        raise TypeError("an ORM session is needed here (AppState.session), not AppState.reader")
    return session


# A fault-injection point for the crash-safety tests (tests/reliability/test_crash_safety.py):
# when this variable names a file, a write transaction that wrote something flushes its
# pages, writes its process id into the file and then waits, still inside the transaction,
# for the test's SIGKILL. Only the tests set it; unset, the check costs one dict look-up.
FAULT_PAUSE_BEFORE_COMMIT = "INAMI_FAULT_PAUSE_BEFORE_COMMIT"


def _fault_point_before_commit(session: Session) -> None:
    marker = os.environ.get(FAULT_PAUSE_BEFORE_COMMIT)
    if not marker or not (session.new or session.dirty or session.deleted or _wrote(session)):
        return
    import time

    session.flush()
    Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    while True:  # pragma: no cover - ended by the test's SIGKILL
        time.sleep(1)


# The same after COMMIT (tests/reliability/test_interrupts.py): the process writes its pid
# and waits, the changes saved, for the test's SIGINT.
FAULT_PAUSE_AFTER_COMMIT = "INAMI_FAULT_PAUSE_AFTER_COMMIT"


def fault_point_after_commit() -> None:
    """Wait here when the tests armed ``INAMI_FAULT_PAUSE_AFTER_COMMIT``; else return."""
    marker = os.environ.get(FAULT_PAUSE_AFTER_COMMIT)
    if not marker:
        return
    import time

    Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    while True:  # pragma: no cover - ended by the test's SIGINT
        time.sleep(0.05)


def _wrote(session: Session) -> bool:
    """True when this transaction changed rows (bulk inserts bypass the unit of work)."""
    connection = session.connection()
    raw = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite" and raw is not None:
        return bool(raw.total_changes)
    return True


def checkpoint(engine: Engine) -> str | None:
    """Copy a SQLite WAL into the database file now; a warning when it fails, else None."""
    path = sqlite_path(str(engine.url))
    if path is None:
        return None
    try:
        # PASSIVE: never waits for other connections (they checkpoint when they close);
        # it fails only when the database file cannot be written
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").first()
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    else:
        return None
    return (
        f"the changes are saved in {path.name}-wal, but not yet copied into {path.name} "
        f"({reason}): keep the two files together; copy the database with `inami db backup`"
    )


def describe_db_error(exc: Exception, url: str, busy_timeout_ms: int) -> DatabaseError:
    """A one-line, password-free ``DatabaseError`` for a driver exception."""
    message = (
        str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
    )
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered or "lock timeout" in lowered:
        return DatabaseError(
            f"database is locked: another writer held it for more than {busy_timeout_ms} ms",
            hint="retry later or raise [database] busy_timeout_ms",
        )
    if isinstance(exc, OperationalError) and ("connect" in lowered or "connection" in lowered):
        return DatabaseError(f"cannot reach the database {mask_url(url)}: {mask_url(message)}")
    return DatabaseError(f"database error: {mask_url(message)}")
