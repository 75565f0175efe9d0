"""``inami reimburse --provider-id``: the provider from the register (issue 14), through the
real command on the demo data (SQLite, and PostgreSQL when configured).

Demo providers (fixtures/providers.csv, adherence.csv): 1-90017-06-004 accredited GP, fully
conventioned; 1-90025-95-100 specialist, partially conventioned (2024-2025 blocks Mon 14-18,
Wed 14-18, Fri 08:30-12:30); 1-90033-87-003 recognised GP, not accredited, refused the
agreement from 2025; 5-90041-10-001 physiotherapist, non-conventioned; 3-90058-76-001
dentist.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest

D = Decimal
GP_ACC = "1-90017-06-004"
SPEC_PARTIAL = "19002595100"
GP_REFUSED = "1-90033-87-003"
PHYSIO_NC = "59004110001"
DENTIST = "3-90058-76-001"

AMOUNTS = ("fee", "reimbursement", "personal_share", "supplement", "patient_total", "status",
           "refusal_code")  # fmt: skip

# (what is common, the provider by the register, the same provider by explicit flags)
EQUIVALENT = [
    pytest.param(
        ("101076", "--date", "2026-03-02", "--regime", "preferential", "--dmg", "--age", "40"),
        ("--provider-id", GP_ACC),
        ("--provider", "conventioned"),
        id="accredited-gp-conventioned",
    ),
    pytest.param(
        ("105755", "--date", "2025-03-05", "--regime", "ordinary", "--charged", "50"),
        ("--provider-id", SPEC_PARTIAL, "--time", "15:00"),
        ("--provider", "partially"),
        id="partial-specialist-inside-a-block",
    ),
    pytest.param(
        ("105755", "--date", "2025-03-05", "--regime", "ordinary", "--charged", "50"),
        ("--provider-id", SPEC_PARTIAL, "--time", "10:00"),
        ("--provider", "conventioned"),
        id="partial-specialist-outside-the-blocks",
    ),
    pytest.param(
        ("560011", "--date", "2024-06-10", "--regime", "ordinary"),
        ("--provider-id", PHYSIO_NC),
        ("--provider", "non-conventioned"),
        id="non-conventioned-physio-cut",
    ),
    pytest.param(
        ("560011", "--date", "2025-01-15", "--regime", "ordinary"),
        ("--provider-id", PHYSIO_NC),
        ("--provider", "non-conventioned"),
        id="non-conventioned-physio-no-convention",
    ),
    pytest.param(
        ("101032", "--date", "2026-03-02", "--regime", "preferential", "--dmg", "--age", "20"),
        ("--provider-id", GP_REFUSED),
        ("--provider", "non-conventioned"),
        id="young-bim-at-non-conventioned-gp",
    ),
]


def _amounts(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[k] for k in AMOUNTS)


@pytest.mark.parametrize(("common", "by_id", "by_flags"), EQUIVALENT)
def test_provider_id_and_explicit_flags_give_the_same_amounts(
    demo_cli: Any, common: tuple[str, ...], by_id: tuple[str, ...], by_flags: tuple[str, ...]
) -> None:
    one = demo_cli("reimburse", *common, *by_id, "--format", "json")
    two = demo_cli("reimburse", *common, *by_flags, "--format", "json")
    assert one.exit_code == two.exit_code, (one.stderr, two.stderr)
    assert [_amounts(r) for r in one.json()] == [_amounts(r) for r in two.json()]


def test_batch_provider_id_and_explicit_columns_give_the_same_amounts(demo_cli: Any) -> None:
    cols = ("code", "date", "regime", "dmg", "age", "charged", "provider", "provider_id", "time")
    rows: list[dict[str, str]] = []
    for param in EQUIVALENT:
        common, by_id, by_flags = param.values
        base = _row(common)  # type: ignore[arg-type]
        rows.append({**base, **_row(by_id)})  # type: ignore[arg-type]
        rows.append({**base, **_row(by_flags)})  # type: ignore[arg-type]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=cols)
    writer.writeheader()
    writer.writerows(rows)
    result = demo_cli("reimburse", "batch", "-", "--format", "ndjson", input=text.getvalue())
    assert '"errors": 0' in result.stderr, result.stderr
    out = result.ndjson()
    assert len(out) == len(rows)
    for by_id_row, by_flags_row in zip(out[::2], out[1::2], strict=True):
        assert _amounts(by_id_row) == _amounts(by_flags_row), by_id_row["code"]
    # and the single command gives the batch's amounts
    common, by_id, _ = EQUIVALENT[1].values
    single = demo_cli("reimburse", *common, *by_id, "--format", "json")  # type: ignore[misc]
    assert _amounts(single.json()[0]) == _amounts(out[2])


def _row(args: tuple[str, ...]) -> dict[str, str]:
    row: dict[str, str] = {"code": args[0]} if not args[0].startswith("--") else {}
    names = {"--provider-id": "provider_id", "--dmg": "dmg"}
    rest = list(args[1:] if row else args)
    while rest:
        flag = rest.pop(0)
        name = names.get(flag, flag.removeprefix("--"))
        row[name] = "yes" if flag == "--dmg" else rest.pop(0)
    return row


# ------------------------------------------------------------------ what the register says


def test_explain_says_the_register_was_used_and_why(demo_cli: Any) -> None:
    result = demo_cli(
        "reimburse", "105755", "--date", "2025-03-05", "--time", "15:00", "--regime",
        "ordinary", "--provider-id", SPEC_PARTIAL, "--charged", "50", "--explain", "--format",
        "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    [row] = result.json()
    steps = {s["what"]: s for s in row["explanation"]}
    assert steps["provider"]["value"] == "partially"
    why = steps["provider"]["source"]
    assert why.startswith("register: 1-90025-95-100")
    assert "doctors-2024-2025: partial adherence" in why
    assert "15:00 on Wed inside the declared blocks" in why
    assert "inside a declared block" in steps["supplement allowed"]["source"]
    assert (row["supplement"], row["reimbursement"]) == (D("17.15"), D("20.85"))


def test_explicit_provider_wins_and_explain_says_so(demo_cli: Any) -> None:
    result = demo_cli(
        "reimburse", "105755", "--date", "2025-03-05", "--time", "15:00", "--regime",
        "ordinary", "--provider-id", SPEC_PARTIAL, "--provider", "conventioned", "--charged",
        "50", "--explain", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 1
    [row] = result.json()
    assert row["refusal_code"] == "905"
    provider = next(s for s in row["explanation"] if s["what"] == "provider")
    assert provider["value"] == "conventioned"
    assert provider["source"].startswith("given explicitly (--provider wins")
    assert "the register says 1-90025-95-100" in provider["source"]


@pytest.mark.parametrize(
    ("code", "date", "nihii", "expected"),
    [
        ("101076", "2026-03-02", GP_ACC, "ok"),
        ("101076", "2026-03-02", GP_REFUSED, "910"),  # recognised GP, not accredited
        ("105755", "2025-03-05", GP_ACC, "910"),  # a specialist's code
        ("302153", "2022-09-01", GP_ACC, "910"),  # article 5: dentists only
        ("302153", "2022-09-01", DENTIST, "ok"),  # a dentist may (continuity unmet: halved, R20)
    ],
)
def test_codes_allowed_by_qualification(
    demo_cli: Any, code: str, date: str, nihii: str, expected: str
) -> None:
    result = demo_cli(
        "reimburse", code, "--date", date, "--regime", "ordinary", "--provider-id", nihii,
        "--time", "10:00", "--format", "json",
    )  # fmt: skip
    [row] = result.json()
    assert (row["refusal_code"] or row["status"]) == expected
    assert result.exit_code == (0 if expected == "ok" else 1)
    if expected == "910":
        assert "may not attest" in row["refusal_reason"]


def test_special_requirement_lets_a_conventioned_gp_ask_a_supplement(demo_cli: Any) -> None:
    args = ("reimburse", "101076", "--date", "2024-06-01", "--regime", "ordinary", "--charged",
            "40", "--provider-id", GP_ACC, "--format", "json")  # fmt: skip
    assert demo_cli(*args).json()[0]["refusal_code"] == "905"
    result = demo_cli(*args, "--special-requirement", "late_consultation")
    assert result.exit_code == 0, result.stderr
    row = result.json()[0]
    assert (row["reimbursement"], row["personal_share"], row["supplement"]) == (
        D("25.81"),
        D("6.00"),
        D("8.19"),
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--provider-id", "1-99999-01-004"), 3, "no provider with INAMI number 1-99999-01-004"),
        (("--provider-id", "1234"), 2, "INAMI number '1234'"),
        (("--time", "25:00"), 2, "--time '25:00'"),
        (("--special-requirement", "lunch"), 2, "--special-requirement 'lunch': expected one"),
        (("--provider-id", SPEC_PARTIAL, "--charged", "50"), 2, "pass --time HH:MM"),
    ],
)
def test_bad_provider_input(demo_cli: Any, args: tuple[str, ...], code: int, message: str) -> None:
    result = demo_cli("reimburse", "105755", "--date", "2025-03-05", "--regime", "ordinary", *args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert result.stdout == ""


def test_batch_bad_provider_rows_are_reported_with_their_line(demo_cli: Any) -> None:
    text = (
        "code,date,regime,provider_id,time,special_requirement\n"
        f"101076,2026-03-02,ordinary,{GP_ACC},,\n"
        "101076,2026-03-02,ordinary,1-99999-01-004,,\n"
        "101076,2026-03-02,ordinary,1234,,\n"
        f"101076,2026-03-02,ordinary,{GP_ACC},9h61,\n"
        f"101076,2026-03-02,ordinary,{GP_ACC},,lunch\n"
    )
    result = demo_cli("reimburse", "batch", "-", "--format", "csv", input=text)
    assert result.exit_code == 2  # malformed rows: exit 2, the rest processed (issue 17)
    assert "-:3: no provider with INAMI number 1-99999-01-004" in result.stderr
    assert "-:4: INAMI number '1234'" in result.stderr
    assert "-:5: time '9h61'" in result.stderr
    assert "-:6: --special-requirement 'lunch'" in result.stderr
    assert len(result.stdout.strip().splitlines()) == 2  # the header and the good row


def test_batch_answers_change_on_the_register_dates_and_with_the_time(demo_cli: Any) -> None:
    # 1-90033-87-003 refused the 2024-2025 agreement from 2025-01-01; the specialist's
    # blocks are Mon/Wed 14-18 and Fri 08:30-12:30 in 2025: the batch remembers answers per
    # stretch of time and per weekday, never across a change
    text = (
        "code,date,regime,charged,provider_id,time\n"
        f"101032,2024-12-31,ordinary,40,{GP_REFUSED},\n"
        f"101032,2025-01-01,ordinary,40,{GP_REFUSED},\n"
        f"101032,2024-12-30,ordinary,40,{GP_REFUSED},\n"
        f"105755,2025-03-05,ordinary,50,{SPEC_PARTIAL},15:00\n"  # Wednesday: inside
        f"105755,2025-03-06,ordinary,50,{SPEC_PARTIAL},15:00\n"  # Thursday: outside
        f"105755,2025-03-07,ordinary,50,{SPEC_PARTIAL},09:00\n"  # Friday morning: inside
        f"105755,2025-03-12,ordinary,50,{SPEC_PARTIAL},15:00\n"  # Wednesday again
    )
    result = demo_cli("reimburse", "batch", "-", "--format", "ndjson", input=text)
    codes = [row["refusal_code"] for row in result.ndjson()]
    assert codes == ["905", None, "905", None, "905", None, None], result.stderr
