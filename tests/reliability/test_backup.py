"""Backup during concurrent writes: ``inami db backup`` taken while another process is inside
a big write transaction (and while short writers come and go) is a consistent copy (exactly
the state before or after each writer), passes ``inami db check``, and restores by copying
the file back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.reliability.commands import set_tariff_argv
from tests.reliability.conftest import (
    count,
    finish,
    persons_csv,
    proc_env,
    run_inami,
    snapshot,
    spawn_inami,
    wait_for,
    write_lock_held,
)

pytestmark = pytest.mark.slow

ROWS = 4000  # a member file whose import transaction lasts long enough to back up during it


def test_backup_during_a_big_import_is_consistent_and_restores(demo_file: Path, tmp_path: Path):
    env = proc_env(f"sqlite:///{demo_file}")
    members = tmp_path / "members.csv"
    members.write_text(persons_csv(range(ROWS)), encoding="utf-8")
    before = snapshot(demo_file)
    writer = spawn_inami("person", "import", str(members), env=env)
    wait_for(lambda: write_lock_held(demo_file), writer, "the import began its transaction")
    copy = tmp_path / "backups" / "inami-copy.db"
    saved = run_inami("db", "backup", str(copy), env=env)
    assert saved.returncode == 0, saved.stderr
    code, _out, err = finish(writer)
    assert code == 0, err
    after = snapshot(demo_file)
    assert after != before
    backed_up = snapshot(copy)
    assert backed_up in (before, after), "the backup mixes states"
    assert not copy.with_name(copy.name + "-wal").exists()  # one self-contained file
    checked = run_inami("db", "check", env=proc_env(f"sqlite:///{copy}"))
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")

    # Restore (README): with no inami running, copy the file back over the database and
    # remove the database's -wal and -shm files if any (a read-only reader, like this test's
    # snapshot, leaves them behind; they belong to the old file, not to the restored one).
    for suffix in ("-wal", "-shm"):
        demo_file.with_name(demo_file.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(copy, demo_file)
    assert snapshot(demo_file) == backed_up
    shown = run_inami("--format", "json", "person", "show", "85061508234", env=env)
    assert shown.returncode == 0, shown.stderr
    assert '"last_name": "Lambertin"' in shown.stdout
    status = run_inami("db", "check", env=env)
    assert status.returncode == 0, status.stdout + status.stderr


def test_backups_while_writers_come_and_go_all_pass_db_check(demo_file: Path, tmp_path: Path):
    env = proc_env(f"sqlite:///{demo_file}")
    writers = [
        spawn_inami(*set_tariff_argv(code), env=env) for code in ("101076", "101010", "101032")
    ]
    copies = []
    for i in range(3):
        copy = tmp_path / f"copy-{i}.db"
        saved = run_inami("db", "backup", str(copy), env=env)
        assert saved.returncode == 0, saved.stderr
        copies.append(copy)
    for writer in writers:
        code, _out, err = finish(writer)
        assert code == 0, err
    for copy in copies:
        checked = run_inami("db", "check", env=proc_env(f"sqlite:///{copy}"))
        assert (checked.returncode, checked.stdout) == (0, ""), checked.stdout
        # each writer's change is wholly in or wholly out: its tariff and its audit rows
        for code in ("101076", "101010", "101032"):
            tariff = count(
                copy,
                "SELECT count(*) FROM tariff WHERE code = ? AND valid_from = '2030-01-01'",
                (code,),
            )
            audited = count(
                copy,
                "SELECT count(*) FROM audit_entry WHERE command LIKE ?",
                (f"%set-tariff {code} %",),
            )
            assert (tariff == 0) == (audited == 0), (copy.name, code)
