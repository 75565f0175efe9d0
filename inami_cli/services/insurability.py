"""Insurability use cases: persons, affiliations, entitlements, ``insured`` answers, imports.

Every function takes the caller's ``session`` and never commits. Reads return frozen
dataclasses; writes are validated (``domain.niss``, ``domain.insurability``), refuse
overlapping periods with ``Conflict`` naming the period in the way, and are audited.

Bulk paths (``load_register``, ``import_persons``, ``import_entitlements``) read each table
with one query into plain dicts and write with executemany inserts: a register of a
million persons is checked without a query per person.
"""

from __future__ import annotations

import csv
import functools
import gc
import hashlib
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple, ParamSpec, TextIO, TypeVar

from sqlalchemy import String, select, type_coerce, update
from sqlmodel import Session, SQLModel

from inami_cli.db.models import Affiliation, Entitlement, ImportBatch, Insurer, Person
from inami_cli.domain import insurability as rules
from inami_cli.domain.dates import age_on, in_force, parse_date
from inami_cli.domain.errors import Conflict, FileErrors, InvalidInput, NotFound
from inami_cli.domain.insurability import AffiliationPeriod, Coverage, EntitlementPeriod
from inami_cli.domain.niss import NissInfo, parse_niss
from inami_cli.services.audit import current_actor, now, record_change, record_changes
from inami_cli.services.bulkio import sqlite_bulk_cache
from inami_cli.services.consistency import Check, overlaps

_CHUNK = 20_000  # rows per executemany: bounded memory for the dicts handed to the driver


def _columns(model: type[SQLModel]) -> Any:
    """A table's columns (``.c``) for Core queries; SQLModel types its attributes as plain
    values, which the query builder's overloads reject."""
    return model.__table__.c  # type: ignore[attr-defined]


P = ParamSpec("P")
R = TypeVar("R")


