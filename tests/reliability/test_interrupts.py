"""Ctrl-C always ends clean (issue 20, "Interrupts and faults").

- inside a write transaction: exit 130, one ``inami: error: interrupted`` line, nothing
  written (the bulk import used to exit 70 about one run in four: restoring its page cache
  on the connection SQLAlchemy had closed raised over the interrupt);
- after COMMIT: the changes are saved, so the command says so and exits 0.

Deterministic where it matters: the fault-injection points of ``inami_cli.db.engine``
(armed by environment variables only these tests set) hold the process just before or just
after COMMIT while the test sends SIGINT.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.reliability.conftest import (
    copy_db,
    count,
    finish,
    proc_env,
    snapshot,
    spawn_inami,
    tariff_csv,
    wait_for,
    write_lock_held,
)

pytestmark = pytest.mark.slow

ROWS = 3_000


def _spawn(db: Path, *args: str, **fault: str):
    return spawn_inami(*args, env=proc_env(f"sqlite:///{db}", **fault))


def _assert_interrupted(code: int, err: str) -> None:
    assert "Traceback" not in err, err
    assert code == 130, (code, err)
    assert err.strip().splitlines()[-1] == "inami: error: interrupted", err


def test_the_bulk_cache_restore_never_hides_an_interrupt(db_url: str):
    """Unit level: Ctrl-C inside a statement makes SQLAlchemy close the connection; the
    restore of the page cache must let the KeyboardInterrupt through."""
    if not db_url.startswith("sqlite"):
        pytest.skip("the bulk page cache is SQLite's")
    from sqlmodel import Session

    from inami_cli.db.engine import make_engine
    from inami_cli.services.bulkio import sqlite_bulk_cache

    engine = make_engine(db_url)
    with (
        Session(engine) as session,
        pytest.raises(KeyboardInterrupt),
        sqlite_bulk_cache(session),
    ):
        session.connection().invalidate()
        raise KeyboardInterrupt
    engine.dispose()


def _assert_terminated(code: int, err: str) -> None:
    """SIGTERM: exit 143 and one line saying so (issue 17), no traceback."""
    assert "Traceback" not in err, err
    assert code == 128 + signal.SIGTERM, (code, err)
    assert err.strip().splitlines()[-1] == "inami: error: terminated (SIGTERM); nothing was saved"


def _assert_ended_by(sig: signal.Signals, code: int, err: str) -> None:
    """Ctrl-C or SIGTERM, as *sig* was."""
    if sig == signal.SIGTERM:
        _assert_terminated(code, err)
    else:
        _assert_interrupted(code, err)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
@pytest.mark.parametrize("command", ["nomenclature import", "person import"])
def test_ctrl_c_inside_a_bulk_import_writes_nothing(
    command: str, sig: signal.Signals, demo_file: Path, tmp_path: Path
):
    from tests.reliability.conftest import persons_csv

    source = tmp_path / "input.csv"
    if command == "person import":
        source.write_text(persons_csv(range(ROWS)), encoding="utf-8")
    else:
        source.write_text(tariff_csv(range(30000, 30000 + ROWS)), encoding="utf-8")
    before = snapshot(demo_file)
    marker = tmp_path / "paused"
    proc = _spawn(
        demo_file,
        *command.split(),
        str(source),
        INAMI_FAULT_PAUSE_BEFORE_COMMIT=str(marker),
    )
    wait_for(lambda: marker.exists() and marker.read_text() != "", proc, "the fault point")
    assert write_lock_held(demo_file)  # inside the transaction, every row written
    proc.send_signal(sig)
    code, _out, err = finish(proc)
    _assert_ended_by(sig, code, err)
    assert snapshot(demo_file) == before


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.4])
def test_ctrl_c_at_any_moment_of_an_import_is_130_or_saved(
    delay: float, sqlite_template: Path, tmp_path: Path
):
    """Whenever it lands: 130 with nothing written, or 0 with everything written."""
    db = copy_db(sqlite_template, tmp_path / "inami.db")
    source = tmp_path / "big.csv"
    source.write_text(tariff_csv(range(10000, 10000 + ROWS)), encoding="utf-8")
    before = snapshot(db)
    proc = _spawn(db, "nomenclature", "import", str(source))
    wait_for(lambda: write_lock_held(db), proc, "the write transaction began")
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    code, _out, err = finish(proc)
    assert "Traceback" not in err and "internal error" not in err, err
    assert code in (0, 130), (code, err)
    if code == 130:
        _assert_interrupted(code, err)
        assert snapshot(db) == before
    else:
        assert count(db, "SELECT count(*) FROM tariff") == ROWS


_CLOSE_INTERRUPTED = """
import os, signal, sys
from sqlalchemy.engine import default

