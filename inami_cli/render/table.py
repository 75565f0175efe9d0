"""Human tables that fit the terminal: tabulate, with long text shortened to the width.

A table is fitted to *width* columns (``render.terminal.table_width``; None: as wide as its
longest cell, for ``--wide``, pipes and files):

- a column whose every cell is a number, a date or a code (no space, at most
  ``_CODE_MAX`` characters) is never shortened; only its header may break after ``_`` or a
  space, or take its short form (``SHORT_HEADERS``): a header never breaks inside a word;
- the other (text) columns share what is left: in a list each cell is cut to one line ending
  with ``…``; in a key/value view (one record) the value wraps over several lines, nothing
  is lost;
- a column with no value at all is left out of a table too wide for the width, then the
  columns a command names as least useful (``drop``), until its text keeps ``_TEXT_COMFORT``;
- only a list whose code columns still do not fit is shown record by record (key/value), as
  ``psql``'s expanded display does.

Colour (``render.terminal.colour_enabled``) marks status words once the table is fitted:
tabulate measures widths without the escape codes.

Widths: most text is *narrow* (ASCII, accented Latin letters, common punctuation: one
column per character), measured with ``len``; ``wcwidth`` (30 ms of CPU to import, a
twentieth of a cold ``inami reimburse``: issue 19) is imported only for a table or text
with another character (CJK, emoji, combining marks, colour codes).
"""

from __future__ import annotations

import functools
import re
import sys
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["STATUS_COLOURS", "colour_cell", "fit_pairs", "fit_rows", "table_text", "text_width"]

_CODE_MAX = 32  # a cell longer than this is text even without a space (a URL, a JSON object)
# A text column narrower than this is unreadable (show the records one by one instead):
# cut to one line, or wrapped over several.
_TEXT_MIN = 6
_TEXT_MIN_WRAPPED = 10
# Wrapped text: a word up to this long is never broken when the width allows it.
_WORD_MAX = 16
# With columns it may drop, a list drops them until its text columns keep this much.
_TEXT_COMFORT = 20
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


def _narrow_char(char: str) -> bool:
    # Latin letters with their accents (below the combining marks at U+0300), general
    # punctuation (dashes, quotes, …) and currency signs: one column each for wcwidth
    # too (tests/test_render_table_widths.py checks every one of them)
    return char.isprintable() and (
        char < "\u0300"
        or "\u2010" <= char <= "\u2027"
        or "\u2030" <= char <= "\u205e"
        or "\u20a0" <= char <= "\u20c0"
    )


def narrow(text: str) -> bool:
    """True when every line of *text* takes one terminal column per character."""
    if text.isascii() and text.replace("\n", "").isprintable():
        return True
    return all(char == "\n" or _narrow_char(char) for char in text)


def text_width(text: str) -> int:
    """Columns *text* takes on a terminal (wide characters count two, colour codes none)."""
    if narrow(text):
        return len(text)
    from wcwidth import wcswidth

    plain = _ANSI.sub("", text)
    width = wcswidth(plain)
    return len(plain) if width < 0 else width


@functools.cache
def _tabulate_narrow() -> Any:
    """``tabulate``, imported without its optional ``wcwidth`` (``None`` in ``sys.modules``
    makes that import fail): it then measures cells with ``len``, as wcwidth would measure
    narrow text. ``_tabulate`` gives it wcwidth back for a table that needs it."""
    if "wcwidth" in sys.modules:
        import tabulate

        return tabulate
    sys.modules["wcwidth"] = None  # type: ignore[assignment]
    try:
        import tabulate
    finally:
        del sys.modules["wcwidth"]
    return tabulate


def _tabulate(cells: Iterable[Any]) -> Any:
    """``tabulate`` for a table of *cells*: with wide-character support (as tabulate has
    when wcwidth is installed) unless every cell is narrow."""
    module = _tabulate_narrow()
    if module.wcwidth is None and not all(narrow(str(c)) for c in cells):
        import wcwidth

        module.wcwidth = wcwidth
        module.WIDE_CHARS_MODE = True  # tabulate's documented switch
    return module


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


