"""The funding inputs: each year's global budget objective (with its source), and each
insurer's budgeted, actual and normative expenditure (imported from the budget documents)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from inami_cli.db.models import FundingInput, FundingYear, Insurer
from inami_cli.domain.errors import FileErrors, InvalidInput, NotFound
from inami_cli.domain.money import from_cents, parse_decimal, to_cents
from inami_cli.domain.values import parse_budget_amount
from inami_cli.services.audit import now, record_change
from inami_cli.services.imports import (
    AuditChange,
    Change,
    ImportReport,
    finish_batch,
    new_batch,
    parse_file,
)
from inami_cli.tabular import Columns

RELIABILITIES = ("official", "fund", "secondary", "derived")
KINDS = ("budgeted", "actual", "normative")
INPUT_COLUMNS = Columns(
    required=("insurer_code",),
    optional=KINDS,
    aliases={"insurer": "insurer_code", "oa": "insurer_code", "vi": "insurer_code",
             "budget": "budgeted", "actual_expenditure": "actual",
             "normative_expenditure": "normative"},
)  # fmt: skip
AMOUNT_COLUMNS = Columns(
    required=("insurer_code", "amount"),
    aliases={"insurer": "insurer_code", "oa": "insurer_code", "vi": "insurer_code",
             "budgeted": "amount", "actual": "amount", "normative": "amount",
             "expenditure": "amount"},
)  # fmt: skip
DATA_FILE = "funding_objectives.csv"


@dataclass(frozen=True)
class YearView:
    """A year's budget objective as stored."""

    year: int
    objective: Decimal
    reliability: str
    source: str
    mali_cap_percent: Decimal | None
    mali_cap_source: str

    def record(self) -> dict[str, Any]:
        return {"year": self.year, "objective": self.objective, "reliability": self.reliability,
                "source": self.source or None, "mali_cap_percent": self.mali_cap_percent,
                "mali_cap_source": self.mali_cap_source or None}  # fmt: skip


def _year_view(row: FundingYear) -> YearView:
    cap = Decimal(row.mali_cap_percent) if row.mali_cap_percent is not None else None
    return YearView(row.year, from_cents(row.objective_cents), row.reliability, row.source, cap,
                    row.mali_cap_source)  # fmt: skip


def check_year(year: int) -> int:
    if not 1995 <= year <= 2999:
        raise InvalidInput(f"--year {year}: the funds' financing is modelled from 1995")
    return year


def budget_set(
    *,
    session: Session,
    year: int,
    objective: Decimal | None,
    source: str | None,
    reliability: str = "official",
    mali_cap_percent: Decimal | None = None,
    mali_cap_source: str | None = None,
) -> tuple[YearView, str]:
    """Record the global budget objective of *year* (and, optionally, the mali cap)."""
    check_year(year)
    if reliability not in RELIABILITIES:
        raise InvalidInput(f"--reliability {reliability!r}: expected {', '.join(RELIABILITIES)}")
    if objective is not None and objective <= 0:
        raise InvalidInput(f"--objective {objective}: must be above zero")
    if mali_cap_percent is not None and not Decimal(0) <= mali_cap_percent <= Decimal(100):
        raise InvalidInput(f"--mali-cap {mali_cap_percent}: a percentage between 0 and 100")
    row = session.get(FundingYear, year)
    if row is None:
        if objective is None:
            raise InvalidInput(f"no objective recorded for {year} yet: pass --objective")
        if not source:
            raise InvalidInput("--source is required: say where the objective comes from")
        row = FundingYear(year=year, objective_cents=to_cents(objective), reliability=reliability,
                          source=source)  # fmt: skip
        session.add(row)
        action, before = "insert", None
    else:
        before = _year_view(row).record()
        action = "update"
        if objective is not None:
            if not source:
                raise InvalidInput("--source is required with --objective")
            row.objective_cents, row.source = to_cents(objective), source
            row.reliability = reliability
    if mali_cap_percent is not None:
        row.mali_cap_percent = format(mali_cap_percent, "f")
        row.mali_cap_source = mali_cap_source or ""
    row.updated_at = now()
    session.flush()
    after = _year_view(row).record()
    if before == after:
        return _year_view(row), "unchanged"
    record_change(session=session, entity="funding_year", key=str(year), action=action,
                  before=before, after=after)  # fmt: skip
    return _year_view(row), action


def budget_list(*, session: Session, year: int | None = None) -> list[YearView]:
    """The recorded objectives, by year."""
    if year is not None:
        check_year(year)
    query = select(FundingYear).order_by(col(FundingYear.year))
    if year is not None:
        query = query.where(col(FundingYear.year) == year)
    return [_year_view(r) for r in session.execute(query).scalars()]


def year_or_fail(session: Session, year: int) -> YearView:
    row = session.get(FundingYear, year)
    if row is None:
        raise NotFound(
            f"no budget objective recorded for {year}",
            hint=f"inami funding budget set --year {year} --objective X --source URL",
        )
    return _year_view(row)


def _cents(text: str, what: str) -> int | None:
    if not text.strip():
        return None
    return to_cents(parse_budget_amount(text, what=what))


def _known_insurers(session: Session) -> set[str]:
    return set(session.execute(select(col(Insurer.code))).scalars())


def _parse_input(record: dict[str, str]) -> tuple[str, dict[str, int | None]]:
    code = record["insurer_code"].strip()
    values = {k: _cents(record.get(k, ""), k) for k in KINDS}
    if all(v is None for v in values.values()):
        raise InvalidInput(f"insurer {code}: no amount (give budgeted, actual or normative)")
    return code, values


