"""``inami insured batch``: one NISS per line checked against the register, one CSV row or
NDJSON object out per line, on worker processes for a big input. Each chunk of lines reads
only the persons it names (``RegisterLookup``): the register is never loaded whole."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, TextIO

from sqlmodel import Session

from inami_cli import tabular
from inami_cli.domain import insurability as rules
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.niss import parse_niss
from inami_cli.services.bulkio import SharedDates
from inami_cli.services.insurability._batch_rows import (
    ChunkRows,
    IsoDates,
    chunk_rows,
    in_force,
    periods,
)
from inami_cli.services.insurability._common import _date_cell
from inami_cli.services.insurability._register import RegisterLookup

# Lines checked in this process before the workers fork (``services.batching``): the
# batch loads no reference data (each chunk reads its own persons), so forking early costs
# little and the rest runs on every core (150 000, the default, is 2 s on one core here).
MIN_ROWS_HERE = 20_000
# Lines per chunk on PostgreSQL: the server answers a chunk's look-up by scanning the
# person and entitlement tables whatever the chunk's size, so bigger chunks share that
# scan among more lines. 1 000 000 lines: server CPU 28 s with 10 000 lines a chunk, 19 s
# with 25 000, 14 s with 50 000; peak RSS 99, 132 and 176 MB (flat from 100 000 lines).
POSTGRESQL_CHUNK = 50_000

BATCH_COLUMNS = (
    "line", "niss", "date", "insured", "insurer_code", "insurer_name", "member_number",
    "quality", "ct1", "ct2", "regime", "dmg", "period_from", "period_to", "reason",
)  # fmt: skip


@dataclass(frozen=True)
class BatchSummary:
    """Counts of an ``insured batch`` run."""

    lines: int
    checked: int
    insured: int
    not_insured: int
    unknown: int
    invalid: int

    def as_dict(self) -> dict[str, int]:
        """The summary object (``--format json``)."""
        return {
            "lines": self.lines,
            "checked": self.checked,
            "insured": self.insured,
            "not_insured": self.not_insured,
            "unknown": self.unknown,
            "invalid": self.invalid,
        }


class _Checked(NamedTuple):
    """What one chunk of lines gave: output text, warnings in order, counts."""

    text: str
    warnings: list[str]
    checked: int
    insured: int
    unknown: int
    invalid: int


class _BatchCheck:
    """The per-line work of ``insured_batch``: one chunk of lines into output text.

    The loop works on the rows the chunk's look-up returned (``_batch_rows``) and writes
    plain strings (no dataclass per line): it is the path of a million checks, done here
    or in forked workers.
    """

    def __init__(self, lookup: RegisterLookup, *, fmt: str, on: date, filename: str) -> None:
        import json

        self.lookup = lookup
        self.names = lookup.insurers
        self.ndjson = fmt in ("json", "ndjson")
        self.dumps = json.JSONEncoder(ensure_ascii=False).encode
        self.filename = filename
        self.default = (on, on.isoformat())
        self.iso = IsoDates()
        self.days = SharedDates()
        self.dates: dict[str, tuple[date, str]] = {}

    def rows(self, wanted: Collection[str]) -> ChunkRows:
        """The register's rows of the persons among *wanted* NISS."""
        if len(self.iso) > 100_000:  # distinct dates are few; bound them all the same
            self.iso, self.days = IsoDates(), SharedDates()
        with self.lookup.connection() as connection:
            return chunk_rows(connection, wanted)

    def chunk(self, source: list[str], first: int) -> _Checked:
        """Check the lines of *source*, whose first line is line *first* of the file."""
        # The persons the chunk names, read in one go (a NISS written with dots or dashes
        # is read alone below, once its compact form is known).
        persons, rights = self.rows({raw.partition(",")[0].strip() for raw in source})
        # Attributes and globals bound to locals: the loop below runs once per input line.
        names = self.names
        describe = rules.describe_affiliation
        ndjson = self.ndjson
        iso = self.iso
        dates = self.dates
        default = self.default
        filename = self.filename
        width = len(BATCH_COLUMNS) - 1
        out: list[str] = []
        write = out.append
        warnings: list[str] = []
        checked = insured = unknown = invalid = 0
        for lines, raw in enumerate(source, first):
            text = raw.strip()
            if not text or text[0] == "#" or (lines == 1 and text[:4].lower() == "niss"):
                continue
            niss, comma, when = text.partition(",")
            niss = niss.strip()
            day, day_iso = default
            if comma and when.strip():
                parsed = dates.get(when)
                if parsed is None:
                    try:
                        value = _date_cell(when.strip(), "date")
                    except InvalidInput as exc:
                        invalid += 1
                        warnings.append(f"{filename}:{lines}: {exc.message}")
                        continue
                    parsed = dates[when] = (value, value.isoformat())
                day, day_iso = parsed
            found = persons.get(niss)
            if found is None:
                try:
                    compact = parse_niss(niss).niss
                except InvalidInput as exc:
                    invalid += 1
                    warnings.append(f"{filename}:{lines}: {exc.message}")
                    continue
                if compact != niss and compact not in persons:
                    more = self.rows((compact,))
                    persons.update(more.persons)
                    rights.update(more.rights)
                niss = compact
                found = persons.get(niss)
            checked += 1
            answer = None if found is None else in_force(found, rights.get(niss), day_iso, iso)
            if answer is not None:
                insured += 1
                current, bim, dmg = answer
                _, _, code, member, quality, titular, ct1, ct2, start, end = current
                start, end = iso[start], iso[end]
                regime = rules.PREFERENTIAL if bim or ct1[-1:] == "1" else rules.ORDINARY
                reason = describe(code, quality, titular, start, end)
                if not ndjson:
                    # The row as the join below writes it, without the list (most lines)
                    text = (
                        f"{lines},{niss},{day_iso},yes,{code},{names.get(code) or ''},{member},"
                        f"{quality},{ct1},{ct2},{regime},{'yes' if dmg else 'no'},{start},"
                        f"{end or ''},{reason}"
                    )
                    if text.count(",") == width and not _needs_quotes(text):
                        write(text + "\n")
                        continue
                row: list[Any] = [
                    lines, niss, day_iso, True, code, names.get(code), member, quality, ct1,
                    ct2, regime, dmg, start, end, reason,
                ]  # fmt: skip
            elif found is None:
                unknown += 1
                row = [
                    lines, niss, day_iso, False, None, None, None, None, None, None, "ordinary",
                    False, None, None, f"no person with NISS {niss} in the register",
                ]  # fmt: skip
            else:
                row = self.covered(lines, niss, day, day_iso, found, rights.get(niss))
                insured += row[3]
            if ndjson:
                write(self.dumps(dict(zip(BATCH_COLUMNS, row, strict=True))) + "\n")
            else:
                write(_csv_line(row, width))
        return _Checked("".join(out), warnings, checked, insured, unknown, invalid)

    def covered(
        self, lines: int, niss: str, day: date, day_iso: str, found: list[Any], rights: Any
    ) -> list[Any]:
        """The output row of a person ``in_force`` leaves to ``coverage_on``: not insured
        on the day (no affiliation then, or deceased), the reason said by the rules."""
        affiliations, entitlements, death = periods(found, rights, self.days)
        cov = rules.coverage_on(affiliations, entitlements, day, death_date=death)
        aff = cov.affiliation
        if cov.insured and aff is not None:
            end = aff.valid_to.isoformat() if aff.valid_to else None
            return [
                lines, niss, day_iso, True, aff.insurer_code, self.names.get(aff.insurer_code),
                aff.member_number, aff.quality, aff.ct1, aff.ct2, cov.regime, cov.dmg,
                aff.valid_from.isoformat(), end, cov.reason,
            ]  # fmt: skip
        return [
            lines, niss, day_iso, False, None, None, None, None, None, None, cov.regime,
            cov.dmg, None, None, cov.reason,
        ]  # fmt: skip


