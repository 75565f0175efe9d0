"""Each provider's adherence to an agreement: full (the default when nothing is recorded),
partial with declared time blocks (validated: GP at most 3 blocks a week, specialist at
most 4 and ambulatory only, each at most 4 consecutive hours), or refused; set one, list
them, import a list (CSV or JSON through ``inami_cli.tabular``), all audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlmodel import Session, col

from inami_cli.db.models import Adherence, Agreement, Provider, ProviderQualification
from inami_cli.domain import providers as rules
from inami_cli.domain.dates import format_period, parse_date
from inami_cli.domain.errors import Conflict, FileConflicts, FileErrors, InvalidInput, NotFound
from inami_cli.services.audit import record_change, record_changes
from inami_cli.services.providers._common import _ADH, _QUAL, _provider, label_of
from inami_cli.services.providers._imports import (
    Change,
    ImportReport,
    Source,
    finish_batch,
    new_batch,
)
from inami_cli.services.providers._views import AdherenceView, _adherence_view
from inami_cli.tabular import Columns

_FIELDS = ("status", "effective_from", "registered_on", "blocks", "source")


def _snapshot(row: Adherence) -> dict[str, Any]:
    return {f: getattr(row, f) for f in _FIELDS}


@dataclass(frozen=True)
class _Checked:
    """One adherence, validated, ready to store."""

    status: str
    effective_from: date
    blocks: str


def _role_on(session: Session, provider: Provider, on: date) -> str | None:
    """The role (gp, specialist, ...) of the qualification in force on *on*, else of the
    latest one."""
    rows = list(
        session.execute(
            select(ProviderQualification)
            .where(_QUAL.nihii == provider.nihii)
            .order_by(_QUAL.valid_from)
        ).scalars()
    )
    chosen = next(
        (q for q in rows if q.valid_from <= on and (q.valid_to is None or on <= q.valid_to)),
        rows[-1] if rows else None,
    )
    label = label_of(provider.profession, chosen.code if chosen else None)
    return label.role if label is not None else None


def check_adherence(
    agreement: Agreement,
    provider: Provider,
    *,
    status: str,
    blocks: str | None,
    effective_from: date | None,
    role: str | None,
) -> _Checked:
    """Validate an adherence against the agreement and the partial-adherence rules:
    InvalidInput (exit 2) for malformed values, Conflict (exit 4) for a rule broken."""
    value = status.strip().lower()
    value = {"conventioned": "full", "partially": "partial", "non-conventioned": "refused"}.get(
        value, value
    )
    if value not in rules.ADHERENCE_STATUSES:
        raise InvalidInput(f"status {status!r}: use one of {', '.join(rules.ADHERENCE_STATUSES)}")
    if provider.profession != agreement.profession:
        raise Conflict(
            f"agreement {agreement.key} is for {agreement.profession}s; provider "
            f"{rules.format_nihii(provider.nihii)} is a {provider.profession}"
        )
    start = effective_from or agreement.valid_from
    if start < agreement.valid_from or (
        agreement.valid_to is not None and start > agreement.valid_to
    ):
        raise InvalidInput(
            f"effective date {start} is outside agreement {agreement.key} "
            f"{format_period(agreement.valid_from, agreement.valid_to)}"
        )
    parsed = rules.parse_blocks(blocks) if blocks and blocks.strip() else ()
    if value != "partial":
        if parsed:
            raise InvalidInput("--blocks only with a partial adherence")
        return _Checked(value, start, "")
    if agreement.profession != "doctor":
        # Partial adherence with declared blocks is the doctors' agreement's (CM,
        # voorwaarden gedeeltelijke conventionering); no source gives it elsewhere.
        raise Conflict(
            f"partial adherence is refused: it exists in the doctors' agreement only "
            f"(agreement {agreement.key} is for {agreement.profession}s)"
        )
    rule = rules.block_rule(role)
    problems = rules.block_violations(parsed, rule)
    if problems:
        raise Conflict("partial adherence refused: " + "; ".join(problems))
    return _Checked(value, start, rules.format_blocks(parsed))


def foreign_adherences(session: Session, nihii: str, profession: str) -> list[str]:
    """The provider's answers to agreements of another profession than *profession*
    (``agreement: status``), the ones a change of profession would orphan."""
    rows = session.execute(
        select(col(Adherence.agreement_key), col(Adherence.status), col(Agreement.profession))
        .join(Agreement, col(Agreement.key) == col(Adherence.agreement_key))
        .where(col(Adherence.nihii) == nihii)
        .order_by(col(Adherence.agreement_key))
    ).all()
    return [f"{key}: {status}" for key, status, job in rows if job != profession]


def profession_change_conflict(session: Session, nihii: str, old: str, new: str) -> str | None:
    """Why *nihii* cannot change from *old* to *new* profession, or None.

    An adherence belongs to an agreement of the provider's profession (``check_adherence``);
    a change of profession would leave the provider with the other profession's answers,
    e.g. a "partially conventioned" physiotherapist, a status physiotherapists cannot have
    (partial adherence is the doctors' agreement's: CM, voorwaarden gedeeltelijke
    conventionering [MUT], providers.md §7.1 rows 4-5; issue 14)."""
    if new == old:
        return None
    found = foreign_adherences(session, nihii, new)
    if not found:
        return None
    partial = any(text.endswith(": partial") for text in found)
    why = f"; a {new} cannot be partially conventioned" if partial and new != "doctor" else ""
    return (
        f"provider {rules.format_nihii(nihii)} answered {old}s' agreements "
        f"({', '.join(found)}): its profession cannot become {new}{why}"
    )


def _agreement(session: Session, key: str) -> Agreement:
    row = session.get(Agreement, key.strip())
    if row is None:
        raise NotFound(f"no agreement {key.strip()!r}", hint="see `inami agreement list`")
    return row


def adherence_set(
    *,
    session: Session,
    agreement: str,
    nihii: str,
    status: str,
    blocks: str | None = None,
    effective_from: date | None = None,
    registered_on: date | None = None,
    source: str = "operator",
) -> AdherenceView:
    """Record (or change) a provider's answer to an agreement (audited)."""
    agr = _agreement(session, agreement)
    provider, _parsed = _provider(session, nihii)
    role = _role_on(session, provider, effective_from or agr.valid_from)
    checked = check_adherence(
        agr, provider, status=status, blocks=blocks, effective_from=effective_from, role=role
    )
    row = session.execute(
        select(Adherence).where(_ADH.agreement_key == agr.key, _ADH.nihii == provider.nihii)
    ).scalar_one_or_none()
    values: dict[str, Any] = {
        "status": checked.status,
        "effective_from": checked.effective_from,
        "registered_on": registered_on or date.today(),
        "blocks": checked.blocks,
        "source": source,
    }
    key = f"{agr.key} {provider.nihii}"
    if row is None:
        row = Adherence(agreement_key=agr.key, nihii=provider.nihii, **values)
        session.add(row)
        session.flush()
        record_change(
            session=session, entity="adherence", key=key, action="insert", after=_snapshot(row)
        )
        return _adherence_view(row)
    before = _snapshot(row)
    for name, value in values.items():
        setattr(row, name, value)
    if _snapshot(row) != before:
        session.add(row)
        session.flush()
        record_change(
            session=session, entity="adherence", key=key, action="update", before=before,
            after=_snapshot(row),
        )  # fmt: skip
    return _adherence_view(row)


