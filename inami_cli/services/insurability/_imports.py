"""What the person and entitlement imports share: the report, the CSV reader (line
numbers, digest, header), date cells, overlap problems, the bulk insert, and the import
batch that gives every inserted row its provenance."""

from __future__ import annotations

import csv
import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, SQLModel

from inami_cli import tabular
from inami_cli.db.models import ImportBatch
from inami_cli.domain.errors import FileErrors
from inami_cli.services.audit import current_actor, now, record_changes
from inami_cli.services.bulkio import copy_rows
from inami_cli.services.insurability._common import _CHUNK, _columns, _date_cell


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
        # of a million-row file. line_num counts the lines read, as a file would.
        self._reader = csv.reader(
            itertools.chain.from_iterable(self._hashing(source)), delimiter=delimiter
        )
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
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            elif len(cells) > width and "".join(cells[width:]).strip():
                raise FileErrors(
                    [f"{self.filename}:{reader.line_num}: {len(cells)} fields, the header has "
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
    """executemany INSERT of tuples (values of *names*, in order; anything after them is
    ignored), in chunks; *extra* columns are added to every row (provenance).

    Tuples rather than dicts: a million-row import holds two million of them. On
    PostgreSQL (psycopg) the rows are sent with COPY. On SQLite they go straight to the
    driver: SQLAlchemy's per-row parameter processing costs about 10 µs a row there, more
    than the insert itself; dates and booleans are converted as SQLAlchemy stores them (ISO
    text, 0/1), column by column and each distinct value once. Elsewhere Core executemany.
    """
    if not rows:
        return
    conn = session.connection()
    table = model.__table__  # type: ignore[attr-defined]
    columns = [*names, *extra]
    tail = tuple(extra.values())
    width = len(names)
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        # COPY, inside the caller's transaction: a failure rolls back every row.
        copy_rows(conn, table, columns, (rec[:width] + tail for rec in rows))
        return
    if conn.dialect.name != "sqlite":
        statement = table.insert()
        for start in range(0, len(rows), _CHUNK):
            conn.execute(
                statement,
                [
                    dict(zip(columns, rec[:width] + tail, strict=True))
                    for rec in rows[start : start + _CHUNK]
                ],
            )
        return
    convert: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = []
    for i, name in enumerate(names):
        kind = table.c[name].type.python_type
        if kind is date:
            convert.append((i, date.isoformat, {None: None}))
        elif kind is bool:
            convert.append((i, int, {None: None}))
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        cells: list[Any] = list(zip(*chunk, strict=True))[:width]
        for i, fn, memo in convert:
            for value in set(cells[i]).difference(memo):
                memo[value] = fn(value)
            cells[i] = map(memo.__getitem__, cells[i])
        cells.extend(itertools.repeat(value, len(chunk)) for value in tail)
        conn.exec_driver_sql(sql, list(zip(*cells, strict=True)))


class _DayCache:
    """Dates of an import's cells, each distinct ISO text parsed once (a file of a million
    rows repeats a few thousand dates); other forms go to the parser every time ("today"
    moves)."""

    def __init__(self) -> None:
        self._days: dict[str, date] = {}

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
