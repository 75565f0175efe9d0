"""Human tables that fit the terminal: tabulate, with long text shortened to the width.

A table is fitted to *width* columns (``render.terminal.table_width``; None: as wide as its
longest cell, for ``--wide``, pipes and files):

- a column whose every cell is a number, a date or a code (no space, at most
  ``_CODE_MAX`` characters) is never shortened; only its header may wrap at ``_``;
- the other (text) columns share what is left: in a list each cell is cut to one line ending
  with ``…``; in a key/value view (one record) the value wraps over several lines, nothing
  is lost;
- a column with no value at all is left out of a table too wide for the width;
- a list whose code columns alone do not fit is shown record by record (key/value), as
  ``psql``'s expanded display does.

Colour (``render.terminal.colour_enabled``) marks status words once the table is fitted:
tabulate measures widths without the escape codes.
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Sequence
from typing import Any

from tabulate import SEPARATING_LINE, tabulate
from wcwidth import wcswidth

__all__ = ["STATUS_COLOURS", "colour_cell", "fit_pairs", "fit_rows", "table_text", "text_width"]

_CODE_MAX = 32  # a cell longer than this is text even without a space (a URL, a JSON object)
# A text column narrower than this is unreadable (show the records one by one instead):
# cut to one line, or wrapped over several.
_TEXT_MIN = 6
_TEXT_MIN_WRAPPED = 10
_ELLIPSIS = "…"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Columns of codes even when a cell has a space: identifiers, numbers, keys, dates.
_CODE_HEADER = re.compile(
    r"id|\w+_id|number|\w+_number|code|\w+_code|key|niss|date|\w+_date|at|decision"
)
# Columns of words even when a cell is one word (a name, a region): these may be shortened.
_TEXT_HEADER = re.compile(
    r"name|label|source|reason|note|title|what|description|address|comment|command|before"
    r"|after|detail|message|finding|blocks|quorum|majority|region|profession|category"
)

# Status words and their colour (SGR codes): green for a good answer, red for a refusal,
# yellow for something pending or partial.
STATUS_COLOURS = {
    "ok": "32",
    "reimbursed": "32",
    "insured": "32",
    "covered": "32",
    "adopted": "32",
    "active": "32",
    "held": "32",
    "full": "32",
    "refused": "31",
    "not insured": "31",
    "not reimbursed": "31",
    "uncovered": "31",
    "rejected": "31",
    "error": "31",
    "prescribed": "31",
    "partial": "33",
    "planned": "33",
    "pending": "33",
    "warning": "33",
}
# Columns (or keys) whose yes/no is a status: insured yes is good news, no is bad.
_YES_NO_STATUS = frozenset({"insured", "covered", "reimbursed", "ok", "met"})
_STATUS_COLUMNS = frozenset({"status", "state", "outcome", "result", "verdict", "answer"})


def text_width(text: str) -> int:
    """Columns *text* takes on a terminal (wide characters count two, colour codes none)."""
    if text.isascii() and text.isprintable():
        return len(text)
    plain = _ANSI.sub("", text)
    width = wcswidth(plain)
    return len(plain) if width < 0 else width


def _cut(text: str, width: int) -> str:
    """*text* on one line of at most *width* columns, ending with ``…`` when cut."""
    text = " ".join(text.split())
    if text_width(text) <= width:
        return text
    out = ""
    for char in text:
        if text_width(out + char) > width - 1:
            break
        out += char
    return out.rstrip() + _ELLIPSIS


def _wrap(text: str, width: int) -> str:
    """*text* wrapped at *width* columns (long words broken), its line breaks kept."""
    lines: list[str] = []
    for part in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(part, width=max(width, 1)) or [""])
    return "\n".join(lines)


def _wrap_header(header: str, width: int) -> str:
    """A header over several lines, broken after ``_``, inside a word only if it must."""
    lines: list[str] = []
    for word in re.findall(r"[^_]+_?|_", header):
        if lines and text_width(lines[-1] + word) <= width:
            lines[-1] += word
        else:
            lines.extend(word[i : i + max(width, 1)] for i in range(0, len(word), max(width, 1)))
    return "\n".join(lines)


def _header_min(header: str) -> int:
    return max((text_width(w) for w in re.findall(r"[^_]+_?|_", header)), default=0)


def _is_code(header: str, cells: Sequence[str]) -> bool:
    """A column of numbers, dates or codes (never shortened): no text header, and no cell
    with a space or longer than ``_CODE_MAX``."""
    if _CODE_HEADER.fullmatch(header):  # a decision number "CASS 2026/001" has a space
        return all(text_width(c) <= _CODE_MAX for c in cells)
    if _TEXT_HEADER.search(header):
        return False
    return all(not any(ch.isspace() for ch in c) and text_width(c) <= _CODE_MAX for c in cells if c)


@functools.lru_cache(maxsize=64)
def _overhead(columns: int, style: str) -> int:
    """Columns a table of *columns* columns spends on borders and separators."""
    sample = tabulate([["x"] * columns], tablefmt=style)
    return max(text_width(line) for line in sample.splitlines()) - columns


def _share(budget: int, natural: Sequence[int], minimum: Sequence[int]) -> list[int]:
    """Widths within *budget* (at least *minimum*): the narrow columns get their natural
    width first, the wide ones share what is left equally."""
    widths = list(minimum)
    left = budget
    order = sorted(range(len(natural)), key=lambda i: natural[i])
    reserved = sum(minimum)
    for rank, i in enumerate(order):
        reserved -= minimum[i]  # what the columns after this one need at least
        fair = min(left // (len(order) - rank), left - reserved)
        widths[i] = max(minimum[i], min(natural[i], fair))
        left -= widths[i]
    return widths


def fit_rows(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    style: str,
    *,
    wrap: bool = False,
) -> tuple[list[str], list[list[str]]] | None:
    """*headers* and *rows* fitted to *width*: text cut to one line ending with ``…``, or
    wrapped over several lines (*wrap*: an explanation, where every word counts); None when
    even the code columns do not fit (the caller shows the records one by one)."""
    count = len(headers)
    if count == 0:
        return list(headers), [list(r) for r in rows]
    columns = [[r[i] for r in rows] for i in range(count)]
    pad = 0 if style == "pretty" else 2  # tabulate's MIN_PADDING: a header is 2 wider
    natural = [
        max([text_width(headers[i]) + pad, *(text_width(c) for c in columns[i])])
        for i in range(count)
    ]
    budget = width - _overhead(count, style)
    if sum(natural) <= budget and not any("\n" in c for r in rows for c in r):
        return list(headers), [list(r) for r in rows]
    code = [_is_code(headers[i], columns[i]) for i in range(count)]
    text_min = _TEXT_MIN_WRAPPED if wrap else _TEXT_MIN
    cells_max = [max((text_width(c) for c in columns[i]), default=0) for i in range(count)]
    # headers whole; broken after "_"; then inside a word: the text columns' headers, then
    # the code columns' (never under 4 columns)
    for level in range(4):
        minimum = []
        for i in range(count):
            inside = 4 if level == 3 or (level == 2 and not code[i]) else _header_min(headers[i])
            head = (text_width(headers[i]), _header_min(headers[i]), inside, inside)[level]
            head = pad + min(head, text_width(headers[i]))
            minimum.append(
                max(cells_max[i], head) if code[i] else max(head, min(natural[i], text_min))
            )
        if sum(minimum) <= budget:
            # the text gets the room first; what it leaves unwraps the code columns' headers
            target = [m if code[i] else max(natural[i], m) for i, m in enumerate(minimum)]
            widths = _share(budget, target, minimum)
            left = budget - sum(widths)
            for i in range(count):
                if code[i] and left > 0:
                    extra = min(natural[i] - widths[i], left)
                    widths[i] += extra
                    left -= extra
            new_headers = [
                _wrap_header(h, w - pad) if text_width(h) + pad > w else h
                for h, w in zip(headers, widths, strict=True)
            ]
            shorten = _wrap if wrap else _cut
            new_rows = [
                [c if text_width(c) <= widths[i] and "\n" not in c else shorten(c, widths[i])
                 for i, c in enumerate(r)]
                for r in rows
            ]  # fmt: skip
            return new_headers, new_rows
    return None


def fit_pairs(pairs: Sequence[Sequence[str]], width: int, style: str) -> list[list[str]]:
    """A key/value view fitted to *width*: the values wrap, the keys stay whole."""
    if not pairs:
        return []
    key_width = max(text_width(k) for k, _v in pairs)
    value_width = max(width - _overhead(2, style) - key_width, _TEXT_MIN_WRAPPED)
    return [[k, _wrap(v, value_width) if text_width(v) > value_width or "\n" in v else v]
            for k, v in pairs]  # fmt: skip


def colour_cell(column: str, text: str) -> str:
    """*text* in its status colour when *column* holds a status (else unchanged)."""
    word = text.strip().lower()
    code = STATUS_COLOURS.get(word) if column.lower() in _STATUS_COLUMNS else None
    if code is None and column.lower() in _YES_NO_STATUS:
        code = {"yes": "32", "no": "31"}.get(word)
    if code is None and column.lower() in _YES_NO_STATUS | _STATUS_COLUMNS:
        code = STATUS_COLOURS.get(word)
    return f"\x1b[{code}m{text}\x1b[0m" if code else text


def table_text(
    headers: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    *,
    style: str,
    width: int | None,
    colour: bool,
    wrap: bool = False,
) -> str:
    """The text of a table (*headers* None: a key/value view), fitted and coloured."""
    if headers is None:
        body = [list(r) for r in rows]
        if width is not None:
            body = fit_pairs(body, width, style)
        if colour:
            body = [[k, colour_cell(k, v)] for k, v in body]
        return tabulate(body, tablefmt=style, disable_numparse=True)
    names = list(headers)
    body = [list(r) for r in rows]
    if width is not None:
        fitted = fit_rows(names, body, width, style, wrap=wrap)
        empty = [i for i in range(len(names)) if not any(r[i] for r in body)]
        if fitted != (names, body) and empty and len(empty) < len(names):
            # too wide: a column with nothing in it goes first (``--wide`` shows it)
            names = [n for i, n in enumerate(names) if i not in empty]
            body = [[c for i, c in enumerate(r) if i not in empty] for r in body]
            fitted = fit_rows(names, body, width, style, wrap=wrap)
        if fitted is None:  # too many code columns: one key/value view per record
            return "\n\n".join(
                table_text(None, list(zip(names, r, strict=True)), style=style, width=width,
                           colour=colour)
                for r in body
            )  # fmt: skip
        shown, body = fitted
    else:
        shown = names
    if colour:
        body = [[colour_cell(names[i], c) for i, c in enumerate(r)] for r in body]
    lines: list[Any] = list(body)
    if wrap and "grid" not in style and any("\n" in c for r in body for c in r):
        # rows of several lines: a rule between them tells one from the next
        lines = [item for r in body for item in (SEPARATING_LINE, r)][1:]
    return tabulate(lines, headers=shown, tablefmt=style, disable_numparse=True)
