"""Dated, sourced parameters (OpenFisca-style) and the named rounding rules.

Every amount of the indemnity branch changes with index jumps, welfare adjustments and
reforms, and several 2025/2026 figures exist only as derived candidates. So no figure is a
constant here: a computation asks a `ParamStore` for a parameter by name on a date and gets
the row (value, period, unit, source, reliability), which it cites in its trace.

A name may carry a cohort in brackets, ``employee.invalidity.max.family[1974-10-01..2002-12-31]``:
the row applies to incapacities that started inside the cohort (`ParamStore.cohort`).
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property

from inami_cli.domain.errors import InvalidInput, NotFound

RELIABILITIES = ("official", "fund", "secondary", "derived")
"""From the strongest to the weakest: INAMI/RSVZ/Moniteur, a sickness fund or union, the press
or a social secretariat, computed from sourced figures by a named rule."""

UNITS = (
    "EUR",
    "EUR/day",
    "EUR/week",
    "EUR/month",
    "EUR/year",
    "ratio",
    "days",
    "weeks",
    "months",
    "month",
    "years",
    "hours",
    "rule",
)

ROUNDING_RULES = ("half-up", "truncate")
"""Cents half-up reproduces every published daily amount (60 % x 179.5442 = 107.7265 ->
107.73, facts file section 0.3); truncation is what a published SECM decision shows
(136 899.245 -> 136 899.24), kept as a named rule for computations that need it."""

_NAME = re.compile(r"^[a-z0-9_.\-]+(\[\d{4}-\d{2}-\d{2}\.\.(\d{4}-\d{2}-\d{2})?\])?$")
_COHORT = re.compile(r"^(?P<base>[^\[]+)\[(?P<start>[\d-]+)\.\.(?P<end>[\d-]*)\]$")
CENT = Decimal("0.01")


def round_amount(value: Decimal, rule: str = "half-up") -> Decimal:
    """Round to the cent by the named rule (``half-up`` or ``truncate``)."""
    if rule == "truncate":
        return value.quantize(CENT, rounding=ROUND_DOWN)
    if rule == "half-up":
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    raise InvalidInput(f"rounding rule {rule!r}: expected one of {', '.join(ROUNDING_RULES)}")


def weakest(reliabilities: Iterable[str]) -> str:
    """The weakest reliability among those given (``official`` when none)."""
    worst = 0
    for item in reliabilities:
        worst = max(worst, RELIABILITIES.index(item))
    return RELIABILITIES[worst]


@dataclass(frozen=True)
class Param:
    """One dated value of a parameter, with where it comes from."""

    name: str
    valid_from: date
    valid_to: date | None
    value: str  # exact text: a decimal number, or a word for unit "rule"
    unit: str
    reliability: str
    source: str
    note: str = ""

    @cached_property
    def number(self) -> Decimal:
        """The value as an exact decimal (parsed once: batches read it millions of times)."""
        return Decimal(self.value)

    @cached_property
    def integer(self) -> int:
        """The value as a whole number (days, weeks, months)."""
        return int(self.number)

    @property
    def derived(self) -> bool:
        """True when the value is a derived candidate, not a published figure."""
        return self.reliability == "derived"

    def covers(self, on: date) -> bool:
        """True when *on* lies inside the row's period."""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @property
    def period(self) -> str:
        """``2024-05-01..2025-01-31`` or ``2026-03-01..`` (open)."""
        end = self.valid_to.isoformat() if self.valid_to else ""
        return f"{self.valid_from.isoformat()}..{end}"


def cohort_of(name: str) -> tuple[str, date | None, date | None]:
    """``(base name, cohort start, cohort end)`` of a name; no cohort: ``(name, None, None)``."""
    match = _COHORT.match(name)
    if match is None:
        return name, None, None
    end = match["end"]
    return (
        match["base"],
        date.fromisoformat(match["start"]),
        date.fromisoformat(end) if end else None,
    )


