"""What the person and entitlement imports share: the report, the CSV reader (line
numbers, digest, header), date cells, overlap problems, the bulk insert, and the import
batch that gives every inserted row its provenance."""

from __future__ import annotations

import csv
import hashlib
import itertools
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from sqlalchemy import Table, literal, select, update
from sqlmodel import Session, SQLModel

from inami_cli import tabular
from inami_cli.db.models import ImportBatch
from inami_cli.domain.errors import FileErrors, InvalidInput
from inami_cli.domain.niss import parse_niss
from inami_cli.services.audit import current_actor, now, record_changes
from inami_cli.services.bulkio import insert_rows
from inami_cli.services.imports import Change, ImportReport
from inami_cli.services.insurability._common import _CHUNK, _PER, _columns, _date_cell


class _Reader:
    """CSV rows with their line numbers, a running SHA-256, and the header checked.

    The delimiter (``,`` ``;`` or tab) comes from the header line and the header names are
    mapped as every input's are (``inami_cli.tabular``: case, spaces, BOM, ``INSZ`` for
    ``niss``); a column the import does not know, or one given twice, is refused (issue 20:
    never dropped silently).
    """

    def __init__(
        self,
        lines: Iterable[str],
        filename: str,
        required: Sequence[str],
        optional: Sequence[str] = (),
        *,
        hashed: bool = True,
    ) -> None:
        self.filename = filename
        self.digest = hashlib.sha256()
        spec = tabular.Columns(
            tuple(required), tuple(optional), aliases=tabular.NISS_ALIASES, extra="error"
        )
        first, _number, source = tabular.first_line(lines)
        if first is None:
            raise FileErrors([f"{filename}:1: empty file (expected a header line)"])
        delimiter = tabular.sniff_delimiter(first, spec)
        # The csv reader pulls lines in batches from one generator that hashes each batch
        # at once: a generator step and a hash update per line cost a third of the parsing
        # of a million-row file. line_num counts the lines read, as a file would. A second
        # pass over lines a first one hashed (hashed=False) skips it.
        lines_read = itertools.chain.from_iterable(self._hashing(source)) if hashed else source
        self._reader = csv.reader(lines_read, delimiter=delimiter)
        header = next(self._reader)
        self.header = tabular.read_header(header, filename=filename, spec=spec, delimiter=delimiter)
        self.columns = [n or "" for n in self.header.names]
        self.index = self.header.index()

    @property
    def lines(self) -> int:
        """Lines read so far (all of them once ``rows()`` is exhausted)."""
        return self._reader.line_num

    def _hashing(self, lines: Iterable[str]) -> Iterator[list[str]]:
        source = iter(lines)
        update_digest = self.digest.update
        while batch := list(itertools.islice(source, 4096)):
            update_digest("".join(batch).encode("utf-8"))
            yield batch

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells) for each non-blank row."""
        width = len(self.columns)
        reader = self._reader
        for cells in reader:
            count = len(cells)
            if count != width or count == 1:  # the usual row has the header's width
                if not cells or (count == 1 and not cells[0].strip()):
                    continue
                if count < width:
                    cells = cells + [""] * (width - count)
                elif count > width and "".join(cells[width:]).strip():
                    raise FileErrors(
                        [f"{self.filename}:{reader.line_num}: {count} fields, the header has "
                         f"{width} (the extra fields would be lost)"]
                    )  # fmt: skip
            yield reader.line_num, cells


def _fmt_period(start: date, end: date | None) -> str:
    return f"{start.isoformat()}..{end.isoformat() if end else ''}"


def _overlap_problems(
    periods: list[tuple[date, date | None, int | None]], filename: str, label: str
) -> Iterator[str]:
    """``FILE:LINE`` problems for periods (from the file: a line; stored: None) sharing a
    day; sorted by start, an overlap always shows between neighbours."""
    periods.sort(key=lambda p: p[0])
    for (s1, e1, l1), (s2, e2, l2) in itertools.pairwise(periods):
        if e1 is None or e1 >= s2:
            line, other_line = (l2, l1) if l2 is not None else (l1, l2)
            this, other = (
                (_fmt_period(s2, e2), _fmt_period(s1, e1))
                if l2 is not None
                else (_fmt_period(s1, e1), _fmt_period(s2, e2))
            )
            where = f"line {other_line}" if other_line is not None else "stored"
            yield f"{filename}:{line}: {label} {this} overlaps {other} ({where})"


def _new_batch(session: Session, kind: str, reader: _Reader) -> int:
    batch = ImportBatch(
        kind=kind,
        filename=Path(reader.filename).name,
        sha256=reader.digest.hexdigest(),
        at=now(),
        operator=current_actor().operator,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None
    return batch.id


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), _CHUNK):
        yield rows[start : start + _CHUNK]


def _bulk(
    session: Session,
    model: type[SQLModel],
    names: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    **extra: Any,
) -> None:
    """Insert tuples (values of *names*, in order; anything after them is ignored), with
    the *extra* columns (provenance) added to every row, in chunks of bounded memory,
    through ``bulkio.insert_rows`` (the driver's executemany on SQLite, COPY on PostgreSQL).

    Tuples rather than dicts: a million-row import holds two million of them.
    """
    table = model.__table__  # type: ignore[attr-defined]
    columns = [*names, *extra]
    tail = tuple(extra.values())
    width = len(names)
    for start in range(0, len(rows), _CHUNK):
        chunk = [rec[:width] + tail for rec in rows[start : start + _CHUNK]]
        insert_rows(session, table, columns, chunk)


class _DayCache:
    """Dates of an import's cells, each distinct ISO text parsed once (a file of a million
    rows repeats a few thousand dates); other forms go to the parser every time ("today"
    moves)."""

    def __init__(self) -> None:
        self._days: dict[str, date] = {}
        # The date of a cell already parsed, None otherwise: the loops of the imports call
        # it before ``required``/``optional`` (a method call per cell costs more than the
        # look-up).
        self.known = self._days.get

    def required(self, text: str, what: str) -> date:
        """``_date_cell``: the date of a stripped cell, InvalidInput saying why not."""
        day = self._days.get(text)
        if day is None:
            day = _date_cell(text, what)
            if len(text) == 10 and text[4] == "-":
                self._days[text] = day
        return day

    def optional(self, text: str, what: str) -> date | None:
        """As ``required`` for a filled cell (stripped here), None for a blank one."""
        day = self._days.get(text)
        if day is not None:
            return day
        value = text.strip()
        return self.required(value, what) if value else None


def _finish_batch(
    session: Session,
    batch_id: int,
    inserted: int,
    updated: int,
    unchanged: int,
    audit: list[tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]],
    reader: _Reader,
) -> None:
    """Counts on the batch row; the audit gets each update (before/after) and one entry
    for the batch (the inserted rows carry its id: a million audit rows would double the
    import time and say nothing the batch does not)."""
    session.execute(
        update(ImportBatch)
        .where(_columns(ImportBatch).id == batch_id)
        .values(inserted=inserted, updated=updated, unchanged=unchanged)
    )
    summary = {
        "file": reader.filename,
        "sha256": reader.digest.hexdigest(),
        "inserted": inserted,
        "updated": updated,
        "unchanged": unchanged,
    }
    record_changes(
        session=session,
        changes=[*audit, ("import_batch", str(batch_id), "insert", None, summary)],
    )


# -- streaming: a first pass, then whole persons a batch at a time (issue 19) -------------

G = TypeVar("G")
IN_SLICE = 1_000  # NISS per ``IN (...)`` look-up of a batch's stored rows


def _person_key(cell: str) -> str:
    """The NISS a row's cell names, as the second pass keys the person (compact when it
    parses; the cell itself otherwise: that row is refused anyway)."""
    raw = cell.strip()
    if len(raw) == 11 and raw.isascii() and raw.isdigit():
        return raw
    try:
        return parse_niss(raw).niss
    except InvalidInput:
        return raw


def _scan(
    lines: Iterable[str],
    filename: str,
    spool: IO[str],
    required: Sequence[str],
    optional: Sequence[str] = (),
) -> tuple[_Reader, dict[str, int], int]:
    """First pass: the reader (header checked, digest, line count), the line of each
    person's last row and the number of rows; the lines are copied to *spool* for the
    second pass (in blocks: a generator step per line would cost a tenth of this pass), which
    then reads exactly what was hashed."""

    def blocks(source: Iterator[str]) -> Iterator[list[str]]:
        while block := list(itertools.islice(source, 4096)):
            spool.write("".join(block))
            yield block

    reader = _Reader(
        itertools.chain.from_iterable(blocks(iter(lines))), filename, required, optional
    )
    i_niss = reader.index["niss"]
    last_lines: dict[str, int] = {}
    rows = 0
    for rows, (line, cells) in enumerate(reader.rows(), 1):  # noqa: B007
        key = cells[i_niss]
        if not (len(key) == 11 and key.isdigit() and key.isascii()):  # as stored: the key
            key = _person_key(key)
        last_lines[key] = line
    return reader, last_lines, rows


class _WholeGroups(Generic[G]):
    """A person's rows gathered until its last one (``_scan``), then released whole, in the
    order of the persons' first rows, in batches of about *batch_rows* rows.

    For a file grouped by person (as exports are) this holds one person at a time; a file
    that interleaves its persons holds the ones still open.
    """

    def __init__(self, last_lines: dict[str, int], batch_rows: int) -> None:
        self.last_lines = last_lines
        self.batch_rows = batch_rows
        self.pending: dict[str, G] = {}  # persons whose last row is still to come
        self._order: deque[str] = deque()  # pending persons by first row
        self._complete: set[str] = set()
        self._ready: list[G] = []
        self._rows = 0

    def open(self, key: str, line: int, group: G) -> None:
        """*group* of a person whose first row is *line*."""
        if not self._order and line >= self.last_lines.get(key, 0):
            self._ready.append(group)  # the usual person: one row, whole already
        else:
            self.pending[key] = group
            self._order.append(key)

    def row_done(self, key: str, line: int) -> list[G] | None:
        """A row of *key* taken; the batch of whole persons once it holds enough rows."""
        self._rows += 1
        if self._order and key in self.pending and line >= self.last_lines.get(key, 0):
            self._complete.add(key)  # the person's last row: it leaves in first-row order
            while self._order and self._order[0] in self._complete:
                done = self._order.popleft()
                self._complete.discard(done)
                self._ready.append(self.pending.pop(done))
        if self._rows < self.batch_rows or not self._ready:
            return None
        batch, self._ready, self._rows = self._ready, [], 0
        return batch

    def rest(self) -> list[G]:
        """What is left at the end (persons whose last row was refused: the import fails)."""
        rest = self._ready + [self.pending[key] for key in self._order]
        self._ready, self._order, self.pending = [], deque(), {}
        return rest


def _slices(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), IN_SLICE):
        yield values[start : start + IN_SLICE]


def _any_row(session: Session, table: Table) -> bool:
    return session.execute(select(literal(1)).select_from(table).limit(1)).first() is not None


def _registered(session: Session, wanted: list[str]) -> set[str]:
    """The NISS among *wanted* that name a stored person (probing the primary key).

    On SQLite through the driver's cursor: SQLAlchemy renders an expanding ``IN`` again on
    every execution, which cost as much as the rest of a batch's planning (issue 19)."""
    found: set[str] = set()
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        for part in _slices(wanted):
            found.update(session.execute(select(_PER.niss).where(_PER.niss.in_(part))).scalars())
        return found
    cursor = connection.connection.cursor()
    try:
        # in key order: each slice probes neighbouring pages of the index
        for part in _slices(sorted(wanted)):
            marks = ", ".join("?" * len(part))
            cursor.execute(f"SELECT niss FROM person WHERE niss IN ({marks})", part)  # noqa: S608
            found.update(niss for (niss,) in cursor.fetchall())
    finally:
        cursor.close()
    return found