def _needs_quotes(text: str) -> bool:
    """Whether a row's text holds a quote or a line break (csv.writer would quote)."""
    return '"' in text or "\n" in text or "\r" in text


def _csv_line(row: list[Any], width: int) -> str:
    """One CSV output row (``yes``/``no`` for the booleans, as ``domain.cells.cell``)."""
    row[0] = str(row[0])
    row[3] = "yes" if row[3] else "no"
    row[11] = "yes" if row[11] else "no"
    # A plain join is three times cheaper than csv.writer; the writer (quoting) is used
    # for the rare row whose text holds a comma, a quote or a line break.
    text = ",".join([f or "" for f in row])
    if text.count(",") == width and not _needs_quotes(text):
        return text + "\n"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(row)
    return buffer.getvalue()


# A file with a header: columns picked by name, whatever else the file holds (the nightly
# member file: niss;last_name;first_name;insurer;...). Without one: NISS or NISS,DATE lines.
BATCH_INPUT = tabular.Columns(
    required=("niss",),
    optional=("date",),
    aliases={**tabular.NISS_ALIASES, "datum": "date", "date_of_care": "date", "on": "date"},
    extra="ignore",
)


def _input_chunks(
    source: Iterable[str], filename: str, size: int
) -> tuple[int, Iterator[list[str]], int]:
    """The first line number of the chunks, the chunks of ``NISS[,DATE]`` lines, and the
    lines read before them (a header).

    A plain file (no header, or a ``niss[,date]`` header with commas) is chunked as is: the
    fast path. Any other header (``;`` or tab, other columns, ``INSZ``) has its NISS and
    date cells picked into ``NISS,DATE`` lines, one per physical line (line numbers kept).
    """
    from inami_cli.services import batching

    first, number, lines = tabular.first_line(source)
    if first is None or first.lstrip()[:1] == "#":
        return 1, batching.line_chunks(lines, size), 0
    delimiter = tabular.sniff_delimiter(first, BATCH_INPUT)
    cells = next(csv.reader([first], delimiter=delimiter), [])
    if "niss" not in {BATCH_INPUT.canonical(c) for c in cells}:
        return 1, batching.line_chunks(lines, size), 0  # no header: NISS[,DATE] lines
    header = tabular.read_header(cells, filename=filename, spec=BATCH_INPUT, delimiter=delimiter)
    next(lines)  # the header
    if delimiter == "," and header.names in (("niss",), ("niss", "date")):
        return number + 1, batching.line_chunks(lines, size), number
    index = header.index()
    return (
        number + 1,
        _picked(
            batching.csv_chunks(lines, size, delimiter=delimiter),
            delimiter,
            index["niss"],
            index.get("date"),
        ),
        number,
    )


