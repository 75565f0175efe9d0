"""Calendar arithmetic of the indemnity rules: months of incapacity, the 6-day week."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

# Batches ask about a few thousand (start, day) pairs millions of times: both functions are
# pure, so their answers are kept (a bounded cache: memory stays flat).
_CALENDAR_CACHE = 1 << 15


@lru_cache(maxsize=_CALENDAR_CACHE)
def add_months(day: date, months: int) -> date:
    """*day* moved by whole months, the day of month kept when it exists (31 Jan + 1 = 28/29
    Feb). An incapacity from 10 April is in its 4th month from 10 July (facts file 1.1
    row 8)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


@lru_cache(maxsize=_CALENDAR_CACHE)
def month_number(start: date, on: date) -> int:
    """The month of incapacity *on* falls in (1 = the first month from *start*)."""
    months = (on.year - start.year) * 12 + on.month - start.month
    if add_months(start, months) > on:
        months -= 1
    return months + 1


def paid_days(start: date, end: date) -> int:
    """Monday-to-Saturday days from *start* to *end* inclusive: benefits are paid in the
    6-day scheme whatever the schedule before (INAMI, max-uitkering-invaliditeit); public
    holidays are not excluded in any source found."""
    if end < start:
        return 0
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 6
    for offset in range(rest):
        if (start + timedelta(days=weeks * 7 + offset)).weekday() != 6:
            count += 1
    return count


def is_paid_day(day: date) -> bool:
    """Not a Sunday."""
    return day.weekday() != 6
