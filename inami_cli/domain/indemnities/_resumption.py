"""Partial resumption of work (travail autorisé / toegelaten arbeid), employees.

Since 1/4/2018 the benefit is cut by the fraction of occupation Q/S minus an exemption of
20 points, never below 0 (En Marche: Jérôme 19/38 = 50 % -> cut 30 %, keeps 70 %; Annie
12/36 = 33.33 % -> 13 % "pourcentage arrondi"; Partena: 50 EUR/day, 10/38 = 26.31 % ->
"6 %" -> 47 EUR; Acerta: 40 EUR, 19/38 -> 28 EUR). The sources round the percentage; the
exact cut is the default and the rounded-percentage variant an option (facts file 1.1).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from inami_cli.domain.errors import InvalidInput

HUNDRED = Decimal(100)


def resumption_cut(
    hours: Decimal,
    fulltime: Decimal,
    exemption: Decimal,
    *,
    round_percent: bool = False,
    note: Callable[[str, Any, str], None] | None = None,
) -> Decimal:
    """The fraction of the benefit cut (0 ... 1) for Q = *hours* out of S = *fulltime*."""
    if fulltime <= 0:
        raise InvalidInput(f"--fulltime-hours: {fulltime} must be more than 0")
    if hours < 0:
        raise InvalidInput(f"--resumption-hours: {hours} is negative")
    if hours > fulltime:
        raise InvalidInput(f"--resumption-hours {hours} is more than --fulltime-hours {fulltime}")
    fraction = hours / fulltime
    cut = max(Decimal(0), fraction - exemption)
    if note is not None:
        note(
            "fraction of occupation Q/S (%)",
            (fraction * HUNDRED).quantize(Decimal("0.01")),
            f"minus the exemption of {exemption * HUNDRED} points",
        )
    if round_percent:
        cut = (cut * HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP) / HUNDRED
        if note is not None:
            note("cut (rounded percent)", cut * HUNDRED, "rounded to a whole percent")
    elif note is not None:
        note("cut (exact, %)", (cut * HUNDRED).quantize(Decimal("0.0001")), "exact")
    return cut
