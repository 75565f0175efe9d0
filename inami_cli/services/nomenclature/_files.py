"""The import format on file: reading the rows of a CSV or JSON tariff file, and writing
the stored tariffs back as rows of the same columns (``export``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

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
    """The rows of a CSV or JSON import file, read lazily (errors surface on iteration).

    Iterating gives ``(line, {column: text})``; ``cells()`` gives each row as its header
    and its cells plus a trailing ``""`` (see ``TariffRowParser``), which spares a dict per
    row on a 200 000-row import.
    """

    def __init__(self, data: bytes, filename: str, encoding: str = "utf-8") -> None:
        self.data = data
        self.filename = filename
        self.encoding = tabular.check_encoding(encoding)

    @property
    def rows_at_most(self) -> int:
        """The file's line count: an upper bound of its rows (for a progress bar)."""
        return max(self.data.count(b"\n"), 1)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        for line, header, cells in self.cells():
            yield line, dict(zip(header, cells[:-1], strict=True))

    def cells(self) -> Iterator[tuple[int, tuple[str, ...], list[str]]]:
        """``(line, header, cells + [""])`` per row; raises ``FileErrors`` like ``read_table``."""
        filename = self.filename
        data = self.data
        encoding = self.encoding
        try:
            text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise FileErrors(
                [
                    f"{filename}:{line}: not {encoding} text (byte 0x{data[exc.start]:02x}); "
                    f"give the file's encoding with --encoding ({tabular.ENCODINGS_HINT})"
                ]
            ) from None
        stripped = text.lstrip()
        if not stripped:
            raise FileErrors(
                [f"{filename}:1: empty file (expected a header: {','.join(ALL_COLUMNS[:10])},...)"]
            )
        lower = filename.lower()
        if lower.endswith((".json", ".ndjson", ".jsonl")) or stripped[0] in "[{":
            for line, row in _json_rows(text, filename):
                yield line, tuple(row), [*row.values(), ""]
            return
        header_line = stripped.split("\n", 1)[0]
        reader = csv.reader(
            io.StringIO(text, newline=""),
            delimiter=tabular.sniff_delimiter(header_line, _SPEC),
        )
        header = tuple(tabular.normalise_name(h) for h in next(reader))
        problems = check_columns(header)
        if problems:
            raise FileErrors([f"{filename}:1: {p}" for p in problems])
        width = len(header)
        for values in reader:
            if len(values) != width:
                if not values or not "".join(values).strip():
                    continue
                raise FileErrors(
                    [f"{filename}:{reader.line_num}: {len(values)} fields, the header has {width}"]
                )
            # blank rows (",,,") are skipped; the first cell settles it for almost every row
            if not values[0].strip() and not "".join(values).strip():
                continue
            values.append("")
            yield reader.line_num, header, values


def read_table(data: bytes, filename: str, encoding: str = "utf-8") -> ImportTable:
    """Rows of a CSV or JSON (array of objects, or NDJSON) import file, with line numbers.

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


def _json_rows(text: str, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    decoder = json.JSONDecoder(parse_float=str, parse_int=str)
    pos = 0
    line = 1

    def skip(p: int) -> int:
        while p < len(text) and text[p] in " \t\r\n":
            p += 1
        return p

    def fail(p: int, what: str) -> FileErrors:
        return FileErrors([f"{filename}:{text.count(chr(10), 0, p) + 1}: {what}"])

    counted = 0  # line numbers counted forward from here (linear: not from 0 per row)

    pos = skip(pos)
    in_array = text[pos] == "["
    if in_array:
        pos = skip(pos + 1)
    items = 0
    while pos < len(text):
        if in_array and text[pos] == "]":
            break
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            item, pos = decoder.raw_decode(text, pos)
        except RecursionError:
            raise fail(pos, "JSON nested too deeply") from None
        except json.JSONDecodeError as exc:
            raise fail(exc.pos, f"invalid JSON: {exc.msg}") from None
        if not isinstance(item, dict):
            raise fail(pos, "expected an object per row")
        problems = check_columns(list(item))
        if problems:
            raise FileErrors([f"{filename}:{line}: {p}" for p in problems])
        items += 1
        yield line, {str(k): _cell_text(v) for k, v in item.items()}
        pos = skip(pos)
        if in_array and pos < len(text) and text[pos] == ",":
            pos = skip(pos + 1)
    if items == 0:
        raise FileErrors([f"{filename}:1: no rows to import"])


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
