"""Dated rows a command ends: the row in force on a day gets that day as its last, and the
audit log records the change, the same way for every feature whose rows are periods
(incapacity spells, medical-house enrolments)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Protocol, TypeVar

from sqlmodel import Session

from inami_cli.services.audit import record_change


class DatedRow(Protocol):
    """A stored row valid from a day (inclusive) to a day (inclusive) or open-ended."""

    valid_from: date
    valid_to: date | None


RowT = TypeVar("RowT", bound=DatedRow)


def end_in_force(
    session: Session,
    rows: Iterable[RowT],
    on: date,
    *,
    entity: str,
    key: Callable[[RowT], str],
    record: Callable[[RowT], dict[str, Any]],
) -> RowT | None:
    """The first of *rows* in force on *on*, ended on *on* (its last day) and audited as an
    update of *entity* (no audit row when it already ended that day); None when no row is
    in force then."""
    for row in rows:
        if row.valid_from <= on and (row.valid_to is None or on <= row.valid_to):
            before = record(row)
            row.valid_to = on
            session.add(row)
            session.flush()
            if before != record(row):
                record_change(
                    session=session, entity=entity, key=key(row), action="update",
                    before=before, after=record(row),
                )  # fmt: skip
            return row
    return None
