"""Recorded reimbursed cases (frequency limits and history)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index
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
    # 64-bit: amounts up to 999 999 999.99 (values.AMOUNT_LIMIT; schema 0005)
    fee_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    reimbursement_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    personal_share_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    supplement_cents: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    location: str | None = None  # tooth, limb, ...
    provider: str = "conventioned"
    recorded_at: datetime
    operator: str = ""
    # the specialist referral reduction was granted (once a year per specialty; schema 0005)
    referral_reduced: bool = False
