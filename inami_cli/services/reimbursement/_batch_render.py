"""Batch output rows (CSV or NDJSON) from pre-rendered pieces of a cached answer."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from inami_cli.domain.cells import cell
from inami_cli.domain.jsonfmt import dumps
from inami_cli.domain.reimbursement import CaseResult
from inami_cli.services.reimbursement._case import RESULT_COLUMNS

BATCH_COLUMNS = ("line", *RESULT_COLUMNS)


@dataclass
class _Cached:
    """A computed answer, pre-rendered without the per-row cells (line, niss, date, age)."""

    code: str
    head: str  # label, regime, dmg
    tail: str  # chronic ... refusal_reason
    ok: bool
    cents: tuple[int, int, int]
    result: CaseResult | None  # kept only with --record (the stored row needs it)


_CSV_SPECIAL = frozenset(',"\r\n')


def _csv_piece(values: list[Any]) -> str:
    """Cells joined as ``csv.writer`` would write them (without a line end).

    Most pieces hold no delimiter, quote or line break and are a plain join; the others
    (and a lone empty cell, which the writer quotes) go through the writer itself.
    """
    cells = [cell(v) for v in values]
    text = ",".join(cells)
    if _CSV_SPECIAL.isdisjoint(text) and not (len(cells) == 1 and not cells[0]):
        return text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


_HEAD = ("label", "regime", "dmg")
_TAIL = RESULT_COLUMNS[RESULT_COLUMNS.index("chronic") :]


class _Renderer:
    """Renders batch rows as CSV or NDJSON from pre-rendered pieces: a cached answer is
    formatted once, and each row only adds its line, NISS, date and age."""

    def __init__(self, fmt: str) -> None:
        self.json = fmt in ("json", "ndjson")

    def header(self) -> str:
        """What comes before the first row (the CSV header line)."""
        return "" if self.json else ",".join(BATCH_COLUMNS) + "\n"

    def pieces(self, record: dict[str, Any]) -> tuple[str, str, str]:
        """(code, label..dmg, chronic..refusal_reason) of a result, rendered."""
        if self.json:
            return (
                dumps(record["code"]),
                ", ".join(f'"{k}": {dumps(record[k])}' for k in _HEAD),
                ", ".join(f'"{k}": {dumps(record[k])}' for k in _TAIL),
            )
        return (
            _csv_piece([record["code"]]),
            _csv_piece([record[k] for k in _HEAD]),
            _csv_piece([record[k] for k in _TAIL]),
        )

    def row(self, line: int, niss: str, day: str, age: int | None, cached: _Cached) -> str:
        """One output row (the NISS was validated against the register: digits only)."""
        if self.json:
            who = f'"{niss}"' if niss else "null"
            years = "null" if age is None else age
            return (
                f'{{"line": {line}, "niss": {who}, "code": {cached.code}, "date": "{day}", '
                f'{cached.head}, "age": {years}, {cached.tail}}}\n'
            )
        years = "" if age is None else age
        return f"{line},{niss},{cached.code},{day},{cached.head},{years},{cached.tail}\n"
