"""Control use cases (SECM, SCA): fines and prescription today; the billing audit, the
provider report and the sample control of a fund will join them here as ``_audit``,
``_report`` and ``_fund`` modules.

Fines and prescription are pure rules (``domain.control``); these use cases only parse
nothing and read nothing, so they are the domain's functions under the service's name.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from inami_cli.domain import control as rules
from inami_cli.domain.control import Fine, Prescription


def fine(
    *,
    article: str,
    indu: Decimal,
    rate: Decimal,
    suspended: Decimal = Decimal(0),
    rounding: str = "truncate",
    repay: bool = True,
) -> Fine:
    """The art. 142 fine of an indu (``Conflict`` when the rate is out of the band)."""
    return rules.compute_fine(article=article, indu=indu, rate=rate, suspended=suspended,
                              rounding=rounding, repay=repay)  # fmt: skip


def prescription(
    *, action: str, day: date, fraud: bool = False, fraud_end: date | None = None
) -> Prescription:
    """The last valid date of a payment or a recovery (art. 174)."""
    return rules.prescription(action=action, day=day, fraud=fraud, fraud_end=fraud_end)


__all__ = ["Fine", "Prescription", "fine", "prescription"]
