"""Maternity rest: the calendar (employees and the unemployed) and the amounts.

Calendar (facts file 3.1, UNMN, FSMB, NZVL): 15 weeks, 19 for a multiple birth; the 7 days
before the expected date are mandatory, 9 weeks after the birth are mandatory; the optional
prenatal weeks (5, 7 for a multiple birth) not taken before are moved after the 9 weeks; a
multiple birth adds 2 optional postnatal weeks; a baby in hospital more than 7 days after
the birth extends the rest by the days beyond 7; incapacity during the whole prenatal period
(6 weeks, 8 for multiple) adds a week; days of the mandatory week not taken because the
birth came early are lost; a late birth extends the prenatal rest up to the birth.

Amounts (facts file 3.1 row 3): under a contract 82 % of the uncapped wage for days 1-30,
then 75 % capped; the unemployed 79.5 % then 75 %, both capped. The ceiling after day 30 is
a derived assumption (the incapacity ceiling) and says so. Self-employed (3.2): weekly flat
amounts, weeks 1-4 and from week 5 since 2022, a half-time week paid half.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from inami_cli.domain.errors import Conflict, InvalidInput
from inami_cli.domain.indemnities._calendar import paid_days
from inami_cli.domain.indemnities._model import Trace
from inami_cli.domain.indemnities._params import ParamStore, round_amount

MATERNITY_SCHEMES = ("employee", "unemployed", "self-employed")


@dataclass(frozen=True)
class Segment:
    """A stretch of the calendar: rest (counted) or lost days (not counted)."""

    what: str
    start: date
    end: date
    rest: bool = True

    @property
    def days(self) -> int:
        """Calendar days."""
        return (self.end - self.start).days + 1

    def as_record(self) -> dict[str, Any]:
        """A line of ``maternity plan``."""
        return {
            "segment": self.what,
            "from": self.start,
            "to": self.end,
            "days": self.days,
            "counts_as_rest": self.rest,
        }


@dataclass(frozen=True)
class MaternityPlan:
    """The calendar of one maternity rest."""

    expected: date
    birth: date
    multiple: bool
    segments: tuple[Segment, ...]
    rest_days: int
    lost_days: int
    start: date
    end: date
    reliability: str
    steps: tuple[dict[str, Any], ...]


def maternity_plan(
    store: ParamStore,
    *,
    expected: date,
    birth: date | None = None,
    multiple: bool = False,
    hospital_days: int = 0,
    prenatal_incapacity: bool = False,
    prenatal_from: date | None = None,
) -> MaternityPlan:
    """The calendar from the expected (and actual) birth dates."""
    if hospital_days < 0:
        raise InvalidInput(f"--hospital-days: {hospital_days} is negative")
    trace = Trace(store)
    born = birth or expected
    mandatory_pre = trace.integer(
        "maternity.prenatal_mandatory_days",
        expected,
        "mandatory prenatal days",
        "the 7 days before the expected date",
    )
    optional_name = (
        "maternity.prenatal_optional_weeks_multiple"
        if multiple
        else "maternity.prenatal_optional_weeks"
    )
    optional_weeks = trace.integer(
        optional_name, expected, "optional prenatal weeks", "movable after the 9 weeks"
    )
    post_weeks = trace.integer(
        "maternity.postnatal_mandatory_weeks", born, "mandatory postnatal weeks", "after birth"
    )
    mandatory_start = expected - timedelta(days=mandatory_pre)
    earliest = mandatory_start - timedelta(weeks=optional_weeks)
    start = prenatal_from or mandatory_start
    if start < earliest:
        raise Conflict(
            f"--prenatal-from {start.isoformat()}: the prenatal rest starts at the earliest "
            f"on {earliest.isoformat()} ({optional_weeks} optional weeks + the mandatory week)"
        )
    if start > mandatory_start and start < born:
        raise Conflict(
            f"--prenatal-from {start.isoformat()}: the week before the expected date "
            f"({mandatory_start.isoformat()}) is mandatory"
        )
    segments: list[Segment] = []
    optional_taken = 0
    if start < mandatory_start and start < born:
        last = min(mandatory_start, born) - timedelta(days=1)
        segments.append(Segment("prenatal optional weeks taken", start, last))
        optional_taken = (last - start).days + 1
    lost = 0
    pre_start = max(start, mandatory_start)
    if pre_start < born:
        pre_end = min(expected - timedelta(days=1), born - timedelta(days=1))
        if pre_start <= pre_end:
            segments.append(Segment("prenatal mandatory week", pre_start, pre_end))
        if born > expected:
            segments.append(
                Segment(
                    "prenatal rest extended to the late birth", expected, born - timedelta(days=1)
                )
            )
            trace.add("late birth", (born - expected).days, "the prenatal rest runs to the birth")
    if born < expected:
        lost_start = max(born, mandatory_start)
        if lost_start < expected:
            segments.append(
                Segment(
                    "mandatory prenatal days lost (early birth)",
                    lost_start,
                    expected - timedelta(days=1),
                    rest=False,
                )
            )
            lost = (expected - lost_start).days
            trace.add("days lost", lost, "untaken days of the mandatory week are lost")
    cursor = born
    post_end = cursor + timedelta(weeks=post_weeks) - timedelta(days=1)
    segments.append(Segment("postnatal mandatory weeks", cursor, post_end))
    cursor = post_end + timedelta(days=1)
    moved = optional_weeks * 7 - optional_taken
    if moved > 0:
        segments.append(
            Segment(
                "optional prenatal weeks moved after the birth",
                cursor,
                cursor + timedelta(days=moved - 1),
            )
        )
        cursor += timedelta(days=moved)
    if multiple:
        extra = trace.integer(
            "maternity.postnatal_extra_weeks_multiple",
            born,
            "multiple birth: extra weeks",
            "two optional postnatal weeks",
        )
        segments.append(
            Segment(
                "multiple birth: extra postnatal weeks",
                cursor,
                cursor + timedelta(weeks=extra, days=-1),
            )
        )
        cursor += timedelta(weeks=extra)
    threshold = trace.integer(
        "maternity.hospital_threshold_days",
        born,
        "hospital threshold (days)",
        "a baby in hospital more than 7 days: + the days beyond 7",
    )
    if hospital_days > threshold:
        extra_days = hospital_days - threshold
        segments.append(
            Segment("baby in hospital: extension", cursor, cursor + timedelta(days=extra_days - 1))
        )
        cursor += timedelta(days=extra_days)
    if prenatal_incapacity:
        weeks = trace.integer(
            "maternity.prenatal_incapacity_extra_weeks",
            born,
            "prenatal incapacity: extra",
            "incapacity during the whole prenatal period: + 1 week",
        )
        segments.append(
            Segment(
                "incapacity during the whole prenatal period",
                cursor,
                cursor + timedelta(weeks=weeks, days=-1),
            )
        )
        cursor += timedelta(weeks=weeks)
    rest = sum(s.days for s in segments if s.rest)
    first = min(s.start for s in segments if s.rest)
    return MaternityPlan(
        expected=expected,
        birth=born,
        multiple=multiple,
        segments=tuple(segments),
        rest_days=rest,
        lost_days=lost,
        start=first,
        end=cursor - timedelta(days=1),
        reliability=trace.reliability,
        steps=tuple(trace.records()),
    )


@dataclass(frozen=True)
class BenefitLine:
    """A stretch paid at one rate (employees) or one week (self-employed)."""

    what: str
    start: date
    end: date
    days: int  # paid days (Mon-Sat) or 0 for weeks
    rate: Decimal | None
    daily_amount: Decimal | None
    amount: Decimal
    reliability: str
    payer: str = "fund"  # fund | employer (the employer's days are not the fund's money)

    def as_record(self) -> dict[str, Any]:
        """A line of ``maternity compute`` and the leave commands."""
        return {
            "what": self.what,
            "payer": self.payer,
            "from": self.start,
            "to": self.end,
            "paid_days": self.days,
            "rate": self.rate,
            "daily_amount": self.daily_amount,
            "amount": self.amount,
            "reliability": self.reliability,
        }


@dataclass(frozen=True)
class BenefitResult:
    """Lines of a benefit and the total, with the trace."""

    lines: tuple[BenefitLine, ...]
    total: Decimal
    reliability: str
    derived: tuple[str, ...]
    steps: tuple[dict[str, Any], ...]
    warnings: tuple[str, ...] = ()


def _result(trace: Trace, lines: list[BenefitLine]) -> BenefitResult:
    return BenefitResult(
        lines=tuple(lines),
        total=sum((line.amount for line in lines if line.payer == "fund"), Decimal("0.00")),
        reliability=trace.reliability,
        derived=tuple(f"{p.name} {p.period}" for p in trace.derived),
        steps=tuple(trace.records()),
        warnings=tuple(trace.warnings),
    )


def maternity_compute(
    store: ParamStore,
    *,
    scheme: str,
    start: date,
    days: int | None = None,
    gross_daily: Decimal | None = None,
    weeks: int | None = None,
    half_weeks: int = 0,
    multiple: bool = False,
) -> BenefitResult:
    """The maternity benefit from *start*: *days* calendar days of rest (employees and the
    unemployed), or *weeks* full and *half_weeks* half-time weeks (self-employed)."""
    trace = Trace(store)
    if scheme == "self-employed":
        return _self_employed(trace, start, weeks, half_weeks, multiple)
    if gross_daily is None:
        from inami_cli.domain.errors import MissingValue

        raise MissingValue("missing value: pass --gross-daily")
    if gross_daily < 0:
        raise InvalidInput(f"--gross-daily: {gross_daily} is negative")
    total_days = (
        days
        if days is not None
        else 7
        * trace.integer(
            "maternity.weeks_multiple" if multiple else "maternity.weeks",
            start,
            "weeks of rest",
            "15 weeks, 19 for a multiple birth",
        )
    )
    if total_days <= 0:
        raise InvalidInput(f"--days: {total_days} must be more than 0")
    first_days = trace.integer("maternity.first_days", start, "first days", "days 1-30")
    prefix = "maternity.employee" if scheme == "employee" else "maternity.unemployed"
    rate_first = trace.number(f"{prefix}.rate_first", start, "rate days 1-30", scheme)
    rate_after = trace.number(f"{prefix}.rate_after", start, "rate from day 31", scheme)
    ceiling = trace.number(
        "maternity.wage_ceiling.6day",
        start,
        "wage ceiling (assumed as for incapacity)",
        "the ceiling used after day 30 is not stated by the sources",
    )
    capped = min(gross_daily, ceiling)
    first_wage = gross_daily if scheme == "employee" else capped
    trace.add(
        "wage days 1-30",
        first_wage,
        "uncapped (under contract)" if scheme == "employee" else "capped (unemployed)",
    )
    lines: list[BenefitLine] = []
    end = start + timedelta(days=total_days - 1)
    split = min(end, start + timedelta(days=first_days - 1))
    daily1 = round_amount(first_wage * rate_first)
    n1 = paid_days(start, split)
    lines.append(
        BenefitLine(
            f"days 1-{first_days}",
            start,
            split,
            n1,
            rate_first,
            daily1,
            round_amount(daily1 * n1),
            trace.reliability,
        )
    )
    if end > split:
        daily2 = round_amount(capped * rate_after)
        n2 = paid_days(split + timedelta(days=1), end)
        lines.append(
            BenefitLine(
                f"from day {first_days + 1}",
                split + timedelta(days=1),
                end,
                n2,
                rate_after,
                daily2,
                round_amount(daily2 * n2),
                trace.reliability,
            )
        )
    return _result(trace, lines)


def _self_employed(
    trace: Trace, start: date, weeks: int | None, half_weeks: int, multiple: bool
) -> BenefitResult:
    entitled = trace.integer(
        "maternity.selfemployed.weeks_multiple" if multiple else "maternity.selfemployed.weeks",
        start,
        "weeks of rest",
        "12 weeks (13 multiple) since 2017",
    )
    mandatory = trace.integer(
        "maternity.selfemployed.mandatory_weeks", start, "mandatory weeks", "taken full-time"
    )
    full = entitled if weeks is None and half_weeks == 0 else (weeks or 0)
    if half_weeks < 0 or full < 0:
        raise InvalidInput("--weeks and --half-weeks cannot be negative")
    if full < mandatory:
        raise Conflict(f"--weeks {full}: the {mandatory} mandatory weeks are taken full-time")
    if Decimal(full) + Decimal(half_weeks) / 2 > entitled:
        raise Conflict(
            f"{full} weeks + {half_weeks} half-time weeks exceed the {entitled} weeks "
            "(a half-time week counts as half a week)"
        )
    lines: list[BenefitLine] = []
    for index in range(full + half_weeks):
        half = index >= full
        week_start = start + timedelta(weeks=index)
        amount = _week_amount(trace, week_start, index + 1, half)
        what = f"week {index + 1}" + (" (half-time)" if half else "")
        lines.append(
            BenefitLine(
                what,
                week_start,
                week_start + timedelta(days=6),
                0,
                None,
                None,
                amount,
                trace.reliability,
            )
        )
    return _result(trace, lines)


def _week_amount(trace: Trace, on: date, number: int, half: bool) -> Decimal:
    kind = "half_week" if half else "week"
    band = "first4" if number <= 4 else "after4"
    banded = trace.store.find(f"maternity.selfemployed.{kind}.{band}", on)
    if banded is not None:
        trace.add(f"week {number} amount", banded.number, f"{kind}, {band}", banded)
        return banded.number
    return trace.number(
        f"maternity.selfemployed.{kind}", on, f"week {number} amount", f"{kind} flat amount"
    )
