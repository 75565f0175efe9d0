"""The amount over a period: Monday-to-Saturday days x the daily amount, one line per run of
days with the same phase and amount, gross and (on request) net of the withholding tax.

Withholding (facts file section 0.4): 11.11 % on primary incapacity, maternity, birth and
adoption benefits (Solidaris); 10.9 % for the unemployed in their first six months; none on
invalidity benefits (En Marche).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.indemnities._case import IncapacityCase
from inami_cli.domain.indemnities._incapacity import IncapacityResult, compute_incapacity
from inami_cli.domain.indemnities._params import ParamStore, round_amount, weakest

MAX_PERIOD_DAYS = 3 * 366
_NAMED = re.compile(r"parameter (\S+)")


@dataclass(frozen=True)
class PeriodLine:
    """A run of days with the same phase and daily amount."""

    start: date
    end: date
    days: int  # paid days (Monday to Saturday)
    phase: str
    daily_amount: Decimal
    gross: Decimal
    withholding_rate: Decimal | None
    net: Decimal | None
    reliability: str

    def as_record(self) -> dict[str, Any]:
        """A line of ``indemnity period``."""
        return {
            "from": self.start,
            "to": self.end,
            "days": self.days,
            "phase": self.phase,
            "daily_amount": self.daily_amount,
            "gross": self.gross,
            "withholding_rate": self.withholding_rate,
            "net": self.net,
            "reliability": self.reliability,
        }


@dataclass(frozen=True)
class PeriodResult:
    """The lines of a period and their totals."""

    lines: tuple[PeriodLine, ...]
    days: int
    gross: Decimal
    net: Decimal | None
    reliability: str
    derived: tuple[str, ...]
    warnings: tuple[str, ...]


def withholding_name(case: IncapacityCase, result: IncapacityResult) -> str:
    """The withholding parameter that applies to a day's benefit."""
    if result.phase.startswith("invalidity"):
        return "withholding.invalidity"
    if case.scheme == "unemployed" and result.month <= 6:
        return "withholding.unemployed_first6"
    return "withholding.primary"


def period_amounts(
    store: ParamStore,
    case: IncapacityCase,
    start: date,
    end: date,
    *,
    net: bool = False,
    on_day: Callable[[date], IncapacityCase | None] | None = None,
) -> PeriodResult:
    """The benefit from *start* to *end* (inclusive) for *case* (its ``on`` is replaced by
    each day); *on_day* may give another case per day (a recorded episode's spells), or
    None for a day without incapacity."""
    if end < start:
        raise InvalidInput(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInput("a period is at most 3 years; split it")
    lines: list[PeriodLine] = []
    derived: dict[str, None] = {}
    warnings: dict[str, None] = {}
    seen_params: set[str] = set()
    run: list[Any] = []  # [first, last, days, phase, daily, reliability, withholding]
    day = start
    while day <= end:
        if day.weekday() != 6 and day >= case.start:
            today = on_day(day) if on_day else replace(case, on=day)
            if today is None:
                if run:
                    lines.append(_line(run, net))
                    run = []
                day += timedelta(days=1)
                continue
            result = compute_incapacity(store, today)
            for name in result.derived:
                derived[name] = None
            for warning in result.warnings:
                # one line per parameter missing, not one per day of the period
                found = _NAMED.search(warning)
                key = found.group(1) if found else warning
                if key not in seen_params:
                    seen_params.add(key)
                    warnings[warning + (" (and on later days)" if found else "")] = None
            rate: Decimal | None = None
            if net and result.daily_amount > 0:
                rate = store.get(withholding_name(today, result), day).number
            key = (result.phase, result.daily_amount, rate)
            if run and run[3:5] == [key[0], key[1]] and run[6] == rate:
                run[1] = day
                run[2] += 1
                run[5] = weakest((run[5], result.reliability))
            else:
                if run:
                    lines.append(_line(run, net))
                run = [day, day, 1, result.phase, result.daily_amount, result.reliability, rate]
        day += timedelta(days=1)
    if run:
        lines.append(_line(run, net))
    gross = sum((line.gross for line in lines), Decimal("0.00"))
    total_net = sum((line.net or Decimal(0) for line in lines), Decimal("0.00")) if net else None
    return PeriodResult(
        lines=tuple(lines),
        days=sum(line.days for line in lines),
        gross=gross,
        net=total_net,
        reliability=weakest(line.reliability for line in lines),
        derived=tuple(derived),
        warnings=tuple(warnings),
    )


def _line(run: list[Any], net: bool) -> PeriodLine:
    first, last, days, phase, daily, reliability, rate = run
    gross = round_amount(daily * days)
    net_amount = None
    if net:
        net_amount = round_amount(gross * (1 - rate)) if rate is not None else gross
    return PeriodLine(first, last, days, phase, daily, gross, rate, net_amount, reliability)