def _without_gc(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a bulk function with the cyclic garbage collector paused.

    Loading a million persons creates millions of small acyclic containers; CPython's
    collector would rescan the growing heap again and again for no garbage (reference
    counting frees everything these functions drop).
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper


_PER = _columns(Person)
_AFF = _columns(Affiliation)
_ENT = _columns(Entitlement)
_INS = _columns(Insurer)

# ------------------------------------------------------------------ answers


@dataclass(frozen=True)
class BeneficiaryStatus:
    """Is a person insured on a date, by whom, in which regime, with which rights."""

    niss: str
    on: date
    insured: bool
    reason: str
    insurer_code: str | None
    insurer_name: str | None
    regime: str  # ordinary | preferential
    bim_automatic: bool
    dmg: bool
    chronic: bool
    third_party: bool
    age: int | None
    birth_date: date | None
    member_number: str | None = None
    quality: str | None = None
    titular_niss: str | None = None
    ct1: str | None = None
    ct2: str | None = None
    period_from: date | None = None
    period_to: date | None = None
    dmg_gp: str = ""
    death_date: date | None = None

    def as_record(self) -> dict[str, Any]:
        """The ``inami insured`` output object (stable key order)."""
        return {
            "niss": self.niss,
            "date": self.on,
            "insured": self.insured,
            "insurer_code": self.insurer_code,
            "insurer_name": self.insurer_name,
            "member_number": self.member_number,
            "quality": self.quality,
            "titular_niss": self.titular_niss,
            "ct1": self.ct1,
            "ct2": self.ct2,
            "regime": self.regime,
            "bim_automatic": self.bim_automatic,
            "dmg": self.dmg,
            "dmg_gp": self.dmg_gp or None,
            "chronic": self.chronic,
            "third_party": self.third_party,
            "period_from": self.period_from,
            "period_to": self.period_to,
            "birth_date": self.birth_date,
            "age": self.age,
            "death_date": self.death_date,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class SubPeriod:
    """A covered or uncovered part of a requested range."""

    period_from: date
    period_to: date
    covered: bool
    insurer_code: str | None
    insurer_name: str | None
    member_number: str | None
    quality: str | None
    ct1: str | None
    ct2: str | None
    reason: str


@dataclass(frozen=True)
class RangeStatus:
    """Coverage of a person over ``[date_from, date_to]``: insured only if every day is."""

    niss: str
    date_from: date
    date_to: date
    insured: bool
    reason: str
    birth_date: date | None
    periods: tuple[SubPeriod, ...]

    def as_record(self) -> dict[str, Any]:
        """The ``inami insured --from --to`` output object."""
        return {
            "niss": self.niss,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "insured": self.insured,
            "reason": self.reason,
            "periods": [
                {
                    "period_from": p.period_from,
                    "period_to": p.period_to,
                    "covered": p.covered,
                    "insurer_code": p.insurer_code,
                    "insurer_name": p.insurer_name,
                    "member_number": p.member_number,
                    "quality": p.quality,
                    "ct1": p.ct1,
                    "ct2": p.ct2,
                    "reason": p.reason,
                }
                for p in self.periods
            ],
        }


def _status(
    niss: str,
    on: date,
    birth: date | None,
    death: date | None,
    cov: Coverage,
    insurer_names: dict[str, str],
) -> BeneficiaryStatus:
    aff = cov.affiliation if cov.insured else None
    return BeneficiaryStatus(
        niss=niss,
        on=on,
        insured=cov.insured,
        reason=cov.reason,
        insurer_code=aff.insurer_code if aff else None,
        insurer_name=insurer_names.get(aff.insurer_code) if aff else None,
        regime=cov.regime,
        bim_automatic=cov.bim_automatic,
        dmg=cov.dmg,
        chronic=cov.chronic,
        third_party=cov.third_party,
        age=age_on(birth, on) if birth is not None and birth <= on else None,
        birth_date=birth,
        member_number=aff.member_number if aff else None,
        quality=aff.quality if aff else None,
        titular_niss=aff.titular_niss if aff else None,
        ct1=aff.ct1 if aff else None,
        ct2=aff.ct2 if aff else None,
        period_from=aff.valid_from if aff else None,
        period_to=aff.valid_to if aff else None,
        dmg_gp=cov.dmg_gp,
        death_date=death,
    )


def _insurer_names(session: Session) -> dict[str, str]:
    names = {code: info.name_fr for code, info in rules.INSURERS.items()}
    for code, name in session.execute(select(_INS.code, _INS.name_fr)):
        names[code] = name
    return names


def _affiliation_periods(session: Session, niss: str) -> list[AffiliationPeriod]:
    a = _AFF
    query = (
        select(
            a.insurer_code, a.member_number, a.quality, a.titular_niss, a.ct1, a.ct2,
            a.valid_from, a.valid_to,
        )
        .where(a.niss == niss)
        .order_by(a.valid_from)
    )  # fmt: skip
    return [AffiliationPeriod(*row) for row in session.execute(query)]


def _entitlement_periods(session: Session, niss: str) -> list[EntitlementPeriod]:
    e = _ENT
    query = select(e.kind, e.valid_from, e.valid_to, e.detail).where(e.niss == niss)
    return [EntitlementPeriod(*row) for row in session.execute(query)]


def _person(session: Session, niss: str) -> Person:
    valid = parse_niss(niss).niss
    person = session.get(Person, valid)
    if person is None:
        raise NotFound(f"no person with NISS {valid} in the register")
    return person


def beneficiary_on(*, session: Session, niss: str, on: date) -> BeneficiaryStatus:
    """Whether the person is insured on *on*, with insurer, regime and entitlements.

    InvalidInput for a malformed NISS (the message says which check failed), NotFound for
    a person not in the register.
    """
    person = _person(session, niss)
    cov = rules.coverage_on(
        _affiliation_periods(session, person.niss),
        _entitlement_periods(session, person.niss),
        on,
        death_date=person.death_date,
    )
    return _status(
        person.niss, on, person.birth_date, person.death_date, cov, _insurer_names(session)
    )


def beneficiary_by_member(
    *, session: Session, insurer_code: str, member_number: str, on: date
) -> BeneficiaryStatus:
    """The same answer, found by the insurer's member number.

    A member number may have been used over several periods: the one covering *on* wins,
    else the most recent.
    """
    code = rules.check_insurer_code(insurer_code)
    a = _AFF
    rows = session.execute(
        select(a.niss, a.valid_from, a.valid_to)
        .where(a.insurer_code == code, a.member_number == member_number.strip())
        .order_by(a.valid_from.desc())
    ).all()
    if not rows:
        raise NotFound(f"no member {member_number.strip()} at insurer {code}")
    chosen = next(
        (r for r in rows if r.valid_from <= on and (r.valid_to is None or on <= r.valid_to)),
        rows[0],
    )
    return beneficiary_on(session=session, niss=chosen.niss, on=on)


def beneficiary_over(*, session: Session, niss: str, start: date, end: date) -> RangeStatus:
    """Covered and uncovered sub-periods of ``[start, end]`` for one person."""
    person = _person(session, niss)
    names = _insurer_names(session)
    segments = rules.coverage_over(
        _affiliation_periods(session, person.niss), start, end, death_date=person.death_date
    )
    periods = tuple(
        SubPeriod(
            period_from=s.start,
            period_to=s.end,
            covered=s.covered,
            insurer_code=s.affiliation.insurer_code if s.affiliation else None,
            insurer_name=names.get(s.affiliation.insurer_code) if s.affiliation else None,
            member_number=s.affiliation.member_number if s.affiliation else None,
            quality=s.affiliation.quality if s.affiliation else None,
            ct1=s.affiliation.ct1 if s.affiliation else None,
            ct2=s.affiliation.ct2 if s.affiliation else None,
            reason=s.reason,
        )
        for s in segments
    )
    gaps = [p for p in periods if not p.covered]
    if not gaps:
        reason = "covered on every day of the range"
    else:
        first = gaps[0]
        reason = (
            f"not covered {first.period_from.isoformat()}..{first.period_to.isoformat()}: "
            f"{first.reason}" + (f" (and {len(gaps) - 1} more gaps)" if len(gaps) > 1 else "")
        )
    return RangeStatus(
        niss=person.niss,
        date_from=start,
        date_to=end,
        insured=not gaps,
        reason=reason,
        birth_date=person.birth_date,
        periods=periods,
    )


# ------------------------------------------------------------------ the register in memory


class Register:
    """The whole register in memory for batch checks: NISS → (birth, death, periods).

    Compact on purpose (a million persons): one list per person holding the birth and
    death dates and tuples of NamedTuple periods; no names, no ORM objects.
    """

    __slots__ = ("_insurers", "_persons")

    def __init__(self, persons: dict[str, list[Any]], insurers: dict[str, str]) -> None:
        self._persons = persons
        self._insurers = insurers

    def __len__(self) -> int:
        return len(self._persons)

    def __contains__(self, niss: object) -> bool:
        return niss in self._persons

    def insurer_name(self, code: str) -> str | None:
        """The insurer's French name."""
        return self._insurers.get(code)

    def coverage(self, niss: str, on: date) -> tuple[date | None, date | None, Coverage] | None:
        """(birth date, death date, coverage) of a known person, None for an unknown one."""
        rec = self._persons.get(niss)
        if rec is None:
            return None
        birth, death, affs, ents = rec
        return birth, death, rules.coverage_on(affs, ents, on, death_date=death)

    def status(self, niss: str, on: date) -> BeneficiaryStatus | None:
        """The same answer as ``beneficiary_on``, or None for a person not in the register."""
        found = self.coverage(niss, on)
        if found is None:
            return None
        birth, death, cov = found
        return _status(niss, on, birth, death, cov, self._insurers)


def _driver_rows(session: Session, statement: Any) -> Iterator[Any]:
    """The rows of a parameterless SELECT straight from the driver's cursor.

    Millions of rows: SQLAlchemy's result rows (a Row object and type processing per
    row) cost about as much again as the driver itself; the register converts its few
    thousand distinct dates itself.
    """
    connection = session.connection()
    sql = str(statement.compile(dialect=connection.dialect))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(_CHUNK):
            yield from rows
    finally:
        cursor.close()


class _Days(dict[Any, Any]):
    """Dates as they come from the driver (ISO text on SQLite, dates elsewhere) → one
    shared ``date`` per distinct value: a million rows hold a few thousand distinct
    dates. A subscript is a C-level look-up; only a new value calls ``__missing__``."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, value: Any) -> date:
        found = value if isinstance(value, date) else date.fromisoformat(value)
        self[value] = found
        return found


@_without_gc
def load_register(*, session: Session) -> Register:
    """Read persons, affiliations and entitlements (one query per table) into a Register."""
    # Dates are read as they come from the driver (ISO text on SQLite, dates elsewhere) and
    # converted once per distinct value: a million rows hold a few thousand distinct dates,
    # and the register then shares one date object for each.
    days = _Days()

    def raw(column: Any) -> Any:
        return type_coerce(column, String)

    persons: dict[str, list[Any]] = {}
    empty: tuple[()] = ()
    for niss, birth, death in _driver_rows(
        session, select(_PER.niss, raw(_PER.birth_date), raw(_PER.death_date))
    ):
        persons[niss] = [days[birth], days[death], empty, empty]
    a = _AFF
    # Strings repeated a million times (codes, qualities) are interned through a dict so
    # the register keeps one copy of each.
    shared: dict[str, str] = {}
    intern = shared.setdefault
    # ``_make`` is tuple.__new__: no Python-level __new__ call per period
    make_affiliation = AffiliationPeriod._make
    for niss, code, member, quality, titular, ct1, ct2, start, end in _driver_rows(
        session,
        select(
            a.niss, a.insurer_code, a.member_number, a.quality, a.titular_niss, a.ct1, a.ct2,
            raw(a.valid_from), raw(a.valid_to),
        ),
    ):  # fmt: skip
        rec = persons.get(niss)
        if rec is not None:
            period = make_affiliation((
                intern(code, code), member, intern(quality, quality), titular,
                intern(ct1, ct1), intern(ct2, ct2), days[start], days[end],
            ))  # fmt: skip
            rec[2] = (*rec[2], period) if rec[2] else (period,)
    e = _ENT
    make_entitlement = EntitlementPeriod._make
    for niss, kind, start, end, detail in _driver_rows(
        session, select(e.niss, e.kind, raw(e.valid_from), raw(e.valid_to), e.detail)
    ):
        rec = persons.get(niss)
        if rec is not None:
            period_e = make_entitlement((intern(kind, kind), days[start], days[end], detail))
            rec[3] = (*rec[3], period_e) if rec[3] else (period_e,)
    return Register(persons, _insurer_names(session))


# ------------------------------------------------------------------ reference data


def seed_insurers(*, session: Session) -> int:
    """Insert or correct the seven insurers (100 ... 900); return how many rows changed."""
    existing = {i.code: i for i in session.execute(select(Insurer)).scalars()}
    changed = 0
    for code, info in rules.INSURERS.items():
        values = {"name_fr": info.name_fr, "name_nl": info.name_nl, "short_name": info.short_name}
        row = existing.get(code)
        if row is None:
            session.add(Insurer(code=code, **values))
            record_change(
                session=session, entity="insurer", key=code, action="insert", after=values
            )
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            before = {k: getattr(row, k) for k in values}
            for k, v in values.items():
                setattr(row, k, v)
            record_change(
                session=session, entity="insurer", key=code, action="update",
                before=before, after=values,
            )  # fmt: skip
            changed += 1
    session.flush()
    return changed


def load_fixtures(*, session: Session, fixtures_dir: Path) -> None:
    """Demo data: insurers, ``persons.csv`` and ``entitlements.csv`` (idempotent)."""
    seed_insurers(session=session)
    persons = fixtures_dir / "persons.csv"
    with persons.open(encoding="utf-8", newline="") as handle:
        import_persons(session=session, lines=handle, filename=str(persons))
    entitlements = fixtures_dir / "entitlements.csv"
    with entitlements.open(encoding="utf-8", newline="") as handle:
        import_entitlements(session=session, lines=handle, filename=str(entitlements))


# ------------------------------------------------------------------ views


@dataclass(frozen=True)
class AffiliationView:
    """One affiliation period as stored."""

    id: int
    niss: str
    insurer_code: str
    insurer_name: str | None
    member_number: str
    quality: str
    titular_niss: str | None
    ct1: str
    ct2: str
    valid_from: date
    valid_to: date | None
    source: str


@dataclass(frozen=True)
class EntitlementView:
    """One entitlement period as stored."""

    id: int
    niss: str
    kind: str
    valid_from: date
    valid_to: date | None
    detail: str
    source: str


@dataclass(frozen=True)
class PersonView:
    """A person with what the number says and the stored periods."""

    niss: str
    formatted: str
    last_name: str
    first_name: str
    birth_date: date | None
    sex: str | None
    is_bis: bool
    death_date: date | None
    source: str
    affiliations: tuple[AffiliationView, ...] = ()
    entitlements: tuple[EntitlementView, ...] = ()


def _affiliation_view(row: Affiliation, names: dict[str, str]) -> AffiliationView:
    return AffiliationView(
        id=row.id or 0,
        niss=row.niss,
        insurer_code=row.insurer_code,
        insurer_name=names.get(row.insurer_code),
        member_number=row.member_number,
        quality=row.quality,
        titular_niss=row.titular_niss,
        ct1=row.ct1,
        ct2=row.ct2,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        source=row.source,
    )


def _entitlement_view(row: Entitlement) -> EntitlementView:
    return EntitlementView(
        id=row.id or 0,
        niss=row.niss,
        kind=row.kind,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        detail=row.detail,
        source=row.source,
    )


def _person_row_dict(p: Person) -> dict[str, Any]:
    return {
        "niss": p.niss,
        "last_name": p.last_name,
        "first_name": p.first_name,
        "birth_date": p.birth_date,
        "sex": p.sex,
        "is_bis": p.is_bis,
        "death_date": p.death_date,
    }


def _affiliation_dict(a: Affiliation) -> dict[str, Any]:
    return {
        "niss": a.niss,
        "insurer_code": a.insurer_code,
        "member_number": a.member_number,
        "quality": a.quality,
        "titular_niss": a.titular_niss,
        "ct1": a.ct1,
        "ct2": a.ct2,
        "valid_from": a.valid_from,
        "valid_to": a.valid_to,
    }


def _entitlement_dict(e: Entitlement) -> dict[str, Any]:
    return {
        "niss": e.niss,
        "kind": e.kind,
        "valid_from": e.valid_from,
        "valid_to": e.valid_to,
        "detail": e.detail,
    }


# ------------------------------------------------------------------ persons


def person_show(*, session: Session, niss: str) -> PersonView:
    """A person, their affiliations and entitlements (NotFound when unknown)."""
    person = _person(session, niss)
    names = _insurer_names(session)
    affs = session.execute(
        select(Affiliation).where(_AFF.niss == person.niss).order_by(_AFF.valid_from)
    ).scalars()
    ents = session.execute(
        select(Entitlement).where(_ENT.niss == person.niss).order_by(_ENT.kind, _ENT.valid_from)
    ).scalars()
    info = parse_niss(person.niss)
    return PersonView(
        niss=person.niss,
        formatted=info.formatted,
        last_name=person.last_name,
        first_name=person.first_name,
        birth_date=person.birth_date,
        sex=person.sex,
        is_bis=person.is_bis,
        death_date=person.death_date,
        source=person.source,
        affiliations=tuple(_affiliation_view(a, names) for a in affs),
        entitlements=tuple(_entitlement_view(e) for e in ents),
    )


def _check_death(info: NissInfo, death_date: date | None) -> None:
    birth = info.birth_date
    if death_date is not None and birth is not None and death_date < birth:
        raise InvalidInput(f"death date {death_date} is before the birth date {birth}")


def person_add(
    *,
    session: Session,
    niss: str,
    last_name: str,
    first_name: str,
    death_date: date | None = None,
    source: str = "operator",
) -> PersonView:
    """Register a person; birth date and sex come from the number (Conflict if known)."""
    info = parse_niss(niss)
    if session.get(Person, info.niss) is not None:
        raise Conflict(f"person {info.niss} already exists", hint="use `inami person update`")
    if not last_name.strip():
        raise InvalidInput("--last-name must not be empty")
    _check_death(info, death_date)
    person = Person(
        niss=info.niss,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        birth_date=info.birth_date,
        sex=info.sex,
        is_bis=info.is_bis,
        death_date=death_date,
        source=source,
    )
    session.add(person)
    session.flush()
    record_change(
        session=session, entity="person", key=info.niss, action="insert",
        after=_person_row_dict(person),
    )  # fmt: skip
    return person_show(session=session, niss=info.niss)


def person_update(
    *,
    session: Session,
    niss: str,
    last_name: str | None = None,
    first_name: str | None = None,
    death_date: date | None = None,
    clear_death: bool = False,
) -> PersonView:
    """Change names or the date of death (audited; nothing written when nothing changes)."""
    person = _person(session, niss)
    before = _person_row_dict(person)
    if last_name is not None:
        if not last_name.strip():
            raise InvalidInput("--last-name must not be empty")
        person.last_name = last_name.strip()
    if first_name is not None:
        person.first_name = first_name.strip()
    if death_date is not None and clear_death:
        raise InvalidInput("--death-date and --clear-death are mutually exclusive")
    if death_date is not None:
        _check_death(parse_niss(person.niss), death_date)
        person.death_date = death_date
    if clear_death:
        person.death_date = None
    after = _person_row_dict(person)
    if after != before:
        session.add(person)
        session.flush()
        record_change(
            session=session, entity="person", key=person.niss, action="update",
            before=before, after=after,
        )  # fmt: skip
    return person_show(session=session, niss=person.niss)


# ------------------------------------------------------------------ affiliations


def _rows_of(session: Session, niss: str) -> list[Affiliation]:
    return list(
        session.execute(
            select(Affiliation).where(_AFF.niss == niss).order_by(_AFF.valid_from)
        ).scalars()
    )


def _check_member(member_number: str) -> str:
    value = member_number.strip()
    if not value or len(value.split()) != 1:
        raise InvalidInput(f"member number {member_number!r}: must be non-empty, without spaces")
    return value


def _check_titular_exists(session: Session, titular: str | None) -> None:
    if titular is not None:
        valid = parse_niss(titular, what="titular NISS").niss
        if session.get(Person, valid) is None:
            raise NotFound(f"titular {valid} is not in the register (add them first)")


def affiliation_add(
    *,
    session: Session,
    niss: str,
    insurer_code: str,
    member_number: str,
    ct1: str,
    ct2: str,
    valid_from: date,
    valid_to: date | None = None,
    quality: str = "titular",
    titular_niss: str | None = None,
    source: str = "operator",
) -> AffiliationView:
    """Affiliate a person to an insurer over a period (Conflict if it overlaps another)."""
    person = _person(session, niss)
    code = rules.check_insurer_code(insurer_code)
    member = _check_member(member_number)
    c1, c2 = rules.check_ct1(ct1), rules.check_ct2(ct2)
    q, titular = rules.check_affiliation(person.niss, quality, titular_niss)
    _check_titular_exists(session, titular)
    existing = _rows_of(session, person.niss)
    rules.check_no_overlap(
        ((a.valid_from, a.valid_to) for a in existing), valid_from, valid_to,
        what=f"affiliation of {person.niss}",
    )  # fmt: skip
    row = Affiliation(
        niss=person.niss, insurer_code=code, member_number=member, quality=q,
        titular_niss=titular, ct1=c1, ct2=c2, valid_from=valid_from, valid_to=valid_to,
        source=source,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_change(
        session=session, entity="affiliation", key=f"{person.niss} {valid_from}",
        action="insert", after=_affiliation_dict(row),
    )  # fmt: skip
    return _affiliation_view(row, _insurer_names(session))


def _current(rows: Sequence[Affiliation], on: date, niss: str) -> Affiliation:
    for row in rows:
        if row.valid_from <= on and (row.valid_to is None or on <= row.valid_to):
            return row
    raise NotFound(f"{niss} has no affiliation on {on.isoformat()}")


def affiliation_end(*, session: Session, niss: str, on: date) -> AffiliationView:
    """Close the affiliation in force on *on*: *on* becomes its last day."""
    person = _person(session, niss)
    row = _current(_rows_of(session, person.niss), on, person.niss)
    before = _affiliation_dict(row)
    row.valid_to = on
    session.add(row)
    session.flush()
    if before != _affiliation_dict(row):
        record_change(
            session=session, entity="affiliation", key=f"{person.niss} {row.valid_from}",
            action="update", before=before, after=_affiliation_dict(row),
        )  # fmt: skip
    return _affiliation_view(row, _insurer_names(session))


def affiliation_transfer(
    *,
    session: Session,
    niss: str,
    to_insurer: str,
    member_number: str,
    on: date,
    ct1: str | None = None,
    ct2: str | None = None,
) -> tuple[AffiliationView, AffiliationView]:
    """Move a person to another insurer from *on*: the old period ends the day before, the
    new one starts on *on* (no gap, no overlap) and keeps the old planned end, quality and
    (unless given) CT1/CT2."""
    person = _person(session, niss)
    code = rules.check_insurer_code(to_insurer)
    member = _check_member(member_number)
    rows = _rows_of(session, person.niss)
    old = _current(rows, on, person.niss)
    if old.insurer_code == code:
        raise Conflict(f"{person.niss} is already affiliated with {code} on {on.isoformat()}")
    last_day = rules.transfer_end(old.valid_from, on)
    c1 = rules.check_ct1(ct1) if ct1 else old.ct1
    c2 = rules.check_ct2(ct2) if ct2 else old.ct2
    before = _affiliation_dict(old)
    new_end = old.valid_to
    old.valid_to = last_day
    others = [r for r in rows if r.id != old.id]
    rules.check_no_overlap(
        ((a.valid_from, a.valid_to) for a in others), on, new_end,
        what=f"affiliation of {person.niss}",
    )  # fmt: skip
    new = Affiliation(
        niss=person.niss, insurer_code=code, member_number=member, quality=old.quality,
        titular_niss=old.titular_niss, ct1=c1, ct2=c2, valid_from=on, valid_to=new_end,
        source="operator",
    )  # fmt: skip
    session.add(old)
    session.add(new)
    session.flush()
    record_changes(
        session=session,
        changes=[
            ("affiliation", f"{person.niss} {old.valid_from}", "update", before,
             _affiliation_dict(old)),
            ("affiliation", f"{person.niss} {on}", "insert", None, _affiliation_dict(new)),
        ],
    )  # fmt: skip
    names = _insurer_names(session)
    return _affiliation_view(old, names), _affiliation_view(new, names)


def affiliation_list(
    *,
    session: Session,
    niss: str | None = None,
    insurer_code: str | None = None,
    member_number: str | None = None,
    on: date | None = None,
    limit: int | None = None,
) -> list[AffiliationView]:
    """Affiliations filtered by person, insurer, member number and/or a date in force."""
    query = select(Affiliation)
    if niss is not None:
        query = query.where(_AFF.niss == parse_niss(niss).niss)
    if insurer_code is not None:
        query = query.where(_AFF.insurer_code == rules.check_insurer_code(insurer_code))
    if member_number is not None:
        query = query.where(_AFF.member_number == member_number.strip())
    if on is not None:
        query = query.where(
            _AFF.valid_from <= on,
            (_AFF.valid_to.is_(None)) | (_AFF.valid_to >= on),
        )
    query = query.order_by(_AFF.niss, _AFF.valid_from)
    if limit is not None:
        query = query.limit(limit)
    names = _insurer_names(session)
    return [_affiliation_view(a, names) for a in session.execute(query).scalars()]


# ------------------------------------------------------------------ entitlements


def _entitlements_of(session: Session, niss: str, kind: str) -> list[Entitlement]:
    return list(
        session.execute(
            select(Entitlement)
            .where(_ENT.niss == niss, _ENT.kind == kind)
            .order_by(_ENT.valid_from)
        ).scalars()
    )


def entitlement_set(
    *,
    session: Session,
    niss: str,
    kind: str,
    valid_from: date,
    valid_to: date | None = None,
    detail: str = "",
    source: str = "operator",
) -> EntitlementView:
    """Grant a dated right (bim, dmg, chronic, third_party); Conflict if it overlaps one of
    the same kind."""
    person = _person(session, niss)
    k = rules.check_kind(kind)
    d = rules.check_detail(k, detail)
    rules.check_no_overlap(
        ((e.valid_from, e.valid_to) for e in _entitlements_of(session, person.niss, k)),
        valid_from, valid_to, what=f"{k} of {person.niss}",
    )  # fmt: skip
    row = Entitlement(
        niss=person.niss, kind=k, valid_from=valid_from, valid_to=valid_to, detail=d,
        source=source,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_change(
        session=session, entity="entitlement", key=f"{person.niss} {k} {valid_from}",
        action="insert", after=_entitlement_dict(row),
    )  # fmt: skip
    return _entitlement_view(row)


def entitlement_end(*, session: Session, niss: str, kind: str, on: date) -> EntitlementView:
    """Close the entitlement of *kind* in force on *on*: *on* becomes its last day."""
    person = _person(session, niss)
    k = rules.check_kind(kind)
    for row in _entitlements_of(session, person.niss, k):
        if row.valid_from <= on and (row.valid_to is None or on <= row.valid_to):
            before = _entitlement_dict(row)
            row.valid_to = on
            session.add(row)
            session.flush()
            if before != _entitlement_dict(row):
                record_change(
                    session=session, entity="entitlement",
                    key=f"{person.niss} {k} {row.valid_from}", action="update",
                    before=before, after=_entitlement_dict(row),
                )  # fmt: skip
            return _entitlement_view(row)
    raise NotFound(f"{person.niss} has no {k} entitlement on {on.isoformat()}")


def entitlement_list(
    *, session: Session, niss: str, kind: str | None = None, on: date | None = None
) -> list[EntitlementView]:
    """A person's entitlements, optionally of one kind and/or in force on a date."""
    person = _person(session, niss)
    query = select(Entitlement).where(_ENT.niss == person.niss)
    if kind is not None:
        query = query.where(_ENT.kind == rules.check_kind(kind))
    rows = session.execute(query.order_by(_ENT.kind, _ENT.valid_from)).scalars()
    views = [_entitlement_view(e) for e in rows]
    if on is not None:
        views = in_force(views, on)
    return views


# ------------------------------------------------------------------ imports


@dataclass(frozen=True)
class Change:
    """One change an import makes (or would make, with --dry-run)."""

    action: str  # insert | update
    entity: str
    key: str
    detail: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did: counts, and with --dry-run the list of changes."""

    filename: str
    lines: int
    inserted: int
    updated: int
    unchanged: int
    dry_run: bool
    batch_id: int | None
    changes: tuple[Change, ...] = field(default=())

    def counts(self) -> dict[str, Any]:
        """The summary object (``--format json``)."""
        return {
            "file": self.filename,
            "lines": self.lines,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": 0,
            "dry_run": self.dry_run,
            "batch_id": self.batch_id,
        }


PERSON_COLUMNS = (
    "niss", "last_name", "first_name", "insurer_code", "member_number", "quality",
    "titular_niss", "ct1", "ct2", "valid_from", "valid_to",
)  # fmt: skip
ENTITLEMENT_COLUMNS = ("niss", "kind", "valid_from", "valid_to", "detail")


class _Reader:
    """CSV rows with their line numbers, a running SHA-256, and the header checked."""

    def __init__(self, lines: Iterable[str], filename: str, required: Sequence[str]) -> None:
        self.filename = filename
        self.digest = hashlib.sha256()
        # The csv reader pulls lines in batches from one generator that hashes each batch
        # at once: a generator step and a hash update per line cost a third of the parsing
        # of a million-row file. line_num counts the lines read, as a file would.
        self._reader = csv.reader(itertools.chain.from_iterable(self._hashing(lines)))
        header = next(self._reader, None)
        if header is None:
            raise FileErrors([f"{filename}:1: empty file (expected a header line)"])
        self.columns = [h.strip().lower() for h in header]
        missing = [c for c in required if c not in self.columns]
        if missing:
            raise FileErrors([f"{filename}:1: missing column(s) {', '.join(missing)}"])
        self.index = {name: i for i, name in enumerate(self.columns)}

    @property
    def lines(self) -> int:
        """Lines read so far (all of them once ``rows()`` is exhausted)."""
        return self._reader.line_num

    def _hashing(self, lines: Iterable[str]) -> Iterator[list[str]]:
        source = iter(lines)
        update_digest = self.digest.update
        while batch := list(itertools.islice(source, 4096)):
            update_digest("".join(batch).encode("utf-8"))
            yield batch

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells) for each non-blank row."""
        width = len(self.columns)
        reader = self._reader
        for cells in reader:
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            yield reader.line_num, cells


def _date_cell(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return parse_date(text, what=what)


def _optional_date(text: str, what: str) -> date | None:
    value = text.strip()
    return _date_cell(value, what) if value else None


def _fmt_period(start: date, end: date | None) -> str:
    return f"{start.isoformat()}..{end.isoformat() if end else ''}"


def _overlap_problems(
    periods: list[tuple[date, date | None, int | None]], filename: str, label: str
) -> Iterator[str]:
    """``FILE:LINE`` problems for periods (from the file: a line; stored: None) sharing a
    day; sorted by start, an overlap always shows between neighbours."""
    periods.sort(key=lambda p: p[0])
    for (s1, e1, l1), (s2, e2, l2) in itertools.pairwise(periods):
        if e1 is None or e1 >= s2:
            line, other_line = (l2, l1) if l2 is not None else (l1, l2)
            this, other = (
                (_fmt_period(s2, e2), _fmt_period(s1, e1))
                if l2 is not None
                else (_fmt_period(s1, e1), _fmt_period(s2, e2))
            )
            where = f"line {other_line}" if other_line is not None else "stored"
            yield f"{filename}:{line}: {label} {this} overlaps {other} ({where})"


def _new_batch(session: Session, kind: str, reader: _Reader) -> int:
    batch = ImportBatch(
        kind=kind,
        filename=Path(reader.filename).name,
        sha256=reader.digest.hexdigest(),
        at=now(),
        operator=current_actor().operator,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None
    return batch.id


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), _CHUNK):
        yield rows[start : start + _CHUNK]


def _bulk(
    session: Session,
    model: type[SQLModel],
    names: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    **extra: Any,
) -> None:
    """executemany INSERT of tuples (values of *names*, in order; anything after them is
    ignored), in chunks; *extra* columns are added to every row (provenance).

    Tuples rather than dicts: a million-row import holds two million of them. On
    PostgreSQL (psycopg) the rows are sent with COPY. On SQLite they go straight to the
    driver: SQLAlchemy's per-row parameter processing costs about 10 µs a row there, more
    than the insert itself; dates and booleans are converted as SQLAlchemy stores them (ISO
    text, 0/1), column by column and each distinct value once. Elsewhere Core executemany.
    """
    if not rows:
        return
    conn = session.connection()
    table = model.__table__  # type: ignore[attr-defined]
    columns = [*names, *extra]
    tail = tuple(extra.values())
    width = len(names)
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        # COPY: executemany INSERT runs at ~5 000 rows/s on PostgreSQL, COPY at ~100 000.
        # It runs inside the caller's transaction: a failure rolls back every row.
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                write_row = copy.write_row
                for rec in rows:
                    write_row(rec[:width] + tail)
        finally:
            cursor.close()
        return
    if conn.dialect.name != "sqlite":
        statement = table.insert()
        for start in range(0, len(rows), _CHUNK):
            conn.execute(
                statement,
                [
                    dict(zip(columns, rec[:width] + tail, strict=True))
                    for rec in rows[start : start + _CHUNK]
                ],
            )
        return
    convert: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = []
    for i, name in enumerate(names):
        kind = table.c[name].type.python_type
        if kind is date:
            convert.append((i, date.isoformat, {None: None}))
        elif kind is bool:
            convert.append((i, int, {None: None}))
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        cells: list[Any] = list(zip(*chunk, strict=True))[:width]
        for i, fn, memo in convert:
            for value in set(cells[i]).difference(memo):
                memo[value] = fn(value)
            cells[i] = map(memo.__getitem__, cells[i])
        cells.extend(itertools.repeat(value, len(chunk)) for value in tail)
        conn.exec_driver_sql(sql, list(zip(*cells, strict=True)))


_AFF_FIELDS = ("insurer_code", "member_number", "quality", "titular_niss", "ct1", "ct2", "valid_to")
# Column order of the import's tuples: the stored row's fields [1:8] are _AFF_FIELDS
_AFF_ROW = ("niss", *_AFF_FIELDS, "valid_from")
_PERSON_ROW = ("niss", "last_name", "first_name", "birth_date", "sex", "is_bis", "death_date")
_ENT_ROW = ("niss", "kind", "valid_from", "valid_to", "detail")
_AFF_START = operator.itemgetter(8)


class _DayCache:
    """Dates of an import's cells, each distinct ISO text parsed once (a file of a million
    rows repeats a few thousand dates); other forms go to the parser every time ("today"
    moves)."""

    def __init__(self) -> None:
        self._days: dict[str, date] = {}

    def required(self, text: str, what: str) -> date:
        """``_date_cell``: the date of a stripped cell, InvalidInput saying why not."""
        day = self._days.get(text)
        if day is None:
            day = _date_cell(text, what)
            if len(text) == 10 and text[4] == "-":
                self._days[text] = day
        return day

    def optional(self, text: str, what: str) -> date | None:
        """``_optional_date``: None for a blank cell."""
        day = self._days.get(text)
        if day is not None:
            return day
        value = text.strip()
        return self.required(value, what) if value else None


@_without_gc
def import_persons(
    *, session: Session, lines: Iterable[str], filename: str, dry_run: bool = False
) -> ImportReport:
    """Import a sickness fund's member file, all or nothing, idempotent.

    One row per affiliation period: ``niss, last_name, first_name, insurer_code,
    member_number, quality, titular_niss, ct1, ct2, valid_from, valid_to`` (and optionally
    ``death_date``). A person is keyed by NISS, an affiliation by NISS and start date: a
    known key with other values is updated, the same values change nothing. Every problem
    is reported as ``FILE:LINE: reason`` (FileErrors, exit 2) and nothing is written.
    """
    reader = _Reader(lines, filename, PERSON_COLUMNS)
    ix = reader.index
    i_niss, i_last, i_first = ix["niss"], ix["last_name"], ix["first_name"]
    i_code, i_member, i_quality = ix["insurer_code"], ix["member_number"], ix["quality"]
    i_titular, i_ct1, i_ct2 = ix["titular_niss"], ix["ct1"], ix["ct2"]
    i_from, i_to = ix["valid_from"], ix["valid_to"]
    i_death = ix.get("death_date")
    problems: list[str] = []
    file_persons: dict[str, tuple[int, str, str, date | None, NissInfo]] = {}
    # An affiliation is a tuple laid out as _AFF_ROW, then its line. Most persons have one
    # period: the first goes in file_affs, any further ones in more_affs (a list per
    # person would be a million lists).
    file_affs: dict[str, tuple[Any, ...]] = {}
    more_affs: dict[str, list[tuple[Any, ...]]] = {}
    titulars: list[tuple[int, str]] = []
    insurers, ct1_values = rules.INSURERS, rules.CT1_VALUES
    days = _DayCache()
    for line, cells in reader.rows():
        try:
            raw = cells[i_niss].strip()
            known = file_persons.get(raw)
            info = known[4] if known is not None else parse_niss(raw)
            niss = info.niss
            last, first = cells[i_last].strip(), cells[i_first].strip()
            death = days.optional(cells[i_death], "death_date") if i_death is not None else None
            known = file_persons.get(niss)
            if known is not None and (known[1], known[2], known[3]) != (last, first, death):
                raise InvalidInput(f"{niss}: names or death date differ from line {known[0]}")
            if not last:
                raise InvalidInput("last_name is empty")
            if known is None:
                file_persons[niss] = (line, last, first, death, info)
            code = cells[i_code].strip()
            if not code:
                if any(cells[i].strip() for i in (i_member, i_ct1, i_ct2, i_from)):
                    raise InvalidInput("insurer_code is empty but the affiliation is filled in")
                continue  # a person without an affiliation row
            if code not in insurers:
                rules.check_insurer_code(code)
            # The checks below take a shortcut for the usual well-formed cell and call
            # the rule (which says why) otherwise: same values, same messages.
            member = cells[i_member]
            if not member.isdigit():
                member = _check_member(member)
            quality, titular_cell = cells[i_quality], cells[i_titular]
            titular: str | None = None
            if (quality == "titular" or not quality) and not titular_cell:
                quality = "titular"
            else:
                quality, titular = rules.check_affiliation(niss, quality or "titular", titular_cell)
            ct1 = cells[i_ct1].strip()
            if ct1 not in ct1_values:
                rules.check_ct1(ct1)
            ct2 = cells[i_ct2]
            if len(ct2) != 3 or not ct2.isdigit():
                ct2 = rules.check_ct2(ct2)
            start = days.required(cells[i_from].strip(), "valid_from")
            end = days.optional(cells[i_to], "valid_to")
            if end is not None and end < start:
                raise InvalidInput(f"valid_to {end} is before valid_from {start}")
            if titular is not None:
                titular = parse_niss(titular, what="titular_niss").niss
                titulars.append((line, titular))
            aff = (niss, code, member, quality, titular, ct1, ct2, end, start, line)
            if niss in file_affs:
                more_affs.setdefault(niss, []).append(aff)
            else:
                file_affs[niss] = aff
        except InvalidInput as exc:
            problems.append(f"{filename}:{line}: {exc.message}")
    if problems:
        raise FileErrors(problems)

    # Preload what the database holds for the persons of the file (one query per table).
    existing_persons: dict[str, tuple[str, str, date | None]] = {}
    for niss, last, first, death in session.execute(
        select(_PER.niss, _PER.last_name, _PER.first_name, _PER.death_date)
    ):
        existing_persons[niss] = (last, first, death)
    existing_affs: dict[str, list[tuple[Any, ...]]] = {}
    a = _AFF
    for row in session.execute(
        select(
            a.id, a.niss, a.insurer_code, a.member_number, a.quality, a.titular_niss, a.ct1,
            a.ct2, a.valid_to, a.valid_from,
        )
    ):  # fmt: skip
        existing_affs.setdefault(row[1], []).append(row)

    for line, titular in titulars:
        if titular not in existing_persons and titular not in file_persons:
            problems.append(f"{filename}:{line}: titular {titular} is not in the register or file")

    person_inserts: list[tuple[Any, ...]] = []
    person_updates: list[dict[str, Any]] = []
    changes: list[Change] = []
    audit: list[tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]] = []
    unchanged = 0
    for niss, (_line, last, first, death, info) in file_persons.items():
        old = existing_persons.get(niss)
        if old is None:
            person_inserts.append(
                (niss, last, first, info.birth_date, info.sex, info.is_bis, death)
            )
            if dry_run:
                changes.append(Change("insert", "person", niss, f"{last} {first}".strip()))
            continue
        new_death = death if i_death is not None else old[2]
        if (last, first, new_death) == old:
            unchanged += 1
            continue
        values = {"last_name": last, "first_name": first, "death_date": new_death}
        before = {"last_name": old[0], "first_name": old[1], "death_date": old[2]}
        person_updates.append({"niss": niss, **values})
        audit.append(("person", niss, "update", before, values))
        if dry_run:
            diff = ", ".join(
                f"{k}: {before[k]} -> {v}" for k, v in values.items() if before[k] != v
            )
            changes.append(Change("update", "person", niss, diff))

    aff_inserts: list[tuple[Any, ...]] = []
    aff_updates: list[dict[str, Any]] = []
    for niss, first_aff in file_affs.items():
        extra = more_affs.get(niss)
        stored_rows = existing_affs.get(niss)
        if extra is None and stored_rows is None:  # the usual case: one new period
            aff_inserts.append(first_aff)
            if dry_run:
                changes.append(_aff_insert_change(first_aff))
            continue
        stored = {row[9]: row for row in stored_rows or ()}
        periods: list[tuple[date, date | None, int | None]] = []
        seen: dict[date, int] = {}
        new_periods: list[tuple[Any, ...]] = []
        for aff in (first_aff, *(extra or ())):
            aff_start: date = aff[8]
            line = aff[9]
            if aff_start in seen:
                problems.append(
                    f"{filename}:{line}: affiliation of {niss} from {aff_start} "
                    f"repeats line {seen[aff_start]}"
                )
                continue
            seen[aff_start] = line
            periods.append((aff_start, aff[7], line))
            old_row = stored.pop(aff_start, None)
            if old_row is None:
                new_periods.append(aff)
                if dry_run:
                    changes.append(_aff_insert_change(aff))
                continue
            before = dict(zip(_AFF_FIELDS, old_row[2:9], strict=True))
            after = dict(zip(_AFF_FIELDS, aff[1:8], strict=True))
            if before == after:
                unchanged += 1
                continue
            aff_updates.append({"id": old_row[0], **after})
            audit.append(("affiliation", f"{niss} {aff_start}", "update", before, after))
            if dry_run:
                diff = ", ".join(
                    f"{k}: {before[k]} -> {v}" for k, v in after.items() if before[k] != v
                )
                changes.append(Change("update", "affiliation", f"{niss} {aff_start}", diff))
        new_periods.sort(key=_AFF_START)  # by start date: see the sort before the insert
        aff_inserts.extend(new_periods)
        periods.extend((row[9], row[8], None) for row in stored.values())
        if len(periods) > 1:
            problems.extend(_overlap_problems(periods, filename, f"affiliation of {niss}"))
    if problems:
        raise FileErrors(problems)

    inserted = len(person_inserts) + len(aff_inserts)
    updated = len(person_updates) + len(aff_updates)
    batch_id: int | None = None
    if not dry_run and inserted + updated:
        batch_id = _new_batch(session, "persons", reader)
        source = f"import {Path(filename).name}"
        # In key order: the B-tree pages are then filled one after the other instead of
        # being revisited at random (measured 3x faster on a million rows).
        person_inserts.sort(key=operator.itemgetter(0))
        # The inserts of one person are contiguous and by start date (see above): a
        # stable sort on the NISS alone gives (niss, valid_from) order without building
        # a million key tuples.
        aff_inserts.sort(key=operator.itemgetter(0))
        with sqlite_bulk_cache(session):
            _bulk(session, Person, _PERSON_ROW, person_inserts, source=source, batch_id=batch_id)
            for chunk in _chunks(person_updates):
                session.execute(update(Person), chunk)
            # (the trailing line number is not in _AFF_ROW: _bulk leaves it out)
            _bulk(session, Affiliation, _AFF_ROW, aff_inserts, source=source, batch_id=batch_id)
            for chunk in _chunks(aff_updates):
                session.execute(update(Affiliation), chunk)
        _finish_batch(session, batch_id, inserted, updated, unchanged, audit, reader)
    return ImportReport(
        filename=filename,
        lines=reader.lines,
        inserted=inserted,
        updated=updated,
        unchanged=unchanged,
        dry_run=dry_run,
        batch_id=batch_id,
        changes=tuple(changes),
    )


def _aff_insert_change(aff: tuple[Any, ...]) -> Change:
    """The --dry-run line of a new affiliation (a tuple laid out as _AFF_ROW)."""
    return Change(
        "insert",
        "affiliation",
        f"{aff[0]} {aff[8]}",
        f"{aff[1]} {aff[2]} {_fmt_period(aff[8], aff[7])}",
    )


def _finish_batch(
    session: Session,
    batch_id: int,
    inserted: int,
    updated: int,
    unchanged: int,
    audit: list[tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]],
    reader: _Reader,
) -> None:
    """Counts on the batch row; the audit gets each update (before/after) and one entry
    for the batch (the inserted rows carry its id: a million audit rows would double the
    import time and say nothing the batch does not)."""
    session.execute(
        update(ImportBatch)
        .where(_columns(ImportBatch).id == batch_id)
        .values(inserted=inserted, updated=updated, unchanged=unchanged)
    )
    summary = {
        "file": reader.filename,
        "sha256": reader.digest.hexdigest(),
        "inserted": inserted,
        "updated": updated,
        "unchanged": unchanged,
    }
    record_changes(
        session=session,
        changes=[*audit, ("import_batch", str(batch_id), "insert", None, summary)],
    )


