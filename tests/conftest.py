"""Shared fixtures: an isolated environment, a migrated database on SQLite (always) and on
PostgreSQL (when INAMI_TEST_DATABASE_URL is set), and a runner for the real command.

Every test that takes ``db_url`` (directly or through ``engine``, ``session`` or ``cli``)
runs once per backend. SQLite: a migrated template file copied per test. PostgreSQL: one
schema per test session (and per xdist worker), emptied between tests, dropped at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# Property tests are deterministic in `make test` and CI ("ci": a fixed seed, no example
# database), so a red run is the same on every clone; `make fuzz` ("fuzz") runs the long
# random search. A failing example it finds becomes an explicit @example or test.
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("fuzz", derandomize=False, database=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

PG_URL = os.environ.get("INAMI_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"]
PG_SKIP_REASON = "INAMI_TEST_DATABASE_URL is not set: PostgreSQL tests skipped"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No user configuration, no inherited INAMI_* variables, a private cwd."""
    for name in list(os.environ):
        if name.startswith("INAMI_") and name != "INAMI_TEST_DATABASE_URL":
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("NO_COLOR", "1")
    # tables as wide as their text unless a test sets COLUMNS (render.terminal)
    monkeypatch.delenv("COLUMNS", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite database file, copied by each test."""
    from inami_cli.db.engine import make_engine
    from inami_cli.services.dbadmin import initialise

    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}", create=True)
    initialise(engine)
    engine.dispose()
    return path


def _pg_url_with_schema(base: str, schema: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(base)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    """A migrated schema of its own on the test PostgreSQL, dropped after the session."""
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    from sqlalchemy import create_engine, text

    from inami_cli.db.engine import make_engine
    from inami_cli.services.dbadmin import initialise

    schema = f"inami_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg_url_with_schema(PG_URL, "public"))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _pg_url_with_schema(PG_URL, schema)
    engine = make_engine(url)
    initialise(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _truncate_pg(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlmodel import SQLModel

    import inami_cli.db.models  # noqa: F401

    engine = create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


def _sqlite_copy(template: Path, target: Path) -> str:
    """URL of a private copy of a template database (mode 600, as the engine creates one)."""
    shutil.copyfile(template, target)
    target.chmod(0o600)
    return f"sqlite:///{target}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """URL of a fresh, migrated, empty database (parametrized over the backends)."""
    if request.param == "sqlite":
        return _sqlite_copy(sqlite_template, tmp_path / "inami.db")
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    url: str = request.getfixturevalue("pg_schema_url")
    _truncate_pg(url)
    return url


def _load_demo(url: str) -> None:
    from inami_cli.db.engine import make_engine, transaction
    from inami_cli.services.audit import set_actor
    from inami_cli.services.setup import load_demo, load_reference

    set_actor("tests", "inami init --demo")
    engine = make_engine(url)
    with transaction(engine, write=True) as sess:
        load_reference(session=sess)
    with transaction(engine, write=True) as sess:
        load_demo(session=sess)
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_demo_template(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """A migrated SQLite database with the demo fixtures (``inami init --demo``)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copyfile(sqlite_template, path)
    _load_demo(f"sqlite:///{path}")
    return path


@pytest.fixture(params=BACKENDS)
def demo_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh database holding the demo data (parametrized over the backends)."""
    if request.param == "sqlite":
        return _sqlite_copy(request.getfixturevalue("sqlite_demo_template"), tmp_path / "demo.db")
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    url: str = request.getfixturevalue("pg_schema_url")
    _truncate_pg(url)
    _load_demo(url)
    return url


@pytest.fixture
def demo_cli(demo_db_url: str) -> Cli:
    """The ``inami`` command bound to a database holding the demo data."""
    return Cli(demo_db_url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Any]:
    """An engine on the test database."""
    from inami_cli.db.engine import make_engine

    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Any) -> Iterator[Any]:
    """A session on the test database; the test commits when it needs to."""
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as sess:
        yield sess


@dataclass
class CliResult:
    """What one run of the real ``inami`` command produced."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """stdout parsed as JSON (money as exact Decimal)."""
        from decimal import Decimal

        return json.loads(self.stdout, parse_float=Decimal)

    def ndjson(self) -> list[Any]:
        from decimal import Decimal

        return [json.loads(line, parse_float=Decimal) for line in self.stdout.splitlines() if line]


class Cli:
    """Runs ``inami`` in-process through its real entry point (exit codes, stderr and all)."""

    def __init__(self, db_url: str | None) -> None:
        self.db_url = db_url

    def __call__(
        self, *args: str, input: str | bytes | None = None, env: dict[str, str] | None = None
    ) -> CliResult:
        from typer.testing import CliRunner

        from inami_cli.cli.app import run

        argv: Sequence[str] = (["--db", self.db_url] if self.db_url else []) + list(args)
        runner = CliRunner()
        with runner.isolation(input=input, env=env) as streams:
            import sys

            code = run(argv)
            sys.stdout.flush()
            sys.stderr.flush()
            out, err = streams[0].getvalue(), streams[1].getvalue()
        return CliResult(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


@pytest.fixture
def cli(db_url: str) -> Cli:
    """The ``inami`` command bound to the test database (``--db URL``)."""
    return Cli(db_url)


@pytest.fixture
def cli_nodb() -> Cli:
    """The ``inami`` command without a database option."""
    return Cli(None)
