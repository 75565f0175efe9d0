"""``inami control audit`` writes exactly the bytes it wrote when its output was frozen.

``tests/data/make_audit_golden.py`` made the generated input and froze what the audit
wrote, before its speed-up (issue 18, issue 19: batches by design), for the demo billing
file and for 5 000 generated lines: findings, warnings, summary and exit code, in CSV, JSON
and ndjson. Any change of design (cached answers, per-chunk look-ups, worker processes)
must keep them; the ``parallel`` runs put the small inputs on the worker processes.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import assert_same_text, mask_seconds, run_captured

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = DATA.parent.parent
DEMO = ROOT / "fixtures" / "billing_demo.csv"
GENERATED = DATA / "audit_generated.csv"


@dataclass(frozen=True)
class Variant:
    """One frozen run: the input, the arguments after ``control audit FILE``."""

    name: str
    input: Path
    args: tuple[str, ...]
    out_file: bool = False


VARIANTS = (
    Variant("demo-csv", DEMO, ("--billed-on", "2025-04-01", "--format", "csv")),
    Variant("demo-json", DEMO, ("--billed-on", "2025-04-01", "--format", "json")),
    Variant("generated-csv", GENERATED, ("--billed-on", "2026-03-31", "--format", "csv")),
    Variant("generated-json", GENERATED, ("--billed-on", "2026-03-31", "--format", "json")),
    Variant(
        "generated-ndjson-out",
        GENERATED,
        ("--billed-on", "2026-03-31", "--format", "ndjson", "--fail-on-findings"),
        out_file=True,
    ),
)


def expected_path(variant: Variant) -> Path:
    """Where the frozen output of *variant* is kept."""
    return DATA / f"audit_golden_{variant.name}.txt.gz"


def run_variant(variant: Variant, db_url: str, tmp: Path) -> str:
    """Exit code, stderr and data written by one variant, the paths replaced."""
    out = tmp / "findings.out"
    out.unlink(missing_ok=True)
    args = ["--db", db_url, "--verbose", "control", "audit", str(variant.input), *variant.args]
    if variant.out_file:
        args += ["--out", str(out)]
    stdout, stderr, code = run_captured(args)
    if variant.out_file:
        stdout = f"{stdout}--- {out.name}\n{out.read_text(encoding='utf-8')}"
    text = f"exit {code}\n--- stderr\n{stderr}--- stdout\n{stdout}"
    return mask_seconds(text.replace(str(variant.input), "<input>"))


def frozen(variant: Variant) -> str:
    """The frozen output of *variant* (gzip: the JSON of 5 000 lines is a few MB)."""
    return gzip.decompress(expected_path(variant).read_bytes()).decode("utf-8")


@pytest.mark.parametrize("workers", ["serial", "parallel"])
@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_audit_output_is_byte_identical(
    variant: Variant, workers: str, demo_db_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    if workers == "serial":
        monkeypatch.setenv("INAMI_BATCH_WORKERS", "1")
    else:  # small chunks and no threshold: the worker processes run on these small inputs
        monkeypatch.setenv("INAMI_BATCH_WORKERS", "2")
        monkeypatch.setenv("INAMI_BATCH_MIN_ROWS", "0")
        monkeypatch.setenv("INAMI_BATCH_CHUNK", "97")
    assert_same_text(variant.name, run_variant(variant, demo_db_url, tmp_path), frozen(variant))


def test_the_golden_inputs_cover_the_rules() -> None:
    """The frozen runs hold findings of many rules, malformed lines and history (no vacuous
    golden file)."""
    run = frozen(VARIANTS[2])
    assert run.startswith("exit 2\n")  # malformed lines
    assert "<input>:" in run and GENERATED.read_text(encoding="utf-8").count("\n") > 5_000
    rules = {line.split(",")[6] for line in run.splitlines() if line.startswith("<input>,")}
    assert len(rules) >= 8, sorted(rules)
