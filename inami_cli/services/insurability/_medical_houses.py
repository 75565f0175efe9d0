"""Medical-house enrolments (maisons médicales / wijkgezondheidscentra): add, end, list,
import (all or nothing, ``FILE:LINE``), and the enrolment in force on a date. A person's
enrolments never overlap (one medical house at a time)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from inami_cli.db.models import MedicalHouseEnrolment
from inami_cli.domain import insurability as rules
from inami_cli.domain import medical_houses as mh
from inami_cli.domain.errors import FileErrors, InvalidInput, NotFound, file_problems
from inami_cli.domain.niss import parse_niss
from inami_cli.services.audit import record_change
from inami_cli.services.imports import Change, ImportReport
from inami_cli.services.insurability._common import _PER, _columns, _person
from inami_cli.services.insurability._imports import (
    _DayCache,
    _finish_batch,
    _fmt_period,
    _new_batch,
    _overlap_problems,
    _Reader,
)
from inami_cli.services.periods import end_in_force

MEDICAL_HOUSE_COLUMNS = ("niss", "house", "disciplines", "valid_from", "valid_to")
_MH = _columns(MedicalHouseEnrolment)


@dataclass(frozen=True)
class MedicalHouseView:
    """One enrolment as the commands show it."""

    id: int
    niss: str
    house: str
    disciplines: tuple[str, ...]
    valid_from: date
    valid_to: date | None
    source: str

    def as_record(self) -> dict[str, Any]:
        """The output object (``disciplines`` joined: ``gp,physio``)."""
        return {
            "id": self.id,
            "niss": self.niss,
            "house": self.house,
            "disciplines": ",".join(self.disciplines),
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "source": self.source,
        }


def _enrolment(row: MedicalHouseEnrolment) -> mh.Enrolment:
    return mh.Enrolment(row.house, row.gp, row.physio, row.nursing, row.valid_from, row.valid_to)


def _view(row: MedicalHouseEnrolment) -> MedicalHouseView:
    assert row.id is not None
    return MedicalHouseView(
        row.id, row.niss, row.house, _enrolment(row).disciplines, row.valid_from, row.valid_to,
        row.source,
    )  # fmt: skip


def _record(row: MedicalHouseEnrolment) -> dict[str, Any]:
    return {
        "niss": row.niss, "house": row.house, "gp": row.gp, "physio": row.physio,
        "nursing": row.nursing, "valid_from": row.valid_from, "valid_to": row.valid_to,
        "source": row.source,
    }  # fmt: skip


def _rows_of(session: Session, niss: str) -> list[MedicalHouseEnrolment]:
    query = select(MedicalHouseEnrolment).where(_MH.niss == niss).order_by(_MH.valid_from)
    return list(session.execute(query).scalars())


def medical_house_add(
    *,
    session: Session,
    niss: str,
    house: str,
    disciplines: str,
    valid_from: date,
    valid_to: date | None = None,
    source: str = "operator",
) -> MedicalHouseView:
    """Enrol a person in a medical house for the given disciplines (``gp,physio``);
    Conflict (exit 4) if it overlaps another enrolment of the person."""
    person = _person(session, niss)
    name = mh.check_house(house)
    gp, physio, nursing = mh.parse_disciplines(disciplines)
    rules.check_no_overlap(
        ((r.valid_from, r.valid_to) for r in _rows_of(session, person.niss)),
        valid_from, valid_to, what=f"medical-house enrolment of {person.niss}",
    )  # fmt: skip
    row = MedicalHouseEnrolment(
        niss=person.niss, house=name, gp=gp, physio=physio, nursing=nursing,
        valid_from=valid_from, valid_to=valid_to, source=source,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_change(
        session=session, entity="medical_house_enrolment",
        key=f"{person.niss} {valid_from}", action="insert", after=_record(row),
    )  # fmt: skip
    return _view(row)


def medical_house_end(*, session: Session, niss: str, on: date) -> MedicalHouseView:
    """Close the enrolment in force on *on*: *on* becomes its last day (NotFound if none)."""
    person = _person(session, niss)
    ended = end_in_force(
        session, _rows_of(session, person.niss), on, entity="medical_house_enrolment",
        key=lambda row: f"{person.niss} {row.valid_from}", record=_record,
    )  # fmt: skip
    if ended is None:
        raise NotFound(f"{person.niss} has no medical-house enrolment on {on.isoformat()}")
    return _view(ended)


def medical_house_list(
    *, session: Session, niss: str, on: date | None = None
) -> list[MedicalHouseView]:
    """A person's enrolments, optionally only the one in force on *on*."""
    person = _person(session, niss)
    rows = _rows_of(session, person.niss)
    if on is not None:
        rows = [r for r in rows if _enrolment(r).in_force(on)]
    return [_view(r) for r in rows]


def medical_house_on(*, session: Session, niss: str, on: date) -> mh.Enrolment | None:
    """The person's enrolment in force on *on* (the person is not looked up), or None."""
    return mh.enrolment_on((_enrolment(r) for r in _rows_of(session, niss)), on)


