"""The tariff import: rows of the import columns to acts and tariff versions, all or nothing.

The path, in the order it runs: every row is read once and parsed (``TariffRowParser``)
and, a batch of whole codes at a time (``_grouped_batches``; ``_code_batches`` after a
first pass, ``ImportTable.scan``, when the file's codes are not grouped), grouped into
tariff periods (``group_rows``), its act columns compared with the stored acts, open
periods closed and the new periods planned against the stored ones (``plan_versions``),
and written in bulk: the import batch, the acts, the tariff versions, the audit rows
(straight to the driver: executemany on SQLite, COPY on PostgreSQL). Every problem is
collected; after the first one nothing more is written and the problems end the import,
which rolls the caller's transaction back: all or nothing, holding a batch, not the file
(issue 20).
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from dataclasses import dataclass

from sqlalchemy import Table, insert, select, update
from sqlmodel import Session

from inami_cli.db.models import ImportBatch
from inami_cli.domain.errors import FileErrors, InvalidInput, file_problems
from inami_cli.domain.nomenclature import (
    TariffRow,
    TariffRowParser,
    close_open_periods,
    code_warnings,
    group_rows,
    pair_warnings,
    parse_key_terms,
)
from inami_cli.services.audit import current_actor, now, record_changes
from inami_cli.services.bulkio import gc_paused, insert_rows, sqlite_bulk_cache
from inami_cli.services.nomenclature._acts import (
    act_values,
    audit_act,
    write_terms,
)
from inami_cli.services.nomenclature._files import ImportTable
from inami_cli.services.nomenclature._import_acts import ActChanges, plan_acts
from inami_cli.services.nomenclature._store import load_acts, load_tariffs
from inami_cli.services.nomenclature._tables import ACT, TARIFF, TERM
from inami_cli.services.nomenclature._tariffs import (
    AuditChange,
    Plan,
    plan_first_versions,
    plan_versions,
)
from inami_cli.services.nomenclature._versions import versions_checked_after

IMPORT_BATCH: Table = ImportBatch.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ImportSummary:
    """What an import did (or would do with ``dry_run``)."""

    inserted: int
    updated: int
    unchanged: int
    rejected: int
    diff: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    batch_id: int | None = None
    dry_run: bool = False

    def counts(self) -> dict[str, int]:
        """The JSON summary: inserted, updated, unchanged, rejected."""
        return {
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


def import_rows(
    *,
    session: Session,
    rows: Iterable[tuple[int, dict[str, str]]],
    filename: str,
    source_kind: str = "import",
    source: str | None = None,
    decision_id: int | None = None,
    dry_run: bool = False,
    correct: bool = False,
    sha256: str | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportSummary:
    """Import tariff rows (the ``import`` columns), all or nothing.

    Every bad row is reported as ``FILE:LINE: reason`` in one ``FileErrors`` and nothing is
    written. Re-importing the same rows changes nothing. An open period ends the day before
    the next period of its code; an overlap with another recorded period is refused unless
    *correct* (the overlapped versions are kept as superseded). *sha256* identifies the file
    in the import batch (computed from the rows when not given). *progress* hears the rows
    read so far and their total when known, every 1 024 rows.
    """
    with gc_paused(), sqlite_bulk_cache(session, kib=IMPORT_CACHE_KIB):
        # (a function of its own: the hundreds of thousands of objects of a large import
        # are freed when it returns, before the collector resumes and would scan them)
        return _import(
            session=session,
            rows=rows,
            filename=filename,
            source_kind=source_kind,
            source=source,
            decision_id=decision_id,
            dry_run=dry_run,
            correct=correct,
            sha256=sha256,
            progress=progress,
        )


def _import(
    *,
    session: Session,
    rows: Iterable[tuple[int, dict[str, str]]],
    filename: str,
    source_kind: str,
    source: str | None,
    decision_id: int | None,
    dry_run: bool,
    correct: bool,
    sha256: str | None,
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportSummary:
    def run_import(last_lines: Mapping[str, int] | None) -> ImportSummary:
        digest = hashlib.sha256()  # of the rows, when given in memory
        run = _Run(
            session,
            filename=filename,
            source_kind=source_kind,
            default_source=source or filename,
            decision_id=decision_id,
            correct=correct,
            dry_run=dry_run,
        )
        in_memory = not isinstance(rows, ImportTable)
        parsed = _parse_rows(
            rows,
            filename,
            digest.update if in_memory and sha256 is None else None,
            progress,
            run.problems,
        )
        batches = (
            _grouped_batches(parsed) if last_lines is None else _code_batches(parsed, last_lines)
        )
        # a first import into empty tables: their indexes and keys built after its rows
        size = rows.lines() if isinstance(rows, ImportTable) else len(list(rows))
        with versions_checked_after(session, 0 if dry_run or run.stored_tariffs else size):
            for batch in batches:
                run.plan(batch)
            if run.problems:  # (raised inside: the indexes come back with the rollback)
                run.problems.sort(key=lambda p: p[0])
                # only overlaps with recorded periods: exit 4, as set-tariff (README, exit codes)
                raise file_problems(
                    [f"{filename}:{line}: {reason}" for line, reason in run.problems],
                    run.conflicts,
                )
        read = None if in_memory else rows.sha256  # type: ignore[attr-defined]
        return run.finish(sha256=sha256 or read or digest.hexdigest())

    if not isinstance(rows, ImportTable):
        rows = list(rows)  # rows given in memory (a decision's changes): read twice
        return run_import({str(row.get("code") or "").strip(): line for line, row in rows})
    # One pass over a file grouped by code (as exports and NomenSoft files are): a code
    # is complete when the next one starts. A code that comes back later ends it: what it
    # wrote is rolled back to the savepoint and the file is imported again knowing the
    # last line of each code (a first pass, ``scan``). Both give the same import.
    try:
        with session.begin_nested():
            return run_import(None)
    except _Ungrouped:
        pass
    return run_import(rows.scan())


class _Ungrouped(Exception):
    """A code's rows come back after another code's: the file is not grouped by code."""


# The SQLite page cache of a tariff import: it holds the transaction's dirty pages, so it is
# most of the import's memory. 32 MiB measured as fast as 128 MiB (200 000 rows: 7.85 s and
# 8.11 s CPU, peak RSS 142 MB and 183 MB; issue 20).
IMPORT_CACHE_KIB = 32 * 1024

# Rows planned (and written) at once: whole codes, about this many rows (issue 20: the
# import holds this many rows, not the file).
BATCH_ROWS = 10_000


def _code_batches(
    parsed: Iterable[TariffRow],
    last_lines: Mapping[str, int],
) -> Iterator[list[TariffRow]]:
    """The rows in batches of whole codes, the codes in the order of their first row.

    A code is complete once its last row (*last_lines*) has been read; complete codes
    leave in the order they first appeared, so that the tariffs are written in the order
    a whole-file import gave them. For a file grouped by code this holds one batch; a file
    that interleaves its codes holds the rows of the codes still open.
    """
    order: deque[str] = deque()  # codes by first row
    pending: dict[str, list[TariffRow]] = {}
    complete: set[str] = set()
    ready: list[TariffRow] = []
    for row in parsed:
        code = row.code
        group = pending.get(code)
        if group is None:
            group = pending[code] = []
            order.append(code)
        group.append(row)
        if row.line >= last_lines.get(code, 0):
            complete.add(code)
            while order and order[0] in complete:
                done = order.popleft()
                complete.discard(done)
                ready.extend(pending.pop(done))
            if len(ready) >= BATCH_ROWS:
                yield ready
                ready = []
    for code in order:  # codes whose last row did not parse (the import fails anyway)
        ready.extend(pending[code])
    if ready:
        yield ready


def _grouped_batches(parsed: Iterable[TariffRow]) -> Iterator[list[TariffRow]]:
    """The rows of a file grouped by code in batches of whole codes, as ``_code_batches``
    gives them, without knowing each code's last line: a code is complete when the next
    one starts. Raises ``_Ungrouped`` when a code comes back after another."""
    seen: set[str] = set()
    code = None
    ready: list[TariffRow] = []
    for row in parsed:
        if row.code != code:
            code = row.code
            if code in seen:
                raise _Ungrouped(code)
            seen.add(code)
            if len(ready) >= BATCH_ROWS:  # (complete codes only: the new one starts now)
                yield ready
                ready = []
        ready.append(row)
    if ready:
        yield ready


def _cells_of(
    rows: Iterable[tuple[int, Mapping[str, str]]],
) -> Iterator[tuple[int, tuple[str, ...], list[str]]]:
    """Rows as ``(line, header, cells + [""])``: straight from an ``ImportTable``."""
    if isinstance(rows, ImportTable):
        return rows.cells()  # no generator layered on the table's own
    return ((line, tuple(row), [*row.values(), ""]) for line, row in rows)


def _parse_rows(
    rows: Iterable[tuple[int, Mapping[str, str]]],
    filename: str,
    digest: Callable[[bytes], object] | None,
    progress: Callable[[int, int | None], None] | None = None,
    problems: list[tuple[int, str]] | None = None,
) -> Iterator[TariffRow]:
    """Every row parsed, streamed; a ``(line, reason)`` in *problems* per bad row.

    *digest* (when the caller has no digest of the file) is fed with each row.
    """
    parser = TariffRowParser()
    count = 0
    total = (
        rows.rows_at_most
        if isinstance(rows, ImportTable)
        else (len(rows) if isinstance(rows, Sized) else None)
    )
    for line, header, cells in _cells_of(rows):
        count += 1
        if not count & 1023:
            parser.trim()
            if progress is not None:
                progress(count, total)
        if digest is not None:
            digest(repr(sorted(dict(zip(header, cells[:-1], strict=True)).items())).encode())
        try:
            row = parser.parse(line, header, cells)
        except InvalidInput as exc:
            if problems is not None:
                problems.append((line, exc.message))
            continue
        yield row
    if count == 0:
        raise FileErrors([f"{filename}:1: no rows to import"])
    if progress is not None:
        progress(count, count)


# ---------------------------------------------------------------- planning and writing


def _any_row(session: Session, table: Table) -> bool:
    return session.execute(select(1).select_from(table).limit(1)).first() is not None


class _Run:
    """One import, planned and written a batch of whole codes at a time.

    Every batch is planned against the stored acts and tariffs of its codes (no batch
    changes another's codes) and written at once; after the first problem nothing more is
    written, and the caller's transaction is rolled back when the problems are raised: all
    or nothing, as when the whole file was planned at once. Kept across batches: the
    problems, the counts, the diff, the warnings of new codes, the import batch row once
    something is written (and in a dry run the settings of the acts it would write).
    """

    def __init__(
        self,
        session: Session,
        *,
        filename: str,
        source_kind: str,
        default_source: str,
        decision_id: int | None,
        correct: bool,
        dry_run: bool,
    ) -> None:
        self.session = session
        self.filename = filename
        self.source_kind = source_kind
        self.default_source = default_source
        self.decision_id = decision_id
        self.correct = correct
        self.dry_run = dry_run
        self.problems: list[tuple[int, str]] = []
        self.conflicts = 0  # of the problems, overlaps with recorded periods
        self.counts = {"inserted": 0, "updated": 0, "unchanged": 0}
        self.code_warnings: list[tuple[str, str]] = []  # (code, warning) of new codes
        self.pairs: list[tuple[str, str]] = []  # new (code, setting) of a possible pair
        self.settings: dict[str, str] = {}  # a dry run's new and changed acts (not written)
        self.added: list[tuple[str, str]] = []  # (code, diff line) of the acts added
        self.changed: list[tuple[str, str]] = []  # ... and of the acts changed
        self.diff: list[str] = []  # the tariffs' diff lines, in the order of the file
        self.stamp = now()
        self.batch_id: int | None = None
        # Stored acts and tariffs, read per batch for its codes; none to read when the table
        # was empty (a first import: no batch touches another's codes), 40 queries fewer
        self.stored_acts = _any_row(session, ACT)
        self.stored_tariffs = _any_row(session, TARIFF)

    def plan(self, rows: list[TariffRow]) -> None:
        """Plan the rows of whole codes and, while there is no problem, write them."""
        grouped = group_rows(rows)
        problems = self.problems
        problems.extend(grouped.problems)
        codes = {spec.code for spec in grouped.tariffs} | set(grouped.acts)
        stored = load_acts(self.session, codes) if self.stored_acts else {}
        acts = plan_acts(grouped, codes, stored, problems)
        current = load_tariffs(self.session, codes=codes) if self.stored_tariffs else {}
        later = {code: [s.valid_from for s in stored] for code, stored in current.items()}
        specs = close_open_periods(grouped.tariffs, later)
        plan = None
        if not current and not self.dry_run and not problems:  # a first import's codes
            plan = plan_first_versions(
                specs,
                source_kind=self.source_kind,
                default_source=self.default_source,
                decision_id=self.decision_id,
            )
        if plan is None:
            plan = plan_versions(
                specs,
                current,
                source_kind=self.source_kind,
                default_source=self.default_source,
                batch_id=None,
                decision_id=self.decision_id,
                correct=self.correct,
                replace_same_start=True,
                want_diff=self.dry_run,
            )
        problems.extend((line, reason) for line, reason, _ in plan.problems)
        self.conflicts += sum(1 for *_, conflict in plan.problems if conflict)
        for act in acts.new:
            self.code_warnings.extend((act.code, w) for w in code_warnings(act.code))
            if act.setting in ("ambulatory", "hospitalised"):
                self.pairs.append((act.code, act.setting))
        counts = self.counts
        for spec in specs:
            status = plan.status.get((spec.code, spec.valid_from))
            if status is None:  # refused: reported in the problems
                continue
            if status == "unchanged" and spec.code in acts.changed_codes:
                status = "updated"
            counts[status] += len(spec.lines)
        added, changed = acts.diff()
        self.changed.extend(changed)
        self.diff.extend(plan.diff)  # (a plain insert has a line in a dry run only)
        if self.dry_run:  # new acts, as new periods, are listed by a dry run only
            self.added.extend(added)
            self.settings.update((a.code, a.setting) for _, a in acts.updates)
            self.settings.update((a.code, a.setting) for a in acts.new)
        if not self.dry_run and not problems and (plan.inserts or acts.new or acts.updates):
            self._write(acts, plan)

    def finish(self, *, sha256: str) -> ImportSummary:
        """The summary; the import batch's counts, digest and audit row when it wrote."""
        warnings = [w for _, w in sorted(self.code_warnings)]
        if self.pairs:  # the neighbours' settings as the import leaves them
            query = select(ACT.c.code, ACT.c.setting)
            settings = {code: setting for code, setting in self.session.execute(query)}
            settings.update(self.settings)
            for code, setting in sorted(self.pairs):
                warnings.extend(pair_warnings(code, setting, settings))
        counts = self.counts
        summary = ImportSummary(
            counts["inserted"],
            counts["updated"],
            counts["unchanged"],
            0,
            tuple(
                [line for _, line in sorted(self.added)]
                + [line for _, line in sorted(self.changed)]
                + self.diff
            ),
            tuple(warnings),
            self.batch_id,
            self.dry_run,
        )
        if self.batch_id is not None:
            self.session.execute(
                update(IMPORT_BATCH)
                .where(IMPORT_BATCH.c.id == self.batch_id)
                .values(
                    sha256=sha256,
                    inserted=summary.inserted,
                    updated=summary.updated,
                    unchanged=summary.unchanged,
                )
            )
            record_changes(
                session=self.session,
                changes=[
                    (
                        "import_batch",
                        str(self.batch_id),
                        "insert",
                        None,
                        {"filename": self.filename, **summary.counts()},
                    )
                ],
            )
        return summary

    def _write(self, acts: ActChanges, plan: Plan) -> None:
        """Write what a batch planned, with its audit rows (the batch row first)."""
        session = self.session
        if self.batch_id is None:
            batch = ImportBatch(
                kind="tariffs",
                filename=self.filename,
                sha256="",  # the file's digest and the counts are set when it ends
                at=self.stamp,
                operator=current_actor().operator,
            )
            session.add(batch)
            session.flush()
            assert batch.id is not None
            self.batch_id = batch.id
        if acts.new:
            # (through the driver: a Core insert of 10 000 new acts cost 0.1 s, issue 19)
            rows = [act_values(a) for a in acts.new]
            insert_rows(session, ACT, list(rows[0]), [tuple(row.values()) for row in rows])
            terms = [
                {
                    "code": a.code,
                    "position": i,
                    "key_letter": t.key_letter,
                    "index_code": t.index_code,
                    "coefficient": format(t.coefficient, "f"),
                }
                for a in acts.new
                for i, t in enumerate(parse_key_terms(a.key_terms), 1)
            ]
            if terms:
                session.execute(insert(TERM), terms)
        for before, after in acts.updates:
            values = act_values(after)
            values.pop("code")
            session.execute(update(ACT).where(ACT.c.code == after.code).values(**values))
            if before.key_terms != after.key_terms:
                write_terms(session, after.code, parse_key_terms(after.key_terms))
        plan.write(session, self.stamp, batch_id=self.batch_id)
        audit: list[AuditChange] = [
            *plan.audit,
            *(("act", a.code, "update", audit_act(b), audit_act(a)) for b, a in acts.updates),
        ]
        record_changes(session=session, changes=audit)
