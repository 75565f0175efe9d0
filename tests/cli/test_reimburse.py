"""``inami reimburse``: one visit and the batch, on the demo data, through the real command."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import one_reimbursement

D = Decimal
BIM_DMG = "85061508234"  # demo person: automatic BIM, DMG from 2025-01-01, born 1985-06-15
ENDED = "68031230508"  # demo person whose coverage ended
UNKNOWN = "85073003328"  # valid number, nobody in the fixtures


def test_reference_case(demo: Any) -> None:
    result = demo(
        "reimburse", "101076", "--date", "2026-03-02", "--regime", "preferential", "--dmg",
        "--age", "40", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    [row] = result.json()
    assert (row["fee"], row["reimbursement"], row["personal_share"]) == (
        D("33.73"),
        D("32.73"),
        D("1.00"),
    )
    assert row["status"] == "ok" and row["profile"] == "preferential,dmg"
    assert row["date"] == "2026-03-02" and row["tariff_valid_from"] == "2026-01-01"
    assert '"personal_share": 1.00' in result.stdout  # two decimals, never through float


def test_refused_code_exits_1_with_the_reason(demo: Any) -> None:
    result = demo(
        "reimburse", "371615", "--date", "2022-09-01", "--regime", "ordinary", "--age", "18",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 1
    [row] = result.json()
    assert (row["status"], row["refusal_code"]) == ("refused", "902")
    assert "age 18" in row["refusal_reason"]


def test_person_by_niss_and_explanation(demo: Any) -> None:
    result = demo(
        "reimburse", "101076", "103132", "--date", "2026-03-02", "--niss", BIM_DMG, "--explain",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 1, result.stderr  # the 2026 visit has no published reimbursement
    first, second = result.json()
    assert (first["regime"], first["dmg"], first["age"]) == ("preferential", True, 40)
    assert (second["code"], second["fee"], second["refusal_code"]) == ("103132", D("48.57"), "904")
    steps = {s["what"]: s for s in first["explanation"]}
    assert steps["insured"]["value"] is True  # a boolean, not "yes" (issue 17)
    assert steps["fee"]["valid_from"] == "2026-01-01"
    assert "DOMUS 2026" in steps["fee"]["source"]
    # issue 15: each step names the rule it applied (rules-audit id), data steps none
    assert {s["rule"] for s in first["explanation"]} == {None, "R2", "R1"}  # issue 17: null, not ""


def test_flag_wins_over_the_register(demo: Any) -> None:
    result = demo(
        "reimburse", "101076", "--date", "2026-03-02", "--niss", BIM_DMG, "--no-dmg", "--explain",
        "--format", "json",
    )  # fmt: skip
    [row] = result.json()
    assert (row["dmg"], row["personal_share"]) == (False, D("1.50"))
    dmg = next(s for s in row["explanation"] if s["what"] == "dmg")
    assert dmg["source"] == "given explicitly; the register says yes"


def test_supplement_at_non_conventioned_and_ban_for_bim(demo: Any) -> None:
    ordinary = demo(
        "reimburse", "101076", "--date", "2026-03-02", "--regime", "ordinary", "--provider",
        "non-conventioned", "--charged", "40.00", "--format", "json",
    )  # fmt: skip
    assert ordinary.exit_code == 0, ordinary.stderr
    [row] = ordinary.json()
    assert (row["supplement"], row["patient_total"]) == (D("6.27"), D("12.27"))
    bim = demo(
        "reimburse", "101076", "--date", "2026-03-02", "--niss", BIM_DMG, "--provider",
        "non-conventioned", "--charged", "40,00", "--format", "json",
    )  # fmt: skip
    assert bim.exit_code == 1
    assert bim.json()[0]["refusal_code"] == "906"


def test_not_insured_is_refused(demo: Any) -> None:
    result = demo(
        "reimburse", "101076", "--date", "2026-03-02", "--niss", ENDED, "--format", "json"
    )
    assert result.exit_code == 1
    assert result.json()[0]["refusal_code"] == "901"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["101076", "--date", "2026-03-02"], 2, "missing value: pass --niss or --regime"),
        ([], 2, "missing value: pass CODE"),
        (["999996", "--regime", "ordinary"], 3, "code 999996 is not in the nomenclature"),
        (["101076", "--niss", UNKNOWN], 3, f"no person with NISS {UNKNOWN}"),
        (["101076", "--niss", "85073003327"], 2, "NISS"),
        (["101076", "--regime", "rich"], 2, "--regime: 'rich' is not one of"),
        (["101076", "--regime", "ordinary", "--date", "2026-02-30"], 2, "--date"),
        (["101076", "--regime", "ordinary", "--charged", "abc"], 2, "--charged"),
        (["101076", "--regime", "ordinary", "--provider", "cheap"], 2, "--provider"),
        (["101076", "--regime", "ordinary", "--record"], 2, "--record needs --niss"),
    ],
)
def test_errors(demo: Any, args: list[str], code: int, message: str) -> None:
    result = demo("reimburse", *args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert result.stdout == ""


def test_record_stores_the_case_and_frequency_follows(demo: Any) -> None:
    first = demo(
        "reimburse", "301593", "--date", "2022-07-01", "--niss", BIM_DMG, "--record",
        "--format", "json",
    )  # fmt: skip
    assert first.exit_code == 0, first.stderr
    assert "recorded 1 case(s)" in first.stderr
    second = demo(
        "reimburse", "301593", "--date", "2022-09-01", "--niss", BIM_DMG, "--format", "json"
    )
    assert second.exit_code == 1
    assert second.json()[0]["refusal_code"] == "002"
    # without --record nothing is written: the same question still has the same answer
    third = demo(
        "reimburse", "301593", "--date", "2022-09-01", "--niss", BIM_DMG, "--format", "json"
    )
    assert third.json()[0]["refusal_code"] == "002"


# ------------------------------------------------------------------ batch

CASES = [
    # code, date, niss, regime, dmg, age, chronic, provider, charged
    ("101076", "2026-03-02", "", "preferential", "yes", "40", "", "", ""),
    ("101076", "2026-03-02", "", "preferential", "yes", "24", "", "", ""),
    ("101076", "2024-12-31", "", "ordinary", "no", "50", "", "", ""),
    ("101076", "2025-01-01", "", "ordinary", "yes", "50", "", "", ""),
    ("101076", "2026-03-02", BIM_DMG, "", "", "", "", "", ""),
    ("101076", "2026-03-02", BIM_DMG, "", "", "", "", "non-conventioned", "40.00"),
    ("101076", "2026-03-02", ENDED, "", "", "", "", "", ""),
    ("101076", "2026-03-02", "", "ordinary", "", "", "", "conventioned", "40.00"),
    ("560011", "2024-03-01", "", "ordinary", "", "50", "", "non-conventioned", "35.00"),
    ("560011", "2024-03-01", "", "preferential", "", "50", "", "non-conventioned", ""),
    ("102034", "2017-05-01", "", "ordinary", "", "30", "", "", ""),
    ("371615", "2022-09-01", "", "ordinary", "", "17", "", "", ""),
    ("371615", "2022-09-01", "", "ordinary", "", "18", "", "", ""),
    ("301593", "2022-09-01", "", "ordinary", "", "66", "", "", ""),
    ("302153", "2022-09-01", BIM_DMG, "", "", "", "", "", ""),
]
HEADER = "code,date,niss,regime,dmg,age,chronic,provider,charged\n"


def _batch_text() -> str:
    return HEADER + "".join(",".join(row) + "\n" for row in CASES)


def test_one_case_and_batch_give_the_same_answers(demo: Any) -> None:
    batch = demo("reimburse", "batch", "-", "--format", "json", input=_batch_text())
    # issue 17: refusals are results (exit 0); --format json is one array
    assert batch.exit_code == 0, batch.stderr
    rows = batch.json()
    assert [r["line"] for r in rows] == list(range(2, 2 + len(CASES)))
    for row, case in zip(rows, CASES, strict=True):
        one = one_reimbursement(demo, HEADER, case)
        assert {k: v for k, v in row.items() if k != "line"} == one, case
    statuses = [r["status"] for r in rows]
    assert statuses.count("refused") == 4  # scaling 302153 is halved, no longer refused (R20)
    summary = json.loads(batch.stderr.strip().splitlines()[-1], parse_float=D)
    assert summary["rows"] == len(CASES) and summary["refused"] == 4 and summary["rejected"] == 0
    strict = demo(
        "reimburse", "batch", "-", "--fail-on-refused", "--format", "csv", input=_batch_text()
    )
    assert strict.exit_code == 1, strict.stderr


def test_batch_no_profile_refusal_names_each_rows_own_age(demo: Any) -> None:
    """Refusal 904 names the patient's exact age; the batch's answer cache keys a doctor's
    act by the age band only (over 24 or not): each row still gets its own age in the
    reason (rows 2 and 3 shared row 2's reason before), as the single case gives it."""
    header = "code,date,regime,dmg,age,chronic,provider"
    ages = ("40", "50", "72")
    cases = [f"103132,2025-11-21,ordinary,no,{age},no,conventioned" for age in ages]
    batch = demo("reimburse", "batch", "-", "--format", "json",
                 input="\n".join([header, *cases]) + "\n")  # fmt: skip
    assert batch.exit_code == 0, batch.stderr
    rows = batch.json()
    assert [r["refusal_code"] for r in rows] == ["904"] * 3
    for row, age, case in zip(rows, ages, cases, strict=True):
        assert f"no dmg, age {age} and no fixed" in row["refusal_reason"], row
        one = one_reimbursement(demo, header, tuple(case.split(",")))
        assert row["refusal_reason"] == one["refusal_reason"]


def test_batch_csv_out_file_and_summary(demo: Any, tmp_path: Path) -> None:
    source = tmp_path / "cases.csv"
    source.write_text(
        HEADER
        + "101076,2026-03-02,,preferential,yes,40,,,\n"
        + "101076,2026-03-02,,preferential,yes,40,,,\n"
        + "999996,2026-03-02,,ordinary,,,,,\n"
        + "101076,2026-03-02,,,,,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "results.csv"
    result = demo("reimburse", "batch", str(source), "--out", str(out), "--format", "csv")
    assert result.exit_code == 2  # issue 17: a malformed row is exit 2, the rest processed
    assert f"{source}:4: code 999996 is not in the nomenclature" in result.stderr
    assert f"{source}:5: give a niss or a regime" in result.stderr
    assert "4 rows: 2 ok, 0 refused, 2 rejected, 2 warnings, " in result.stderr
    assert "; fee 67.46, reimbursement 65.46" in result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["line"], r["fee"], r["reimbursement"], r["personal_share"]) for r in rows] == [
        ("2", "33.73", "32.73", "1.00"),
        ("3", "33.73", "32.73", "1.00"),
    ]
    as_json = demo(
        "reimburse", "batch", str(source), "--out", str(out), "--format", "json", "--summary-json"
    )
    summary = as_json.json()
    assert isinstance(summary.pop("seconds"), D)
    assert summary == {
        "rows": 4,
        "ok": 2,
        "refused": 0,
        "rejected": 2,
        "warnings": 2,
        "errors": 2,
        "fee": D("67.46"),
        "reimbursement": D("65.46"),
        "personal_share": D("2.00"),
        "recorded": 0,
    }


