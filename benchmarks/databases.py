"""Where the benchmarks keep their databases: SQLite files, or PostgreSQL databases.

A scenario asks for a database by name (``empty``, ``nomenclature``, ``register``, ...),
fresh or as a copy of another one, and gets the URL the ``inami`` command is given
(``INAMI_DATABASE_URL``). On SQLite a database is a file of the run directory, copied from
its template. On PostgreSQL it is a database of the server, ``inami_bench_<pid>_<name>``,
made by ``CREATE DATABASE ... TEMPLATE``: the server copies the template's files, so a
register of a million persons is built once, as on SQLite. No ``CHECKPOINT`` is forced
after a copy: on a shared server it syncs every database's files (23 s for 7 000 files
here), and the wall times would hardly gain; a checkpoint (every 5 minutes, or the one
``DROP DATABASE`` waits for) may still fall inside a measured command, which the CPU
column does not see. Every database a run created is dropped by ``close()`` (``DROP
DATABASE ... WITH (FORCE)``, PostgreSQL 13 and later, which also ends a connection a killed
command left behind); the runner calls it in a ``finally`` and turns SIGTERM into an exit,
so Ctrl-C, a failed command or ``kill`` drop them too.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
BACKEND_LABELS = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
KEY_SUFFIXES = {SQLITE: "", POSTGRESQL: "@pg"}  # result keys stay unique across backends
ENV_URL = "INAMI_BENCH_DATABASE_URL"  # the server of the PostgreSQL runs (or --postgres)
CONNECT_TIMEOUT_S = 5


class Databases(Protocol):
    """The databases of one run on one backend."""

    backend: str

    def url(self, name: str) -> str:
        """The URL of database *name* (whether it exists yet or not)."""
        ...

    def fresh(self, name: str, template: str | None) -> str:
        """Database *name*, absent (``inami init`` creates it) or empty when *template* is
        None, else a copy of the database at URL *template*; its URL."""
        ...

    def close(self) -> None:
        """Remove what the run created that must not outlive it."""
        ...


class SqliteFiles:
    """Databases as files ``<name>.db`` of the run directory."""

    backend = SQLITE

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, name: str) -> Path:
        """The file of database *name*."""
        return self.directory / f"{name}.db"

    def url(self, name: str) -> str:
        return f"sqlite:///{self.path(name)}"

    def fresh(self, name: str, template: str | None) -> str:
        target = self.path(name)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        if template is not None:
            source = template.removeprefix("sqlite:///")
            for suffix in ("", "-wal"):
                if Path(f"{source}{suffix}").exists():
                    shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
        return self.url(name)

    def close(self) -> None:
        """Nothing: the runner removes the run directory."""


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server does not answer, or refuses what the benchmarks need."""


class PostgresDatabases:
    """Databases ``<prefix>_<name>`` of one PostgreSQL server, dropped by ``close()``.

    *server_url* is an SQLAlchemy URL (``postgresql+psycopg://user@host:port/dbname``); its
    database is only the one connected to for ``CREATE``/``DROP DATABASE``.
    """

    backend = POSTGRESQL

    def __init__(self, server_url: str, prefix: str | None = None) -> None:
        from sqlalchemy.engine import make_url

        self.server = make_url(server_url).set(drivername="postgresql+psycopg")
        self.prefix = prefix or f"inami_bench_{os.getpid()}"
        self.created: list[str] = []

    def describe(self) -> str:
        """The server URL with the password masked."""
        return self.server.render_as_string(hide_password=True)

    def connect_args(self, database: str | None = None) -> dict[str, Any]:
        """``psycopg.connect`` keywords for *database* (default: the server URL's own)."""
        url = self.server if database is None else self.server.set(database=database)
        args: dict[str, Any] = url.translate_connect_args(username="user", database="dbname")
        args.setdefault("dbname", "postgres")
        args.update(url.query)
        return args

    def _admin(self) -> Any:
        import psycopg

        args = self.connect_args()
        args.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
        try:
            return psycopg.connect(**args, autocommit=True)
        except psycopg.Error as exc:
            message = " ".join(str(exc).split()) or type(exc).__name__
            raise PostgresUnavailable(f"cannot connect to {self.describe()}: {message}") from None

    def check(self) -> str:
        """The server's version; ``PostgresUnavailable`` if it does not answer or is older
        than 13 (``DROP DATABASE ... WITH (FORCE)``)."""
        with self._admin() as con:
            number = int(con.execute("SHOW server_version_num").fetchone()[0])
            version = str(con.execute("SHOW server_version").fetchone()[0]).split()[0]
        if number < 130000:
            raise PostgresUnavailable(
                f"{self.describe()}: PostgreSQL {version}, 13 or later needed"
            )
        return version

    def name(self, name: str) -> str:
        """The server's name of database *name*."""
        return f"{self.prefix}_{name.replace('-', '_')}"

    def url(self, name: str) -> str:
        url = self.server.set(database=self.name(name))
        return url.render_as_string(hide_password=False)

    def fresh(self, name: str, template: str | None) -> str:
        from sqlalchemy.engine import make_url

        database = self.name(name)
        source = "template0" if template is None else str(make_url(template).database)
        with self._admin() as con:
            _ddl(con, "DROP DATABASE IF EXISTS {} WITH (FORCE)", database)
            if database not in self.created:
                self.created.append(database)
            _ddl(con, "CREATE DATABASE {} TEMPLATE {}", database, source)
        return self.url(name)

    def existing(self) -> list[str]:
        """The databases of this run that exist on the server."""
        with self._admin() as con:
            rows = con.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s) ORDER BY 1",
                (f"{self.prefix}_",),
            ).fetchall()
        return [str(row[0]) for row in rows]

    def close(self) -> None:
        """Drop every database this run created (even half-made ones)."""
        if not self.created:
            return
        with self._admin() as con:
            for database in self.created:
                _ddl(con, "DROP DATABASE IF EXISTS {} WITH (FORCE)", database)
        self.created.clear()


def _ddl(con: Any, statement: str, *names: str) -> None:
    """Execute *statement* with its ``{}`` replaced by the quoted database *names*."""
    from psycopg import sql

    con.execute(sql.SQL(statement).format(*map(sql.Identifier, names)))


@contextlib.contextmanager
def sigterm_as_exit() -> Iterator[None]:
    """SIGTERM raises ``SystemExit(143)`` meanwhile, so that ``finally`` blocks (dropping
    the PostgreSQL databases) run as on Ctrl-C. Only in the main thread."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _exit(_signum: int, _frame: object) -> None:
        sys.exit(128 + signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