close = default.DefaultDialect.do_close

def do_close(self, connection):  # a Ctrl-C lands while the pool closes a connection
    os.kill(os.getpid(), signal.SIGINT)
    return close(self, connection)

default.DefaultDialect.do_close = do_close
from inami_cli.cli.app import run

sys.exit(run(sys.argv[1:]))
"""


def test_ctrl_c_while_the_connections_close_prints_no_traceback(demo_file: Path):
    """Once the answer is given, a Ctrl-C inside SQLAlchemy's pool close was caught and
    logged there with a traceback (one fresh-clone run in five): the clean-up ignores it."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", _CLOSE_INTERRUPTED, "--db", f"sqlite:///{demo_file}",
         "nomenclature", "show", "101076", "--date", "2026-03-02", "--format", "json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert "Traceback" not in result.stderr and "Exception closing" not in result.stderr, (
        result.stderr
    )
    assert result.returncode == 0, result.stderr
    assert '"code": "101076"' in result.stdout


def test_ctrl_c_after_commit_reports_the_changes_saved(demo_file: Path, tmp_path: Path):
    marker = tmp_path / "committed"
    proc = _spawn(
        demo_file,
        *("nomenclature", "set-tariff", "101076", "--from", "2030-01-01", "--fee", "50.00"),
        *("--reimbursement", "any=10.00"),
        INAMI_FAULT_PAUSE_AFTER_COMMIT=str(marker),
    )
    wait_for(lambda: marker.exists() and marker.read_text() != "", proc, "the commit")
    proc.send_signal(signal.SIGINT)
    code, _out, err = finish(proc)
    assert code == 0, (code, err)
    assert "inami: error" not in err and "Traceback" not in err, err
    assert "interrupted after the changes were saved" in err
    sql = "SELECT count(*) FROM tariff WHERE code = '101076' AND valid_from = '2030-01-01'"
    assert count(demo_file, sql) == 1


# ---------------------------------------------------------------- parallel batches


