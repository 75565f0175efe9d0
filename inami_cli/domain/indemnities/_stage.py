"""The qualifying period (stage / wachttijd) and relapses.

Stage (law art. 128, facts file 1.1 row 17): incapacities from 1/5/2017 need 180 working
days (or 800 hours part-time) in 12 months; before, 120 days in 6 months. Assimilated days
(holidays, controlled unemployment, compensatory rest, maternity leave, ...) count as worked.
Maternity (INAMI, moederschapsrust): 6 months with 120 days, or 400 hours (133 when the
schedule cannot reach 400); incapacity days never count.

Relapse (INAMI FAQ): a new incapacity after an interruption of less than 14 days continues
a primary incapacity, of less than 3 months an invalidity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.indemnities._calendar import add_months
from inami_cli.domain.indemnities._model import Trace
from inami_cli.domain.indemnities._params import ParamStore


@dataclass(frozen=True)
class StageResult:
    """Is the qualifying period met, and by how much."""

    kind: str  # incapacity | maternity
    start: date
    window_from: date
    window_to: date
    days_needed: int
    hours_needed: int
    days_counted: int
    hours_counted: int
    met: bool
    reason: str
    reliability: str
    steps: tuple[dict[str, Any], ...]

    def as_record(self) -> dict[str, Any]:
        """The JSON contract of ``indemnity stage``."""
        return {
            "kind": self.kind,
            "start": self.start,
            "window_from": self.window_from,
            "window_to": self.window_to,
            "days_needed": self.days_needed,
            "hours_needed": self.hours_needed,
            "days_counted": self.days_counted,
            "hours_counted": self.hours_counted,
            "met": self.met,
            "reason": self.reason,
            "reliability": self.reliability,
        }


def check_stage(
    store: ParamStore,
    *,
    start: date,
    worked_days: int = 0,
    assimilated_days: int = 0,
    hours: int = 0,
    maternity: bool = False,
    reduced_schedule: bool = False,
) -> StageResult:
    """The qualifying period for an incapacity (or a maternity rest) starting on *start*."""
    for value, flag in (
        (worked_days, "--days-worked"),
        (assimilated_days, "--assimilated-days"),
        (hours, "--hours"),
    ):
        if value < 0:
            raise InvalidInput(f"{flag}: {value} is negative")
    trace = Trace(store)
    prefix = "maternity.stage" if maternity else "stage"
    days_needed = trace.integer(f"{prefix}.days", start, "working days needed", "by start date")
    months = trace.integer(f"{prefix}.window_months", start, "window (months)", "by start date")
    hours_name = f"{prefix}.hours_reduced" if maternity and reduced_schedule else f"{prefix}.hours"
    hours_needed = trace.integer(hours_name, start, "hours needed (part-time)", "by start date")
    window_from = add_months(start, -months)
    counted = worked_days + assimilated_days
    met = counted >= days_needed or (hours > 0 and hours >= hours_needed)
    if counted >= days_needed:
        reason = f"{counted} days (worked and assimilated) >= {days_needed}"
    elif hours > 0 and hours >= hours_needed:
        reason = f"{hours} hours >= {hours_needed}"
    else:
        reason = (
            f"{counted} days < {days_needed}"
            + (f" and {hours} hours < {hours_needed}" if hours else "")
            + f" in the {months} months before {start.isoformat()}"
        )
    trace.add("met", met, reason)
    return StageResult(
        kind="maternity" if maternity else "incapacity",
        start=start,
        window_from=window_from,
        window_to=start - timedelta(days=1),
        days_needed=days_needed,
        hours_needed=hours_needed,
        days_counted=counted,
        hours_counted=hours,
        met=met,
        reason=reason,
        reliability=trace.reliability,
        steps=tuple(trace.records()),
    )


def continues_episode(
    store: ParamStore, *, previous_end: date, previous_invalid: bool, new_start: date
) -> bool:
    """True when an incapacity starting on *new_start* is a relapse of one that ended on
    *previous_end* (the same episode: the days count on from its start)."""
    if new_start <= previous_end:
        return False
    if previous_invalid:
        months = store.get("employee.relapse.invalidity_months", new_start).integer
        return new_start < add_months(previous_end + timedelta(days=1), months)
    days = store.get("employee.relapse.primary_days", new_start).integer
    interruption = (new_start - previous_end).days - 1
    return interruption < days
