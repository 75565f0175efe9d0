"""Funding tables: the year's global budget objective, and each insurer's expenditure
figures (budgeted, actual, normative) that the advances, shares and responsibility use.

Amounts are cents in 64-bit integers: a budget objective of 40 986 000 000 € is
4 098 600 000 000 cents, beyond a 32-bit INTEGER on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field

from inami_cli.db.models._base import Table


class FundingYear(Table, table=True):
    """The global budget objective of a year, with its source and reliability."""

    __tablename__ = "funding_year"
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    objective_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    reliability: str = "official"  # official | fund | secondary | derived
    source: str = ""
    mali_cap_percent: str | None = None  # exact decimal as text ("2.00"); None: unknown
    mali_cap_source: str = ""
    updated_at: datetime | None = None


class FundingInput(Table, table=True):
    """An insurer's expenditure figures for a year (cents; None: not given)."""

    __tablename__ = "funding_input"
    __table_args__ = (
        UniqueConstraint("year", "insurer_code", name="uq_funding_input_year_insurer"),
    )
    id: int | None = Field(default=None, primary_key=True)
    year: int
    insurer_code: str = Field(foreign_key="insurer.code")
    budgeted_cents: int | None = Field(default=None, sa_column=Column(BigInteger))
    actual_cents: int | None = Field(default=None, sa_column=Column(BigInteger))
    normative_cents: int | None = Field(default=None, sa_column=Column(BigInteger))
    source: str = ""
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
