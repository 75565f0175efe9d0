"""Persons: show (with their periods), add (birth date and sex read from the number),
update names or the date of death."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import Affiliation, Entitlement, Person
from inami_cli.domain.errors import Conflict, InvalidInput
from inami_cli.domain.niss import NissInfo, parse_niss
from inami_cli.services.audit import record_change
from inami_cli.services.insurability._common import _AFF, _ENT, _insurer_names, _person
from inami_cli.services.insurability._views import (
    PersonView,
    _affiliation_view,
    _entitlement_view,
    _person_row_dict,
)


def person_show(*, session: Session, niss: str) -> PersonView:
    """A person, their affiliations and entitlements (NotFound when unknown)."""
    person = _person(session, niss)
    names = _insurer_names(session)
    affs = session.execute(
        select(Affiliation).where(_AFF.niss == person.niss).order_by(_AFF.valid_from)
    ).scalars()
    ents = session.execute(
        select(Entitlement).where(_ENT.niss == person.niss).order_by(_ENT.kind, _ENT.valid_from)
    ).scalars()
    info = parse_niss(person.niss)
    return PersonView(
        niss=person.niss,
        formatted=info.formatted,
        last_name=person.last_name,
        first_name=person.first_name,
        birth_date=person.birth_date,
        sex=person.sex,
        is_bis=person.is_bis,
        death_date=person.death_date,
        source=person.source,
        affiliations=tuple(_affiliation_view(a, names) for a in affs),
        entitlements=tuple(_entitlement_view(e) for e in ents),
    )


def _check_death(info: NissInfo, death_date: date | None) -> None:
    birth = info.birth_date
    if death_date is not None and birth is not None and death_date < birth:
        raise InvalidInput(f"death date {death_date} is before the birth date {birth}")


def person_add(
    *,
    session: Session,
    niss: str,
    last_name: str,
    first_name: str,
    death_date: date | None = None,
    source: str = "operator",
) -> PersonView:
    """Register a person; birth date and sex come from the number (Conflict if known)."""
    info = parse_niss(niss)
    if session.get(Person, info.niss) is not None:
        raise Conflict(f"person {info.niss} already exists", hint="use `inami person update`")
    if not last_name.strip():
        raise InvalidInput("--last-name must not be empty")
    _check_death(info, death_date)
    person = Person(
        niss=info.niss,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        birth_date=info.birth_date,
        sex=info.sex,
        is_bis=info.is_bis,
        death_date=death_date,
        source=source,
    )
    session.add(person)
    session.flush()
    record_change(
        session=session, entity="person", key=info.niss, action="insert",
        after=_person_row_dict(person),
    )  # fmt: skip
    return person_show(session=session, niss=info.niss)


def person_update(
    *,
    session: Session,
    niss: str,
    last_name: str | None = None,
    first_name: str | None = None,
    death_date: date | None = None,
    clear_death: bool = False,
) -> PersonView:
    """Change names or the date of death (audited; nothing written when nothing changes)."""
    person = _person(session, niss)
    before = _person_row_dict(person)
    if last_name is not None:
        if not last_name.strip():
            raise InvalidInput("--last-name must not be empty")
        person.last_name = last_name.strip()
    if first_name is not None:
        person.first_name = first_name.strip()
    if death_date is not None and clear_death:
        raise InvalidInput("--death-date and --clear-death are mutually exclusive")
    if death_date is not None:
        _check_death(parse_niss(person.niss), death_date)
        person.death_date = death_date
    if clear_death:
        person.death_date = None
    after = _person_row_dict(person)
    if after != before:
        session.add(person)
        session.flush()
        record_change(
            session=session, entity="person", key=person.niss, action="update",
            before=before, after=after,
        )  # fmt: skip
    return person_show(session=session, niss=person.niss)
