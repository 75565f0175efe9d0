"""A day's plan compiled to integers: the common case of `apply_plan` (a daily wage given in
cents, the 6-day scheme, cents rounded half-up, no partial resumption) as plain integer
arithmetic, for a batch that applies one plan to many wages.

Every amount of the plan is an exact decimal (parameters are stored as decimals), so the
integer form is exact: the wage in 1/10 000 €, the rate as an integer over 10^k, their
product in 1/10^(4+k) €, the minimum, maximum and unemployment allowance scaled to the same
unit, and the half-up rounding to the cent as ``(2x + u) // 2u`` on non-negative values.
`apply_plan` stays the authority: any case outside that shape (a 5-day wage divided by
6/5, a monthly wage divided by 26, another rounding rule, a partial resumption, a minimum
reduced to a wage below it) returns None and the caller applies the plan with Decimals.
tests/domain/test_indemnities.py compares both on random wages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from inami_cli.domain.indemnities._case import _RAISED, _UNPAID, DayPlan

_WAGE_EXP = 4  # ceilings have 4 decimals (179.5442, CGSLB): the wage is kept in 1/10 000 €


class CentsPlan(NamedTuple):
    """The integers of a plan; amounts in units of 10^-(4 + rate_exp) €."""

    ceiling: int  # in 1/10 000 €
    rate: int  # the rate x 10^rate_exp
    unit: int  # one cent in the amount unit
    maximum: int | None
    minimum: int | None
    minimum_capped: bool  # months 3-6: a wage below the minimum leaves this form
    allowance: bool  # unemployed, months 1-6: the allowance if higher (it must be given)
    phase: str
    raised: str  # the phase when the minimum applies


def _scaled(value: Decimal, exponent: int) -> int | None:
    """*value* x 10^exponent when that is an integer, else None."""
    scaled = value.scaleb(exponent)
    return int(scaled) if scaled == scaled.to_integral_value() else None


def compile_plan(plan: DayPlan) -> CentsPlan | None:
    """The integer form of *plan*, or None when it needs `apply_plan`'s Decimals."""
    if (
        plan.phase in _UNPAID or plan.flat is not None or plan.five_day
        or plan.rounding != "half-up" or plan.ceiling is None or plan.rate is None
        or plan.phase not in _RAISED
    ):  # fmt: skip
        return None
    exponent = plan.rate.as_tuple().exponent
    rate_exp = max(0, -exponent) if isinstance(exponent, int) else 0
    ceiling = _scaled(plan.ceiling, _WAGE_EXP)
    rate = _scaled(plan.rate, rate_exp)
    amount_exp = _WAGE_EXP + rate_exp
    maximum = None if plan.maximum is None else _scaled(plan.maximum, amount_exp)
    minimum = None if plan.minimum is None else _scaled(plan.minimum, amount_exp)
    if (
        ceiling is None or rate is None
        or (plan.maximum is not None and maximum is None)
        or (plan.minimum is not None and minimum is None)
    ):  # fmt: skip
        return None
    return CentsPlan(
        ceiling, rate, 10**(amount_exp - 2), maximum, minimum, plan.minimum_capped,
        plan.allowance_months, plan.phase, _RAISED[plan.phase],
    )  # fmt: skip


def apply_cents(
    plan: CentsPlan, gross: int, unemployment: int | None
) -> tuple[str, int, int] | None:
    """(phase, wage in cents, daily amount in cents) for a gross daily wage and an
    unemployment allowance in cents: what `apply_plan` gives, or None when this case
    needs it (see the module)."""
    unit = plan.unit
    wage = gross * 100
    if wage > plan.ceiling:
        wage = plan.ceiling
    amount = wage * plan.rate
    if plan.allowance:
        if unemployment is None:
            return None  # apply_plan says which value is missing
        allowance = unemployment * unit
        if allowance > amount:
            amount = allowance
    if plan.maximum is not None and amount > plan.maximum:
        amount = plan.maximum
    phase = plan.phase
    minimum = plan.minimum
    if minimum is not None:
        if plan.minimum_capped and gross * unit < minimum:
            return None  # the minimum becomes the wage, shown as given
        if minimum > amount:
            amount = minimum
            phase = plan.raised
    return phase, (2 * wage + 100) // 200, (2 * amount + unit) // (2 * unit)
