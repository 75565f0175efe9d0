"""MAF counters: personal shares the project does not compute itself (medicines A/B/C,
hospital days, ...) entered by hand or imported, and what a kind lets count."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from inami_cli.db.models import MafCounter, Person
from inami_cli.domain import maf as rules
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import Conflict, FileErrors, InvalidInput, NotFound
from inami_cli.domain.money import from_cents, parse_amount, to_cents
from inami_cli.domain.niss import parse_niss
from inami_cli.domain.values import is_digits
from inami_cli.services.audit import record_change
from inami_cli.services.imports import (
    AuditChange,
    Change,
    ImportReport,
    finish_batch,
    new_batch,
    parse_file,
)
from inami_cli.tabular import Columns

COUNTER_COLUMNS = Columns(
    required=("niss", "date", "kind", "tm"),
    optional=("quantity", "day_number", "reference", "note"),
    aliases={"insz": "niss", "care_date": "date", "personal_share": "tm", "remgeld": "tm",
             "ticket_moderateur": "tm", "days": "quantity"},
)  # fmt: skip


@dataclass(frozen=True)
class CounterIn:
    """A counter to record, checked."""

    niss: str
    day: date
    kind: str
    unit_cents: int
    quantity: int = 1
    day_number: int | None = None
    reference: str = ""
    note: str = ""

    def key(self) -> tuple[Any, ...]:
        """What identifies it: the reference when given, else every value."""
        if self.reference:
            return (self.niss, self.day, self.kind, self.reference)
        return (self.niss, self.day, self.kind, "", self.unit_cents, self.quantity,
                self.day_number)  # fmt: skip

    def label(self) -> str:
        ref = f" ref {self.reference}" if self.reference else ""
        return f"{self.niss} {self.day} {self.kind}{ref}"


@dataclass(frozen=True)
class CounterView:
    """A recorded counter."""

    id: int
    niss: str
    date: date
    kind: str
    tm: Decimal
    quantity: int
    total: Decimal
    day_number: int | None
    counts: bool
    reference: str
    note: str
    source: str


def _in(row: MafCounter) -> CounterIn:
    return CounterIn(row.niss, row.care_date, row.kind, row.unit_cents, row.quantity,
                     row.day_number, row.reference, row.note)  # fmt: skip


def _view(row: MafCounter) -> CounterView:
    assert row.id is not None
    return CounterView(
        id=row.id, niss=row.niss, date=row.care_date, kind=row.kind,
        tm=from_cents(row.unit_cents), quantity=row.quantity,
        total=from_cents(row.unit_cents * row.quantity), day_number=row.day_number,
        counts=rules.COUNTER_KINDS[row.kind].counts if row.kind in rules.COUNTER_KINDS else False,
        reference=row.reference, note=row.note, source=row.source,
    )  # fmt: skip


def check_counter(
    *,
    niss: str,
    day: date,
    kind: str,
    tm: Decimal,
    quantity: int = 1,
    day_number: int | None = None,
    reference: str = "",
    note: str = "",
) -> CounterIn:
    """A counter's values checked (``InvalidInput`` naming the first problem)."""
    valid = parse_niss(niss).niss
    counter_kind = rules.check_kind(kind)
    rules.check_year(day.year, what="date")
    rules.check_counter(counter_kind, day=day, quantity=quantity, day_number=day_number)
    if tm <= 0:
        raise InvalidInput(f"tm {tm}: a personal share above zero")
    return CounterIn(valid, day, counter_kind.name, to_cents(tm), quantity, day_number,
                     reference.strip(), note.strip())  # fmt: skip


def _stored_keys(session: Session, nisses: Iterable[str]) -> dict[tuple[Any, ...], int]:
    rows = session.execute(
        select(MafCounter).where(col(MafCounter.niss).in_(sorted(set(nisses))))
    ).scalars()
    return {_in(r).key(): r.id or 0 for r in rows}


def _require_persons(session: Session, nisses: Iterable[str]) -> set[str]:
    wanted = sorted(set(nisses))
    found = set(
        session.execute(select(col(Person.niss)).where(col(Person.niss).in_(wanted))).scalars()
    )
    return found


def _after(c: CounterIn) -> dict[str, Any]:
    return {"niss": c.niss, "date": c.day, "kind": c.kind, "tm": from_cents(c.unit_cents),
            "quantity": c.quantity, "day_number": c.day_number, "reference": c.reference,
            "note": c.note}  # fmt: skip