class _StreamedImport:
    """What a streamed import keeps across its batches: the problems, the counts, the
    --dry-run changes, the audit of updates, the import batch row once written."""

    kind = ""  # the import batch's kind: "persons", "entitlements"

    def __init__(self, session: Session, scanned: _Reader, *, dry_run: bool) -> None:
        self.session = session
        self.scanned = scanned
        self.filename = scanned.filename
        self.dry_run = dry_run
        self.row_problems: list[str] = []  # malformed rows: they end the import first
        self.period_problems: list[str] = []
        self.conflicts = 0  # period problems that are overlaps (exit 4 when they are all)
        self.inserted = self.updated = self.unchanged = 0
        self.changes: list[Change] = []
        self.audit: list[tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]] = []
        self.batch_id: int | None = None
        self.source = f"import {Path(self.filename).name}"

    def batch(self) -> int:
        """The import batch's id (its row written before the first rows that carry it)."""
        if self.batch_id is None:
            self.batch_id = _new_batch(self.session, self.kind, self.scanned)
        return self.batch_id

    def finish(self) -> ImportReport:
        """The report; the import batch's counts and audit row when it wrote."""
        if self.batch_id is not None:
            _finish_batch(
                self.session, self.batch_id, self.inserted, self.updated, self.unchanged,
                self.audit, self.scanned,
            )  # fmt: skip
        return ImportReport(
            filename=self.filename,
            lines=self.scanned.lines,
            inserted=self.inserted,
            updated=self.updated,
            unchanged=self.unchanged,
            dry_run=self.dry_run,
            batch_id=self.batch_id,
            changes=tuple(self.changes),
        )
