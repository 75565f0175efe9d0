"""``inami indemnity batch``: one case a row (the columns of ``indemnity compute``), one
output row a case, streamed with flat memory, on worker processes for a big CSV input.

A fund's batch asks the amount of many incapacities on a few days: the wage-independent
part of the rule (``domain.indemnities.plan_day``: phase, rate, ceiling, minimum, maximum,
read from the parameters) is computed once per (scheme, situation, ..., class of the dates)
and kept, the class being the parameter period the start falls in and the side of each
day/month limit its day and month are on (``rules.StartClasses``); each row then costs its
day and month (plain arithmetic, once per date pair) and its wage arithmetic
(``apply_plan``), the same code path as ``indemnity compute``.

CSV (``,`` ``;`` or tab) goes through ``tabular`` (header, aliases, encoding) and is shared
among workers by ``services.batching``; JSON and NDJSON are read by ``tabular.JsonTable`` in
this process. A bad row is reported as ``FILE:LINE: reason`` and the batch goes on.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter
from sys import intern
from typing import IO, Any, NamedTuple, TextIO

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import IncapacitySpell
from inami_cli.domain import indemnities as rules
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import InamiError, InvalidInput, NotFound
from inami_cli.domain.indemnities import (
    IncapacityCase,
    ParamStore,
)
from inami_cli.domain.money import from_cents
from inami_cli.services.indemnities._batch_cells import (
    DatePieces,
    PreparedRow,
    SharedPlan,
    cell_text,
    date_pieces,
    fast_number,
    parse_cents,
    parse_flag,
    parse_number,
)
from inami_cli.services.indemnities._store import load_store
from inami_cli.tabular import Columns

BATCH_INPUT = Columns(
    required=("on",),
    optional=(
        "niss", "scheme", "incapacity_start", "incapacity_end", "gross_daily", "gross_monthly",
        "family_situation", "regular_worker", "work_schedule", "worker_category",
        "unemployment_daily", "assimilation", "kind", "resumption_hours", "fulltime_hours",
        "round_percent",
    ),
    aliases={"date": "on", "start": "incapacity_start", "end": "incapacity_end",
             "family": "family_situation", "insz": "niss"},
)  # fmt: skip
BATCH_COLUMNS = (
    "line", "niss", "scheme", "on", "incapacity_start", "phase", "day", "month", "rate",
    "wage", "ceiling", "minimum", "maximum", "daily_amount", "reliability", "derived",
)  # fmt: skip
PLAN_CACHE_LIMIT = 200_000
# Rows done in this process before the workers fork (``services.batching``): the reference
# data is small (parameters, spells), so forking early costs little and the rest runs on
# every core; the rows done here warm the caches the workers inherit. Measured on 1 000 000
# generated cases: 150 000 here gave 106 MB peak against 91 MB at 100 000 rows, 20 000 gave
# 98 MB against 89 MB, for the same CPU time.
MIN_ROWS_HERE = 20_000
_CENT = Decimal("0.01")
_AMOUNT_COLUMNS = (
    "gross_daily", "gross_monthly", "unemployment_daily", "resumption_hours", "fulltime_hours",
)  # fmt: skip
_DATE_COLUMNS = ("on", "incapacity_start", "niss", "incapacity_end")


@dataclass(frozen=True)
class BatchSummary:
    """Counts and the total of a batch."""

    rows: int
    ok: int
    errors: int
    derived_rows: int
    total_daily: Decimal

    def as_dict(self) -> dict[str, Any]:
        """The summary object (``--format json``)."""
        return {
            "rows": self.rows,
            "ok": self.ok,
            "errors": self.errors,
            "derived_rows": self.derived_rows,
            "total_daily": self.total_daily,
        }


class _Done(NamedTuple):
    text: str
    warnings: list[str]
    rows: int
    ok: int
    errors: int
    derived_rows: int
    total_c: int


class _BatchRun:
    """The per-row work over chunks of rows (here or in forked workers)."""

    def __init__(
        self,
        store: ParamStore,
        spells: dict[str, list[tuple[date, date | None, Any]]],
        *,
        fmt: str,
        filename: str,
        strict: bool,
        columns: tuple[str, ...],
    ) -> None:
        self.store = store
        self.spells = spells
        self.json = fmt in ("json", "ndjson")
        self.filename = filename
        self.strict = strict
        self.prepared: dict[tuple[Any, ...], PreparedRow | InamiError] = {}  # by the cells
        self.classes = rules.StartClasses(store)
        self.date_pairs: dict[tuple[str, ...], DatePieces | None] = {}
        self.shared: dict[tuple[Any, ...], SharedPlan] = {}  # by domain.plan_key
        self.dates: dict[str, date] = {}
        index = {name: i for i, name in enumerate(columns)}
        width = len(columns)
        self.width = width
        # one C-level call picks the cells in BATCH_INPUT order; absent columns read the ""
        # appended to each row (index ``width``)
        self.pick = itemgetter(*(index.get(n, width) for n in BATCH_INPUT.known))
        # the cells that decide a row's plan (the wages and hours are left out: they vary
        # from row to row and only enter the arithmetic; the dates enter by their class),
        # and the amounts themselves
        self.key_of = itemgetter(*(index.get(n, width) for n in BATCH_INPUT.known
                                   if n not in (*_AMOUNT_COLUMNS, *_DATE_COLUMNS)))  # fmt: skip
        self.amounts_of = itemgetter(*(index.get(n, width) for n in _AMOUNT_COLUMNS))
        # the dates, and the cells that make a row keyed by its own dates, not their class:
        # a person (its spell, read on its day) or an end (the carence reads end - start)
        self.dates_of = itemgetter(*(index.get(n, width) for n in _DATE_COLUMNS))

    def day(self, text: str, what: str) -> date | None:
        value = text.strip()
        if not value:
            return None
        found = self.dates.get(value)
        if found is None:
            found = parse_date(value, what=what)
            if len(self.dates) < 100_000:
                self.dates[value] = found
        return found

    def plan(self, case: IncapacityCase) -> SharedPlan:
        """The plan of a case, shared by every start date with the same `plan_key`.

        The amounts depend only on what the key holds (a test in tests/domain checks it
        against `plan_day` per case); the day and month of each start are computed by
        `prepare`, and the batch shows no other start-dependent field, so no `rebase`.
        """
        shared_key = rules.plan_key(self.store, case)
        found = self.shared.get(shared_key)
        if found is None:
            plan = rules.plan_day(self.store, case)
            text: Callable[[Any], str] = cell_text
            if self.json:
                from inami_cli.domain.jsonfmt import dumps

                text = dumps
            found = SharedPlan(
                plan, rules.compile_plan(plan), text(plan.rate), text(plan.ceiling),
                text(plan.minimum), text(plan.maximum),
                f'"reliability": "{plan.reliability}", "derived": {text(bool(plan.derived))}'
                if self.json else f"{plan.reliability},{'yes' if plan.derived else 'no'}",
            )  # fmt: skip
            if len(self.shared) >= PLAN_CACHE_LIMIT:
                self.shared.clear()
            self.shared[shared_key] = found
        return found

    def date_pair(self, pair: tuple[str, ...]) -> DatePieces | None:
        """The pieces of a row's date cells (cached), None when the row gives a niss or an
        end, or a date cell is empty or not a date (the row is then keyed by its cells, and
        `prepare` says what is wrong)."""
        if pair in self.date_pairs:
            return self.date_pairs[pair]
        on_t, start_t, niss_t, end_t = pair
        found = None
        if not (niss_t or end_t):
            try:
                on, start = self.day(on_t, "on"), self.day(start_t, "incapacity_start")
            except InamiError:
                on = start = None
            if on is not None and start is not None:
                found = date_pieces(self.classes, on, start, json=self.json)
        if len(self.date_pairs) >= PLAN_CACHE_LIMIT:
            self.date_pairs.clear()
        self.date_pairs[pair] = found
        return found

    def spell_of(self, niss: str, on: date) -> Any:
        for start, end, spell in self.spells.get(niss, ()):
            if start <= on and (end is None or on <= end):
                return spell
        raise NotFound(f"{niss} has no incapacity recorded on {on.isoformat()}")

    def prepare(self, cells: tuple[str, ...]) -> PreparedRow:
        """Everything about a row but its amounts, from its cells (cached by the caller)."""
        (
            on_t, niss, scheme_t, start_t, end_t, _daily_t, monthly_t, family_t, regular_t,
            schedule_t, category_t, _unemployment_t, assimilation_t, kind_t, hours_t,
            fulltime_t, round_t,
        ) = cells  # fmt: skip
        on = self.day(on_t, "on")
        if on is None:
            raise InvalidInput("on: a date is required")
        niss = niss.strip()
        spell = self.spell_of(niss, on) if niss else None
        scheme = scheme_t.strip().lower() or (spell[0] if spell else "")
        start = self.day(start_t, "incapacity_start") or (spell[1] if spell else None)
        family = family_t.strip().lower() or (spell[2] if spell and spell[2] else "")
        if not scheme or start is None or not family:
            raise InvalidInput(
                "give a niss with a recorded spell, or scheme, incapacity_start and "
                "family_situation"
            )
        end = self.day(end_t, "incapacity_end") or (spell[3] if spell else None)
        regular = parse_flag(regular_t, "regular_worker")
        if regular is None:
            regular = spell[4] if spell else True
        category = category_t.strip().lower() or (spell[5] if spell else "white-collar")
        kind = kind_t.strip().lower() or (spell[6] if spell else "primary")
        schedule_text = schedule_t.strip() or "6"
        if schedule_text not in ("5", "6"):
            raise InvalidInput(f"work_schedule: {schedule_t!r} is not 5 or 6")
        monthly = bool(monthly_t.strip())
        case = IncapacityCase(
            scheme=scheme, start=start, on=on, family_situation=family,
            gross_daily=None if monthly else Decimal(0),
            gross_monthly=Decimal(0) if monthly else None, regular_worker=regular,
            work_schedule=int(schedule_text), worker_category=category, end=end,
            assimilation=bool(parse_flag(assimilation_t, "assimilation")), kind=kind,
            resumption_hours=parse_number(hours_t, "resumption_hours"),
            fulltime_hours=parse_number(fulltime_t, "fulltime_hours"),
        )  # fmt: skip
        shared = self.plan(case)
        plan = shared.plan
        rounded = bool(parse_flag(round_t, "round_percent"))
        if self.strict and plan.derived:
            raise InvalidInput(f"--strict: needs derived parameter(s) {', '.join(plan.derived)}")
        gross = spell[7] if spell else None
        dates = date_pieces(self.classes, on, start, json=self.json)
        if self.json:
            from inami_cli.domain.jsonfmt import dumps

            head = f'"niss": {dumps(niss or None)}, "scheme": {dumps(scheme)}'
            return PreparedRow(shared, gross, rounded, head, dates, True)
        return PreparedRow(shared, gross, rounded, f"{niss},{scheme}", dates, False)

    def entry(self, cells: list[str], key: tuple[Any, ...], by_class: bool) -> PreparedRow:
        """The prepared entry of a row's *key*: cached, or made from its cells. An error is
        cached by the row's own cells and dates (its message may name them), and raised for
        every row with the same ones; an entry keyed *by_class* of its dates serves every
        row whose dates are in that class."""
        exact = (*key[:-1], self.dates_of(cells)) if by_class else key
        entry = self.prepared.get(key) or self.prepared.get(exact)
        if entry is None:
            try:
                entry = self.prepare(self.pick(cells))
            except InamiError as exc:
                entry = exc
            if len(self.prepared) >= PLAN_CACHE_LIMIT:
                self.prepared.clear()
            cache = exact if isinstance(entry, InamiError) else key
            # the key's own strings, not the row's: the row's copies are freed with it
            self.prepared[(*map(intern, cache[:-3]), *cache[-3:])] = entry
        if isinstance(entry, InamiError):
            raise entry
        return entry

    def decimal_row(
        self,
        entry: PreparedRow,
        line: int,
        dates: DatePieces,
        amounts: tuple[str, str, str, str, str],
    ) -> tuple[str, int]:
        """(output row, daily amount in cents) through `apply_plan`: every case, every
        error message (a row the integer path leaves)."""
        daily_t, monthly_t, unemployment_t, hours_t, fulltime_t = amounts
        plan = entry.shared.plan
        gross: Decimal | None
        if daily_t:
            if monthly_t:
                raise InvalidInput("give gross_daily or gross_monthly, not both")
            gross = fast_number(daily_t, "gross_daily")
        else:
            gross = entry.gross
        amount = rules.apply_plan(
            plan, gross_daily=gross,
            gross_monthly=parse_number(monthly_t, "gross_monthly") if monthly_t else None,
            unemployment_daily=(
                fast_number(unemployment_t, "unemployment_daily") if unemployment_t else None
            ),
            resumption_hours=(
                None if plan.exemption is None else parse_number(hours_t, "resumption_hours")
            ),
            fulltime_hours=parse_number(fulltime_t, "fulltime_hours") if fulltime_t else None,
            round_percent=entry.round_percent,
        )  # fmt: skip
        return entry.render_amount(line, dates, amount), int(amount.daily.quantize(_CENT) * 100)

    def rows(self, source: Iterable[tuple[int, list[str]]]) -> _Done:
        """The rows of a chunk: output text, warnings, counts. The hot loop: a row whose
        cells (other than its wages and hours) were seen before costs a dict look-up and,
        for a daily wage in cents on a plan with an integer form, integer arithmetic
        (``rules.apply_cents``) and a string; any other row goes through ``apply_plan``."""
        out: list[str] = []
        warnings: list[str] = []
        rows = ok = errors = derived = total = 0
        width = self.width
        key_of, amounts_of, dates_of = self.key_of, self.amounts_of, self.dates_of
        date_pairs = self.date_pairs
        prepared = self.prepared
        apply_cents = rules.apply_cents
        write = out.append
        for line, cells in source:
            rows += 1
            try:
                if len(cells) != width:
                    raise InvalidInput(f"{len(cells)} fields, the header has {width}")
                cells.append("")
                amounts = amounts_of(cells)
                daily_t, monthly_t, unemployment_t, hours_t, fulltime_t = amounts
                pair = dates_of(cells)
                dates = date_pairs.get(pair) or self.date_pair(pair)
                by_class = dates is not None
                key = (*key_of(cells), monthly_t != "", hours_t != "",
                       dates.key if dates is not None else pair)  # fmt: skip
                entry = prepared.get(key)
                if type(entry) is not PreparedRow:  # not seen yet, or a cached error
                    entry = self.entry(cells, key, by_class)
                if dates is None:
                    dates = entry.dates
                fast = entry.shared.fast
                answer = None
                if fast is not None and daily_t and not (monthly_t or hours_t or fulltime_t):
                    gross = parse_cents(daily_t)
                    unemployment = parse_cents(unemployment_t) if unemployment_t else None
                    if gross is not None and (unemployment is not None or not unemployment_t):
                        answer = apply_cents(fast, gross, unemployment)
                if answer is None:
                    text, cents = self.decimal_row(entry, line, dates, amounts)
                else:
                    phase, wage, cents = answer
                    text = entry.render(
                        line, dates, phase, f"{wage // 100}.{wage % 100:02d}", entry.shared.minimum,
                        f"{cents // 100}.{cents % 100:02d}",
                    )  # fmt: skip
            except InamiError as exc:
                errors += 1
                warnings.append(f"{self.filename}:{line}: {exc.message}")
                continue
            ok += 1
            if entry.shared.plan.derived:
                derived += 1
            total += cents
            write(text)
        return _Done("".join(out), warnings, rows, ok, errors, derived, total)

    def csv_chunk(self, delimiter: str) -> Callable[[list[str], int], _Done]:
        def chunk(lines: list[str], first: int) -> _Done:
            reader = csv.reader(lines, delimiter=delimiter)
            offset = first - 1

            def records() -> Iterator[tuple[int, list[str]]]:
                for cells in reader:
                    if not cells or not "".join(cells).strip():
                        continue
                    yield offset + reader.line_num, cells

            return self.rows(records())

        return chunk


def _load_spells(session: Session) -> dict[str, list[tuple[date, date | None, Any]]]:
    c = IncapacitySpell.__table__.c  # type: ignore[attr-defined]
    query = select(
        c.niss, c.valid_from, c.valid_to, c.scheme, c.episode_start, c.family_situation,
        c.regular_worker, c.worker_category, c.kind, c.gross_daily_cents,
    )  # fmt: skip
    spells: dict[str, list[tuple[date, date | None, Any]]] = {}
    for (
        niss,
        start,
        end,
        scheme,
        episode,
        family,
        regular,
        category,
        kind,
        cents,
    ) in session.execute(query):
        gross = None if cents is None else from_cents(cents)
        spell = (scheme, episode, family, end, regular, category, kind, gross)
        spells.setdefault(niss, []).append((start, end, spell))
    return spells


def indemnity_batch(
    *,
    session: Session,
    binary: IO[bytes],
    out: TextIO,
    fmt: str = "csv",
    filename: str = "-",
    encoding: str = "utf-8",
    strict: bool = False,
    on_error: Callable[[str], None] = lambda message: None,
) -> BatchSummary:
    """Compute one case per row of *binary* (CSV or JSON) and stream the results to *out*."""
    from inami_cli import tabular
    from inami_cli.services import batching

    store = load_store(session=session)
    spells = _load_spells(session)
    lines = tabular.text_lines(binary, filename=filename, encoding=encoding)
    first = next(lines, None)
    header_line = 1
    while first is not None and not first.strip():
        first = next(lines, None)
        header_line += 1
    if first is None:
        raise InvalidInput(f"{filename}:1: empty file (expected a header: on, ...)")
    json_input = tabular.is_json(filename, first)
    if json_input:
        table = tabular.JsonTable(_chain(first, lines), filename=filename, spec=BATCH_INPUT)
        columns = table.columns
    else:
        delimiter = tabular.sniff_delimiter(first, BATCH_INPUT)
        header_cells = next(csv.reader([first], delimiter=delimiter))
        header = tabular.read_header(
            header_cells, filename=filename, spec=BATCH_INPUT, delimiter=delimiter
        )
        columns = tuple(n or f"_ignored{i}" for i, n in enumerate(header.names))
    run = _BatchRun(store, spells, fmt=fmt, filename=filename, strict=strict, columns=columns)
    if not run.json:
        out.write(",".join(BATCH_COLUMNS) + "\n")
    totals = [0, 0, 0, 0, 0]

    def emit(done: _Done) -> None:
        for message in done.warnings:
            on_error(message)
        out.write(done.text)
        for i, value in enumerate(done[2:]):
            totals[i] += value

    if json_input:
        rows = table.rows()
        while True:
            block = [(line, list(cells)) for line, cells in _take(rows, 10_000)]
            if not block:
                break
            emit(run.rows(block))
    else:
        batching.run_chunks(
            batching.csv_chunks(lines, batching.chunk_size(), delimiter=delimiter),
            header_line + 1,
            run.csv_chunk(delimiter),
            emit,
            min_rows=MIN_ROWS_HERE,
        )
    rows_n, ok, errors, derived, total_c = totals
    return BatchSummary(rows_n, ok, errors, derived, from_cents(total_c))


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _take(source: Iterator[Any], n: int) -> Iterator[Any]:
    for _ in range(n):
        try:
            yield next(source)
        except StopIteration:
            return


__all__ = ["BATCH_COLUMNS", "BATCH_INPUT", "BatchSummary", "indemnity_batch"]
