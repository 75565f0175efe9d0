"""Prescription (art. 174 of the coordinated law of 14 July 1994): the last day on which an
action can still be brought.

- Payment of health-care services: 2 years from the end of the month in which the care was
  given (with or without third-party payment);
- recovery of undue reimbursements: 2 years from the end of the month of the reimbursement;
- 5 years for fraudulent manoeuvres or false or knowingly incomplete declarations
  (art. 174, 3rd paragraph); case law runs it from the end of the fraudulent conduct
  (C. trav. Bruxelles 28/5/2014, terralaboris).

Counting (Judicial Code art. 54, "de quantième à veille de quantième"): a term of years that
starts at the end of a month ends on the last day of the same month that many years later
(end of February 2022 + 2 years = 29 February 2024).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from inami_cli.domain.errors import InvalidInput

SOURCE = (
    "art. 174 coordinated law of 14/7/1994, "
    "https://www.riziv.fgov.be/webprd/docleg/sp/285272-0?1&tmpl=kartlis&OIDN=1500174"
)
ACTIONS = ("payment", "recovery")
YEARS = 2
FRAUD_YEARS = 5


def end_of_month(day: date) -> date:
    """The last day of *day*'s month."""
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def limit_date(start: date, years: int) -> date:
    """The last valid day of a term of *years* running from the end of *start*'s month."""
    year = start.year + years
    return date(year, start.month, calendar.monthrange(year, start.month)[1])


@dataclass(frozen=True)
class Prescription:
    """The last valid date of an action, and how it was found."""

    action: str
    start: date  # the date the term runs from the end of the month of
    runs_from: date  # the end of that month
    years: int
    last_valid_date: date
    fraud: bool
    rule: str
    source: str = SOURCE

    def prescribed_on(self, day: date) -> bool:
        """True when an action brought on *day* is too late."""
        return day > self.last_valid_date


def prescription(
    *, action: str, day: date, fraud: bool = False, fraud_end: date | None = None
) -> Prescription:
    """The last valid date of *action* for care given (payment) or reimbursed (recovery) on
    *day*; *fraud* gives 5 years, from *fraud_end* when the fraudulent conduct ended later."""
    if action not in ACTIONS:
        raise InvalidInput(f"--action {action!r}: expected payment or recovery")
    if fraud_end is not None and not fraud:
        raise InvalidInput("--fraud-end needs --fraud")
    start = day
    if fraud_end is not None:
        if fraud_end < day:
            raise InvalidInput(f"--fraud-end {fraud_end} is before the date {day}")
        start = fraud_end
    years = FRAUD_YEARS if fraud else YEARS
    what = (
        "the end of the month of the care"
        if action == "payment"
        else "the end of the month of the reimbursement"
    )
    if fraud_end is not None:
        what = "the end of the month the fraudulent conduct ended"
    rule = f"{years} years from {what}" + (" (fraud, art. 174 3rd paragraph)" if fraud else "")
    return Prescription(
        action=action,
        start=start,
        runs_from=end_of_month(start),
        years=years,
        last_valid_date=limit_date(start, years),
        fraud=fraud,
        rule=rule,
    )
