"""Audit log, import batches (the provenance of imported rows) and the consultation log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field

from inami_cli.db.models._base import Table


class AuditEntry(Table, table=True):
    """One change to the data: who, when, which command, before/after as JSON."""

    __tablename__ = "audit_entry"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    operator: str  # the OS user who ran the command
    # ``[audit] operator`` as declared in the configuration, beside (never instead of) it
    declared_operator: str = Field(default="", sa_column_kwargs={"server_default": ""})
    command: str = Field(sa_column=Column(Text, nullable=False))
    action: str  # insert | update | delete
    entity: str = Field(index=True)
    key: str = Field(index=True)
    before_json: str | None = Field(default=None, sa_column=Column(Text))
    after_json: str | None = Field(default=None, sa_column=Column(Text))


class ImportBatch(Table, table=True):
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


class ConsultationLog(Table, table=True):
    """A read answered to somebody (``[audit] log_consultations``): who asked what, when."""

    __tablename__ = "consultation_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    operator: str  # the OS user
    declared_operator: str = Field(default="", sa_column_kwargs={"server_default": ""})
    command: str = Field(sa_column=Column(Text, nullable=False))
    subject: str = Field(index=True)  # e.g. the NISS asked about
    answer_json: str = Field(sa_column=Column(Text, nullable=False))
