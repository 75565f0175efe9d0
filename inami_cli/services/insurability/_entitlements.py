"""Dated rights (bim, dmg, chronic, third_party): set, end, list. Periods of one kind
never overlap for a person."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import Entitlement
from inami_cli.domain import insurability as rules
from inami_cli.domain.dates import in_force
from inami_cli.domain.errors import NotFound
from inami_cli.services.audit import record_change
from inami_cli.services.insurability._common import _ENT, _person
from inami_cli.services.insurability._views import (
    EntitlementView,
    _entitlement_dict,
    _entitlement_view,
)
from inami_cli.services.periods import end_in_force


def _entitlements_of(session: Session, niss: str, kind: str) -> list[Entitlement]:
    return list(
        session.execute(
            select(Entitlement)
            .where(_ENT.niss == niss, _ENT.kind == kind)
            .order_by(_ENT.valid_from)
        ).scalars()
    )


def entitlement_set(
    *,
    session: Session,
    niss: str,
    kind: str,
    valid_from: date,
    valid_to: date | None = None,
    detail: str = "",
    source: str = "operator",
) -> EntitlementView:
    """Grant a dated right (bim, dmg, chronic, third_party); Conflict if it overlaps one of
    the same kind."""
    person = _person(session, niss)
    k = rules.check_kind(kind)
    d = rules.check_detail(k, detail)
    rules.check_no_overlap(
        ((e.valid_from, e.valid_to) for e in _entitlements_of(session, person.niss, k)),
        valid_from, valid_to, what=f"{k} of {person.niss}",
    )  # fmt: skip
    row = Entitlement(
        niss=person.niss, kind=k, valid_from=valid_from, valid_to=valid_to, detail=d,
        source=source,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_change(
        session=session, entity="entitlement", key=f"{person.niss} {k} {valid_from}",
        action="insert", after=_entitlement_dict(row),
    )  # fmt: skip
    return _entitlement_view(row)


def entitlement_end(*, session: Session, niss: str, kind: str, on: date) -> EntitlementView:
    """Close the entitlement of *kind* in force on *on*: *on* becomes its last day."""
    person = _person(session, niss)
    k = rules.check_kind(kind)
    row = end_in_force(
        session, _entitlements_of(session, person.niss, k), on, entity="entitlement",
        key=lambda r: f"{person.niss} {k} {r.valid_from}", record=_entitlement_dict,
    )  # fmt: skip
    if row is None:
        raise NotFound(f"{person.niss} has no {k} entitlement on {on.isoformat()}")
    return _entitlement_view(row)


def entitlement_list(
    *, session: Session, niss: str, kind: str | None = None, on: date | None = None
) -> list[EntitlementView]:
    """A person's entitlements, optionally of one kind and/or in force on a date."""
    person = _person(session, niss)
    query = select(Entitlement).where(_ENT.niss == person.niss)
    if kind is not None:
        query = query.where(_ENT.kind == rules.check_kind(kind))
    rows = session.execute(query.order_by(_ENT.kind, _ENT.valid_from)).scalars()
    views = [_entitlement_view(e) for e in rows]
    if on is not None:
        views = in_force(views, on)
    return views