def counter_add(*, session: Session, counter: CounterIn, source: str = "") -> CounterView:
    """Record one counter (Conflict when the same one is recorded: give a reference)."""
    if counter.niss not in _require_persons(session, [counter.niss]):
        raise NotFound(f"no person with NISS {counter.niss}", hint="inami person add")
    existing = _stored_keys(session, [counter.niss]).get(counter.key())
    if existing is not None:
        raise Conflict(
            f"counter {counter.label()} is recorded already (#{existing})",
            hint="give --reference to record a second one of the same day",
        )
    row = MafCounter(
        niss=counter.niss, care_date=counter.day, kind=counter.kind,
        unit_cents=counter.unit_cents, quantity=counter.quantity,
        day_number=counter.day_number, reference=counter.reference, note=counter.note,
        source=source,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_change(session=session, entity="maf_counter", key=str(row.id), action="insert",
                  after=_after(counter))  # fmt: skip
    return _view(row)


def counter_list(
    *, session: Session, nisses: Iterable[str] | None = None, year: int | None = None
) -> list[CounterView]:
    """Counters of some persons and/or of a year, by date."""
    if year is not None:
        rules.check_year(year)
    query = select(MafCounter)
    if nisses is not None:
        query = query.where(col(MafCounter.niss).in_(sorted(set(nisses))))
    if year is not None:
        query = query.where(
            col(MafCounter.care_date) >= date(year, 1, 1),
            col(MafCounter.care_date) <= date(year, 12, 31),
        )
    query = query.order_by(col(MafCounter.care_date), col(MafCounter.niss), col(MafCounter.id))
    return [_view(r) for r in session.execute(query).scalars()]


def counter_remove(*, session: Session, counter_id: int) -> CounterView:
    """Delete a counter recorded in error (audited)."""
    row = session.get(MafCounter, counter_id)
    if row is None:
        raise NotFound(f"no MAF counter #{counter_id}", hint="inami maf counter list")
    shown = _view(row)
    before = _after(_in(row))
    session.delete(row)
    session.flush()
    record_change(session=session, entity="maf_counter", key=str(counter_id), action="delete",
                  before=before)  # fmt: skip
    return shown


def _int(text: str, what: str) -> int | None:
    clean = text.strip()
    if not clean:
        return None
    if not is_digits(clean):
        raise InvalidInput(f"{what} {text!r} is not a whole number")
    return int(clean)


def _parse(record: dict[str, str]) -> CounterIn:
    return check_counter(
        niss=record["niss"].strip(),
        day=parse_date(record["date"], what="date"),
        kind=record["kind"],
        tm=parse_amount(record["tm"], what="tm"),
        quantity=_int(record.get("quantity", ""), "quantity") or 1,
        day_number=_int(record.get("day_number", ""), "day_number"),
        reference=record.get("reference", ""),
        note=record.get("note", ""),
    )


def import_counters(
    *, session: Session, file: str, dry_run: bool = False, encoding: str = "utf-8"
) -> ImportReport:
    """Import counters ``niss, date, kind, tm[, quantity, day_number, reference, note]``:
    all or nothing, idempotent (a counter already recorded is unchanged)."""
    parsed = parse_file(file, spec=COUNTER_COLUMNS, parse=_parse, encoding=encoding)
    counters: list[tuple[int, CounterIn]] = parsed.rows
    problems: list[str] = []
    known = _require_persons(session, (c.niss for _l, c in counters))
    seen: dict[tuple[Any, ...], int] = {}
    for line, c in counters:
        if c.niss not in known:
            problems.append(f"{parsed.filename}:{line}: person {c.niss} is not in the register")
        if c.key() in seen:
            problems.append(
                f"{parsed.filename}:{line}: {c.label()} repeats line {seen[c.key()]} "
                "(give each a reference to tell them apart)"
            )
        seen.setdefault(c.key(), line)
    if problems:
        raise FileErrors(problems)
    stored = _stored_keys(session, known)
    new = [c for _l, c in counters if c.key() not in stored]
    unchanged = len(counters) - len(new)
    changes = tuple(
        Change("insert", "maf_counter", c.label(), f"{from_cents(c.unit_cents)} × {c.quantity}")
        for c in new
    )
    batch_id: int | None = None
    if not dry_run and new:
        from pathlib import Path

        batch_id = new_batch(session, "maf_counters", parsed)
        source = f"import {Path(parsed.filename).name}"
        session.add_all(
            MafCounter(
                niss=c.niss, care_date=c.day, kind=c.kind, unit_cents=c.unit_cents,
                quantity=c.quantity, day_number=c.day_number, reference=c.reference,
                note=c.note, source=source, batch_id=batch_id,
            )
            for c in new
        )  # fmt: skip
        audit: list[AuditChange] = []
        finish_batch(session, batch_id, parsed, inserted=len(new), updated=0,
                     unchanged=unchanged, audit=audit)  # fmt: skip
        session.flush()
    return ImportReport(parsed.filename, parsed.lines, len(new), 0, unchanged, dry_run,
                        batch_id, changes)  # fmt: skip
