"""Every SQLModel table, one module per feature (the same names as the feature packages).

Importing this package registers every table in ``SQLModel.metadata`` (what Alembic and
``db status`` need). A new feature adds its module here and one import line below.
"""

from __future__ import annotations

from inami_cli.db.models.audit import AuditEntry, ConsultationLog, ImportBatch
from inami_cli.db.models.committees import (
    Attendance,
    Committee,
    Decision,
    DecisionRevision,
    DecisionTariffChange,
    DossierStep,
    Meeting,
    Member,
)
from inami_cli.db.models.funding import FundingInput, FundingYear
from inami_cli.db.models.indemnities import IncapacitySpell, IndemnityParam
from inami_cli.db.models.insurability import (
    Affiliation,
    Entitlement,
    Insurer,
    MedicalHouseEnrolment,
    Person,
)
from inami_cli.db.models.maf import MafCounter, MafHousehold, MafMember, MafParameter
from inami_cli.db.models.nomenclature import (
    Act,
    ActRule,
    KeyLetterValue,
    KeyTerm,
    Tariff,
    TariffProfile,
)
from inami_cli.db.models.providers import (
    Adherence,
    Agreement,
    Provider,
    ProviderAccreditation,
    ProviderAddress,
    ProviderQualification,
)
from inami_cli.db.models.reimbursement import CareRecord

__all__ = [
    "Act",
    "ActRule",
    "Adherence",
    "Affiliation",
    "Agreement",
    "Attendance",
    "AuditEntry",
    "CareRecord",
    "Committee",
    "ConsultationLog",
    "Decision",
    "DecisionRevision",
    "DecisionTariffChange",
    "DossierStep",
    "Entitlement",
    "FundingInput",
    "FundingYear",
    "ImportBatch",
    "IncapacitySpell",
    "IndemnityParam",
    "Insurer",
    "KeyLetterValue",
    "KeyTerm",
    "MafCounter",
    "MafHousehold",
    "MafMember",
    "MafParameter",
    "MedicalHouseEnrolment",
    "Meeting",
    "Member",
    "Person",
    "Provider",
    "ProviderAccreditation",
    "ProviderAddress",
    "ProviderQualification",
    "Tariff",
    "TariffProfile",
]
