"""Miners' invalidity pensions (AR 19/11/1970, closed scheme paid by INAMI).

Monthly amounts by work (underground, surface) and status (married; single, widower or
divorced; separated whose wife is admitted; separated wife), a heating allowance (halved
for the separated categories), May holiday pay with its supplement, earnings ceilings for
a cumulated activity (since 2008). Entitlement ends at 65, and under the 2024 decree on the
first day of the month after the legal pension age (66 from 2025, 67 from 2030). INAMI
tables of 1/5/2024, news.belgium.be for 2008 and 2013; 2025/2026 amounts are derived rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.indemnities._calendar import add_months
from inami_cli.domain.indemnities._case import check_choice
from inami_cli.domain.indemnities._model import Trace
from inami_cli.domain.indemnities._params import ParamStore, round_amount

WORK = ("underground", "surface")
STATUSES = ("married", "single", "separated", "separated-wife")
EARNINGS_TYPES = ("employee-gross", "self-employed-net")


@dataclass(frozen=True)
class MinersPension:
    """The pension on a date."""

    on: date
    work: str
    status: str
    monthly: Decimal
    yearly: Decimal
    heating_monthly: Decimal | None
    holiday_pay: Decimal | None
    holiday_supplement: Decimal | None
    end_date: date | None
    entitled: bool
    earnings_ceiling: Decimal | None
    earnings_exceed: bool | None
    reliability: str
    derived: tuple[str, ...]
    steps: tuple[dict[str, Any], ...]
    warnings: tuple[str, ...]

    def as_record(self) -> dict[str, Any]:
        """The JSON contract of ``miners pension``."""
        return {
            "on": self.on,
            "work": self.work,
            "status": self.status,
            "monthly": self.monthly,
            "yearly": self.yearly,
            "heating_monthly": self.heating_monthly,
            "holiday_pay": self.holiday_pay,
            "holiday_supplement": self.holiday_supplement,
            "end_date": self.end_date,
            "entitled": self.entitled,
            "earnings_ceiling": self.earnings_ceiling,
            "earnings_exceed": self.earnings_exceed,
            "reliability": self.reliability,
            "derived_parameters": list(self.derived),
        }


def end_of_entitlement(trace: Trace, birth: date) -> date:
    """The first day without pension: the month after the legal pension age (65 before the
    2024 decree; 66 from 2025, 67 from 2030)."""
    for age in range(60, 71):
        birthday = add_months(birth, 12 * age)
        row = trace.store.find("miners.end_age", birthday)
        if row is not None and age >= row.integer:
            end = add_months(birthday.replace(day=1), 1)
            trace.add("end of entitlement", end, f"month after reaching {row.integer}", row)
            return end
    raise InvalidInput(f"--birth-date {birth.isoformat()}: no pension age found")


def miners_pension(
    store: ParamStore,
    *,
    on: date,
    work: str,
    status: str,
    birth: date | None = None,
    earnings: Decimal | None = None,
    earnings_type: str = "employee-gross",
    dependants: bool = False,
) -> MinersPension:
    """The monthly pension and what goes with it on *on*."""
    work = check_choice(work, WORK, "--work")
    status = check_choice(status, STATUSES, "--status")
    earnings_type = check_choice(earnings_type, EARNINGS_TYPES, "--earnings-type")
    trace = Trace(store)
    monthly = trace.number(f"miners.monthly.{work}.{status}", on, "monthly amount", "by date")
    yearly = monthly * 12
    trace.add("yearly amount", yearly, "12 x monthly")
    heating: Decimal | None = None
    row = store.find("miners.heating.monthly", on)
    if row is None:
        trace.warn(f"heating allowance: no value of miners.heating.monthly on {on.isoformat()}")
    else:
        heating = row.number
        trace.add("heating allowance (full)", heating, "per month", row)
        if status.startswith("separated"):
            factor = trace.number("miners.heating.separated_factor", on, "separated", "halved")
            heating = round_amount(heating * factor)
    holiday: Decimal | None = None
    supplement: Decimal | None = None
    pay = store.find(f"miners.holiday_pay.{status}", on)
    sup = store.find(f"miners.holiday_supplement.{status}", on)
    if pay is None or sup is None:
        trace.warn(
            f"May holiday pay of {on.year}: no value of miners.holiday_pay.{status} "
            "(not published in the sources)"
        )
    else:
        holiday, supplement = pay.number, sup.number
        trace.add("May holiday pay", holiday, f"year {on.year}", pay)
        trace.add("holiday pay supplement", supplement, f"year {on.year}", sup)
    end: date | None = None
    entitled = True
    if birth is not None:
        if birth >= on:
            raise InvalidInput(f"--birth-date {birth.isoformat()} is not before --on")
        end = end_of_entitlement(trace, birth)
        entitled = on < end
    ceiling: Decimal | None = None
    exceed: bool | None = None
    if earnings is not None:
        if earnings < 0:
            raise InvalidInput(f"--earnings: {earnings} is negative")
        kind = "employee_gross" if earnings_type == "employee-gross" else "self_employed_net"
        who = "dependants" if dependants else "no_dependants"
        ceiling = trace.number(
            f"miners.earnings_ceiling.{kind}.{who}", on, "earnings ceiling", "per year"
        )
        exceed = earnings > ceiling
        trace.add("earnings above the ceiling", exceed, "the pension is reduced or suspended")
    return MinersPension(
        on=on,
        work=work,
        status=status,
        monthly=monthly,
        yearly=yearly.quantize(Decimal("0.01")),
        heating_monthly=heating,
        holiday_pay=holiday,
        holiday_supplement=supplement,
        end_date=end,
        entitled=entitled,
        earnings_ceiling=ceiling,
        earnings_exceed=exceed,
        reliability=trace.reliability,
        derived=tuple(f"{p.name} {p.period}" for p in trace.derived),
        steps=tuple(trace.records()),
        warnings=tuple(trace.warnings),
    )
