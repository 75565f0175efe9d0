"""``inami provider`` and ``inami agreement`` through the real command, on the demo data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SPECIALIST = "1-90025-95-100"
GP = "1-90017-06-004"
PHYSIO = "59004110001"


def test_validate_needs_no_database(cli_nodb: Any) -> None:
    result = cli_nodb("provider", "validate", "1 90017 06 004", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["formatted"] == GP and data["check_ok"] is True
    assert data["qualification_label_fr"] == "Médecin généraliste agréé"
    assert data["warnings"] == [] and result.stderr == ""


def test_validate_wrong_check_digits_warns_and_exits_0(cli_nodb: Any) -> None:
    result = cli_nodb("provider", "validate", "1-90017-07-004", "--format", "json")
    assert result.exit_code == 0
    assert result.json()["check_ok"] is False
    assert result.stderr.count("\n") == 1 and "not official" in result.stderr


@pytest.mark.parametrize(
    ("number", "message"),
    [("1-2345", "5 digits, expected 11"), ("1-9001A-06-004", "'A' is not a digit"), ("", "empty")],
)
def test_validate_malformed_is_exit_2(cli_nodb: Any, number: str, message: str) -> None:
    result = cli_nodb("provider", "validate", number)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_show_and_status(demo_cli: Any) -> None:
    shown = demo_cli("provider", "show", SPECIALIST, "--date", "2026-03-03", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    data = shown.json()
    assert data["nihii"] == "19002595100" and data["accredited"] is True
    assert [a["agreement"] for a in data["adherences"]] == [
        "doctors-2024-2025", "doctors-2026-2027",
    ]  # fmt: skip
    status = demo_cli("provider", "status", SPECIALIST, "--date", "2026-03-03", "--time", "15:00",
                      "--format", "json")  # fmt: skip
    facts = status.json()
    assert facts["convention_status"] == "partially" and facts["in_declared_block"] is True
    assert facts["at"] == "15:00" and facts["deviates_at_time"] is True
    gap = demo_cli("provider", "status", PHYSIO, "--date", "2025-03-01", "--format", "json")
    assert gap.json()["convention_status"] is None
    assert gap.json()["physio_convention_in_force"] is False


def test_unknown_provider_is_exit_3(demo_cli: Any) -> None:
    result = demo_cli("provider", "show", "1-99999-99-004")
    assert result.exit_code == 3
    assert "no provider with INAMI number 1-99999-99-004" in result.stderr
    status = demo_cli("provider", "status", "1-99999-99-004")
    assert status.exit_code == 3


def test_bad_time_is_exit_2(demo_cli: Any) -> None:
    result = demo_cli("provider", "status", SPECIALIST, "--time", "25:99")
    assert result.exit_code == 2 and "--time" in result.stderr


def test_add_update_list_and_overlap(demo_cli: Any) -> None:
    added = demo_cli("provider", "add", "19006654005", "--profession", "doctor",
                     "--last-name", "Maes", "--from", "2021-10-01", "--region", "flanders",
                     "--format", "json")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    again = demo_cli("provider", "add", "19006654004", "--profession", "doctor", "--last-name",
                     "Maes", "--from", "2024-01-01")  # fmt: skip
    assert again.exit_code == 4 and "already exists" in again.stderr
    moved = demo_cli("provider", "update", "19006654004", "--from", "2024-01-01", "--format",
                     "json")  # fmt: skip
    assert moved.exit_code == 0, moved.stderr
    assert [q["code"] for q in moved.json()["qualifications"]] == ["005", "004"]
    overlap = demo_cli("provider", "update", "19006654", "--qualification", "003", "--from",
                       "2022-01-01", "--to", "2022-12-31")  # fmt: skip
    assert overlap.exit_code == 4 and "overlaps qualification 005" in overlap.stderr
    listed = demo_cli("provider", "list", "--region", "flanders", "--format", "json")
    assert [p["last_name"] for p in listed.json()] == ["Maes", "Vermeersch"]


def test_add_without_flags_and_no_terminal_names_the_flag(demo_cli: Any) -> None:
    result = demo_cli("provider", "add", "19006654004", "--profession", "doctor")
    assert result.exit_code == 2 and "--last-name" in result.stderr


def test_agreement_list_show_stats(demo_cli: Any) -> None:
    listed = demo_cli("agreement", "list", "--profession", "physiotherapist", "--date",
                      "2025-03-01", "--format", "json")  # fmt: skip
    assert listed.exit_code == 0 and listed.json() == []
    shown = demo_cli("agreement", "show", "doctors-2026-2027", "--format", "json").json()
    assert shown["concluded_on"] == "2025-12-17" and shown["indexation"] == "2.72"
    stats = demo_cli("agreement", "stats", "doctors-2024-2025", "--by", "none", "--format", "json")
    assert stats.exit_code == 0, stats.stderr
    assert str(stats.json()[-1]["adhered_pct"]) == "66.67"
    assert '"adhered_pct": 66.67' in stats.stdout  # a JSON number with two decimals
    missing = demo_cli("agreement", "show", "doctors-1999")
    assert missing.exit_code == 3


def test_adherence_set_refused_with_the_rule(demo_cli: Any) -> None:
    bad = demo_cli("agreement", "adherence", "set", "doctors-2026-2027", GP, "--status",
                   "partial", "--blocks", "Mon 08-13")  # fmt: skip
    assert bad.exit_code == 4
    assert "at most 4 consecutive hours" in bad.stderr and bad.stderr.count("\n") == 1
    malformed = demo_cli("agreement", "adherence", "set", "doctors-2026-2027", GP, "--status",
                         "partial", "--blocks", "Mon 8")  # fmt: skip
    assert malformed.exit_code == 2
    ok = demo_cli("agreement", "adherence", "set", "doctors-2026-2027", GP, "--status", "partial",
                  "--blocks", "Mon 14-18", "--format", "json")  # fmt: skip
    assert ok.exit_code == 0 and ok.json()["blocks"] == "Mon 14:00-18:00"
    listed = demo_cli("agreement", "adherence", "list", "doctors-2026-2027", "--status",
                      "partial", "--format", "json")  # fmt: skip
    assert {a["formatted"] for a in listed.json()} == {"1-90017-06", "1-90025-95"}


def test_imports_from_files(demo_cli: Any, tmp_path: Path) -> None:
    providers = tmp_path / "providers.csv"
    providers.write_text(
        "nihii;profession;last_name;valid_from\n19006654004;doctor;Maes;2024-01-01\n",
        encoding="utf-8",
    )
    dry = demo_cli("provider", "import", str(providers), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "+ provider 19006654" in dry.stdout
    done = demo_cli("provider", "import", str(providers), "--format", "json")
    assert done.json()["inserted"] == 2
    assert (
        demo_cli("provider", "import", str(providers), "--format", "json").json()["unchanged"] == 2
    )
    adherence = tmp_path / "adh.csv"
    adherence.write_text(
        "agreement,nihii,status,blocks\ndoctors-2026-2027,19006654004,partial,Mon 8-13\n",
        encoding="utf-8",
    )
    refused = demo_cli("agreement", "adherence", "import", str(adherence))
    assert refused.exit_code == 4
    assert f"{adherence}:2: partial adherence refused" in refused.stderr
    broken = tmp_path / "broken.csv"
    broken.write_text("nihii,profession,last_name\n12,doctor,X\n", encoding="utf-8")
    result = demo_cli("provider", "import", str(broken))
    assert result.exit_code == 2 and f"{broken}:2:" in result.stderr
    assert demo_cli("provider", "import", str(tmp_path / "none.csv")).exit_code == 2


def test_export_csv(demo_cli: Any) -> None:
    result = demo_cli("provider", "export", "--profession", "doctor", "--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("nihii,profession,last_name,first_name,valid_from")
    assert len(lines) == 5  # Lambotte has two qualification periods
