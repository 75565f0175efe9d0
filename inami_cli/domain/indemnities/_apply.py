"""The wage-dependent part of a day's amount: a plan applied to a wage (once per row of a
batch, so plain comparisons and Decimal arithmetic, the trace built only when asked)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from inami_cli.domain.errors import MissingValue
from inami_cli.domain.indemnities._case import (
    _RAISED,
    _UNPAID,
    CENT,
    SIX_OVER_FIVE,
    ZERO,
    DayPlan,
)
from inami_cli.domain.indemnities._model import Step
from inami_cli.domain.indemnities._params import round_amount
from inami_cli.domain.indemnities._resumption import resumption_cut


class DayAmount(NamedTuple):
    """The wage-dependent part: what the plan gives for one wage (a named tuple: a batch
    builds one per row)."""

    phase: str
    wage: Decimal | None
    raw: Decimal | None
    minimum: Decimal | None
    daily: Decimal
    cut: Decimal | None


def apply_plan(
    plan: DayPlan,
    *,
    gross_daily: Decimal | None = None,
    gross_monthly: Decimal | None = None,
    unemployment_daily: Decimal | None = None,
    resumption_hours: Decimal | None = None,
    fulltime_hours: Decimal | None = None,
    round_percent: bool = False,
    steps: list[Step] | None = None,
) -> DayAmount:
    """The daily amount of *plan* for a wage; *steps* collects the trace when given.

    This runs once per row of a batch: plain comparisons and Decimal arithmetic, the steps
    built only when asked for.
    """
    if plan.phase in _UNPAID:
        return DayAmount(plan.phase, None, None, None, ZERO, None)
    wage: Decimal | None = None
    minimum: Decimal | None = None
    phase = plan.phase
    if plan.flat is not None:
        amount = raw = plan.flat
    else:
        if gross_daily is not None:
            gross = gross_daily
            if steps is not None:
                steps.append(Step("gross daily wage", gross, "given"))
        elif gross_monthly is not None and plan.divisor is not None:
            gross = gross_monthly / plan.divisor
            if steps is not None:
                steps.append(
                    Step("gross daily wage", gross.quantize(Decimal("0.0001")), "monthly / 26")
                )
        else:
            raise MissingValue("missing value: pass --gross-daily or --gross-monthly")
        ceiling, rate = plan.ceiling, plan.rate
        assert ceiling is not None and rate is not None
        wage = gross if gross < ceiling else ceiling
        if plan.five_day:
            # Benefits are paid in the 6-day scheme; the two ceilings differ by exactly 6/5
            # (215.4530 = 179.5442 x 1.2, CGSLB), so a 5-day daily wage is worth 5/6 of it.
            wage = wage / SIX_OVER_FIVE
        amount = raw = wage * rate
        if steps is not None:
            steps.append(
                Step(
                    "capped daily wage (6-day scheme)",
                    round_amount(wage),
                    "min(gross, ceiling), x 5/6 for a 5-day wage",
                )
            )
            steps.append(Step("rate x capped wage", round_amount(raw), "before min and max"))
        if plan.allowance_months:
            if unemployment_daily is None:
                raise MissingValue(
                    "missing value: pass --unemployment-daily (months 1-6 of an unemployed "
                    "person's incapacity)"
                )
            if unemployment_daily > raw:
                amount = unemployment_daily
                if steps is not None:
                    steps.append(Step("unemployment allowance kept", amount, "higher than 60 %"))
        if plan.maximum is not None and amount > plan.maximum:
            amount = plan.maximum
            if steps is not None:
                steps.append(Step("maximum applies", amount, "the cohort's maximum"))
        minimum = plan.minimum
        if minimum is not None and plan.minimum_capped and gross < minimum:
            minimum = gross
            if steps is not None:
                steps.append(Step("minimum reduced to the wage", minimum, "months 3-6 (INAMI)"))
        if minimum is not None and minimum > amount:
            amount = minimum
            phase = _RAISED[phase]
            if steps is not None:
                steps.append(Step("minimum applies", minimum, "raised to the minimum"))
    rule = plan.rounding
    daily = (
        amount.quantize(CENT, rounding=ROUND_HALF_UP)
        if rule == "half-up"
        else (round_amount(amount, rule))
    )
    cut: Decimal | None = None
    if resumption_hours is not None and plan.exemption is not None and daily > 0:
        if fulltime_hours is None:
            raise MissingValue("missing value: pass --fulltime-hours with --resumption-hours")
        note = (lambda w, v, r: steps.append(Step(w, v, r))) if steps is not None else None
        cut = resumption_cut(
            resumption_hours,
            fulltime_hours,
            plan.exemption,
            round_percent=round_percent,
            note=note,
        )
        daily = round_amount(daily * (1 - cut), rule)
    if steps is not None:
        steps.append(Step("daily gross amount", daily, f"rounded to the cent ({rule})"))
    return DayAmount(
        phase,
        None if wage is None else wage.quantize(CENT, rounding=ROUND_HALF_UP),
        None if raw is None else raw.quantize(CENT, rounding=ROUND_HALF_UP),
        minimum,
        daily,
        cut,
    )
