"""What a reimbursement computation reads and answers: the act's rules, the patient, the
recorded care, one line of a visit, an explanation step and the result; and the words they
use (providers, settings, act categories, the two statuses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from datetime import date as Date  # CaseResult has a field named ``date``
from decimal import Decimal
from typing import Protocol

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.tariffs import Beneficiary, TariffView

PROVIDERS = ("conventioned", "partially", "non-conventioned")
SETTINGS = ("ambulatory", "hospitalised")
CATEGORIES = (
    "gp_consultation",
    "gp_visit",
    "specialist_consultation",
    "physio",
    "physio_heavy",
    "physio_fafb",
    "physio_short",
    "dental",
    "other",
    "nursing",  # home nursing (art. 8): a discipline a medical house may cover
    "supplement",  # a pseudo-code billed with a main code (night, weekend, on-call ...)
)
DOCTOR_CATEGORIES = frozenset({"gp_consultation", "gp_visit", "specialist_consultation"})
PHYSIO_CATEGORIES = frozenset({"physio", "physio_heavy", "physio_fafb", "physio_short"})

OK = "ok"
REFUSED = "refused"


# ------------------------------------------------------------------ inputs


class ActRules(Protocol):
    """What the computation reads of a nomenclature act (services' ``ActView`` fits)."""

    @property
    def code(self) -> str: ...
    @property
    def label_fr(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def setting(self) -> str: ...
    @property
    def valid_from(self) -> date | None: ...
    @property
    def valid_to(self) -> date | None: ...
    @property
    def min_age(self) -> int | None: ...
    @property
    def max_age(self) -> int | None: ...
    @property
    def max_per_period(self) -> int | None: ...
    @property
    def frequency_period(self) -> str | None: ...
    @property
    def not_combinable_with(self) -> tuple[str, ...]: ...
    @property
    def prerequisite(self) -> str | None: ...


@dataclass(frozen=True)
class Act:
    """A concrete ``ActRules`` (tests, and callers that build acts by hand)."""

    code: str
    label_fr: str = ""
    category: str = "other"
    setting: str = "any"
    valid_from: date | None = None
    valid_to: date | None = None
    min_age: int | None = None
    max_age: int | None = None
    max_per_period: int | None = None
    frequency_period: str | None = None
    not_combinable_with: tuple[str, ...] = ()
    prerequisite: str | None = None
    article: str = ""  # nomenclature article ("2", "5" ...): whose act it is (bans)


@dataclass(frozen=True)
class Patient:
    """The beneficiary on the date of care, as the computation needs it."""

    regime: str = "ordinary"  # ordinary | preferential (BIM)
    dmg: bool = False
    age: int | None = None
    chronic: bool = False
    insured: bool = True
    not_insured_reason: str = ""
    bim_automatic: bool = False  # BIM granted automatically (social benefit), not on income
    dmg_holder: str = ""  # INAMI number of the GP holding the DMG (register), "" = unknown
    gp: str = ""  # INAMI number of the case's GP, "" = unknown (R3, ``_dmg``)
    dmg_access: bool = False  # the case's GP has access to the DMG (group, "G" mention)
    # the medical house the person is enrolled in on the date, and what it covers
    medical_house: str = ""
    medical_house_disciplines: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.regime not in ("ordinary", "preferential"):
            raise InvalidInput(f"regime {self.regime!r}: expected ordinary or preferential")
        if self.age is not None and not 0 <= self.age <= 150:
            raise InvalidInput(f"age {self.age}: expected 0 to 150")

    @property
    def beneficiary(self) -> Beneficiary:
        """The tariff-profile view of this patient."""
        return Beneficiary(self.regime, self.dmg, self.age, self.chronic)

    def label(self) -> str:
        """``preferential, dmg, age 40`` style summary."""
        parts = [self.regime, "dmg" if self.dmg else "no dmg"]
        parts.append(f"age {self.age}" if self.age is not None else "age unknown")
        if self.chronic:
            parts.append("chronic")
        if self.regime == "preferential" and self.bim_automatic:
            parts.append("automatic BIM")
        return ", ".join(parts)


@dataclass(frozen=True)
class PastCare:
    """A care record of the person (recorded with ``--record``), for history rules."""

    code: str
    care_date: date
    category: str = "other"
    not_combinable_with: tuple[str, ...] = ()
    referral_reduced: bool = False  # the specialist referral reduction was granted


@dataclass(frozen=True)
class Line:
    """One code of a visit: its act, the tariff in force (None: none) and what is charged."""

    act: ActRules
    tariff: TariffView | None
    charged: Decimal | None = None  # None: the provider charges the fee


@dataclass(frozen=True)
class Step:
    """One step of an explanation: what was used, its value, its validity, its source."""

    what: str
    value: str
    valid_from: date | None = None
    valid_to: date | None = None
    source: str = ""
    rule: str = ""  # the rules-audit id applied (R3 ...); empty for data (issue 15)


@dataclass(frozen=True)
class CaseResult:
    """The answer for one code of a visit."""

    code: str
    date: Date
    label: str
    regime: str
    dmg: bool
    age: int | None
    chronic: bool
    profile: str
    fee: Decimal | None
    reimbursement: Decimal | None
    personal_share: Decimal | None
    supplement: Decimal | None
    patient_total: Decimal | None
    tariff_valid_from: Date | None
    tariff_valid_to: Date | None
    source: str
    status: str
    refusal_code: str | None = None
    refusal_reason: str | None = None
    explanation: tuple[Step, ...] = field(default=())
    # who pays what (``_third_party``) and the referral reduction (``_referral``)
    third_party: bool = False
    paid_at_desk: Decimal | None = None
    paid_to_provider: Decimal | None = None
    referral_reduced: bool = False

    @property
    def ok(self) -> bool:
        """True when the code is reimbursed."""
        return self.status == OK
