"""``inami nomenclature check FILE``: exit 0 silent, 1 with every difference, 2 bad file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PUBLISHED = Path(__file__).resolve().parents[2] / "fixtures" / "published_amounts.csv"


def test_published_amounts_hold_silently(demo: Any) -> None:
    result = demo("nomenclature", "check", str(PUBLISHED))
    assert (result.exit_code, result.stdout) == (0, ""), result.stdout + result.stderr


def test_differences_exit_1_with_file_and_line(demo: Any, tmp_path: Path) -> None:
    f = tmp_path / "golden.csv"
    f.write_text(
        "code,date,regime,dmg,age,fee,reimbursement,source\n"
        "101076,2024-01-01,ordinary,yes,40,31.81,27.81,VNZ\n"
        "101076,2025-01-01,ordinary,no,40,32.83,,computed\n",
        encoding="utf-8",
    )
    result = demo("nomenclature", "check", str(f))
    assert result.exit_code == 1
    assert result.stdout == (
        f"{f}:3: expected fee 32.83, computed 32.84 (101076 on 2025-01-01; source computed)\n"
    )
    assert "1 difference(s) in 2 lines" in result.stderr
    as_json = demo("--format", "json", "nomenclature", "check", str(f))
    [row] = json.loads(as_json.stdout)
    assert (row["line"], row["difference"]) == (3, "expected fee 32.83, computed 32.84")


def test_bad_file_exit_2_with_file_and_line(demo: Any, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("code,date,dmg\n101076,2024-01-01,maybe\n", encoding="utf-8")
    result = demo("nomenclature", "check", str(f))
    assert result.exit_code == 2
    assert f"{f}:2: dmg 'maybe': expected yes or no" in result.stderr
    assert demo("nomenclature", "check", str(tmp_path / "none.csv")).exit_code == 2  # issue 17
