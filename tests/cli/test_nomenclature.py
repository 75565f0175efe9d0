"""``inami nomenclature``: the real command, exit codes, JSON on stdout, messages on stderr."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

D = Decimal
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
HEADER = "code,valid_from,valid_to,fee,regime,dmg,reimbursement,label_fr,label_nl,article"


@pytest.fixture
def demo(engine: Any) -> None:
    from sqlmodel import Session

    from inami_cli.services.nomenclature import load_fixtures

    with Session(engine) as session:
        load_fixtures(session=session, fixtures_dir=FIXTURES)
        session.commit()


def test_show_101076_answers_its_real_tariff(cli: Any, demo: None) -> None:
    result = cli("nomenclature", "show", "101076", "--date", "2026-03-02", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["code"] == "101076" and data["article"] == "2"
    tariff = data["tariff"]
    assert tariff["fee"] == D("33.73") and tariff["valid_from"] == "2026-01-01"
    profiles = {p["profile"]: (p["reimbursement"], p["personal_share"]) for p in tariff["profiles"]}
    assert profiles["preferential,dmg"] == (D("32.73"), D("1.00"))
    assert profiles["ordinary,no-dmg"] == (D("27.73"), D("6.00"))
    assert '"fee": 33.73' in result.stdout  # money written as a number with two decimals


def test_show_table_and_history(cli: Any, demo: None) -> None:
    result = cli("nomenclature", "show", "101076", "--date", "2024-05-01", "--history")
    assert result.exit_code == 0, result.stderr
    assert "31.81" in result.stdout and "30.81" in result.stdout
    history = cli("nomenclature", "show", "101076", "--history", "--format", "json").json()
    assert [h["valid_from"] for h in history["history"]] == [
        "2024-01-01",
        "2025-01-01",
        "2026-01-01",
    ]


def test_show_without_tariff_names_the_nearest_periods(cli: Any, demo: None) -> None:
    result = cli("nomenclature", "show", "301593", "--date", "2025-01-01")
    assert result.exit_code == 3
    assert "no tariff for 301593 on 2025-01-01" in result.stderr
    assert "2022-06-01..2022-12-31" in result.stderr
    assert result.stdout == ""


def test_show_without_tariff_warns_when_configured(cli: Any, demo: None) -> None:
    Path("inami.toml").write_text('[rules]\nmissing_tariff = "warn"\n')
    result = cli("nomenclature", "show", "301593", "--date", "2025-01-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "warning: no tariff" in result.stderr
    assert result.json()["tariff"] is None


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "10107"], 2, "6 digits"),
        (["show", "999999"], 3, "999999 is not in the nomenclature"),
        (["show", "101076", "--date", "2026-02-30"], 2, "--date"),
        (["search", "   "], 2, "at least one word"),
        (
            [
                "set-tariff",
                "101076",
                "--from",
                "2027-01-01",
                "--fee",
                "-3",
                "--reimbursement",
                "any=1",
            ],
            2,
            "negative",
        ),
        (
            [
                "set-tariff",
                "101076",
                "--from",
                "2027-01-01",
                "--fee",
                "10",
                "--reimbursement",
                "any=11",
            ],
            2,
            "above the fee",
        ),
        (
            [
                "set-tariff",
                "101076",
                "--from",
                "2025-06-01",
                "--fee",
                "30",
                "--reimbursement",
                "any=20",
            ],
            4,
            "overlaps",
        ),
        (["set-tariff", "101076", "--fee", "30", "--reimbursement", "any=20"], 2, "--from"),
        (
            [
                "set-tariff",
                "101076",
                "--from",
                "2027-01-01",
                "--fee",
                "30",
                "--reimbursement",
                "gold=20",
            ],
            2,
            "unknown part",
        ),
        (["add", "101076", "--label-fr", "a", "--label-nl", "b"], 4, "already exists"),
        (["add", "469814", "--label-fr", "a"], 2, "--label-nl"),
        (["index", "--rate", "abc", "--from", "2027-01-01"], 2, "rate"),
        (["key-letter", "set", "N265", "--from", "2025-01-01", "--value", "-1"], 2, "positive"),
    ],
)
def test_errors(cli: Any, demo: None, args: list[str], code: int, message: str) -> None:
    result = cli("nomenclature", *args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert message in result.stderr


def test_search(cli: Any, demo: None) -> None:
    result = cli("nomenclature", "search", "consultation MEDECIN generaliste", "--format", "json")
    assert result.exit_code == 0, result.stderr
    codes = [h["code"] for h in result.json()]
    assert codes[:3] == ["101010", "101032", "101076"]
    active = cli(
        "nomenclature",
        "search",
        "huisarts bezoek",
        "--active",
        "--date",
        "2026-06-01",
        "--format",
        "json",
    ).json()
    assert [h["code"] for h in active] == ["103132"]
    limited = cli("nomenclature", "search", "obturation", "--limit", "2", "--format", "json")
    assert len(limited.json()) == 2


def test_list(cli: Any, demo: None) -> None:
    result = cli(
        "nomenclature", "list", "--article", "7", "--date", "2024-06-01", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    fees = {r["code"]: r["fee"] for r in result.json()}
    assert fees == {
        "560011": D("30.00"),
        "560055": D("30.00"),
        "560092": D("30.00"),
        "567011": D("30.00"),
    }


def test_import_file_then_again_changes_nothing(cli: Any) -> None:
    Path("t.csv").write_text(
        HEADER + "\n101076,2024-01-01,,31.81,ordinary,no,25.81,A,B,2\n"
        "101076,2024-01-01,,31.81,ordinary,yes,27.81,A,B,2\n"
    )
    first = cli("nomenclature", "import", "t.csv", "--format", "json")
    assert first.exit_code == 0, first.stderr
    # issue 17: every long job's summary starts with rows, ok, refused, rejected, warnings,
    # seconds; then the import's own counts
    summary = first.json()
    assert isinstance(summary.pop("seconds"), Decimal)
    assert summary == {
        "rows": 2, "ok": 2, "refused": 0, "rejected": 0, "warnings": 0,
        "inserted": 2, "updated": 0, "unchanged": 0,
    }  # fmt: skip
    again = cli("nomenclature", "import", "t.csv", "--format", "json")
    counts = again.json()
    assert (counts["inserted"], counts["updated"], counts["unchanged"]) == (0, 0, 2)
    text = cli("nomenclature", "import", "t.csv")
    assert "0 inserted, 0 updated, 2 unchanged" in text.stderr


def test_import_dry_run_prints_the_diff_and_writes_nothing(cli: Any) -> None:
    Path("t.csv").write_text(HEADER + "\n101076,2024-01-01,,31.81,,,25.81,A,B,2\n")
    result = cli("nomenclature", "import", "t.csv", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "insert 101076 2024-01-01..: fee 31.81, any 25.81" in result.stdout
    assert cli("nomenclature", "show", "101076").exit_code == 3


def test_import_rejects_every_bad_row_and_writes_nothing(cli: Any) -> None:
    Path("bad.csv").write_text(
        HEADER + "\n101076,2024-01-01,,31.81,,,25.81,A,B,2\n"
        "101076,2024-01-01,,31.81,,,25.81,A,B,2\n"
        "101010,2024-13-01,,18.85,,,12.85,A,B,2\n"
    )
    result = cli("nomenclature", "import", "bad.csv", "--format", "json")
    assert result.exit_code == 2
    assert "bad.csv:3: duplicate row" in result.stderr
    assert "bad.csv:4: valid_from" in result.stderr
    assert result.stdout == ""
    assert cli("nomenclature", "show", "101076").exit_code == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "x.csv:1: empty file"),
        (b"code,valid_from,fee,reimbursement,colour\n", "x.csv:1: unknown column 'colour'"),
        (
            HEADER.encode() + b"\n101076,2024-01-01,,31.81,,,25.81,M\xe9decin,B,2\n",
            "x.csv:2: not utf-8 text (byte 0xe9); give the file's encoding with --encoding",
        ),
    ],
)
def test_import_unreadable_files(cli: Any, content: bytes, message: str) -> None:
    Path("x.csv").write_bytes(content)
    result = cli("nomenclature", "import", "x.csv")
    assert result.exit_code == 2
    assert message in result.stderr


def test_import_missing_file(cli: Any) -> None:
    result = cli("nomenclature", "import", "nope.csv")
    assert result.exit_code == 2 and "nope.csv" in result.stderr  # issue 17: 2, as every command


def test_import_json_from_stdin(cli: Any) -> None:
    data = (
        '[{"code": "101076", "valid_from": "2024-01-01", "fee": 31.81, "regime": "ordinary",'
        ' "reimbursement": 25.81, "label_fr": "A", "label_nl": "B"}]'
    )
    result = cli("nomenclature", "import", "-", "--format", "json", input=data)
    assert result.exit_code == 0, result.stderr
    assert result.json()["inserted"] == 1


def test_export_import_round_trip(cli: Any, demo: None, db_url: str) -> None:
    exported = cli("nomenclature", "export", "--all-periods")
    assert exported.exit_code == 0, exported.stderr
    Path("all.csv").write_text(exported.stdout)
    assert exported.stdout.splitlines()[0].startswith("code,valid_from,valid_to,fee,regime,dmg")
    again = cli("nomenclature", "import", "all.csv", "--format", "json")
    assert again.json()["unchanged"] == len(exported.stdout.splitlines()) - 1
    as_json = cli(
        "nomenclature", "export", "--date", "2026-06-01", "--article", "2", "--format", "json"
    )
    codes = {r["code"] for r in as_json.json()}
    assert codes == {"101010", "101032", "101076", "103132"}


def test_set_tariff_and_correction(cli: Any, demo: None) -> None:
    result = cli(
        "nomenclature",
        "set-tariff",
        "101076",
        "--from",
        "2027-01-01",
        "--fee",
        "34.65",
        "--reimbursement",
        "ordinary,no-dmg=28.65",
        "--reimbursement",
        "preferential,dmg=33.65",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    assert result.json()["fee"] == D("34.65")
    previous = cli("nomenclature", "show", "101076", "--date", "2026-12-31", "--format", "json")
    assert previous.json()["tariff"]["valid_to"] == "2026-12-31"
    corrected = cli(
        "nomenclature",
        "set-tariff",
        "101076",
        "--from",
        "2027-01-01",
        "--fee",
        "34.66",
        "--reimbursement",
        "any=28.66",
        "--correct",
        "--format",
        "json",
    )
    assert corrected.exit_code == 0, corrected.stderr
    assert corrected.json()["fee"] == D("34.66")


def test_add_update_retire(cli: Any, demo: None) -> None:
    added = cli(
        "nomenclature",
        "add",
        "469814",
        "--label-fr",
        "Acte",
        "--label-nl",
        "Handeling",
        "--article",
        "14 a",
        "--setting",
        "ambulatory",
        "--format",
        "json",
    )
    assert added.exit_code == 0, added.stderr
    warned = cli("nomenclature", "add", "469815", "--label-fr", "x", "--label-nl", "y")
    assert warned.exit_code == 0 and "mod 7" in warned.stderr
    updated = cli("nomenclature", "update", "469814", "--max-age", "66", "--format", "json")
    assert updated.json()["max_age"] == 66
    assert cli("nomenclature", "update", "469814").exit_code == 2
    retired = cli("nomenclature", "retire", "101010", "--from", "2027-01-01", "--format", "json")
    assert retired.exit_code == 0, retired.stderr
    assert retired.json()["valid_to"] == "2026-12-31"


def test_index_and_diff(cli: Any, demo: None) -> None:
    dry = cli(
        "nomenclature",
        "index",
        "--rate",
        "2.72",
        "--from",
        "2027-01-01",
        "--article",
        "2",
        "--dry-run",
        "--format",
        "json",
    )
    assert dry.exit_code == 0, dry.stderr
    summary = dry.json()
    assert summary["indexed"] == 4 and summary["dry_run"] is True
    assert summary["kept_shares"] == 3  # 101010, 101032, 101076 (R29); not the visit 103132
    assert "101076 from 2027-01-01: personal shares kept (gp_fixed_share)" in dry.stderr
    done = cli("nomenclature", "index", "--rate", "2.72", "--from", "2027-01-01", "--article", "2")
    assert done.exit_code == 0, done.stderr
    diff = cli(
        "nomenclature", "diff", "--from", "2026-06-01", "--to", "2027-06-01", "--format", "json"
    ).json()
    row = next(r for r in diff if r["code"] == "101076" and r["profile"] == "preferential,dmg")
    assert (row["old_fee"], row["new_fee"]) == (D("33.73"), D("34.65"))
    # R29: the fixed personal share 1.00 stays 1.00
    assert (row["old_reimbursement"], row["new_reimbursement"]) == (D("32.73"), D("33.65"))


def test_key_letters(cli: Any, demo: None) -> None:
    listed = cli("nomenclature", "key-letter", "list", "--date", "2025-06-01", "--format", "json")
    assert {r["index_code"]: r["value"] for r in listed.json()} == {
        "N265": D("3.372107"),
        "Q124": D("0.195645"),
    }
    changed = cli(
        "nomenclature",
        "key-letter",
        "set",
        "N265",
        "--from",
        "2025-07-01",
        "--value",
        "3.5",
        "--format",
        "json",
    )
    assert changed.exit_code == 0, changed.stderr
    assert "105755" in changed.stderr
    shown = cli("nomenclature", "show", "105755", "--date", "2025-08-01", "--format", "json")
    assert shown.json()["tariff"]["fee"] == D("33.87")
    assert shown.json()["tariff"]["fee_derived"] is True


def test_every_command_has_help(cli_nodb: Any) -> None:
    for args in (
        ["show"],
        ["search"],
        ["list"],
        ["add"],
        ["update"],
        ["retire"],
        ["set-tariff"],
        ["import"],
        ["export"],
        ["index"],
        ["diff"],
        ["key-letter", "set"],
        ["key-letter", "list"],
    ):
        result = cli_nodb("nomenclature", *args, "--help")
        assert result.exit_code == 0, args
        assert "Examples:\n    inami nomenclature" in result.stdout, args
