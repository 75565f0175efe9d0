"""Rendering shared by the command line and the desk: table (tabulate), json, ndjson, csv.

Data to stdout, messages to stderr. It sits below `cli` and `desk` and imports neither.
"""

from __future__ import annotations

import contextlib
import csv
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from inami_cli.domain.cells import cell
from inami_cli.domain.jsonfmt import dumps

__all__ = [
    "FORMATS",
    "FieldSink",
    "JsonArraySink",
    "StreamWriter",
    "cell",
    "input_file",
    "output_file",
    "refuse_csv",
    "render",
    "select_fields",
]

FORMATS = ("table", "json", "ndjson", "csv")


def select_fields(available: Sequence[str], fields: Sequence[str] | None) -> list[str]:
    """The columns to print: *fields* (``--fields a,b,c``, in that order) or all of them.

    An unknown field is exit 2 listing the available ones (issue 17, as ``gh --json``).
    """
    if not fields:
        return list(available)
    unknown = [f for f in fields if f not in available]
    if unknown:
        from inami_cli.domain.errors import InvalidInput

        raise InvalidInput(
            f"--fields: unknown field(s) {', '.join(unknown)}; available: {', '.join(available)}"
        )
    return list(fields)


def _sections(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The keys of *rows* that hold a nested table (a list of records or an object)."""
    found: list[str] = []
    for row in rows:
        for key, value in row.items():
            nested = isinstance(value, Mapping) or (
                isinstance(value, (list, tuple)) and any(isinstance(v, Mapping) for v in value)
            )
            if nested and key not in found:
                found.append(key)
    return found


def refuse_csv(what: str) -> NoReturn:
    """CSV is one table per command: a view made of several sections refuses it (exit 2)."""
    from inami_cli.domain.errors import InvalidInput

    raise InvalidInput(
        f"--format csv: {what} has several sections (one CSV is one table); use --format json"
    )


@contextlib.contextmanager
def output_file(out: Path | None) -> Iterator[TextIO]:
    """Where a batch writes: stdout, or *out* written atomically.

    The data goes to a temporary file next to *out* and replaces it only when the block
    ends without an exception: a failed or interrupted batch never leaves half a file
    where a cron job expects a complete one.
    """
    if out is None:
        yield sys.stdout
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=".inami-", dir=str(out.parent or Path(".")))
    except OSError as exc:
        raise _out_error(out, exc) from None
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as sink:
            yield sink
            try:
                sink.flush()
                os.replace(tmp, out)
            except OSError as exc:  # disk full, a directory in the way, ...
                raise _out_error(out, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _out_error(out: Path, exc: OSError) -> Exception:
    """An error writing ``--out``, naming the user's file (never the temporary one)."""
    from inami_cli.domain.errors import InvalidInput

    return InvalidInput(f"--out {out}: {exc.strerror or exc}")


@contextlib.contextmanager
def input_file(
    name: str,
    encoding: str = "utf-8",
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Iterator[str]]:
    """A batch's input lines: stdin for ``-``, else the file (closed at the end).

    Decoded by the shared reader (``inami_cli.tabular``): a UTF-8 BOM is dropped, a byte
    the encoding cannot decode is ``FILE:LINE`` naming ``--encoding``, a missing file is
    exit 2 naming it. *progress* hears the bytes and lines read (``render.progress``).
    """
    from inami_cli.tabular import check_encoding, open_binary, text_lines

    check_encoding(encoding)
    with open_binary(name) as binary:
        yield text_lines(binary, filename=name, encoding=encoding, progress=progress)


def render(
    data: Sequence[Mapping[str, Any]] | Mapping[str, Any],
    *,
    fmt: str,
    columns: Sequence[str] | None = None,
    table_style: str = "simple",
    out: TextIO | None = None,
    width: int | None = None,
    colour: bool = False,
    wrap: bool = False,
    fields: Sequence[str] | None = None,
    short: Mapping[str, str] | None = None,
    drop: Sequence[str] = (),
) -> None:
    """Print records (a list) or one record (a mapping) in *fmt*.

    JSON prints a list as an array and a mapping as one object; ndjson one object per line;
    table prints a mapping as a two-column key/value table, fitted to *width* columns when
    given (long text cut with ``…``, or wrapped with *wrap*; headers shortened by *short*,
    the columns of *drop* left out first when too wide) and with its status words in
    colour when *colour* (``render.table``).
    *fields* (``--fields``) keeps those columns (keys of a mapping), in that order. CSV is
    one flat table: a record holding nested tables (sections) refuses it, naming
    ``--format json``.
    """
    stream = out or sys.stdout
    single = isinstance(data, Mapping)
    rows: list[Mapping[str, Any]] = [data] if isinstance(data, Mapping) else list(data)
    if columns is None:
        columns = list(rows[0].keys()) if rows else []
    if fields:
        available = list(columns)
        for row in rows:  # a record may carry more than the table's columns
            available.extend(k for k in row if k not in available)
        columns = select_fields(available, fields)
        rows = [{c: row.get(c) for c in columns} for row in rows]
    if fmt == "csv":
        nested = _sections(rows)
        if nested:
            refuse_csv(f"this view ({', '.join(nested)})")
    if fmt == "json":
        stream.write(dumps(rows[0] if single else rows) + "\n")
    elif fmt == "ndjson":
        for row in rows:
            stream.write(dumps(row) + "\n")
    elif fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(c)) for c in columns])
    else:
        from inami_cli.render.table import table_text

        if single:
            body = [[k, cell(v)] for k, v in rows[0].items() if not isinstance(v, (list, dict))]
            text = table_text(None, body, style=table_style, width=width, colour=colour)
            stream.write(text + "\n")
        elif rows:
            body = [[cell(row.get(c)) for c in columns] for row in rows]
            text = table_text(
                columns,
                body,
                style=table_style,
                width=width,
                colour=colour,
                wrap=wrap,
                short=short,
                drop=drop,
            )
            stream.write(text + "\n")


