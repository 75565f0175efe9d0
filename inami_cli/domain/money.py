"""Money: ``Decimal`` everywhere, quantised to the cent by one named rule.

Belgian tariffs are published to the cent; INAMI rounds the sum of key-letter terms
arithmetically (half away from zero), e.g. 105755 in 2025: 32.846 -> 32.85, and 102535 in
2014: 24.4799 -> 24.48 (DOMAIN.md section 2). ``ROUNDING`` is that rule and is the only one
used in the project.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from inami_cli.domain import values

ROUNDING = ROUND_HALF_UP
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_cents(value: Decimal) -> Decimal:
    """Round an amount to the cent with the project's rule (half away from zero)."""
    return value.quantize(CENT, rounding=ROUNDING)


def to_cents(value: Decimal) -> int:
    """Convert an amount in euros to an integer number of cents (rounded first)."""
    return int(round_cents(value) * 100)


def from_cents(cents: int) -> Decimal:
    """Convert an integer number of cents to a ``Decimal`` amount in euros."""
    return (Decimal(cents) / 100).quantize(CENT)


def parse_amount(text: str, *, what: str = "amount", allow_negative: bool = False) -> Decimal:
    """Parse a euro amount typed with a dot or a comma (``31.81``, ``31,81``, ``€ 31,81``).

    Raises ``InvalidInput`` naming *what* when the text is not an amount, has more than two
    decimals, is out of bounds, or is negative (unless allowed): ``values.parse_amount``.
    """
    return values.parse_amount(text, what=what, allow_negative=allow_negative)


def parse_decimal(text: str, *, what: str = "value") -> Decimal:
    """Parse an exact decimal number within the general bounds (``values.parse_number``)."""
    return values.parse_number(text, what=what)
