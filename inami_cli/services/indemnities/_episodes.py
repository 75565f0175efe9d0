"""Incapacity episodes of persons: add a spell (a relapse continues its episode), end it,
list them, and find the spell in force on a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import IncapacitySpell, Person
from inami_cli.domain import indemnities as rules
from inami_cli.domain.errors import Conflict, InvalidInput, NotFound
from inami_cli.domain.money import from_cents, to_cents
from inami_cli.domain.niss import parse_niss
from inami_cli.services.audit import record_change
from inami_cli.services.indemnities._store import load_store
from inami_cli.services.periods import end_in_force

_S = IncapacitySpell.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SpellView:
    """A recorded spell of incapacity."""

    id: int
    niss: str
    scheme: str
    kind: str
    valid_from: date
    valid_to: date | None
    episode_start: date
    relapse: bool
    family_situation: str | None
    regular_worker: bool
    worker_category: str
    gross_daily: Decimal | None

    def as_record(self) -> dict[str, Any]:
        """The JSON contract of ``indemnity episode``."""
        return {
            "id": self.id,
            "niss": self.niss,
            "scheme": self.scheme,
            "kind": self.kind,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "episode_start": self.episode_start,
            "relapse": self.relapse,
            "family_situation": self.family_situation,
            "regular_worker": self.regular_worker,
            "worker_category": self.worker_category,
            "gross_daily": self.gross_daily,
        }


def _view(row: IncapacitySpell) -> SpellView:
    return SpellView(
        id=row.id or 0, niss=row.niss, scheme=row.scheme, kind=row.kind,
        valid_from=row.valid_from, valid_to=row.valid_to, episode_start=row.episode_start,
        relapse=row.relapse, family_situation=row.family_situation,
        regular_worker=row.regular_worker, worker_category=row.worker_category,
        gross_daily=None if row.gross_daily_cents is None else from_cents(row.gross_daily_cents),
    )  # fmt: skip


def _dict(row: IncapacitySpell) -> dict[str, Any]:
    return {k: v for k, v in _view(row).as_record().items() if k != "id"}


def _person(session: Session, niss: str) -> str:
    valid = parse_niss(niss).niss
    if session.get(Person, valid) is None:
        raise NotFound(f"no person with NISS {valid} in the register (add them first)")
    return valid


def _spells(session: Session, niss: str) -> list[IncapacitySpell]:
    query = select(IncapacitySpell).where(_S.niss == niss).order_by(_S.valid_from)
    return list(session.execute(query).scalars())


def episode_add(
    *,
    session: Session,
    niss: str,
    scheme: str,
    valid_from: date,
    valid_to: date | None = None,
    kind: str = "primary",
    family_situation: str | None = None,
    regular_worker: bool = True,
    worker_category: str = "white-collar",
    gross_daily: Decimal | None = None,
    source: str = "operator",
) -> SpellView:
    """Record a spell of incapacity (Conflict if it overlaps one of the person's spells).

    Within 14 days of the end of a primary spell (3 months of an invalidity one) it is a
    relapse: it continues that episode (same start, same scheme) rather than opening one.
    """
    person = _person(session, niss)
    scheme = rules.check_choice(scheme, rules.SCHEMES, "--scheme")
    kind = rules.check_choice(kind, rules.KINDS, "--kind")
    category = rules.check_choice(worker_category, rules.WORKER_CATEGORIES, "--worker-category")
    situation = None
    if family_situation is not None:
        situation = rules.check_choice(
            family_situation, rules.FAMILY_SITUATIONS, "--family-situation"
        )
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(f"--to {valid_to} is before --from {valid_from}")
    if gross_daily is not None and gross_daily < 0:
        raise InvalidInput(f"--gross-daily: {gross_daily} is negative")
    existing = _spells(session, person)
    for row in existing:
        if row.valid_from <= (valid_to or date.max) and valid_from <= (row.valid_to or date.max):
            raise Conflict(
                f"incapacity of {person} from {valid_from} overlaps the spell "
                f"{row.valid_from}..{row.valid_to or ''} (#{row.id})",
                hint="end it first: inami indemnity episode end NISS --date D",
            )
    before = [r for r in existing if r.valid_to is not None and r.valid_to < valid_from]
    episode_start, relapse = valid_from, False
    if before:
        last = before[-1]
        store = load_store(session=session)
        invalid = last.kind == "invalidity" or valid_from >= rules.add_months(
            last.episode_start, 12
        )
        assert last.valid_to is not None
        if last.scheme == scheme and rules.continues_episode(
            store, previous_end=last.valid_to, previous_invalid=invalid, new_start=valid_from
        ):
            episode_start, relapse = last.episode_start, True
            kind = "invalidity" if last.kind == "invalidity" else kind
    row = IncapacitySpell(
        niss=person, scheme=scheme, kind=kind, valid_from=valid_from, valid_to=valid_to,
        episode_start=episode_start, relapse=relapse, family_situation=situation,
        regular_worker=regular_worker, worker_category=category,
        gross_daily_cents=None if gross_daily is None else to_cents(gross_daily), source=source,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_change(
        session=session, entity="incapacity_spell", key=f"{person} {valid_from}",
        action="insert", after=_dict(row),
    )  # fmt: skip
    return _view(row)


def episode_end(*, session: Session, niss: str, on: date) -> SpellView:
    """End the spell in force on *on* (*on* becomes its last day)."""
    person = _person(session, niss)
    ended = end_in_force(
        session, _spells(session, person), on, entity="incapacity_spell",
        key=lambda row: f"{person} {row.valid_from}", record=_dict,
    )  # fmt: skip
    if ended is None:
        raise NotFound(f"{person} has no incapacity recorded on {on.isoformat()}")
    return _view(ended)


def episode_list(*, session: Session, niss: str | None = None) -> list[SpellView]:
    """The spells of a person (or every person), oldest first."""
    query = select(IncapacitySpell).order_by(_S.niss, _S.valid_from)
    if niss is not None:
        query = query.where(_S.niss == parse_niss(niss).niss)
    return [_view(r) for r in session.execute(query).scalars()]


def spell_on(*, session: Session, niss: str, on: date) -> SpellView:
    """The spell in force on *on* (NotFound when none)."""
    person = _person(session, niss)
    for row in _spells(session, person):
        if row.valid_from <= on and (row.valid_to is None or on <= row.valid_to):
            return _view(row)
    raise NotFound(f"{person} has no incapacity recorded on {on.isoformat()}")
