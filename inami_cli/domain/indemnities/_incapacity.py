"""Incapacity for work: the daily gross amount on a date (employees, the unemployed, the
self-employed), phase by phase, every figure read from the parameter store; and the plans
a batch shares between cases (`plan_key`, `rebase`).

Sources (facts file ``indemnities.md`` section 1 and 2, cited per parameter row):
- employees: 60 % of the capped lost daily wage in primary incapacity (INAMI, "calculer
  votre indemnité"); 65/55/40 % in invalidity by family situation (devoorzorg, wikifin);
  the ceiling by the start date of the incapacity (CGSLB, 13/5/2024); the guaranteed wage
  before the fund pays (FMSB: day 31 for white-collar, after 14 days otherwise);
- minimum: from the month set by date (FMSB: 7th, 5th from 7/2021, 4th from 2022, 3rd from
  2023); INAMI's "min-uitkering" page: in month 3 one minimum for everyone, months 4-6 by
  family situation, both reduced to the gross daily wage; from month 7 by family situation
  and regular-worker status, not reduced;
- the unemployed: months 1-6 the unemployment allowance unless 60 % of the capped wage is
  higher (INAMI); self-employed: flat amounts by family situation from day 1, the carence
  by date (RSVZ/INAMI: under 8 days not paid since 1/7/2019).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from inami_cli.domain.indemnities._apply import apply_plan
from inami_cli.domain.indemnities._calendar import add_months, month_number
from inami_cli.domain.indemnities._case import DayPlan, IncapacityCase
from inami_cli.domain.indemnities._model import Step
from inami_cli.domain.indemnities._params import ParamStore
from inami_cli.domain.indemnities._plan import plan_day


@dataclass(frozen=True)
class IncapacityResult:
    """The daily gross amount on a date, with the phase and every step that led to it."""

    scheme: str
    on: date
    start: date
    day: int  # day of incapacity (1 = the first)
    month: int  # month of incapacity
    phase: str
    paid_from: date | None  # first day the fund pays
    invalidity_from: date
    rate: Decimal | None
    wage: Decimal | None  # the daily wage used (6-day scheme)
    ceiling: Decimal | None
    raw_amount: Decimal | None  # rate x capped wage, or the flat amount, before min/max
    minimum: Decimal | None
    maximum: Decimal | None
    daily_amount: Decimal  # gross, paid by the fund (0 in the guaranteed-wage phase)
    resumption_cut: Decimal | None
    rounding: str
    reliability: str
    derived: tuple[str, ...]
    steps: tuple[dict[str, Any], ...]
    warnings: tuple[str, ...] = field(default=())

    def as_record(self) -> dict[str, Any]:
        """The JSON contract of ``indemnity compute``."""
        return {
            "scheme": self.scheme,
            "on": self.on,
            "incapacity_start": self.start,
            "day": self.day,
            "month": self.month,
            "phase": self.phase,
            "paid_from": self.paid_from,
            "invalidity_from": self.invalidity_from,
            "rate": self.rate,
            "wage": self.wage,
            "ceiling": self.ceiling,
            "raw_amount": self.raw_amount,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "resumption_cut": self.resumption_cut,
            "daily_amount": self.daily_amount,
            "rounding": self.rounding,
            "reliability": self.reliability,
            "derived_parameters": list(self.derived),
        }


def _employee_dates(store: ParamStore, case: IncapacityCase) -> tuple[date, date, int | None]:
    """(invalidity from, paid from, guaranteed-wage days) of an employee's incapacity."""
    start = case.start
    invalidity_from = add_months(start, store.get("employee.primary.duration_months", case.on)
                                 .integer)  # fmt: skip
    if case.scheme == "employee" and case.kind != "invalidity":
        days = store.get(f"employee.guaranteed_wage_days.{case.worker_category}", start).integer
        return invalidity_from, start + timedelta(days=days), days
    return invalidity_from, start, None


def _self_employed_dates(store: ParamStore, case: IncapacityCase) -> tuple[date | None, bool]:
    """(paid from, not paid at all) of a self-employed incapacity, by the carence rules."""
    start = case.start
    months_row = store.find("selfemployed.carence.unpaid_months", start)
    days_row = store.find("selfemployed.carence.unpaid_days", start)
    if months_row is not None:
        paid_from: date | None = add_months(start, months_row.integer)
    elif days_row is not None:
        paid_from = start + timedelta(days=days_row.integer)
    else:
        paid_from = store.get("selfemployed.carence.unpaid_days", start).valid_from  # NotFound
    min_row = store.find("selfemployed.carence.min_days", start)
    short = (
        min_row is not None and case.end is not None
        and (case.end - start).days + 1 < min_row.integer
    )  # fmt: skip
    return (None if short else paid_from), short