def load_medical_houses(*, session: Session) -> dict[str, list[mh.Enrolment]]:
    """Every enrolment by NISS (for batches: the table is one row per enrolled person)."""
    out: dict[str, list[mh.Enrolment]] = {}
    query = select(
        _MH.niss, _MH.house, _MH.gp, _MH.physio, _MH.nursing, _MH.valid_from, _MH.valid_to
    )
    for niss, *rest in session.execute(query):
        out.setdefault(niss, []).append(mh.Enrolment(*rest))
    return out


def import_medical_houses(
    *, session: Session, lines: Iterable[str], filename: str, dry_run: bool = False
) -> ImportReport:
    """Import enrolments ``niss, house, disciplines, valid_from, valid_to``, all or nothing,
    idempotent (key: NISS and start date); the persons must exist; every problem is
    reported as ``FILE:LINE: reason`` (FileErrors, exit 2) and nothing is written."""
    reader = _Reader(lines, filename, MEDICAL_HOUSE_COLUMNS)
    ix = reader.index
    i_niss, i_house, i_disc, i_from, i_to = (ix[c] for c in MEDICAL_HOUSE_COLUMNS)
    problems: list[str] = []
    rows: list[tuple[Any, ...]] = []
    days = _DayCache()
    for line, cells in reader.rows():
        try:
            niss = parse_niss(cells[i_niss].strip()).niss
            house = mh.check_house(cells[i_house])
            gp, physio, nursing = mh.parse_disciplines(cells[i_disc])
            start = days.required(cells[i_from].strip(), "valid_from")
            end = days.optional(cells[i_to], "valid_to")
            if end is not None and end < start:
                raise InvalidInput(f"valid_to {end} is before valid_from {start}")
            rows.append((niss, house, gp, physio, nursing, start, end, line))
        except InvalidInput as exc:
            problems.append(f"{filename}:{line}: {exc.message}")
    if problems:
        raise FileErrors(problems)
    conflicts = 0  # problems that are overlaps (exit 4 when they are all)
    persons = set(session.execute(select(_PER.niss)).scalars())
    stored: dict[str, dict[date, Any]] = {}
    for row in session.execute(
        select(_MH.id, _MH.niss, _MH.house, _MH.gp, _MH.physio, _MH.nursing, _MH.valid_from,
               _MH.valid_to)
    ):  # fmt: skip
        stored.setdefault(row[1], {})[row[6]] = row
    by_person: dict[str, list[tuple[Any, ...]]] = {}
    for values in rows:
        if values[0] not in persons:
            problems.append(f"{filename}:{values[7]}: person {values[0]} is not in the register")
            continue
        by_person.setdefault(values[0], []).append(values)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    changes: list[Change] = []
    audit: list[tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]] = []
    unchanged = 0
    for niss, mine in by_person.items():
        old_rows = dict(stored.get(niss, {}))
        periods: list[tuple[date, date | None, int | None]] = []
        seen: dict[date, int] = {}
        for niss_, house, gp, physio, nursing, start, end, line in mine:
            key = f"{niss_} {start}"
            if start in seen:
                problems.append(f"{filename}:{line}: enrolment {key} repeats line {seen[start]}")
                continue
            seen[start] = line
            periods.append((start, end, line))
            after = {"house": house, "gp": gp, "physio": physio, "nursing": nursing,
                     "valid_to": end}  # fmt: skip
            old = old_rows.pop(start, None)
            if old is None:
                inserts.append({"niss": niss_, "valid_from": start, **after})
                if dry_run:
                    changes.append(
                        Change("insert", "medical_house_enrolment", key,
                               f"{house} {_fmt_period(start, end)}")
                    )  # fmt: skip
                continue
            before = {"house": old[2], "gp": old[3], "physio": old[4], "nursing": old[5],
                      "valid_to": old[7]}  # fmt: skip
            if before == after:
                unchanged += 1
                continue
            updates.append({"id": old[0], **after})
            audit.append(("medical_house_enrolment", key, "update", before, after))
            if dry_run:
                diff = ", ".join(
                    f"{k}: {before[k]} -> {v}" for k, v in after.items() if before[k] != v
                )
                changes.append(Change("update", "medical_house_enrolment", key, diff))
        periods.extend((r[6], r[7], None) for r in old_rows.values())
        if len(periods) > 1:
            overlapping = list(
                _overlap_problems(periods, filename, f"medical-house enrolment of {niss}")
            )
            problems.extend(overlapping)
            conflicts += len(overlapping)
    if problems:  # overlaps only: exit 4, as for one command (README, exit codes)
        raise file_problems(problems, conflicts)
    batch_id: int | None = None
    if not dry_run and (inserts or updates):
        batch_id = _new_batch(session, "medical_houses", reader)
        source = f"import {Path(filename).name}"
        for new in inserts:
            session.add(MedicalHouseEnrolment(**new, source=source, batch_id=batch_id))
        session.flush()
        for changed in updates:
            session.execute(
                update(MedicalHouseEnrolment)
                .where(_MH.id == changed["id"])
                .values({k: v for k, v in changed.items() if k != "id"})
            )
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
