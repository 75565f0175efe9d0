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
from typing import Any, TextIO

from inami_cli.domain.cells import cell
from inami_cli.domain.jsonfmt import dumps

__all__ = ["FORMATS", "StreamWriter", "cell", "input_file", "output_file", "render"]

FORMATS = ("table", "json", "ndjson", "csv")


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
    short: Mapping[str, str] | None = None,
    drop: Sequence[str] = (),
) -> None:
    """Print records (a list) or one record (a mapping) in *fmt*.

    JSON prints a list as an array and a mapping as one object; ndjson one object per line;
    table prints a mapping as a two-column key/value table, fitted to *width* columns when
    given (long text cut with ``…``, or wrapped with *wrap*; headers shortened by *short*,
    the columns of *drop* left out first when too wide) and with its status words in
    colour when *colour* (``render.table``).
    """
    stream = out or sys.stdout
    single = isinstance(data, Mapping)
    rows: list[Mapping[str, Any]] = [data] if isinstance(data, Mapping) else list(data)
    if columns is None:
        columns = list(rows[0].keys()) if rows else []
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
    """Row-by-row writer for batches (csv or ndjson), flat memory."""

    def __init__(self, fmt: str, columns: Sequence[str], out: TextIO) -> None:
        self.fmt = "ndjson" if fmt in ("json", "ndjson") else "csv"
        self.columns = list(columns)
        self.out = out
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
