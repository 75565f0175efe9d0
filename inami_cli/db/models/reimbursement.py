"""Recorded reimbursed cases (frequency limits and history)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field

from inami_cli.db.models._base import Table


class CareRecord(Table, table=True):
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
    # the specialist referral reduction was granted (once a year per specialty; schema 0005)
    referral_reduced: bool = False
