"""The whole register in memory for batch checks (``insured batch``, ``reimburse batch``
with NISS): three queries read straight from the driver into compact tuples."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlmodel import Session

from inami_cli.domain import insurability as rules
from inami_cli.domain.insurability import AffiliationPeriod, Coverage, EntitlementPeriod
from inami_cli.services.insurability._common import (
    _AFF,
    _CHUNK,
    _ENT,
    _PER,
    _insurer_names,
    _without_gc,
)
from inami_cli.services.insurability._status import BeneficiaryStatus, _status


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
    # ``_make`` is tuple.__new__: no Python-level __new__ call per period (calling the
    # NamedTuple class runs its generated __new__, which a million periods feel)
    make_affiliation = AffiliationPeriod._make
    for niss, code, member, quality, titular, ct1, ct2, start, end, mutuality in _driver_rows(
        session,
        select(
            a.niss, a.insurer_code, a.member_number, a.quality, a.titular_niss, a.ct1, a.ct2,
            raw(a.valid_from), raw(a.valid_to), a.mutuality,
        ),
    ):  # fmt: skip
        rec = persons.get(niss)
        if rec is not None:
            period = make_affiliation((
                intern(code, code), member, intern(quality, quality), titular,
                intern(ct1, ct1), intern(ct2, ct2), days[start], days[end],
                intern(mutuality, mutuality) if mutuality else None,
            ))  # fmt: skip
            # Periods are tuples grown by copy: smaller than lists, and most persons have
            # one or two, so the copy costs next to nothing.
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