def check_param(
    *,
    name: str,
    valid_from: date,
    valid_to: date | None,
    value: str,
    unit: str,
    reliability: str,
    source: str,
    note: str = "",
) -> Param:
    """A validated row (InvalidInput naming the field otherwise)."""
    name = name.strip()
    if not _NAME.match(name):
        raise InvalidInput(
            f"name {name!r}: lower-case words with dots (employee.primary.rate), "
            "optionally a cohort [YYYY-MM-DD..YYYY-MM-DD]"
        )
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(f"{name}: valid_to {valid_to} is before valid_from {valid_from}")
    if unit not in UNITS:
        raise InvalidInput(f"unit {unit!r}: expected one of {', '.join(UNITS)}")
    if reliability not in RELIABILITIES:
        raise InvalidInput(
            f"reliability {reliability!r}: expected one of {', '.join(RELIABILITIES)}"
        )
    text = value.strip()
    if unit == "rule":
        if text not in ROUNDING_RULES:
            raise InvalidInput(
                f"{name}: value {text!r} is not a rule ({', '.join(ROUNDING_RULES)})"
            )
    else:
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise InvalidInput(f"{name}: value {value!r} is not a number") from None
        if not number.is_finite():
            raise InvalidInput(f"{name}: value {value!r} is not a number")
        if number < 0:
            raise InvalidInput(f"{name}: value {value!r} is negative")
        text = format(number, "f")
    if not source.strip():
        raise InvalidInput(f"{name}: a source is required (URL or reference)")
    return Param(name, valid_from, valid_to, text, unit, reliability, source.strip(), note.strip())


def overlap_problem(rows: Sequence[Param]) -> str | None:
    """The first pair of rows of one name whose periods overlap, said in words."""
    ordered = sorted(rows, key=lambda r: (r.name, r.valid_from))
    for before, after in itertools.pairwise(ordered):
        if before.name != after.name:
            continue
        if before.valid_to is None or before.valid_to >= after.valid_from:
            return (
                f"{after.name}: period {after.period} overlaps {before.period} "
                f"(periods of one parameter never overlap)"
            )
    return None


class ParamStore:
    """Every parameter row in memory, indexed by name; look-ups by date."""

    def __init__(self, rows: Iterable[Param]) -> None:
        self._by_name: dict[str, list[Param]] = {}
        for row in rows:
            self._by_name.setdefault(row.name, []).append(row)
        for items in self._by_name.values():
            items.sort(key=lambda r: r.valid_from)
        self._starts = {n: [r.valid_from for r in items] for n, items in self._by_name.items()}
        self._found: dict[tuple[str, date], Param | None] = {}
        self._cohorts: dict[str, list[tuple[date, date | None, str]]] = {}
        for name in self._by_name:
            base, start, end = cohort_of(name)
            if start is not None:
                self._cohorts.setdefault(base, []).append((start, end, name))

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_name.values())

    def names(self) -> list[str]:
        """Every parameter name, sorted."""
        return sorted(self._by_name)

    def rows(self, name: str | None = None) -> list[Param]:
        """The rows of one name (or all), by name then date."""
        if name is not None:
            return list(self._by_name.get(name, ()))
        return [r for n in self.names() for r in self._by_name[n]]

    def find(self, name: str, on: date) -> Param | None:
        """The row of *name* in force on *on*, or None (memoised: a batch asks the same few
        days again and again)."""
        key = (name, on)
        try:
            return self._found[key]
        except KeyError:
            pass
        row: Param | None = None
        starts = self._starts.get(name)
        if starts:
            index = bisect_right(starts, on) - 1
            if index >= 0:
                candidate = self._by_name[name][index]
                if candidate.valid_to is None or on <= candidate.valid_to:
                    row = candidate
        if len(self._found) >= 100_000:
            self._found.clear()
        self._found[key] = row
        return row

    def get(self, name: str, on: date) -> Param:
        """The row of *name* in force on *on*; NotFound (exit 3) naming the parameter."""
        row = self.find(name, on)
        if row is not None:
            return row
        known = self._by_name.get(name)
        if not known:
            raise NotFound(
                f"parameter {name}: no value in the store",
                hint="add it with `inami indemnity params set` or `params import`",
            )
        periods = ", ".join(r.period for r in known[-3:])
        raise NotFound(
            f"parameter {name}: no value on {on.isoformat()} (known periods: {periods})",
            hint="add the published value with `inami indemnity params set`",
        )

    def cohort(self, base: str, start: date, on: date) -> Param | None:
        """The row of the cohort of *base* containing *start*, in force on *on* (or None)."""
        for c_start, c_end, name in self._cohorts.get(base, ()):
            if c_start <= start and (c_end is None or start <= c_end):
                return self.find(name, on)
        return None
