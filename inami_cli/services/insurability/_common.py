"""What every part of the package uses: the tables' columns for Core queries, the
person and insurer look-ups, the member-number and date cells, the collector paused."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any, ParamSpec, TypeVar

from sqlmodel import Session, SQLModel

from inami_cli.db.models import Affiliation, Entitlement, Person
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.niss import parse_niss
from inami_cli.domain.values import check_date
from inami_cli.services.bulkio import gc_paused
from inami_cli.services.insurability._lookups import insurer_names, unknown_person

_insurer_names = insurer_names  # the package's modules import it from here

_CHUNK = 20_000  # rows per executemany: bounded memory for the dicts handed to the driver


def _columns(model: type[SQLModel]) -> Any:
    """A table's columns (``.c``) for Core queries; SQLModel types its attributes as plain
    values, which the query builder's overloads reject."""
    return model.__table__.c  # type: ignore[attr-defined]


P = ParamSpec("P")
R = TypeVar("R")


def _without_gc(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a bulk function with the cyclic garbage collector paused (``bulkio.gc_paused``).

    Loading a million persons creates millions of small acyclic containers; CPython's
    collector would rescan the growing heap again and again for no garbage (reference
    counting frees everything these functions drop).
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with gc_paused():
            return fn(*args, **kwargs)

    return wrapper


# The tables' columns, for Core queries (the bulk paths read plain tuples, not ORM rows)
_PER = _columns(Person)
_AFF = _columns(Affiliation)
_ENT = _columns(Entitlement)


def _person(session: Session, niss: str) -> Person:
    """The stored person (InvalidInput for a malformed NISS, NotFound for an unknown one)."""
    valid = parse_niss(niss).niss
    person = session.get(Person, valid)
    if person is None:
        raise unknown_person(valid)
    return person


def _check_member(member_number: str) -> str:
    """A member number stripped: non-empty, one word (InvalidInput otherwise)."""
    value = member_number.strip()
    if not value or len(value.split()) != 1:
        raise InvalidInput(f"member number {member_number!r}: must be non-empty, without spaces")
    return value


def _date_cell(text: str, what: str) -> date:
    """A stripped cell as a date: ISO at C speed, the other forms through ``parse_date``."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":  # not YYYY-MM-DD: fromisoformat
        return parse_date(text, what=what)  # would also read 20260302 and 2026-W10-1
    try:
        found = date.fromisoformat(text)
    except ValueError:
        return parse_date(text, what=what)
    return check_date(found, what=what)
