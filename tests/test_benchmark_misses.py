"""What ``make bench`` prints for a missed batch target (``benchmarks.misses``) and the
sampling profile behind it (``benchmarks.sampler``): the arithmetic on figures given here,
and the sampler on a real ``inami reimburse batch`` of the tiny generated data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks import generate as gen
from benchmarks import misses, sampler
from benchmarks import run as bench
from benchmarks.report import Result, render_misses

TINY = gen.Sizes(codes=12, periods=2, persons=150, register=40, cases=120, niss_lines=120)
ONCE = bench.Repeats(cold=1, heavy=1, search=2, warmup=False)


def _result(**changes: object) -> Result:
    fields: dict[str, object] = dict(
        key="reimburse-batch",
        scenario="reimburse batch, adversarial mix (cases)",
        size=1_000_000,
        unit="rows",
        median_s=20.0,
        runs_s=[20.0],
        cpu_s=40.0,
        throughput=50_000.0,
        peak_rss_mb=200.0,
        floor="csv read + write (Python)",
        floor_s=1.0,
        ratio=20.0,
        target="≥ 100 000 rows/s, flat memory",
        met=False,
    )
    fields.update(changes)
    return Result(**fields)  # type: ignore[arg-type]


PROFILE = misses.Profile(
    rows=1_000_000, wall_s=40.0, cpu_s=40.0,
    functions=[("compile_plan (m)", 20.0), ("fetch (m)", 12.0), ("row (m)", 8.0)],
    inclusive=[("main (m)", 40.0), ("chunk (m)", 36.0), ("compile (m)", 24.0),
               ("compile_plan (m)", 20.0), ("fetch (m)", 12.0), ("row (m)", 8.0)],
)  # fmt: skip


def test_a_batch_whose_cpu_exceeds_the_machine_says_how_much_must_go() -> None:
    lines = misses.speed_lines(_result(), per_second=100_000, cores=2)
    assert lines[0] == "100 000 rows/s allows 10.0 s for 1 000 000 rows; the batch took 20.0 s"
    assert lines[1].startswith("CPU 40.0 µs a row (all its processes); 2 CPUs always busy ")
    assert "allow 20.0 µs: 20.0 µs a row must go" in lines[1]
    assert len(lines) == 2  # 40 s of CPU on 2 CPUs in 20 s: never idle


def test_a_batch_within_the_cpu_budget_is_told_its_cores_sat_idle() -> None:
    lines = misses.speed_lines(_result(median_s=12.5, cpu_s=19.0), per_second=100_000, cores=2)
    assert "CPU 19.0 µs a row (all its processes) is within the 20.0 µs" in lines[1]
    assert lines[2].startswith("the 2 CPUs were not all busy for 3.0 s of the 12.5 s")
    assert "server" not in lines[2]
    pg = _result(median_s=12.5, cpu_s=19.0, backend="postgresql")
    on_pg = misses.speed_lines(pg, per_second=100_000, cores=2)[2]
    assert on_pg.endswith("; the server's work, which the CPU leaves out)")


def test_the_gap_is_the_share_of_one_process_that_must_go() -> None:
    # 20 s for a target of 10 s: half of the sampled process's 40 µs a row
    assert misses.gap_us(_result(), per_second=100_000, profile=PROFILE) == 20.0
    assert misses.gap_us(_result(median_s=9.0), per_second=100_000, profile=PROFILE) == 0
    lines = misses.profile_lines(PROFILE, gap_us=25.0)
    assert lines[0].startswith("one process, every row (INAMI_BATCH_WORKERS=1): 40.0 s, 40.0 µs")
    # by stage: the driver (on the stack ≥ 80 % of the time) left out, then innermost
    assert [line.split()[-2] for line in lines[1:5]] == ["compile", "compile_plan", "fetch", "row"]
    assert lines[1].split() == ["60.0%", "24.0", "µs", "compile", "(m)"]
    assert lines[5].startswith("and by the innermost function of inami_cli")
    assert lines[6].split() == ["50.0%", "20.0", "µs", "compile_plan", "(m)"]
    assert lines[7].split()[:2] == ["30.0%", "12.0"]
    assert lines[-1].startswith("the gap (25.0 µs a row) is as much as the profile's first 2 ")
    assert "functions take (32.0 µs)" in lines[-1]
    one = misses.profile_lines(PROFILE, gap_us=20.0)[-1]
    assert "first 1 function takes (20.0 µs)" in one


def test_memory_is_reported_only_when_it_grows() -> None:
    assert misses.memory_line(100.0, 110.0, 100_000, 1_000_000) is None
    grows = misses.memory_line(148.0, 171.0, 100_000, 1_000_000)
    assert grows == (
        "memory grows: peak RSS 148 MB at 100 000 rows, 171 MB at 1 000 000 rows "
        "(1.16×; flat is ≤ 1.10×)"
    )
    # a batch fast enough whose memory grows: the memory line alone, no profile
    fast = _result(throughput=120_000.0, median_s=8.0)
    assert misses.explain(fast, per_second=100_000, cores=2, profile=None, memory=grows) == [grows]


def test_misses_render_as_text_and_markdown() -> None:
    slow = _result(miss=["100 000 rows/s allows 10.0 s", "  50.0%  20.0 µs  f (m)"])
    quiet = _result(key="insured-batch", miss=[])
    assert render_misses([quiet]) == ""
    text = render_misses([slow, quiet]).splitlines()
    assert (
        text[0]
        == "reimburse batch, adversarial mix (cases): missed (≥ 100 000 rows/s, flat memory)"
    )
    assert text[1:] == ["  100 000 rows/s allows 10.0 s", "    50.0%  20.0 µs  f (m)"]
    pg = _result(key="reimburse-batch@pg", backend="postgresql", miss=["x"])
    md = render_misses([slow, pg], markdown=True).splitlines()
    assert md[0].startswith("- **reimburse batch, adversarial mix (cases): missed")
    assert md[2] == "  - `50.0%  20.0 µs  f (m)`"
    assert md[3].startswith("- **reimburse batch, adversarial mix (cases) (PostgreSQL)")


def test_where_names_the_innermost_function_of_the_package() -> None:
    here = str(Path(__file__).resolve().parent)
    frame = sys._getframe()
    label = sampler.where(frame, here)
    assert label == (
        "test_where_names_the_innermost_function_of_the_package (inami_cli.test_benchmark_misses)"
    )
    assert sampler.where(frame, "/nowhere") == sampler.OUTSIDE
    assert sampler.where(None, here) == sampler.OUTSIDE


def test_a_missed_batch_is_profiled_in_one_process(tmp_path: Path) -> None:
    # judged as a full run would be: 120 rows are far below 100 000 rows/s
    data = gen.generate(TINY, 11, work_dir=tmp_path / "data")
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    logged: list[str] = []
    runner = bench.Bench(data, run_dir, ONCE, quick=False, log=logged.append)
    runner.scenario_reimburse_batch()
    result = runner.results[-1]
    assert result.met is False
    assert result.profile, "the sampler saw nothing"
    names = [name for name, seconds in result.profile]
    assert len(names) <= misses.TOP
    assert any(name.endswith(")") and "(inami_cli." in name for name in names)
    assert all(seconds >= 0 for _, seconds in result.profile)
    assert result.miss[0].startswith(f"100 000 rows/s allows 0.0 s for {TINY.cases} rows")
    assert result.miss[1].startswith("CPU ")
    first = next(n for n, line in enumerate(result.miss) if line.startswith("one process"))
    assert result.miss[first].startswith("one process, every row (INAMI_BATCH_WORKERS=1)")
    assert result.miss[first + 1].startswith("  ")  # at least one stage under the driver
    assert any(line.startswith("the gap (") for line in result.miss)
    assert "  profiling reimburse batch, adversarial mix (cases) in one process ..." in logged
    # the sampled batch ran to its end: its output has a row per case (a few malformed)
    out = (run_dir / "batch-out.csv").read_text(encoding="utf-8").splitlines()
    assert len(out) > TINY.cases // 2


def test_a_relative_miss_says_how_much_less_time_it_must_take() -> None:
    lines = misses.relative_miss(0.85, 0.90, "the reimburse batch", PROFILE)
    assert lines[0] == (
        "85.0% of the reimburse batch's throughput on alternated runs, 90% wanted: "
        "it must take 5.6% less time"
    )
    assert lines[-1].startswith("the gap (2.2 µs a row) is as much as the profile's first 1 ")
    assert misses.relative_miss(0.95, 0.90, "x", PROFILE)[-1].startswith("  ")  # no gap line


def test_the_sampler_refuses_a_missing_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert sampler.cli(["out.json"]) == 2
    assert "usage: python -m benchmarks.sampler" in capsys.readouterr().err


def test_a_stage_that_hands_on_its_time_stands_for_its_callees() -> None:
    profile = misses.Profile(
        rows=1_000, wall_s=40.0, cpu_s=40.0,
        functions=[("fetch", 11.0), ("compile", 10.0), ("main", 19.0)],
        inclusive=[("main", 40.0), ("prefetch", 12.0), ("read", 11.5), ("fetch", 11.0),
                   ("compile", 10.0)],
        edges={("main", "prefetch"): 12.0, ("prefetch", "read"): 11.5, ("read", "fetch"): 11.0,
               ("main", "compile"): 10.0},
    )  # fmt: skip
    # main is the driver; read and fetch are what prefetch does (≥ 90 % of its time)
    assert profile.stages() == [("prefetch", 12.0), ("compile", 10.0)]
    # a callee that takes less than 90 % of its caller's time is a stage of its own
    uneven = misses.Profile(
        rows=1_000, wall_s=40.0, cpu_s=40.0, functions=[("x", 40.0)],
        inclusive=[("main", 40.0), ("prefetch", 12.0), ("read", 10.0)],
        edges={("prefetch", "read"): 10.0},
    )  # fmt: skip
    assert [name for name, _ in uneven.stages()] == ["prefetch", "read"]


def test_a_slow_import_says_how_much_of_its_time_must_go() -> None:
    result = _result(key="tariff-import", size=200_000, median_s=5.3, unit="rows")
    lines = misses.time_miss(result, 5.0, PROFILE)
    assert lines[0] == (
        "the target allows 5.00 s for 200 000 rows; it took 5.30 s: 5.7% of its time must go"
    )
    assert lines[1].startswith("one process, every row: 40.0 s")
    assert "INAMI_BATCH_WORKERS" not in lines[1]


def test_a_slow_import_is_profiled_on_a_database_of_its_own(tmp_path: Path) -> None:
    data = gen.generate(TINY, 11, work_dir=tmp_path / "data")
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    runner = bench.Bench(data, run_dir, ONCE, quick=False, log=lambda message: None)
    argv = runner.inami_argv("nomenclature", "import", str(data.path("tariffs.csv")))
    result = _result(key="tariff-import", size=TINY.tariff_rows, median_s=9.0)
    runner.explain_slow(result, 0.5, argv, runner.fresh("profile", runner.empty_db()))
    assert result.miss[0].startswith(f"the target allows 0.50 s for {TINY.tariff_rows} rows")
    assert result.profile and any("(inami_cli." in name for name, _ in result.profile)
    assert any(line.startswith("the gap (") for line in result.miss)
