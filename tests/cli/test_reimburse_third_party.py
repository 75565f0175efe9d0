"""``inami reimburse`` with third-party payment and the specialist referral reduction,
one case and the batch, on the demo data (figures: DOMAIN.md, rules-audit.md R5)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from tests.helpers import one_reimbursement

D = Decimal
BIM_DMG = "85061508234"  # automatic BIM, DMG from 2025-01-01, third_party right from 2020
ORD_DMG = "60013021159"  # ordinary, DMG from 2024-01-01, born 1960


def test_third_party_flag_splits_who_pays(demo: Any) -> None:
    # 101076 in 2026: fee 33.73, ordinary without DMG pays the fixed 6.00
    base = ["reimburse", "101076", "--date", "2026-03-02", "--regime", "ordinary", "--age", "50"]
    plain = demo(*base, "--format", "json")
    assert plain.exit_code == 0, plain.stderr
    [row] = plain.json()
    assert (row["third_party"], row["paid_at_desk"], row["paid_to_provider"]) == (
        False,
        D("33.73"),
        D("0.00"),
    )
    tp = demo(*base, "--third-party", "--format", "json")
    [row] = tp.json()
    assert (row["third_party"], row["paid_at_desk"], row["paid_to_provider"]) == (
        True,
        D("6.00"),
        D("27.73"),
    )
    assert '"paid_to_provider": 27.73' in tp.stdout


def test_register_right_and_compulsory_rule_in_the_explanation(demo: Any) -> None:
    result = demo(
        "reimburse", "101076", "--date", "2026-03-02", "--niss", BIM_DMG, "--explain",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    [row] = result.json()
    assert (row["paid_at_desk"], row["paid_to_provider"]) == (D("1.00"), D("32.73"))
    whats = {s["what"]: s for s in row["explanation"]}
    assert whats["third_party"]["source"] == "register (third_party right)"
    assert whats["third-party payment compulsory for BIM patients at the GP"]["valid_from"] == (
        "2015-07-01"
    )
    table = demo("reimburse", "101076", "--date", "2026-03-02", "--niss", BIM_DMG, "--explain")
    assert "paid_to_provider" in table.stdout and "paid at the desk" in table.stdout


def test_referral_reduction_once_a_year_with_record(demo: Any) -> None:
    # 105755 in 2025: fee 32.85, ordinary share 12.00; referred with a DMG: 7.00
    args = ["reimburse", "105755", "--date", "2025-06-10", "--niss", ORD_DMG, "--referred"]
    first = demo(*args, "--record", "--format", "json")
    assert first.exit_code == 0, first.stderr
    [row] = first.json()
    assert (row["reimbursement"], row["personal_share"], row["referral_reduced"]) == (
        D("25.85"),
        D("7.00"),
        True,
    )
    again = demo(*args[:3], "2025-09-01", *args[4:], "--explain", "--format", "json")
    [row] = again.json()
    assert (row["personal_share"], row["referral_reduced"]) == (D("12.00"), False)
    assert any("already granted for 105755" in str(s["value"]) for s in row["explanation"])
    next_year = demo(*args[:3], "2026-01-05", *args[4:], "--format", "json")
    assert next_year.exit_code == 1  # 105755 has no tariff in 2026: refused 009
    # under third-party payment there is no reduction
    tp = demo(*args, "--third-party", "--format", "json")
    [row] = tp.json()
    assert row["personal_share"] == D("12.00") and row["paid_at_desk"] == D("12.00")


CASES = [
    # code, date, niss, regime, dmg, age, third_party, referred
    ("101076", "2026-03-02", "", "ordinary", "no", "50", "yes", ""),
    ("101076", "2026-03-02", "", "ordinary", "no", "50", "no", ""),
    ("101076", "2024-03-01", "", "ordinary", "no", "50", "yes", ""),
    ("101076", "2026-03-02", BIM_DMG, "", "", "", "", ""),
    ("101076", "2026-03-02", BIM_DMG, "", "", "", "no", ""),
    ("102034", "2017-05-01", "", "ordinary", "yes", "30", "", "yes"),
    ("102034", "2017-05-01", "", "preferential", "yes", "30", "", "yes"),
    ("102034", "2017-05-01", "", "ordinary", "yes", "30", "yes", "yes"),
    ("102034", "2017-05-01", "", "ordinary", "no", "30", "", "yes"),
    ("105755", "2025-06-10", ORD_DMG, "", "", "", "", "yes"),
]
HEADER = "code,date,niss,regime,dmg,age,third_party,referred\n"


def test_one_case_and_batch_give_the_same_answers(demo: Any) -> None:
    text = HEADER + "".join(",".join(row) + "\n" for row in CASES)
    batch = demo("reimburse", "batch", "-", "--format", "json", input=text)
    rows = batch.json()  # one array (issue 17)
    assert len(rows) == len(CASES), batch.stderr
    for row, case in zip(rows, CASES, strict=True):
        assert {k: v for k, v in row.items() if k != "line"} == one_reimbursement(
            demo, HEADER, case
        ), case
    reduced = [(r["personal_share"], r["referral_reduced"]) for r in rows[5:]]
    assert reduced == [
        (D("7.00"), True),
        (D("1.00"), True),
        (D("12.00"), False),
        (D("12.00"), False),
        (D("7.00"), True),
    ]
    assert [r["paid_at_desk"] for r in rows[:5]] == [
        D("6.00"), D("33.73"), D("6.00"), D("1.00"), D("1.00"),
    ]  # fmt: skip
    summary = json.loads(batch.stderr.strip().splitlines()[-1], parse_float=D)
    assert summary["errors"] == 0


def test_batch_rejects_a_bad_third_party_cell(demo: Any) -> None:
    text = HEADER + "101076,2026-03-02,,ordinary,,,maybe,\n"
    result = demo("reimburse", "batch", "-", "--format", "csv", input=text)
    assert result.exit_code == 2  # a malformed row (issue 17)
    assert "-:2: third_party: 'maybe' is not yes or no" in result.stderr
