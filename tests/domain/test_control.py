"""Fines (art. 142) and prescription (art. 174) with the figures of the facts file (§8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inami_cli.domain import control
from inami_cli.domain.errors import Conflict, InvalidInput

D = date.fromisoformat
X = Decimal


def test_published_decision_grief_1_fine_truncated() -> None:
    # Conseil d'État n° 227.073 (9/4/2014): 175 % of 78 228,14 = 136 899,24
    fine = control.compute_fine(article="73bis-1", indu=X("78228.14"), rate=X(175),
                                suspended=X(25))  # fmt: skip
    assert fine.fine == X("136899.24")
    # the decision writes 19 557,06 suspended and 117 342,18 effective: 25 points of the
    # indu give 19 557,03 and 117 342,21; 3 cents the published inputs do not explain
    assert fine.suspended == X("19557.03")
    assert fine.effective == X("117342.21")
    assert abs(fine.suspended - X("19557.06")) <= X("0.03")


def test_published_decision_grief_2_truncation_not_half_up() -> None:
    truncated = control.compute_fine(article="73bis-2", indu=X("246.45"), rate=X(150))
    assert truncated.fine == X("369.67")  # as published
    half_up = control.compute_fine(article="73bis-2", indu=X("246.45"), rate=X(150),
                                   rounding="half-up")  # fmt: skip
    assert half_up.fine == X("369.68")


@pytest.mark.parametrize(
    ("article", "low", "high"),
    [("73bis-1", 50, 200), ("73bis-2", 5, 150), ("73bis-3", 5, 100), ("73bis-4", 5, 100)],
)
def test_bands_of_art_142(article: str, low: int, high: int) -> None:
    for rate in (low, high):
        control.compute_fine(article=article, indu=X(100), rate=X(rate))
    for rate in (low - 1, high + 1):
        with pytest.raises(Conflict, match=f"{low}–{high} %"):
            control.compute_fine(article=article, indu=X(100), rate=X(rate))


def test_73bis_2_repayment_and_or_fine() -> None:
    only_repayment = control.compute_fine(article="73bis-2", indu=X(100), rate=X(0))
    assert (only_repayment.repayment, only_repayment.fine) == (X(100), X("0.00"))
    only_fine = control.compute_fine(article="73bis-2", indu=X(100), rate=X(10), repay=False)
    assert only_fine.repayment == X("0.00")
    with pytest.raises(InvalidInput, match="mandatory"):
        control.compute_fine(article="73bis-1", indu=X(100), rate=X(50), repay=False)


def test_bad_fine_inputs() -> None:
    with pytest.raises(InvalidInput, match="--article"):
        control.check_article("73bis-5")
    assert control.check_article("73bis 1°").article == "73bis-1"
    with pytest.raises(InvalidInput):
        control.compute_fine(article="73bis-1", indu=X(0), rate=X(50))
    with pytest.raises(InvalidInput):
        control.compute_fine(article="73bis-1", indu=X(10), rate=X(50), suspended=X(60))


def test_who_decides_by_the_25000_threshold() -> None:
    small = control.compute_fine(article="73bis-2", indu=X("25000.00"), rate=X(5))
    big = control.compute_fine(article="73bis-2", indu=X("25000.01"), rate=X(5))
    assert "SECM" in small.decided_by and "Chambre" in big.decided_by


@pytest.mark.parametrize(
    ("day", "action", "fraud", "last"),
    [
        ("2023-11-14", "payment", False, "2025-11-30"),  # the facts file's example
        ("2023-11-30", "payment", False, "2025-11-30"),
        ("2022-02-03", "payment", False, "2024-02-29"),  # end of February, leap year
        ("2024-02-29", "payment", False, "2026-02-28"),
        ("2023-11-14", "recovery", False, "2025-11-30"),
        ("2023-11-14", "payment", True, "2028-11-30"),  # 5 years for fraud
    ],
)
def test_prescription_art_174(day: str, action: str, fraud: bool, last: str) -> None:
    result = control.prescription(action=action, day=D(day), fraud=fraud)
    assert result.last_valid_date == D(last)
    assert not result.prescribed_on(D(last))
    assert result.prescribed_on(date.fromordinal(D(last).toordinal() + 1))


def test_prescription_from_the_end_of_the_fraud() -> None:
    result = control.prescription(action="recovery", day=D("2019-05-10"), fraud=True,
                                  fraud_end=D("2021-03-15"))  # fmt: skip
    assert result.last_valid_date == D("2026-03-31")
    with pytest.raises(InvalidInput, match="--fraud-end needs --fraud"):
        control.prescription(action="payment", day=D("2019-05-10"), fraud_end=D("2021-03-15"))
    with pytest.raises(InvalidInput, match="--action"):
        control.prescription(action="refund", day=D("2019-05-10"))