class StreamWriter:
    """Row-by-row writer (csv, ndjson, or json: one array, streamed), flat memory.

    *fields* (``--fields``) selects and orders the columns. ``close()`` ends the JSON array
    (a no-op for the other formats).
    """

    def __init__(
        self,
        fmt: str,
        columns: Sequence[str],
        out: TextIO,
        fields: Sequence[str] | None = None,
    ) -> None:
        self.fmt = fmt if fmt in ("json", "ndjson") else "csv"
        self.columns = select_fields(columns, fields)
        self.out: TextIO | JsonArraySink = JsonArraySink(out) if self.fmt == "json" else out
        self._csv = csv.writer(out, lineterminator="\n") if self.fmt == "csv" else None
        if self._csv is not None:
            self._csv.writerow(self.columns)

    def write(self, row: Mapping[str, Any]) -> None:
        """Write one record."""
        if self._csv is not None:
            self._csv.writerow([cell(row.get(c)) for c in self.columns])
        else:
            self.out.write(dumps({c: row.get(c) for c in self.columns}) + "\n")

    def write_many(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Write records one by one."""
        for row in rows:
            self.write(row)

    def close(self) -> None:
        """End the output (the closing bracket of a JSON array)."""
        if isinstance(self.out, JsonArraySink):
            self.out.close()


class JsonArraySink:
    """A text stream that turns NDJSON written to it into one JSON array, streamed.

    The batches render NDJSON lines (whole lines per ``write``; JSON text never holds a raw
    line break); ``--format json`` is one JSON document (issue 17): ``[``, the objects
    separated by commas, ``]`` at ``close()``.
    """

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._first = True
        self._closed = False

    def write(self, text: str) -> int:
        """Write whole NDJSON lines as array items."""
        if not text:
            return 0
        body = text[:-1] if text.endswith("\n") else text
        lead = "[\n" if self._first else ",\n"
        self._first = False
        self._out.write(lead + body.replace("\n", ",\n"))
        return len(text)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        """The end of the array (``[]`` when nothing was written)."""
        if not self._closed:
            self._closed = True
            self._out.write("[]\n" if self._first else "\n]\n")


class FieldSink:
    """A text stream that keeps only the ``--fields`` columns of the batch rows written to
    it: whole NDJSON lines or whole CSV records (the header first) per ``write``.

    The batches render their rows at speed from pre-rendered pieces; selecting columns
    re-reads each row, a cost paid only with ``--fields``.
    """

    def __init__(self, out: Any, fmt: str, columns: Sequence[str], fields: Sequence[str]):
        self._out = out
        self._json = fmt in ("json", "ndjson")
        self._fields = select_fields(columns, fields)
        self._keep: list[int] | None = None
        self._writer: Any = None

    def write(self, text: str) -> int:
        """Write the selected columns of the rows in *text*."""
        if not text:
            return 0
        if self._json:
            import json
            from decimal import Decimal

            keep = self._fields
            parts = []
            for line in text.splitlines():
                if line:
                    row = json.loads(line, parse_float=Decimal)
                    parts.append(dumps({k: row.get(k) for k in keep}) + "\n")
            self._out.write("".join(parts))
            return len(text)
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for cells in csv.reader(io.StringIO(text, newline="")):
            if self._keep is None:  # the header line
                self._keep = [cells.index(f) for f in self._fields]
            writer.writerow([cells[i] for i in self._keep])
        self._out.write(buffer.getvalue())
        return len(text)

    def flush(self) -> None:
        self._out.flush()
