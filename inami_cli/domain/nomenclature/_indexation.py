"""Indexation: amounts and key-letter values raised by a rate, with one rounding rule."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from inami_cli.domain import values
from inami_cli.domain.money import CENT, ROUNDING
from inami_cli.domain.tariffs import Profile

KEY_VALUE_QUANTUM = Decimal("0.000001")  # key-letter values are published with 6 decimals
INDEXATION_RULE = (
    "amount x (1 + rate/100) rounded half away from zero to the cent; "
    "key-letter values to 6 decimals"
)


def parse_rate(text: str) -> Decimal:
    """An indexation rate in percent (``2.72``, ``2,72``, ``2.72%``), above -100."""
    return values.parse_rate(text, what="rate")


def index_amount(amount: Decimal, rate: Decimal) -> Decimal:
    """Index one amount by *rate* percent with the project's one rule (``INDEXATION_RULE``)."""
    return (amount * (Decimal(1) + rate / 100)).quantize(CENT, rounding=ROUNDING)


def index_key_value(value: Decimal, rate: Decimal) -> Decimal:
    """Index a key-letter value by *rate* percent, kept to 6 decimals."""
    return (value * (Decimal(1) + rate / 100)).quantize(KEY_VALUE_QUANTUM, rounding=ROUNDING)


def index_profiles(profiles: Iterable[Profile], rate: Decimal) -> tuple[Profile, ...]:
    """Each profile's reimbursement indexed (monotone: never above the indexed fee)."""
    return tuple(
        Profile(
            index_amount(p.reimbursement, rate), p.regime, p.dmg, p.age_from, p.age_to, p.chronic
        )
        for p in profiles
    )
