"""``maf compute`` and ``maf status``: gather a household's members, income, recorded care
and counters, the year's parameters (and the two previous years' chronic thresholds), and
apply ``domain.maf.compute``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from inami_cli.db.models import MafCounter, MafHousehold, Person
from inami_cli.domain import maf as rules
from inami_cli.domain.errors import Conflict
from inami_cli.domain.maf import Entry, MafResult
from inami_cli.domain.money import from_cents
from inami_cli.domain.niss import parse_niss
from inami_cli.services.maf._care import care_entries
from inami_cli.services.maf._households import (
    HouseholdView,
    _household,
    check_code,
    household_of,
    members_of,
    view,
)
from inami_cli.services.maf._params import tables


@dataclass(frozen=True)
class MafAnswer:
    """A household's MAF for a year (as of a date), ready to show."""

    household: HouseholdView
    as_of: date
    result: MafResult

    def record(self, *, explain: bool = False) -> dict[str, Any]:
        """The output object (the JSON contract)."""
        r = self.result
        names = {m.niss: f"{m.first_name} {m.last_name}".strip() for m in self.household.members}
        data: dict[str, Any] = {
            "year": r.year,
            "household": self.household.code,
            "as_of": self.as_of,
            "ceilings": [
                {"kind": c.kind, "members": list(c.members), "ceiling": from_cents(c.ceiling),
                 "chronic_reduction": from_cents(c.reduction), "applies": from_cents(c.amount),
                 "paid": from_cents(c.paid), "reached_on": c.reached_on, "why": c.reason}
                for c in r.caps
            ],
            "eligible_total": from_cents(r.counted_total),
            "excluded_total": from_cents(r.excluded_total),
            "refund_total": from_cents(r.refund_total),
            "members": [
                {"niss": m.niss, "name": names.get(m.niss, ""), "child_under_19": m.child,
                 "bim": m.social, "chronic": m.chronic,
                 "chronic_reason": m.chronic_reason or None,
                 "eligible": from_cents(m.counted), "excluded": from_cents(m.excluded),
                 "paid": from_cents(m.paid), "refund": from_cents(m.refund)}
                for m in r.members
            ],
            "derived_parameters": [f"{p.year} {p.name}" for p in r.derived],
        }  # fmt: skip
        if explain:
            data["explanation"] = [
                {"step": s.what, "value": s.value, "reliability": s.reliability,
                 "source": s.source or None}
                for s in r.steps
            ]  # fmt: skip
            data["excluded"] = [
                {"niss": e.niss, "date": e.day, "amount": from_cents(e.cents),
                 "source": e.source, "reason": e.reason}
                for e in r.exclusions
            ]  # fmt: skip
        return data


def _counter_entries(
    session: Session, nisses: list[str], years: list[int], children: dict[int, set[str]]
) -> list[Entry]:
    rows = session.execute(
        select(MafCounter).where(
            col(MafCounter.niss).in_(nisses),
            col(MafCounter.care_date) >= date(min(years), 1, 1),
            col(MafCounter.care_date) <= date(max(years), 12, 31),
        )
    ).scalars()
    entries = []
    for row in rows:
        kind = rules.check_kind(row.kind)
        child = row.niss in children.get(row.care_date.year, set())
        part = rules.count_counter(
            kind, day=row.care_date, unit_cents=row.unit_cents, quantity=row.quantity,
            day_number=row.day_number, child=child,
        )  # fmt: skip
        entries.append(
            Entry(row.niss, row.care_date, part.counted, part.excluded,
                  f"counter #{row.id} {row.kind}", part.reason)
        )  # fmt: skip
    return entries


