"""Fee-only tariff rows through the real commands: imported, exported back, refused 904 when
computed (a published fee without a published reimbursement is never invented; issue 15)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

HEADER = "code,valid_from,valid_to,fee,regime,reimbursement,label_fr,label_nl,category\n"


def test_fee_only_row_round_trip_and_refusal(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "visit.csv"
    f.write_text(HEADER + "103132,2026-01-01,,48.57,,,Visite,Bezoek,gp_visit\n", encoding="utf-8")
    imported = cli("nomenclature", "import", str(f))
    assert imported.exit_code == 0, imported.stderr
    exported = cli("nomenclature", "export")
    assert "103132,2026-01-01,,48.57,,,,,," in exported.stdout
    case = cli(
        "reimburse", "103132", "--date", "2026-03-02", "--regime", "ordinary", "--age", "40",
        "--format", "json",
    )  # fmt: skip
    assert case.exit_code == 1
    [row] = case.json()
    assert (row["fee"], row["refusal_code"]) == (Decimal("48.57"), "904")


def test_fee_only_row_mixed_with_profiles_is_exit_2(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "mixed.csv"
    f.write_text(
        HEADER
        + "103132,2026-01-01,,48.57,,,Visite,Bezoek,gp_visit\n"
        + "103132,2026-01-01,,48.57,ordinary,40.00,Visite,Bezoek,gp_visit\n",
        encoding="utf-8",
    )
    result = cli("nomenclature", "import", str(f))
    assert result.exit_code == 2
    assert f"{f}:2: 103132 from 2026-01-01: a row without reimbursement (fee only)" in (
        result.stderr
    )
