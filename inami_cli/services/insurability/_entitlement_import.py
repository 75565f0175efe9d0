"""``inami entitlement import``: dated rights of persons already in the register, all or
nothing, idempotent."""

from __future__ import annotations

import contextlib
import operator
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from sqlalchemy import Table, select, update
from sqlmodel import Session

from inami_cli.db.models import Entitlement
from inami_cli.domain import insurability as rules
from inami_cli.domain.errors import FileErrors, InvalidInput, file_problems
from inami_cli.domain.niss import parse_niss
from inami_cli.services.bulkio import indexes_built_after, sqlite_bulk_cache
from inami_cli.services.imports import Change, ImportReport
from inami_cli.services.insurability._common import _ENT, _without_gc
from inami_cli.services.insurability._imports import (
    _any_row,
    _bulk,
    _chunks,
    _DayCache,
    _fmt_period,
    _overlap_problems,
    _Reader,
    _registered,
    _scan,
    _slices,
    _StreamedImport,
    _WholeGroups,
)

ENTITLEMENT_COLUMNS = ("niss", "kind", "valid_from", "valid_to", "detail")


_ENT_ROW = ("niss", "kind", "valid_from", "valid_to", "detail")
_ENT_TABLE: Table = Entitlement.__table__  # type: ignore[attr-defined]


# Persons planned and written at once: whole persons, about this many rows.
BATCH_ROWS = 50_000


