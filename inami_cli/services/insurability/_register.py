"""The register for batch checks, in the compact layout the checks read (NISS → birth,
death, affiliation and entitlement periods): the whole of it in memory (``load_register``:
three queries straight from the driver), or only the persons a chunk of lines names
(``RegisterLookup`` gives the connection, ``slices``/``register_statements``/``driver_sql``
the queries through the NISS index that ``_batch_rows.chunk_rows`` runs)."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import (
    ARRAY,
    Connection,
    Engine,
    String,
    Table,
    any_,
    bindparam,
    select,
    type_coerce,
)
from sqlmodel import Session

from inami_cli.db.models import Affiliation, Person
from inami_cli.domain import insurability as rules
from inami_cli.domain.insurability import AffiliationPeriod, Coverage, EntitlementPeriod
from inami_cli.services.bulkio import SharedDates, driver_rows
from inami_cli.services.insurability._common import (
    _AFF,
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

    def coverage_span(
        self, niss: str, on: date
    ) -> tuple[date | None, date | None, Coverage, date, date | None] | None:
        """``coverage``'s answer, with the days around *on* on which the coverage stays the
        same: from the first (inclusive) to the second (exclusive; None: every later day).
        See ``domain.insurability.coverage_span``."""
        rec = self._persons.get(niss)
        if rec is None:
            return None
        birth, death, affs, ents = rec
        cov = rules.coverage_on(affs, ents, on, death_date=death)
        return birth, death, cov, *rules.coverage_span(affs, ents, on, death_date=death)

    def status(self, niss: str, on: date) -> BeneficiaryStatus | None:
        """The same answer as ``beneficiary_on``, or None for a person not in the register."""
        found = self.coverage(niss, on)
        if found is None:
            return None
        birth, death, cov = found
        return _status(niss, on, birth, death, cov, self._insurers)


@_without_gc
def load_register(*, session: Session) -> Register:
    """Read persons, affiliations and entitlements (one query per table) into a Register."""
    # Dates are read as they come from the driver (ISO text on SQLite, dates elsewhere) and
    # converted once per distinct value: a million rows hold a few thousand distinct dates,
    # and the register then shares one date object for each.
    days = SharedDates()

    def raw(column: Any) -> Any:
        return type_coerce(column, String)

    persons: dict[str, list[Any]] = {}
    empty: tuple[()] = ()
    for niss, birth, death in driver_rows(
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
    for niss, code, member, quality, titular, ct1, ct2, start, end, mutuality in driver_rows(
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
    for niss, kind, start, end, detail in driver_rows(
        session, select(e.niss, e.kind, raw(e.valid_from), raw(e.valid_to), e.detail)
    ):
        rec = persons.get(niss)
        if rec is not None:
            period_e = make_entitlement((intern(kind, kind), days[start], days[end], detail))
            rec[3] = (*rec[3], period_e) if rec[3] else (period_e,)
    return Register(persons, _insurer_names(session))


_PERSON_TABLE: Table = Person.__table__  # type: ignore[attr-defined]
_AFFILIATION_TABLE: Table = Affiliation.__table__  # type: ignore[attr-defined]

IN_SLICE = 4_096  # NISS per ``IN (...)`` query: under every database's bound-parameter limit


def padded(part: list[str]) -> list[str]:
    """*part* padded (its last NISS repeated) to a power of two of at least 16 values.

    The drivers keep the statements they prepared (``sqlite3``: the last 128) by SQL text,
    and an ``IN`` list of another length is another text: prepared statements of
    thousands of parameters then pile up, chunk after chunk. A dozen lengths bound them.
    """
    size = 16
    while size < len(part):
        size *= 2
    return part + [part[-1]] * (size - len(part))


def _raw(column: Any) -> Any:
    """A date column as the driver gives it (converted once per value by ``SharedDates``)."""
    return type_coerce(column, String)


def _wanted_where(size: int | None, *columns: Any) -> list[Any]:
    """For each NISS column, its condition for the NISS a query is given: *size*
    parameters (``:w0`` ...) in an ``IN`` list, or (None) one array parameter
    (PostgreSQL's ``= ANY``: one statement for any number of NISS, and its planner knows
    how many they are, where 4 096 parameters made it scan the tables once per slice)."""
    if size is None:
        array = bindparam("wanted", type_=ARRAY(String))
        return [column == any_(array) for column in columns]
    wanted: list[Any] = [bindparam(f"w{n}") for n in range(size)]
    return [column.in_(wanted) for column in columns]


def slices(connection: Connection, wanted: Collection[str]) -> Iterator[tuple[int | None, Any]]:
    """The queries of a look-up of *wanted* NISS, as (the size to give the statements'
    builder, the parameters): one array on PostgreSQL, else ``IN_SLICE`` NISS at a time
    (``padded``), in NISS order."""
    ordered = sorted(wanted)
    if not ordered:
        return
    dialect = connection.dialect
    if dialect.name == "postgresql":
        yield None, {"wanted": ordered}
        return
    for i in range(0, len(ordered), IN_SLICE):
        part = padded(ordered[i : i + IN_SLICE])
        yield len(part), part if dialect.positional else {f"w{n}": v for n, v in enumerate(part)}


def register_statements(
    size: int | None, person_columns: tuple[Any, ...], entitlement_columns: tuple[Any, ...]
) -> tuple[Any, Any]:
    """Two SELECTs of a look-up of NISS (given as ``_wanted_where`` says): *person_columns*
    of the persons joined to their affiliations (one row per affiliation, or one with
    NULLs), then *entitlement_columns* of their entitlements.

    Periods come in start order (each by its table's ``(niss, ..., valid_from)`` index)
    rather than in id order: a person's periods of one kind never overlap (checked on
    write), so the checks find the same period either way, and SQLite then needs no sort
    (issue 19: the joined, index-ordered read costs ~40 % less than three id-ordered ones).
    """
    a, e = _AFF, _ENT
    of_person, of_entitlement = _wanted_where(size, _PER.niss, e.niss)
    persons = (
        select(*person_columns)
        .select_from(_PERSON_TABLE)
        .outerjoin(_AFFILIATION_TABLE, a.niss == _PER.niss)
        .where(of_person)
        .order_by(_PER.niss, a.valid_from)
    )
    entitlements = (
        select(*entitlement_columns).where(of_entitlement).order_by(e.niss, e.kind, e.valid_from)
    )
    return persons, entitlements


# (statements, dialect name, size) → the statements' SQL text: compiled once, then run on
# the driver's cursor (issue 19: SQLAlchemy's expanding IN re-rendered the SQL on every
# execution and its result fetched one row at a time, ~30 % of a batch as large as the
# register).
Statements = Callable[[int | None], tuple[Any, Any]]
_SQL: dict[tuple[Statements, str, int | None], tuple[str, str]] = {}


def driver_sql(connection: Connection, size: int | None, statements: Statements) -> tuple[str, str]:
    """The SQL text of ``statements(size)`` for the connection's dialect (compiled once)."""
    dialect = connection.dialect
    key = (statements, dialect.name, size)
    found = _SQL.get(key)
    if found is None:
        first, second = (s.compile(dialect=dialect).string for s in statements(size))
        found = _SQL[key] = first, second
    return found


def fetch(cursor: Any, sql: str, params: Any) -> list[Any]:
    """All the rows of *sql* run on the driver's *cursor*."""
    cursor.execute(sql, params)
    return cursor.fetchall()  # type: ignore[no-any-return]


class RegisterLookup:
    """The persons of one chunk of lines, read from the database when the chunk needs them.

    In the process that made it, through the session's own connection (its transaction,
    and the rows it wrote, included). In a forked batch worker (``services.batching``),
    through a connection of the worker's own: the ones inherited from the parent are
    dropped first (``Engine.dispose(close=False)``, as SQLAlchemy prescribes after a fork).
    """

    def __init__(self, session: Session) -> None:
        bind = session.get_bind()
        self.session = session
        self.engine: Engine = bind if isinstance(bind, Engine) else bind.engine
        self.insurers = _insurer_names(session)
        self._home = self._pid = os.getpid()

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """The connection to read with in this process: the session's own in the process
        that made the look-up, a worker's own in a forked worker."""
        pid = os.getpid()
        if pid == self._home:
            yield self.session.connection()
            return
        if pid != self._pid:
            self.engine.dispose(close=False)
            self._pid = pid
        with self.engine.connect() as connection:
            yield connection