def _picked(
    chunks: Iterator[list[str]], delimiter: str, i_niss: int, i_date: int | None
) -> Iterator[list[str]]:
    """Each chunk as ``NISS,DATE`` lines, one per physical line of the chunk."""
    for chunk in chunks:
        out: list[str] = []
        reader = csv.reader(chunk, delimiter=delimiter)
        done = 0
        for cells in reader:
            end = reader.line_num
            out.extend([""] * (end - done - 1))  # the lines of a multi-line record
            done = end
            if not "".join(cells).strip():
                out.append("")
            elif cells[0].lstrip()[:1] == "#":
                out.append("#")
            else:
                niss = cells[i_niss] if i_niss < len(cells) else ""
                when = cells[i_date] if i_date is not None and i_date < len(cells) else ""
                out.append(f"{niss.strip()},{when.strip()}")
        out.extend([""] * (len(chunk) - done))
        yield out


def insured_batch(
    *,
    session: Session,
    source: Iterable[str],
    out: TextIO,
    fmt: str,
    on: date,
    filename: str,
    on_error: Callable[[str], None],
) -> BatchSummary:
    """Check one NISS per line (``NISS`` or ``NISS,DATE``; a ``niss`` header and ``#``
    comments are skipped) and stream one CSV row or NDJSON object per check to *out*.

    Invalid lines go to *on_error* as ``FILE:LINE: reason`` and are skipped. Each chunk
    of lines reads the persons it names from the database (memory does not grow with the
    register); a big input is checked on worker processes (``services.batching``), each
    with its own connection; the output, the warnings and the summary are the same, in
    the same order.
    """
    from inami_cli.services import batching

    check = _BatchCheck(RegisterLookup(session), fmt=fmt, on=on, filename=filename)
    if not check.ndjson:
        out.write(",".join(BATCH_COLUMNS) + "\n")
    totals = [0, 0, 0, 0]
    postgres = check.lookup.engine.dialect.name == "postgresql"
    size = batching.chunk_size(POSTGRESQL_CHUNK if postgres else batching.DEFAULT_CHUNK)
    first_line, chunks, lines = _input_chunks(source, filename, size)

    def emit(done: _Checked) -> None:
        for message in done.warnings:
            on_error(message)
        out.write(done.text)
        for i, value in enumerate(done[2:]):
            totals[i] += value

    def counted(chunks: Iterator[list[str]]) -> Iterator[list[str]]:
        nonlocal lines
        for chunk in chunks:
            lines += len(chunk)
            yield chunk

    batching.run_chunks(counted(chunks), first_line, check.chunk, emit, min_rows=MIN_ROWS_HERE)
    checked, insured, unknown, invalid = totals
    return BatchSummary(
        lines=lines,
        checked=checked,
        insured=insured,
        not_insured=checked - insured,
        unknown=unknown,
        invalid=invalid,
    )
