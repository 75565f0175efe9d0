"""The batch commands write exactly the bytes they wrote when their output was frozen.

``tests/data/make_batch_golden.py`` made the mixed inputs (every demo code around each
boundary, persons by NISS and profiles given, every provider, amounts, bad rows) and froze
what ``reimburse batch``, ``insured batch`` and ``indemnity batch`` wrote for them: data,
warnings, summary and exit code. Any speed-up (caches, pre-rendered fragments, worker
processes) must keep them. The variants with a small ``chunk`` run the parallel path on
these small inputs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import assert_same_text, mask_seconds, run_captured

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Variant:
    """One frozen run: the command's arguments after ``inami``, its input, its settings."""

    name: str
    args: tuple[str, ...]
    input: str  # a file name in tests/data
    language: str = "fr"
    out_file: bool = False  # --out FILE (else stdout)
    stdin: bool = True  # read '-' (else the file's path, shown as <input> in warnings)


REIMBURSE = "batch_reimburse_mixed.csv"
INSURED = "batch_insured_mixed.txt"
INDEMNITY = "batch_indemnity_mixed.csv"
VARIANTS = (
    Variant("reimburse-csv", ("reimburse", "batch", "-", "--format", "csv"), REIMBURSE),
    Variant("reimburse-ndjson", ("reimburse", "batch", "-", "--format", "json"), REIMBURSE),
    Variant(
        "reimburse-nl-out",
        ("reimburse", "batch", "<input>", "--format", "ndjson"),
        REIMBURSE,
        language="nl",
        out_file=True,
        stdin=False,
    ),
    Variant("reimburse-table", ("reimburse", "batch", "<input>"), REIMBURSE, stdin=False),
    Variant("insured-csv", ("insured", "batch", "-", "--date", "2026-03-02"), INSURED),
    Variant(
        "insured-ndjson",
        ("insured", "batch", "<input>", "--date", "2026-03-02", "--format", "ndjson"),
        INSURED,
        out_file=True,
        stdin=False,
    ),
    Variant("indemnity-csv", ("indemnity", "batch", "-", "--format", "csv"), INDEMNITY),
    Variant(
        "indemnity-ndjson",
        ("indemnity", "batch", "<input>", "--format", "ndjson"),
        INDEMNITY,
        out_file=True,
        stdin=False,
    ),
    # last: it writes care records into the database
    Variant(
        "reimburse-record", ("reimburse", "batch", "-", "--record", "--format", "csv"), REIMBURSE
    ),
)


def expected_path(variant: Variant) -> Path:
    """Where the frozen output of *variant* is kept."""
    return DATA / f"batch_golden_{variant.name}.txt"


def run_variant(variant: Variant, db_url: str, tmp: Path) -> tuple[str, str, int]:
    """(data written, stderr, exit code) of one variant, paths replaced by placeholders."""
    source = DATA / variant.input
    config = tmp / f"inami-{variant.language}.toml"
    config.write_text(f'[locale]\nlanguage = "{variant.language}"\n', encoding="utf-8")
    out = tmp / "results.out"
    out.unlink(missing_ok=True)
    args = [a.replace("<input>", str(source)) for a in variant.args]
    if variant.out_file:
        args += ["--out", str(out)]
    text = source.read_text(encoding="utf-8") if variant.stdin else None
    # --verbose: every row's warning, as frozen (past ten they are otherwise summed up)
    stdout, stderr, code = run_captured(
        ["--db", db_url, "--verbose", *args], stdin=text, env={"INAMI_CONFIG": str(config)}
    )
    if variant.out_file:  # the summary may be on stdout: keep both
        stdout = f"{stdout}--- {out.name}\n{out.read_text(encoding='utf-8')}"
    # the summary's "seconds" (issue 17) is the only figure that differs from run to run
    stdout, stderr = mask_seconds(stdout), mask_seconds(stderr)
    return stdout, stderr.replace(str(source), "<input>"), code


def _frozen(variant: Variant) -> str:
    return expected_path(variant).read_text(encoding="utf-8")


@pytest.mark.parametrize("chunk", [None, 97], ids=["serial", "parallel"])
@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_batch_output_is_byte_identical(
    variant: Variant,
    chunk: int | None,
    demo_db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if chunk is not None:
        # small chunks and no size threshold: the worker processes run on this small input
        monkeypatch.setenv("INAMI_BATCH_CHUNK", str(chunk))
        monkeypatch.setenv("INAMI_BATCH_MIN_ROWS", "0")
    stdout, stderr, code = run_variant(variant, demo_db_url, tmp_path)
    got = f"exit {code}\n--- stderr\n{stderr}--- stdout\n{stdout}"
    assert_same_text(variant.name, got, _frozen(variant))


def test_the_golden_inputs_cover_the_cases() -> None:
    """The frozen runs contain refusals, row errors and every status (no vacuous files)."""
    csv_run = _frozen(VARIANTS[0])
    assert "exit 2" in csv_run  # malformed rows among them (issue 17: exit 2)
    for needle in (",refused,9", ",ok,", "is not in the nomenclature", "deceased"):
        assert needle in csv_run, needle
    assert re.search(r"^inami: warning: -:\d+: ", csv_run, re.M)  # row errors name their line
    assert ",002," not in csv_run  # no history without --record ...
    record_run = _frozen(VARIANTS[-1])
    assert "recorded" in record_run and "--record needs a niss" in record_run
    insured = _frozen(VARIANTS[4])
    assert ",yes,300," in insured and "unknown" in insured and "bad check digits" in insured
    assert os.path.getsize(DATA / REIMBURSE) > 50_000
    indemnity = _frozen(VARIANTS[6])
    for phase in ("guaranteed-wage", "not-paid", "primary-minimum", "invalidity-minimum"):
        assert f",{phase}," in indemnity, phase
    for needle in ("has no incapacity recorded", "is not one of", "no value on"):
        assert needle in indemnity, needle


def test_a_big_reimburse_batch_on_workers_writes_what_one_process_writes(
    demo_db_url: str, tmp_path: Path
) -> None:
    import subprocess
    import sys

    from inami_cli.services.reimbursement._batch_run import MIN_ROWS_HERE

    # issue 19: past MIN_ROWS_HERE lines (20 000, the default) the rest goes to forked
    # workers; the real command, as a cron job runs it, with and without them
    header, *rows = (DATA / REIMBURSE).read_text(encoding="utf-8").splitlines(keepends=True)
    copies = MIN_ROWS_HERE // len(rows) + 2
    source = tmp_path / "big.csv"
    source.write_text(header + "".join(rows * copies), encoding="utf-8")
    inami = str(Path(sys.executable).with_name("inami"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("INAMI_")}
    config = tmp_path / "inami.toml"
    config.write_text("", encoding="utf-8")
    env["INAMI_CONFIG"] = str(config)
    got = []
    for workers in ("1", "2"):
        done = subprocess.run(
            [inami, "--db", demo_db_url, "reimburse", "batch", str(source), "--format", "csv"],
            env={**env, "INAMI_BATCH_WORKERS": workers},
            capture_output=True,
            text=True,
            check=False,
        )
        got.append((done.returncode, done.stdout, mask_seconds(done.stderr)))
    assert got[0][1].count("\n") > MIN_ROWS_HERE + 1000
    assert got[0] == got[1]
