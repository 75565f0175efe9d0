"""Secrets and audit, second pass (issue 20, "Secrets and audit").

- a password given as ``?password=...`` or with an empty user name is masked everywhere,
  as ``user:password@`` already was, and the permission warning covers those forms;
- ``config set`` writes through a fresh 0600 O_EXCL file in the target's directory: a
  symlink planted at the old, predictable temporary path is never written through;
- the recorded author is the OS user; ``[audit] operator`` is recorded beside it;
- with ``[audit] log_consultations`` every command that shows a person's data is logged.
"""

from __future__ import annotations

import os
import pwd
import sqlite3
import stat
import uuid
from pathlib import Path

import pytest

from tests.conftest import PG_SKIP_REASON, PG_URL, Cli
from tests.reliability.commands import set_tariff_argv
from tests.reliability.conftest import proc_env, run_inami, write_config

SECRET = "pw-" + uuid.uuid4().hex[:10]
UNREACHABLE = [  # nothing listens on port 1
    f"postgresql+psycopg://127.0.0.1:1/inami?user=inami&password={SECRET}",
    f"postgresql+psycopg://127.0.0.1:1/inami?password={SECRET}&sslmode=disable",
    f"postgresql+psycopg://:{SECRET}@127.0.0.1:1/inami",
]
FORMS = ["query-password", "query-password-first", "empty-user"]


def test_mask_url_masks_every_form():
    from inami_cli.config import mask_url

    for url in UNREACHABLE:
        masked = mask_url(url)
        assert SECRET not in masked and "***" in masked, masked
    quoted = mask_url(f"inami --db '{UNREACHABLE[0]}' db status")
    assert quoted.endswith("password=***' db status"), quoted


@pytest.mark.slow
@pytest.mark.parametrize("url", UNREACHABLE, ids=FORMS)
def test_the_password_forms_never_appear_in_output_or_errors(url: str, tmp_path: Path):
    config = write_config(tmp_path / "inami.toml", f'[database]\nurl = "{url}"\n')
    for args, env in (
        (["--config", str(config), "config", "show"], proc_env()),
        (["--config", str(config), "config", "get", "database.url"], proc_env()),
        (["db", "status"], proc_env(url)),
        (["--db", url, "-v", "nomenclature", "show", "101076"], proc_env()),
        (["--db", url, *set_tariff_argv()], proc_env()),
    ):
        result = run_inami(*args, env=env)
        seen = result.stdout + result.stderr
        assert SECRET not in seen, (args, seen)
        assert "Traceback" not in seen, (args, seen)


@pytest.mark.parametrize("url", UNREACHABLE, ids=FORMS)
def test_the_permission_warning_covers_every_form(url: str, tmp_path: Path):
    config = write_config(tmp_path / "inami.toml", f'[database]\nurl = "{url}"\n', 0o644)
    result = run_inami("--config", str(config), "config", "show", env=proc_env())
    assert "holds a database password and is readable by others" in result.stderr
    assert SECRET not in result.stdout + result.stderr


@pytest.mark.slow
def test_the_audit_log_keeps_the_url_without_the_password(tmp_path: Path):
    """On a real PostgreSQL (trust: the password is sent and ignored), given as a query."""
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    from sqlalchemy import create_engine, text

    from tests.conftest import _pg_url_with_schema

    schema = f"inami_pwq_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_pg_url_with_schema(PG_URL, "public"))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = _pg_url_with_schema(PG_URL, schema) + f"&password={SECRET}"
        for args in (["init", "--demo"], set_tariff_argv(), ["db", "status"], ["audit", "log"]):
            result = run_inami("--db", url, *args, env=proc_env())
            assert result.returncode == 0, (args, result.stderr)
            assert SECRET not in result.stdout + result.stderr
        with admin.begin() as conn:
            conn.execute(text(f'SET search_path TO "{schema}"'))
            commands = [r[0] for r in conn.execute(text("SELECT command FROM audit_entry"))]
        assert any("password=***" in c for c in commands), commands
        assert not any(SECRET in c for c in commands)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# ---------------------------------------------------------------- config set


