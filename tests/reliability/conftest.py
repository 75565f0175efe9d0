"""Helpers for the reliability tests: real ``inami`` processes, table snapshots, lock probes.

The tests here run the installed console script (``.venv/bin/inami``) as separate
processes wherever the guarantee is about processes (concurrent writers, SIGKILL, backup
during writes); in-process (the ``cli`` fixture) where speed matters (fuzzing).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pytest

INAMI = str(Path(sys.executable).with_name("inami"))
PROC_TIMEOUT = 120  # seconds: a guard against a hung process, not a timing assertion


def valid_code(prefix: int) -> str:
    """A nomenclature code whose 6th digit is its first five digits mod 7 (the INAMI
    check digit the import warns about), e.g. 70000 -> ``700000``."""
    return f"{prefix:05d}{prefix % 7}"


def tariff_csv(
    prefixes: Iterable[int], *, valid_from: str = "2026-01-01", fee: str = "40.00"
) -> str:
    """A nomenclature import file: one new act and one ordinary-regime tariff per code."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "code",
            "valid_from",
            "valid_to",
            "fee",
            "regime",
            "reimbursement",
            "label_fr",
            "label_nl",
            "article",
            "source",
        ]
    )
    for p in prefixes:
        writer.writerow(
            [
                valid_code(p),
                valid_from,
                "",
                fee,
                "ordinary",
                "30.00",
                f"Acte test {p}",
                f"Testhandeling {p}",
                "99",
                "reliability test",
            ]
        )
    return out.getvalue()


