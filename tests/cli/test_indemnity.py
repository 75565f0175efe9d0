"""The indemnity commands as users run them: exit codes, JSON on stdout, one-line stderr."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import mask_seconds

ANOUK, LUC, NADIA = "88041212236", "65090307106", "79112120429"
CASE = [
    "--scheme",
    "employee",
    "--incapacity-start",
    "2024-03-04",
    "--on",
    "2024-04-15",
    "--family-situation",
    "isolated",
]


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_compute_published_maximum(demo_cli: Any) -> None:
    result = demo_cli("--format", "json", "indemnity", "compute", *CASE, "--gross-daily", "250")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["daily_amount"] == Decimal("107.73") and data["phase"] == "primary"
    assert data["reliability"] == "fund" and data["derived_parameters"] == []
    assert "derived" not in result.stderr


def test_compute_derived_figure_warns_once_and_strict_refuses(demo_cli: Any) -> None:
    result = demo_cli(
        "--format", "json", "indemnity", "compute", LUC, "--on", "2026-03-02", "--explain"
    )
    assert result.exit_code == 0
    data = result.json()
    assert data["reliability"] == "derived"
    assert {s["reliability"] for s in data["explanation"] if s["parameter"]} >= {"derived"}
    assert _one_line(result.stderr).startswith(
        "inami: warning: uses derived parameter(s), not published figures: "
        "employee.minimum.regular.cohabitant 2026-03-01.."
    )
    strict = demo_cli("indemnity", "compute", LUC, "--on", "2026-03-02", "--strict")
    assert strict.exit_code == 4
    assert _one_line(strict.stderr).startswith("inami: error: --strict: the computation needs")


def test_compute_explain_table_fits_a_terminal(demo_cli: Any) -> None:
    result = demo_cli("indemnity", "compute", ANOUK, "--on", "2026-03-02", "--explain")
    assert result.exit_code == 0
    assert "Explanation:" in result.stdout
    assert "employee.wage_ceiling.6day 2025-01-01.. [derived]" in result.stdout


def test_date_before_any_parameter_is_exit_3_naming_it(demo_cli: Any) -> None:
    result = demo_cli(
        "indemnity",
        "compute",
        "--scheme",
        "employee",
        "--incapacity-start",
        "2018-01-08",
        "--on",
        "2018-03-01",
        "--family-situation",
        "family",
        "--gross-daily",
        "100",
    )
    assert result.exit_code == 3
    assert "parameter employee.primary.duration_months: no value on 2018-03-01" in result.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--gross-daily", "-5"], "--gross-daily: '-5' is negative"),
        (["--gross-daily", "abc"], "--gross-daily: 'abc' is not a number"),
        (["--gross-daily", "100", "--family-situation", "married"], "--family-situation"),
        (["--gross-daily", "100", "--incapacity-end", "2024-01-01"], "ends (2024-01-01) before"),
        (["--gross-daily", "100", "--on", "15/13/2024"], "--on: '15/13/2024' is not a date"),
    ],
)
def test_compute_bad_input_is_exit_2(demo_cli: Any, extra: list[str], message: str) -> None:
    result = demo_cli("indemnity", "compute", *CASE, *extra)
    assert result.exit_code == 2
    assert message in _one_line(result.stderr)


def test_compute_missing_wage_names_the_flag(demo_cli: Any) -> None:
    result = demo_cli("indemnity", "compute", *CASE)
    assert result.exit_code == 2
    assert _one_line(result.stderr).endswith("pass --gross-daily or --gross-monthly")


def test_compute_unknown_person_spell_is_exit_3(demo_cli: Any) -> None:
    result = demo_cli("indemnity", "compute", "85061508234", "--on", "2026-03-02")
    assert result.exit_code == 3
    assert "no incapacity recorded on 2026-03-02" in result.stderr


def test_period_with_net(demo_cli: Any) -> None:
    result = demo_cli(
        "--format",
        "json",
        "indemnity",
        "period",
        ANOUK,
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        "--net",
    )
    assert result.exit_code == 0, result.stderr
    data = result.json()
    # 1-2 January (the first spell), then from the relapse on 12 January; no Sundays
    assert data["paid_days"] == 20 and data["gross"] == Decimal("1800.00")
    assert data["net"] == Decimal("1600.02")
    assert [(line["from"], line["to"]) for line in data["lines"]] == [
        ("2026-01-01", "2026-01-02"),
        ("2026-01-12", "2026-01-31"),
    ]


def test_period_end_before_start(demo_cli: Any) -> None:
    result = demo_cli("indemnity", "period", ANOUK, "--from", "2026-02-01", "--to", "2026-01-01")
    assert result.exit_code == 2 and "before --from" in result.stderr


def test_stage_exit_codes(demo_cli: Any) -> None:
    met = demo_cli(
        "--format",
        "json",
        "indemnity",
        "stage",
        "--start",
        "2026-01-12",
        "--days-worked",
        "170",
        "--assimilated-days",
        "15",
    )
    assert met.exit_code == 0 and met.json()["met"] is True
    short = demo_cli("indemnity", "stage", "--start", "2026-01-12", "--days-worked", "100")
    assert short.exit_code == 1
    missing = demo_cli("indemnity", "stage", "--days-worked", "100")
    assert missing.exit_code == 2 and "pass --start" in missing.stderr


def test_episode_add_list_end_audited(demo_cli: Any) -> None:
    added = demo_cli(
        "--format",
        "json",
        "indemnity",
        "episode",
        "add",
        "92063031679",
        "--scheme",
        "employee",
        "--from",
        "2026-02-02",
        "--family-situation",
        "family",
        "--gross-daily",
        "120",
    )
    assert added.exit_code == 0, added.stderr
    assert added.json()["episode_start"] == "2026-02-02"
    overlap = demo_cli(
        "indemnity", "episode", "add", "92063031679", "--scheme", "employee", "--from", "2026-02-10"
    )
    assert overlap.exit_code == 4
    ended = demo_cli(
        "--format", "json", "indemnity", "episode", "end", "92063031679", "--date", "2026-02-20"
    )
    assert ended.json()["valid_to"] == "2026-02-20"
    audit = demo_cli("--format", "json", "audit", "log", "--entity", "incapacity_spell")
    assert [row["action"] for row in audit.json()[:2]] == ["update", "insert"]
    missing = demo_cli("indemnity", "episode", "add", "92063031679", "--from", "2026-05-01")
    assert missing.exit_code == 2 and "pass --scheme" in missing.stderr


def test_params_list_set_import(demo_cli: Any, tmp_path: Path) -> None:
    listed = demo_cli(
        "--format",
        "json",
        "indemnity",
        "params",
        "list",
        "--on",
        "2026-03-02",
        "--name",
        "employee.minimum.regular.*",
    )
    assert [r["value"] for r in listed.json()] == ["55.11", "81.10", "64.27"]
    assert listed.json()[0]["source"].startswith("https://")
    setting = demo_cli(
        "indemnity",
        "params",
        "set",
        "employee.minimum.month3",
        "--from",
        "2026-01-01",
        "--value",
        "64",
        "--unit",
        "EUR/day",
        "--source",
        "https://example.org/inami",
    )
    assert setting.exit_code == 0, setting.stderr
    bad = tmp_path / "p.csv"
    bad.write_text(
        "name,valid_from,valid_to,value,unit,source,reliability\n"
        "x.y,2026-01-01,,1,ratio,https://x,guess\n",
        encoding="utf-8",
    )
    result = demo_cli("indemnity", "params", "import", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:2: reliability 'guess'" in result.stderr
    good = tmp_path / "ok.csv"
    good.write_text(
        "name,valid_from,valid_to,value,unit,source,reliability\n"
        "x.y,2026-01-01,,1,ratio,https://x,official\n",
        encoding="utf-8",
    )
    dry = demo_cli("--format", "json", "indemnity", "params", "import", str(good), "--dry-run")
    assert dry.json()["inserted"] == 1 and dry.stderr.startswith("+ x.y 2026-01-01: 1")
    done = demo_cli("--format", "json", "indemnity", "params", "import", str(good))
    assert done.json()["inserted"] == 1
    again = demo_cli("--format", "json", "indemnity", "params", "import", str(good))
    assert again.json()["unchanged"] == 1


def test_batch_rows_and_errors(demo_cli: Any, tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "on;niss;scheme;incapacity_start;family_situation;gross_daily\n"
        f"2026-03-02;{ANOUK};;;;\n"
        "2024-04-15;;employee;2024-03-04;isolated;-3\n",
        encoding="utf-8",
    )
    result = demo_cli("--format", "ndjson", "indemnity", "batch", str(cases))
    assert result.exit_code == 2  # issue 17: a malformed row is exit 2, the rest computed
    (row,) = result.ndjson()
    assert row["line"] == 2 and row["daily_amount"] == Decimal("90.00") and row["derived"] is True
    assert f"{cases}:3: gross_daily: '-3' is negative" in result.stderr


def test_batch_missing_column(demo_cli: Any, tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text("niss,scheme\n", encoding="utf-8")
    result = demo_cli("indemnity", "batch", str(cases))
    assert result.exit_code == 2
    assert _one_line(result.stderr) == f"inami: error: {cases}:1: missing column(s) on"


def test_maternity_plan_and_compute(demo_cli: Any) -> None:
    plan = demo_cli(
        "--format",
        "json",
        "maternity",
        "plan",
        "--expected",
        "2026-04-20",
        "--birth",
        "2026-04-14",
        "--multiple",
        "--hospital-days",
        "12",
    )
    assert plan.exit_code == 0
    assert (plan.json()["rest_days"], plan.json()["lost_days"]) == (132, 6)
    paid = demo_cli(
        "--format",
        "json",
        "maternity",
        "compute",
        "--scheme",
        "employee",
        "--gross-daily",
        "200",
        "--start",
        "2024-08-05",
    )
    assert [line["daily_amount"] for line in paid.json()["lines"]] == [
        Decimal("164.00"),
        Decimal("134.66"),
    ]
    assert "derived" in paid.stderr  # the ceiling after day 30 is an assumption
    bad = demo_cli("maternity", "compute", "--scheme", "farmer", "--start", "2024-08-05")
    assert bad.exit_code == 2


def test_birth_and_adoption_leave(demo_cli: Any) -> None:
    birth = demo_cli(
        "--format",
        "json",
        "birth-leave",
        "compute",
        "--birth",
        "2022-09-01",
        "--gross-daily",
        "200",
    )
    assert birth.exit_code == 0 and birth.json()["total"] == Decimal("1614.36")
    early = demo_cli("birth-leave", "compute", "--birth", "2019-01-10", "--gross-daily", "100")
    assert early.exit_code == 3 and "parameter leave.max_daily" in early.stderr
    plan = demo_cli(
        "--format",
        "json",
        "adoption-leave",
        "plan",
        "--registration",
        "2025-05-02",
        "--split",
        "2:2",
    )
    assert plan.json()["weeks_per_parent"] == [8, 8]
    wrong = demo_cli("adoption-leave", "plan", "--registration", "2025-05-02", "--split", "3:3")
    assert wrong.exit_code == 4


def test_funeral_yes_and_why_not(demo_cli: Any) -> None:
    yes = demo_cli(
        "--format",
        "json",
        "funeral",
        "check",
        "--death-date",
        "2012-12-31",
        "--deceased-status",
        "employee-entitled",
    )
    assert yes.exit_code == 0 and yes.json()["amount"] == Decimal("148.74")
    no = demo_cli(
        "--format",
        "json",
        "funeral",
        "check",
        "--death-date",
        "2013-01-01",
        "--deceased-status",
        "employee-entitled",
    )
    assert no.exit_code == 1 and no.json()["amount"] == Decimal("0.00")
    assert "abolished" in no.json()["rule"]
    missing = demo_cli("funeral", "check", "--death-date", "2013-01-01")
    assert missing.exit_code == 2 and "pass --deceased-status" in missing.stderr


def test_miners_pension(demo_cli: Any) -> None:
    result = demo_cli(
        "--format",
        "json",
        "miners",
        "pension",
        "--on",
        "2024-06-01",
        "--work",
        "underground",
        "--status",
        "married",
        "--birth-date",
        "1962-05-10",
    )
    assert result.exit_code == 0
    data = result.json()
    assert (data["monthly"], data["heating_monthly"], data["end_date"]) == (
        Decimal("2195.10"),
        Decimal("139.66"),
        "2028-06-01",
    )
    ended = demo_cli(
        "miners",
        "pension",
        "--on",
        "2024-06-01",
        "--work",
        "surface",
        "--status",
        "single",
        "--birth-date",
        "1958-03-15",
    )
    assert ended.exit_code == 1
    bad = demo_cli("miners", "pension", "--on", "2024-06-01", "--work", "roof", "--status", "x")
    assert bad.exit_code == 2 and "--work" in bad.stderr


def test_batch_semicolon_file_with_a_quoted_line_break_cut_in_chunks(
    demo_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``;`` file whose quoted cell holds a line break: cut into 1-line chunks for the
    workers, it gives what it gives in one piece (the chunks are cut with its delimiter)."""
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "on;scheme;incapacity_start;family_situation;gross_daily\n"
        '2026-03-02;employee;2025-01-06;"isolated\n";120.50\n'
        "2026-03-02;employee;2025-01-06;isolated;120.50\n"
        '2026-03-02;"employee";2025-11-03;family;"98.10"\n',
        encoding="utf-8",
    )
    whole = demo_cli("--format", "ndjson", "indemnity", "batch", str(cases))
    monkeypatch.setenv("INAMI_BATCH_CHUNK", "1")
    monkeypatch.setenv("INAMI_BATCH_MIN_ROWS", "0")
    monkeypatch.setenv("INAMI_BATCH_WORKERS", "2")
    cut = demo_cli("--format", "ndjson", "indemnity", "batch", str(cases))
    assert (cut.exit_code, cut.stdout, mask_seconds(cut.stderr)) == (
        whole.exit_code, whole.stdout, mask_seconds(whole.stderr),
    )  # fmt: skip
    # a record is numbered by its last line (as csv.reader counts); the cell is stripped
    assert [r["line"] for r in whole.ndjson()] == [3, 4, 5] and whole.exit_code == 0


