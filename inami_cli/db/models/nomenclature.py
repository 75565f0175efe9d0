"""Nomenclature tables: acts, key-letter terms and values, dated tariffs and their profiles."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field

from inami_cli.db.models._base import Table


class Act(Table, table=True):
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


class KeyTerm(Table, table=True):
    """One key-letter term of an act's fee: coefficient x value of an index (``N265 x 8``)."""

    __tablename__ = "key_term"
    __table_args__ = (UniqueConstraint("code", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(foreign_key="act.code", index=True)
    position: int
    key_letter: str  # N, K, Q, ...
    index_code: str  # N265, Q124
    coefficient: str  # exact decimal as text


class KeyLetterValue(Table, table=True):
    """The value of a key-letter index over a period (``N265`` = 3.372107 from 2025-01-01)."""

    __tablename__ = "key_letter_value"
    id: int | None = Field(default=None, primary_key=True)
    index_code: str = Field(index=True)
    valid_from: date
    valid_to: date | None = None
    value: str  # exact decimal as text
    source: str = ""
    recorded_at: datetime


class Tariff(Table, table=True):
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
    # None: derived from the act's key-letter terms on the date.
    # 64-bit: amounts up to 999 999 999.99 (values.AMOUNT_LIMIT; schema 0005)
    fee_cents: int | None = Field(default=None, sa_column=Column(BigInteger))
    source_kind: str = "operator"  # import | decision | operator | indexation | fixture
    source: str = ""  # human-readable provenance: file, "CASS 2026/014", "indexation ..."
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
    recorded_at: datetime
    superseded_at: datetime | None = None
    operator: str = ""


class TariffProfile(Table, table=True):
    """What the insurer pays for one beneficiary profile of a tariff (NULL column = any)."""

    __tablename__ = "tariff_profile"
    id: int | None = Field(default=None, primary_key=True)
    tariff_id: int = Field(foreign_key="tariff.id", index=True)
    regime: str | None = None  # ordinary | preferential
    dmg: bool | None = None
    age_from: int | None = None  # inclusive
    age_to: int | None = None  # inclusive
    chronic: bool | None = None
    reimbursement_cents: int = Field(sa_column=Column(BigInteger, nullable=False))  # 64-bit


class ActRule(Table, table=True):
    """The rules of an act over a period (age and frequency limits, prerequisite,
    non-combinable codes, setting), dated like tariffs (schema 0005). Outside every period
    the act's own columns apply."""

    __tablename__ = "act_rule"
    __table_args__ = (UniqueConstraint("code", "valid_from", name="uq_act_rule_code_from"),)
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(foreign_key="act.code", index=True)
    valid_from: date
    valid_to: date | None = None
    min_age: int | None = None
    max_age: int | None = None
    max_per_period: int | None = None
    frequency_period: str | None = None
    not_combinable_with: str = Field(default="")  # space-separated codes
    prerequisite: str | None = None
    setting: str = Field(default="any")
    source: str = Field(default="")
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
