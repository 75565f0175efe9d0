"""``inami nomenclature act-rules`` and the engine applying the rules in force on the date
of the case (the real commands, demo data: 301593 and its dated age limits)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _case(demo: Any, day: str, age: str) -> dict[str, Any]:
    result = demo(
        "reimburse", "301593", "--date", day, "--regime", "ordinary", "--age", age, "--explain",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.stderr
    return dict(result.json()[0])


def test_demo_periods_and_show_history(demo: Any) -> None:
    listed = demo("nomenclature", "act-rules", "list", "301593", "--format", "json").json()
    assert [(p["valid_from"], p["valid_to"], p["max_age"]) for p in listed] == [
        ("2022-06-01", "2023-08-31", 66),
        ("2023-09-01", None, None),
    ]
    shown = demo(
        "nomenclature", "show", "301593", "--date", "2022-07-01", "--history", "--format", "json"
    ).json()
    assert [p["valid_from"] for p in shown["rule_history"]] == ["2022-06-01", "2023-09-01"]
    table = demo("nomenclature", "show", "301593", "--date", "2022-07-01", "--history")
    assert "ages 18 to 66, 1 per calendar_year" in table.stdout


def test_the_engine_applies_the_rules_in_force_on_the_date(demo: Any) -> None:
    # a 2024 tariff for 301593 (invented amounts for the test): the rules decide the answer
    added = demo(
        "nomenclature", "set-tariff", "301593", "--from", "2024-01-01", "--fee", "68.00",
        "--reimbursement", "ordinary=64.50", "--reimbursement", "preferential=68.00",
        "--source", "test",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    old = _case(demo, "2022-07-01", "70")
    assert old["refusal_code"] == "902" and "ages 18 to 66" in old["refusal_reason"]
    new = _case(demo, "2024-03-01", "70")
    assert new["status"] == "ok", new
    step = next(s for s in new["explanation"] if s["what"] == "act rules of 301593")
    assert step["valid_from"] == "2023-09-01" and "vandenbroucke" in step["source"]
    # a later change does not rewrite the past: the 2022 answer stays
    later = demo(
        "nomenclature", "act-rules", "set", "301593", "--from", "2025-01-01", "--min-age", "18",
        "--max-age", "79", "--max-per-period", "1", "--frequency-period", "calendar_year",
        "--source", "test change",
    )  # fmt: skip
    assert later.exit_code == 0, later.stderr
    assert _case(demo, "2022-07-01", "70")["refusal_code"] == "902"
    assert _case(demo, "2024-03-01", "80")["status"] == "ok"
    assert _case(demo, "2025-03-01", "80")["refusal_code"] == "902"
    past = demo("nomenclature", "act-rules", "set", "301593", "--from", "2023-01-01")
    assert past.exit_code == 4 and "the past is not rewritten" in past.stderr
    # single and batch agree
    cases = "code,date,regime,age\n" + "".join(
        f"301593,{d},ordinary,{a}\n"
        for d, a in (("2022-07-01", "70"), ("2024-03-01", "80"), ("2025-03-01", "80"))
    )
    # --format json: one array (issue 17)
    rows = demo("reimburse", "batch", "-", "--format", "json", input=cases).json()
    assert [r["refusal_code"] for r in rows] == ["902", None, "902"]


def test_import_all_or_nothing(demo: Any, tmp_path: Path) -> None:
    source = tmp_path / "rules.csv"
    source.write_text(
        "code,valid_from,valid_to,min_age,max_age,max_per_period,frequency_period,source\n"
        "371615,2022-06-01,,,17,1,calendar_year,CM 2022\n"
        "371615,2024-01-01,,,17,1,week,bad\n"
        "999996,2024-01-01,,,,,,unknown\n",
        encoding="utf-8",
    )
    bad = demo("nomenclature", "act-rules", "import", str(source))
    assert bad.exit_code == 2
    assert f"{source}:3: frequency_period 'week'" in bad.stderr
    source.write_text(
        source.read_text()
        .replace(",week,", ",calendar_year,")
        .replace("2022-06-01,", "2022-06-01,2023-12-31"),
        encoding="utf-8",
    )
    unknown = demo("nomenclature", "act-rules", "import", str(source))
    assert unknown.exit_code == 2 and f"{source}:4: code 999996" in unknown.stderr
    assert demo("nomenclature", "act-rules", "list", "371615", "--format", "json").json() == []
    lines = source.read_text().splitlines()[:-1]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    good = demo("nomenclature", "act-rules", "import", str(source), "--format", "json")
    assert good.exit_code == 0, good.stderr
    assert good.json()["inserted"] == 2
    again = demo("nomenclature", "act-rules", "import", str(source), "--format", "json")
    assert again.json()["unchanged"] == 2