def test_batch_plans_follow_the_parameter_period_of_the_start(
    demo_cli: Any, tmp_path: Path
) -> None:
    """Plans are keyed by the class of the dates (``StartClasses``), not by the dates: two
    starts on either side of a ceiling change (31/12/2023 and 1/1/2024, same month 27 and
    same side of every day limit on 2/3/2026) must not share a plan; two starts in the same
    period share it but keep their own day and month."""
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "on,scheme,incapacity_start,family_situation,gross_daily\n"
        "2026-03-02,employee,2023-12-31,isolated,250.00\n"
        "2026-03-02,employee,2024-01-01,isolated,250.00\n"
        "2026-03-02,employee,2023-12-30,isolated,250.00\n",
        encoding="utf-8",
    )
    result = demo_cli("--format", "ndjson", "indemnity", "batch", str(cases))
    assert result.exit_code == 0, result.stderr
    rows = result.ndjson()
    # employee.wage_ceiling.6day: 174.1052 for 2022-2023 starts, 179.5442 from 1/1/2024
    assert [r["ceiling"] for r in rows] == [
        Decimal(c) for c in ("174.1052", "179.5442", "174.1052")
    ]
    assert [(r["day"], r["month"]) for r in rows] == [(793, 27), (792, 27), (794, 27)]
    assert rows[0]["daily_amount"] == rows[2]["daily_amount"] != rows[1]["daily_amount"]
    for row in rows:
        alone = demo_cli(
            "--format", "json", "indemnity", "compute", "--scheme", "employee",
            "--incapacity-start", row["incapacity_start"], "--on", "2026-03-02",
            "--family-situation", "isolated", "--gross-daily", "250",
        ).json()  # fmt: skip
        assert (alone["ceiling"], alone["daily_amount"]) == (row["ceiling"], row["daily_amount"])


def test_batch_error_names_each_rows_own_date(demo_cli: Any, tmp_path: Path) -> None:
    """Two starts of one date class without a parameter in force: each row's error names
    its own start (an error is not shared by the class)."""
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "on,scheme,incapacity_start,family_situation,gross_daily\n"
        "2026-03-02,employee,2013-06-03,isolated,100\n"
        "2026-03-02,employee,2013-06-04,isolated,100\n",
        encoding="utf-8",
    )
    result = demo_cli("indemnity", "batch", str(cases))
    assert result.exit_code == 2  # rows that cannot be computed are rejected (issue 17)
    assert f"{cases}:2: " in result.stderr and "2013-06-03" in result.stderr
    assert f"{cases}:3: " in result.stderr and "2013-06-04" in result.stderr
