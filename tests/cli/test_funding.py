"""``inami funding`` through the real command, on the demo database (2026 inputs)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any


def test_funding_on_the_demo(demo_cli: Any, tmp_path: Path) -> None:
    share = demo_cli("funding", "share", "--year", "2026", "--format", "json")
    assert share.exit_code == 0, share.stderr
    data = share.json()
    assert sum(r["budget"] for r in data["insurers"]) == Decimal("40986000000.00")
    assert data["objective_reliability"] == "official"

    advance = demo_cli("funding", "advance", "--year", "2026", "--insurer", "300",
                       "--format", "json")  # fmt: skip
    rows = advance.json()["insurers"]
    assert len(rows) == 12 and rows[0]["payment_date"] == "2026-01-30"
    assert sum(r["advance"] for r in rows) == Decimal("11066220000.00")

    resp = demo_cli("funding", "responsibility", "--year", "2026", "--mode", "individual",
                    "--mali-cap", "2", "--format", "json")  # fmt: skip
    assert resp.exit_code == 0 and resp.stderr == ""
    by = {r["insurer_code"]: r for r in resp.json()["insurers"]}
    assert by["200"]["kind"] == "mali" and by["200"]["kept_or_borne"] < 0

    warned = demo_cli("funding", "responsibility", "--year", "2026", "--mode", "individual")
    assert warned.exit_code == 0 and "no mali cap recorded" in warned.stderr

    budget = demo_cli("funding", "budget", "set", "--year", "2027", "--objective",
                      "42000000000", "--source", "test", "--reliability", "secondary",
                      "--format", "json")  # fmt: skip
    assert budget.json()["action"] == "insert"


def test_funding_bad_input(demo_cli: Any, tmp_path: Path) -> None:
    no_objective = demo_cli("funding", "share", "--year", "2024")
    assert no_objective.exit_code == 3 and "no budget objective recorded for 2024" in (
        no_objective.stderr
    )
    no_year = demo_cli("funding", "advance", "--no-input")
    assert no_year.exit_code == 2 and "--year" in no_year.stderr
    file = tmp_path / "in.csv"
    file.write_text("insurer_code,budgeted\n100,abc\n", encoding="utf-8")
    bad = demo_cli("funding", "input", "import", str(file), "--year", "2027")
    assert bad.exit_code == 2 and f"{file}:2: budgeted" in bad.stderr
    rate = demo_cli("funding", "responsibility", "--year", "2026", "--rate", "120")
    assert rate.exit_code == 2 and "--rate" in rate.stderr
    mode = demo_cli("funding", "responsibility", "--year", "2026", "--mode", "both")
    assert mode.exit_code == 2 and "--mode" in mode.stderr
    source = demo_cli("funding", "budget", "set", "--year", "2030", "--objective", "1")
    assert source.exit_code == 2 and "--source" in source.stderr


def test_funding_import_lists_the_problems_after_the_first(demo_cli: Any, tmp_path: Path) -> None:
    file = tmp_path / "in.csv"
    file.write_text("insurer_code,budgeted\n100,abc\n200,xyz\n", encoding="utf-8")
    bad = demo_cli("funding", "input", "import", str(file), "--year", "2027")
    assert bad.exit_code == 2
    # the first problem is named once, by the error line; the others each on their line
    assert bad.stderr.count(f"{file}:2: ") == 1 and f"{file}:3: budgeted" in bad.stderr
    assert bad.stderr.splitlines()[-1].startswith(f"inami: error: {file}:2: budgeted")


def test_funding_import_dry_run_lists_each_change(demo_cli: Any, tmp_path: Path) -> None:
    file = tmp_path / "in.csv"
    file.write_text("insurer_code,budgeted\n100,1000.00\n", encoding="utf-8")
    dry = demo_cli("funding", "input", "import", str(file), "--year", "2026", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert dry.stdout.startswith("~ funding_input 2026 100: budgeted 16394400000.00")
    assert f"would import {file}: 0 inserted, 1 updated, 0 unchanged" in dry.stderr
    args = ("--format", "json", "funding", "input", "import", str(file), "--year", "2031")
    new = demo_cli(*args, "--dry-run")
    assert "+ funding_input 2031 100: budgeted 1000.00\n" in new.stderr  # JSON keeps stdout
    assert demo_cli(*args).stdout.count('"inserted": 1') == 1  # the dry run wrote nothing
