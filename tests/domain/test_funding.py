"""Advances, budget shares and responsibility with the figures of the facts file (§9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inami_cli.domain import funding
from inami_cli.domain.errors import InvalidInput

D = date.fromisoformat
X = Decimal


def test_responsibility_rates_by_year() -> None:
    assert funding.responsibility_rate(1996) == 15
    assert funding.responsibility_rate(1999) == 20
    assert funding.responsibility_rate(2008) == 25
    with pytest.raises(InvalidInput):
        funding.responsibility_rate(1990)


def test_2008_boni_the_insurers_keep_25_percent_vade_mecum() -> None:
    # 2008 accounts: boni 282 029,8 k€ against the objective, insurers keep 70 507,4 k€
    boni = 282_029_800_00  # cents
    share = funding.Share("all", actual=1_000_000_00, normative=0, actual_share=X(1),
                          normative_share=X(1), share=X(1), amount=1_000_000_00 + boni)  # fmt: skip
    (row,) = funding.responsibility([share], rate=X(25), mali_cap_percent=None,
                                    mode="individual")  # fmt: skip
    assert row.kept_or_borne == 70_507_450_00
    assert round(row.kept_or_borne / 100 / 1000, 1) == 70507.4  # as published, in k€ (1 decimal)


def test_mali_is_capped() -> None:
    share = funding.Share("300", 110_00, 100_00, X(1), X(1), X(1), 100_00)
    (row,) = funding.responsibility([share], rate=X(25), mali_cap_percent=X(2),
                                    mode="individual")  # fmt: skip
    # mali 10.00 × 25 % = 2.50 borne, capped at 2 % of 100.00 = 2.00
    assert (row.result, row.kept_or_borne, row.capped) == (-10_00, -2_00, True)


def test_budget_share_is_70_actual_30_normative() -> None:
    rows = funding.budget_shares(
        1000_00, {"100": 60_00, "300": 40_00}, {"100": 50_00, "300": 50_00}
    )
    by = {r.insurer: r for r in rows}
    assert by["100"].share == X("0.7") * X("0.6") + X("0.3") * X("0.5")  # 0.57
    assert (by["100"].amount, by["300"].amount) == (570_00, 430_00)


def test_budget_share_inputs_must_match() -> None:
    with pytest.raises(InvalidInput, match="same insurers"):
        funding.budget_shares(100, {"100": 1}, {"300": 1})


@given(
    total=st.integers(min_value=0, max_value=10**15),
    weights=st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=7),
)
def test_apportion_adds_up_to_the_cent(total: int, weights: list[int]) -> None:
    parts = funding.apportion(total, {str(i): X(w) for i, w in enumerate(weights)})
    assert sum(parts.values()) == total
    assert all(p >= 0 for p in parts.values())


def test_advances_are_twelfths_adding_up_to_the_budget() -> None:
    rows = funding.advances(2026, {"300": 11_066_220_000_00 + 7})
    assert len(rows) == 12
    assert sum(r.amount for r in rows) == 11_066_220_000_00 + 7
    assert rows[0].amount == round((11_066_220_000_00 + 7) / 12)


def test_belgian_holidays_2026() -> None:
    assert funding.easter(2026) == D("2026-04-05")
    holidays = funding.public_holidays(2026)
    for day in ("2026-04-06", "2026-05-14", "2026-05-25", "2026-07-21", "2026-11-11"):
        assert D(day) in holidays


@pytest.mark.parametrize(
    ("year", "month", "paid"),
    [
        (2026, 1, "2026-01-30"),  # 31 January is a Saturday
        (2026, 5, "2026-05-29"),  # 31 May is a Sunday
        (2026, 3, "2026-03-31"),
        (2024, 8, "2024-08-30"),  # 31 August 2024 is a Saturday
        (2025, 12, "2025-12-31"),
    ],
)
def test_payment_on_the_last_working_day(year: int, month: int, paid: str) -> None:
    assert funding.last_working_day(year, month) == D(paid)
