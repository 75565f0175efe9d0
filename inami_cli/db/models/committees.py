"""Committee tables: committees, mandates, meetings, attendance, decisions, dossier steps."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field

from inami_cli.db.models._base import Table


class Committee(Table, table=True):
    """A body of INAMI; its composition and voting rules are data (config/committees.toml)."""

    __tablename__ = "committee"
    code: str = Field(primary_key=True)
    name_fr: str
    name_nl: str
    rules_json: str = Field(sa_column=Column(Text, nullable=False))
    synced_at: datetime | None = None


class Member(Table, table=True):
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


class Meeting(Table, table=True):
    """A meeting of a committee: planned -> held -> closed."""

    __tablename__ = "meeting"
    id: int | None = Field(default=None, primary_key=True)
    committee_code: str = Field(foreign_key="committee.code", index=True)
    meeting_date: date
    state: str = "planned"
    title: str = ""


class Attendance(Table, table=True):
    """A member present at a meeting (a substitute names the effective member replaced)."""

    __tablename__ = "attendance"
    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    substitute_for: int | None = Field(default=None, foreign_key="member.id")


class Decision(Table, table=True):
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


class DecisionRevision(Table, table=True):
    """An earlier version of a decision, kept when it is revised."""

    __tablename__ = "decision_revision"
    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True)
    revision: int
    snapshot_json: str = Field(sa_column=Column(Text, nullable=False))
    revised_at: datetime
    operator: str
    reason: str = ""


class DecisionTariffChange(Table, table=True):
    """One tariff row a decision enacts (the nomenclature import columns)."""

    __tablename__ = "decision_tariff_change"
    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True)
    line: int
    row_json: str = Field(sa_column=Column(Text, nullable=False))


class DossierStep(Table, table=True):
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
