"""Indemnity tables: the dated parameter store and the incapacity episodes of persons."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field

from inami_cli.db.models._base import Table


class IndemnityParam(Table, table=True):
    """One dated value of an indemnity parameter, with its source and reliability.

    ``value`` is exact text (a decimal, or a rule word such as ``half-up``); a name may
    carry a cohort (``employee.invalidity.max.family[1974-10-01..2002-12-31]``). Periods of
    one name never overlap (checked on write and by ``inami db check``).
    """

    __tablename__ = "indemnity_param"
    __table_args__ = (UniqueConstraint("name", "valid_from", name="uq_indemnity_param_name_from"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    valid_from: date
    valid_to: date | None = None
    value: str
    unit: str
    reliability: str  # official | fund | secondary | derived
    source: str = Field(sa_column=Column(Text, nullable=False))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    origin: str = "reference"  # reference (shipped data) | operator | import FILE


class IncapacitySpell(Table, table=True):
    """A recognised period of incapacity of a person.

    A relapse (a new incapacity within 14 days of the end of a primary one, 3 months of an
    invalidity) continues the episode: it keeps the ``episode_start`` of the first spell,
    from which the days, the guaranteed wage and the passage to invalidity are counted.
    """

    __tablename__ = "incapacity_spell"
    __table_args__ = (Index("ix_incapacity_spell_niss_from", "niss", "valid_from"),)
    id: int | None = Field(default=None, primary_key=True)
    niss: str = Field(foreign_key="person.niss")
    scheme: str  # employee | unemployed | self-employed
    kind: str = "primary"  # primary | invalidity (recorded as such from its start)
    valid_from: date
    valid_to: date | None = None
    episode_start: date
    relapse: bool = False
    family_situation: str | None = None
    regular_worker: bool = True
    worker_category: str = "white-collar"
    # 64-bit: amounts up to 999 999 999.99 (values.AMOUNT_LIMIT; schema 0005)
    gross_daily_cents: int | None = Field(default=None, sa_column=Column(BigInteger))
    source: str = "operator"
