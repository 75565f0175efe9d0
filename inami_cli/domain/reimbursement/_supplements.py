"""Supplement codes billed with a main code (pseudo-codes of category ``supplement``): the
night, weekend and holiday supplements of GP consultations and visits, and the on-call and
permanence supplements.

- They have their own share rule: no personal share for the night, weekend and holiday
  supplements of GP visits and consultations since 2011 (rules-audit.md section 4 item 7;
  the year only is given there: the rule is dated 2011-01-01 [DERIVED], to be replaced by
  the day of the published decision).
- They are computed in the same visit as their main code: a supplement without a GP
  consultation or visit accepted in the same visit is refused with eTarif 007 ("tariff
  depends on other services billed together", https://github.com/hl7-be/etariff).

The VNZ 2024 page lists the on-call supplement (5.05, consultations 19:00-21:00 by the GP on
duty) and the permanence supplement (4.57, 18:00-21:00, "met een GMD integraal
terugbetaald") without their code numbers: they are recorded as acts of category
``supplement`` with their tariff profiles when an administrator has the numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from inami_cli.domain.reimbursement._model import PastCare
from inami_cli.domain.reimbursement._rules import FixedShareRule

SUPPLEMENT_CATEGORY = "supplement"
# the categories a supplement may be billed with (its main code)
MAIN_CATEGORIES = frozenset({"gp_consultation", "gp_visit"})

SUPPLEMENT_SHARES: tuple[FixedShareRule, ...] = (
    FixedShareRule(
        name="gp_supplement_no_share",
        categories=frozenset({SUPPLEMENT_CATEGORY}),
        valid_from=date(2011, 1, 1),
        ordinary=Decimal("0.00"),
        preferential=Decimal("0.00"),
        source="no personal share for the night, weekend and holiday supplements of GP "
        "visits and consultations since 2011 (rules-audit.md section 4 item 7; "
        "year only: dated 2011-01-01 [DERIVED])",
    ),
)


def supplement_share_rule(category: str, on: date) -> FixedShareRule | None:
    """The share rule of a supplement code on *on*, or None."""
    for rule in SUPPLEMENT_SHARES:
        if category in rule.categories and rule.in_force(on):
            return rule
    return None


def missing_main_code(category: str, visit: Iterable[PastCare]) -> str | None:
    """Why a supplement cannot be reimbursed in this visit (no main code), or None."""
    if category != SUPPLEMENT_CATEGORY:
        return None
    if any(v.category in MAIN_CATEGORIES for v in visit):
        return None
    return "a supplement is billed with a GP consultation or visit in the same visit"
