"""Crash safety: a writer killed with SIGKILL mid-transaction leaves the database exactly as
before (row counts and a checksum of every table) and ``inami db check`` clean.

The issue asks for a 200 000-row import; the guarantee does not depend on the size, only on
the kill landing inside the transaction after every row was written. Watching the WAL for
that was a race (with the 128 MiB import cache no page reaches the WAL before COMMIT, so a
growing WAL meant the commit was being written): the writer is now stopped at a
fault-injection point armed by an environment variable only these tests set
(``INAMI_FAULT_PAUSE_BEFORE_COMMIT``, after the last write, before COMMIT) and
``kill_inside_transaction`` proves it was there when killed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.commands import decision_tariff_argv
from tests.reliability.conftest import (
    copy_db,
    kill_inside_transaction,
    proc_env,
    run_inami,
    snapshot,
    spawn_paused_before_commit,
    tariff_csv,
)

pytestmark = pytest.mark.slow

ROWS = 8_000


@pytest.fixture(scope="module")
def big_template(sqlite_demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database plus ROWS more codes with a tariff, and an adopted, unapplied
    decision (CASS, meeting 1) carrying ROWS tariff changes."""
    work = tmp_path_factory.mktemp("crash")
    db = copy_db(sqlite_demo_template, work / "big.db")
    env = proc_env(f"sqlite:///{db}")
    codes = work / "codes.csv"
    codes.write_text(tariff_csv(range(70000, 70000 + ROWS)), encoding="utf-8")
    done = run_inami("nomenclature", "import", str(codes), env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    changes = work / "decision.csv"
    changes.write_text(
        tariff_csv(range(70000, 70000 + ROWS), valid_from="2027-01-01", fee="41.00"),
        encoding="utf-8",
    )
    done = run_inami(*decision_tariff_argv("Crash test", str(changes)), env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return db


def _assert_untouched(db: Path, before: dict[str, tuple[int, str]]) -> None:
    after = snapshot(db)
    changed = {
        t: (before.get(t), after.get(t))
        for t in set(before) | set(after)
        if before.get(t) != after.get(t)
    }
    assert changed == {}
    check = run_inami("db", "check", env=proc_env(f"sqlite:///{db}"))
    assert (check.returncode, check.stdout, check.stderr) == (0, "", "")


def test_sigkill_during_a_big_import_changes_nothing(sqlite_template: Path, tmp_path: Path):
    db = copy_db(sqlite_template, tmp_path / "inami.db")
    source = tmp_path / "big.csv"
    source.write_text(tariff_csv(range(10000, 10000 + ROWS)), encoding="utf-8")
    before = snapshot(db)
    marker = tmp_path / "paused"
    proc = spawn_paused_before_commit("nomenclature", "import", str(source), db=db, marker=marker)
    kill_inside_transaction(proc, db, marker)
    _assert_untouched(db, before)


def test_sigkill_during_a_member_file_import_changes_nothing(demo_file: Path, tmp_path: Path):
    from tests.reliability.conftest import persons_csv

    source = tmp_path / "members.csv"
    source.write_text(persons_csv(range(ROWS)), encoding="utf-8")
    before = snapshot(demo_file)
    marker = tmp_path / "paused"
    proc = spawn_paused_before_commit("person", "import", str(source), db=demo_file, marker=marker)
    kill_inside_transaction(proc, demo_file, marker)
    _assert_untouched(demo_file, before)


def test_sigkill_during_an_indexation_changes_nothing(big_template: Path, tmp_path: Path):
    db = copy_db(big_template, tmp_path / "inami.db")
    before = snapshot(db)
    marker = tmp_path / "paused"
    proc = spawn_paused_before_commit(
        "nomenclature", "index", "--rate", "2.5", "--from", "2026-07-01", db=db, marker=marker
    )
    kill_inside_transaction(proc, db, marker)
    _assert_untouched(db, before)


def test_sigkill_during_a_decision_apply_changes_nothing(big_template: Path, tmp_path: Path):
    db = copy_db(big_template, tmp_path / "inami.db")
    before = snapshot(db)
    marker = tmp_path / "paused"
    proc = spawn_paused_before_commit("decision", "apply", "CASS 2026/003", db=db, marker=marker)
    kill_inside_transaction(proc, db, marker)
    _assert_untouched(db, before)
