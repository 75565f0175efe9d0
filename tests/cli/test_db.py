"""``inami db`` and ``inami init``: creation, permissions, status, check, backup, schema guard."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from tests.conftest import Cli


def _sqlite_only(db_url: str) -> Path:
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite file behaviour")
    return Path(db_url.removeprefix("sqlite:///"))


def test_init_creates_private_file_config_and_schema(tmp_path):
    db = tmp_path / "new" / "inami.db"
    config = tmp_path / "conf" / "inami.toml"
    cli = Cli(f"sqlite:///{db}")
    result = cli("--config", str(config), "init")
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert config.is_file() and stat.S_IMODE(config.stat().st_mode) == 0o600
    wal = db.with_name("inami.db-wal")
    if wal.exists():
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    status = cli("--config", str(config), "--format", "json", "db", "status").json()
    assert status["revision"] == status["expected_revision"]
    again = cli("--config", str(config), "init")
    assert again.exit_code == 0


def test_journal_is_wal_and_foreign_keys_on(db_url):
    path = _sqlite_only(db_url)
    from inami_cli.db.engine import make_engine

    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
    assert path.exists()


def test_missing_database_is_exit_6(tmp_path):
    result = Cli(f"sqlite:///{tmp_path / 'none.db'}")("db", "status")
    assert result.exit_code == 6
    assert "does not exist" in result.stderr and "inami init" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_unreachable_postgres_is_exit_6_without_password():
    result = Cli("postgresql+psycopg://bob:s3cret@127.0.0.1:1/none?connect_timeout=2")(
        "db", "check"
    )
    assert result.exit_code == 6
    assert "s3cret" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_check_is_silent_when_clean(cli):
    result = cli("db", "check")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_check_reports_overlapping_periods(cli, session):
    from datetime import date

    from inami_cli.db.models import Act, Tariff
    from inami_cli.services.audit import now

    session.add(Act(code="101076", label_fr="Consultation", label_nl="Raadpleging"))
    session.flush()
    session.add(
        Tariff(code="101076", valid_from=date(2024, 1, 1), fee_cents=3181, recorded_at=now())
    )
    session.add(
        Tariff(code="101076", valid_from=date(2025, 1, 1), fee_cents=3284, recorded_at=now())
    )
    session.commit()
    result = cli("db", "check")
    assert result.exit_code == 1
    assert "tariff 101076" in result.stdout and "overlaps" in result.stdout


def test_older_schema_is_refused_until_upgrade(cli, engine):
    from sqlalchemy import text

    from inami_cli.db.schema import SCHEMA_REVISION

    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    try:
        newer = cli("db", "check")
        assert newer.exit_code == 6 and "newer than this inami" in newer.stderr
        refused = cli("db", "upgrade")
        assert refused.exit_code == 6
    finally:  # the PostgreSQL schema is shared by the tests of a session
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE alembic_version SET version_num = :v"), {"v": SCHEMA_REVISION}
            )


def test_uninitialised_database_is_exit_6(tmp_path):
    db = tmp_path / "empty.db"
    sqlite3.connect(db).close()
    result = Cli(f"sqlite:///{db}")("db", "check")
    assert result.exit_code == 6 and "db init" in result.stderr


def test_backup_is_a_consistent_private_copy(cli, db_url, tmp_path):
    _sqlite_only(db_url)
    dest = tmp_path / "backups" / "copy.db"
    result = cli("db", "backup", str(dest))
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert Cli(f"sqlite:///{dest}")("db", "check").exit_code == 0


def test_backup_on_postgres_names_pg_dump(cli, db_url, tmp_path):
    if db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL behaviour")
    result = cli("db", "backup", str(tmp_path / "x.db"))
    assert result.exit_code == 2 and "pg_dump" in result.stderr


def test_status_table(cli):
    result = cli("db", "status")
    assert result.exit_code == 0
    assert "tariff" in result.stdout
