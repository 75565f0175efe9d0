"""All SQLModel tables in one module (cross-references without import cycles).

Conventions: money as integer cents (``*_cents``); exact decimals (coefficients,
key-letter values) as text; codes as strings; periods ``valid_from`` inclusive and
``valid_to`` inclusive or NULL (open). Reference data says where it came from (``source``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class _Table(SQLModel):
    """Base of every table: pydantic's validator is built on first use, not at import.

    Table models are not validated on construction, and most commands never need the
    validators of the 21 tables; deferring them takes about a quarter off importing this
    module (measured with ``python -X importtime``), which every cold command pays.
    """

    model_config = {"defer_build": True}


# ---------------------------------------------------------------- audit and batches


class AuditEntry(_Table, table=True):
    """One change to the data: who, when, which command, before/after as JSON."""

    __tablename__ = "audit_entry"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    operator: str
    command: str = Field(sa_column=Column(Text, nullable=False))
    action: str  # insert | update | delete
    entity: str = Field(index=True)
    key: str = Field(index=True)
    before_json: str | None = Field(default=None, sa_column=Column(Text))
    after_json: str | None = Field(default=None, sa_column=Column(Text))


class ImportBatch(_Table, table=True):
    """One import run (nomenclature, persons, entitlements): the provenance of its rows."""

    __tablename__ = "import_batch"
    id: int | None = Field(default=None, primary_key=True)
    kind: str  # tariffs | persons | entitlements | ...
    filename: str
    sha256: str
    at: datetime
    operator: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


class ConsultationLog(_Table, table=True):
    """A read answered to somebody (``[audit] log_consultations``): who asked what, when."""

    __tablename__ = "consultation_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    operator: str
    command: str = Field(sa_column=Column(Text, nullable=False))
    subject: str = Field(index=True)  # e.g. the NISS asked about
    answer_json: str = Field(sa_column=Column(Text, nullable=False))


# ---------------------------------------------------------------- nomenclature


class Act(_Table, table=True):
    """A nomenclature code (6 digits, pseudo-codes too) and the rules attached to it."""

    __tablename__ = "act"
    code: str = Field(primary_key=True, max_length=6)
    label_fr: str = Field(sa_column=Column(Text, nullable=False))
    label_nl: str = Field(sa_column=Column(Text, nullable=False))
    article: str = Field(default="", index=True)  # "2", "7", "14 a"
    category: str = Field(
        default="other"
    )  # rule family: gp_consultation, physio_... (domain/rules)
    setting: str = Field(default="any")  # ambulatory | hospitalised | any
    valid_from: date | None = None
    valid_to: date | None = None
    min_age: int | None = None  # inclusive, whole years on the date of care
    max_age: int | None = None  # inclusive ("until the 67th birthday" = 66)
    max_per_period: int | None = None
    frequency_period: str | None = None  # calendar_year | day | ...
    not_combinable_with: str = Field(default="")  # space-separated codes
    prerequisite: str | None = None  # named rule, e.g. dental_care_previous_year
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    source: str = Field(default="")
    updated_at: datetime | None = None


class KeyTerm(_Table, table=True):
    """One key-letter term of an act's fee: coefficient x value of an index (``N265 x 8``)."""

    __tablename__ = "key_term"
    __table_args__ = (UniqueConstraint("code", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(foreign_key="act.code", index=True)
    position: int
    key_letter: str  # N, K, Q, ...
    index_code: str  # N265, Q124
    coefficient: str  # exact decimal as text


class KeyLetterValue(_Table, table=True):
    """The value of a key-letter index over a period (``N265`` = 3.372107 from 2025-01-01)."""

    __tablename__ = "key_letter_value"
    id: int | None = Field(default=None, primary_key=True)
    index_code: str = Field(index=True)
    valid_from: date
    valid_to: date | None = None
    value: str  # exact decimal as text
    source: str = ""
    recorded_at: datetime


class Tariff(_Table, table=True):
    """A code's fee for one validity period, one recorded version of it.

    Corrections never update in place: the old version gets ``superseded_at`` and a new
    row is recorded, so ``--as-recorded-on`` can answer as the database did then.
    """

    __tablename__ = "tariff"
    __table_args__ = (Index("ix_tariff_code_current", "code", "superseded_at", "valid_from"),)
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(foreign_key="act.code")
    valid_from: date
    valid_to: date | None = None
    fee_cents: int | None = None  # None: derived from the act's key-letter terms on the date
    source_kind: str = "operator"  # import | decision | operator | indexation | fixture
    source: str = ""  # human-readable provenance: file, "CASS 2026/014", "indexation ..."
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
    recorded_at: datetime
    superseded_at: datetime | None = None
    operator: str = ""


class TariffProfile(_Table, table=True):
    """What the insurer pays for one beneficiary profile of a tariff (NULL column = any)."""

    __tablename__ = "tariff_profile"
    id: int | None = Field(default=None, primary_key=True)
    tariff_id: int = Field(foreign_key="tariff.id", index=True)
    regime: str | None = None  # ordinary | preferential
    dmg: bool | None = None
    age_from: int | None = None  # inclusive
    age_to: int | None = None  # inclusive
    chronic: bool | None = None
    reimbursement_cents: int


# ---------------------------------------------------------------- insurability


class Insurer(_Table, table=True):
    """An organisme assureur / verzekeringsinstelling (100 ... 900)."""

    __tablename__ = "insurer"
    code: str = Field(primary_key=True, max_length=3)
    name_fr: str
    name_nl: str
    short_name: str = ""


class Person(_Table, table=True):
    """A beneficiary identified by NISS (national register) or BIS number."""

    __tablename__ = "person"
    niss: str = Field(primary_key=True, max_length=11)
    last_name: str = ""
    first_name: str = ""
    birth_date: date | None = None
    sex: str | None = None  # M | F, from the number when it carries it
    is_bis: bool = False
    death_date: date | None = None
    source: str = ""
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class Affiliation(_Table, table=True):
    """A person's affiliation to an insurer over a period (at most one on any day)."""

    __tablename__ = "affiliation"
    __table_args__ = (
        Index("ix_affiliation_niss_from", "niss", "valid_from"),
        Index("ix_affiliation_member", "insurer_code", "member_number"),
    )
    id: int | None = Field(default=None, primary_key=True)
    niss: str = Field(foreign_key="person.niss")
    insurer_code: str = Field(foreign_key="insurer.code")
    member_number: str
    quality: str = "titular"  # titular | dependent
    titular_niss: str | None = None
    ct1: str
    ct2: str
    valid_from: date
    valid_to: date | None = None
    source: str = ""
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class Entitlement(_Table, table=True):
    """A dated right: bim (preferential regime), dmg, chronic, third_party."""

    __tablename__ = "entitlement"
    __table_args__ = (Index("ix_entitlement_niss_kind", "niss", "kind", "valid_from"),)
    id: int | None = Field(default=None, primary_key=True)
    niss: str = Field(foreign_key="person.niss")
    kind: str  # bim | dmg | chronic | third_party
    valid_from: date
    valid_to: date | None = None
    detail: str = ""  # dmg: the GP's identifier; bim: automatic | income
    source: str = ""
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class CareRecord(_Table, table=True):
    """A reimbursed case recorded with ``reimburse --record`` (frequency limits, history)."""

    __tablename__ = "care_record"
    __table_args__ = (Index("ix_care_record_niss_date", "niss", "care_date"),)
    id: int | None = Field(default=None, primary_key=True)
    niss: str = Field(foreign_key="person.niss")
    code: str = Field(foreign_key="act.code")
    care_date: date
    fee_cents: int
    reimbursement_cents: int
    personal_share_cents: int
    supplement_cents: int = 0
    location: str | None = None  # tooth, limb, ...
    provider: str = "conventioned"
    recorded_at: datetime
    operator: str = ""


# ---------------------------------------------------------------- committees


class Committee(_Table, table=True):
    """A body of INAMI; its composition and voting rules are data (config/committees.toml)."""

    __tablename__ = "committee"
    code: str = Field(primary_key=True)
    name_fr: str
    name_nl: str
    rules_json: str = Field(sa_column=Column(Text, nullable=False))
    synced_at: datetime | None = None


class Member(_Table, table=True):
    """A mandate in a committee: a person for one group, effective or substitute."""

    __tablename__ = "member"
    id: int | None = Field(default=None, primary_key=True)
    committee_code: str = Field(foreign_key="committee.code", index=True)
    name: str
    organisation: str = ""
    group_code: str
    role: str = "effective"  # effective | substitute
    valid_from: date
    valid_to: date | None = None


class Meeting(_Table, table=True):
    """A meeting of a committee: planned -> held -> closed."""

    __tablename__ = "meeting"
    id: int | None = Field(default=None, primary_key=True)
    committee_code: str = Field(foreign_key="committee.code", index=True)
    meeting_date: date
    state: str = "planned"
    title: str = ""


class Attendance(_Table, table=True):
    """A member present at a meeting (a substitute names the effective member replaced)."""

    __tablename__ = "attendance"
    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    substitute_for: int | None = Field(default=None, foreign_key="member.id")


class Decision(_Table, table=True):
    """A numbered decision (``CASS 2026/014``), its vote and its computed outcome."""

    __tablename__ = "decision"
    __table_args__ = (UniqueConstraint("committee_code", "year", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    committee_code: str = Field(foreign_key="committee.code")
    year: int
    seq: int
    number: str = Field(unique=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    title: str
    text: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    kind: str  # tariff | nomenclature | agreement | budget | opinion | other
    state: str = "draft"  # draft | adopted | rejected
    votes_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    quorum_reached: bool | None = None
    majority_reached: bool | None = None
    outcome_reason: str = ""
    effective_date: date | None = None
    legal_reference: str = ""
    publication_date: date | None = None
    dossier: str = ""
    revision: int = 1
    applied_at: datetime | None = None
    created_at: datetime


class DecisionRevision(_Table, table=True):
    """An earlier version of a decision, kept when it is revised."""

    __tablename__ = "decision_revision"
    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True)
    revision: int
    snapshot_json: str = Field(sa_column=Column(Text, nullable=False))
    revised_at: datetime
    operator: str
    reason: str = ""


class DecisionTariffChange(_Table, table=True):
    """One tariff row a decision enacts (the nomenclature import columns)."""

    __tablename__ = "decision_tariff_change"
    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True)
    line: int
    row_json: str = Field(sa_column=Column(Text, nullable=False))


class DossierStep(_Table, table=True):
    """One act in the journey of a change: proposal, advice, decision, opinion, publication."""

    __tablename__ = "dossier_step"
    id: int | None = Field(default=None, primary_key=True)
    dossier: str = Field(index=True)
    body: str  # CTM, CNMM, CASS, "Inspector of Finance", ...
    kind: str  # proposal | advice | decision | opinion | publication | in_force
    step_date: date
    reference: str = ""
    deemed_given: bool = False
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
    codes: str = ""  # space-separated nomenclature codes concerned
