"""The import format on file: reading the rows of a CSV or JSON tariff file, and writing
the stored tariffs back as rows of the same columns (``export``)."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from sqlalchemy.sql import ColumnElement
from sqlmodel import Session

from inami_cli import tabular
from inami_cli.domain.errors import FileErrors
from inami_cli.domain.nomenclature import (
    ALL_COLUMNS,
    check_columns,
    normalise_article,
    typed_row,
)
from inami_cli.services.nomenclature._store import (
    in_force_on,
    load_acts,
    load_tariffs,
    resolve_article,
)

# ---------------------------------------------------------------- reading import files

_SPEC = tabular.Columns(required=(), optional=ALL_COLUMNS)


class ImportTable:
    """The rows of a CSV or JSON import file, streamed (errors surface on iteration).

    *source* is the file's bytes, its path, or a seekable binary file: every iteration reads
    it again from the start, block by block, so an import never holds it whole (issue 20: a
    200 MB file took 1.2 GB) and can read it twice when its codes are not grouped (first
    the codes, ``scan``, then the rows). Iterating gives ``(line, {column: text})``;
    ``cells()`` gives each row as its header and its cells plus a trailing ``""`` (see
    ``TariffRowParser``), which spares a dict per row on a 200 000-row import.
    """

    def __init__(
        self, source: bytes | Path | IO[bytes], filename: str, encoding: str = "utf-8"
    ) -> None:
        self.source = source
        self.filename = filename
        self.encoding = tabular.check_encoding(encoding)
        self.sha256: str | None = None  # of the file's bytes, once read to the end
        self._lines: int | None = None

    @property
    def rows_at_most(self) -> int | None:
        """The file's line count once scanned (an upper bound of its rows, for a progress
        bar), else None."""
        return self._lines

    def lines(self) -> int:
        """The file's line count (an upper bound of a CSV file's rows): ``rows_at_most``
        once scanned, else its newlines counted block by block, without decoding."""
        if self._lines is not None:
            return self._lines
        count = 1
        with self._binary() as binary:
            while block := binary.read(1 << 20):
                count += block.count(b"\n")
        return count

    @contextlib.contextmanager
    def _binary(self) -> Iterator[IO[bytes]]:
        source = self.source
        if isinstance(source, bytes):
            yield io.BytesIO(source)
        elif isinstance(source, Path):
            with source.open("rb") as handle:
                yield handle
        else:
            source.seek(0)
            yield source

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        for line, header, cells in self.cells():
            yield line, dict(zip(header, cells[:-1], strict=True))

    def scan(self) -> dict[str, int]:
        """Read the whole file once: the line of the last row of each code (the code cell as
        the parser reads it: stripped); sets ``sha256`` and ``rows_at_most``.

        An import plans a code when its last row has been read, so that it holds the rows
        of a few codes at a time, not the file (for a file grouped by code, as exports
        are). Raises ``FileErrors`` as iterating does.
        """
        digest = hashlib.sha256()
        last: dict[str, int] = {}
        with self._binary() as binary:
            counted = _Counted(
                tabular.text_lines(
                    binary, filename=self.filename, encoding=self.encoding, digest=digest
                )
            )
            first, number, rest = self._first_line(counted)
            if tabular.is_json(self.filename, first):
                for line, header, cells in self._json_cells(rest, number):
                    last[cells[header.index("code")].strip() if "code" in header else ""] = line
            else:
                # only the code cell: a bad row is refused with its reason by the second pass
                reader, header = self._csv_reader(first, rest, number)
                position = header.index("code")  # (check_columns refuses a second one)
                skipped = number - 1
                for values in reader:
                    if len(values) > position:
                        last[values[position].strip()] = reader.line_num + skipped
            while block := binary.read(1 << 20):  # bytes after a JSON array's end
                digest.update(block)
        self.sha256 = digest.hexdigest()
        self._lines = max(counted.count, 1)
        return last

    def cells(self) -> Iterator[tuple[int, tuple[str, ...], list[str]]]:
        """``(line, header, cells + [""])`` per row; raises ``FileErrors`` like ``read_table``.

        Read to its end, it sets ``sha256`` (the digest of the file's bytes, computed as
        they are read: an import needs no pass of its own for it)."""
        digest = hashlib.sha256()
        with self._binary() as binary:
            lines = tabular.text_lines(
                binary, filename=self.filename, encoding=self.encoding, digest=digest
            )
            yield from self._cells(lines)
            while block := binary.read(1 << 20):  # bytes after a JSON array's end
                digest.update(block)
        self.sha256 = digest.hexdigest()

    def _cells(self, lines: Iterable[str]) -> Iterator[tuple[int, tuple[str, ...], list[str]]]:
        first, number, rest = self._first_line(lines)
        if tabular.is_json(self.filename, first):
            yield from self._json_cells(rest, number)
            return
        filename = self.filename
        reader, header = self._csv_reader(first, rest, number)
        width = len(header)
        skipped = number - 1  # blank lines before the header
        for values in reader:
            if len(values) != width:
                if not values or not "".join(values).strip():
                    continue
                raise FileErrors(
                    [
                        f"{filename}:{reader.line_num + skipped}: {len(values)} fields, "
                        f"the header has {width}"
                    ]
                )
            # blank rows (",,,") are skipped; the first cell settles it for almost every row
            if not values[0].strip() and not "".join(values).strip():
                continue
            values.append("")
            yield reader.line_num + skipped, header, values

    def _first_line(self, lines: Iterable[str]) -> tuple[str, int, Iterator[str]]:
        """The first non-blank line, its number and the lines from it on; an empty file is
        an error."""
        first, number, rest = tabular.first_line(lines)
        if first is None:
            raise FileErrors(
                [
                    f"{self.filename}:1: empty file (expected a header: "
                    f"{','.join(ALL_COLUMNS[:10])},...)"
                ]
            )
        return first, number, rest

    def _csv_reader(
        self, first: str, rest: Iterator[str], number: int
    ) -> tuple[Any, tuple[str, ...]]:
        """A ``csv`` reader on the lines from the header (line *number*) on, and the header
        checked."""
        reader = csv.reader(rest, delimiter=tabular.sniff_delimiter(first.lstrip(), _SPEC))
        header = tuple(tabular.normalise_name(h) for h in next(reader))
        problems = check_columns(header)
        if problems:
            raise FileErrors([f"{self.filename}:{number}: {p}" for p in problems])
        return reader, header

    def _json_cells(
        self, lines: Iterator[str], number: int
    ) -> Iterator[tuple[int, tuple[str, ...], list[str]]]:
        filename = self.filename
        items = 0
        for line, item in tabular.json_objects(lines, filename=filename):
            line += number - 1
            if not isinstance(item, dict):
                raise FileErrors([f"{filename}:{line}: expected an object per row"])
            problems = check_columns(list(item))
            if problems:
                raise FileErrors([f"{filename}:{line}: {p}" for p in problems])
            items += 1
            row = {str(k): _cell_text(v) for k, v in item.items()}
            yield line, tuple(row), [*row.values(), ""]
        if items == 0:
            raise FileErrors([f"{filename}:1: no rows to import"])


class _Counted:
    """The lines of an iterator, counted as they pass."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self.count = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        return line


