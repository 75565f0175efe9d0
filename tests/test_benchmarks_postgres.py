"""The benchmarks on PostgreSQL (``--postgres URL``): databases of the run's own, created from
the generated data and dropped at the end (also on Ctrl-C), keys ``name@pg``, a ``backend``
field, one table per backend. The server tests skip without INAMI_TEST_DATABASE_URL; the
rendering, the skip of a server that does not answer and SIGTERM need no server.

Nothing here asserts on a timing.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks import databases as dbs
from benchmarks import generate as gen
from benchmarks import run as bench
from benchmarks.report import Result
from tests.conftest import PG_SKIP_REASON, PG_URL

TINY = gen.Sizes(codes=12, periods=2, persons=150, register=40, cases=120, niss_lines=120)
ONCE = bench.Repeats(cold=1, heavy=1, search=2, warmup=False)
NOWHERE = "postgresql+psycopg://postgres@127.0.0.1:1/postgres"  # nothing listens on port 1
needs_pg = pytest.mark.skipif(not PG_URL, reason=PG_SKIP_REASON)


def _result(key: str, backend: str, median: float, scenario: str = "reimburse batch") -> Result:
    return Result(
        key=key, scenario=scenario, size=1000, unit="rows", median_s=median, runs_s=[median],
        cpu_s=median, throughput=1000 / median, peak_rss_mb=70.0, floor="floor", floor_s=0.5,
        ratio=median / 0.5, target="≥ 100 000 rows/s", met=False, backend=backend,
    )  # fmt: skip


def test_tables_one_per_backend_with_the_ratio_to_sqlite() -> None:
    results = [
        _result("reimburse-batch", dbs.SQLITE, 2.0),
        _result("show", dbs.SQLITE, 1.0, scenario="nomenclature show (cold)"),
        _result("reimburse-batch@pg", dbs.POSTGRESQL, 3.0),
        _result("insured-batch@pg", dbs.POSTGRESQL, 1.0, scenario="insured batch"),
    ]
    text = bench.table(results).splitlines()
    assert text[0] == "SQLite:"
    assert text[1].split()[:3] == ["scenario", "size", "median"]
    assert "vs SQLite" not in text[1]
    pg = text.index("PostgreSQL:")
    assert text[pg - 1] == ""
    assert text[pg + 1].split()[:3] == ["scenario", "size", "median"]
    assert text[pg + 1].endswith("vs SQLite")
    assert text[pg + 3].startswith("reimburse batch") and text[pg + 3].endswith("1.50×")
    assert text[pg + 4].startswith("insured batch") and text[pg + 4].endswith("—")  # no SQLite
    assert len(text) == 1 + 2 + 2 + 1 + 1 + 2 + 2

    md = bench.markdown(results).splitlines()
    assert md[0] == "**SQLite**" and md[1] == ""
    assert md[2].startswith("| scenario | size |") and md[2].endswith("| met |")
    pg = md.index("**PostgreSQL**")
    assert md[pg + 2].endswith("| met | vs SQLite |")
    assert md[pg + 3].endswith("|---:|")
    assert md[pg + 4].endswith("| 1.50× |")
    assert len(md) == 2 + 2 + 2 + 1 + 2 + 2 + 2


def test_a_run_on_sqlite_alone_prints_the_table_it_always_printed() -> None:
    results = [_result("reimburse-batch", dbs.SQLITE, 2.0)]
    assert bench.table(results).splitlines()[0].split()[:3] == ["scenario", "size", "median"]
    assert bench.markdown(results).splitlines()[0].startswith("| scenario |")
    only_pg = bench.table([_result("reimburse-batch@pg", dbs.POSTGRESQL, 2.0)]).splitlines()
    assert only_pg[0] == "PostgreSQL:"
    assert "vs SQLite" not in only_pg[1]  # nothing to compare with


def test_results_written_before_postgresql_read_as_sqlite() -> None:
    saved = json.loads(bench.RESULTS.read_text(encoding="utf-8"))
    for row in saved["results"]:
        row.pop("backend", None)
        result = Result(**row)
        assert result.backend == dbs.SQLITE and result.base_key == result.key


def test_a_server_that_does_not_answer_is_skipped_with_the_reason(tmp_path: Path) -> None:
    messages: list[str] = []
    report = bench.run_benchmarks(
        quick=True, sizes=TINY, repeats=ONCE, work_dir=tmp_path, output=tmp_path / "r.json",
        only=["version"], postgres=NOWHERE, log=messages.append,
    )  # fmt: skip
    skipped = report["postgresql"]["skipped"]
    assert skipped.startswith("cannot connect to postgresql+psycopg://postgres@127.0.0.1:1/")
    assert f"PostgreSQL skipped: {skipped}" in messages
    assert [r["key"] for r in report["results"]] == ["version"]
    assert bench.postgres_line(report["postgresql"]) == f"PostgreSQL skipped: {skipped}"
    with pytest.raises(bench.BenchError, match="PostgreSQL only, but cannot connect"):
        bench.run_benchmarks(
            quick=True, sizes=TINY, repeats=ONCE, work_dir=tmp_path, only=["version"],
            postgres=NOWHERE, postgres_only=True,
        )  # fmt: skip


def test_command_line_postgres_only_needs_a_server(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        bench.main(["--quick", "--postgres-only"])
    assert exit_info.value.code == 2
    assert "--postgres-only needs --postgres URL" in capsys.readouterr().err


def test_sigterm_becomes_an_exit_that_runs_finally_blocks() -> None:
    before = signal.getsignal(signal.SIGTERM)
    cleaned = []
    with pytest.raises(SystemExit) as exit_info, dbs.sigterm_as_exit():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # interrupted: the handler raises
        finally:
            cleaned.append(True)
    assert exit_info.value.code == 143 and cleaned
    assert signal.getsignal(signal.SIGTERM) == before


def _bench_databases(prefix: str) -> list[str]:
    return dbs.PostgresDatabases(PG_URL, prefix=prefix).existing()


@needs_pg
def test_postgres_databases_are_copied_from_their_template_and_dropped() -> None:
    import psycopg

    server = dbs.PostgresDatabases(PG_URL, prefix=f"inami_bench_test_{os.getpid()}")
    assert server.check()
    first = server.fresh("first", None)
    with psycopg.connect(**server.connect_args(server.name("first")), autocommit=True) as con:
        con.execute("CREATE TABLE t (x int)")
        con.execute("INSERT INTO t VALUES (7)")
    second = server.fresh("second-copy", first)
    assert second.endswith("/" + server.name("second-copy"))
    with psycopg.connect(**server.connect_args(server.name("second-copy"))) as con:
        assert con.execute("SELECT x FROM t").fetchall() == [(7,)]
    assert server.fresh("first", None) == first  # again: new and empty
    with psycopg.connect(**server.connect_args(server.name("first"))) as con:
        assert con.execute("SELECT count(*) FROM pg_tables WHERE tablename = 't'").fetchone() == (
            0,
        )
    assert server.existing() == [server.name("first"), server.name("second-copy")]
    server.close()
    assert server.existing() == []


@pytest.fixture(scope="module")
def pg_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Tariff import and a cold show on PostgreSQL only, tiny sizes; the run's databases as
    they stood when the show began."""
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    work = tmp_path_factory.mktemp("bench-pg")
    seen: dict[str, list[str]] = {}

    def log(message: str) -> None:
        if message.startswith("show on PostgreSQL"):
            seen["during"] = _bench_databases(f"inami_bench_{os.getpid()}")

    report = bench.run_benchmarks(
        quick=True, sizes=TINY, repeats=ONCE, work_dir=work, output=work / "results.json",
        only=["tariff-import", "show"], postgres=PG_URL, postgres_only=True, log=log,
    )  # fmt: skip
    report["seen"] = seen
    return report


