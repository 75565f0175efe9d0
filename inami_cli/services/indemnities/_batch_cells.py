"""The cells and the output pieces of ``indemnity batch`` (``_batch``): amounts, flags and
texts read from the cells, a plan's pieces shared by its rows, a row's pre-rendered pieces."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from inami_cli.domain.cells import yes_no
from inami_cli.domain.indemnities import CentsPlan, DayAmount, DayPlan, StartClasses, month_number
from inami_cli.domain.values import AMOUNT_LIMIT
from inami_cli.domain.values import parse_number as parse_value

_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?", re.ASCII)  # 123.45, at C speed
_CENTS = re.compile(r"([0-9]{1,10})(?:\.([0-9]{1,2}))?", re.ASCII).fullmatch  # 123.4, 123.45
_CENTS_LIMIT = int(AMOUNT_LIMIT * 100)
parse_flag = yes_no  # a yes/no cell (domain.cells)


def parse_number(text: str, what: str) -> Decimal | None:
    value = text.strip()
    if not value:
        return None
    return parse_value(value, what=what, low=Decimal(0), high=AMOUNT_LIMIT, low_open=False)


def fast_number(text: str, what: str) -> Decimal:
    """A plain non-negative amount (``123.45``) at C speed; anything else (a comma, a
    sign, words) through `parse_number`, which explains what is wrong."""
    number = Decimal(text) if _PLAIN.fullmatch(text) else None
    if number is None or number >= AMOUNT_LIMIT:
        value = parse_number(text, what)
        assert value is not None
        return value
    return number


def parse_cents(text: str) -> int | None:
    """A plain amount with at most 2 decimals in cents, else None (the Decimal path then
    parses it, or says what is wrong with it)."""
    found = _CENTS(text)
    if found is None:
        return None
    whole, fraction = found.groups()
    cents = int(whole) * 100 + (0 if fraction is None else int(fraction.ljust(2, "0")))
    return cents if cents < _CENTS_LIMIT else None


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class SharedPlan(NamedTuple):
    """A plan shared by many rows (by `rules.plan_key`), its integer form and its pieces of
    output, rendered once."""

    plan: DayPlan
    fast: CentsPlan | None  # the plan in integers (`rules.compile_plan`), when it has one
    rate: str
    ceiling: str
    minimum: str  # the plan's minimum, as the integer path shows it
    maximum: str
    tail: str  # reliability, derived


class DatePieces(NamedTuple):
    """A row's (on, incapacity_start) pair: its plan class (`rules.StartClasses.key`) and
    its rendered dates, day and month (plain arithmetic, once per pair)."""

    key: tuple[Any, ...]
    head: str  # on, incapacity_start
    middle: str  # day, month


def date_pieces(classes: StartClasses, on: date, start: date, *, json: bool) -> DatePieces:
    """The class and rendered dates, day and month of an (on, start) pair."""
    day = (on - start).days + 1
    month = month_number(start, on) if start <= on else 0
    if json:
        head = f'"on": "{on.isoformat()}", "incapacity_start": "{start.isoformat()}"'
        middle = f'"day": {day}, "month": {month}'
    else:
        head = f"{on.isoformat()},{start.isoformat()}"
        middle = f"{day},{month}"
    return DatePieces(classes.key(on, start), head, middle)


@dataclass(frozen=True, slots=True)
class PreparedRow:
    """A row's plan and the pre-rendered pieces of its output, shared by every row with the
    same cells but its wages and dates of the same class (the plan's own pieces are shared
    by all its rows)."""

    shared: SharedPlan
    gross: Decimal | None  # the recorded spell's wage, for rows that give none
    round_percent: bool
    head: str  # niss, scheme
    dates: DatePieces  # the dates of the row it was made from (rows keyed by their dates)
    json: bool

    def render(
        self, line: int, dates: DatePieces, phase: str, wage: str, minimum: str, daily: str
    ) -> str:
        """One output row (CSV or NDJSON) from its dates and rendered amounts."""
        shared = self.shared
        if self.json:
            return (
                f'{{"line": {line}, {self.head}, {dates.head}, "phase": "{phase}", '
                f'{dates.middle}, "rate": {shared.rate}, '
                f'"wage": {wage}, "ceiling": {shared.ceiling}, '
                f'"minimum": {minimum}, "maximum": {shared.maximum}, '
                f'"daily_amount": {daily}, {shared.tail}}}\n'
            )
        return (
            f"{line},{self.head},{dates.head},{phase},{dates.middle},{shared.rate},{wage},"
            f"{shared.ceiling},{minimum},{shared.maximum},{daily},{shared.tail}\n"
        )

    def render_amount(self, line: int, dates: DatePieces, amount: DayAmount) -> str:
        """One output row from a `DayAmount` (the Decimal path)."""
        empty = "null" if self.json else ""
        wage = empty if amount.wage is None else format(amount.wage, "f")
        minimum = empty if amount.minimum is None else format(amount.minimum, "f")
        return self.render(line, dates, amount.phase, wage, minimum, str(amount.daily))
