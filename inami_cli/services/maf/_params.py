"""MAF parameters: the figures shipped in ``inami_cli/data/maf_parameters.csv`` (loaded by
``load_reference``, never overwriting a figure an administrator changed), listing, setting
one, importing a year's table."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from inami_cli.db.models import MafParameter
from inami_cli.domain import maf as rules
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.maf import Param, YearTable
from inami_cli.domain.values import is_digits
from inami_cli.services.audit import now, record_change
from inami_cli.services.imports import (
    AuditChange,
    Change,
    ImportReport,
    ParsedFile,
    finish_batch,
    parse_file,
)
from inami_cli.tabular import Columns

PARAM_COLUMNS = Columns(
    required=("year", "name", "value", "reliability", "source"),
    optional=("note",),
    aliases={"reliabilty": "reliability", "tag": "reliability"},
)
DATA_FILE = "maf_parameters.csv"


@dataclass(frozen=True)
class ParamView:
    """A parameter as listed."""

    year: int
    name: str
    value: str
    reliability: str
    source: str
    note: str


def _view(p: Param) -> ParamView:
    return ParamView(p.year, p.name, p.shown(), p.reliability, p.source, p.note)


def _param(row: MafParameter) -> Param:
    return Param(row.year, row.name, row.value, row.reliability, row.source, row.note)


def _parse(record: dict[str, str]) -> Param:
    text = record["year"].strip()
    if not is_digits(text):
        raise InvalidInput(f"year {text!r} is not a year")
    year = rules.check_year(int(text), what="year")
    name = rules.check_name(record["name"])
    value = rules.parse_value(name, record["value"])
    reliability = rules.check_reliability(record["reliability"])
    source = record["source"].strip()
    if not source:
        raise InvalidInput("source is empty: say where the figure comes from")
    return Param(year, name, value, reliability, source, record.get("note", "").strip())


def tables(*, session: Session, years: list[int]) -> dict[int, YearTable]:
    """The parameter tables of *years* (missing years give empty tables)."""
    rows = session.execute(select(MafParameter).where(col(MafParameter.year).in_(years))).scalars()
    params = [_param(r) for r in rows]
    return {y: rules.year_table(y, params) for y in years}


def params_list(
    *, session: Session, year: int | None = None, name: str | None = None
) -> list[ParamView]:
    """The parameters, by year and name; *name* may end with ``*`` (``ceiling.*``)."""
    query = select(MafParameter)
    if year is not None:
        rules.check_year(year)
        query = query.where(col(MafParameter.year) == year)
    if name is not None:
        pattern = name.strip()
        if pattern.endswith("*"):
            query = query.where(col(MafParameter.name).startswith(pattern[:-1]))
        else:
            query = query.where(col(MafParameter.name) == pattern)
    found = [_param(r) for r in session.execute(query).scalars()]
    order = _order_key
    return [_view(p) for p in sorted(found, key=order)]


def _order_key(p: Param) -> tuple[int, int, str]:
    rank = {"income_limit": 0, "ceiling": 1, "letter": 2}.get(p.name.split(".")[0], 3)
    return (p.year, rank, p.name)


def _upsert(session: Session, param: Param) -> str:
    """Insert or update one parameter; return insert, update or unchanged (audited)."""
    row = session.execute(
        select(MafParameter).where(
            col(MafParameter.year) == param.year, col(MafParameter.name) == param.name
        )
    ).scalar_one_or_none()
    after = {
        "value": param.shown(),
        "reliability": param.reliability,
        "source": param.source,
        "note": param.note,
    }
    key = f"{param.year} {param.name}"
    if row is None:
        session.add(
            MafParameter(
                year=param.year, name=param.name, value=param.value,
                reliability=param.reliability, source=param.source, note=param.note,
                updated_at=now(),
            )
        )  # fmt: skip
        record_change(session=session, entity="maf_parameter", key=key, action="insert",
                      after=after)  # fmt: skip
        return "insert"
    old = _param(row)
    before = {"value": old.shown(), "reliability": old.reliability, "source": old.source,
              "note": old.note}  # fmt: skip
    if before == after:
        return "unchanged"
    row.value, row.reliability, row.source, row.note = (
        param.value, param.reliability, param.source, param.note,
    )  # fmt: skip
    row.updated_at = now()
    record_change(session=session, entity="maf_parameter", key=key, action="update",
                  before=before, after=after)  # fmt: skip
    return "update"


def params_set(
    *,
    session: Session,
    year: int,
    name: str,
    value: str,
    reliability: str,
    source: str,
    note: str = "",
) -> tuple[ParamView, str]:
    """Record one figure (a published value replacing a derived one, a new year's figure);
    return it and what was done (insert, update, unchanged)."""
    param = _parse(
        {"year": str(year), "name": name, "value": value, "reliability": reliability,
         "source": source, "note": note}
    )  # fmt: skip
    action = _upsert(session, param)
    session.flush()
    return _view(param), action


def import_params(
    *, session: Session, file: str, dry_run: bool = False, encoding: str = "utf-8"
) -> ImportReport:
    """Import parameters ``year, name, value, reliability, source[, note]``: all or
    nothing, idempotent (key: year and name)."""
    parsed = parse_file(file, spec=PARAM_COLUMNS, parse=_parse, encoding=encoding)
    return _apply(session, parsed, dry_run=dry_run)


def _apply(session: Session, parsed: ParsedFile, *, dry_run: bool) -> ImportReport:
    seen: dict[tuple[int, str], int] = {}
    problems: list[str] = []
    for line, param in parsed.rows:
        key = (param.year, param.name)
        if key in seen:
            problems.append(f"{parsed.filename}:{line}: {param.year} {param.name} repeats "
                            f"line {seen[key]}")  # fmt: skip
        seen[key] = line
    if problems:
        from inami_cli.domain.errors import FileErrors

        raise FileErrors(problems)
    stored = {(r.year, r.name): _param(r) for r in session.execute(select(MafParameter)).scalars()}
    changes: list[Change] = []
    inserted = updated = unchanged = 0
    todo: list[Param] = []
    for _line, param in parsed.rows:
        old = stored.get((param.year, param.name))
        if old is None:
            inserted += 1
            changes.append(Change("insert", "maf_parameter", f"{param.year} {param.name}",
                                  f"{param.shown()} ({param.reliability})"))  # fmt: skip
            todo.append(param)
        elif (old.value, old.reliability, old.source, old.note) == (
            param.value, param.reliability, param.source, param.note,
        ):  # fmt: skip
            unchanged += 1
        else:
            updated += 1
            changes.append(Change("update", "maf_parameter", f"{param.year} {param.name}",
                                  f"{old.shown()} ({old.reliability}) -> {param.shown()} "
                                  f"({param.reliability})"))  # fmt: skip
            todo.append(param)
    batch_id: int | None = None
    if not dry_run and todo:
        from inami_cli.services.imports import new_batch

        batch_id = new_batch(session, "maf_parameters", parsed)
        for param in todo:
            _upsert(session, param)
        audit: list[AuditChange] = []
        finish_batch(session, batch_id, parsed, inserted=inserted, updated=updated,
                     unchanged=unchanged, audit=audit)  # fmt: skip
        session.flush()
    return ImportReport(parsed.filename, parsed.lines, inserted, updated, unchanged, dry_run,
                        batch_id, tuple(changes))  # fmt: skip


def load_reference(*, session: Session) -> int:
    """Insert the shipped figures that are not in the database yet (never overwrites a
    figure already there: an administrator may have replaced a derived one); return how
    many were inserted."""
    text = (Path(__file__).resolve().parents[2] / "data" / DATA_FILE).read_text(encoding="utf-8")
    stored = {
        (y, n) for y, n in session.execute(select(col(MafParameter.year), col(MafParameter.name)))
    }
    inserted = 0
    for line, record in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            param = _parse(record)
        except InvalidInput as exc:  # pragma: no cover - the shipped file is tested
            raise InvalidInput(f"{DATA_FILE}:{line}: {exc.message}") from None
        if (param.year, param.name) in stored:
            continue
        _upsert(session, param)
        inserted += 1
    session.flush()
    return inserted
