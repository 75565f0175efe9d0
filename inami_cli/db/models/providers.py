"""Provider register and agreements: providers, their dated qualifications, accreditations
and professional addresses, the agreements (per profession, dated) and each provider's
adherence to them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field

from inami_cli.db.models._base import Table


class Provider(Table, table=True):
    """A care provider, identified for life by the first 8 digits of the INAMI number."""

    __tablename__ = "provider"
    nihii: str = Field(primary_key=True, max_length=8)  # the root: profession, sequence, check
    profession: str = Field(index=True)
    last_name: str = ""
    first_name: str = ""
    source: str = ""
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class ProviderQualification(Table, table=True):
    """The qualification code (last 3 digits of the number) over a period."""

    __tablename__ = "provider_qualification"
    __table_args__ = (Index("ix_provider_qualification_nihii", "nihii", "valid_from"),)
    id: int | None = Field(default=None, primary_key=True)
    nihii: str = Field(foreign_key="provider.nihii")
    code: str = Field(max_length=3)
    valid_from: date
    valid_to: date | None = None
    source: str = ""
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class ProviderAccreditation(Table, table=True):
    """An accreditation period (provisional 1 year, then 3 years)."""

    __tablename__ = "provider_accreditation"
    __table_args__ = (Index("ix_provider_accreditation_nihii", "nihii", "valid_from"),)
    id: int | None = Field(default=None, primary_key=True)
    nihii: str = Field(foreign_key="provider.nihii")
    valid_from: date
    valid_to: date | None = None
    source: str = ""
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class ProviderAddress(Table, table=True):
    """A professional address with its region (adherence figures are published by region)."""

    __tablename__ = "provider_address"
    id: int | None = Field(default=None, primary_key=True)
    nihii: str = Field(foreign_key="provider.nihii", index=True)
    street: str = ""
    postcode: str = ""
    city: str = ""
    region: str  # brussels | flanders | wallonia | german-speaking
    is_main: bool = False
    source: str = ""
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class Agreement(Table, table=True):
    """An agreement (accord/akkoord) or convention of one profession over a period."""

    __tablename__ = "agreement"
    key: str = Field(primary_key=True)  # doctors-2026-2027, physio-m25, ...
    profession: str = Field(index=True)
    kind: str = "agreement"  # accord | convention
    title: str = ""
    valid_from: date
    valid_to: date | None = None
    concluded_on: date | None = None
    concluded_by: str = ""  # the body: CNMM, CASS, a convention commission
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
    published_on: date | None = None
    indexation: str = ""  # percent as exact text (``2.72``)
    reliability: str = ""
    source: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class Adherence(Table, table=True):
    """A provider's answer to an agreement: full, partial (with blocks) or refused."""

    __tablename__ = "adherence"
    __table_args__ = (UniqueConstraint("agreement_key", "nihii"),)
    id: int | None = Field(default=None, primary_key=True)
    agreement_key: str = Field(foreign_key="agreement.key", index=True)
    nihii: str = Field(foreign_key="provider.nihii", index=True)
    status: str  # full | partial | refused
    effective_from: date  # before it, the default (full)
    registered_on: date | None = None
    blocks: str = ""  # canonical "Mon 14:00-18:00, Wed 09:00-13:00"
    source: str = ""
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
