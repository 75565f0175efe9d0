"""Helpers of the bulk import paths: the garbage collector paused, a larger SQLite cache.

Both only change how fast an import runs, never what it writes: the rows, constraints and
the single transaction are the caller's.
"""

from __future__ import annotations

import contextlib
import gc
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

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
def sqlite_bulk_cache(session: Session) -> Iterator[None]:
    """A large page cache on this session's SQLite connection while the block runs.

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
    raw.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        # After Ctrl-C inside a statement SQLAlchemy has invalidated (closed) the connection:
        # there is no cache left to restore, and an error here would replace the interrupt
        # (exit 70 instead of 130).
        with contextlib.suppress(sqlite3.Error):
            raw.execute(f"PRAGMA cache_size={previous}")