def read_table(
    data: bytes | Path | IO[bytes], filename: str, encoding: str = "utf-8"
) -> ImportTable:
    """Rows of a CSV or JSON (array of objects, or NDJSON) import file, with line numbers:
    its bytes, its path or a seekable binary file (read again on each iteration).

    Raises ``FileErrors`` (when iterated) for an empty file, text that is not UTF-8, bad
    JSON, or a header with unknown or missing columns.
    """
    return ImportTable(data, filename, encoding)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return " ".join(_cell_text(v) for v in value)
    return str(value)


# ---------------------------------------------------------------- export


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def export_rows(
    *, session: Session, on: date | None = None, article: str | None = None
) -> Iterator[dict[str, Any]]:
    """Rows in the import format: every current period, or those in force on *on*."""
    acts = load_acts(session)
    key = resolve_article(session, article)
    extra: list[ColumnElement[bool]] = [] if on is None else in_force_on(on)
    tariffs = load_tariffs(session, extra=extra)
    for code in sorted(tariffs):
        act = acts.get(code)
        if act is None or (key is not None and normalise_article(act.article) != key):
            continue
        for stored in tariffs[code]:
            for p in stored.profiles or (None,):  # None: a fee-only period
                # typed (money, flags, counts) for JSON; their CSV cells are the import's
                yield typed_row(
                    {
                        "code": code,
                        "valid_from": stored.valid_from.isoformat(),
                        "valid_to": stored.valid_to.isoformat() if stored.valid_to else "",
                        "fee": format(stored.fee, "f") if stored.fee is not None else "",
                        "regime": p.regime or "" if p else "",
                        "dmg": _yes_no(p.dmg) if p else "",
                        "age_from": "" if p is None or p.age_from is None else str(p.age_from),
                        "age_to": "" if p is None or p.age_to is None else str(p.age_to),
                        "chronic": _yes_no(p.chronic) if p else "",
                        "reimbursement": format(p.reimbursement, "f") if p else "",
                        "key_terms": act.key_terms,
                        "label_fr": act.label_fr,
                        "label_nl": act.label_nl,
                        "article": act.article,
                        "source": stored.source,
                        "min_age": "" if act.min_age is None else str(act.min_age),
                        "max_age": "" if act.max_age is None else str(act.max_age),
                        "max_per_period": ""
                        if act.max_per_period is None
                        else str(act.max_per_period),
                        "frequency_period": act.frequency_period or "",
                        "not_combinable_with": " ".join(act.not_combinable_with),
                        "prerequisite": act.prerequisite or "",
                        "category": act.category,
                        "setting": act.setting,
                    }
                )
