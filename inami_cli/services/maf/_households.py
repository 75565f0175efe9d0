"""MAF households: the de-facto household of a year as of 1 January (everyone at the same
address in the National Register; a child born during the year joins it: VNZ), its members'
social-MAF and chronic flags, and its income (an amount, or the tax administration's letter).

A person belongs to one household a year (exit 4 otherwise). The flags come from the
register unless given: social = the preferential regime (BIM) on 1 January (or at birth),
chronic = a ``chronic`` entitlement in force during the year. The social MAF covers the BIM
holder, the partner and the dependants even when the register does not show them as BIM:
give ``--bim`` for each of them then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlmodel import Session, col

from inami_cli.db.models import MafHousehold, MafMember, Person
from inami_cli.domain import maf as rules
from inami_cli.domain.errors import Conflict, InvalidInput, NotFound
from inami_cli.domain.money import from_cents
from inami_cli.domain.niss import parse_niss
from inami_cli.services.audit import record_change

_CODE_MAX = 40


@dataclass(frozen=True)
class MemberView:
    """A member of a household as shown."""

    niss: str
    last_name: str
    first_name: str
    birth_date: date | None
    social: bool
    chronic: bool
    child: bool


@dataclass(frozen=True)
class HouseholdView:
    """A household of a year with its income and members."""

    year: int
    code: str
    income: Decimal | None
    income_year: int | None
    income_letter: str | None
    income_source: str
    source: str
    members: tuple[MemberView, ...]

    def record(self) -> dict[str, Any]:
        """The output object (the JSON contract)."""
        return {
            "year": self.year,
            "household": self.code,
            "income": self.income,
            "income_year": self.income_year,
            "income_letter": self.income_letter,
            "income_source": self.income_source or None,
            "members": [
                {"niss": m.niss, "last_name": m.last_name, "first_name": m.first_name,
                 "birth_date": m.birth_date, "bim": m.social, "chronic": m.chronic,
                 "child_under_19": m.child}
                for m in self.members
            ],
        }  # fmt: skip


def check_code(code: str) -> str:
    """A household code: letters, digits, ``-``, ``_``, ``/`` or ``.``, at most 40."""
    clean = code.strip()
    if not clean or len(clean) > _CODE_MAX or not all(c.isalnum() or c in "-_/." for c in clean):
        raise InvalidInput(
            f"household {code!r}: use letters, digits, - _ / . (at most {_CODE_MAX})"
        )
    return clean


def _persons(session: Session, nisses: Sequence[str]) -> dict[str, Person]:
    rows = session.execute(select(Person).where(col(Person.niss).in_(list(nisses)))).scalars()
    return {p.niss: p for p in rows}


def _household(session: Session, year: int, code: str) -> MafHousehold:
    row = session.execute(
        select(MafHousehold).where(col(MafHousehold.year) == year, col(MafHousehold.code) == code)
    ).scalar_one_or_none()
    if not isinstance(row, MafHousehold):
        raise NotFound(
            f"no MAF household {code} in {year}", hint=f"inami maf household list --year {year}"
        )
    return row


def household_of(*, session: Session, niss: str, year: int) -> str:
    """The code of the household *niss* belongs to in *year* (NotFound when none)."""
    valid = parse_niss(niss).niss
    code = session.execute(
        select(col(MafHousehold.code))
        .join(MafMember, col(MafMember.household_id) == col(MafHousehold.id))
        .where(col(MafMember.year) == year, col(MafMember.niss) == valid)
    ).scalar_one_or_none()
    if code is None:
        raise NotFound(
            f"{valid} is in no MAF household of {year}",
            hint=f"inami maf household add --year {year} --member {valid}",
        )
    return str(code)


def _register_flags(session: Session, person: Person, year: int) -> tuple[bool, bool]:
    """(social, chronic) as the register says: BIM on 1 January (or at birth), a chronic
    entitlement in force during the year."""
    from inami_cli.services import insurability

    on = max(date(year, 1, 1), person.birth_date or date(year, 1, 1))
    status = insurability.beneficiary_on(session=session, niss=person.niss, on=on)
    social = status.insured and status.regime == "preferential"
    chronic = any(
        e.valid_from <= date(year, 12, 31)
        and (e.valid_to is None or e.valid_to >= date(year, 1, 1))
        for e in insurability.entitlement_list(session=session, niss=person.niss, kind="chronic")
    )
    return social, chronic


def _check_member(person: Person, year: int) -> None:
    if person.birth_date is not None and person.birth_date > date(year, 12, 31):
        raise InvalidInput(f"{person.niss} was born after {year}")
    if person.death_date is not None and person.death_date < date(year, 1, 1):
        raise InvalidInput(f"{person.niss} died on {person.death_date}, before 1 January {year}")


def members_of(session: Session, row: MafHousehold) -> list[MafMember]:
    """The members of a stored household, by NISS."""
    query = select(MafMember).where(col(MafMember.household_id) == row.id)
    return list(session.execute(query.order_by(col(MafMember.niss))).scalars())


def view(session: Session, row: MafHousehold) -> HouseholdView:
    """A stored household as shown."""
    members = members_of(session, row)
    persons = _persons(session, [m.niss for m in members])
    shown = []
    for m in members:
        p = persons[m.niss]
        child = rules.is_child(rules.MemberIn(m.niss, p.birth_date), row.year)
        shown.append(
            MemberView(m.niss, p.last_name, p.first_name, p.birth_date, m.social, m.chronic, child)
        )
    return HouseholdView(
        year=row.year,
        code=row.code,
        income=from_cents(row.income_cents) if row.income_cents is not None else None,
        income_year=row.income_year,
        income_letter=row.income_letter,
        income_source=row.income_source,
        source=row.source,
        members=tuple(shown),
    )


def _next_code(session: Session, year: int) -> str:
    codes = set(
        session.execute(
            select(col(MafHousehold.code)).where(col(MafHousehold.year) == year)
        ).scalars()
    )
    n = len(codes) + 1
    while f"H{n}" in codes:
        n += 1
    return f"H{n}"


def household_add(
    *,
    session: Session,
    year: int,
    members: Sequence[str],
    code: str | None = None,
    bim: Sequence[str] | None = None,
    chronic: Sequence[str] | None = None,
    source: str = "",
) -> HouseholdView:
    """Record the household of *year* (as of 1 January) with its *members*.

    *bim* / *chronic*: the members with the social MAF / the chronic status; None = as the
    register says. NotFound for a person not in the register; Conflict when a member
    already belongs to a household of the year or the code is taken.
    """
    rules.check_year(year)
    if not members:
        raise InvalidInput("a household has at least one member: pass --member NISS")
    nisses = [parse_niss(n, what="--member").niss for n in members]
    if len(set(nisses)) != len(nisses):
        raise InvalidInput("--member: a person is given twice")
    flags: dict[str, set[str] | None] = {}
    for label, given in (("--bim", bim), ("--chronic", chronic)):
        if given is None:
            flags[label] = None
            continue
        chosen = {parse_niss(n, what=label).niss for n in given}
        stray = sorted(chosen - set(nisses))
        if stray:
            raise InvalidInput(f"{label} {stray[0]} is not a --member of the household")
        flags[label] = chosen
    persons = _persons(session, nisses)
    for niss in nisses:
        if niss not in persons:
            raise NotFound(f"no person with NISS {niss}", hint="inami person add")
        _check_member(persons[niss], year)
    code = check_code(code) if code is not None else _next_code(session, year)
    taken = session.execute(
        select(func.count())
        .select_from(MafHousehold)
        .where(col(MafHousehold.year) == year, col(MafHousehold.code) == code)
    ).scalar_one()
    if taken:
        raise Conflict(f"MAF household {code} of {year} exists already")
    for niss in nisses:
        try:
            other = household_of(session=session, niss=niss, year=year)
        except NotFound:
            continue
        raise Conflict(f"{niss} already belongs to household {other} of {year}")
    row = MafHousehold(year=year, code=code, source=source)
    session.add(row)
    session.flush()
    assert row.id is not None
    member_rows = []
    for niss in nisses:
        social, chron = _register_flags(session, persons[niss], year)
        given_social, given_chronic = flags["--bim"], flags["--chronic"]
        if given_social is not None:
            social = niss in given_social
        if given_chronic is not None:
            chron = niss in given_chronic
        member_rows.append(
            MafMember(household_id=row.id, year=year, niss=niss, social=social, chronic=chron)
        )
    session.add_all(member_rows)
    session.flush()
    shown = view(session, row)
    record_change(session=session, entity="maf_household", key=f"{year} {code}",
                  action="insert", after=shown.record())  # fmt: skip
    return shown


def household_show(*, session: Session, year: int, code: str) -> HouseholdView:
    """A household of *year* (NotFound when unknown)."""
    rules.check_year(year)
    return view(session, _household(session, year, check_code(code)))


def household_list(*, session: Session, year: int | None = None) -> list[HouseholdView]:
    """The households, of one year or all, by year and code."""
    if year is not None:
        rules.check_year(year)
    query = select(MafHousehold).order_by(col(MafHousehold.year), col(MafHousehold.code))
    if year is not None:
        query = query.where(col(MafHousehold.year) == year)
    return [view(session, r) for r in session.execute(query).scalars().all()]


def household_set_income(
    *,
    session: Session,
    year: int,
    code: str,
    amount: Decimal | None = None,
    letter: str | None = None,
    income_year: int | None = None,
    source: str = "",
) -> HouseholdView:
    """Record the household's net taxable income (or its category letter)."""
    if (amount is None) == (letter is None):
        raise InvalidInput("give the income as --net-taxable AMOUNT or --letter X (one of them)")
    row = _household(session, year, check_code(code))
    before = view(session, row).record()
    if amount is not None:
        from inami_cli.domain.money import to_cents

        if amount < 0:
            raise InvalidInput(f"--net-taxable {amount}: cannot be negative")
        row.income_cents, row.income_letter = to_cents(amount), None
        expected = rules.income_year(year)
        row.income_year = income_year if income_year is not None else expected
    else:
        assert letter is not None
        clean = letter.strip().upper()
        if len(clean) != 1 or not clean.isalpha():
            raise InvalidInput(f"--letter {letter!r}: one letter (B, C, D ...)")
        if income_year is not None:
            raise InvalidInput("--income-year goes with --net-taxable, not with --letter")
        row.income_cents, row.income_letter, row.income_year = None, clean, None
    row.income_source = source
    session.flush()
    after = view(session, row)
    record_change(session=session, entity="maf_household", key=f"{year} {row.code}",
                  action="update", before=before, after=after.record())  # fmt: skip
    return after


def household_remove(*, session: Session, year: int, code: str) -> HouseholdView:
    """Delete a household recorded in error (audited)."""
    row = _household(session, year, check_code(code))
    shown = view(session, row)
    session.execute(delete(MafMember).where(col(MafMember.household_id) == row.id))
    session.delete(row)
    session.flush()
    record_change(session=session, entity="maf_household", key=f"{year} {row.code}",
                  action="delete", before=shown.record())  # fmt: skip
    return shown