def test_postgres_run_has_its_keys_backend_and_floors(pg_report: dict[str, Any]) -> None:
    results = {r["key"]: r for r in pg_report["results"]}
    assert list(results) == ["tariff-import@pg", "show@pg"]
    assert {r["backend"] for r in results.values()} == {dbs.POSTGRESQL}
    tariff = results["tariff-import@pg"]
    assert tariff["floor"] == "psycopg COPY" and tariff["floor_s"] > 0
    assert tariff["size"] == TINY.tariff_rows and tariff["target"] == "≤ 5 s"
    assert results["show@pg"]["met"] is not None  # a ratio target, judged at any size
    info = pg_report["postgresql"]
    assert info["version"] and info["seconds"] > 0 and "skipped" not in info
    saved = json.loads(Path(pg_report["output"]).read_text(encoding="utf-8"))
    assert saved["results"] == pg_report["results"]


def test_postgres_run_creates_its_databases_and_drops_them(pg_report: dict[str, Any]) -> None:
    prefix = f"inami_bench_{os.getpid()}"
    assert f"{prefix}_empty" in pg_report["seen"]["during"]
    assert f"{prefix}_nomenclature" in pg_report["seen"]["during"]
    assert _bench_databases(prefix) == []


@needs_pg
def test_postgres_databases_are_dropped_on_ctrl_c(tmp_path: Path) -> None:
    prefix = f"inami_bench_{os.getpid()}"

    def log(message: str) -> None:
        if "nomenclature show (cold)" in message:  # measured: its databases exist
            assert _bench_databases(prefix)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        bench.run_benchmarks(
            quick=True, sizes=TINY, repeats=ONCE, work_dir=tmp_path, only=["show"],
            postgres=PG_URL, postgres_only=True, log=log,
        )  # fmt: skip
    assert _bench_databases(prefix) == []


@needs_pg
def test_command_line_prints_both_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.json"
    argv = ["--quick", "--only", "reimburse-niss", "--work-dir", str(tmp_path)]
    assert bench.main([*argv, "--output", str(out), "--postgres", PG_URL]) == 0
    printed = capsys.readouterr().out
    assert "\nSQLite:\n" in printed and "\nPostgreSQL:\n" in printed
    assert printed.count("reimburse CODE --niss (cold)") == 2
    assert "vs SQLite" in printed
    keys = [r["key"] for r in json.loads(out.read_text(encoding="utf-8"))["results"]]
    assert keys == ["reimburse-niss", "reimburse-niss@pg"]
