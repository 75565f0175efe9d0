"""The classes of (asked day, start date) pairs that an incapacity's plan cannot tell apart.

`plan_key` (``_incapacity``) says what a day's plan depends on; everything it reads from the
start date is (a) a parameter row in force on the start (the ceiling by start date, the
guaranteed wage, the carence; the invalidity maximum by start cohort: facts file
``indemnities.md`` sections 1 and 2), or (b) a comparison of the day or the month of
incapacity with a number of days or months read from the parameters (``day <= guaranteed
days``, ``month >= first month of the minimum``, ``on >= start + duration months`` which is
``month > duration``). So two starts asked on the same day share the plan when they fall in
the same parameter period (no row of any parameter begins or ends between them) and their
days and months sit on the same side of every such number. A batch keys its plans by that
class and computes each row's day and month with plain arithmetic.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from typing import Any

from inami_cli.domain.indemnities._calendar import month_number
from inami_cli.domain.indemnities._params import ParamStore, cohort_of

_DAY_UNITS = ("days",)
_MONTH_UNITS = ("month", "months")
# month_number beyond this never changes a plan_key by itself (plan_key clips at 13)
_MONTH_FLOOR = 13


class StartClasses:
    """`key` of an (on, start) pair: equal keys give equal `plan_key` for any case that
    differs only by these two dates (and gives no ``end``: the self-employed carence reads
    ``end - start``, so a batch keys such rows by their own dates)."""

    def __init__(self, store: ParamStore) -> None:
        bounds: set[date] = set()
        day_limits: set[int] = set()
        month_limits: set[int] = {_MONTH_FLOOR - 1}
        for row in store.rows():
            bounds.add(row.valid_from)
            if row.valid_to is not None:
                bounds.add(row.valid_to + timedelta(days=1))
            _base, c_start, c_end = cohort_of(row.name)
            if c_start is not None:
                bounds.add(c_start)
            if c_end is not None:
                bounds.add(c_end + timedelta(days=1))
            if row.unit in _DAY_UNITS or row.unit in _MONTH_UNITS:
                try:
                    limit = row.integer
                except (ValueError, ArithmeticError):
                    continue
                (day_limits if row.unit in _DAY_UNITS else month_limits).add(limit)
        self.bounds = sorted(bounds)
        self.day_limits = sorted(day_limits)
        # months above every month limit compare alike with all of them
        self.month_cap = max(month_limits) + 1

    def key(self, on: date, start: date) -> tuple[Any, ...]:
        """(on, parameter period of start, month class, day class); for a start after *on*
        the dates themselves (no plan: the case is refused as it would be alone)."""
        if start > on:
            return (on, start)
        day = (on - start).days + 1
        month = month_number(start, on)
        return (
            on,
            bisect_right(self.bounds, start),
            min(month, self.month_cap),
            # how many day limits lie below *day*: equal counts, same side of each limit
            bisect_left(self.day_limits, day),
        )
