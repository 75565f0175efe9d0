"""``--wait SECONDS`` and ``$INAMI_BUSY_TIMEOUT_MS`` (issue 17): a job that meets a long
import (another process holding the write lock) waits that long, then gives up with exit 6;
once the lock is released within the wait, it succeeds."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from tests.reliability.conftest import count, finish, proc_env, spawn_inami, write_lock_held

pytestmark = pytest.mark.slow

SET_TARIFF = (
    "nomenclature", "set-tariff", "101076", "--from", "2031-01-01", "--fee", "50.00",
    "--reimbursement", "any=10.00",
)  # fmt: skip
STORED = "SELECT count(*) FROM tariff WHERE code = '101076' AND valid_from = '2031-01-01'"


def _hold_write_lock(db: Path) -> sqlite3.Connection:
    """Another writer, as a long import is: a write transaction left open."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def test_a_short_wait_gives_up_with_exit_6(demo_file: Path):
    holder = _hold_write_lock(demo_file)
    try:
        started = time.monotonic()
        proc = spawn_inami(
            *SET_TARIFF, env=proc_env(f"sqlite:///{demo_file}", INAMI_BUSY_TIMEOUT_MS="300")
        )
        code, _out, err = finish(proc)
        elapsed = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    assert code == 6, (code, err)
    assert elapsed < 10, elapsed  # the 5 s default is not waited
    assert count(demo_file, STORED) == 0


def test_wait_outlasts_the_other_writer(demo_file: Path):
    holder = _hold_write_lock(demo_file)
    env = proc_env(f"sqlite:///{demo_file}", INAMI_BUSY_TIMEOUT_MS="300")  # --wait wins
    proc = spawn_inami("--wait", "60", *SET_TARIFF, env=env)
    try:
        time.sleep(1.5)  # longer than the environment's 300 ms: only --wait keeps it waiting
        assert proc.poll() is None, finish(proc)
        assert write_lock_held(demo_file)
    finally:
        holder.rollback()
        holder.close()
    code, _out, err = finish(proc)
    assert code == 0, (code, err)
    assert count(demo_file, STORED) == 1


def test_wait_must_be_a_duration(demo_file: Path):
    proc = spawn_inami("--wait", "-1", *SET_TARIFF, env=proc_env(f"sqlite:///{demo_file}"))
    code, _out, err = finish(proc)
    assert code == 2 and "--wait" in err, (code, err)
    bad_env = proc_env(f"sqlite:///{demo_file}", INAMI_BUSY_TIMEOUT_MS="soon")
    code, _out, err = finish(spawn_inami(*SET_TARIFF, env=bad_env))
    assert code == 5 and "INAMI_BUSY_TIMEOUT_MS" in err, (code, err)