def niss_for(index: int) -> str:
    """A valid NISS (born 1950-1999, check digits mod 97) that differs for each index."""
    yy = 50 + index % 50
    mm = 1 + (index // 50) % 12
    dd = 1 + (index // 600) % 28
    seq = 1 + (index // 16800) % 997
    base = f"{yy:02d}{mm:02d}{dd:02d}{seq:03d}"
    check = 97 - int(base) % 97
    return f"{base}{check:02d}"


def persons_csv(indexes: Iterable[int], *, insurer: str = "300") -> str:
    """A member file (``inami person import``): one person and affiliation per index."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "niss",
            "last_name",
            "first_name",
            "insurer_code",
            "member_number",
            "quality",
            "titular_niss",
            "ct1",
            "ct2",
            "valid_from",
            "valid_to",
        ]
    )
    for i in indexes:
        writer.writerow(
            [
                niss_for(i),
                f"Test{i}",
                "Reliability",
                insurer,
                f"9{i:07d}",
                "titular",
                "",
                "110",
                "110",
                "2020-01-01",
                "",
            ]
        )
    return out.getvalue()


def proc_env(db_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment for a child ``inami``: the test's isolated env, plus the database."""
    env = dict(os.environ)
    env.pop("INAMI_TEST_DATABASE_URL", None)
    if db_url is not None:
        env["INAMI_DATABASE_URL"] = db_url
    env.update(extra)
    return env


def _umask(mask: int | None) -> Callable[[], None] | None:
    """A ``preexec_fn`` setting the child's umask (the child runs no thread before exec)."""
    if mask is None:
        return None

    def set_mask() -> None:
        os.umask(mask)

    return set_mask


def run_inami(
    *args: str, env: dict[str, str], input: bytes | None = None, umask: int | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``inami`` to completion (text output), with *umask* if given."""
    return subprocess.run(
        [INAMI, *args],
        env=env,
        input=input.decode() if input is not None else None,
        capture_output=True,
        text=True,
        timeout=PROC_TIMEOUT,
        check=False,
        preexec_fn=_umask(umask),
    )


def spawn_inami(*args: str, env: dict[str, str], umask: int | None = None) -> subprocess.Popen[str]:
    """Start ``inami`` in the background (stdout/stderr captured), with *umask* if given."""
    return subprocess.Popen(
        [INAMI, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_umask(umask),
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    """Wait for a spawned ``inami``; its exit code, stdout and stderr."""
    out, err = proc.communicate(timeout=PROC_TIMEOUT)
    return proc.returncode, out, err


def assert_clean_failure(code: int, stderr: str, *, allowed: Sequence[int]) -> None:
    """A documented exit code, no traceback, and (on failure) one ``inami: error:`` line
    that ends stderr."""
    assert "Traceback" not in stderr, stderr
    assert code in allowed, (code, stderr)
    if code != 0:
        errors = [line for line in stderr.splitlines() if line.startswith("inami: error:")]
        assert len(errors) == 1, stderr
        assert stderr.splitlines()[-1] == errors[0], stderr


def sqlite_file(url: str) -> Path:
    """The file of a ``sqlite:///`` URL."""
    assert url.startswith("sqlite:///"), url
    return Path(url.removeprefix("sqlite:///"))


def snapshot(path: Path) -> dict[str, tuple[int, str]]:
    """Every table's row count and the SHA-256 of all its rows (sorted), read directly."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        result: dict[str, tuple[int, str]] = {}
        for table in tables:
            rows = sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{table}"'))
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            result[table] = (len(rows), digest)
        return result
    finally:
        conn.close()


def count(path: Path, sql: str, params: Sequence[object] = ()) -> int:
    """One integer from a query on the SQLite file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute(sql, tuple(params)).fetchone()[0])
    finally:
        conn.close()


def write_lock_held(path: Path) -> bool:
    """True while another connection holds the SQLite write lock (a write transaction)."""
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return True
        raise
    else:
        conn.execute("ROLLBACK")
        return False
    finally:
        conn.close()


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str], what: str) -> None:
    """Poll *condition* until true; fail if *proc* ends first (it finished too soon)."""
    deadline = time.monotonic() + PROC_TIMEOUT
    while not condition():
        if proc.poll() is not None:
            _out, err = proc.communicate()
            pytest.fail(f"process ended (exit {proc.returncode}) before {what}: {err[-2000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.005)


FAULT_PAUSE = "INAMI_FAULT_PAUSE_BEFORE_COMMIT"  # inami_cli.db.engine's fault point


def spawn_paused_before_commit(*args: str, db: Path, marker: Path) -> subprocess.Popen[str]:
    """Start ``inami`` with the fault point armed: once its write transaction has written
    everything, it writes its pid into *marker* and waits there, before COMMIT."""
    return spawn_inami(*args, env=proc_env(f"sqlite:///{db}", **{FAULT_PAUSE: str(marker)}))


def kill_inside_transaction(proc: subprocess.Popen[str], db: Path, marker: Path) -> None:
    """SIGKILL *proc* while it is provably inside its write transaction.

    Deterministic (no race with the commit): the process stops at the armed fault point,
    after its last write and before COMMIT. The proof that the kill landed inside the
    transaction: the marker holds this process's id (the fault point was reached), and the
    SQLite write lock is still held by it at the moment of the kill.
    """
    wait_for(lambda: marker.exists() and marker.read_text() != "", proc, "the fault point")
    assert marker.read_text() == str(proc.pid)
    assert write_lock_held(db), "the paused process does not hold the write transaction"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=PROC_TIMEOUT)
    assert proc.returncode == -signal.SIGKILL, "the process ended before it was killed"


def copy_db(template: Path, target: Path) -> Path:
    """A private copy of a SQLite database file."""
    shutil.copyfile(template, target)
    target.chmod(0o600)
    return target


@pytest.fixture
def demo_file(sqlite_demo_template: Path, tmp_path: Path) -> Path:
    """A SQLite file holding the demo data (``inami init --demo``)."""
    return copy_db(sqlite_demo_template, tmp_path / "demo.db")


def write_config(path: Path, text: str, mode: int = 0o600) -> Path:
    """A TOML configuration file with *mode*."""
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path
