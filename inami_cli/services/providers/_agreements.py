"""Agreements (accords for doctors, conventions for the other professions) as dated objects
per profession: add, show, list, update, and the real ones seeded from
``inami_cli/data/agreements.csv``. Two agreements of one profession never overlap (a gap,
when none was in force, is simply no row)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import Agreement, Decision
from inami_cli.domain import providers as rules
from inami_cli.domain.dates import format_period, parse_date
from inami_cli.domain.errors import Conflict, InvalidInput, NotFound
from inami_cli.services.audit import record_change
from inami_cli.services.providers._common import _AGR, _shipped_rows
from inami_cli.services.providers._views import AgreementView, agreement_views
from inami_cli.tabular import Columns

KINDS = ("accord", "convention")
_FIELDS = (
    "profession", "kind", "title", "valid_from", "valid_to", "concluded_on", "concluded_by",
    "decision_id", "published_on", "indexation", "reliability", "source", "note",
)  # fmt: skip


def _snapshot(row: Agreement) -> dict[str, Any]:
    return {f: getattr(row, f) for f in _FIELDS}


def _agreement(session: Session, key: str) -> Agreement:
    row = session.get(Agreement, key.strip())
    if row is None:
        raise NotFound(f"no agreement {key.strip()!r}", hint="see `inami agreement list`")
    return row


def _check_indexation(text: str | None) -> str:
    if text is None or not text.strip():
        return ""
    from decimal import Decimal

    from inami_cli.domain.values import parse_number

    value = text.strip().rstrip("%").strip().replace(",", ".")
    bound = Decimal(100)
    parse_number(
        value, what="--indexation", low=-bound, high=bound, low_open=False, high_open=False
    )
    return value


def _decision_id(session: Session, number: str | None) -> int | None:
    if number is None or not number.strip():
        return None
    dec = Decision.__table__.c  # type: ignore[attr-defined]
    found = session.execute(select(dec.id).where(dec.number == number.strip())).scalar_one_or_none()
    if found is None:
        raise NotFound(
            f"no committee decision {number.strip()!r}", hint="see `inami decision list`"
        )
    return int(found)


def _check_overlap(session: Session, row: Agreement) -> None:
    others = session.execute(
        select(Agreement).where(_AGR.profession == row.profession, _AGR.key != row.key)
    ).scalars()
    end = row.valid_to or date.max
    for other in others:
        if row.valid_from <= (other.valid_to or date.max) and other.valid_from <= end:
            raise Conflict(
                f"agreement {row.key} {format_period(row.valid_from, row.valid_to)} overlaps "
                f"{other.key} {format_period(other.valid_from, other.valid_to)} "
                f"({row.profession})",
                hint="two agreements of one profession never overlap",
            )


def agreement_add(
    *,
    session: Session,
    key: str,
    profession: str,
    valid_from: date,
    valid_to: date | None = None,
    kind: str = "accord",
    title: str = "",
    concluded_on: date | None = None,
    concluded_by: str = "",
    decision: str | None = None,
    published_on: date | None = None,
    indexation: str | None = None,
    reliability: str = "",
    source: str = "operator",
    note: str = "",
) -> AgreementView:
    """Record an agreement (Conflict when the key exists or it overlaps another of the same
    profession; NotFound for an unknown decision number)."""
    name = key.strip()
    if not name or len(name.split()) != 1:
        raise InvalidInput(f"agreement key {key!r}: one word, e.g. doctors-2028-2029")
    if session.get(Agreement, name) is not None:
        raise Conflict(f"agreement {name} already exists", hint="use `inami agreement update`")
    if kind not in KINDS:
        raise InvalidInput(f"--kind {kind!r}: use one of {', '.join(KINDS)}")
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(f"--to {valid_to} is before --from {valid_from}")
    row = Agreement(
        key=name, profession=rules.check_profession(profession), kind=kind, title=title.strip(),
        valid_from=valid_from, valid_to=valid_to, concluded_on=concluded_on,
        concluded_by=concluded_by.strip(), decision_id=_decision_id(session, decision),
        published_on=published_on, indexation=_check_indexation(indexation),
        reliability=reliability.strip(), source=source.strip(), note=note.strip(),
    )  # fmt: skip
    _check_overlap(session, row)
    session.add(row)
    session.flush()
    record_change(
        session=session, entity="agreement", key=name, action="insert", after=_snapshot(row)
    )
    return agreement_views(session, [row])[0]


def agreement_update(
    *,
    session: Session,
    key: str,
    changes: dict[str, Any],
) -> AgreementView:
    """Change an agreement's fields (``valid_to``, ``decision`` (a number, ``""`` to
    unlink), ``title``, ...); the period is checked again for overlaps. Audited."""
    row = _agreement(session, key)
    before = _snapshot(row)
    for name, value in changes.items():
        if name == "decision":
            row.decision_id = _decision_id(session, value)
        elif name == "indexation":
            row.indexation = _check_indexation(value)
        elif name == "profession":
            row.profession = rules.check_profession(value)
        elif name == "kind":
            if value not in KINDS:
                raise InvalidInput(f"--kind {value!r}: use one of {', '.join(KINDS)}")
            row.kind = value
        elif name in _FIELDS:
            setattr(row, name, value.strip() if isinstance(value, str) else value)
        else:
            raise InvalidInput(f"agreement field {name!r} cannot be changed")
    if row.valid_to is not None and row.valid_to < row.valid_from:
        raise InvalidInput(f"--to {row.valid_to} is before --from {row.valid_from}")
    _check_overlap(session, row)
    after = _snapshot(row)
    if after != before:
        session.add(row)
        session.flush()
        record_change(
            session=session, entity="agreement", key=row.key, action="update",
            before=before, after=after,
        )  # fmt: skip
    return agreement_views(session, [row])[0]


def agreement_show(*, session: Session, key: str) -> AgreementView:
    """One agreement (NotFound when unknown)."""
    return agreement_views(session, [_agreement(session, key)])[0]


def agreement_list(
    *, session: Session, profession: str | None = None, on: date | None = None
) -> list[AgreementView]:
    """Agreements by profession and start date; with *on*, only those in force that day."""
    query = select(Agreement).order_by(_AGR.profession, _AGR.valid_from)
    if profession is not None:
        query = query.where(_AGR.profession == rules.check_profession(profession))
    rows = list(session.execute(query).scalars())
    if on is not None:
        rows = [r for r in rows if r.valid_from <= on and (r.valid_to is None or on <= r.valid_to)]
    return agreement_views(session, rows)


_SEED_COLUMNS = Columns(
    required=(
        "key", "profession", "kind", "title", "valid_from", "valid_to", "concluded_on",
        "concluded_by", "published_on", "indexation", "reliability", "source", "note",
    )
)  # fmt: skip


def _day(text: str, what: str) -> date | None:
    value = text.strip()
    return parse_date(value, what=what) if value else None


def seed_agreements(*, session: Session) -> int:
    """Insert the real agreements of ``inami_cli/data/agreements.csv`` that are missing
    (idempotent; an agreement already recorded, even changed by an operator, is left as
    it is). Returns how many were inserted."""
    existing = set(session.execute(select(_AGR.key)).scalars())
    inserted = 0
    for _line, rec in _shipped_rows("agreements.csv", _SEED_COLUMNS):
        if rec["key"] in existing:
            continue
        start = _day(rec["valid_from"], "valid_from")
        assert start is not None
        row = Agreement(
            key=rec["key"], profession=rules.check_profession(rec["profession"]),
            kind=rec["kind"], title=rec["title"], valid_from=start,
            valid_to=_day(rec["valid_to"], "valid_to"),
            concluded_on=_day(rec["concluded_on"], "concluded_on"),
            concluded_by=rec["concluded_by"],
            published_on=_day(rec["published_on"], "published_on"),
            indexation=rec["indexation"], reliability=rec["reliability"], source=rec["source"],
            note=rec["note"],
        )  # fmt: skip
        session.add(row)
        record_change(
            session=session, entity="agreement", key=row.key, action="insert",
            after=_snapshot(row),
        )  # fmt: skip
        inserted += 1
    session.flush()
    return inserted
