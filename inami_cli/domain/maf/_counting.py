"""What counts towards the MAF ceiling, and what never does.

The legal personal shares (ticket modérateur / remgeld) count: of doctors, dentists,
nurses, physiotherapists and other providers, of technical acts, of reimbursable medicines
of categories A, B and C (not Cs and Cx) and magistral preparations, the personal share in
the day price of a hospital (in a psychiatric hospital only up to the 365th day until
2025-12-31, every day from 2026-01-01), the delivery margin on implants, and enteral
nutrition for children under 19. Supplements never count, nor the extra share a patient
pays because a physiotherapist is not conventioned (maf-control-funding.md §6 row 4: CM,
Mutualia, VNZ; the 2026 psychiatric extension: minister Vandenbroucke's site).

The project records reimbursed care itself (``reimburse --record``); counters carry what it
does not compute (medicines, hospital days, ...), entered by hand or imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from inami_cli.domain.errors import InvalidInput

PSYCHIATRIC_ALL_DAYS_FROM = date(2026, 1, 1)
PSYCHIATRIC_DAY_LIMIT = 365
CHILD_AGE_LIMIT = 19


@dataclass(frozen=True)
class CounterKind:
    """A kind of counter: whether it counts, and the rule that says so."""

    name: str
    counts: bool
    description: str
    per_day: bool = False  # quantity is a number of days (psychiatric day rank applies)
    child_only: bool = False


COUNTER_KINDS: dict[str, CounterKind] = {
    k.name: k
    for k in (
        CounterKind("consultation", True, "personal share of a doctor's or dentist's service"),
        CounterKind("provider", True, "personal share of another provider's service"),
        CounterKind("technical", True, "personal share of a technical act (surgery, imaging, lab)"),
        CounterKind("drug-A", True, "reimbursable medicine, category A"),
        CounterKind("drug-B", True, "reimbursable medicine, category B"),
        CounterKind("drug-C", True, "reimbursable medicine, category C"),
        CounterKind("drug-Cs", False, "medicine of category Cs: never counts"),
        CounterKind("drug-Cx", False, "medicine of category Cx: never counts"),
        CounterKind("magistral", True, "magistral preparation"),
        CounterKind("hospital-day", True, "personal share in the day price (general hospital)",
                    per_day=True),
        CounterKind("psychiatric-day", True,
                    "personal share in the day price of a psychiatric hospital "
                    "(up to the 365th day until 2025-12-31, every day from 2026-01-01)",
                    per_day=True),
        CounterKind("implant-margin", True, "delivery margin on an implant"),
        CounterKind("enteral-nutrition", True, "enteral nutrition (children under 19 only)",
                    child_only=True),
        CounterKind("supplement", False, "supplement: never counts"),
    )
}  # fmt: skip


def check_kind(text: str) -> CounterKind:
    """The counter kind named *text* (case-insensitive), or ``InvalidInput`` listing them."""
    clean = text.strip()
    for name, kind in COUNTER_KINDS.items():
        if name.lower() == clean.lower():
            return kind
    raise InvalidInput(f"kind {text!r}: expected one of {', '.join(COUNTER_KINDS)}")


@dataclass(frozen=True)
class Counted:
    """How much of one entry counts, and why the rest does not."""

    counted: int  # cents
    excluded: int  # cents
    reason: str = ""  # why something was excluded ("" when all counts)


def count_counter(
    kind: CounterKind,
    *,
    day: date,
    unit_cents: int,
    quantity: int,
    day_number: int | None,
    child: bool,
) -> Counted:
    """The part of a counter that counts towards the ceiling.

    A per-day counter covers *quantity* days from *day*; for a psychiatric stay the first
    of them is the *day_number*-th day of the stay, and a day counts when it is the 365th
    or earlier or falls on or after 2026-01-01.
    """
    total = unit_cents * quantity
    if not kind.counts:
        return Counted(0, total, kind.description)
    if kind.child_only and not child:
        return Counted(0, total, f"{kind.name} counts for children under {CHILD_AGE_LIMIT} only")
    if kind.name != "psychiatric-day":
        return Counted(total, 0)
    first = day_number or 1
    counted_days = sum(
        1
        for i in range(quantity)
        if first + i <= PSYCHIATRIC_DAY_LIMIT
        or day + timedelta(days=i) >= PSYCHIATRIC_ALL_DAYS_FROM
    )
    excluded_days = quantity - counted_days
    if excluded_days == 0:
        return Counted(total, 0)
    return Counted(
        unit_cents * counted_days,
        unit_cents * excluded_days,
        f"{excluded_days} psychiatric day(s) after the {PSYCHIATRIC_DAY_LIMIT}th, before "
        f"{PSYCHIATRIC_ALL_DAYS_FROM.isoformat()}",
    )


def check_counter(kind: CounterKind, *, day: date, quantity: int, day_number: int | None) -> None:
    """Refuse a counter that cannot be right (``InvalidInput``)."""
    if quantity < 1:
        raise InvalidInput(f"quantity {quantity}: at least 1")
    if day_number is not None:
        if kind.name != "psychiatric-day":
            raise InvalidInput("--day-number is for psychiatric-day counters only")
        if day_number < 1:
            raise InvalidInput(f"day number {day_number}: at least 1")
    if kind.name == "psychiatric-day" and day_number is None:
        raise InvalidInput(
            "a psychiatric-day counter needs the rank of its first day in the stay "
            "(--day-number, column day_number)"
        )
    if kind.per_day:
        last = day + timedelta(days=quantity - 1)
        if last.year != day.year:
            raise InvalidInput(
                f"{quantity} days from {day} run into {last.year}: split the counter at "
                "the end of the year (the MAF is counted per calendar year)"
            )
    elif quantity > 1000:
        raise InvalidInput(f"quantity {quantity}: at most 1000")
