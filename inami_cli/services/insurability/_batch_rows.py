"""The register's rows that ``insured batch`` reads for a chunk of lines, and the answer
taken straight from them (issue 19).

A chunk names some 10 000 persons, most of them once: building each one's period tuples
and ``date`` objects, then ``coverage_on``'s ``Coverage``, cost more than the SQLite
look-up itself. The batch writes few columns, so it reads only those (the death date,
the affiliations' columns, the entitlements' kind and dates) and keeps the rows as the
driver returns them, dates as ISO text: ISO dates compare as text in date order, and
the output writes them as they are.

``in_force`` restates ``domain.insurability.coverage_on`` for the common answer (an
affiliation in force on a day the person was alive); every other answer is
``coverage_on``'s own (``periods`` builds its arguments), and
tests/services/test_insured_batch_rows.py compares both on random registers.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Connection

from inami_cli.domain.insurability import AffiliationPeriod, EntitlementPeriod
from inami_cli.services.bulkio import SharedDates
from inami_cli.services.insurability._common import _AFF, _ENT, _PER
from inami_cli.services.insurability._register import (
    Statements,
    _raw,
    driver_sql,
    fetch,
    register_statements,
    slices,
)


class IsoDates(dict[Any, Any]):
    """A date as the driver gives it (ISO text on SQLite, a ``date`` on PostgreSQL) → its
    ISO text, ``YYYY-MM-DD``. A subscript is a C-level look-up; a new value is read once."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, value: Any) -> str:
        found = value if isinstance(value, date) else date.fromisoformat(value)
        text = self[value] = found.isoformat()
        return text


class ChunkRows(NamedTuple):
    """The rows of the persons a chunk names: NISS → its person rows (one per affiliation:
    ``niss, death_date, insurer_code, member_number, quality, titular_niss, ct1, ct2,
    valid_from, valid_to``; the affiliation's columns None for a person without one), and
    NISS → its entitlement rows (``niss, kind, valid_from, valid_to``)."""

    persons: dict[str, list[Any]]
    rights: dict[str, list[Any]]


def _statements(size: int | None) -> tuple[Any, Any]:
    """The two SELECTs of ``chunk_rows``: the columns the batch writes or decides on."""
    a, e = _AFF, _ENT
    return register_statements(
        size,
        (
            _PER.niss, _raw(_PER.death_date), a.insurer_code, a.member_number, a.quality,
            a.titular_niss, a.ct1, a.ct2, _raw(a.valid_from), _raw(a.valid_to),
        ),
        (e.niss, e.kind, _raw(e.valid_from), _raw(e.valid_to)),
    )  # fmt: skip


def chunk_rows(
    connection: Connection, wanted: Collection[str], statements: Statements = _statements
) -> ChunkRows:
    """The rows of the persons among *wanted* NISS (absent: not in the register), by the
    two SELECTs of *statements* (the columns a batch reads, persons then entitlements,
    NISS first), one slice of NISS at a time (``slices``, ``driver_sql``)."""
    persons: dict[str, list[Any]] = {}
    rights: dict[str, list[Any]] = {}
    cursor = connection.connection.cursor()
    try:
        for size, given in slices(connection, wanted):
            of_persons, of_rights = driver_sql(connection, size, statements)
            for row in fetch(cursor, of_persons, given):
                persons.setdefault(row[0], []).append(row)
            for row in fetch(cursor, of_rights, given):
                rights.setdefault(row[0], []).append(row)
    finally:
        cursor.close()
    return ChunkRows(persons, rights)


def in_force(rows: list[Any], rights: list[Any] | None, day: str, iso: IsoDates) -> Any:
    """The person's affiliation row in force on *day* (ISO text), with a BIM and a DMG
    entitlement in force or not; None when ``coverage_on`` must answer (no affiliation
    in force, or the person died before *day*).

    The rules of ``coverage_on``: an affiliation contains the day (its end inclusive or
    open) and the day is not after the death; entitlements in force the same way.
    """
    death = rows[0][1]
    if death is not None and iso[death] < day:
        return None
    for row in rows:
        start, end = row[8], row[9]
        if start is not None and iso[start] <= day and (end is None or day <= iso[end]):
            bim = dmg = False
            for _, kind, since, until in rights or ():
                if iso[since] <= day and (until is None or day <= iso[until]):
                    if kind == "bim":
                        bim = True
                    elif kind == "dmg":
                        dmg = True
            return row, bim, dmg
    return None


def periods(
    rows: list[Any], rights: list[Any] | None, days: SharedDates
) -> tuple[list[AffiliationPeriod], list[EntitlementPeriod], date | None]:
    """``coverage_on``'s arguments from the person's rows: affiliations, entitlements
    (without their detail, which the batch does not write) and the death date."""
    affiliations = [
        AffiliationPeriod(code, member, quality, titular, ct1, ct2, days[start], days[end])
        for _, _, code, member, quality, titular, ct1, ct2, start, end in rows
        if code is not None
    ]
    entitlements = [
        EntitlementPeriod(kind, days[start], days[end]) for _, kind, start, end in rights or ()
    ]
    return affiliations, entitlements, days[rows[0][1]]
