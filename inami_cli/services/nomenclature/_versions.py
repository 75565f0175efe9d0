"""Writing tariff versions: a version is never updated in place, it is superseded
(``superseded_at``) and new versions are inserted, in bulk, inside the caller's transaction."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlmodel import Session

from inami_cli.domain.dates import Period
from inami_cli.domain.money import to_cents
from inami_cli.domain.tariffs import Profile
from inami_cli.services.audit import current_actor
from inami_cli.services.bulkio import indexes_built_after
from inami_cli.services.nomenclature._store import CHUNK, Stored
from inami_cli.services.nomenclature._tables import PROFILE, TARIFF


@dataclass(frozen=True, slots=True)
class NewVersion:
    """A tariff version to insert."""

    code: str
    valid_from: date
    valid_to: date | None
    fee_cents: int | None
    profiles: tuple[Profile, ...]
    source: str
    source_kind: str
    batch_id: int | None
    decision_id: int | None
    fresh: bool = False  # written by this operation (not a re-dated copy of an old version)

    def period(self) -> Period:
        return Period(self.valid_from, self.valid_to)


def copy_version(version: Stored | NewVersion, **changes: Any) -> NewVersion:
    """A new version with the content of *version* and the given *changes* (its dates)."""
    base = NewVersion(
        version.code,
        version.valid_from,
        version.valid_to,
        version.fee_cents,
        version.profiles,
        version.source,
        version.source_kind,
        version.batch_id,
        version.decision_id,
    )
    return replace(base, **changes)


def supersede(session: Session, ids: Sequence[int], stamp: datetime) -> None:
    """Mark stored versions as superseded at *stamp*."""
    for i in range(0, len(ids), CHUNK):
        session.execute(
            update(TARIFF).where(TARIFF.c.id.in_(ids[i : i + CHUNK])).values(superseded_at=stamp)
        )


_TARIFF_COLUMNS = (
    "code",
    "valid_from",
    "valid_to",
    "fee_cents",
    "source_kind",
    "source",
    "batch_id",
    "decision_id",
    "recorded_at",
    "operator",
)
_PROFILE_COLUMNS = (
    "tariff_id",
    "regime",
    "dmg",
    "age_from",
    "age_to",
    "chronic",
    "reimbursement_cents",
)


def insert_versions(
    session: Session,
    versions: Sequence[NewVersion],
    stamp: datetime,
    *,
    batch_id: int | None = None,
) -> None:
    """Insert tariff versions and their profiles: two executemany statements.

    A fresh version without a batch gets *batch_id*. SQLite: ids are allocated from
    max(id) (the write transaction holds the database lock: BEGIN IMMEDIATE) and rows go
    straight to the driver. Elsewhere: INSERT ... RETURNING.
    """
    if not versions:
        return
    operator = current_actor().operator
    tariffs = [
        (
            v.code,
            v.valid_from,
            v.valid_to,
            v.fee_cents,
            v.source_kind,
            v.source,
            batch_id if v.fresh and v.batch_id is None else v.batch_id,
            v.decision_id,
            stamp,
            operator,
        )
        for v in versions
    ]
    connection = session.connection()
    ids: Sequence[int]
    if connection.dialect.name == "sqlite":
        first = int(session.execute(select(func.coalesce(func.max(TARIFF.c.id), 0))).scalar_one())
        ids = range(first + 1, first + 1 + len(versions))
        rows = [(tid, *row) for tid, row in zip(ids, tariffs, strict=True)]
        with indexes_built_after(session, TARIFF, len(rows)):
            _driver_insert(connection, TARIFF, ("id", *_TARIFF_COLUMNS), rows)
    else:
        ids = (
            session.execute(
                insert(TARIFF).returning(TARIFF.c.id, sort_by_parameter_order=True),
                [dict(zip(_TARIFF_COLUMNS, row, strict=True)) for row in tariffs],
            )
            .scalars()
            .all()
        )
    cents = functools.cache(to_cents)  # an import repeats few amounts: convert each once
    profiles = [
        (tid, p.regime, p.dmg, p.age_from, p.age_to, p.chronic, cents(p.reimbursement))
        for tid, v in zip(ids, versions, strict=True)
        for p in v.profiles
    ]
    if not profiles:
        return
    if connection.dialect.name == "sqlite":
        with indexes_built_after(session, PROFILE, len(profiles)):
            _driver_insert(connection, PROFILE, _PROFILE_COLUMNS, profiles)
    else:
        session.execute(
            insert(PROFILE), [dict(zip(_PROFILE_COLUMNS, row, strict=True)) for row in profiles]
        )


def _driver_insert(
    connection: Connection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """INSERT *rows* (tuples in *columns* order) with one executemany on the DB-API cursor.

    SQLAlchemy's per-row parameter handling dominates a 200 000-row import, so the rows
    skip it; each value is still converted by its column's own bind processor (dates to
    text, booleans to integers on SQLite: the storage format of the ORM). A column holds
    few distinct values (dates, flags, the stamp), so the conversion is done column by
    column, once per distinct value.
    """
    dialect = connection.dialect
    by_column: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for i, name in enumerate(columns):
        convert = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if convert is None:
            continue
        stored = {value: convert(value) for value in set(by_column[i]) if value is not None}
        stored[None] = None
        by_column[i] = [stored[value] for value in by_column[i]]
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    connection.exec_driver_sql(sql, list(zip(*by_column, strict=True)))
