"""Incapacity for work, the plan of a day: the phase, the rate, the ceiling, the minimum
and maximum read from the parameters (everything but the wage), for employees, the
unemployed and the self-employed, every figure read from the parameter store.

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

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from inami_cli.domain.errors import InvalidInput, MissingValue
from inami_cli.domain.indemnities._calendar import add_months, month_number
from inami_cli.domain.indemnities._case import DayPlan, IncapacityCase
from inami_cli.domain.indemnities._model import Trace
from inami_cli.domain.indemnities._params import ParamStore


def _rounding(trace: Trace, on: date) -> str:
    row = trace.store.find("rounding.indemnity_daily", on)
    if row is None:
        return "half-up"
    trace.add("rounding", row.value, "daily amount rounded to the cent", row)
    return row.value


def plan_day(store: ParamStore, case: IncapacityCase) -> DayPlan:
    """The wage-independent part of ``compute_incapacity`` (see `DayPlan`)."""
    trace = Trace(store)
    if case.scheme == "self-employed":
        fields = _self_employed(trace, case)
    else:
        fields = _employee(trace, case)
    if case.resumption_hours is not None and fields.get("phase") not in (
        "guaranteed-wage",
        "not-paid",
    ):
        if case.scheme == "self-employed":
            raise InvalidInput(
                "partial resumption: the self-employed rule (-10 % from the 7th month of the "
                "authorised activity) is not computed by --resumption-hours"
            )
        fields["exemption"] = trace.number(
            "employee.resumption.exemption",
            case.on,
            "exemption (points of occupation)",
            "cut = max(0, Q/S - exemption), since 1/4/2018",
        )
    fields["rounding"] = _rounding(trace, case.on)
    return DayPlan(
        scheme=case.scheme,
        reliability=trace.reliability,
        derived=tuple(f"{p.name} {p.period}" for p in trace.derived),
        warnings=tuple(trace.warnings),
        steps=tuple(trace.steps),
        **fields,
    )


def _employee(trace: Trace, case: IncapacityCase) -> dict[str, Any]:
    on, start = case.on, case.start
    day = (on - start).days + 1
    month = month_number(start, on)
    duration = trace.integer(
        "employee.primary.duration_months",
        on,
        "primary incapacity lasts (months)",
        "invalidity after one year of primary incapacity",
    )
    invalidity_from = add_months(start, duration)
    invalid = case.kind == "invalidity" or on >= invalidity_from
    trace.add("day of incapacity", day, f"counted from {start.isoformat()} (relapses included)")
    trace.add("month of incapacity", month, "a month runs to the same day of the next month")
    fields: dict[str, Any] = {
        "day": day,
        "month": month,
        "invalidity_from": invalidity_from,
        "paid_from": start,
    }
    if case.scheme == "employee" and case.kind != "invalidity":
        guaranteed = trace.integer(
            f"employee.guaranteed_wage_days.{case.worker_category}",
            start,
            f"guaranteed wage by the employer ({case.worker_category}, days)",
            "the fund pays after the employer's guaranteed wage",
        )
        fields["paid_from"] = start + timedelta(days=guaranteed)
        if day <= guaranteed:
            trace.add("phase", "guaranteed-wage", "the employer pays; the fund pays nothing yet")
            return {**fields, "phase": "guaranteed-wage"}
    if case.gross_daily is None:
        if case.gross_monthly is None:
            raise MissingValue("missing value: pass --gross-daily or --gross-monthly")
        # The 6-day scheme's days in a month: Solidaris 3 000 -> 1 800 = 60 % x 26 x
        # 115.38; L'Echo "26 jours par mois"; no official text found, so it is a parameter.
        fields["divisor"] = trace.number(
            "employee.daily_wage.monthly_divisor",
            on,
            "days per month",
            "daily wage = monthly gross / 26",
        )
    schedule = f"{case.work_schedule}day"
    fields["five_day"] = case.work_schedule == 5
    fields["ceiling"] = trace.number(
        f"employee.wage_ceiling.{schedule}",
        start,
        f"wage ceiling ({case.work_schedule}-day scheme, by start date)",
        "the lost wage is capped at the ceiling of the incapacity's start date",
    )
    if invalid:
        fields["rate"] = trace.number(
            f"employee.invalidity.rate.{case.family_situation}",
            on,
            f"invalidity rate ({case.family_situation})",
            "invalidity: by family situation",
        )
        phase = "invalidity"
    else:
        fields["rate"] = trace.number(
            "employee.primary.rate",
            on,
            "primary incapacity rate",
            "primary incapacity: 60 % of the capped wage",
        )
        phase = "primary"
    trace.add("phase", phase, f"invalidity from {invalidity_from.isoformat()}")
    if case.scheme == "unemployed" and not invalid:
        months = trace.integer(
            "unemployed.allowance_months",
            on,
            "unemployment allowance months",
            "months 1-6: the unemployment allowance unless 60 % of the capped wage is higher",
        )
        fields["allowance_months"] = month <= months
    if invalid:
        row = trace.store.cohort(f"employee.invalidity.max.{case.family_situation}", start, on)
        if row is not None:
            fields["maximum"] = row.number
            trace.add("invalidity maximum of the cohort", row.number, "by the start date", row)
    minimum, capped = _minimum(trace, case, month, invalid)
    return {**fields, "phase": phase, "minimum": minimum, "minimum_capped": capped}


def _minimum(
    trace: Trace, case: IncapacityCase, month: int, invalid: bool
) -> tuple[Decimal | None, bool]:
    """The minimum that applies in *month* (None when none yet) and whether it is reduced to
    the gross daily wage, by the dated rules."""
    on = case.on
    first = trace.integer(
        "employee.minimum.from_month", on, "minimum from month", "first month with a minimum"
    )
    if month < first and not invalid:
        trace.add("minimum", None, f"none before month {first}")
        return None, False
    uncapped = trace.store.get("employee.minimum.uncapped_from_month", on)
    family_from = trace.store.get("employee.minimum.family_from_month", on)
    if invalid or month >= uncapped.integer:
        worker = "regular" if case.regular_worker else "nonregular"
        situation = case.family_situation
        if not case.regular_worker:
            situation = "family" if situation == "family" else "without"
        value = trace.number(
            f"employee.minimum.{worker}.{situation}",
            on,
            f"minimum ({worker} worker, {situation})",
            f"from month {uncapped.integer}: by family situation, not reduced to the wage",
        )
        return value, False
    if month < family_from.integer:
        name = "employee.minimum.month3"
        what = "minimum of month 3 (one for everyone)"
    else:
        group = "family" if case.family_situation == "family" else "without"
        name = f"employee.minimum.month4_6.{group}"
        what = f"minimum of months 4-6 ({'with' if group == 'family' else 'without'} family charge)"
    row = trace.store.find(name, on)
    if row is None:
        # The amounts of months 3-6 were not found in any source (facts file 1.2): the rule
        # is applied as soon as an administrator adds them; until then it is said, not guessed.
        trace.add(what, None, f"no value of {name} in the store: minimum not applied")
        trace.warn(
            f"minimum of month {month} not applied: parameter {name} has no value on "
            f"{on.isoformat()} (add it with `inami indemnity params set`)"
        )
        return None, False
    trace.add(what, row.number, "months 3-6: reduced to the gross daily wage (INAMI)", row)
    return row.number, True


def _self_employed(trace: Trace, case: IncapacityCase) -> dict[str, Any]:
    on, start = case.on, case.start
    day = (on - start).days + 1
    month = month_number(start, on)
    invalidity_from = add_months(start, 12)
    trace.add("day of incapacity", day, f"counted from {start.isoformat()}")
    store = trace.store
    paid_from: date | None = start
    months_row = store.find("selfemployed.carence.unpaid_months", start)
    days_row = store.find("selfemployed.carence.unpaid_days", start)
    if months_row is not None:
        paid_from = add_months(start, months_row.integer)
        trace.add("carence (months not paid)", months_row.integer, "by start date", months_row)
    elif days_row is not None:
        paid_from = start + timedelta(days=days_row.integer)
        trace.add("carence (days not paid)", days_row.integer, "by start date", days_row)
    else:
        store.get("selfemployed.carence.unpaid_days", start)  # NotFound naming it
    min_row = store.find("selfemployed.carence.min_days", start)
    not_paid = False
    if min_row is not None:
        if case.end is None:
            trace.add(
                "recognised period",
                "open",
                f"assumed to last at least {min_row.integer} days",
                min_row,
            )
        else:
            length = (case.end - start).days + 1
            trace.add("recognised period (days)", length, "end - start + 1")
            if length < min_row.integer:
                not_paid = True
                trace.add(
                    "not paid",
                    f"{length} < {min_row.integer} days",
                    "incapacities of fewer than 8 days are not paid",
                    min_row,
                )
    fields: dict[str, Any] = {"day": day, "month": month, "invalidity_from": invalidity_from}
    if not_paid or (paid_from is not None and on < paid_from):
        trace.add("phase", "not-paid", "carence")
        return {**fields, "phase": "not-paid", "paid_from": None if not_paid else paid_from}
    situation = case.family_situation
    if situation == "cohabitant" and case.assimilation and on >= invalidity_from:
        situation = "cohabitant_assimilated"
    flat = trace.number(
        f"selfemployed.flat.{situation}",
        on,
        f"flat daily amount ({situation})",
        "self-employed: flat amounts by family situation from day 1",
    )
    phase = "invalidity" if on >= invalidity_from else "primary"
    trace.add("phase", phase, f"invalidity from {invalidity_from.isoformat()}")
    return {**fields, "phase": phase, "paid_from": paid_from, "flat": flat}