def plan_key(store: ParamStore, case: IncapacityCase) -> tuple[Any, ...]:
    """What `plan_day` depends on, beyond the start date's own arithmetic: cases with the
    same key have the same plan once `rebase` gives it their day, month and dates.

    A batch caches plans by this key: a fund's incapacities started on hundreds of
    different days, but they fall in a handful of (phase, month, parameter rows) groups.
    """
    on, start = case.on, case.start
    month = month_number(start, on) if on >= start else 0
    common = (
        case.scheme, on, case.family_situation, case.regular_worker, case.work_schedule,
        case.worker_category, case.kind, case.assimilation, case.gross_daily is None,
        case.resumption_hours is not None, min(month, 13),
    )  # fmt: skip
    if case.scheme == "self-employed":
        paid_from, short = _self_employed_dates(store, case)
        invalid = on >= add_months(start, 12)
        rows = tuple(
            id(store.find(n, start)) for n in (
                "selfemployed.carence.unpaid_months", "selfemployed.carence.unpaid_days",
                "selfemployed.carence.min_days",
            )
        )  # fmt: skip
        unpaid = short or (paid_from is not None and on < paid_from)
        return (*common, invalid, unpaid, case.end is None, rows)
    invalidity_from, paid_from, days = _employee_dates(store, case)
    invalid = case.kind == "invalidity" or on >= invalidity_from
    ceiling = store.find(f"employee.wage_ceiling.{case.work_schedule}day", start)
    cohort = (
        store.cohort(f"employee.invalidity.max.{case.family_situation}", start, on)
        if invalid else None
    )  # fmt: skip
    guaranteed = days is not None and (on - start).days + 1 <= days
    return (*common, invalid, guaranteed, days, id(ceiling), id(cohort))


def rebase(store: ParamStore, plan: DayPlan, case: IncapacityCase) -> DayPlan:
    """*plan* (computed for a case with the same `plan_key`) for *case*'s own start: its day,
    month, first paid day and passage to invalidity. The steps stay those of the case the
    plan was computed for (a batch shows none)."""
    day = (case.on - case.start).days + 1
    month = month_number(case.start, case.on)
    if case.scheme == "self-employed":
        paid_from, _short = _self_employed_dates(store, case)
        invalidity_from = add_months(case.start, 12)
    else:
        invalidity_from, paid_from_e, _days = _employee_dates(store, case)
        paid_from = paid_from_e
    if (day, month, paid_from, invalidity_from) == (
        plan.day, plan.month, plan.paid_from, plan.invalidity_from,
    ):  # fmt: skip
        return plan
    return replace(plan, day=day, month=month, paid_from=paid_from, invalidity_from=invalidity_from)


def compute_incapacity(store: ParamStore, case: IncapacityCase) -> IncapacityResult:
    """The gross daily amount paid by the fund on ``case.on``."""
    plan = plan_day(store, case)
    steps: list[Step] = list(plan.steps)
    amount = apply_plan(
        plan,
        gross_daily=case.gross_daily,
        gross_monthly=case.gross_monthly,
        unemployment_daily=case.unemployment_daily,
        resumption_hours=case.resumption_hours,
        fulltime_hours=case.fulltime_hours,
        round_percent=case.round_percent,
        steps=steps,
    )
    return IncapacityResult(
        scheme=case.scheme,
        on=case.on,
        start=case.start,
        day=plan.day,
        month=plan.month,
        phase=amount.phase,
        paid_from=plan.paid_from,
        invalidity_from=plan.invalidity_from,
        rate=plan.rate,
        wage=amount.wage,
        ceiling=plan.ceiling,
        raw_amount=amount.raw,
        minimum=amount.minimum,
        maximum=plan.maximum,
        daily_amount=amount.daily,
        resumption_cut=amount.cut,
        rounding=plan.rounding,
        reliability=plan.reliability,
        derived=plan.derived,
        steps=tuple(s.as_record() for s in steps),
        warnings=plan.warnings,
    )