# Short headers for columns whose cells are narrower than their name (a table too wide for
# the terminal shows these instead of breaking a word; ``--wide`` shows the whole names).
# A command may give its own (``render(short=...)``), which win over these.
SHORT_HEADERS = {
    "qualification": "qual",
    "accredited": "accr",
    "profession": "prof",
    "effective_date": "effective",
    "services_per_patient": "per_patient",
    "lines_with_findings": "with_findings",
    "peer_median": "median",
}
_HEADER_WORDS = re.compile(r"[^_ ]+[_ ]?|[_ ]")


def _wrap_header(header: str, width: int) -> str:
    """A header over several lines, broken after ``_`` or a space, never inside a word."""
    lines: list[str] = []
    for word in _HEADER_WORDS.findall(header):
        if lines and text_width(lines[-1] + word.rstrip()) <= width:
            lines[-1] += word
        else:
            lines.append(word)
    return "\n".join(line.rstrip() for line in lines)


def _header_min(header: str) -> int:
    return max((text_width(w.rstrip()) for w in _HEADER_WORDS.findall(header)), default=0)


def _header_at(forms: Sequence[str], width: int) -> str:
    """The header shown in *width* columns: whole, else broken at ``_``, else short."""
    for form in forms:
        if text_width(form) <= width:
            return form
        if _header_min(form) <= width:
            return _wrap_header(form, width)
    return _wrap_header(forms[-1], width)


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
    sample = _tabulate(()).tabulate([["x"] * columns], tablefmt=style)
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


def _longest_word(cells: Sequence[str]) -> int:
    return max((text_width(w) for c in cells for w in c.split()), default=0)


def _balance(
    widths: list[int], minimum: Sequence[int], target: Sequence[int], columns: list[list[str]]
) -> list[int]:
    """Wrapped columns: move room from one column to another while the table gets fewer
    lines (a long source beside a short value takes the width the value does not need)."""
    heights: dict[tuple[int, int], list[int]] = {}

    def lines(i: int, w: int) -> list[int]:
        if (i, w) not in heights:
            heights[i, w] = [_wrap(c, w).count("\n") + 1 for c in columns[i]]
        return heights[i, w]

    def total(ws: Sequence[int]) -> int:
        per_column = [lines(i, w) for i, w in enumerate(ws)]
        return sum(max(row) for row in zip(*per_column, strict=True))

    best, widths = total(widths), list(widths)
    for _round in range(200):  # each round takes one move that saves lines, or stops
        moves = (
            (a, b, step)
            for step in (1, 2, 4, 8, 16)
            for a in range(len(widths))
            for b in range(len(widths))
            if a != b and widths[a] + step <= target[a] and widths[b] - step >= minimum[b]
        )
        for a, b, step in moves:
            trial = list(widths)
            trial[a] += step
            trial[b] -= step
            if (lines_now := total(trial)) < best:
                best, widths = lines_now, trial
                break
        else:
            return widths
    return widths


def fit_rows(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    style: str,
    *,
    wrap: bool = False,
    short: Mapping[str, str] | None = None,
    text_min: int | None = None,
) -> tuple[list[str], list[list[str]]] | None:
    """*headers* and *rows* fitted to *width*: text cut to one line ending with ``…``, or
    wrapped over several lines (*wrap*: an explanation, where every word counts); None when
    even the code columns do not fit (the caller drops columns or shows the records one by
    one). A header is broken only after ``_`` or a space, or replaced by its short form
    (*short*, then ``SHORT_HEADERS``); the text columns get their room before the code
    columns' headers are shown whole."""
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
    names = {**SHORT_HEADERS, **(short or {})}
    forms = [[h, *([names[h]] if names.get(h, h) != h else [])] for h in headers]
    code = [_is_code(headers[i], columns[i]) for i in range(count)]
    if text_min is None:
        text_min = _TEXT_MIN_WRAPPED if wrap else _TEXT_MIN
    cells_max = [max((text_width(c) for c in columns[i]), default=0) for i in range(count)]
    head = [pad + min(_header_min(f) for f in forms[i]) for i in range(count)]
    minimum = [
        max(cells_max[i], head[i]) if code[i] else max(head[i], min(natural[i], text_min))
        for i in range(count)
    ]
    if sum(minimum) > budget:
        return None
    if wrap:  # wrapped text keeps its words whole when the width allows ("reimburseme/nt")
        words = [
            m if code[i] else max(m, min(_WORD_MAX, _longest_word(columns[i])))
            for i, m in enumerate(minimum)
        ]
        minimum = words if sum(words) <= budget else minimum
    # the text gets the room first; what it leaves unwraps the code columns' headers
    target = [m if code[i] else max(cells_max[i], m) for i, m in enumerate(minimum)]
    widths = _share(budget, target, minimum)
    if wrap:
        widths = _balance(widths, minimum, target, columns)
    left = budget - sum(widths)
    for i in sorted(range(count), key=lambda i: not code[i]):  # code columns' headers first
        if left > 0:
            extra = max(min(natural[i] - widths[i], left), 0)
            widths[i] += extra
            left -= extra
    new_headers = [_header_at(forms[i], widths[i] - pad) for i in range(count)]
    shorten = _wrap if wrap else _cut
    new_rows = [
        [c if text_width(c) <= widths[i] and "\n" not in c else shorten(c, widths[i])
         for i, c in enumerate(r)]
        for r in rows
    ]  # fmt: skip
    return new_headers, new_rows


