"""Dates and validity periods (``valid_from`` inclusive, ``valid_to`` inclusive or open)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

from inami_cli.domain import values
from inami_cli.domain.errors import InvalidInput

OPEN_END = date(2999, 12, 31)  # INAMI's NomenSoft writes open periods as 2999-12-31


def parse_date(text: str, *, what: str = "date", today: date | None = None) -> date:
    """Parse ``YYYY-MM-DD``, ``today``, ``yesterday`` or a Belgian ``D/M/YYYY`` date (years
    1900 to 2199: ``values.parse_date``)."""
    return values.parse_date(text, what=what, today=today)


def age_on(birth: date, on: date) -> int:
    """Age in whole years on a date (the birthday itself counts)."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def day_after(day: date | None) -> date | None:
    """The next day; None for None (an open end) and for the last day a ``date`` holds."""
    return None if day is None or day == date.max else day + timedelta(days=1)


def stretch(
    on: date, changes: Iterable[date | None], start: date = date.min, end: date | None = None
) -> tuple[date, date | None]:
    """The stretch of days around *on*, inside [*start*, *end*), between two of *changes*
    (the days on which an answer may change; None ignored): from the last change on or
    before *on* (inclusive) to the first after it (exclusive; None: every later day)."""
    for change in changes:
        if change is None:
            continue
        if change <= on:
            if change > start:
                start = change
        elif end is None or change < end:
            end = change
    return start, end


@dataclass(frozen=True)
class Period:
    """An inclusive date range; ``end`` None means open-ended."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise InvalidInput(f"period ends ({self.end}) before it starts ({self.start})")

    def contains(self, day: date) -> bool:
        """True when *day* lies inside the period."""
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, other: Period) -> bool:
        """True when the two periods share at least one day."""
        self_end = self.end or OPEN_END
        other_end = other.end or OPEN_END
        return self.start <= other_end and other.start <= self_end

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat() if self.end else ''}"


class _Dated(Protocol):
    @property
    def valid_from(self) -> date: ...

    @property
    def valid_to(self) -> date | None: ...


D = TypeVar("D", bound=_Dated)


def in_force(items: Iterable[D], on: date) -> list[D]:
    """The items whose ``[valid_from, valid_to]`` contains *on*."""
    return [i for i in items if i.valid_from <= on and (i.valid_to is None or on <= i.valid_to)]


def first_overlap(items: Sequence[D], new: Period) -> D | None:
    """The first existing item whose period overlaps *new*, or None."""
    for item in items:
        if Period(item.valid_from, item.valid_to).overlaps(new):
            return item
    return None


def format_period(start: date, end: date | None) -> str:
    """``2024-01-01..2024-12-31`` or ``2024-01-01..`` (open)."""
    return str(Period(start, end))
