"""Schema safety: a database of every released schema (tests/data/schema_NNNN.db, made by
tests/data/make_schema_NNNN.py) is upgraded by ``inami db upgrade`` with its data intact;
the code refuses a schema newer than it knows (exit 6) and changes nothing in it."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from inami_cli.db.schema import KNOWN_REVISIONS, SCHEMA_REVISION
from tests.conftest import Cli
from tests.reliability.conftest import copy_db, snapshot

DATA = Path(__file__).resolve().parents[1] / "data"


def _rows(db: Path) -> dict[str, tuple[list[str], list[tuple[object, ...]]]]:
    """Each table's columns and its rows (sorted), alembic_version aside."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        result = {}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            if table == "alembic_version":
                continue
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            result[table] = (columns, sorted(conn.execute(f'SELECT * FROM "{table}"'), key=repr))
        return result
    finally:
        conn.close()


def _projected(db: Path, table: str, columns: list[str]) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = ", ".join(f'"{c}"' for c in columns)
        return sorted(conn.execute(f'SELECT {names} FROM "{table}"'), key=repr)
    finally:
        conn.close()


def test_every_released_schema_has_a_database_file():
    for revision in KNOWN_REVISIONS:
        assert (DATA / f"schema_{revision}.db").is_file(), revision
        assert (DATA / f"make_schema_{revision}.py").is_file(), revision


@pytest.mark.parametrize("revision", KNOWN_REVISIONS)
def test_db_upgrade_keeps_the_data_of_a_released_schema(revision: str, tmp_path: Path):
    db = copy_db(DATA / f"schema_{revision}.db", tmp_path / "old.db")
    before = _rows(db)
    assert all(rows for _cols, rows in before.values()), "every table of the file has rows"
    cli = Cli(f"sqlite:///{db}")
    upgraded = cli("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.stderr
    status = cli("--format", "json", "db", "status").json()
    assert status["revision"] == SCHEMA_REVISION
    for table, (columns, rows) in before.items():
        assert _projected(db, table, columns) == rows, f"{table} changed by the upgrade"
    check = cli("db", "check")
    assert (check.exit_code, check.stdout) == (0, ""), check.stdout
    shown = cli("--format", "json", "nomenclature", "show", "101076", "--date", "2026-03-02")
    assert shown.exit_code == 0, shown.stderr
    assert shown.json()["tariff"]["fee"] == Decimal("33.73")
    person = cli("--format", "json", "person", "show", "85061508234")
    assert person.json()["last_name"] == "Lambertin"
    wrote = cli(
        "nomenclature",
        "set-tariff",
        "101076",
        "--from",
        "2031-01-01",
        "--fee",
        "40.00",
        "--reimbursement",
        "any=30.00",
    )
    assert wrote.exit_code == 0, wrote.stderr


def _with_revision(tmp_path: Path, revision: str) -> Path:
    db = copy_db(DATA / f"schema_{SCHEMA_REVISION}.db", tmp_path / "future.db")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()
    return db


@pytest.mark.parametrize(
    "argv",
    [
        ["nomenclature", "show", "101076"],
        ["person", "show", "85061508234"],
        [
            "nomenclature",
            "set-tariff",
            "101076",
            "--from",
            "2031-01-01",
            "--fee",
            "40",
            "--reimbursement",
            "any=30",
        ],
        ["db", "check"],
        ["db", "upgrade"],
        ["db", "init"],
        ["init", "--demo"],
    ],
    ids=" ".join,
)
def test_a_newer_schema_is_refused_with_exit_6_and_left_alone(argv: list[str], tmp_path: Path):
    db = _with_revision(tmp_path, "9999")
    before = snapshot(db)
    result = Cli(f"sqlite:///{db}")(*argv)
    assert result.exit_code == 6, (result.exit_code, result.stderr)
    errors = [line for line in result.stderr.splitlines() if line.startswith("inami: error:")]
    assert errors == [result.stderr.splitlines()[-1]], result.stderr
    assert errors[0].startswith("inami: error: database schema 9999 is newer"), result.stderr
    assert snapshot(db) == before
