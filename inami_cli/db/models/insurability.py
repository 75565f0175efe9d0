"""Insurability tables: insurers, persons, affiliations, entitlements."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field

from inami_cli.db.models._base import Table


class Insurer(Table, table=True):
    """An organisme assureur / verzekeringsinstelling (100 ... 900)."""

    __tablename__ = "insurer"
    code: str = Field(primary_key=True, max_length=3)
    name_fr: str
    name_nl: str
    short_name: str = ""


class Person(Table, table=True):
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


class Affiliation(Table, table=True):
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
    # the member's own mutuality (3 digits, e.g. 319, 417) besides the union (schema 0005)
    mutuality: str | None = Field(default=None, max_length=3)


class Entitlement(Table, table=True):
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


class MedicalHouseEnrolment(Table, table=True):
    """A person's dated enrolment in a medical house (maison médicale / wijkgezondheids-
    centrum, paid per capita) and the disciplines it covers (schema 0005)."""

    __tablename__ = "medical_house_enrolment"
    __table_args__ = (Index("ix_medical_house_niss_from", "niss", "valid_from"),)
    id: int | None = Field(default=None, primary_key=True)
    niss: str = Field(foreign_key="person.niss")
    house: str  # the medical house's INAMI number or name
    gp: bool = False  # MyCareNet MedicalHouse flag "Medical"
    physio: bool = False  # flag "Kine"
    nursing: bool = False  # flag "Nurse"
    valid_from: date
    valid_to: date | None = None
    source: str = ""
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
