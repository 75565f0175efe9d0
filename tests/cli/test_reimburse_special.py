"""``inami reimburse``: a special requirement is checked against the moment of care, and a
physiotherapist cannot be partially conventioned (issue 14), through the real command on
the demo data (SQLite, and PostgreSQL when configured).

Demo providers (fixtures/providers.csv): 1-90017-06-004 accredited GP, fully conventioned;
5-90041-10-001 physiotherapist, non-conventioned. 101076 in 2024: fee 31.81, 25.81
reimbursed without DMG (VNZ 2024); 560011 in 2024: fee 30.00, 23.75 (CM 2024).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

D = Decimal
GP_ACC = "1-90017-06-004"
PHYSIO_NC = "59004110001"
LATE = ("--special-requirement", "late_consultation")


def gp(demo_cli: Any, day: str, *extra: str) -> Any:
    return demo_cli(
        "reimburse", "101076", "--date", day, "--regime", "ordinary", "--charged", "40",
        "--provider-id", GP_ACC, *LATE, "--format", "json", *extra,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("day", "extra", "code", "supplement"),
    [
        ("2024-06-03", ("--time", "21:30"), 0, D("8.19")),  # Monday after 21:00
        ("2024-06-03", ("--time", "19:30"), 1, D("8.19")),  # Monday evening: refused 905
        ("2024-06-04", ("--time", "02:00"), 0, D("8.19")),  # Tuesday night
        ("2024-06-01", (), 0, D("8.19")),  # Saturday: any time, no --time needed
        ("2024-05-20", ("--time", "10:00"), 0, D("8.19")),  # Whit Monday, a legal holiday
    ],
)
def test_late_consultation_at_the_moment_of_care(
    demo_cli: Any, day: str, extra: tuple[str, ...], code: int, supplement: Decimal
) -> None:
    result = gp(demo_cli, day, *extra)
    assert result.exit_code == code, result.stderr
    [row] = result.json()
    assert row["supplement"] == supplement
    if code == 0:
        assert (row["reimbursement"], row["personal_share"]) == (D("25.81"), D("6.00"))
    else:
        assert row["refusal_code"] == "905"
        assert (
            "holds only between 21:00 and 08:00 or on Saturday, Sunday or a legal holiday"
            in (row["refusal_reason"])
        )


def test_late_consultation_on_a_weekday_needs_the_time(demo_cli: Any) -> None:
    result = gp(demo_cli, "2024-06-03")
    assert result.exit_code == 2
    assert (
        "special requirement 'late_consultation' holds only between 21:00 and 08:00"
        in result.stderr
    )
    assert "pass --time HH:MM" in result.stderr
    assert result.stdout == ""


def test_explain_says_when_the_requirement_holds(demo_cli: Any) -> None:
    result = gp(demo_cli, "2024-06-03", "--time", "22:00", "--explain")
    assert result.exit_code == 0, result.stderr
    steps = result.json()[0]["explanation"]
    step = next(s for s in steps if s["what"] == "supplement allowed")
    assert (
        "holds between 21:00 and 08:00 or on Saturday, Sunday or a legal holiday" in step["source"]
    )


def test_batch_checks_the_moment_of_each_row(demo_cli: Any) -> None:
    text = (
        "code,date,regime,charged,provider_id,time,special_requirement\n"
        f"101076,2024-06-03,ordinary,40,{GP_ACC},21:30,late_consultation\n"
        f"101076,2024-06-03,ordinary,40,{GP_ACC},19:30,late_consultation\n"
        f"101076,2024-06-01,ordinary,40,{GP_ACC},,late_consultation\n"
        f"101076,2024-06-04,ordinary,40,{GP_ACC},,late_consultation\n"
    )
    result = demo_cli("reimburse", "batch", "-", "--format", "ndjson", input=text)
    assert result.exit_code == 2  # the row without a time is malformed (issue 17 exit codes)
    assert "-:5: special requirement 'late_consultation' holds only" in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["status"], r["refusal_code"]) for r in rows] == [
        ("ok", None), ("refused", "905"), ("ok", None)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "provider",
    [("--provider", "partially"), ("--provider-id", PHYSIO_NC, "--provider", "partially")],
)
def test_a_physiotherapist_cannot_be_partially_conventioned(
    demo_cli: Any, provider: tuple[str, ...]
) -> None:
    result = demo_cli("reimburse", "560011", "--date", "2024-06-10", "--regime", "ordinary",
                      "--charged", "40", *provider, "--format", "json")  # fmt: skip
    assert result.exit_code == 2
    assert "physiotherapists cannot be partially conventioned" in result.stderr
    assert result.stdout == ""
    # the same case at a non-conventioned physiotherapist is computed (the -25 % cut)
    ok = demo_cli("reimburse", "560011", "--date", "2024-06-10", "--regime", "ordinary",
                  "--provider-id", PHYSIO_NC, "--format", "json")  # fmt: skip
    assert ok.exit_code == 0, ok.stderr


def test_batch_refuses_a_partially_conventioned_physiotherapist_row(demo_cli: Any) -> None:
    text = (
        "code,date,regime,provider\n"
        "560011,2024-06-10,ordinary,non-conventioned\n"
        "560011,2024-06-10,ordinary,partially\n"
    )
    result = demo_cli("reimburse", "batch", "-", "--format", "ndjson", input=text)
    assert result.exit_code == 2  # a malformed row (issue 17 exit codes)
    assert "-:3: --provider partially: physiotherapists cannot be partially" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_the_register_refuses_a_partial_adherence_of_a_physiotherapist(demo_cli: Any) -> None:
    result = demo_cli("agreement", "adherence", "set", "physio-m25", PHYSIO_NC, "--status",
                      "partial", "--blocks", "Mon 08-12")  # fmt: skip
    assert result.exit_code == 4
    assert "partial adherence is refused: it exists in the doctors' agreement only" in (
        result.stderr
    )


def test_the_shipped_table_states_the_moments() -> None:
    from datetime import date, time

    from inami_cli.services.reimbursement import special_requirements

    rows = {(r.kind, r.role): r for r in special_requirements()}
    off = rows[("off_duty_call", "gp")]
    assert off.moment == "between 21:00 and 08:00 or on Saturday, Sunday or a legal holiday"
    assert off.holds_at(date(2024, 6, 4), time(23)) is True
    assert off.holds_at(date(2024, 6, 4), time(12)) is False
    assert off.holds_at(date(2024, 12, 25), time(12)) is True
    assert rows[("late_consultation", "specialist")].holds_at(date(2024, 12, 25), time(12)) is (
        False
    )
    assert rows[("single_room", "specialist")].moment == ""


SPECIALIST = "1-90025-95-100"  # partially conventioned under both doctors' agreements
GP_REFUSED = "1-90033-87-003"  # refused the 2024-2025 agreement from 2025


def test_a_partially_conventioned_doctor_cannot_become_a_physiotherapist(demo_cli: Any) -> None:
    result = demo_cli("provider", "update", SPECIALIST, "--profession", "physiotherapist")
    assert result.exit_code == 4
    assert "answered doctors' agreements (doctors-2024-2025: partial, doctors-2026-2027: " in (
        result.stderr
    )
    assert "a physiotherapist cannot be partially conventioned" in result.stderr
    shown = demo_cli("provider", "show", SPECIALIST, "--format", "json")
    assert shown.json()["profession"] == "doctor"  # nothing written
    # any answer to another profession's agreement blocks the change (no "partial" words)
    refused = demo_cli("provider", "update", GP_REFUSED, "--profession", "physiotherapist")
    assert refused.exit_code == 4
    assert "(doctors-2024-2025: refused): its profession cannot become physiotherapist" in (
        refused.stderr
    )
    # other changes of the same provider still go through
    renamed = demo_cli("provider", "update", SPECIALIST, "--first-name", "Pieter-Jan")
    assert renamed.exit_code == 0, renamed.stderr


def test_provider_import_refuses_the_change_with_its_line(demo_cli: Any, tmp_path: Any) -> None:
    path = tmp_path / "providers.csv"
    path.write_text(
        "nihii,profession,last_name,first_name\n"
        "1-90017-06-004,doctor,Lambotte,Claire\n"
        f"{SPECIALIST},physiotherapist,Vermeersch,Pieter\n",
        encoding="utf-8",
    )
    result = demo_cli("provider", "import", str(path))
    assert result.exit_code == 4
    assert f"{path}:3: provider 1-90025-95 answered doctors' agreements" in result.stderr
    shown = demo_cli("provider", "show", SPECIALIST, "--format", "json")
    assert shown.json()["profession"] == "doctor"
