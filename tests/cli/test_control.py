"""``inami control fine|prescription`` through the real command (no database needed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def test_fine_json_published_decision(cli_nodb: Any) -> None:
    result = cli_nodb("control", "fine", "--article", "73bis-1", "--indu", "78228,14",
                      "--rate", "175", "--suspended", "25", "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert (data["fine"], data["suspended"], data["effective"]) == (
        Decimal("136899.24"), Decimal("19557.03"), Decimal("117342.21"),
    )  # fmt: skip
    assert data["rounding"] == "truncate" and data["band"] == "50–200 %"


def test_fine_bad_input(cli_nodb: Any) -> None:
    out_of_band = cli_nodb("control", "fine", "--article", "73bis-3", "--indu", "100",
                           "--rate", "120")  # fmt: skip
    assert out_of_band.exit_code == 4 and "allows 5–100 %" in out_of_band.stderr
    assert len(out_of_band.stderr.splitlines()) == 1
    missing = cli_nodb("control", "fine", "--article", "73bis-1", "--indu", "100", "--no-input")
    assert missing.exit_code == 2 and "--rate" in missing.stderr
    article = cli_nodb("control", "fine", "--article", "73bis-9", "--indu", "1", "--rate", "5")
    assert article.exit_code == 2 and "73bis-1, 73bis-2" in article.stderr
    amount = cli_nodb("control", "fine", "--article", "73bis-1", "--indu", "1.234",
                      "--rate", "50")  # fmt: skip
    assert amount.exit_code == 2 and "more than two decimals" in amount.stderr
    rounding = cli_nodb("control", "fine", "--article", "73bis-1", "--indu", "1",
                        "--rate", "50", "--rounding", "up")  # fmt: skip
    assert rounding.exit_code == 2 and "--rounding" in rounding.stderr


def test_prescription(cli_nodb: Any) -> None:
    ok = cli_nodb("control", "prescription", "--service-date", "2023-11-14", "--format", "json")
    assert ok.exit_code == 0 and ok.json()["last_valid_date"] == "2025-11-30"
    late = cli_nodb("control", "prescription", "--service-date", "2022-02-03",
                    "--on", "2024-03-01", "--format", "json")  # fmt: skip
    assert late.exit_code == 1 and late.json()["prescribed"] is True
    assert late.stderr.strip() == "inami: error: prescribed: the last valid date was 2024-02-29"
    fraud = cli_nodb("control", "prescription", "--action", "recovery", "--reimbursed-on",
                     "14/11/2023", "--fraud", "--format", "json")  # fmt: skip
    assert fraud.exit_code == 0 and fraud.json()["last_valid_date"] == "2028-11-30"


def test_prescription_bad_input(cli_nodb: Any) -> None:
    recovery = cli_nodb("control", "prescription", "--action", "recovery",
                        "--service-date", "2023-11-14")  # fmt: skip
    assert recovery.exit_code == 2 and "--reimbursed-on" in recovery.stderr
    date = cli_nodb("control", "prescription", "--service-date", "2023-13-14")
    assert date.exit_code == 2 and "is not a date" in date.stderr
    action = cli_nodb("control", "prescription", "--service-date", "2023-11-14",
                      "--action", "refund")  # fmt: skip
    assert action.exit_code == 2 and "payment or recovery" in action.stderr
