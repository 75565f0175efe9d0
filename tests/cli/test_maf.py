"""``inami maf`` through the real command, on the demo database."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any


def test_compute_and_status_on_the_demo(demo_cli: Any) -> None:
    result = demo_cli("maf", "compute", "H1", "--year", "2024", "--explain", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert (data["eligible_total"], data["refund_total"]) == (Decimal("865.12"), Decimal("118.46"))
    income = data["ceilings"][0]
    assert (income["kind"], income["applies"], income["reached_on"]) == (
        "income", Decimal("746.66"), "2024-10-03",
    )  # fmt: skip
    assert data["derived_parameters"] == ["2024 child_ceiling"]
    assert result.stderr.count("\n") == 1 and "derived (unpublished)" in result.stderr
    reasons = {e["reason"] for e in data["excluded"]}
    assert "supplement: never counts" in reasons
    assert any(s["reliability"] == "derived" for s in data["explanation"])

    strict = demo_cli("maf", "compute", "H1", "--year", "2024", "--strict")
    assert strict.exit_code == 4 and "2024 child_ceiling" in strict.stderr

    status = demo_cli("maf", "status", "72110313704", "--year", "2024", "--on", "2024-09-30")
    assert status.exit_code == 0
    assert status.stdout.strip() == (
        "Marc Verhaegen has paid 707.02 € of the 746.66 € ceiling (income MAF, household H1, 2024)."
    )
    by_niss = demo_cli("maf", "compute", "--niss", "85061508234", "--year", "2024",
                       "--format", "json")  # fmt: skip
    assert by_niss.json()["ceilings"][0]["kind"] == "social"

    table = demo_cli("maf", "compute", "H1", "--year", "2024", "--explain",
                     env={"COLUMNS": "80"})  # fmt: skip
    widest = max(len(line) for line in table.stdout.splitlines() if not line.startswith(" "))
    assert widest <= 100


def test_household_and_counter_commands(demo_cli: Any, tmp_path: Path) -> None:
    added = demo_cli("maf", "household", "add", "--year", "2024", "--member", "60013021159",
                     "--format", "json")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert added.json()["household"] == "H3"
    income = demo_cli("maf", "household", "set-income", "H3", "--year", "2024",
                      "--net-taxable", "12000", "--format", "json")  # fmt: skip
    assert income.json()["income"] == Decimal("12000.00") and income.json()["income_year"] == 2022
    counter = demo_cli("maf", "counter", "add", "--niss", "60013021159", "--date", "2024-05-02",
                       "--kind", "hospital-day", "--tm", "19.62", "--quantity", "15",
                       "--format", "json")  # fmt: skip
    assert counter.exit_code == 0 and counter.json()["total"] == Decimal("294.30")
    status = demo_cli("maf", "status", "60013021159", "--year", "2024", "--format", "json")
    data = status.json()
    assert (data["ceiling"], data["refund"]) == (Decimal("254.99"), Decimal("39.31"))

    listed = demo_cli("maf", "counter", "list", "--household", "H3", "--year", "2024",
                      "--format", "json")  # fmt: skip
    assert [c["kind"] for c in listed.json()] == ["hospital-day"]
    removed = demo_cli("maf", "counter", "remove", str(listed.json()[0]["id"]))
    assert removed.exit_code == 0

    file = tmp_path / "counters.csv"
    file.write_text("niss,date,kind,tm\n60013021159,2024-06-01,drug-A,5.00\n", encoding="utf-8")
    dry = demo_cli("maf", "counter", "import", str(file), "--dry-run", "--format", "json")
    assert dry.exit_code == 0 and dry.json()["inserted"] == 1 and dry.json()["dry_run"] is True
    done = demo_cli("maf", "counter", "import", str(file), "--format", "json")
    again = demo_cli("maf", "counter", "import", str(file), "--format", "json")
    assert (done.json()["inserted"], again.json()["unchanged"]) == (1, 1)

    gone = demo_cli("maf", "household", "remove", "H3", "--year", "2024")
    assert gone.exit_code == 0
    assert demo_cli("maf", "household", "show", "H3", "--year", "2024").exit_code == 3


def test_maf_bad_input(demo_cli: Any, tmp_path: Path) -> None:
    no_year = demo_cli("maf", "compute", "H1", "--no-input")
    assert no_year.exit_code == 2 and "--year" in no_year.stderr
    unknown = demo_cli("maf", "compute", "H9", "--year", "2024")
    assert unknown.exit_code == 3 and "no MAF household H9 in 2024" in unknown.stderr
    nobody = demo_cli("maf", "status", "60013021159", "--year", "2024")
    assert nobody.exit_code == 3 and "in no MAF household" in nobody.stderr
    twice = demo_cli("maf", "household", "add", "--year", "2024", "--member", "72110313704")
    assert twice.exit_code == 4 and "already belongs to household H1" in twice.stderr
    bad_niss = demo_cli("maf", "household", "add", "--year", "2024", "--member", "72110313705")
    assert bad_niss.exit_code == 2 and "check digits" in bad_niss.stderr
    missing_param = demo_cli("maf", "household", "add", "--year", "2021", "--member",
                             "72110313704")  # fmt: skip
    assert missing_param.exit_code == 0
    demo_cli("maf", "household", "set-income", "H1", "--year", "2021", "--net-taxable", "1000")
    gap = demo_cli("maf", "compute", "H1", "--year", "2021")
    assert gap.exit_code == 3 and "ceiling.1 for 2021 is not recorded" in gap.stderr
    kind = demo_cli("maf", "counter", "add", "--niss", "72110313704", "--date", "2024-01-02",
                    "--kind", "drug-D", "--tm", "1")  # fmt: skip
    assert kind.exit_code == 2 and "expected one of" in kind.stderr
    both = demo_cli("maf", "household", "set-income", "H1", "--year", "2024",
                    "--net-taxable", "1", "--letter", "C")  # fmt: skip
    assert both.exit_code == 2 and "one of them" in both.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("niss,date,kind,tm\n72110313704,2024-02-30,drug-A,1\n"
                   "72110313704,2024-02-01,drug-A,-1\n", encoding="utf-8")  # fmt: skip
    result = demo_cli("maf", "counter", "import", str(bad))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:3: ") and lines[1].startswith(f"inami: error: {bad}:2: ")
    params = demo_cli("maf", "params", "list", "--year", "2024", "--name", "ceiling.*",
                      "--format", "json")  # fmt: skip
    assert params.json()[0]["value"] == "254.99"
