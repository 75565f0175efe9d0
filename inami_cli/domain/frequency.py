"""Frequency periods of the nomenclature: the one list the import and the reimbursement
engine share (rules audit R18/R19, issue 15).

A code limited to N acts "per period" counts the person's recorded acts of the same code
that fall in the same period as the date of care. The periods the nomenclature uses:

- ``day``, ``calendar_month``, ``calendar_year``: the calendar unit of the date of care
  (eTarif reason 002, https://github.com/hl7-be/etariff);
- ``semester``: the calendar half-year (January-June, July-December): "één mondonderzoek
  per semester" (CM 2022, rules-audit R18);
- ``three_calendar_years``: the calendar year of care and the two before it (the
  periodontal examination, once per 3 calendar years; rules-audit R18);
- ``rolling_year``: the 12 months ending on the date of care (from the same day of the
  previous year, exclusive, to the date of care, inclusive); acts after the date of care
  do not count;
- ``per_prescription``: per pathology or prescription ("18 sessions per condition",
  https://www.cm.be/diensten-en-voordelen/ziekte-en-behandeling/terugbetalingen-behandelingen/kinesisten/zittingen-normaal-tarief).
  Recorded care carries no prescription reference yet, so every recorded act of the code
  counts (the strictest reading; documented in the README).
"""

from __future__ import annotations

from datetime import date, timedelta

from inami_cli.domain.errors import InvalidInput

FREQUENCY_PERIODS: tuple[str, ...] = (
    "day",
    "calendar_month",
    "calendar_year",
    "semester",
    "three_calendar_years",
    "rolling_year",
    "per_prescription",
)

PERIOD_WORDS: dict[str, str] = {
    "day": "day",
    "calendar_month": "calendar month",
    "calendar_year": "calendar year",
    "semester": "semester",
    "three_calendar_years": "3 calendar years",
    "rolling_year": "12 months",
    "per_prescription": "prescription",
}


def check_period(period: str | None) -> str:
    """The period name (None: ``calendar_year``), or ``InvalidInput`` for an unknown one."""
    if period is None:
        return "calendar_year"
    if period not in FREQUENCY_PERIODS:
        raise InvalidInput(
            f"frequency period {period!r}: expected one of {', '.join(FREQUENCY_PERIODS)}"
        )
    return period


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def same_period(period: str | None, on: date, other: date) -> bool:
    """True when an act on *other* counts against the limit of an act on *on*."""
    name = check_period(period)
    if name == "calendar_year":
        return other.year == on.year
    if name == "calendar_month":
        return (other.year, other.month) == (on.year, on.month)
    if name == "day":
        return other == on
    if name == "semester":
        return other.year == on.year and (other.month <= 6) == (on.month <= 6)
    if name == "three_calendar_years":
        return on.year - 2 <= other.year <= on.year
    if name == "rolling_year":
        return _year_before(on) < other <= on
    return True  # per_prescription: no prescription reference recorded yet


def earliest_relevant(period: str | None, on: date) -> date:
    """The earliest date of care whose record can count on *on* (to load history)."""
    name = check_period(period)
    if name == "three_calendar_years":
        return date(on.year - 2, 1, 1)
    if name == "rolling_year":
        return _year_before(on) + timedelta(days=1)
    if name == "per_prescription":
        return date.min
    return date(on.year, 1, 1)