def import_inputs(
    *, session: Session, file: str, year: int, dry_run: bool = False, encoding: str = "utf-8"
) -> ImportReport:
    """Import insurers' expenditure ``insurer_code[, budgeted, actual, normative]`` for
    *year*: all or nothing, idempotent; an empty cell leaves the stored value."""
    check_year(year)
    known = _known_insurers(session)

    def parse(record: dict[str, str]) -> tuple[str, dict[str, int | None]]:
        code, values = _parse_input(record)
        if code not in known:
            raise InvalidInput(f"insurer {code!r} is not one of {', '.join(sorted(known))}")
        return code, values

    parsed = parse_file(file, spec=INPUT_COLUMNS, parse=parse, encoding=encoding)
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, (code, _values) in parsed.rows:
        if code in seen:
            problems.append(f"{parsed.filename}:{line}: insurer {code} repeats line {seen[code]}")
        seen.setdefault(code, line)
    if problems:
        raise FileErrors(problems)
    stored = {
        r.insurer_code: r
        for r in session.execute(
            select(FundingInput).where(col(FundingInput.year) == year)
        ).scalars()
    }
    inserted = updated = unchanged = 0
    changes: list[Change] = []
    audit: list[AuditChange] = []
    todo: list[tuple[str, dict[str, int | None], FundingInput | None]] = []
    for _line, (code, values) in parsed.rows:
        row = stored.get(code)
        if row is None:
            inserted += 1
            changes.append(Change("insert", "funding_input", f"{year} {code}", _show(values)))
            todo.append((code, values, None))
            continue
        before = {k: getattr(row, f"{k}_cents") for k in KINDS}
        after = {k: (v if v is not None else before[k]) for k, v in values.items()}
        if before == after:
            unchanged += 1
            continue
        updated += 1
        changes.append(Change("update", "funding_input", f"{year} {code}",
                              f"{_show(before)} -> {_show(after)}"))  # fmt: skip
        audit.append(("funding_input", f"{year} {code}", "update", _plain(before), _plain(after)))
        todo.append((code, after, row))
    batch_id: int | None = None
    if not dry_run and todo:
        batch_id = new_batch(session, "funding_inputs", parsed)
        source = f"import {Path(parsed.filename).name}"
        for code, values, existing in todo:
            if existing is None:
                session.add(FundingInput(
                    year=year, insurer_code=code, budgeted_cents=values["budgeted"],
                    actual_cents=values["actual"], normative_cents=values["normative"],
                    source=source, batch_id=batch_id,
                ))  # fmt: skip
            else:
                existing.budgeted_cents = values["budgeted"]
                existing.actual_cents = values["actual"]
                existing.normative_cents = values["normative"]
                existing.source = source
        finish_batch(session, batch_id, parsed, inserted=inserted, updated=updated,
                     unchanged=unchanged, audit=audit)  # fmt: skip
        session.flush()
    return ImportReport(parsed.filename, parsed.lines, inserted, updated, unchanged, dry_run,
                        batch_id, tuple(changes))  # fmt: skip


def _show(values: dict[str, int | None]) -> str:
    return ", ".join(f"{k} {from_cents(v)}" for k, v in values.items() if v is not None)


def _plain(values: dict[str, int | None]) -> dict[str, Any]:
    return {k: (from_cents(v) if v is not None else None) for k, v in values.items()}


def stored_amounts(session: Session, year: int, kind: str) -> dict[str, int]:
    """Each insurer's stored *kind* expenditure for *year* (insurers without it left out)."""
    rows = session.execute(select(FundingInput).where(col(FundingInput.year) == year)).scalars()
    result: dict[str, int] = {}
    for row in rows:
        value = getattr(row, f"{kind}_cents")
        if value is not None:
            result[row.insurer_code] = value
    return result


def file_amounts(session: Session, file: str, *, encoding: str = "utf-8") -> dict[str, int]:
    """``insurer_code, amount`` per line of *file* (the column may be named actual,
    normative, budgeted or expenditure)."""

    def parse(record: dict[str, str]) -> tuple[str, int]:
        value = to_cents(parse_budget_amount(record["amount"], what="amount"))
        return record["insurer_code"].strip(), value

    parsed = parse_file(file, spec=AMOUNT_COLUMNS, parse=parse, encoding=encoding)
    known = _known_insurers(session)
    problems: list[str] = []
    result: dict[str, int] = {}
    for line, (code, value) in parsed.rows:
        if code not in known:
            problems.append(f"{parsed.filename}:{line}: insurer {code!r} is not known")
        elif code in result:
            problems.append(f"{parsed.filename}:{line}: insurer {code} appears twice")
        result[code] = value
    if problems:
        raise FileErrors(problems)
    return result


def load_reference(*, session: Session) -> int:
    """The objectives shipped in ``inami_cli/data/funding_objectives.csv``, inserted when the
    year has none (never overwriting one recorded here)."""
    text = (Path(__file__).resolve().parents[2] / "data" / DATA_FILE).read_text(encoding="utf-8")
    inserted = 0
    for record in csv.DictReader(io.StringIO(text)):
        year = int(record["year"])
        if session.get(FundingYear, year) is not None:
            continue
        session.add(FundingYear(
            year=year, objective_cents=to_cents(parse_decimal(record["objective"])),
            reliability=record["reliability"], source=record["source"], updated_at=now(),
        ))  # fmt: skip
        record_change(session=session, entity="funding_year", key=str(year), action="insert",
                      after=dict(record))  # fmt: skip
        inserted += 1
    session.flush()
    return inserted
