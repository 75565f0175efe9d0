"""What the provider and agreement use cases return (frozen dataclasses, never ORM rows),
and the queries that build them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import (
    Adherence,
    Agreement,
    Decision,
    Provider,
    ProviderAccreditation,
    ProviderAddress,
    ProviderQualification,
)
from inami_cli.domain import providers as rules
from inami_cli.domain.providers import AdherenceTerm, AgreementTerm, DatedCode, ProviderRecord
from inami_cli.services.providers._common import (
    _ACC,
    _ADDR,
    _ADH,
    _AGR,
    _QUAL,
    label_of,
)


@dataclass(frozen=True)
class QualificationView:
    """A qualification period with its label (None when the table does not know it)."""

    id: int
    code: str
    label_fr: str | None
    label_nl: str | None
    valid_from: date
    valid_to: date | None
    source: str


@dataclass(frozen=True)
class AccreditationView:
    """An accreditation period."""

    id: int
    valid_from: date
    valid_to: date | None
    source: str


@dataclass(frozen=True)
class AddressView:
    """A professional address."""

    id: int
    street: str
    postcode: str
    city: str
    region: str
    is_main: bool


@dataclass(frozen=True)
class AdherenceView:
    """A provider's answer to an agreement."""

    agreement: str
    root: str  # the first 8 digits: adherence is the person's, whatever the qualification
    formatted: str
    status: str
    convention_status: str
    effective_from: date
    registered_on: date | None
    blocks: str | None
    source: str


