"""Permissions and secrets: private files, a warning for an exposed password, passwords
never in output, errors or the audit log, no SQL assembled from strings (ruff S rules)."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

import pytest

from tests.conftest import PG_SKIP_REASON, PG_URL
from tests.reliability.commands import set_tariff_argv
from tests.reliability.conftest import (
    finish,
    persons_csv,
    proc_env,
    run_inami,
    spawn_inami,
    wait_for,
    write_config,
    write_lock_held,
)

SECRET = "s3cretPW-" + uuid.uuid4().hex[:8]
BAD_URL = f"postgresql+psycopg://inami:{SECRET}@127.0.0.1:1/inami"  # nothing listens on 1


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.slow
def test_database_file_wal_backup_and_config_are_created_0600(tmp_path: Path):
    """Even with umask 000 the files inami creates are readable by their owner only."""
    db = tmp_path / "data" / "inami.db"
    env = proc_env(f"sqlite:///{db}")
    done = run_inami("db", "init", env=env, umask=0)
    assert done.returncode == 0, done.stderr
    assert _mode(db) == 0o600
    members = tmp_path / "members.csv"
    members.write_text(persons_csv(range(3000)), encoding="utf-8")
    seeded = run_inami("--db", f"sqlite:///{db}", "init", env=env, umask=0)  # insurers
    assert seeded.returncode == 0, seeded.stderr
    proc = spawn_inami("person", "import", str(members), env=env, umask=0)
    wait_for(lambda: write_lock_held(db), proc, "the import began writing")
    keep_open = sqlite3.connect(db)  # keeps -wal/-shm after inami closes
    keep_open.execute("SELECT count(*) FROM insurer").fetchone()
    try:
        code, _out, err = finish(proc)
        assert code == 0, err
        for suffix in ("-wal", "-shm"):
            side = db.with_name(db.name + suffix)
            assert side.exists(), suffix
            assert _mode(side) == 0o600, (suffix, oct(_mode(side)))
    finally:
        keep_open.close()
    backup = tmp_path / "backup.db"
    saved = run_inami("db", "backup", str(backup), env=env, umask=0)
    assert saved.returncode == 0, saved.stderr
    assert _mode(backup) == 0o600
    config = tmp_path / "cfg" / "inami.toml"
    set_ = run_inami(
        "--config", str(config), "config", "set", "output.format", "json", env=env, umask=0
    )
    assert set_.returncode == 0, set_.stderr
    assert _mode(config) == 0o600


@pytest.mark.parametrize(("mode", "warned"), [(0o644, True), (0o640, True), (0o600, False)])
def test_a_config_holding_a_password_readable_by_others_warns(
    tmp_path: Path, mode: int, warned: bool
):
    config = write_config(tmp_path / "inami.toml", f'[database]\nurl = "{BAD_URL}"\n', mode)
    result = run_inami("--config", str(config), "config", "get", "database.url", env=proc_env())
    assert result.returncode == 0, result.stderr
    warning = f"inami: warning: {config}: holds a database password and is readable by others"
    assert (warning in result.stderr) is warned, result.stderr
    assert SECRET not in result.stdout + result.stderr


def test_a_config_without_password_readable_by_others_does_not_warn(tmp_path: Path):
    config = write_config(
        tmp_path / "inami.toml", '[database]\nurl = "postgresql://inami@db/inami"\n', 0o644
    )
    result = run_inami("--config", str(config), "config", "show", env=proc_env())
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr


COMMANDS = [
    ["db", "status"],
    ["db", "init"],
    ["db", "backup", "copy.db"],
    ["init"],
    ["config", "show"],
    ["nomenclature", "show", "101076"],
    ["audit", "log"],
    ["person", "import", "members.csv"],
    set_tariff_argv(),
]


@pytest.mark.slow
def test_a_password_never_appears_in_output_or_errors(tmp_path: Path):
    """Each command with an unreachable PostgreSQL URL holding a password, given by --db,
    by $INAMI_DATABASE_URL or by the configuration (in turn), with and without -v."""
    (Path.cwd() / "members.csv").write_text(persons_csv(range(2)), encoding="utf-8")
    config = write_config(tmp_path / "inami.toml", f'[database]\nurl = "{BAD_URL}"\n')
    for i, argv in enumerate(COMMANDS):
        verbose = ["-v"] if i % 2 else []
        how = ("--db", "env", "config")[i % 3]
        if how == "--db":
            args, env = ["--db", BAD_URL, *verbose, *argv], proc_env()
        elif how == "env":
            args, env = [*verbose, *argv], proc_env(BAD_URL)
        else:
            args, env = ["--config", str(config), *verbose, *argv], proc_env()
        result = run_inami(*args, env=env)
        seen = result.stdout + result.stderr
        assert SECRET not in seen, (args, seen)
        assert "Traceback" not in seen, (args, seen)
        assert result.returncode in (0, 2, 6), (args, result.returncode, seen)


@pytest.mark.slow
def test_a_password_never_appears_in_the_audit_log_or_data(tmp_path: Path):
    """A real PostgreSQL reached with a password (from the configuration, and on the
    command line): the password is in no output and in no table."""
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from tests.conftest import _pg_url_with_schema

    url_fixture = _pg_url_with_schema(PG_URL, "public")  # schema made below
    schema = f"inami_pw_{uuid.uuid4().hex[:10]}"
    base = make_url(url_fixture)
    with_password = base.set(password=SECRET)
    schema_url = _pg_url_with_schema(with_password.render_as_string(hide_password=False), schema)
    from sqlalchemy import create_engine

    admin = create_engine(url_fixture)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        quoted = schema_url.replace("\\", "\\\\").replace('"', '\\"')
        config = write_config(tmp_path / "inami.toml", f'[database]\nurl = "{quoted}"\n')
        assert tomllib.loads(config.read_text())["database"]["url"] == schema_url
        env = proc_env()
        outputs = []
        for args in (
            ["--config", str(config), "init", "--demo"],
            ["--config", str(config), *set_tariff_argv()],
            ["--db", schema_url, "person", "update", "85061508234", "--first-name", "Sofie"],
            ["--db", schema_url, "-v", "audit", "log", "--limit", "1000"],
            ["--db", schema_url, "--format", "json", "db", "status"],
            ["--config", str(config), "config", "show"],
        ):
            result = run_inami(*args, env=env)
            assert result.returncode == 0, (args, result.stderr)
            outputs.append(result.stdout + result.stderr)
        assert all(SECRET not in out for out in outputs)
        with admin.begin() as conn:
            conn.execute(text(f'SET search_path TO "{schema}"'))
            tables = [
                r[0]
                for r in conn.execute(
                    text(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = :s"
                    ),
                    {"s": schema},
                )
            ]
            assert "audit_entry" in tables
            commands = [r[0] for r in conn.execute(text("SELECT command FROM audit_entry"))]
            assert any("--db" in c and "***" in c for c in commands), commands
            for table in tables:
                dump = conn.execute(text(f'SELECT CAST(t.* AS text) FROM "{table}" t')).all()
                assert not any(SECRET in str(row[0]) for row in dump), table
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_ruff_bandit_rules_are_on_and_clean():
    """No SQL assembled from strings and no hard-coded secrets: ruff's S rules pass."""
    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    selected = config["tool"]["ruff"]["lint"]["select"]
    assert "S" in selected
    ignored = set(config["tool"]["ruff"]["lint"].get("ignore", []))
    assert not ignored & {"S608", "S105", "S106", "S107", "S324"}
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [
            str(ruff),
            "check",
            "--no-cache",
            "--select",
            "S",
            "--ignore",
            ",".join(sorted(ignored)),
            str(root / "inami_cli"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=root,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