def adherence_list(
    *, session: Session, agreement: str | None = None, nihii: str | None = None,
    status: str | None = None,
) -> list[AdherenceView]:  # fmt: skip
    """Recorded answers, by agreement, provider or status (those who recorded nothing
    are fully conventioned and not listed)."""
    query = select(Adherence).order_by(_ADH.agreement_key, _ADH.nihii)
    if agreement is not None:
        query = query.where(_ADH.agreement_key == _agreement(session, agreement).key)
    if nihii is not None:
        query = query.where(_ADH.nihii == rules.parse_nihii(nihii, allow_root=True).root)
    if status is not None:
        value = status.strip().lower()
        if value not in rules.ADHERENCE_STATUSES:
            raise InvalidInput(
                f"--status {status!r}: use one of {', '.join(rules.ADHERENCE_STATUSES)}"
            )
        query = query.where(_ADH.status == value)
    return [_adherence_view(r) for r in session.execute(query).scalars()]


ADHERENCE_COLUMNS = Columns(
    required=("agreement", "nihii", "status"),
    optional=("effective_from", "registered_on", "blocks"),
    aliases={"riziv": "nihii", "inami": "nihii", "agreement_key": "agreement", "statut": "status"},
)


def import_adherence(
    *,
    session: Session,
    binary: IO[bytes],
    filename: str,
    encoding: str = "utf-8",
    dry_run: bool = False,
) -> ImportReport:
    """Import answers ``agreement, nihii, status[, effective_from, registered_on,
    blocks]``, all or nothing, idempotent (key: agreement and provider). Malformed rows
    are exit 2, broken rules (blocks, profession) exit 4, every one as ``FILE:LINE``."""
    src = Source(binary, filename, ADHERENCE_COLUMNS, encoding)
    agreements = {a.key: a for a in session.execute(select(Agreement)).scalars()}
    providers = {p.nihii: p for p in session.execute(select(Provider)).scalars()}
    stored = {(r.agreement_key, r.nihii): r for r in session.execute(select(Adherence)).scalars()}
    problems: list[str] = []
    conflicts: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    planned: list[tuple[int, Agreement, Provider, dict[str, Any]]] = []
    for line, rec in src.table.records():
        where = f"{filename}:{line}"
        try:
            agr = agreements.get(rec["agreement"].strip())
            if agr is None:
                raise InvalidInput(f"unknown agreement {rec['agreement'].strip()!r}")
            root = rules.parse_nihii(rec["nihii"], allow_root=True).root
            provider = providers.get(root)
            if provider is None:
                raise InvalidInput(f"provider {rules.format_nihii(root)} is not in the register")
            start = _optional(rec.get("effective_from", ""), "effective_from")
            registered = _optional(rec.get("registered_on", ""), "registered_on")
            checked = check_adherence(
                agr, provider, status=rec["status"], blocks=rec.get("blocks", ""),
                effective_from=start,
                role=_role_on(session, provider, start or agr.valid_from),
            )  # fmt: skip
        except Conflict as exc:
            conflicts.append(f"{where}: {exc.message}")
            continue
        except InvalidInput as exc:
            problems.append(f"{where}: {exc.message}")
            continue
        pair = (agr.key, root)
        if pair in seen:
            problems.append(f"{where}: {agr.key} {root} repeats line {seen[pair]}")
            continue
        seen[pair] = line
        values: dict[str, Any] = {
            "status": checked.status,
            "effective_from": checked.effective_from,
            "registered_on": registered,
            "blocks": checked.blocks,
        }
        planned.append((line, agr, provider, values))
    if problems:
        raise FileErrors(problems + conflicts)
    if conflicts:
        raise FileConflicts(conflicts)
    inserted = updated = unchanged = 0
    changes: list[Change] = []
    audit: list[tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]] = []
    batch: list[int] = []  # the import batch, made with the first change (none: no batch)

    def batch_id() -> int:
        if not batch:
            batch.append(new_batch(session, "adherence", src))
        return batch[0]

    source = f"import {Path(filename).name}"
    for _line, agr, provider, values in planned:
        key = f"{agr.key} {provider.nihii}"
        old = stored.get((agr.key, provider.nihii))
        if old is None:
            inserted += 1
            text = f"{values['status']} from {values['effective_from']} {values['blocks']}"
            changes.append(Change("insert", "adherence", key, text.strip()))
            if not dry_run:
                values["registered_on"] = values["registered_on"] or date.today()
                row = Adherence(
                    agreement_key=agr.key, nihii=provider.nihii, source=source,
                    batch_id=batch_id(), **values,
                )  # fmt: skip
                session.add(row)
                audit.append(("adherence", key, "insert", None, _snapshot(row)))
            continue
        compare = {k: v for k, v in values.items() if k != "registered_on" or v is not None}
        before = {k: getattr(old, k) for k in compare}
        if before == compare:
            unchanged += 1
            continue
        updated += 1
        diff = ", ".join(f"{k}: {before[k]} -> {v}" for k, v in compare.items() if before[k] != v)
        changes.append(Change("update", "adherence", key, diff))
        if not dry_run:
            full_before = _snapshot(old)
            for name, value in compare.items():
                setattr(old, name, value)
            old.source = source
            session.add(old)
            audit.append(("adherence", key, "update", full_before, _snapshot(old)))
    if not dry_run and audit:
        session.flush()
        finish_batch(session, batch_id(), inserted, updated, unchanged)
        summary = {"file": filename, "inserted": inserted, "updated": updated}
        record_changes(
            session=session, changes=[*audit, ("import_batch", str(batch_id()), "insert", None,
                                                summary)],
        )  # fmt: skip
    return ImportReport(
        filename=filename,
        inserted=inserted,
        updated=updated,
        unchanged=unchanged,
        dry_run=dry_run,
        batch_id=batch[0] if batch else None,
        changes=tuple(changes) if dry_run else (),
    )


def _optional(text: str, what: str) -> date | None:
    value = (text or "").strip()
    return parse_date(value, what=what) if value else None