def fit_pairs(pairs: Sequence[Sequence[str]], width: int, style: str) -> list[list[str]]:
    """A key/value view fitted to *width*: the values wrap, the keys stay whole."""
    if not pairs:
        return []
    key_width = max(text_width(k) for k, _v in pairs)
    value_width = max(width - _overhead(2, style) - key_width, _TEXT_MIN_WRAPPED)
    return [[k, _wrap(v, value_width) if text_width(v) > value_width or "\n" in v else v]
            for k, v in pairs]  # fmt: skip


def _dropped(
    names: list[str],
    body: list[list[str]],
    drop: Sequence[str],
    width: int,
    style: str,
    wrap: bool,
    short: Mapping[str, str] | None,
) -> tuple[list[str], list[list[str]], tuple[list[str], list[list[str]]] | None]:
    """The columns of *drop* left out one at a time, least valuable first, until the text
    columns keep ``_TEXT_COMFORT`` columns (else all of them are left out)."""
    fitted = fit_rows(names, body, width, style, wrap=wrap, short=short, text_min=_TEXT_COMFORT)
    for name in drop:
        if fitted is not None:
            break
        if name not in names or len(names) == 1:
            continue
        i = names.index(name)
        names = names[:i] + names[i + 1 :]
        body = [r[:i] + r[i + 1 :] for r in body]
        fitted = fit_rows(names, body, width, style, wrap=wrap, short=short, text_min=_TEXT_COMFORT)
    if fitted is None:
        fitted = fit_rows(names, body, width, style, wrap=wrap, short=short)
    return names, body, fitted


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
    short: Mapping[str, str] | None = None,
    drop: Sequence[str] = (),
) -> str:
    """The text of a table (*headers* None: a key/value view), fitted and coloured.

    *short*: short headers for this table (``fit_rows``); *drop*: the columns a table too
    wide for *width* leaves out, least valuable first, before it falls back to one record
    at a time (``--wide`` shows them all)."""
    if headers is None:
        body = [list(r) for r in rows]
        if width is not None:
            body = fit_pairs(body, width, style)
        if colour:
            body = [[k, colour_cell(k, v)] for k, v in body]
        cells = [c for r in body for c in r]
        return str(_tabulate(cells).tabulate(body, tablefmt=style, disable_numparse=True))
    names = list(headers)
    body = [list(r) for r in rows]
    if width is not None:
        fitted = fit_rows(names, body, width, style, wrap=wrap, short=short)
        empty = [i for i in range(len(names)) if not any(r[i] for r in body)]
        if fitted != (names, body) and empty and len(empty) < len(names):
            # too wide: a column with nothing in it goes first (``--wide`` shows it)
            names = [n for i, n in enumerate(names) if i not in empty]
            body = [[c for i, c in enumerate(r) if i not in empty] for r in body]
            fitted = fit_rows(names, body, width, style, wrap=wrap, short=short)
        if drop and fitted != (names, body):
            names, body, fitted = _dropped(names, body, drop, width, style, wrap, short)
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
    tab = _tabulate([*shown, *(c for r in body for c in r)])
    lines: list[Any] = list(body)
    if wrap and "grid" not in style and any("\n" in c for r in body for c in r):
        # rows of several lines: a rule between them tells one from the next
        lines = [item for r in body for item in (tab.SEPARATING_LINE, r)][1:]
    return str(tab.tabulate(lines, headers=shown, tablefmt=style, disable_numparse=True))
