"""The funds' money: monthly advances, budget shares and financial responsibility (pure).

This package is the public face; by sub-topic:

- ``_calendar``: Belgian public holidays and the payment day of an advance;
- ``_money``: advances (art. 202), budget shares (art. 196), responsibility (boni / mali).
"""

from __future__ import annotations

from inami_cli.domain.funding._calendar import (
    easter,
    is_working_day,
    last_working_day,
    public_holidays,
)
from inami_cli.domain.funding._money import (
    ACTUAL_WEIGHT,
    ADVANCE_SOURCE,
    GLOBAL_FROM,
    NORMATIVE_WEIGHT,
    RESPONSIBILITY_RATES,
    RESPONSIBILITY_SOURCE,
    SHARE_SOURCE,
    Advance,
    Responsibility,
    Share,
    advances,
    apportion,
    budget_shares,
    responsibility,
    responsibility_rate,
)

__all__ = [
    "ACTUAL_WEIGHT",
    "ADVANCE_SOURCE",
    "GLOBAL_FROM",
    "NORMATIVE_WEIGHT",
    "RESPONSIBILITY_RATES",
    "RESPONSIBILITY_SOURCE",
    "SHARE_SOURCE",
    "Advance",
    "Responsibility",
    "Share",
    "advances",
    "apportion",
    "budget_shares",
    "easter",
    "is_working_day",
    "last_working_day",
    "public_holidays",
    "responsibility",
    "responsibility_rate",
]
