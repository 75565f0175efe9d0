"""Birth leave (congé de naissance, former paternity leave) and adoption leave.

Birth leave (facts file 3.3): 10 days, 15 for births from 1/1/2021, 20 from 1/1/2023,
within 4 months of the birth; the employer pays the first 3 days at 100 %, the fund the
rest at 82 % of the gross wage, capped (the cap is an unverified secondary figure, 134.53
a day from 1/8/2022, carried by index jumps as derived rows). Self-employed: up to 10 days
at a flat daily amount.

Adoption leave (3.4): 6 weeks per adoptive parent plus shared weeks by the leave's start
date (+1 2019, +2 2021, +3 2023, +4 2025, +5 2027), doubled for a child with a disability,
+2 weeks for several children adopted together, minus 1/2/3 weeks when 1-5/6-10/11-15 days
of birth leave were taken; to start within 2 months of the registration; 82 % capped, the
employer paying 3 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from inami_cli.domain.errors import Conflict, InvalidInput, MissingValue
from inami_cli.domain.indemnities._calendar import add_months, paid_days
from inami_cli.domain.indemnities._maternity import BenefitLine, BenefitResult, _result
from inami_cli.domain.indemnities._model import Trace
from inami_cli.domain.indemnities._params import ParamStore, round_amount


def birth_leave(
    store: ParamStore,
    *,
    birth: date,
    gross_daily: Decimal | None = None,
    days: int | None = None,
    self_employed: bool = False,
) -> BenefitResult:
    """The birth leave for a birth on *birth*: days by the employer and paid by the fund."""
    trace = Trace(store)
    if self_employed:
        entitled = trace.integer(
            "birth_leave.selfemployed.days", birth, "days (self-employed)", "flat daily amount"
        )
        taken = entitled if days is None else days
        _check_days(taken, entitled)
        daily = trace.number("birth_leave.selfemployed.daily", birth, "flat daily amount", "")
        end = birth + timedelta(days=taken - 1)
        line = BenefitLine(
            "flat days",
            birth,
            end,
            taken,
            None,
            daily,
            round_amount(daily * taken),
            trace.reliability,
        )
        return _result(trace, [line])
    if gross_daily is None:
        raise MissingValue("missing value: pass --gross-daily")
    if gross_daily < 0:
        raise InvalidInput(f"--gross-daily: {gross_daily} is negative")
    entitled = trace.integer("birth_leave.days", birth, "days of birth leave", "by birth date")
    taken = entitled if days is None else days
    _check_days(taken, entitled)
    months = trace.integer(
        "birth_leave.within_months", birth, "taken within (months)", "of the birth"
    )
    last = add_months(birth, months) - timedelta(days=1)
    trace.add("last day to take it", last, "within 4 months of the birth")
    employer = trace.integer("birth_leave.employer_days", birth, "employer days", "100 %")
    rate = trace.number("birth_leave.rate", birth, "rate", "82 % of the gross wage, capped")
    cap = trace.number("leave.max_daily", birth, "maximum daily amount", "unverified cap")
    lines: list[BenefitLine] = []
    first = min(employer, taken)
    wage = round_amount(gross_daily)
    lines.append(
        BenefitLine(
            "employer (100 %)",
            birth,
            last,
            first,
            Decimal(1),
            wage,
            round_amount(wage * first),
            trace.reliability,
            payer="employer",
        )
    )
    fund_days = taken - first
    if fund_days > 0:
        daily = round_amount(min(gross_daily * rate, cap))
        trace.add("fund daily amount", daily, "min(82 % x gross, cap)")
        lines.append(
            BenefitLine(
                "sickness fund",
                birth,
                last,
                fund_days,
                rate,
                daily,
                round_amount(daily * fund_days),
                trace.reliability,
            )
        )
    return _result(trace, lines)


def _check_days(taken: int, entitled: int) -> None:
    if taken <= 0:
        raise InvalidInput(f"--days: {taken} must be more than 0")
    if taken > entitled:
        raise Conflict(f"--days {taken}: the leave is {entitled} days for this birth date")


@dataclass(frozen=True)
class AdoptionPlan:
    """Weeks per parent and, with a wage, the amounts."""

    start: date
    registration: date
    parents: int
    base_weeks: int
    shared_weeks: int
    weeks: tuple[int, ...]  # per parent
    reliability: str
    derived: tuple[str, ...]
    steps: tuple[dict[str, Any], ...]
    daily_amount: Decimal | None = None

    def as_record(self) -> dict[str, Any]:
        """The JSON contract of ``adoption-leave plan``."""
        return {
            "registration": self.registration,
            "start": self.start,
            "parents": self.parents,
            "base_weeks_per_parent": self.base_weeks,
            "shared_weeks": self.shared_weeks,
            "weeks_per_parent": list(self.weeks),
            "daily_amount": self.daily_amount,
            "reliability": self.reliability,
            "derived_parameters": list(self.derived),
        }


def _birth_leave_cut(days: int) -> int:
    if days < 0:
        raise InvalidInput(f"--birth-leave-days: {days} is negative")
    if days == 0:
        return 0
    return min(3, (days - 1) // 5 + 1)  # 1-5 -> 1 week, 6-10 -> 2, 11-15 -> 3


def adoption_plan(
    store: ParamStore,
    *,
    registration: date,
    start: date | None = None,
    parents: int = 2,
    split: tuple[int, ...] | None = None,
    disability: bool = False,
    children: int = 1,
    birth_leave_days: int = 0,
    gross_daily: Decimal | None = None,
) -> AdoptionPlan:
    """The adoption leave of one or two parents."""
    if parents not in (1, 2):
        raise InvalidInput(f"--parents: {parents} is not 1 or 2")
    if children < 1:
        raise InvalidInput(f"--children: {children} must be at least 1")
    first = start or registration
    trace = Trace(store)
    within = trace.integer(
        "adoption_leave.start_within_months", first, "start within (months)", "of registration"
    )
    if first < registration or first >= add_months(registration, within):
        raise Conflict(
            f"the leave starts on {first.isoformat()}: it must start within {within} months of "
            f"the registration ({registration.isoformat()})"
        )
    base = trace.integer("adoption_leave.weeks_per_parent", first, "weeks per parent", "")
    shared = trace.integer("adoption_leave.shared_weeks", first, "shared weeks", "by start date")
    if children > 1:
        shared += trace.integer(
            "adoption_leave.multiple_children_extra_weeks", first, "several children", "+2 weeks"
        )
    if disability:
        base, shared = base * 2, shared * 2
        trace.add("doubled", base, "child with a disability: the leave is doubled")
    cut = _birth_leave_cut(birth_leave_days)
    if cut:
        shared = max(0, shared - cut)
        trace.add("reduced for birth leave taken", -cut, "1-5 days -1 week, 6-10 -2, 11-15 -3")
    if parents == 1:
        weeks: tuple[int, ...] = (base + shared,)
        if split is not None and split != (shared,):
            raise InvalidInput("--split: a single adopter takes all the shared weeks")
    else:
        given = split if split is not None else (shared - shared // 2, shared // 2)
        if len(given) != 2 or sum(given) != shared or min(given) < 0:
            raise Conflict(
                f"--split {':'.join(map(str, given))}: the {shared} shared weeks "
                "must be split between the two parents (e.g. 2:2)"
            )
        weeks = (base + given[0], base + given[1])
    daily: Decimal | None = None
    if gross_daily is not None:
        if gross_daily < 0:
            raise InvalidInput(f"--gross-daily: {gross_daily} is negative")
        rate = trace.number("adoption_leave.rate", first, "rate", "82 % capped")
        cap = trace.number("leave.max_daily", first, "maximum daily amount", "unverified cap")
        daily = round_amount(min(gross_daily * rate, cap))
        trace.add("fund daily amount", daily, "min(82 % x gross, cap)")
    return AdoptionPlan(
        start=first,
        registration=registration,
        parents=parents,
        base_weeks=base,
        shared_weeks=shared,
        weeks=weeks,
        reliability=trace.reliability,
        derived=tuple(f"{p.name} {p.period}" for p in trace.derived),
        steps=tuple(trace.records()),
        daily_amount=daily,
    )


def leave_days_paid(start: date, weeks: int) -> int:
    """Paid days (Mon-Sat) in *weeks* weeks from *start*."""
    return paid_days(start, start + timedelta(weeks=weeks, days=-1))
