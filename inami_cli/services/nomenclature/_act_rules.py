"""Act rules dated like tariffs (``domain.nomenclature.ActRulePeriod``): set a new period,
import them (all or nothing, ``FILE:LINE``); ``_rule_periods`` reads them. A new period
closes the open one the day before it starts; a period that would start on or before a
recorded one is refused (the past is not rewritten)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from inami_cli.db.models import ActRule, ImportBatch
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import Conflict, FileErrors, InvalidInput, NotFound
from inami_cli.domain.nomenclature import (
    ActRulePeriod,
    check_rule_period,
    overlapping,
    parse_code_list,
    parse_whole,
    validate_code,
)
from inami_cli.services.audit import current_actor, now, record_change
from inami_cli.services.nomenclature._reads import get_act
from inami_cli.services.nomenclature._rule_periods import _period, period_record

ACT_RULE_COLUMNS = (
    "code", "valid_from", "valid_to", "min_age", "max_age", "max_per_period",
    "frequency_period", "not_combinable_with", "prerequisite", "setting", "source",
)  # fmt: skip


def _rows_of(session: Session, code: str) -> list[ActRule]:
    query = select(ActRule).where(col(ActRule.code) == code).order_by(col(ActRule.valid_from))
    return list(session.execute(query).scalars())


def set_act_rule(*, session: Session, period: ActRulePeriod) -> ActRulePeriod:
    """Record a new rule period; the open period before it ends the day before.

    Conflict (exit 4) when a recorded period starts on or after the new one, or a closed
    one overlaps it: a change never rewrites the past.
    """
    act = get_act(session=session, code=period.code)
    period = check_rule_period(replace(period, code=act.code))
    for row in _rows_of(session, act.code):
        if row.valid_from >= period.valid_from:
            raise Conflict(
                f"act rules of {act.code}: a period from {row.valid_from.isoformat()} is "
                f"recorded; a new period must start after it (the past is not rewritten)"
            )
        if row.valid_to is None or row.valid_to >= period.valid_from:
            before = period_record(_period(row))
            row.valid_to = period.valid_from - timedelta(days=1)
            session.add(row)
            record_change(
                session=session, entity="act_rule", key=f"{act.code} {row.valid_from}",
                action="update", before=before, after=period_record(_period(row)),
            )  # fmt: skip
    row = ActRule(**_columns_of(period), source=period.source or "operator")
    session.add(row)
    session.flush()
    stored = _period(row)
    record_change(
        session=session, entity="act_rule", key=f"{act.code} {period.valid_from}",
        action="insert", after=period_record(stored),
    )  # fmt: skip
    return stored


def _columns_of(period: ActRulePeriod) -> dict[str, Any]:
    """The row's columns but its source (the caller's: the operator or the file)."""
    return {k: v for k, v in period_record(period).items() if k != "source"}


def parse_period(cells: dict[str, str]) -> ActRulePeriod:
    """A rule period from an import record (column names as ``ACT_RULE_COLUMNS``)."""

    def cell(name: str) -> str:
        return (cells.get(name) or "").strip()

    start = cell("valid_from")
    if not start:
        raise InvalidInput("valid_from is empty")
    frequency = cell("frequency_period") or None
    prerequisite = cell("prerequisite") or None
    return check_rule_period(
        ActRulePeriod(
            code=validate_code(cell("code")),
            valid_from=parse_date(start, what="valid_from"),
            valid_to=parse_date(cell("valid_to"), what="valid_to") if cell("valid_to") else None,
            min_age=parse_whole(cell("min_age"), what="min_age"),
            max_age=parse_whole(cell("max_age"), what="max_age"),
            max_per_period=parse_whole(cell("max_per_period"), what="max_per_period", low=1,
                                       high=10000),
            frequency_period=frequency,
            not_combinable_with=parse_code_list(cell("not_combinable_with")),
            prerequisite=prerequisite,
            setting=cell("setting") or "any",
            source=cell("source"),
        )
    )  # fmt: skip


@dataclass(frozen=True)
class RuleImport:
    """What an act-rule import did (or would do with ``dry_run``)."""

    filename: str
    inserted: int
    updated: int
    unchanged: int
    dry_run: bool
    changes: tuple[str, ...] = ()

    def counts(self) -> dict[str, Any]:
        """The JSON summary."""
        return {
            "file": self.filename, "inserted": self.inserted, "updated": self.updated,
            "unchanged": self.unchanged, "dry_run": self.dry_run,
        }  # fmt: skip


def import_act_rules(
    *,
    session: Session,
    records: Iterable[tuple[int, dict[str, str]]],
    filename: str,
    dry_run: bool = False,
) -> RuleImport:
    """Import rule periods, all or nothing, idempotent (key: code and start date).

    A stored period with the same key and other values is updated; every problem (bad
    value, unknown code, overlap within the file or with the stored periods) is reported
    as ``FILE:LINE: reason`` (FileErrors, exit 2) and nothing is written.
    """
    problems: list[str] = []
    parsed: list[tuple[int, ActRulePeriod]] = []
    for line, cells in records:
        try:
            parsed.append((line, parse_period(cells)))
        except InvalidInput as exc:
            problems.append(f"{filename}:{line}: {exc.message}")
    if problems:
        raise FileErrors(problems)
    stored: dict[str, dict[date, ActRule]] = {}
    known: set[str] = set()
    for line, period in parsed:
        if period.code in known or period.code in stored:
            continue
        try:
            get_act(session=session, code=period.code)
        except NotFound as exc:  # one line per unknown code
            problems.append(f"{filename}:{line}: {exc.message}")
            known.add(period.code)
            continue
        stored[period.code] = {r.valid_from: r for r in _rows_of(session, period.code)}
    inserts: list[ActRulePeriod] = []
    updates: list[tuple[ActRule, ActRulePeriod]] = []
    unchanged = 0
    seen: dict[tuple[str, date], int] = {}
    for line, period in parsed:
        if period.code not in stored:
            continue
        key = (period.code, period.valid_from)
        if key in seen:
            problems.append(f"{filename}:{line}: {period.code} {period.valid_from} repeats "
                            f"line {seen[key]}")  # fmt: skip
            continue
        seen[key] = line
        old = stored[period.code].get(period.valid_from)
        if old is None:
            inserts.append(period)
        else:
            # a file without a source keeps the stored one (idempotent re-import)
            wanted = period if period.source else replace(period, source=old.source)
            if _period(old) != wanted:
                updates.append((old, wanted))
            else:
                unchanged += 1
            continue
    for code, rows in stored.items():
        after = {r.valid_from: _period(r) for r in rows.values()}
        for period in [*inserts, *(p for _, p in updates)]:
            if period.code == code:
                after[period.valid_from] = period
        clash = overlapping(after.values())
        if clash is not None:
            first, second = clash
            line = seen.get((code, second.valid_from)) or seen.get((code, first.valid_from), 1)
            problems.append(
                f"{filename}:{line}: act rules of {code}: {second.valid_from} overlaps the "
                f"period from {first.valid_from}"
            )
    if problems:
        raise FileErrors(problems)
    changes = tuple(
        [f"+ act_rule {p.code} {p.valid_from}: {p.summary()}" for p in inserts]
        + [f"~ act_rule {p.code} {p.valid_from}: {p.summary()}" for _, p in updates]
    )
    if not dry_run and (inserts or updates):
        batch = ImportBatch(
            kind="act_rules", filename=Path(filename).name, sha256="", at=now(),
            operator=current_actor().operator, inserted=len(inserts), updated=len(updates),
            unchanged=unchanged,
        )  # fmt: skip
        session.add(batch)
        session.flush()
        source = f"import {Path(filename).name}"
        for period in inserts:
            session.add(
                ActRule(**_columns_of(period), source=period.source or source, batch_id=batch.id)
            )
        for old, period in updates:
            before = period_record(_period(old))
            for name, value in _columns_of(period).items():
                setattr(old, name, value)
            old.source = period.source or source
            session.add(old)
            record_change(
                session=session, entity="act_rule", key=f"{period.code} {period.valid_from}",
                action="update", before=before, after=period_record(_period(old)),
            )  # fmt: skip
        session.flush()
        record_change(
            session=session, entity="import_batch", key=str(batch.id), action="insert",
            after={"file": filename, "inserted": len(inserts), "updated": len(updates),
                   "unchanged": unchanged},
        )  # fmt: skip
    return RuleImport(filename, len(inserts), len(updates), unchanged, dry_run, changes)