@_without_gc
def import_entitlements(
    *, session: Session, lines: Iterable[str], filename: str, dry_run: bool = False
) -> ImportReport:
    """Import entitlements ``niss, kind, valid_from, valid_to, detail``, all or nothing,
    idempotent (key: NISS, kind and start date); the persons must exist.

    Streamed as the person import is (issue 19): a first pass finds each person's last
    line, then a person's rows are checked and gathered until that line, and whole persons
    are compared with their stored entitlements and written a batch at a time."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
        scanned, last_lines, rows = _scan(lines, filename, spool, ENTITLEMENT_COLUMNS)
        spool.seek(0)
        run = _EntitlementImport(session, scanned, dry_run=dry_run)
        reader = _Reader(spool, filename, ENTITLEMENT_COLUMNS, hashed=False)
        with contextlib.ExitStack() as writing:
            if not dry_run:
                writing.enter_context(sqlite_bulk_cache(session))
                # into an empty table: its index (and keys) built after the rows (bulkio)
                late = 0 if run.stored_entitlements else rows
                writing.enter_context(indexes_built_after(session, _ENT_TABLE, late))
            for batch in _whole_persons(reader, last_lines, run.row_problems):
                run.plan(batch)
            run.check()
        return run.finish()


def _whole_persons(
    reader: _Reader, last_lines: dict[str, int], problems: list[str]
) -> Iterator[list[list[tuple[Any, ...]]]]:
    """Each person's rows (tuples laid out as _ENT_ROW, then their line), whole, in
    batches; a malformed row goes to *problems* as ``FILE:LINE: reason``."""
    ix = reader.index
    i_niss, i_kind, i_from, i_to, i_detail = (ix[c] for c in ENTITLEMENT_COLUMNS)
    kinds = frozenset(rules.ENTITLEMENT_KINDS)
    days = _DayCache()
    groups: _WholeGroups[list[tuple[Any, ...]]] = _WholeGroups(last_lines, BATCH_ROWS)
    pending = groups.pending
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
        except InvalidInput as exc:
            problems.append(f"{reader.filename}:{line}: {exc.message}")
            continue
        values = (niss, kind, start, end, detail, line)
        group = pending.get(niss)
        if group is None:
            groups.open(niss, line, [values])
        else:
            group.append(values)
        if batch := groups.row_done(niss, line):
            yield batch
    if rest := groups.rest():
        yield rest


class _EntitlementImport(_StreamedImport):
    """One import, planned and written a batch of whole persons at a time; kept across
    batches: the problems, the counts, the --dry-run changes, the audit, the batch row."""

    kind = "entitlements"

    def __init__(self, session: Session, scanned: _Reader, *, dry_run: bool) -> None:
        super().__init__(session, scanned, dry_run=dry_run)
        self.missing: list[tuple[int, str]] = []  # (line, problem): persons not stored
        # none to read from a table that was empty (a first import)
        self.stored_entitlements = _any_row(session, _ENT_TABLE)

    def plan(self, batch: list[list[tuple[Any, ...]]]) -> None:
        """Plan the batch's entitlements against the stored ones; write them unless a
        problem was found (then only look for more problems)."""
        if self.row_problems:
            return  # malformed rows end the import: nothing more to compare
        filename, dry_run, changes = self.filename, self.dry_run, self.changes
        wanted = [rows[0][0] for rows in batch]
        persons = _registered(self.session, wanted)
        stored = self._stored(wanted) if self.stored_entitlements else {}
        # As for affiliations: the first row of a (person, kind) here, any further ones apart.
        by_key: dict[tuple[str, str], tuple[Any, ...]] = {}
        more: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
        for rows in batch:
            for values in rows:
                if values[0] not in persons:
                    line = values[5]
                    text = f"{filename}:{line}: person {values[0]} is not in the register"
                    self.missing.append((line, text))
                    continue
                pair = (values[0], values[1])
                if pair in by_key:
                    more.setdefault(pair, []).append(values)
                else:
                    by_key[pair] = values
        inserts: list[tuple[Any, ...]] = []
        updates: list[dict[str, Any]] = []
        problems = self.period_problems
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
                    self.unchanged += 1
                    continue
                updates.append({"id": old[0], **after})
                self.audit.append(("entitlement", key, "update", before, after))
                if dry_run:
                    diff = ", ".join(
                        f"{k}: {before[k]} -> {v}" for k, v in after.items() if before[k] != v
                    )
                    changes.append(Change("update", "entitlement", key, diff))
            periods.extend((r[3], r[4], None) for r in old_rows.values())
            if len(periods) > 1:
                overlapping = list(_overlap_problems(periods, filename, f"{kind} of {niss}"))
                problems.extend(overlapping)
                self.conflicts += len(overlapping)
        self.inserted += len(inserts)
        self.updated += len(updates)
        if dry_run or self.missing or self.period_problems or not (inserts or updates):
            return
        batch_id = self.batch()
        inserts.sort(key=operator.itemgetter(0, 1, 2))
        _bulk(
            self.session, Entitlement, _ENT_ROW, inserts, source=self.source,
            batch_id=batch_id,
        )  # fmt: skip
        for chunk in _chunks(updates):
            self.session.execute(update(Entitlement), chunk)

    def _stored(self, wanted: list[str]) -> dict[tuple[str, str], dict[date, tuple[Any, ...]]]:
        e = _ENT
        found: dict[tuple[str, str], dict[date, tuple[Any, ...]]] = {}
        for part in _slices(wanted):
            for row in self.session.execute(
                select(e.id, e.niss, e.kind, e.valid_from, e.valid_to, e.detail)
                .where(e.niss.in_(part))
                .order_by(e.id)
            ):
                found.setdefault((row[1], row[2]), {})[row[3]] = tuple(row)
        return found

    def check(self) -> None:
        """Raise the problems found: malformed rows (exit 2) before persons not in the
        register and periods (exit 4 when they are all overlaps: README, exit codes)."""
        if self.row_problems:
            raise FileErrors(self.row_problems)
        problems = [text for _line, text in sorted(self.missing)] + self.period_problems
        if problems:
            raise file_problems(problems, self.conflicts)


def _ent_insert_change(values: tuple[Any, ...]) -> Change:
    """The --dry-run line of a new entitlement (a tuple laid out as _ENT_ROW)."""
    niss, kind, start, end, detail = values[:5]
    text = f"{_fmt_period(start, end)} {detail}"
    return Change("insert", "entitlement", f"{niss} {kind} {start}", text.strip())