@_without_gc
def import_entitlements(
    *, session: Session, lines: Iterable[str], filename: str, dry_run: bool = False
) -> ImportReport:
    """Import entitlements ``niss, kind, valid_from, valid_to, detail``, all or nothing,
    idempotent (key: NISS, kind and start date); the persons must exist."""
    reader = _Reader(lines, filename, ENTITLEMENT_COLUMNS)
    ix = reader.index
    i_niss, i_kind, i_from, i_to, i_detail = (ix[c] for c in ENTITLEMENT_COLUMNS)
    problems: list[str] = []
    # Each row a tuple laid out as _ENT_ROW, then its line (tuples, not dicts: see _bulk)
    rows: list[tuple[Any, ...]] = []
    kinds = frozenset(rules.ENTITLEMENT_KINDS)
    days = _DayCache()
    for line, cells in reader.rows():
        try:
            niss = parse_niss(cells[i_niss].strip()).niss
            kind = cells[i_kind]
            if kind not in kinds:  # the rule says why, and reads "Third-Party" too
                kind = rules.check_kind(kind)
            detail = rules.check_detail(kind, cells[i_detail])
            start = days.required(cells[i_from].strip(), "valid_from")
            end = days.optional(cells[i_to], "valid_to")
            if end is not None and end < start:
                raise InvalidInput(f"valid_to {end} is before valid_from {start}")
            rows.append((niss, kind, start, end, detail, line))
        except InvalidInput as exc:
            problems.append(f"{filename}:{line}: {exc.message}")
    if problems:
        raise FileErrors(problems)

    persons = set(session.execute(select(_PER.niss)).scalars())
    e = _ENT
    stored: dict[tuple[str, str], dict[date, tuple[Any, ...]]] = {}
    for row in session.execute(select(e.id, e.niss, e.kind, e.valid_from, e.valid_to, e.detail)):
        stored.setdefault((row[1], row[2]), {})[row[3]] = row
    # As for affiliations: the first row of a (person, kind) here, any further ones apart.
    by_key: dict[tuple[str, str], tuple[Any, ...]] = {}
    more: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for values in rows:
        if values[0] not in persons:
            problems.append(f"{filename}:{values[5]}: person {values[0]} is not in the register")
            continue
        pair = (values[0], values[1])
        if pair in by_key:
            more.setdefault(pair, []).append(values)
        else:
            by_key[pair] = values
    del persons  # a million strings, no longer needed

    inserts: list[tuple[Any, ...]] = []
    updates: list[dict[str, Any]] = []
    changes: list[Change] = []
    audit: list[tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]] = []
    unchanged = 0
    for (niss, kind), first in by_key.items():
        extra = more.get((niss, kind))
        stored_rows = stored.get((niss, kind))
        if extra is None and stored_rows is None:  # the usual case: one new period
            inserts.append(first)
            if dry_run:
                changes.append(_ent_insert_change(first))
            continue
        old_rows = dict(stored_rows or {})
        periods: list[tuple[date, date | None, int | None]] = []
        seen: dict[date, int] = {}
        for values in (first, *(extra or ())):
            start, line = values[2], values[5]
            key = f"{niss} {kind} {start}"
            if start in seen:
                problems.append(f"{filename}:{line}: {key} repeats line {seen[start]}")
                continue
            seen[start] = line
            periods.append((start, values[3], line))
            old = old_rows.pop(start, None)
            if old is None:
                inserts.append(values)
                if dry_run:
                    changes.append(_ent_insert_change(values))
                continue
            before = {"valid_to": old[4], "detail": old[5]}
            after = {"valid_to": values[3], "detail": values[4]}
            if before == after:
                unchanged += 1
                continue
            updates.append({"id": old[0], **after})
            audit.append(("entitlement", key, "update", before, after))
            if dry_run:
                diff = ", ".join(
                    f"{k}: {before[k]} -> {v}" for k, v in after.items() if before[k] != v
                )
                changes.append(Change("update", "entitlement", key, diff))
        periods.extend((r[3], r[4], None) for r in old_rows.values())
        if len(periods) > 1:
            problems.extend(_overlap_problems(periods, filename, f"{kind} of {niss}"))
    if problems:
        raise FileErrors(problems)
    batch_id: int | None = None
    if not dry_run and (inserts or updates):
        batch_id = _new_batch(session, "entitlements", reader)
        source = f"import {Path(filename).name}"
        inserts.sort(key=operator.itemgetter(0, 1, 2))
        with sqlite_bulk_cache(session):
            _bulk(session, Entitlement, _ENT_ROW, inserts, source=source, batch_id=batch_id)
            for chunk in _chunks(updates):
                session.execute(update(Entitlement), chunk)
        _finish_batch(session, batch_id, len(inserts), len(updates), unchanged, audit, reader)
    return ImportReport(
        filename=filename,
        lines=reader.lines,
        inserted=len(inserts),
        updated=len(updates),
        unchanged=unchanged,
        dry_run=dry_run,
        batch_id=batch_id,
        changes=tuple(changes),
    )


