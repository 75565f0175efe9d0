"""Concurrent writers: real ``inami`` processes on the same database at once.

Each writer either succeeds (and all of its change is there) or exits 6 with one clear line
after the busy timeout (and none of its change is there); never a traceback, never a lost
or half-written change. Readers are not blocked by a writer. The tests taking
``demo_db_url`` run on SQLite and, when INAMI_TEST_DATABASE_URL is set, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.reliability.commands import decision_tariff_argv, set_tariff_argv
from tests.reliability.conftest import (
    assert_clean_failure,
    finish,
    persons_csv,
    proc_env,
    run_inami,
    spawn_inami,
    tariff_csv,
    valid_code,
    write_config,
)

pytestmark = pytest.mark.slow

# Sizes: big enough that the transactions overlap in time, small enough for CI.
IMPORT_ROWS = 1500
LOCKED = "inami: error: database is locked: another writer held it for more than"


def _scalar(url: str, sql: str, **params: Any) -> Any:
    from sqlalchemy import text

    from inami_cli.db.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar_one()
    finally:
        engine.dispose()


def _acts_in(url: str, first: int, rows: int) -> int:
    codes = [valid_code(p) for p in range(first, first + rows)]
    low, high = min(codes), max(codes)
    return int(
        _scalar(
            url, "SELECT count(*) FROM act WHERE code BETWEEN :low AND :high", low=low, high=high
        )
    )


def _check_clean(url: str) -> None:
    result = Cli(url)("db", "check")
    assert (result.exit_code, result.stdout) == (0, ""), result.stderr


def test_three_imports_at_once_all_or_nothing_each(demo_db_url: str, tmp_path: Path):
    nomen_a = tmp_path / "a.csv"
    nomen_a.write_text(tariff_csv(range(60000, 60000 + IMPORT_ROWS)), encoding="utf-8")
    nomen_b = tmp_path / "b.csv"
    nomen_b.write_text(tariff_csv(range(62000, 62000 + IMPORT_ROWS)), encoding="utf-8")
    members = tmp_path / "members.csv"
    members.write_text(persons_csv(range(IMPORT_ROWS)), encoding="utf-8")
    persons_before = int(_scalar(demo_db_url, "SELECT count(*) FROM person"))
    env = proc_env(demo_db_url)
    procs = {
        "a": spawn_inami("nomenclature", "import", str(nomen_a), env=env),
        "b": spawn_inami("nomenclature", "import", str(nomen_b), env=env),
        "members": spawn_inami("person", "import", str(members), env=env),
    }
    results = {name: finish(proc) for name, proc in procs.items()}
    for code, _out, err in results.values():
        assert_clean_failure(code, err, allowed=(0, 6))
    assert any(code == 0 for code, _o, _e in results.values())
    for name, first in (("a", 60000), ("b", 62000)):
        expected = IMPORT_ROWS if results[name][0] == 0 else 0
        assert _acts_in(demo_db_url, first, IMPORT_ROWS) == expected, name
    persons = int(_scalar(demo_db_url, "SELECT count(*) FROM person"))
    assert persons - persons_before == (IMPORT_ROWS if results["members"][0] == 0 else 0)
    _check_clean(demo_db_url)


def test_an_import_and_a_decision_apply_at_once(demo_db_url: str, tmp_path: Path):
    env = proc_env(demo_db_url)
    changes = tmp_path / "decision.csv"
    changes.write_text(
        "code,valid_from,valid_to,fee,regime,reimbursement,source\n"
        "101076,2027-01-01,,35.00,ordinary,25.00,concurrency test\n"
        "101076,2027-01-01,,35.00,preferential,30.00,concurrency test\n",
        encoding="utf-8",
    )
    recorded = run_inami(*decision_tariff_argv("Concurrent apply", str(changes)), env=env)
    assert recorded.returncode == 0, recorded.stderr
    source = tmp_path / "codes.csv"
    source.write_text(tariff_csv(range(64000, 64000 + IMPORT_ROWS)), encoding="utf-8")
    importing = spawn_inami("nomenclature", "import", str(source), env=env)
    applying = spawn_inami("decision", "apply", "CASS 2026/003", env=env)
    imp, app = finish(importing), finish(applying)
    assert_clean_failure(imp[0], imp[2], allowed=(0, 6))
    assert_clean_failure(app[0], app[2], allowed=(0, 6))
    assert _acts_in(demo_db_url, 64000, IMPORT_ROWS) == (IMPORT_ROWS if imp[0] == 0 else 0)
    shown = Cli(demo_db_url)("--format", "json", "decision", "show", "CASS 2026/003").json()
    assert shown["applied"] is (app[0] == 0)
    tariff = Cli(demo_db_url)(
        "--format", "json", "nomenclature", "show", "101076", "--date", "2027-02-01"
    ).json()["tariff"]
    assert (tariff["fee"] == Decimal("35.00")) is (app[0] == 0)
    _check_clean(demo_db_url)


@contextmanager
def _write_transaction_held(url: str) -> Iterator[None]:
    """Hold a write transaction (SQLite: BEGIN IMMEDIATE) with an uncommitted new act."""
    from sqlalchemy import text

    from inami_cli.db.engine import make_engine, transaction

    engine = make_engine(url)
    try:
        with transaction(engine, write=True) as session:
            session.execute(
                text(
                    "INSERT INTO act (code, label_fr, label_nl, article, category, setting,"
                    " not_combinable_with, search_text, source) VALUES ('999997', 'x', 'x',"
                    " '', 'other', 'any', '', '', 'uncommitted')"
                )
            )
            session.flush()
            yield
            session.rollback()
    finally:
        engine.dispose()


def test_readers_are_not_blocked_by_a_writer(demo_db_url: str, tmp_path: Path):
    # A short busy timeout: were the reader to wait for the writer, it would fail (exit 6).
    config = write_config(tmp_path / "inami.toml", "[database]\nbusy_timeout_ms = 100\n")
    env = proc_env(demo_db_url, INAMI_CONFIG=str(config))
    acts = int(_scalar(demo_db_url, "SELECT count(*) FROM act"))
    with _write_transaction_held(demo_db_url):
        shown = run_inami("--format", "json", "nomenclature", "show", "101076", env=env)
        assert shown.returncode == 0, shown.stderr
        assert '"code": "101076"' in shown.stdout
        status = run_inami("--format", "json", "db", "status", env=env)
        assert status.returncode == 0, status.stderr
        assert f'"act": {acts}' in status.stdout  # the uncommitted act is not seen
        hidden = run_inami("nomenclature", "show", "999997", env=env)
        assert hidden.returncode == 3, hidden.stderr


def _counts(url: str) -> tuple[int, ...]:
    return tuple(
        int(_scalar(url, f"SELECT count(*) FROM {table}"))
        for table in ("act", "tariff", "tariff_profile", "person", "affiliation", "audit_entry")
    )


def test_a_writer_gives_up_with_exit_6_after_the_busy_timeout(demo_db_url: str, tmp_path: Path):
    config = write_config(tmp_path / "inami.toml", "[database]\nbusy_timeout_ms = 150\n")
    env = proc_env(demo_db_url, INAMI_CONFIG=str(config))
    members = tmp_path / "members.csv"
    members.write_text(persons_csv(range(50)), encoding="utf-8")
    before = _counts(demo_db_url)
    with _write_transaction_held(demo_db_url):
        tariff = run_inami(*set_tariff_argv(), env=env)
        imported = run_inami("person", "import", str(members), env=env)
    for result in (tariff, imported):
        assert result.returncode == 6, result.stderr
        assert result.stderr.startswith(LOCKED + " 150 ms"), result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert _counts(demo_db_url) == before
    again = run_inami("person", "import", str(members), env=env)
    assert again.returncode == 0, again.stderr
    assert _counts(demo_db_url)[3] == before[3] + 50


def test_a_writer_waits_for_a_short_transaction_within_the_timeout(demo_db_url: str):
    """With the default 5 s busy timeout a writer queues behind a 1 s transaction."""
    import threading
    import time

    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with _write_transaction_held(demo_db_url):
            held.set()
            release.wait(timeout=60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(timeout=60)
        proc = spawn_inami(*set_tariff_argv(), env=proc_env(demo_db_url))
        time.sleep(1.0)  # the writer starts and queues meanwhile (no assertion on timing)
    finally:
        release.set()
        holder.join()
    code, _out, err = finish(proc)
    assert code == 0, err
    shown = Cli(demo_db_url)(
        "--format", "json", "nomenclature", "show", "101076", "--date", "2030-01-01"
    )
    assert shown.json()["tariff"]["fee"] == Decimal("50.00")


def test_ten_set_tariffs_on_one_code_at_once(demo_db_url: str):
    """Ten writers on the same code (the hard case: each closes the open period it read):
    whatever the order, every success is there, no period overlaps, each is audited.

    On PostgreSQL this failed with overlapping periods until write transactions took an
    advisory lock (READ COMMITTED let two writers close the same open period)."""
    env = proc_env(demo_db_url)
    starts = [f"2030-{month:02d}-01" for month in range(1, 11)]
    procs = [
        spawn_inami(
            "nomenclature",
            "set-tariff",
            "101076",
            "--from",
            start,
            "--fee",
            f"{50 + i}.00",
            "--reimbursement",
            "any=10.00",
            env=env,
        )
        for i, start in enumerate(starts)
    ]
    results = [finish(p) for p in procs]
    cli = Cli(demo_db_url)
    for i, (start, (rc, _out, err)) in enumerate(zip(starts, results, strict=True)):
        assert_clean_failure(rc, err, allowed=(0, 4, 6))
        if rc == 0:
            shown = cli("--format", "json", "nomenclature", "show", "101076", "--date", start)
            assert shown.json()["tariff"]["fee"] == Decimal(f"{50 + i}.00"), (start, shown)
    assert any(rc == 0 for rc, _o, _e in results)
    audited = int(
        _scalar(
            demo_db_url,
            "SELECT count(DISTINCT command) FROM audit_entry WHERE entity = 'tariff' "
            "AND command LIKE '%set-tariff 101076 --from 2030-%'",
        )
    )
    assert audited == sum(1 for rc, _o, _e in results if rc == 0)
    _check_clean(demo_db_url)
