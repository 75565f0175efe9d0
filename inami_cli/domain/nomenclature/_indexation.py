"""Indexation: amounts and key-letter values raised by a rate, with one rounding rule."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from inami_cli.domain import values
from inami_cli.domain.money import CENT, ROUNDING, ZERO
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


def keep_shares(
    profiles: Iterable[Profile], old_fee: Decimal, new_fee: Decimal
) -> tuple[Profile, ...]:
    """Each profile's personal share kept, the reimbursement absorbing the fee's change.

    Indexation is decided on fees and key-letter values; fixed personal shares stay
    ("Door het systeem van de vaste remgelden verandert het bedrag dat de patiënt zelf moet
    betalen niet", RIZIV, M/21 convention; rules audit R29): new reimbursement = new fee -
    (old fee - old reimbursement), never below 0 nor above the new fee.
    """
    return tuple(
        Profile(
            min(max(new_fee - (old_fee - p.reimbursement), ZERO), new_fee),
            p.regime,
            p.dmg,
            p.age_from,
            p.age_to,
            p.chronic,
        )
        for p in profiles
    )