def test_config_set_never_writes_through_a_planted_symlink(tmp_path: Path):
    tmp_path = tmp_path / "conf"
    tmp_path.mkdir()
    config = write_config(tmp_path / "inami.toml", '[output]\nformat = "table"\n')
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched", encoding="utf-8")
    (tmp_path / "inami.toml.tmp").symlink_to(victim)  # the temporary path used before
    result = run_inami(
        "--config", str(config), "config", "set", "output.format", "json", env=proc_env()
    )
    assert result.returncode == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "untouched"
    assert 'format = "json"' in config.read_text(encoding="utf-8")
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["inami.toml", "inami.toml.tmp", "victim.txt"], left


def test_config_set_writes_a_fresh_private_file_in_the_target_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from inami_cli import config as cfg

    created: list[tuple[str, int]] = []
    real_open = os.open

    def spy(path: str, flags: int, mode: int = 0o777, **kw: object) -> int:
        created.append((str(path), flags, mode))  # type: ignore[arg-type]
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", spy)
    target = tmp_path / "sub" / "inami.toml"
    cfg.write_private(target, "[output]\n")
    opened = [(p, f, m) for p, f, m in created if Path(p).parent == target.parent]
    assert opened, created
    path, flags, mode = opened[0]
    assert flags & os.O_EXCL and flags & os.O_CREAT and mode == 0o600, (path, flags, mode)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["inami.toml"]


# ---------------------------------------------------------------- author and consultations


def _os_user() -> str:
    return pwd.getpwuid(os.getuid()).pw_name


def test_the_author_is_the_os_user_and_the_declared_operator_is_kept_beside(
    demo_file: Path, tmp_path: Path
):
    config = write_config(tmp_path / "inami.toml", '[audit]\noperator = "desk-7"\n')
    env = proc_env(f"sqlite:///{demo_file}", USER="mallory", LOGNAME="mallory")
    result = run_inami("--config", str(config), *set_tariff_argv(), env=env)
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(demo_file)
    rows = conn.execute(
        "SELECT operator, declared_operator FROM audit_entry ORDER BY id DESC LIMIT 1"
    ).fetchall()
    tariff = conn.execute("SELECT operator FROM tariff WHERE valid_from = '2030-01-01'").fetchone()
    conn.close()
    assert rows == [(_os_user(), "desk-7")]  # $USER and $LOGNAME change nothing
    assert tariff == (_os_user(),)


READS_OF_A_PERSON = [
    ["person", "show", "85061508234"],
    ["entitlement", "list", "85061508234"],
    ["affiliation", "list", "85061508234"],
    ["reimburse", "101076", "--date", "2026-03-02", "--niss", "85061508234"],
    ["insured", "85061508234", "--date", "2026-03-02"],
]


def _consultations(url: str) -> list[tuple[str, str, str, str]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT subject, operator, declared_operator, command FROM consultation_log "
                "ORDER BY id"
            )
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]  # type: ignore[misc]


@pytest.mark.parametrize("argv", READS_OF_A_PERSON, ids=lambda a: " ".join(a[:2]))
def test_every_read_of_a_persons_data_is_logged(demo_cli: Cli, argv: list[str], tmp_path: Path):
    config = write_config(
        tmp_path / "inami.toml", '[audit]\nlog_consultations = true\noperator = "desk-7"\n'
    )
    before = _consultations(demo_cli.db_url or "")
    result = demo_cli("--config", str(config), "--format", "json", *argv)
    assert result.exit_code == 0, result.stderr
    new = _consultations(demo_cli.db_url or "")[len(before) :]
    assert len(new) == 1, new
    subject, operator, declared, command = new[0]
    assert subject == "85061508234" and command.startswith("inami ")
    assert (operator, declared) == (_os_user(), "desk-7")


def test_without_log_consultations_reads_write_nothing(demo_cli: Cli):
    before = _consultations(demo_cli.db_url or "")
    for argv in READS_OF_A_PERSON:
        assert demo_cli(*argv).exit_code == 0
    assert _consultations(demo_cli.db_url or "") == before