def _children(pid: int) -> set[int]:
    """The child processes of *pid* (Linux /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = task / "children"
        if children.exists():
            found.update(int(c) for c in children.read_text().split())
    return found


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return False
    return "\nState:\tZ" not in status.read_text()


def _spawn_parallel_batch(db: Path, tmp_path: Path):
    import os
    import subprocess

    from tests.reliability.conftest import INAMI

    cases = tmp_path / "cases.csv"
    line = "101076,2026-03-02,,preferential,yes,40.00\n"
    cases.write_text("code,date,niss,regime,dmg,charged\n" + line * 400_000, encoding="utf-8")
    env = proc_env(
        f"sqlite:///{db}",
        INAMI_BATCH_MIN_ROWS="0",
        INAMI_BATCH_WORKERS="2",
        INAMI_BATCH_CHUNK="2000",
    )
    proc = subprocess.Popen(
        [INAMI, "reimburse", "batch", str(cases), "--out", str(tmp_path / "out.csv")],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job: Ctrl-C hits all
    )
    wait_for(lambda: len(_children(proc.pid)) >= 2, proc, "the workers started")
    workers = _children(proc.pid)
    assert os.getpgid(proc.pid) == proc.pid
    return proc, workers


def _no_leftovers(tmp_path: Path, workers: set[int]) -> None:
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "a worker outlived the batch"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".inami-")) == []
    assert not (tmp_path / "out.csv").exists()


def test_ctrl_c_in_a_parallel_batch_ends_it_and_its_workers(demo_file: Path, tmp_path: Path):
    import os

    proc, workers = _spawn_parallel_batch(demo_file, tmp_path)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does: the whole process group
    code, _out, err = finish(proc)  # (finish fails on a hang: PROC_TIMEOUT)
    _assert_interrupted(code, err)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    _no_leftovers(tmp_path, workers)


def test_sigterm_to_a_parallel_batch_ends_it_and_its_workers(demo_file: Path, tmp_path: Path):
    proc, workers = _spawn_parallel_batch(demo_file, tmp_path)
    before = snapshot(demo_file)
    proc.send_signal(signal.SIGTERM)
    code, _out, err = finish(proc)
    _assert_terminated(code, err)
    _no_leftovers(tmp_path, workers)  # no --out file, no temporary file, no worker
    assert snapshot(demo_file) == before


def test_the_workers_die_with_a_killed_parent(demo_file: Path, tmp_path: Path):
    proc, workers = _spawn_parallel_batch(demo_file, tmp_path)
    proc.send_signal(signal.SIGKILL)
    finish(proc)
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "a worker outlived its killed parent"


@pytest.mark.parametrize("source", ["stdin", "file"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_parallel_audit_ends_with_its_workers(
    sig: signal.Signals, source: str, demo_file: Path, tmp_path: Path
):
    """``control audit`` on workers, from standard input (the parent deals the chunks) or a
    file (the workers read it): an interrupt ends it at once. From standard input it hung
    for good with multiprocessing's queues (their feeder thread joined at exit, blocked on a
    pipe no worker read any more)."""
    import os
    import subprocess

    from tests.reliability.conftest import INAMI

    demo = (Path(__file__).parents[2] / "fixtures" / "billing_demo.csv").read_text("utf-8")
    header, *lines = demo.splitlines(keepends=True)
    billing = tmp_path / "billing.csv"
    billing.write_text(header + "".join(lines) * 20_000, encoding="utf-8")
    env = proc_env(
        f"sqlite:///{demo_file}", INAMI_BATCH_MIN_ROWS="0", INAMI_BATCH_WORKERS="2",
        INAMI_BATCH_CHUNK="2000",
    )  # fmt: skip
    argv = [INAMI, "control", "audit", "-" if source == "stdin" else str(billing)]
    with billing.open("rb") as stdin:
        proc = subprocess.Popen(
            [*argv, "--billed-on", "2025-04-01", "--format", "csv", "--out", "out.csv"],
            env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            stdin=stdin if source == "stdin" else subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: len(_children(proc.pid)) >= 2, proc, "the workers started")
        workers = _children(proc.pid)
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)  # Ctrl-C reaches the whole process group
        else:
            proc.send_signal(sig)
        code, _out, err = finish(proc)
    _assert_ended_by(sig, code, err)  # (no traceback either)
    _no_leftovers(tmp_path, workers)


def test_a_killed_worker_fails_the_batch_in_one_line(demo_file: Path, tmp_path: Path):
    """A worker killed from outside (the OOM killer): the batch ends at once, says which
    worker and how on one line, leaves no output file and no other worker behind."""
    import os

    proc, workers = _spawn_parallel_batch(demo_file, tmp_path)
    os.kill(min(workers), signal.SIGKILL)
    code, _out, err = finish(proc)
    assert "Traceback" not in err, err
    assert code == 70, (code, err)
    last = err.strip().splitlines()[-1]
    assert last.startswith("inami: error: internal error: WorkerLost: worker process "), last
    assert "ended unexpectedly (killed by signal 9)" in last, last
    _no_leftovers(tmp_path, workers)


# ---------------------------------------------------------------- faults


def test_a_full_disk_at_the_checkpoint_is_reported(demo_file: Path, tmp_path: Path):
    """The commit is in the WAL; copying it into the database file fails (the file may not
    grow: RLIMIT_FSIZE, as a full disk): said on stderr, exit 0, nothing lost."""
    import os
    import resource
    import subprocess

    from tests.reliability.conftest import INAMI

    source = tmp_path / "small.csv"
    source.write_text(tariff_csv(range(50000, 50300)), encoding="utf-8")
    size = demo_file.stat().st_size

    def no_growth() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    done = subprocess.run(
        [INAMI, "nomenclature", "import", str(source)],
        env=proc_env(f"sqlite:///{demo_file}"),
        capture_output=True,
        text=True,
        preexec_fn=no_growth,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "inami: warning: the changes are saved in demo.db-wal, but not yet copied" in (
        done.stderr
    )
    assert "inami db backup" in done.stderr
    assert demo_file.stat().st_size == size and os.path.getsize(f"{demo_file}-wal") > 0
    # the next command (room again) reads the changes and checkpoints them
    assert count(demo_file, "SELECT count(*) FROM act WHERE code LIKE '5%' AND article = '99'")
    check = subprocess.run(
        [INAMI, "db", "check"], env=proc_env(f"sqlite:///{demo_file}"), capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    assert (check.returncode, check.stdout, check.stderr) == (0, "", "")
    assert count(demo_file, "SELECT count(*) FROM tariff WHERE source = 'reliability test'") == 300


@pytest.mark.parametrize("target", ["missing-dir/out.csv", "a-directory"])
def test_out_errors_name_the_users_file(demo_cli, target: str):
    Path("a-directory").mkdir()
    Path("cases.csv").write_text("code,date,niss\n101076,2026-03-02,85061508234\n")
    result = demo_cli("reimburse", "batch", "cases.csv", "--out", target)
    assert result.exit_code == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"inami: error: --out {target}: "), last
    assert ".inami-" not in result.stderr
    assert [p.name for p in Path().rglob(".inami-*")] == []
