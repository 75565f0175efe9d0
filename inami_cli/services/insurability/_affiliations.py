"""Affiliations to an insurer, one period at a time: add, end, transfer, list. Periods
of one person never overlap (checked on write, ``Conflict`` names the period in the way)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import Affiliation, Person
from inami_cli.domain import insurability as rules
from inami_cli.domain.errors import Conflict, NotFound
from inami_cli.domain.niss import parse_niss
from inami_cli.services.audit import record_change, record_changes
from inami_cli.services.insurability._common import (
    _AFF,
    _check_member,
    _insurer_names,
    _person,
)
from inami_cli.services.insurability._views import (
    AffiliationView,
    _affiliation_dict,
    _affiliation_view,
)
from inami_cli.services.periods import end_in_force


def _rows_of(session: Session, niss: str) -> list[Affiliation]:
    return list(
        session.execute(
            select(Affiliation).where(_AFF.niss == niss).order_by(_AFF.valid_from)
        ).scalars()
    )


def _check_titular_exists(session: Session, titular: str | None) -> None:
    if titular is not None:
        valid = parse_niss(titular, what="titular NISS").niss
        if session.get(Person, valid) is None:
            raise NotFound(f"titular {valid} is not in the register (add them first)")


def affiliation_add(
    *,
    session: Session,
    niss: str,
    insurer_code: str,
    member_number: str,
    ct1: str,
    ct2: str,
    valid_from: date,
    valid_to: date | None = None,
    quality: str = "titular",
    titular_niss: str | None = None,
    source: str = "operator",
    mutuality: str | None = None,
) -> AffiliationView:
    """Affiliate a person to an insurer over a period (Conflict if it overlaps another);
    *mutuality*: the member's own mutuality within the insurer (e.g. 319, 417)."""
    person = _person(session, niss)
    code = rules.check_insurer_code(insurer_code)
    member = _check_member(member_number)
    c1, c2 = rules.check_ct1(ct1), rules.check_ct2(ct2)
    mut = rules.check_mutuality(mutuality, code)
    q, titular = rules.check_affiliation(person.niss, quality, titular_niss)
    _check_titular_exists(session, titular)
    existing = _rows_of(session, person.niss)
    rules.check_no_overlap(
        ((a.valid_from, a.valid_to) for a in existing), valid_from, valid_to,
        what=f"affiliation of {person.niss}",
    )  # fmt: skip
    row = Affiliation(
        niss=person.niss, insurer_code=code, member_number=member, quality=q,
        titular_niss=titular, ct1=c1, ct2=c2, valid_from=valid_from, valid_to=valid_to,
        source=source, mutuality=mut,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_change(
        session=session, entity="affiliation", key=f"{person.niss} {valid_from}",
        action="insert", after=_affiliation_dict(row),
    )  # fmt: skip
    return _affiliation_view(row, _insurer_names(session))


def _current(rows: Sequence[Affiliation], on: date, niss: str) -> Affiliation:
    for row in rows:
        if row.valid_from <= on and (row.valid_to is None or on <= row.valid_to):
            return row
    raise NotFound(f"{niss} has no affiliation on {on.isoformat()}")


def affiliation_end(*, session: Session, niss: str, on: date) -> AffiliationView:
    """Close the affiliation in force on *on*: *on* becomes its last day."""
    person = _person(session, niss)
    row = end_in_force(
        session, _rows_of(session, person.niss), on, entity="affiliation",
        key=lambda r: f"{person.niss} {r.valid_from}", record=_affiliation_dict,
    )  # fmt: skip
    if row is None:
        raise NotFound(f"{person.niss} has no affiliation on {on.isoformat()}")
    return _affiliation_view(row, _insurer_names(session))


def affiliation_transfer(
    *,
    session: Session,
    niss: str,
    to_insurer: str,
    member_number: str,
    on: date,
    ct1: str | None = None,
    ct2: str | None = None,
) -> tuple[AffiliationView, AffiliationView]:
    """Move a person to another insurer from *on*: the old period ends the day before, the
    new one starts on *on* (no gap, no overlap) and keeps the old planned end, quality and
    (unless given) CT1/CT2."""
    person = _person(session, niss)
    code = rules.check_insurer_code(to_insurer)
    member = _check_member(member_number)
    rows = _rows_of(session, person.niss)
    old = _current(rows, on, person.niss)
    if old.insurer_code == code:
        raise Conflict(f"{person.niss} is already affiliated with {code} on {on.isoformat()}")
    last_day = rules.transfer_end(old.valid_from, on)
    c1 = rules.check_ct1(ct1) if ct1 else old.ct1
    c2 = rules.check_ct2(ct2) if ct2 else old.ct2
    before = _affiliation_dict(old)
    new_end = old.valid_to
    old.valid_to = last_day
    others = [r for r in rows if r.id != old.id]
    rules.check_no_overlap(
        ((a.valid_from, a.valid_to) for a in others), on, new_end,
        what=f"affiliation of {person.niss}",
    )  # fmt: skip
    new = Affiliation(
        niss=person.niss, insurer_code=code, member_number=member, quality=old.quality,
        titular_niss=old.titular_niss, ct1=c1, ct2=c2, valid_from=on, valid_to=new_end,
        source="operator",
    )  # fmt: skip
    session.add(old)
    session.add(new)
    session.flush()
    record_changes(
        session=session,
        changes=[
            ("affiliation", f"{person.niss} {old.valid_from}", "update", before,
             _affiliation_dict(old)),
            ("affiliation", f"{person.niss} {on}", "insert", None, _affiliation_dict(new)),
        ],
    )  # fmt: skip
    names = _insurer_names(session)
    return _affiliation_view(old, names), _affiliation_view(new, names)


def affiliation_list(
    *,
    session: Session,
    niss: str | None = None,
    insurer_code: str | None = None,
    member_number: str | None = None,
    on: date | None = None,
    limit: int | None = None,
) -> list[AffiliationView]:
    """Affiliations filtered by person, insurer, member number and/or a date in force."""
    query = select(Affiliation)
    if niss is not None:
        query = query.where(_AFF.niss == parse_niss(niss).niss)
    if insurer_code is not None:
        query = query.where(_AFF.insurer_code == rules.check_insurer_code(insurer_code))
    if member_number is not None:
        query = query.where(_AFF.member_number == member_number.strip())
    if on is not None:
        query = query.where(
            _AFF.valid_from <= on,
            (_AFF.valid_to.is_(None)) | (_AFF.valid_to >= on),
        )
    query = query.order_by(_AFF.niss, _AFF.valid_from)
    if limit is not None:
        query = query.limit(limit)
    names = _insurer_names(session)
    return [_affiliation_view(a, names) for a in session.execute(query).scalars()]