def _ent_insert_change(values: tuple[Any, ...]) -> Change:
    """The --dry-run line of a new entitlement (a tuple laid out as _ENT_ROW)."""
    niss, kind, start, end, detail = values[:5]
    text = f"{_fmt_period(start, end)} {detail}"
    return Change("insert", "entitlement", f"{niss} {kind} {start}", text.strip())


# ------------------------------------------------------------------ batch


BATCH_COLUMNS = (
    "line", "niss", "date", "insured", "insurer_code", "insurer_name", "member_number",
    "quality", "ct1", "ct2", "regime", "dmg", "period_from", "period_to", "reason",
)  # fmt: skip


@dataclass(frozen=True)
class BatchSummary:
    """Counts of an ``insured batch`` run."""

    lines: int
    checked: int
    insured: int
    not_insured: int
    unknown: int
    invalid: int

    def as_dict(self) -> dict[str, int]:
        """The summary object (``--format json``)."""
        return {
            "lines": self.lines,
            "checked": self.checked,
            "insured": self.insured,
            "not_insured": self.not_insured,
            "unknown": self.unknown,
            "invalid": self.invalid,
        }


class _Checked(NamedTuple):
    """What one chunk of lines gave: output text, warnings in order, counts."""

    text: str
    warnings: list[str]
    checked: int
    insured: int
    unknown: int
    invalid: int


