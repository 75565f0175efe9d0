"""Money: ``Decimal`` everywhere, quantised to the cent by one named rule.

Belgian tariffs are published to the cent; INAMI rounds the sum of key-letter terms
arithmetically (half away from zero), e.g. 105755 in 2025: 32.846 -> 32.85, and 102535 in
2014: 24.4799 -> 24.48 (DOMAIN.md section 2). ``ROUNDING`` is that rule and is the only one
used in the project.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from inami_cli.domain.errors import InvalidInput

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
    decimals, or is negative (unless allowed).
    """
    cleaned = (
        text.strip().replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
    )
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(f"{what}: {text!r} is not an amount (use 31.81 or 31,81)") from None
    if not value.is_finite():
        raise InvalidInput(f"{what}: {text!r} is not an amount (use 31.81 or 31,81)")
    if value != value.quantize(CENT, rounding=ROUNDING):
        raise InvalidInput(f"{what}: {text!r} has more than two decimals")
    if value < 0 and not allow_negative:
        raise InvalidInput(f"{what}: {text!r} is negative")
    return value.quantize(CENT)


def parse_decimal(text: str, *, what: str = "value") -> Decimal:
    """Parse an exact decimal number (coefficients, key-letter values, rates)."""
    cleaned = text.strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(f"{what}: {text!r} is not a number") from None
    if not value.is_finite():
        raise InvalidInput(f"{what}: {text!r} is not a number")
    return value
