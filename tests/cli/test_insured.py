"""``inami insured``: one person by NISS, by member number, over a range, and in batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inami_cli.domain.niss import check_digits

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

BIM_DMG = "85061508234"
PARENT = "72110313704"
CHILD = "16042205863"
TRANSFER = "90090906467"
ENDED = "68031230508"
DECEASED = "38070101229"
BIS = "79522409148"
PENSIONER = "50051702367"
STUDENT = "03022817561"
UNKNOWN = "85073003328"  # valid number, nobody in the fixtures


@pytest.fixture
def demo(session: Any, cli: Any) -> Any:
    from inami_cli.services.insurability import load_fixtures

    load_fixtures(session=session, fixtures_dir=FIXTURES)
    session.commit()
    return cli


def test_by_niss_json_object(demo: Any) -> None:
    result = demo("insured", BIM_DMG, "--date", "2026-03-02", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert {k: data[k] for k in ("insured", "insurer_code", "member_number", "regime", "dmg")} == {
        "insured": True,
        "insurer_code": "300",
        "member_number": "1234567",
        "regime": "preferential",
        "dmg": True,
    }
    assert data["age"] == 40
    assert data["period_from"] == "2008-01-01" and data["period_to"] is None
    assert list(data)[:14] == [
        "niss", "date", "insured", "insurer_code", "insurer_name", "member_number", "quality",
        "titular_niss", "ct1", "ct2", "regime", "bim_automatic", "dmg", "dmg_gp",
    ]  # fmt: skip


def test_by_member_number(demo: Any) -> None:
    result = demo("insured", "--insurer", "300", "--member", "1234567", "--date", "2026-03-02",
                  "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.json()["niss"] == BIM_DMG


def test_explicit_check_subcommand_and_table(demo: Any) -> None:
    result = demo("insured", "check", PARENT, "--date", "2026-03-02")
    assert result.exit_code == 0, result.stderr
    assert "Alliance nationale des mutualités chrétiennes" in result.stdout


@pytest.mark.parametrize(
    ("niss", "on", "code", "reason"),
    [
        (PARENT, "2026-03-02", 0, "affiliated with 100 as titular"),
        (CHILD, "2026-03-02", 0, f"affiliated with 100 as dependent of {PARENT}"),
        (TRANSFER, "2024-12-31", 0, "affiliated with 300"),
        (TRANSFER, "2025-01-01", 0, "affiliated with 500"),
        (ENDED, "2026-03-02", 1, "coverage with 200 ended on 2023-06-30"),
        (DECEASED, "2026-03-02", 1, "deceased on 2025-11-20"),
        (BIS, "2026-03-02", 0, "affiliated with 600"),
        (PENSIONER, "2026-03-02", 0, "affiliated with 900"),
        (STUDENT, "2026-03-02", 0, "affiliated with 100"),
        (UNKNOWN, "2026-03-02", 1, f"no person with NISS {UNKNOWN} in the register"),
    ],
)
def test_each_fixture_case(demo: Any, niss: str, on: str, code: int, reason: str) -> None:
    result = demo("insured", niss, "--date", on, "--format", "json")
    assert result.exit_code == code, result.stderr
    data = result.json()
    assert data["insured"] is (code == 0)
    assert reason in data["reason"]


def _checked(nine: str) -> str:
    return nine + check_digits(nine, born_2000=False)


@pytest.mark.parametrize(
    ("niss", "message"),
    [
        ("8506150823", "has 10 digits, expected 11"),
        ("850615082345", "has 12 digits, expected 11"),
        ("8506150823A", "contains 'A', only digits are allowed"),
        ("85061508235", "bad check digits 35 (expected 34)"),
        (_checked("850230082"), "impossible birth date 1985-02-30"),
        (_checked("851415082"), "impossible birth month 14"),
    ],
)
def test_malformed_niss_exit_2_with_reason(cli: Any, niss: str, message: str) -> None:
    result = cli("insured", niss, "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_usage_errors(cli: Any) -> None:
    assert cli("insured", "--insurer", "300").exit_code == 2
    both = cli(
        "insured", BIM_DMG, "--date", "2026-01-01", "--from", "2026-01-01", "--to", "2026-02-01"
    )
    assert both.exit_code == 2 and "mutually exclusive" in both.stderr
    assert cli("insured", BIM_DMG, "--from", "2026-01-01").exit_code == 2


def test_range_sub_periods_json(demo: Any) -> None:
    result = demo("insured", TRANSFER, "--from", "2011-12-01", "--to", "2025-02-01",
                  "--format", "json")  # fmt: skip
    assert result.exit_code == 1
    data = result.json()
    assert [(p["period_from"], p["period_to"], p["covered"]) for p in data["periods"]] == [
        ("2011-12-01", "2011-12-31", False),
        ("2012-01-01", "2024-12-31", True),
        ("2025-01-01", "2025-02-01", True),
    ]
    covered = demo("insured", TRANSFER, "--from", "2024-12-01", "--to", "2025-01-31")
    assert covered.exit_code == 0
    assert "2024-12-31" in covered.stdout and "500" in covered.stdout


def test_batch_csv_with_invalid_lines(demo: Any) -> None:
    text = f"niss,date\n{BIM_DMG}\n{ENDED},2020-01-01\n123\n{UNKNOWN}\n\n{DECEASED}\n"
    result = demo("insured", "batch", "-", "--date", "2026-03-02", input=text)
    assert result.exit_code == 2  # issue 17: a malformed line is exit 2, the rest checked
    lines = result.stdout.splitlines()
    assert lines[0].startswith("line,niss,date,insured,insurer_code,insurer_name,member_number")
    assert lines[1].startswith(f"2,{BIM_DMG},2026-03-02,yes,300,")
    assert lines[2].startswith(f"3,{ENDED},2020-01-01,yes,200,")
    assert lines[3].startswith(f"5,{UNKNOWN},2026-03-02,no,")
    assert lines[4].endswith("deceased on 2025-11-20")
    assert "-:4: NISS '123': has 3 digits, expected 11" in result.stderr
    assert "5 rows: 2 ok, 2 refused, 1 rejected, 1 warnings, " in result.stderr
    assert "7 lines: 4 checked, 2 insured, 2 not insured (1 unknown)" in result.stderr
    valid = "\n".join(line for line in text.splitlines() if line != "123") + "\n"
    answers = demo("insured", "batch", "-", "--date", "2026-03-02", input=valid)
    assert answers.exit_code == 0, answers.stderr  # "not insured" is an answer, not a failure
    strict = demo("insured", "batch", "-", "--fail-on-refused", "--date", "2026-03-02", input=valid)
    assert strict.exit_code == 1, strict.stderr


def test_batch_ndjson_all_insured(demo: Any, tmp_path: Path) -> None:
    source = tmp_path / "niss.txt"
    source.write_text(f"{BIM_DMG}\n{PARENT}\n{CHILD},2026-03-02\n", encoding="utf-8")
    result = demo("insured", "batch", str(source), "--date", "2026-03-02", "--format", "ndjson")
    assert result.exit_code == 0, result.stderr
    rows = result.ndjson()
    assert [(r["line"], r["niss"], r["insured"]) for r in rows] == [
        (1, BIM_DMG, True),
        (2, PARENT, True),
        (3, CHILD, True),
    ]
    assert rows[0]["dmg"] is True and rows[1]["period_to"] is None
    assert '"insured": 3' in result.stderr  # the JSON summary stays off the data stream


def test_batch_out_file(demo: Any, tmp_path: Path) -> None:
    out = tmp_path / "answers.csv"
    result = demo("insured", "batch", "-", "--date", "2026-03-02", "--out", str(out),
                  input=f"{BIM_DMG}\n")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith(f"1,{BIM_DMG},")


def test_batch_missing_file(demo: Any) -> None:
    result = demo("insured", "batch", "does-not-exist.txt")
    assert result.exit_code == 2
    assert "does-not-exist.txt" in result.stderr


def test_consultation_log(demo: Any, session: Any, isolated_env: Path) -> None:
    from sqlalchemy import select

    from inami_cli.db.models import ConsultationLog

    (isolated_env / "inami.toml").write_text("[audit]\nlog_consultations = true\n")
    assert demo("insured", BIM_DMG, "--date", "2026-03-02").exit_code == 0
    assert demo("insured", UNKNOWN, "--date", "2026-03-02").exit_code == 1
    session.expire_all()
    rows = session.execute(select(ConsultationLog.subject, ConsultationLog.answer_json)).all()
    assert [r.subject for r in rows] == [BIM_DMG, UNKNOWN]
    assert '"insured": true' in rows[0].answer_json


def test_help_shows_the_three_forms(cli_nodb: Any) -> None:
    result = cli_nodb("insured", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())  # help is wrapped to the terminal width
    for form in ("inami insured NISS", "--insurer 300 --member", "inami insured batch FILE"):
        assert form in text