class _BatchCheck:
    """The per-line work of ``insured_batch``: one chunk of lines into output text.

    The loop works on the register's tuples and writes plain strings (no dataclass per
    line): it is the path of a million checks, done here or in forked workers.
    """

    def __init__(self, register: Register, *, fmt: str, on: date, filename: str) -> None:
        import json

        self.persons = register._persons
        self.names = register._insurers
        self.ndjson = fmt in ("json", "ndjson")
        self.dumps = json.JSONEncoder(ensure_ascii=False).encode
        self.filename = filename
        self.default = (on, on.isoformat())
        self.iso_cache: dict[date, str] = {}
        self.dates: dict[str, tuple[date, str]] = {}

    def chunk(self, source: list[str], first: int) -> _Checked:
        """Check the lines of *source*, whose first line is line *first* of the file."""
        import csv as _csv
        import io

        persons = self.persons
        names = self.names
        coverage_on = rules.coverage_on
        ndjson = self.ndjson
        dumps = self.dumps
        iso_cache = self.iso_cache
        dates = self.dates
        default = self.default
        filename = self.filename
        width = len(BATCH_COLUMNS) - 1
        out: list[str] = []
        write = out.append
        warnings: list[str] = []
        checked = insured = unknown = invalid = 0
        for lines, raw in enumerate(source, first):
            text = raw.strip()
            if not text or text[0] == "#" or (lines == 1 and text[:4].lower() == "niss"):
                continue
            niss, comma, when = text.partition(",")
            niss = niss.strip()
            day, day_iso = default
            if comma and when.strip():
                parsed = dates.get(when)
                if parsed is None:
                    try:
                        value = _date_cell(when.strip(), "date")
                    except InvalidInput as exc:
                        invalid += 1
                        warnings.append(f"{filename}:{lines}: {exc.message}")
                        continue
                    parsed = dates[when] = (value, value.isoformat())
                day, day_iso = parsed
            rec = persons.get(niss)
            if rec is None:
                try:
                    niss = parse_niss(niss).niss
                except InvalidInput as exc:
                    invalid += 1
                    warnings.append(f"{filename}:{lines}: {exc.message}")
                    continue
                rec = persons.get(niss)
            checked += 1
            if rec is None:
                unknown += 1
                row: list[Any] = [
                    lines, niss, day_iso, False, None, None, None, None, None, None, "ordinary",
                    False, None, None, f"no person with NISS {niss} in the register",
                ]  # fmt: skip
            else:
                cov = coverage_on(rec[2], rec[3], day, death_date=rec[1])
                aff = cov.affiliation
                if cov.insured and aff is not None:
                    insured += 1
                    start = iso_cache.get(aff.valid_from)
                    if start is None:
                        start = iso_cache[aff.valid_from] = aff.valid_from.isoformat()
                    end = None
                    if aff.valid_to is not None:
                        end = iso_cache.get(aff.valid_to)
                        if end is None:
                            end = iso_cache[aff.valid_to] = aff.valid_to.isoformat()
                    row = [
                        lines, niss, day_iso, True, aff.insurer_code,
                        names.get(aff.insurer_code), aff.member_number, aff.quality, aff.ct1,
                        aff.ct2, cov.regime, cov.dmg, start, end, cov.reason,
                    ]  # fmt: skip
                else:
                    row = [
                        lines, niss, day_iso, False, None, None, None, None, None, None,
                        cov.regime, cov.dmg, None, None, cov.reason,
                    ]  # fmt: skip
            if ndjson:
                write(dumps(dict(zip(BATCH_COLUMNS, row, strict=True))) + "\n")
                continue
            row[0] = str(lines)
            row[3] = "yes" if row[3] else "no"  # the CSV convention of domain.cells.cell
            row[11] = "yes" if row[11] else "no"
            # A plain join is three times cheaper than csv.writer; the writer (quoting) is
            # used for the rare row whose text holds a comma, a quote or a line break.
            text = ",".join([f or "" for f in row])
            if text.count(",") != width or '"' in text or "\n" in text or "\r" in text:
                buffer = io.StringIO()
                _csv.writer(buffer, lineterminator="\n").writerow(row)
                write(buffer.getvalue())
            else:
                write(text + "\n")
        return _Checked("".join(out), warnings, checked, insured, unknown, invalid)


