"""A decision's tariff changes: checked as the nomenclature import would, stored, found by
code, and applied to the nomenclature.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlmodel import Session, col, select

from inami_cli.db.models import DecisionTariffChange, DossierStep
from inami_cli.domain.errors import Conflict, FileErrors, InvalidInput
from inami_cli.domain.nomenclature import check_columns, group_rows, parse_tariff_row
from inami_cli.services.audit import now, record_change
from inami_cli.services.committees._common import _decision
from inami_cli.services.committees._views import ApplySummary

TariffRows = Sequence[tuple[int, dict[str, str]]]


def check_tariff_rows(rows: TariffRows, *, filename: str) -> list[dict[str, str]]:
    """Validate a decision's tariff rows as the nomenclature import would (no write).

    Returns the rows as plain dicts; ``FileErrors`` (``FILE:LINE: reason``) otherwise.
    """
    rows = list(rows)
    if not rows:
        raise FileErrors([f"{filename}:1: no tariff row"])
    problems = [f"{filename}:1: {p}" for p in check_columns([k for k in rows[0][1] if k])]
    parsed = []
    for line, row in rows:
        try:
            parsed.append(parse_tariff_row(line, row))
        except InvalidInput as exc:
            problems.append(f"{filename}:{line}: {exc.message}")
    if not problems:
        problems.extend(
            f"{filename}:{line}: {reason}" for line, reason in group_rows(parsed).problems
        )
    if problems:
        raise FileErrors(problems)
    return [{k: (v or "").strip() for k, v in row.items() if k} for _, row in rows]


def read_tariff_file(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Read a tariff file (CSV or JSON, the nomenclature import columns) as ``(line, row)``."""
    from inami_cli.services.nomenclature import read_table

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.strerror or exc}") from None
    return list(read_table(data, str(path)))


def _tariff_changes(session: Session, decision_id: int) -> list[tuple[int, dict[str, str]]]:
    rows = session.exec(
        select(DecisionTariffChange)
        .where(DecisionTariffChange.decision_id == decision_id)
        .order_by(col(DecisionTariffChange.line))
    ).all()
    return [(r.line, json.loads(r.row_json)) for r in rows]


def _store_changes(
    session: Session, decision_id: int, rows: Sequence[dict[str, str]], lines: Sequence[int]
) -> None:
    for old in session.exec(
        select(DecisionTariffChange).where(DecisionTariffChange.decision_id == decision_id)
    ).all():
        session.delete(old)
    session.flush()
    session.add_all(
        DecisionTariffChange(
            decision_id=decision_id, line=line, row_json=json.dumps(row, sort_keys=True)
        )
        for line, row in zip(lines, rows, strict=True)
    )
    session.flush()


def _decisions_touching(session: Session, code: str) -> list[int]:
    ids: set[int] = set()
    # The row is stored as sorted-key JSON; a LIKE narrows the rows, the parse confirms.
    for change in session.exec(
        select(DecisionTariffChange).where(col(DecisionTariffChange.row_json).contains(code))
    ).all():
        if json.loads(change.row_json).get("code") == code:
            ids.add(change.decision_id)
    for step in session.exec(
        select(DossierStep).where(col(DossierStep.codes).contains(code))
    ).all():
        if code in step.codes.split() and step.decision_id:
            ids.add(step.decision_id)
    return sorted(ids)


def apply_decision(
    *,
    session: Session,
    number: str,
    dry_run: bool = False,
    correct: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
) -> ApplySummary:
    """Put an adopted decision's tariff changes into the nomenclature (idempotent).

    Each tariff written carries the decision number as its source and the decision id;
    a second application changes nothing. A rejected or draft decision is refused (exit 4).
    A period overlapping a recorded one is refused (exit 2, ``FILE:LINE``) unless *correct*:
    the overlapped versions are then kept as superseded, the new ones linked to the decision.
    """
    from inami_cli.services.nomenclature import import_rows

    decision = _decision(session, number)
    if decision.state != "adopted":
        why = f" ({decision.outcome_reason})" if decision.outcome_reason else ""
        raise Conflict(
            f"{decision.number} is {decision.state}{why}: only an adopted decision applies"
        )
    rows = _tariff_changes(session, decision.id or 0)
    if not rows:
        raise Conflict(f"{decision.number} enacts no tariff change")
    # Every tariff a decision sets names the decision as its source, whatever the file said.
    rows = [(line, {**row, "source": decision.number}) for line, row in rows]
    summary = import_rows(
        session=session,
        rows=rows,
        filename=f"decision {decision.number}",
        source_kind="decision",
        source=decision.number,
        decision_id=decision.id,
        dry_run=dry_run,
        correct=correct,
        progress=progress,
    )
    inserted, updated, unchanged = summary.inserted, summary.updated, summary.unchanged
    if not dry_run and decision.applied_at is None:
        decision.applied_at = now()
        session.add(decision)
        session.flush()
        record_change(
            session=session,
            entity="decision",
            key=decision.number,
            action="update",
            before={"applied_at": None},
            after={"applied_at": decision.applied_at, "inserted": inserted, "updated": updated},
        )
    return ApplySummary(
        number=decision.number,
        rows=len(rows),
        inserted=inserted,
        updated=updated,
        unchanged=unchanged,
        applied_at=decision.applied_at,
        dry_run=dry_run,
        diff=summary.diff,
        warnings=summary.warnings,
    )