def maf_compute(
    *,
    session: Session,
    year: int,
    household: str | None = None,
    niss: str | None = None,
    as_of: date | None = None,
    strict: bool = False,
) -> MafAnswer:
    """The MAF of a household (by code, or the household of *niss*) for *year*, counting
    the personal shares up to *as_of* (default: the end of the year).

    NotFound for an unknown household or a missing parameter; Conflict with *strict* when a
    derived (unpublished) figure would be used.
    """
    rules.check_year(year)
    if household is None:
        if niss is None:
            from inami_cli.domain.errors import MissingValue

            raise MissingValue("missing value: pass HOUSEHOLD or --niss")
        household = household_of(session=session, niss=niss, year=year)
    row: MafHousehold = _household(session, year, check_code(household))
    shown = view(session, row)
    end = date(year, 12, 31)
    cutoff = min(as_of, end) if as_of is not None else end
    members = members_of(session, row)
    nisses = [m.niss for m in members]
    births: dict[str, date | None] = {
        n: b
        for n, b in session.execute(
            select(col(Person.niss), col(Person.birth_date)).where(col(Person.niss).in_(nisses))
        )
    }
    years = [year - 2, year - 1, year]
    children = {
        y: {n for n in nisses if rules.is_child(rules.MemberIn(n, births.get(n)), y)} for y in years
    }
    entries = care_entries(session=session, nisses=nisses, years=years)
    entries += _counter_entries(session, nisses, years, children)
    prior: dict[str, dict[int, int]] = defaultdict(dict)
    for e in entries:
        if e.day.year < year:
            prior[e.niss][e.day.year] = prior[e.niss].get(e.day.year, 0) + e.counted
    this_year = [e for e in entries if e.day.year == year and e.day <= cutoff]
    member_in = [
        rules.MemberIn(
            niss=m.niss, birth_date=births.get(m.niss), social=m.social,
            chronic_status=m.chronic, prior_tm=tuple(sorted(prior[m.niss].items())),
        )
        for m in members
    ]  # fmt: skip
    income = rules.IncomeIn(row.income_cents, row.income_letter, row.income_year)
    result = rules.compute(
        year=year, tables=tables(session=session, years=years), members=member_in,
        income=income, entries=this_year,
    )  # fmt: skip
    if strict and result.derived:
        names = ", ".join(f"{p.year} {p.name}" for p in result.derived)
        raise Conflict(
            f"--strict: the computation needs derived (unpublished) figures: {names}",
            hint="replace them with the published values: inami maf params set",
        )
    return MafAnswer(shown, cutoff, result)


@dataclass(frozen=True)
class MafStatus:
    """Where one person stands against their ceiling (the desk's answer)."""

    niss: str
    name: str
    year: int
    as_of: date
    household: str
    ceiling_kind: str | None
    ceiling: int | None
    paid: int
    remaining: int | None
    refund: int
    reached_on: date | None
    derived: tuple[str, ...]

    def sentence(self) -> str:
        """``You have paid 612.40 € of your 746.66 € ceiling (income MAF, household H1).``"""
        paid = format(from_cents(self.paid), "f")
        if self.ceiling is None:
            return (
                f"{self.name or self.niss}: {paid} € of personal shares counted in {self.year}; "
                f"no ceiling applies yet (household {self.household}: record its income)"
            )
        ceiling = format(from_cents(self.ceiling), "f")
        text = (
            f"{self.name or self.niss} has paid {paid} € of the {ceiling} € ceiling "
            f"({self.ceiling_kind} MAF, household {self.household}, {self.year})"
        )
        if self.reached_on is not None:
            text += f"; reached on {self.reached_on}"
        if self.refund:
            text += f"; {format(from_cents(self.refund), 'f')} € paid back to this member"
        return text + "."

    def record(self) -> dict[str, Any]:
        """The output object (the JSON contract)."""
        return {
            "niss": self.niss, "name": self.name, "year": self.year, "as_of": self.as_of,
            "household": self.household, "ceiling_kind": self.ceiling_kind,
            "ceiling": from_cents(self.ceiling) if self.ceiling is not None else None,
            "paid": from_cents(self.paid),
            "remaining": from_cents(self.remaining) if self.remaining is not None else None,
            "reached_on": self.reached_on, "refund": from_cents(self.refund),
            "derived_parameters": list(self.derived), "message": self.sentence(),
        }  # fmt: skip


def maf_status(
    *, session: Session, niss: str, year: int, as_of: date | None = None, strict: bool = False
) -> MafStatus:
    """What *niss* has paid of the ceiling with the least room left (as of *as_of*)."""
    valid = parse_niss(niss).niss
    answer = maf_compute(session=session, year=year, niss=valid, as_of=as_of, strict=strict)
    member = next(m for m in answer.result.members if m.niss == valid)
    person = next(m for m in answer.household.members if m.niss == valid)
    cap = rules.binding_cap(answer.result, valid)
    derived = tuple(f"{p.year} {p.name}" for p in answer.result.derived)
    name = f"{person.first_name} {person.last_name}".strip()
    if cap is None:
        return MafStatus(valid, name, year, answer.as_of, answer.household.code, None, None,
                         member.counted, None, member.refund, None, derived)  # fmt: skip
    return MafStatus(
        valid, name, year, answer.as_of, answer.household.code, cap.kind, cap.amount,
        cap.paid, max(cap.amount - cap.paid, 0), member.refund, cap.reached_on, derived,
    )  # fmt: skip
