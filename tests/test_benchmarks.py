"""The benchmarks run end to end on tiny sizes, so they never rot (``make bench`` measures).

Nothing here asserts on a timing: only on the data the generator writes and on the shape of
the report the runner produces.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import generate as gen
from benchmarks import run as bench
from inami_cli.domain.niss import parse_niss

TINY = gen.Sizes(codes=12, periods=2, persons=150, register=40, cases=120, niss_lines=120)
ONCE = bench.Repeats(cold=1, heavy=1, search=2, warmup=False)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_generator_is_deterministic_and_reused(tmp_path: Path) -> None:
    first = gen.generate(TINY, 7, work_dir=tmp_path / "a")
    second = gen.generate(TINY, 7, work_dir=tmp_path / "b")
    names = sorted(p.name for p in first.directory.iterdir())
    assert names == sorted(p.name for p in second.directory.iterdir())
    for name in names:
        assert (first.directory / name).read_bytes() == (second.directory / name).read_bytes()
    other = gen.generate(TINY, 8, work_dir=tmp_path / "a")
    assert other.directory != first.directory
    assert other.path("persons.csv").read_bytes() != first.path("persons.csv").read_bytes()

    stamp = first.path("tariffs.csv").stat().st_mtime_ns
    again = gen.generate(TINY, 7, work_dir=tmp_path / "a")
    assert again.directory == first.directory
    assert again.samples == first.samples
    assert first.path("tariffs.csv").stat().st_mtime_ns == stamp  # reused, not rewritten


def test_generated_files_have_the_sizes_and_formats(tmp_path: Path) -> None:
    data = gen.generate(TINY, 7, work_dir=tmp_path)
    tariffs = _rows(data.path("tariffs.csv"))
    assert len(tariffs) == TINY.tariff_rows == 12 * 2 * 2
    assert len({r["code"] for r in tariffs}) == TINY.codes
    assert all(int(r["code"][5]) == int(r["code"][:5]) % 7 for r in tariffs)

    persons = _rows(data.path("persons.csv"))
    assert len({r["niss"] for r in persons}) == TINY.persons
    assert len(persons) == data.counts["person_rows"]
    for row in persons:
        assert parse_niss(row["niss"]).niss == row["niss"]  # valid check digits
        if row["quality"] == "dependent":
            assert row["titular_niss"]
    register = {r["niss"] for r in _rows(data.path("register-persons.csv"))}
    assert len(register) == TINY.register

    cases = _rows(data.path("cases.csv"))
    assert len(cases) == TINY.cases
    assert {r["niss"] for r in cases if r["niss"]} <= register
    assert all(r["niss"] or r["regime"] for r in cases)
    assert len(_rows(data.path("niss.csv"))) == TINY.niss_lines
    assert data.samples["niss"] in register
    assert data.samples["code"] in {r["code"] for r in tariffs}


def test_realistic_cases_are_a_skewed_mix(tmp_path: Path) -> None:
    sizes = gen.Sizes(codes=200, periods=2, persons=150, register=40, cases=4_000, niss_lines=10)
    data = gen.generate(sizes, 7, work_dir=tmp_path)
    path = gen.ensure_realistic_cases(data)
    assert path == data.path(gen.REALISTIC_FILE)
    cases = _rows(path)
    assert len(cases) == sizes.cases
    assert list(cases[0]) == list(gen.CASE_HEADER)
    register = {r["niss"] for r in _rows(data.path("register-persons.csv"))}
    with_niss = [r for r in cases if r["niss"]]
    assert {r["niss"] for r in with_niss} <= register
    assert 0.4 < len(with_niss) / len(cases) < 0.6
    assert all(r["niss"] or r["regime"] for r in cases)
    assert all("2026-01-01" <= r["date"] <= "2026-03-31" for r in cases)
    counts = sorted(sum(1 for r in cases if r["code"] == c) for c in {r["code"] for r in cases})
    assert sum(counts[-10:]) > 0.3 * len(cases)  # the ten commonest codes: a third at least
    charged = [r["charged"] for r in cases if r["charged"]]
    assert charged and len(set(charged)) < len(charged) / 2  # amounts repeat
    stamp = path.stat().st_mtime_ns
    assert gen.ensure_realistic_cases(data) == path
    assert path.stat().st_mtime_ns == stamp  # written once, then reused


def test_provider_cases_name_a_provider_for_every_case(tmp_path: Path) -> None:
    from inami_cli.domain.providers import parse_nihii

    data = gen.generate(TINY, 7, work_dir=tmp_path)
    gen.ensure_provider_cases(data)
    cases = _rows(data.path("cases.csv"))
    named = _rows(data.path(gen.PROVIDER_CASES_FILE))
    assert len(named) == len(cases)
    providers = {r["nihii"]: r for r in _rows(data.path(gen.PROVIDERS_FILE))}
    for case, row in zip(cases, named, strict=True):
        assert {k: v for k, v in row.items() if k not in ("provider", "provider_id", "time")} == {
            k: v for k, v in case.items() if k != "provider"
        }
        assert row["provider"] == "" and row["provider_id"] in providers
        assert bool(row["time"]) == (case["provider"] == "partially")
    for nihii in providers:
        assert parse_nihii(nihii).warnings() == []  # valid check digits
    refused = {r["nihii"] for r in _rows(data.path(gen.ADHERENCE_FILE)) if r["status"] == "refused"}
    assert {r["provider_id"] for r in named if r["charged"]} <= refused


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("bench")
    return bench.run_benchmarks(
        quick=True, sizes=TINY, repeats=ONCE, work_dir=work, output=work / "results.json"
    )


def test_every_scenario_is_reported(report: dict[str, Any]) -> None:
    keys = [r["key"] for r in report["results"]]
    expected = [k for k, _ in bench.SCENARIOS]
    expected.insert(expected.index("tariff-import") + 1, "tariff-import-peer")
    assert keys == expected
    assert report["mode"] == "quick"
    assert report["sizes"]["codes"] == TINY.codes
    assert {"cpu", "nproc", "python", "sqlite"} <= set(report["machine"])


def test_results_have_their_fields(report: dict[str, Any]) -> None:
    fields = set(bench.Result.__dataclass_fields__)
    for result in report["results"]:
        assert set(result) == fields
        assert result["median_s"] > 0
        assert result["runs_s"] and all(t > 0 for t in result["runs_s"])
        assert result["floor"] and result["target"]
        assert result["met"] in (None, True, False)
        if result["floor_s"] is not None:
            assert result["ratio"] == pytest.approx(result["median_s"] / result["floor_s"])
        if result["throughput"] is not None:
            assert result["throughput"] == pytest.approx(result["size"] / result["median_s"])
    by_key = {r["key"]: r for r in report["results"]}
    for key in ("help", "version", "show", "insured", "reimburse", "reimburse-niss"):
        assert by_key[key]["met"] is not None  # ratio targets hold at any size
        assert by_key[key]["floor_s"] is not None
    size_bound = ("tariff-import", "person-import", "reimburse-batch", "insured-batch", "search")
    for key in (*size_bound, "control-audit", "reimburse-batch-realistic"):
        assert by_key[key]["met"] is None  # size-bound targets are not judged on tiny data
    assert by_key["control-audit"]["size"] == TINY.cases
    assert by_key["tariff-import"]["size"] == TINY.tariff_rows
    assert by_key["person-import"]["size"] == TINY.persons
    assert "flat" in by_key["insured-batch"]["note"] or "grows" in by_key["insured-batch"]["note"]


def test_the_provider_batch_is_judged_on_alternated_runs(report: dict[str, Any]) -> None:
    note = next(r for r in report["results"] if r["key"] == "reimburse-batch-provider")["note"]
    assert "of the reimburse batch's throughput, alternated (" in note
    assert note.count("%") == bench.ALTERNATED_PAIRS + 2  # each pair, the median, apart


def test_alternated_shares_put_each_side_first_in_turn() -> None:
    from types import SimpleNamespace

    calls: list[tuple[str, str]] = []

    class Stub:
        def spawn(self, argv: list[str], db: str, expect: Any) -> Any:
            calls.append((argv[0], db))
            return SimpleNamespace(seconds={"base": 10.0, "mine": 12.5}[argv[0]])

    shares = bench.Bench.alternated_shares(Stub(), (["base"], "db1"), (["mine"], "db2"))  # type: ignore[arg-type]
    assert calls[:4] == [("base", "db1"), ("mine", "db2"), ("mine", "db2"), ("base", "db1")]
    assert shares == [0.8] * bench.ALTERNATED_PAIRS


def test_report_is_written_and_rendered(report: dict[str, Any]) -> None:
    saved = json.loads(Path(report["output"]).read_text(encoding="utf-8"))
    assert saved["results"] == report["results"]
    results = [bench.Result(**r) for r in report["results"]]
    text = bench.table(results)
    assert text.splitlines()[0].split()[:3] == ["scenario", "size", "median"]
    for result in results:
        assert result.scenario in text
    assert len(bench.markdown(results).splitlines()) == len(results) + 2


def test_only_selects_scenarios_by_name() -> None:
    assert [k for k, _ in bench.select(["import"])] == [
        "tariff-import",
        "person-import",
        "entitlement-import",
    ]
    assert [k for k, _ in bench.select([])] == [k for k, _ in bench.SCENARIOS]
    with pytest.raises(SystemExit):
        bench.select(["no-such-scenario"])


def test_command_line_prints_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    argv = ["--quick", "--only", "version", "--work-dir", str(tmp_path), "--output", str(out)]
    assert bench.main(argv) == 0
    printed = capsys.readouterr().out
    assert "inami --version (cold)" in printed
    assert [r["key"] for r in json.loads(out.read_text(encoding="utf-8"))["results"]] == ["version"]
