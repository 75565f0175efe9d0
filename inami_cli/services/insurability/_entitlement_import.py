"""``inami entitlement import``: dated rights of persons already in the register, all or
nothing, idempotent."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from inami_cli.db.models import Entitlement
from inami_cli.domain import insurability as rules
from inami_cli.domain.errors import FileErrors, InvalidInput, file_problems
from inami_cli.domain.niss import parse_niss
from inami_cli.services.bulkio import sqlite_bulk_cache
from inami_cli.services.imports import Change, ImportReport
from inami_cli.services.insurability._common import _ENT, _PER, _without_gc
from inami_cli.services.insurability._imports import (
    _bulk,
    _chunks,
    _DayCache,
    _finish_batch,
    _fmt_period,
    _new_batch,
    _overlap_problems,
    _Reader,
)

ENTITLEMENT_COLUMNS = ("niss", "kind", "valid_from", "valid_to", "detail")


_ENT_ROW = ("niss", "kind", "valid_from", "valid_to", "detail")


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
    conflicts = 0  # problems that are overlaps (exit 4 when they are all)

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
            overlapping = list(_overlap_problems(periods, filename, f"{kind} of {niss}"))
            problems.extend(overlapping)
            conflicts += len(overlapping)
    if problems:  # overlaps only: exit 4, as for one command (README, exit codes)
        raise file_problems(problems, conflicts)
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
