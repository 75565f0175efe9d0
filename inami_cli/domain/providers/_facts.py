"""What the register says about a provider on a date: ``ProviderFacts``.

Agreements (accord / akkoord for doctors, conventions for the other professions) are dated
objects per profession; a provider's adherence to one is full (the default when the
provider did not refuse: "a doctor who does not refuse is fully conventioned", CM,
conventionering-info-voor-artsen [MUT], providers.md §7.1 row 3), partial with declared
blocks, or refused. The same default is applied to the other professions' conventions
(tacit adherence unless refused, as the INAMI pages on the physiotherapists' conventions
describe refusals, not adhesions).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time

from inami_cli.domain.providers._blocks import TimeBlock, block_rule, format_blocks, in_blocks
from inami_cli.domain.providers._qualifications import QualificationLabel, find_label

ADHERENCE_STATUSES = ("full", "partial", "refused")
# adherence -> the convention status the reimbursement engine speaks of (``--provider``)
CONVENTION_STATUS = {"full": "conventioned", "partial": "partially", "refused": "non-conventioned"}
PHYSIOTHERAPIST = "physiotherapist"


@dataclass(frozen=True)
class AgreementTerm:
    """An agreement or convention: its profession and period (the rest is in the
    register)."""

    key: str
    profession: str
    valid_from: date
    valid_to: date | None
    title: str = ""

    def contains(self, on: date) -> bool:
        """Whether the agreement is in force on *on*."""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class AdherenceTerm:
    """A provider's answer to one agreement, from ``effective_from`` (before it: full)."""

    agreement_key: str
    status: str  # full | partial | refused
    effective_from: date
    blocks: tuple[TimeBlock, ...] = ()
    registered_on: date | None = None


@dataclass(frozen=True)
class DatedCode:
    """A qualification code over a period."""

    code: str
    valid_from: date
    valid_to: date | None

    def contains(self, on: date) -> bool:
        """Whether the period holds *on*."""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class ProviderRecord:
    """One provider as the rules need it: no names, no addresses but the main region."""

    root: str
    profession: str
    qualifications: tuple[DatedCode, ...] = ()
    accreditations: tuple[tuple[date, date | None], ...] = ()
    adherences: tuple[AdherenceTerm, ...] = ()
    region: str | None = None


@dataclass(frozen=True)
class ProviderFacts:
    """What the register answers about a provider on a date (and time of day).

    ``convention_status`` is ``conventioned``, ``partially`` or ``non-conventioned`` for the
    agreement of the provider's profession in force on the date, or None when none is in
    force (``agreement`` None). ``in_declared_block`` says, for a partially conventioned
    provider and a given time, whether the moment falls inside a declared block (None
    otherwise); ``partial_ambulatory_only`` is True for a specialist, who may deviate only
    for ambulatory patients. ``physio_convention_in_force`` says whether any
    physiotherapists' convention is in force on the date (the -25 % rule needs one).
    """

    nihii: str  # 11 digits: the root and the qualification in force (000 when none)
    root: str
    on: date
    at: time | None
    profession: str
    qualification: str | None
    qualification_label_fr: str | None
    qualification_label_nl: str | None
    qualification_role: str | None
    accredited: bool
    agreement: str | None
    agreement_title: str | None
    adherence: str | None  # full | partial | refused (None without an agreement)
    convention_status: str | None
    in_declared_block: bool | None
    declared_blocks: str | None
    partial_ambulatory_only: bool
    physio_convention_in_force: bool
    region: str | None

    @property
    def deviates_at_time(self) -> bool | None:
        """Whether the provider may deviate from the agreed fees at the given moment:
        non-conventioned yes, conventioned no, partially only inside a declared block
        (None when partial and no time was given, or no agreement is in force)."""
        if self.convention_status == "non-conventioned":
            return True
        if self.convention_status == "conventioned":
            return False
        if self.convention_status == "partially":
            return self.in_declared_block
        return None


def agreement_in_force(
    agreements: Iterable[AgreementTerm], profession: str, on: date
) -> AgreementTerm | None:
    """The agreement of *profession* in force on *on* (periods of one profession never
    overlap), or None in a gap."""
    for term in agreements:
        if term.profession == profession and term.contains(on):
            return term
    return None


def physio_convention_in_force(on: date, agreements: Iterable[AgreementTerm]) -> bool:
    """Whether a physiotherapists' convention is in force on *on*.

    The reduced reimbursement at a non-conventioned physiotherapist (-25 %) applies only
    while one is (none from 2025-01-01 to 2025-04-30, nor in the early-2022 gap): the
    agreements table is the source of truth, not a constant.
    """
    return agreement_in_force(agreements, PHYSIOTHERAPIST, on) is not None


def qualification_on(record: ProviderRecord, on: date) -> str | None:
    """The qualification code in force on *on* (periods never overlap)."""
    for period in record.qualifications:
        if period.contains(on):
            return period.code
    return None


def accredited_on(record: ProviderRecord, on: date) -> bool:
    """Whether an accreditation period holds *on*."""
    return any(start <= on and (end is None or on <= end) for start, end in record.accreditations)


def adherence_on(record: ProviderRecord, agreement: AgreementTerm, on: date) -> AdherenceTerm:
    """The provider's adherence to *agreement* on *on*: the recorded answer from its
    effective date, otherwise full (the default)."""
    for term in record.adherences:
        if term.agreement_key == agreement.key and term.effective_from <= on:
            return term
    return AdherenceTerm(agreement.key, "full", agreement.valid_from)


def resolve_facts(
    record: ProviderRecord,
    *,
    agreements: Sequence[AgreementTerm],
    on: date,
    at: time | None = None,
    labels: Iterable[QualificationLabel] = (),
) -> ProviderFacts:
    """Everything the rules need to know about the provider on *on* (at *at*)."""
    code = qualification_on(record, on)
    label = find_label(labels, record.profession, code) if code is not None else None
    role = label.role if label is not None else None
    agreement = agreement_in_force(agreements, record.profession, on)
    adherence: AdherenceTerm | None = None
    status: str | None = None
    in_block: bool | None = None
    blocks_text: str | None = None
    if agreement is not None:
        adherence = adherence_on(record, agreement, on)
        status = CONVENTION_STATUS[adherence.status]
        if adherence.status == "partial":
            blocks_text = format_blocks(adherence.blocks)
            if at is not None:
                in_block = in_blocks(adherence.blocks, on.weekday(), at)
    partial = adherence is not None and adherence.status == "partial"
    return ProviderFacts(
        nihii=record.root + (code or "000"),
        root=record.root,
        on=on,
        at=at,
        profession=record.profession,
        qualification=code,
        qualification_label_fr=label.label_fr if label is not None else None,
        qualification_label_nl=label.label_nl if label is not None else None,
        qualification_role=role,
        accredited=accredited_on(record, on),
        agreement=agreement.key if agreement is not None else None,
        agreement_title=agreement.title if agreement is not None else None,
        adherence=adherence.status if adherence is not None else None,
        convention_status=status,
        in_declared_block=in_block,
        declared_blocks=blocks_text,
        partial_ambulatory_only=partial and block_rule(role).ambulatory_only,
        physio_convention_in_force=physio_convention_in_force(on, agreements),
        region=record.region,
    )
