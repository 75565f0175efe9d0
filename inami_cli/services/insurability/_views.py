"""What the person, affiliation and entitlement use cases return (frozen views of the
stored rows) and the row dictionaries their audit entries record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from inami_cli.db.models import Affiliation, Entitlement, Person


@dataclass(frozen=True)
class AffiliationView:
    """One affiliation period as stored."""

    id: int
    niss: str
    insurer_code: str
    insurer_name: str | None
    member_number: str
    quality: str
    titular_niss: str | None
    ct1: str
    ct2: str
    valid_from: date
    valid_to: date | None
    source: str
    mutuality: str | None = None  # the member's own mutuality (3 digits)


@dataclass(frozen=True)
class EntitlementView:
    """One entitlement period as stored."""

    id: int
    niss: str
    kind: str
    valid_from: date
    valid_to: date | None
    detail: str
    source: str


@dataclass(frozen=True)
class PersonView:
    """A person with what the number says and the stored periods."""

    niss: str
    formatted: str
    last_name: str
    first_name: str
    birth_date: date | None
    sex: str | None
    is_bis: bool
    death_date: date | None
    source: str
    affiliations: tuple[AffiliationView, ...] = ()
    entitlements: tuple[EntitlementView, ...] = ()


def _affiliation_view(row: Affiliation, names: dict[str, str]) -> AffiliationView:
    return AffiliationView(
        id=row.id or 0,
        niss=row.niss,
        insurer_code=row.insurer_code,
        insurer_name=names.get(row.insurer_code),
        member_number=row.member_number,
        quality=row.quality,
        titular_niss=row.titular_niss,
        ct1=row.ct1,
        ct2=row.ct2,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        source=row.source,
        mutuality=row.mutuality,
    )


def _entitlement_view(row: Entitlement) -> EntitlementView:
    return EntitlementView(
        id=row.id or 0,
        niss=row.niss,
        kind=row.kind,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        detail=row.detail,
        source=row.source,
    )


def _person_row_dict(p: Person) -> dict[str, Any]:
    return {
        "niss": p.niss,
        "last_name": p.last_name,
        "first_name": p.first_name,
        "birth_date": p.birth_date,
        "sex": p.sex,
        "is_bis": p.is_bis,
        "death_date": p.death_date,
    }


def _affiliation_dict(a: Affiliation) -> dict[str, Any]:
    return {
        "niss": a.niss,
        "insurer_code": a.insurer_code,
        "member_number": a.member_number,
        "quality": a.quality,
        "titular_niss": a.titular_niss,
        "ct1": a.ct1,
        "ct2": a.ct2,
        "valid_from": a.valid_from,
        "valid_to": a.valid_to,
        **({"mutuality": a.mutuality} if a.mutuality else {}),
    }


def _entitlement_dict(e: Entitlement) -> dict[str, Any]:
    return {
        "niss": e.niss,
        "kind": e.kind,
        "valid_from": e.valid_from,
        "valid_to": e.valid_to,
        "detail": e.detail,
    }
