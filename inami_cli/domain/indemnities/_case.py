"""What an incapacity computation is about: the case, the choices it accepts, and the
day's plan (everything but the wage) that `_plan` builds and `_apply` turns into an amount."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from inami_cli.domain.errors import InvalidInput

SCHEMES = ("employee", "unemployed", "self-employed")
FAMILY_SITUATIONS = ("family", "isolated", "cohabitant")
WORKER_CATEGORIES = ("white-collar", "blue-collar", "short-contract")
KINDS = ("primary", "invalidity")
PHASES = (
    "guaranteed-wage",
    "not-paid",
    "primary",
    "primary-minimum",
    "invalidity",
    "invalidity-minimum",
)
SIX_OVER_FIVE = Decimal(6) / Decimal(5)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
_UNPAID = frozenset(("guaranteed-wage", "not-paid"))
_RAISED = {"primary": "primary-minimum", "invalidity": "invalidity-minimum"}


def check_choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    """*value* normalised, or InvalidInput naming *what* and the allowed values."""
    text = value.strip().lower()
    if text not in allowed:
        raise InvalidInput(f"{what}: {value!r} is not one of {', '.join(allowed)}")
    return text


@dataclass(frozen=True)
class IncapacityCase:
    """What a computation needs about one incapacity."""

    scheme: str
    start: date  # first day of the incapacity (of the episode, relapses included)
    on: date  # the day asked about
    family_situation: str
    gross_daily: Decimal | None = None  # lost gross daily wage (employees, unemployed)
    gross_monthly: Decimal | None = None  # helper: the daily wage is monthly / 26
    regular_worker: bool = True
    work_schedule: int = 6  # the daily wage given is of a 5- or 6-day week
    worker_category: str = "white-collar"
    unemployment_daily: Decimal | None = None
    end: date | None = None  # recognised end (self-employed: the under-8-days rule)
    assimilation: bool = False  # self-employed cohabitant after a year, with assimilation
    kind: str = "primary"  # an episode recorded in invalidity from its start
    resumption_hours: Decimal | None = None
    fulltime_hours: Decimal | None = None
    round_percent: bool = False

    def __post_init__(self) -> None:
        check_choice(self.scheme, SCHEMES, "--scheme")
        check_choice(self.family_situation, FAMILY_SITUATIONS, "--family-situation")
        check_choice(self.worker_category, WORKER_CATEGORIES, "--worker-category")
        if self.on < self.start:
            raise InvalidInput(
                f"--on {self.on.isoformat()} is before the incapacity starts "
                f"({self.start.isoformat()})"
            )
        if self.end is not None and self.end < self.start:
            raise InvalidInput(
                f"the incapacity ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()})"
            )
        if self.work_schedule not in (5, 6):
            raise InvalidInput(f"--work-schedule: {self.work_schedule} is not 5 or 6")
        for amount, flag in (
            (self.gross_daily, "gross wage"),
            (self.unemployment_daily, "--unemployment-daily"),
        ):
            if amount is not None and amount < 0:
                raise InvalidInput(f"{flag}: {amount} is negative")


@dataclass(frozen=True)
class DayPlan:
    """Everything about one day of an incapacity except the wage: the phase, the rate, the
    ceiling, the minimum and maximum that apply, read from the parameters. A batch computes
    it once per (scheme, start, day, situation, ...) and applies it to each row's wage."""

    scheme: str
    day: int
    month: int
    phase: str  # guaranteed-wage | not-paid | primary | invalidity (before the minimum)
    paid_from: date | None
    invalidity_from: date
    rate: Decimal | None = None
    ceiling: Decimal | None = None
    five_day: bool = False
    divisor: Decimal | None = None  # monthly gross / divisor = daily wage
    allowance_months: bool = False  # unemployed, months 1-6: the allowance if higher
    maximum: Decimal | None = None
    minimum: Decimal | None = None
    minimum_capped: bool = False  # months 3-6: reduced to the gross daily wage
    flat: Decimal | None = None  # self-employed flat amount
    rounding: str = "half-up"
    exemption: Decimal | None = None  # partial resumption (None: not asked)
    reliability: str = "official"
    derived: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    steps: tuple[Any, ...] = ()
