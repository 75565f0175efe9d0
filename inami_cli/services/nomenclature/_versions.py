"""Writing tariff versions: a version is never updated in place, it is superseded
(``superseded_at``) and new versions are inserted, in bulk, inside the caller's transaction."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select, update
from sqlmodel import Session

from inami_cli.domain.dates import Period
from inami_cli.domain.money import to_cents
from inami_cli.domain.tariffs import Profile
from inami_cli.services.audit import current_actor
from inami_cli.services.bulkio import indexes_built_after, insert_rows
from inami_cli.services.nomenclature._store import CHUNK, Stored
from inami_cli.services.nomenclature._tables import PROFILE, TARIFF


class NewVersion(NamedTuple):
    """A tariff version to insert.

    A named tuple, not a frozen dataclass (as ``TariffRow`` and ``TariffSpec``): a first
    import makes one per period, 100 000 for 200 000 rows, and a frozen dataclass's
    ``__init__`` (one ``object.__setattr__`` per field) cost 0.1 s of them (issue 19).
    """

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
    return base._replace(**changes)


# An import repeats few amounts (fees, reimbursements): each is converted once.
cached_cents = functools.lru_cache(maxsize=1 << 16)(to_cents)


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
    """Insert tariff versions and their profiles, straight through the driver
    (``bulkio.insert_rows``: executemany on SQLite, COPY on PostgreSQL).

    A fresh version without a batch gets *batch_id*. The ids are allocated first, in the
    order of *versions*: on SQLite from max(id) (the write transaction holds the database
    lock: BEGIN IMMEDIATE), on PostgreSQL from the table's sequence.
    """
    if not versions:
        return
    operator = current_actor().operator
    ids = _new_ids(session, len(versions))
    tariffs = [
        (
            tid,
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
        for tid, v in zip(ids, versions, strict=True)
    ]
    with indexes_built_after(session, TARIFF, len(tariffs)):
        insert_rows(session, TARIFF, ("id", *_TARIFF_COLUMNS), tariffs)
    profiles = [
        (tid, p.regime, p.dmg, p.age_from, p.age_to, p.chronic, cached_cents(p.reimbursement))
        for tid, v in zip(ids, versions, strict=True)
        for p in v.profiles
    ]
    with indexes_built_after(session, PROFILE, len(profiles)):
        insert_rows(session, PROFILE, _PROFILE_COLUMNS, profiles)


@contextmanager
def versions_checked_after(session: Session, rows: int) -> Iterator[None]:
    """Around the writes of an import of about *rows* tariff rows into empty tables: the
    tariff and profile indexes (and PostgreSQL's foreign keys) dropped once and built once
    after the last batch (``bulkio.indexes_built_after``; ``insert_versions`` then keeps
    them as they are), not checked row by row."""
    with indexes_built_after(session, TARIFF, rows), indexes_built_after(session, PROFILE, rows):
        yield


def _new_ids(session: Session, count: int) -> Sequence[int]:
    """*count* new tariff ids, ascending."""
    if session.connection().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(TARIFF.name, "id")
        query = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        return sorted(session.execute(query).scalars())
    first = int(session.execute(select(func.coalesce(func.max(TARIFF.c.id), 0))).scalar_one())
    return range(first + 1, first + 1 + count)
