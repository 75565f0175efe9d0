"""The audit log: every write records who, when, which command, and before/after.

The CLI sets the actor once per command (``set_actor``); services call ``record_change``
(or ``record_changes`` for bulk imports) inside the caller's transaction, so a change and
its audit rows commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from inami_cli.db.models import AuditEntry, ConsultationLog
from inami_cli.domain.jsonfmt import dumps, plain
from inami_cli.services.bulkio import insert_rows


@dataclass(frozen=True)
class Actor:
    """Who is acting: the OS user, the command line (passwords already masked) and the
    operator declared in the configuration (``[audit] operator``, recorded beside)."""

    operator: str
    command: str
    declared: str = ""


_UNKNOWN = Actor("unknown", "")
_ACTOR: ContextVar[Actor] = ContextVar("inami_actor", default=_UNKNOWN)


def set_actor(operator: str, command: str, declared: str = "") -> None:
    """Set the author of the changes made from now on in this context: *operator* is the
    OS user, *declared* the operator named in the configuration (may be empty)."""
    _ACTOR.set(Actor(operator, command, declared))


def current_actor() -> Actor:
    """The author of the changes being made."""
    return _ACTOR.get()


def now() -> datetime:
    """The time stamp of a change: aware, UTC, to the second (sqlmodel stores it as UTC)."""
    return datetime.now(UTC).replace(microsecond=0)


def _snapshot(data: Mapping[str, Any] | str | None) -> str | None:
    """The JSON text of *data*; text already written as JSON is kept (bulk writers)."""
    if data is None or isinstance(data, str):
        return data
    return dumps(plain(dict(data)), keep_empty=True)


def record_change(
    *,
    session: Session,
    entity: str,
    key: str,
    action: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Add one audit row for a change of *entity* identified by *key*."""
    actor = current_actor()
    session.add(
        AuditEntry(
            at=now(),
            operator=actor.operator,
            declared_operator=actor.declared,
            command=actor.command,
            action=action,
            entity=entity,
            key=key,
            before_json=_snapshot(before),
            after_json=_snapshot(after),
        )
    )


_AUDIT_COLUMNS = (
    "at",
    "operator",
    "declared_operator",
    "command",
    "action",
    "entity",
    "key",
    "before_json",
    "after_json",
)


def record_changes(
    *,
    session: Session,
    changes: Iterable[
        tuple[str, str, str, Mapping[str, Any] | str | None, Mapping[str, Any] | str | None]
    ],
) -> int:
    """Bulk form for imports: ``(entity, key, action, before, after)`` tuples; one INSERT.

    *before* and *after* may be JSON text already (as ``_snapshot`` would write it).
    """
    actor = current_actor()
    stamp = now()
    rows = [
        (
            stamp,
            actor.operator,
            actor.declared,
            actor.command,
            action,
            entity,
            key,
            _snapshot(before),
            _snapshot(after),
        )
        for entity, key, action, before, after in changes
    ]
    # straight to the driver (executemany on SQLite, COPY on PostgreSQL): a Core insert of
    # the same rows cost ~10 µs a row more, the ORM's ~40 (issue 19: 100 000 audit rows
    # on a 200 000-row tariff import)
    insert_rows(session, AuditEntry.__table__, _AUDIT_COLUMNS, rows)  # type: ignore[attr-defined]
    return len(rows)


def log_consultation(
    *, session: Session, subject: str, answer: Mapping[str, Any], at: datetime | None = None
) -> None:
    """Keep a read answer in the consultation log (when ``[audit] log_consultations``).

    *at*: when the answer was given, if it is logged later (the desk's queue).
    """
    actor = current_actor()
    session.add(
        ConsultationLog(
            at=at or now(),
            operator=actor.operator,
            declared_operator=actor.declared,
            command=actor.command,
            subject=subject,
            answer_json=dumps(plain(dict(answer)), keep_empty=True),
        )
    )


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as shown by ``inami audit log``."""

    id: int
    at: datetime
    operator: str
    action: str
    declared_operator: str
    entity: str
    key: str
    command: str
    before: str | None
    after: str | None


def list_entries(
    *,
    session: Session,
    since: date | None = None,
    entity: str | None = None,
    key: str | None = None,
    limit: int = 100,
) -> list[AuditRow]:
    """The newest audit entries first, filtered.

    *key* matches a whole key or its first word: a dated thing's key is ``"ID FROM"``
    (a tariff period ``"101076 2026-01-01"``, an affiliation ``"NISS FROM"``), so the code
    or the NISS alone finds every period of it.
    """
    query = select(AuditEntry)
    if since is not None:
        start = datetime.combine(since, datetime.min.time(), tzinfo=UTC)
        query = query.where(col(AuditEntry.at) >= start)
    if entity is not None:
        query = query.where(col(AuditEntry.entity) == entity)
    if key is not None:
        key = key.strip()
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(
            or_(col(AuditEntry.key) == key, col(AuditEntry.key).like(escaped + " %", escape="\\"))
        )
    query = query.order_by(col(AuditEntry.id).desc()).limit(limit)
    return [
        AuditRow(
            id=e.id or 0,
            at=e.at,
            operator=e.operator,
            action=e.action,
            declared_operator=e.declared_operator,
            entity=e.entity,
            key=e.key,
            command=e.command,
            before=e.before_json,
            after=e.after_json,
        )
        for e in session.exec(query)
    ]
