"""MAF tables: the year's parameters, households as of 1 January with their members and
income, and counters of personal shares the project does not compute itself."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field

from inami_cli.db.models._base import Table


class MafParameter(Table, table=True):
    """One MAF figure of a year (cents; a bracket number for ``letter.X``), with its source."""

    __tablename__ = "maf_parameter"
    __table_args__ = (UniqueConstraint("year", "name", name="uq_maf_parameter_year_name"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int
    name: str
    value: int = Field(sa_column=Column(BigInteger, nullable=False))  # 64-bit (schema 0005)
    reliability: str  # official | fund | secondary | derived
    source: str = ""
    note: str = ""
    updated_at: datetime | None = None


class MafHousehold(Table, table=True):
    """A household (ménage de fait) of a MAF year, named by a code unique in the year."""

    __tablename__ = "maf_household"
    __table_args__ = (UniqueConstraint("year", "code", name="uq_maf_household_year_code"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int
    code: str
    # net taxable income of the household (64-bit: a large income passes 2^31 cents)
    income_cents: int | None = Field(default=None, sa_column=Column(BigInteger))
    income_year: int | None = None
    income_letter: str | None = None  # or the tax administration's category letter
    income_source: str = ""
    source: str = ""
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class MafMember(Table, table=True):
    """A person in a household of a year (at most one household a year)."""

    __tablename__ = "maf_member"
    __table_args__ = (
        UniqueConstraint("year", "niss", name="uq_maf_member_year_niss"),
        Index("ix_maf_member_household", "household_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="maf_household.id")
    year: int
    niss: str = Field(foreign_key="person.niss")
    social: bool = False  # in the social-MAF group (BIM holder, partner, dependants)
    chronic: bool = False  # statut affection chronique during the year


class MafCounter(Table, table=True):
    """Personal shares entered by hand or imported (medicines, hospital days, ...)."""

    __tablename__ = "maf_counter"
    __table_args__ = (Index("ix_maf_counter_niss_date", "niss", "care_date"),)
    id: int | None = Field(default=None, primary_key=True)
    niss: str = Field(foreign_key="person.niss")
    care_date: date
    kind: str
    # personal share per unit (per day for day counters); 64-bit (schema 0005)
    unit_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    quantity: int = 1
    day_number: int | None = None  # psychiatric stays: rank of the first day in the stay
    reference: str = ""  # the fund's or pharmacy's reference; tells equal entries apart
    note: str = ""
    source: str = ""
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
