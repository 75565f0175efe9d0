"""Batch output rows (CSV or NDJSON) from pre-rendered pieces of a cached answer."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
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


@dataclass(frozen=True)
class _Plain:
    """The fixed cells of a plan's rows, rendered (``_batch_plan``): the row adds its
    line, NISS, date and age, and the four amounts that depend on what is charged."""

    code: str
    head: str  # label, regime, dmg
    before: str  # chronic ... personal_share
    between: str  # tariff_valid_from ... third_party
    after: str  # referral_reduced


_CSV_SPECIAL = frozenset(',"\r\n')


def _csv_piece(values: list[Any]) -> str:
    """Cells joined as ``csv.writer`` would write them (without a line end).

    Most pieces hold no delimiter, quote or line break and are a plain join; the others
    (and a lone empty cell, which the writer quotes) go through the writer itself.
    """
    cells = [cell(v) for v in values]
    # the cells, not their join: the comma that joins them needs no quotes
    if _CSV_SPECIAL.isdisjoint("".join(cells)) and not (len(cells) == 1 and not cells[0]):
        return ",".join(cells)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


_HEAD = ("label", "regime", "dmg")
_TAIL = RESULT_COLUMNS[RESULT_COLUMNS.index("chronic") :]
# the tail around the four amounts that depend on what is charged (``_Plain``)
_BEFORE = _TAIL[: _TAIL.index("supplement")]
_BETWEEN = _TAIL[_TAIL.index("patient_total") + 1 : _TAIL.index("paid_at_desk")]
_AFTER = _TAIL[_TAIL.index("paid_to_provider") + 1 :]
_CHARGED = ("supplement", "patient_total", "paid_at_desk", "paid_to_provider")
assert (*_BEFORE, *_CHARGED[:2], *_BETWEEN, *_CHARGED[2:], *_AFTER) == _TAIL


class _Renderer:
    """Renders batch rows as CSV or NDJSON from pre-rendered pieces: a cached answer is
    formatted once, and each row only adds its line, NISS, date and age."""

    def __init__(self, fmt: str) -> None:
        self.json = fmt in ("json", "ndjson")
        # groups without amounts (label..dmg, the tariff's dates and source ...) repeat
        # across plans: rendered once each (no Decimal in a key: 1.0 == 1.00)
        self._rendered: dict[tuple[tuple[str, ...], tuple[Any, ...]], str] = {}
        self._codes: dict[str, str] = {}
        self._sep = ", " if self.json else ","

    def _group_once(self, keys: tuple[str, ...], values: tuple[Any, ...]) -> str:
        """``_group`` of values that hold no amount, remembered."""
        found = self._rendered.get((keys, values))
        if found is None:
            if len(self._rendered) >= 10_000:
                self._rendered.clear()
            found = self._rendered[keys, values] = self._group(keys, values)
        return found

    def header(self) -> str:
        """What comes before the first row (the CSV header line)."""
        return "" if self.json else ",".join(BATCH_COLUMNS) + "\n"

    def _group(self, keys: tuple[str, ...], values: Any) -> str:
        """Some consecutive cells of a row, rendered."""
        if self.json:
            return ", ".join(f'"{k}": {dumps(v)}' for k, v in zip(keys, values, strict=True))
        return _csv_piece(list(values))

    def _code(self, code: str) -> str:
        """The code cell (the row writes its key in JSON)."""
        return dumps(code) if self.json else _csv_piece([code])

    def pieces(self, record: dict[str, Any]) -> tuple[str, str, str]:
        """(code, label..dmg, chronic..refusal_reason) of a result, rendered."""
        return (
            self._code(record["code"]),
            self._group(_HEAD, [record[k] for k in _HEAD]),
            self._group(_TAIL, [record[k] for k in _TAIL]),
        )

    def plain(
        self,
        *,
        code: str,
        head: tuple[str, str, bool],
        before: tuple[bool, str, Decimal, Decimal, Decimal],
        between: tuple[Any, ...],
        after: tuple[bool],
    ) -> _Plain:
        """The fixed cells of a plan's rows (``_Plain``), rendered once."""
        chronic, profile, *amounts = before
        code_cell = self._codes.get(code)
        if code_cell is None:
            code_cell = self._codes[code] = self._code(code)
        return _Plain(
            code_cell,
            self._group_once(_HEAD, head),
            self._group_once(_BEFORE[:2], (chronic, profile))
            + self._sep
            + self._amounts(_BEFORE[2:], amounts),
            self._group_once(_BETWEEN, between),
            self._group_once(_AFTER, after),
        )

    def _amounts(self, keys: tuple[str, ...], amounts: Iterable[Decimal]) -> str:
        """Amount cells: their exact digits, in CSV as in JSON (``jsonfmt``), never quoted."""
        if self.json:
            return ", ".join(f'"{k}": {a:f}' for k, a in zip(keys, amounts, strict=True))
        return ",".join(format(a, "f") for a in amounts)

    def plain_tail(self, plain: _Plain, amounts: tuple[Decimal, ...]) -> str:
        """chronic..referral_reduced of a plan's row with its four amounts."""
        if not self.json:  # every row that a plan answers: one f-string (``_amounts``)
            supplement, total, desk, direct = amounts
            return (
                f"{plain.before},{supplement:f},{total:f},"
                f"{plain.between},{desk:f},{direct:f},{plain.after}"
            )
        sep = self._sep
        return (
            f"{plain.before}{sep}{self._amounts(_CHARGED[:2], amounts[:2])}{sep}"
            f"{plain.between}{sep}{self._amounts(_CHARGED[2:], amounts[2:])}{sep}{plain.after}"
        )

    def row(
        self, line: int, niss: str, day: str, age: int | None, code: str, head: str, tail: str
    ) -> str:
        """One output row (the NISS was validated against the register: digits only)."""
        if self.json:
            who = f'"{niss}"' if niss else "null"
            years = "null" if age is None else age
            return (
                f'{{"line": {line}, "niss": {who}, "code": {code}, "date": "{day}", '
                f'{head}, "age": {years}, {tail}}}\n'
            )
        years = "" if age is None else age
        return f"{line},{niss},{code},{day},{head},{years},{tail}\n"