def test_batch_all_ok_exits_0_and_bad_header_exits_2(demo: Any, tmp_path: Path) -> None:
    ok = demo("reimburse", "batch", "-", input=HEADER + "101076,2026-03-02,,ordinary,,,,,\n")
    assert ok.exit_code == 0, ok.stderr
    bad = demo("reimburse", "batch", "-", input="code,colour\n101076,red\n")
    assert bad.exit_code == 2
    assert "-:1: unknown column 'colour'" in bad.stderr
    out = tmp_path / "never.csv"
    missing = demo("reimburse", "batch", str(tmp_path / "nope.csv"), "--out", str(out))
    assert missing.exit_code == 2
    assert not out.exists()


def test_batch_record_bulk_inserts_and_later_rows_see_them(demo: Any) -> None:
    text = HEADER + f"301593,2022-07-01,{BIM_DMG},,,,,,\n" + f"301593,2022-09-01,{BIM_DMG},,,,,,\n"
    result = demo("reimburse", "batch", "-", "--record", "--format", "json", input=text)
    assert [r["status"] for r in result.json()] == ["ok", "refused"]
    assert '"recorded": 1' in result.stderr
    later = demo(
        "reimburse", "301593", "--date", "2022-12-01", "--niss", BIM_DMG, "--format", "json"
    )
    assert later.json()[0]["refusal_code"] == "002"