def insured_batch(
    *,
    register: Register,
    source: Iterable[str],
    out: TextIO,
    fmt: str,
    on: date,
    filename: str,
    on_error: Callable[[str], None],
) -> BatchSummary:
    """Check one NISS per line (``NISS`` or ``NISS,DATE``; a ``niss`` header and ``#``
    comments are skipped) and stream one CSV row or NDJSON object per check to *out*.

    Invalid lines go to *on_error* as ``FILE:LINE: reason`` and are skipped. A big input
    is checked on worker processes sharing the register (``services.batching``); the
    output, the warnings and the summary are the same, in the same order.
    """
    from inami_cli.services import batching

    check = _BatchCheck(register, fmt=fmt, on=on, filename=filename)
    if not check.ndjson:
        out.write(",".join(BATCH_COLUMNS) + "\n")
    totals = [0, 0, 0, 0]
    lines = 0

    def emit(done: _Checked) -> None:
        for message in done.warnings:
            on_error(message)
        out.write(done.text)
        for i, value in enumerate(done[2:]):
            totals[i] += value

    def counted(chunks: Iterator[list[str]]) -> Iterator[list[str]]:
        nonlocal lines
        for chunk in chunks:
            lines += len(chunk)
            yield chunk

    batching.run_chunks(
        counted(batching.line_chunks(source, batching.chunk_size())), 1, check.chunk, emit
    )
    checked, insured, unknown, invalid = totals
    return BatchSummary(
        lines=lines,
        checked=checked,
        insured=insured,
        not_insured=checked - insured,
        unknown=unknown,
        invalid=invalid,
    )


def _check_periods(session: Session) -> Iterable[str]:
    """Affiliation periods of a person, or entitlement periods of one kind, that overlap."""
    yield from overlaps(
        "affiliation",
        session.execute(select(_AFF.niss, _AFF.valid_from, _AFF.valid_to, _AFF.id)),
    )
    yield from overlaps(
        "entitlement",
        (
            (f"{niss} {kind}", start, end, ident)
            for niss, kind, start, end, ident in session.execute(
                select(_ENT.niss, _ENT.kind, _ENT.valid_from, _ENT.valid_to, _ENT.id)
            )
        ),
    )


CHECKS: tuple[Check, ...] = (_check_periods,)
"""This feature's part of `inami db check`."""
