"""The register read through the generated Core tables (``inami_cli.db.tables``): a
person's row, the insurers' names, the tables for ``_status``'s queries. A one-shot
``insured NISS`` or ``reimburse CODE --niss`` then imports no SQLModel (issue 19); the
modules that write use the models' tables (``_common``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from inami_cli.db.tables import insurability as tables
from inami_cli.domain import insurability as rules
from inami_cli.domain.errors import NotFound
from inami_cli.domain.niss import parse_niss

if TYPE_CHECKING:
    from inami_cli.db.engine import Reader

PERSON = tables.person.c
AFFILIATION = tables.affiliation.c
ENTITLEMENT = tables.entitlement.c
INSURER = tables.insurer.c
MEDICAL_HOUSE = tables.medical_house_enrolment.c


def insurer_names(session: Reader) -> dict[str, str]:
    """Insurer code → French name: the seven known ones, as stored where stored."""
    names = {code: info.name_fr for code, info in rules.INSURERS.items()}
    for code, name in session.execute(select(INSURER.code, INSURER.name_fr)):
        names[code] = name
    return names


def unknown_person(niss: str) -> NotFound:
    """The error for a NISS that is not in the register."""
    return NotFound(f"no person with NISS {niss} in the register")


def person_row(session: Reader, niss: str) -> Any:
    """The stored person as a row (``.niss``, ``.birth_date``, ``.death_date``, ...):
    InvalidInput for a malformed NISS, NotFound for an unknown one."""
    valid = parse_niss(niss).niss
    row = session.execute(select(tables.person).where(PERSON.niss == valid)).first()
    if row is None:
        raise unknown_person(valid)
    return row
