"""Key letters: the values of key-letter indexes over time, and the codes whose fee uses them.

Fees built from key-letter terms are stored as NULL and derived when read, so a new value
needs nothing else rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import KeyLetterValue
from inami_cli.domain.dates import Period
from inami_cli.domain.errors import Conflict, InvalidInput
from inami_cli.domain.nomenclature import validate_index_code
from inami_cli.services.audit import now, record_change
from inami_cli.services.nomenclature._store import load_key_values
from inami_cli.services.nomenclature._tables import TERM, VALUE


@dataclass(frozen=True)
class KeyLetterLine:
    """A key-letter index value over a period, and the codes whose fee uses it."""

    index_code: str
    valid_from: date
    valid_to: date | None
    value: Decimal
    source: str
    codes: tuple[str, ...]


def codes_using(session: Session) -> dict[str, list[str]]:
    """The codes whose fee terms use each index."""
    out: dict[str, list[str]] = {}
    for code, index_code in session.execute(
        select(TERM.c.code, TERM.c.index_code).order_by(TERM.c.code)
    ):
        out.setdefault(index_code, []).append(code)
    return out


def list_key_letters(*, session: Session, on: date | None = None) -> list[KeyLetterLine]:
    """Every key-letter value (or those in force on *on*), with the codes using the index."""
    using = codes_using(session)
    out: list[KeyLetterLine] = []
    for index_code, series in sorted(load_key_values(session).items()):
        for v in series:
            if on is not None and not Period(v.valid_from, v.valid_to).contains(on):
                continue
            out.append(
                KeyLetterLine(
                    index_code,
                    v.valid_from,
                    v.valid_to,
                    v.value,
                    v.source,
                    tuple(using.get(index_code, ())),
                )
            )
    return out


def set_key_letter(
    *,
    session: Session,
    index_code: str,
    valid_from: date,
    value: Decimal,
    valid_to: date | None = None,
    source: str = "",
) -> KeyLetterLine:
    """Give an index a value from a date; the fees built from it are re-derived from then.

    The value in force on *valid_from* ends the day before, and the new value runs until
    that value's end (or the next recorded value, or *valid_to*). A value starting the same
    day is replaced. An explicit *valid_to* overlapping a later value is a ``Conflict``.
    Derived fees are computed when read, so nothing else needs rewriting.
    """
    index_code = validate_index_code(index_code)
    if value <= 0:
        raise InvalidInput(f"value {value}: a key-letter value must be positive")
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(f"--to {valid_to} is before --from {valid_from}")
    k = VALUE.c
    rows = list(
        session.execute(
            select(KeyLetterValue).where(k.index_code == index_code).order_by(k.valid_from)
        ).scalars()
    )
    text = format(value, "f")
    stamp = now()
    end = valid_to
    same = next((r for r in rows if r.valid_from == valid_from), None)
    containing = next(
        (
            r
            for r in rows
            if r.valid_from < valid_from and (r.valid_to is None or r.valid_to >= valid_from)
        ),
        None,
    )
    if valid_to is None:
        end = same.valid_to if same else containing.valid_to if containing else None
    for row in rows:  # check everything before changing anything
        if row.valid_from > valid_from and (end is None or end >= row.valid_from):
            if valid_to is not None:
                raise Conflict(
                    f"{index_code}: period {Period(valid_from, valid_to)} overlaps the recorded "
                    f"value {Period(row.valid_from, row.valid_to)} ({row.value})"
                )
            end = row.valid_from - timedelta(days=1)
    if containing is not None:
        before_end = containing.valid_to
        containing.valid_to = valid_from - timedelta(days=1)
        record_change(
            session=session,
            entity="key_letter_value",
            key=f"{index_code} {containing.valid_from}",
            action="update",
            before={"valid_to": before_end},
            after={"valid_to": containing.valid_to},
        )
    after = {"value": text, "valid_to": end, "source": source}
    if same is not None:
        if Decimal(same.value) != value or same.valid_to != end or same.source != source:
            before = {"value": same.value, "valid_to": same.valid_to, "source": same.source}
            same.value, same.valid_to, same.source, same.recorded_at = text, end, source, stamp
            record_change(
                session=session,
                entity="key_letter_value",
                key=f"{index_code} {valid_from}",
                action="update",
                before=before,
                after=after,
            )
    else:
        session.add(
            KeyLetterValue(
                index_code=index_code,
                valid_from=valid_from,
                valid_to=end,
                value=text,
                source=source,
                recorded_at=stamp,
            )
        )
        record_change(
            session=session,
            entity="key_letter_value",
            key=f"{index_code} {valid_from}",
            action="insert",
            after=after,
        )
    session.flush()
    using = codes_using(session).get(index_code, [])
    return KeyLetterLine(index_code, valid_from, end, value, source, tuple(using))
