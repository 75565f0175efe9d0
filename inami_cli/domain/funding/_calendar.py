"""Belgian public holidays and the working day an advance is paid on.

The ten legal public holidays (law of 4 January 1974 and AR 18 April 1974): New Year's Day,
Easter Monday, 1 May, Ascension Day, Whit Monday, 21 July, 15 August, 1 November,
11 November and Christmas. Easter by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def easter(year: int) -> date:
    """Easter Sunday of *year* (Gregorian calendar)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int) -> dict[date, str]:
    """The Belgian legal public holidays of *year*."""
    sunday = easter(year)
    return {
        date(year, 1, 1): "New Year's Day",
        sunday + timedelta(days=1): "Easter Monday",
        date(year, 5, 1): "Labour Day",
        sunday + timedelta(days=39): "Ascension Day",
        sunday + timedelta(days=50): "Whit Monday",
        date(year, 7, 21): "National Day",
        date(year, 8, 15): "Assumption",
        date(year, 11, 1): "All Saints' Day",
        date(year, 11, 11): "Armistice Day",
        date(year, 12, 25): "Christmas Day",
    }


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def last_working_day(year: int, month: int) -> date:
    """The last working day of a month (the advance's payment date).

    Art. 202: the advance is paid "before the end of each month"; when the last day falls on
    a weekend or holiday the payment moves. The text does not say where; as the advance is
    due before the end of the month, it moves to the working day before. ⚠ An assumption.
    """
    day = date(year, month, calendar.monthrange(year, month)[1])
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day