@dataclass(frozen=True)
class ProviderView:
    """A provider with every dated fact the register keeps, as of a date."""

    nihii: str  # 11 digits with the qualification code in force on ``on`` (000 if none)
    root: str
    formatted: str
    profession: str
    last_name: str
    first_name: str
    on: date
    qualification: str | None
    qualification_label: str | None
    accredited: bool
    region: str | None
    source: str
    qualifications: tuple[QualificationView, ...]
    accreditations: tuple[AccreditationView, ...]
    addresses: tuple[AddressView, ...]
    adherences: tuple[AdherenceView, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgreementView:
    """An agreement or convention."""

    key: str
    profession: str
    kind: str
    title: str
    valid_from: date
    valid_to: date | None
    concluded_on: date | None
    concluded_by: str
    decision: str | None  # the committee decision's number, when one is linked
    published_on: date | None
    indexation: str | None
    reliability: str
    source: str
    note: str


def _agreement_view(row: Agreement, decisions: dict[int, str]) -> AgreementView:
    return AgreementView(
        key=row.key,
        profession=row.profession,
        kind=row.kind,
        title=row.title,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        concluded_on=row.concluded_on,
        concluded_by=row.concluded_by,
        decision=decisions.get(row.decision_id) if row.decision_id is not None else None,
        published_on=row.published_on,
        indexation=row.indexation or None,
        reliability=row.reliability,
        source=row.source,
        note=row.note,
    )


def _decision_numbers(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    dec = Decision.__table__.c  # type: ignore[attr-defined]
    found = session.execute(select(dec.id, dec.number).where(dec.id.in_(ids)))
    return {int(i): str(n) for i, n in found}


def agreement_views(session: Session, rows: list[Agreement]) -> list[AgreementView]:
    """Views of agreement rows, their decisions' numbers resolved in one query."""
    numbers = _decision_numbers(session, {r.decision_id for r in rows if r.decision_id})
    return [_agreement_view(r, numbers) for r in rows]


def _adherence_view(row: Adherence) -> AdherenceView:
    return AdherenceView(
        agreement=row.agreement_key,
        root=row.nihii,
        formatted=rules.format_nihii(row.nihii),
        status=row.status,
        convention_status=rules.CONVENTION_STATUS[row.status],
        effective_from=row.effective_from,
        registered_on=row.registered_on,
        blocks=row.blocks or None,
        source=row.source,
    )


def agreement_terms(session: Session) -> list[AgreementTerm]:
    """Every agreement as the rules need it (one query)."""
    return [
        AgreementTerm(key, profession, start, end, title)
        for key, profession, start, end, title in session.execute(
            select(_AGR.key, _AGR.profession, _AGR.valid_from, _AGR.valid_to, _AGR.title)
            .order_by(_AGR.profession, _AGR.valid_from)
        )
    ]  # fmt: skip


def _rows(session: Session, model: Any, column: Any, root: str, order: Any) -> list[Any]:
    return list(session.execute(select(model).where(column == root).order_by(order)).scalars())


def provider_record(session: Session, provider: Provider) -> ProviderRecord:
    """The provider as the rules need it (four small queries)."""
    root = provider.nihii
    quals = _rows(session, ProviderQualification, _QUAL.nihii, root, _QUAL.valid_from)
    accs = _rows(session, ProviderAccreditation, _ACC.nihii, root, _ACC.valid_from)
    adhs = _rows(session, Adherence, _ADH.nihii, root, _ADH.agreement_key)
    addrs = _rows(session, ProviderAddress, _ADDR.nihii, root, _ADDR.id)
    return ProviderRecord(
        root=root,
        profession=provider.profession,
        qualifications=tuple(DatedCode(q.code, q.valid_from, q.valid_to) for q in quals),
        accreditations=tuple((a.valid_from, a.valid_to) for a in accs),
        adherences=tuple(
            AdherenceTerm(
                a.agreement_key,
                a.status,
                a.effective_from,
                rules.parse_blocks(a.blocks) if a.blocks else (),
                a.registered_on,
            )
            for a in adhs
        ),
        region=_main_region(addrs),
    )


def _main_region(addresses: list[ProviderAddress]) -> str | None:
    for address in addresses:
        if address.is_main:
            return address.region
    return addresses[0].region if addresses else None


def _label(profession: str, code: str, language: str) -> str | None:
    found = label_of(profession, code)
    if found is None:
        return None
    return found.label_fr if language == "fr" else found.label_nl


def provider_view(
    session: Session, provider: Provider, *, on: date, warnings: tuple[str, ...] = ()
) -> ProviderView:
    """A provider with its periods, addresses and adherences, as of *on*."""
    root = provider.nihii
    quals = _rows(session, ProviderQualification, _QUAL.nihii, root, _QUAL.valid_from)
    accs = _rows(session, ProviderAccreditation, _ACC.nihii, root, _ACC.valid_from)
    addrs = _rows(session, ProviderAddress, _ADDR.nihii, root, _ADDR.id)
    adhs = _rows(session, Adherence, _ADH.nihii, root, _ADH.agreement_key)
    current = next(
        (q.code for q in quals if q.valid_from <= on and (q.valid_to is None or on <= q.valid_to)),
        None,
    )
    label = label_of(provider.profession, current)
    number = root + (current or "000")
    return ProviderView(
        nihii=number,
        root=root,
        formatted=rules.format_nihii(number),
        profession=provider.profession,
        last_name=provider.last_name,
        first_name=provider.first_name,
        on=on,
        qualification=current,
        qualification_label=label.label_fr if label is not None else None,
        accredited=any(
            a.valid_from <= on and (a.valid_to is None or on <= a.valid_to) for a in accs
        ),
        region=_main_region(addrs),
        source=provider.source,
        qualifications=tuple(
            QualificationView(
                id=q.id or 0,
                code=q.code,
                label_fr=_label(provider.profession, q.code, "fr"),
                label_nl=_label(provider.profession, q.code, "nl"),
                valid_from=q.valid_from,
                valid_to=q.valid_to,
                source=q.source,
            )
            for q in quals
        ),
        accreditations=tuple(
            AccreditationView(a.id or 0, a.valid_from, a.valid_to, a.source) for a in accs
        ),
        addresses=tuple(
            AddressView(a.id or 0, a.street, a.postcode, a.city, a.region, a.is_main) for a in addrs
        ),
        adherences=tuple(_adherence_view(a) for a in adhs),
        warnings=warnings,
    )
