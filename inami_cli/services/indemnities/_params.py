"""``inami indemnity params``: list, set and import dated parameters (audited), and the
shipped reference rows loaded by ``inami init``."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import IndemnityParam
from inami_cli.domain import indemnities as rules
from inami_cli.domain.errors import Conflict, FileErrors, InamiError
from inami_cli.domain.indemnities import Param
from inami_cli.services.audit import record_change, record_changes
from inami_cli.services.indemnities._store import (
    _P,
    PARAM_COLUMNS,
    REFERENCE_FILE,
    param_dict,
    param_from_cells,
)
from inami_cli.tabular import open_binary, read_table

PARAM_FIELDS = ("name", "valid_from", "valid_to", "value", "unit", "reliability", "source", "note")


@dataclass(frozen=True)
class ParamView:
    """A parameter row as listed."""

    name: str
    valid_from: date
    valid_to: date | None
    value: str
    unit: str
    reliability: str
    source: str
    note: str
    origin: str

    def as_record(self) -> dict[str, Any]:
        """The JSON contract of ``params list``."""
        return {
            "name": self.name,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "value": self.value,
            "unit": self.unit,
            "reliability": self.reliability,
            "source": self.source,
            "note": self.note,
            "origin": self.origin,
        }


def _view(row: IndemnityParam) -> ParamView:
    return ParamView(
        row.name, row.valid_from, row.valid_to, row.value, row.unit, row.reliability,
        row.source, row.note or "", row.origin,
    )  # fmt: skip


def params_list(
    *,
    session: Session,
    on: date | None = None,
    pattern: str | None = None,
    reliability: str | None = None,
) -> list[ParamView]:
    """Parameter rows, by name then date: in force on *on*, names matching *pattern* (a
    glob such as ``employee.*`` or a plain substring), of one reliability."""
    query = select(IndemnityParam).order_by(_P.name, _P.valid_from)
    if on is not None:
        query = query.where(_P.valid_from <= on, (_P.valid_to.is_(None)) | (_P.valid_to >= on))
    if reliability is not None:
        query = query.where(_P.reliability == rules.check_choice(
            reliability, rules.RELIABILITIES, "--reliability"))  # fmt: skip
    rows = [_view(r) for r in session.execute(query).scalars()]
    if pattern:
        glob = pattern if any(c in pattern for c in "*?[") else f"*{pattern}*"
        rows = [r for r in rows if fnmatch.fnmatchcase(r.name, glob)]
    return rows


def _rows_named(session: Session, name: str) -> list[IndemnityParam]:
    query = select(IndemnityParam).where(_P.name == name).order_by(_P.valid_from)
    return list(session.execute(query).scalars())


def _check_overlap(new: Param, others: Iterable[Param | IndemnityParam]) -> None:
    for row in others:
        if row.valid_from == new.valid_from:
            continue
        end = row.valid_to or date.max
        new_end = new.valid_to or date.max
        if row.valid_from <= new_end and new.valid_from <= end:
            period = f"{row.valid_from}..{row.valid_to or ''}"
            raise Conflict(
                f"{new.name}: period {new.valid_from}..{new.valid_to or ''} overlaps the row "
                f"{period} (value {row.value})",
                hint=f"end that row first: params set {new.name} --from {row.valid_from} --to ...",
            )


def params_set(
    *, session: Session, param: Param, origin: str = "operator"
) -> tuple[str, ParamView]:
    """Insert a row, or replace the row of the same name and start (audited); a period that
    overlaps another row of the name is a Conflict (exit 4). Returns (action, row)."""
    existing = _rows_named(session, param.name)
    _check_overlap(param, existing)
    same = next((r for r in existing if r.valid_from == param.valid_from), None)
    if same is None:
        row = IndemnityParam(**param_dict(param), origin=origin)
        session.add(row)
        session.flush()
        record_change(
            session=session, entity="indemnity_param", key=f"{param.name} {param.valid_from}",
            action="insert", after=param_dict(param),
        )  # fmt: skip
        return "inserted", _view(row)
    before = param_dict(same)
    if before == param_dict(param):
        return "unchanged", _view(same)
    for key, value in param_dict(param).items():
        setattr(same, key, value)
    same.origin = origin
    session.add(same)
    session.flush()
    record_change(
        session=session, entity="indemnity_param", key=f"{param.name} {param.valid_from}",
        action="update", before=before, after=param_dict(param),
    )  # fmt: skip
    return "updated", _view(same)


@dataclass
class ParamImport:
    """What an import did (or would do with ``--dry-run``)."""

    filename: str
    dry_run: bool
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[tuple[str, str]] = field(default_factory=list)  # (action, "name from: value")

    def counts(self) -> dict[str, Any]:
        """The summary object."""
        return {
            "file": self.filename,
            "dry_run": self.dry_run,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def params_import(
    *,
    session: Session,
    path: str,
    dry_run: bool = False,
    encoding: str = "utf-8",
    origin: str | None = None,
    keep_operator_rows: bool = False,
) -> ParamImport:
    """Import rows (name, valid_from, valid_to, value, unit, source, reliability[, note]) all
    or nothing: every bad line is ``FILE:LINE: reason`` (exit 2), an overlap with a stored
    or another imported row is a Conflict naming the line (exit 4); idempotent."""
    problems: list[str] = []
    parsed: list[tuple[int, Param]] = []
    seen: dict[tuple[str, date], int] = {}
    with open_binary(path) as binary:
        table = read_table(binary, filename=path, spec=PARAM_COLUMNS, encoding=encoding)
        for line, cells in table.records():
            try:
                param = param_from_cells(cells)
            except InamiError as exc:
                problems.append(f"{path}:{line}: {exc.message}")
                continue
            key = (param.name, param.valid_from)
            if key in seen:
                problems.append(f"{path}:{line}: {param.name} {param.valid_from} already on "
                                f"line {seen[key]}")  # fmt: skip
                continue
            seen[key] = line
            parsed.append((line, param))
    if problems:
        raise FileErrors(problems)
    report = ParamImport(filename=path, dry_run=dry_run)
    stored: dict[str, list[IndemnityParam]] = {}
    for row in session.execute(select(IndemnityParam)).scalars():
        stored.setdefault(row.name, []).append(row)
    incoming: dict[str, list[Param]] = {}
    for _line, param in parsed:
        incoming.setdefault(param.name, []).append(param)
    for line, param in parsed:
        kept = [r for r in stored.get(param.name, ()) if (r.name, r.valid_from) not in seen]
        try:
            _check_overlap(param, [*kept, *(p for p in incoming[param.name] if p is not param)])
        except Conflict as exc:
            raise Conflict(f"{path}:{line}: {exc.message}") from None
    audit: list[tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]] = []
    source = origin or f"import {path}"
    for _line, param in parsed:
        same = next((r for r in stored.get(param.name, ()) if r.valid_from == param.valid_from),
                    None)  # fmt: skip
        after = param_dict(param)
        label = f"{param.name} {param.valid_from}"
        if same is None:
            report.inserted += 1
            report.changes.append(("insert", f"{label}: {param.value}"))
            audit.append(("indemnity_param", label, "insert", None, after))
            if not dry_run:
                session.add(IndemnityParam(**after, origin=source))
            continue
        before = param_dict(same)
        if before == after or (keep_operator_rows and same.origin != "reference"):
            report.unchanged += 1
            continue
        report.updated += 1
        report.changes.append(("update", f"{label}: {same.value} -> {param.value}"))
        audit.append(("indemnity_param", label, "update", before, after))
        if not dry_run:
            for name, value in after.items():
                setattr(same, name, value)
            same.origin = source
            session.add(same)
    if not dry_run:
        session.flush()
        record_changes(session=session, changes=audit)
    return report


def load_reference(*, session: Session) -> int:
    """The shipped parameter rows (idempotent; rows an operator changed are kept)."""
    report = params_import(
        session=session, path=str(REFERENCE_FILE), origin="reference", keep_operator_rows=True
    )
    return report.inserted + report.updated
