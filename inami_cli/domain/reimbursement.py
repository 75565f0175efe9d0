"""Computing one case: fee, insurer part, personal share, supplement, refusals.

Pure rules (stdlib only). Inputs: the date of care, the codes of one visit (each with its
act rules and the tariff in force), the beneficiary, the provider's convention status, what
the provider charges, the setting and the person's recorded history. Output: one
``CaseResult`` per code, with an optional explanation (every value read, the period it is
valid for, and where it came from: OpenFisca-style trace).

How stored tariff profiles and the fixed-share rules combine (DOMAIN.md sections 2-3):

1. A stored profile of the tariff that matches the beneficiary wins: the most specific one
   (``domain.tariffs.select_profile``); reimbursement = the profile's amount, personal
   share = fee - reimbursement. A code that does not distinguish DMG gives the same answer
   with or without DMG.
2. When no stored profile matches, the fixed personal share of the act's category on the
   date (``FIXED_SHARES``) applies: personal share = the fixed amount (never above the fee),
   reimbursement = fee - personal share.
3. Neither: the code is refused (``R_NO_PROFILE``).

Then the named rules adjust the split, always as ``reimbursement = fee - personal share``
so that ``fee = reimbursement + personal share`` holds to the cent in every result:
the 25 % cut at a non-conventioned physiotherapist (``PHYSIO_NON_CONVENTIONED``), then no
personal share for young BIM patients with a DMG (``YOUNG_BIM_DMG``). What the provider
charges above the fee is a supplement, never reimbursed; a conventioned provider may not
charge it, and nor may anyone to a BIM patient where the ban applies (``SUPPLEMENT_BANS``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from datetime import date as Date  # CaseResult has a field named ``date``
from decimal import Decimal
from typing import Protocol

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.money import ZERO, round_cents
from inami_cli.domain.tariffs import Beneficiary, TariffView, select_profile

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
)
DOCTOR_CATEGORIES = frozenset({"gp_consultation", "gp_visit", "specialist_consultation"})
PHYSIO_CATEGORIES = frozenset({"physio", "physio_heavy", "physio_fafb", "physio_short"})

OK = "ok"
REFUSED = "refused"

# ------------------------------------------------------------------ refusal codes
# 001-010 are MyCareNet eTarif's reasons (HL7 Belgium, https://github.com/hl7-be/etariff,
# DOMAIN.md section 3); 9xx are this project's own, outside eTarif's range.
R_RENEWAL = "001"
R_MAX_REACHED = "002"
R_LOCATION = "003"
R_CEILING = "004"
R_NO_AGREEMENT = "005"
R_NEEDS_APPROVAL = "006"
R_DEPENDS_ON_OTHERS = "007"
R_PREREQUISITE = "008"
R_NOT_ON_DATE = "009"
R_NOT_COMBINABLE = "010"
R_NOT_INSURED = "901"
R_AGE = "902"
R_SETTING = "903"
R_NO_PROFILE = "904"
R_ABOVE_FEE = "905"
R_SUPPLEMENT_BANNED = "906"

REFUSAL_REASONS: dict[str, str] = {
    R_RENEWAL: "renewal period not expired",
    R_MAX_REACHED: "maximum number of services reached for the period",
    R_LOCATION: "already reimbursed for this location",
    R_CEILING: "value ceiling reached",
    R_NO_AGREEMENT: "no agreement of the advisory physician",
    R_NEEDS_APPROVAL: "needs approval",
    R_DEPENDS_ON_OTHERS: "tariff depends on other services billed together",
    R_PREREQUISITE: "prerequisite not met",
    R_NOT_ON_DATE: "code cannot be attested on this date",
    R_NOT_COMBINABLE: "cannot be combined",
    R_NOT_INSURED: "not insured on the date",
    R_AGE: "age outside the limits of the code",
    R_SETTING: "code not for this setting",
    R_NO_PROFILE: "no reimbursement for this beneficiary profile",
    R_ABOVE_FEE: "conventioned provider charged above the fee",
    R_SUPPLEMENT_BANNED: "supplement not allowed for this BIM patient",
}


# ------------------------------------------------------------------ rules as data


@dataclass(frozen=True)
class Rule:
    """A named rule of the insurance, with the date it applies from and its source."""

    name: str
    description: str
    valid_from: date | None  # None: in force on every date the project covers
    source: str
    valid_to: date | None = None

    def in_force(self, on: date) -> bool:
        """True when the rule applies on *on*."""
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )


@dataclass(frozen=True)
class FixedShareRule:
    """A fixed personal share (ticket modérateur / remgeld) for a family of acts."""

    name: str
    categories: frozenset[str]
    valid_from: date
    ordinary: Decimal
    preferential: Decimal
    source: str
    ordinary_dmg: Decimal | None = None  # None: DMG makes no difference
    preferential_dmg: Decimal | None = None
    valid_to: date | None = None

    def in_force(self, on: date) -> bool:
        """True when the rule applies on *on*."""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def share(self, regime: str, dmg: bool) -> tuple[Decimal, bool]:
        """The fixed share for a regime and DMG status, and whether DMG changed it."""
        if regime == "preferential":
            if dmg and self.preferential_dmg is not None:
                return self.preferential_dmg, True
            return self.preferential, False
        if dmg and self.ordinary_dmg is not None:
            return self.ordinary_dmg, True
        return self.ordinary, False


FIXED_SHARES: tuple[FixedShareRule, ...] = (
    # GP consultations and visits: 6.00 ordinary (4.00 with DMG), 1.50 BIM (1.00 with DMG).
    # The amounts go back to a 2011 decision (news.belgium.be, DOMAIN.md section 3); they
    # are confirmed to the cent by the 2024 VNZ figures (101076: 31.81 = 25.81 + 6.00 =
    # 27.81 + 4.00 = 30.31 + 1.50 = 30.81 + 1.00). No start date was found in a source, so
    # the rule is applied from the first date it is confirmed for: 2024-01-01.
    FixedShareRule(
        name="gp_fixed_share",
        categories=frozenset({"gp_consultation", "gp_visit"}),
        valid_from=date(2024, 1, 1),
        ordinary=Decimal("6.00"),
        preferential=Decimal("1.50"),
        ordinary_dmg=Decimal("4.00"),
        preferential_dmg=Decimal("1.00"),
        source="fixed personal share GP (2011 decision, news.belgium.be; VNZ 2024 figures)",
    ),
    # Specialist consultations: 12.00 ordinary / 3.00 BIM since 2015-01-01 (CM 2017 figures:
    # 102034 37.15 = 25.15 + 12.00 = 34.15 + 3.00; the 2014 rows are still percentages).
    FixedShareRule(
        name="specialist_fixed_share",
        categories=frozenset({"specialist_consultation"}),
        valid_from=date(2015, 1, 1),
        ordinary=Decimal("12.00"),
        preferential=Decimal("3.00"),
        source="fixed personal share specialists since 2015-01-01 (CM 2017 figures)",
    ),
    # Physiotherapy since 2019-09-01 (INAMI, "kinesitherapieverstrekkingen vaste remgelden";
    # enmarche.be "Prestations de kinésithérapie : quelle quote-part"; CM 2024: 30.00 = 23.75
    # + 6.25 = 27.50 + 2.50).
    FixedShareRule(
        name="physio_heavy_fixed_share",
        categories=frozenset({"physio_heavy"}),
        valid_from=date(2019, 9, 1),
        ordinary=Decimal("4.00"),
        preferential=Decimal("1.50"),
        source="INAMI fixed personal shares physiotherapy from 2019-09-01 (heavy pathologies)",
    ),
    FixedShareRule(
        name="physio_fafb_fixed_share",
        categories=frozenset({"physio_fafb"}),
        valid_from=date(2019, 9, 1),
        ordinary=Decimal("5.50"),
        preferential=Decimal("2.00"),
        source="INAMI fixed personal shares physiotherapy from 2019-09-01 (lists Fa/Fb)",
    ),
    FixedShareRule(
        name="physio_fixed_share",
        categories=frozenset({"physio"}),
        valid_from=date(2019, 9, 1),
        ordinary=Decimal("6.25"),
        preferential=Decimal("2.50"),
        source="INAMI fixed personal shares physiotherapy from 2019-09-01 (other sessions)",
    ),
    FixedShareRule(
        name="physio_short_fixed_share",
        categories=frozenset({"physio_short"}),
        valid_from=date(2019, 9, 1),
        ordinary=Decimal("2.00"),
        preferential=Decimal("1.00"),
        source="INAMI fixed personal shares physiotherapy from 2019-09-01 (15-20 min sessions)",
    ),
)

# No personal share for BIM patients up to 24 years (inclusive: "moins de 25 ans") with a
# DMG, at GP consultations and home visits and specialist consultations, at a conventioned
# doctor, from 2023-10-01 (royal decree of 25 June 2023; le-gbo.be flash-info 75/23 of
# 2023-09-29; rtbf.be 2023-09). The doctor receives the whole fee from the insurer.
YOUNG_BIM_DMG = Rule(
    name="young_bim_dmg_no_share",
    description="no personal share for BIM up to 24 with a DMG at a conventioned doctor",
    valid_from=date(2023, 10, 1),
    source="RD 25/06/2023; le-gbo.be flash-info 75/23; rtbf.be 2023-09",
)
YOUNG_BIM_MAX_AGE = 24

# At a non-conventioned physiotherapist the reimbursement is 25 % lower, except for BIM
# patients, who are reimbursed the same and charged the official fees (enmarche.be,
# "Prestations de kinésithérapie : quelle quote-part à charge du patient ?"; rtl.be
# 2022-05). No start date was found: it applies on every date.
PHYSIO_NON_CONVENTIONED = Rule(
    name="physio_non_conventioned_cut",
    description="reimbursement 25 % lower at a non-conventioned physiotherapist (not BIM)",
    valid_from=None,
    source="enmarche.be, kinésithérapie quote-part; rtl.be 2022-05",
)
PHYSIO_NON_CONVENTIONED_FACTOR = Decimal("0.75")

# A conventioned provider charges the agreed fee (status C); only non-conventioned (and a
# partially conventioned GP outside declared blocks) may add a supplement, never
# reimbursed (DOMAIN.md sections 1 and 3).
CONVENTIONED_FEE = Rule(
    name="conventioned_charges_fee",
    description="a conventioned provider charges the agreed fee",
    valid_from=None,
    source="national agreement (accord médico-mutualiste), DOMAIN.md section 1",
)

# Ban on supplements for BIM patients (mc.be, "Les BIM mieux protégés contre les
# suppléments d'honoraires"; rtl.be 2023-12-19 on the 2024-2025 agreement): doctors'
# ambulatory reimbursed acts, BIM who got the status automatically from 2025-01-01, all BIM
# from 2026-01-01. Dentists: all dental care for all BIM from 2026-07-01 (the 2025 step
# covers "some dental care" that no source lists, so it is not modelled). Physiotherapists:
# BIM are charged the official fees (enmarche.be, see above).
SUPPLEMENT_BAN_AUTOMATIC_BIM = Rule(
    name="supplement_ban_automatic_bim",
    description="no supplement for automatic BIM at doctors (ambulatory)",
    valid_from=date(2025, 1, 1),
    source="mc.be, Les BIM mieux protégés contre les suppléments d'honoraires",
)
SUPPLEMENT_BAN_ALL_BIM = Rule(
    name="supplement_ban_all_bim",
    description="no supplement for any BIM at doctors (ambulatory)",
    valid_from=date(2026, 1, 1),
    source="mc.be, Les BIM mieux protégés contre les suppléments d'honoraires",
)
SUPPLEMENT_BAN_DENTAL_BIM = Rule(
    name="supplement_ban_dental_bim",
    description="no supplement for any BIM for dental care",
    valid_from=date(2026, 7, 1),
    source="mc.be, Les BIM mieux protégés contre les suppléments d'honoraires",
)
SUPPLEMENT_BAN_PHYSIO_BIM = Rule(
    name="supplement_ban_physio_bim",
    description="BIM are charged the official fee at a non-conventioned physiotherapist",
    valid_from=None,
    source="enmarche.be, kinésithérapie quote-part",
)

# Prerequisite rules named by ``Act.prerequisite``. Scaling (302153 ...) is reimbursed only
# when the patient had a reimbursed dental act in the previous calendar year (CM 2022,
# DOMAIN.md section 3).
PREREQUISITE_DENTAL_PREVIOUS_YEAR = "dental_care_previous_year"
PREREQUISITES: dict[str, str] = {
    PREREQUISITE_DENTAL_PREVIOUS_YEAR: "a reimbursed dental act in the previous calendar year",
}

FREQUENCY_PERIODS = ("calendar_year", "calendar_month", "day")

# Every date on which a rule above starts or stops: between two of them, and inside one
# tariff period, the rules give the same answer (batch caches rely on it).
RULE_BOUNDARIES: tuple[date, ...] = tuple(
    sorted(
        {r.valid_from for r in FIXED_SHARES}
        | {
            r.valid_from
            for r in (
                YOUNG_BIM_DMG,
                PHYSIO_NON_CONVENTIONED,
                SUPPLEMENT_BAN_AUTOMATIC_BIM,
                SUPPLEMENT_BAN_ALL_BIM,
                SUPPLEMENT_BAN_DENTAL_BIM,
                SUPPLEMENT_BAN_PHYSIO_BIM,
            )
            if r.valid_from is not None
        }
    )
)


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

    @property
    def ok(self) -> bool:
        """True when the code is reimbursed."""
        return self.status == OK


# ------------------------------------------------------------------ helpers


def _period_key(period: str | None, day: date) -> tuple[int, ...]:
    if period in (None, "calendar_year"):
        return (day.year,)
    if period == "calendar_month":
        return (day.year, day.month)
    if period == "day":
        return (day.year, day.month, day.day)
    raise InvalidInput(
        f"frequency period {period!r}: expected one of {', '.join(FREQUENCY_PERIODS)}"
    )


def _age_limits(act: ActRules) -> str:
    low, high = act.min_age, act.max_age
    if low is not None and high is not None:
        return f"ages {low} to {high}"
    if low is not None:
        return f"ages {low} and over"
    return f"ages up to {high}"


def _fmt(amount: Decimal) -> str:
    return f"{amount:.2f}"


def supplement_ban(
    act: ActRules, patient: Patient, on: date, setting: str | None, provider: str
) -> Rule | None:
    """The rule that forbids a supplement for this patient and act on *on*, or None."""
    if patient.regime != "preferential":
        return None
    if act.category in DOCTOR_CATEGORIES and setting != "hospitalised":
        if SUPPLEMENT_BAN_ALL_BIM.in_force(on):
            return SUPPLEMENT_BAN_ALL_BIM
        if patient.bim_automatic and SUPPLEMENT_BAN_AUTOMATIC_BIM.in_force(on):
            return SUPPLEMENT_BAN_AUTOMATIC_BIM
    if act.category == "dental" and SUPPLEMENT_BAN_DENTAL_BIM.in_force(on):
        return SUPPLEMENT_BAN_DENTAL_BIM
    if act.category in PHYSIO_CATEGORIES and provider != "conventioned":
        return SUPPLEMENT_BAN_PHYSIO_BIM
    return None


def fixed_share_rule(category: str, on: date) -> FixedShareRule | None:
    """The fixed personal-share rule for an act category on a date, or None."""
    for rule in FIXED_SHARES:
        if category in rule.categories and rule.in_force(on):
            return rule
    return None


def _prerequisite_met(name: str, on: date, history: Iterable[PastCare]) -> bool | None:
    """True/False for a known prerequisite rule, None when the name is unknown."""
    if name == PREREQUISITE_DENTAL_PREVIOUS_YEAR:
        previous = on.year - 1
        return any(h.category == "dental" and h.care_date.year == previous for h in history)
    return None


# ------------------------------------------------------------------ the computation


def compute_visit(
    lines: Sequence[Line],
    *,
    on: date,
    patient: Patient,
    provider: str = "conventioned",
    setting: str | None = None,
    history: Sequence[PastCare] = (),
    explain: bool = False,
    context: Sequence[Step] = (),
) -> list[CaseResult]:
    """Compute every code of one visit on *on* (the cumulation rules apply between them).

    *history* is the person's recorded care (earlier visits). A code refused in the visit
    does not count for the codes after it. *context* steps (where the beneficiary's data
    came from) open every explanation when *explain* is set.
    """
    if provider not in PROVIDERS:
        raise InvalidInput(f"provider {provider!r}: expected one of {', '.join(PROVIDERS)}")
    if setting is not None and setting not in SETTINGS:
        raise InvalidInput(f"setting {setting!r}: expected ambulatory or hospitalised")
    accepted: list[PastCare] = []
    results: list[CaseResult] = []
    for line in lines:
        result = compute_case(
            line,
            on=on,
            patient=patient,
            provider=provider,
            setting=setting,
            history=history,
            visit=accepted,
            explain=explain,
            context=context,
        )
        if result.ok:
            act = line.act
            accepted.append(PastCare(act.code, on, act.category, tuple(act.not_combinable_with)))
        results.append(result)
    return results


def compute_case(
    line: Line,
    *,
    on: date,
    patient: Patient,
    provider: str = "conventioned",
    setting: str | None = None,
    history: Sequence[PastCare] = (),
    visit: Sequence[PastCare] = (),
    explain: bool = False,
    context: Sequence[Step] = (),
) -> CaseResult:
    """Compute one code; *visit* holds the codes already accepted in the same visit."""
    act, tariff = line.act, line.tariff
    steps: list[Step] | None = [*context] if explain else None
    if steps is not None:
        steps.append(Step("beneficiary", patient.label()))
        steps.append(Step("provider", provider, source="given"))

    def refuse(code: str, detail: str) -> CaseResult:
        reason = f"{REFUSAL_REASONS[code]}: {detail}" if detail else REFUSAL_REASONS[code]
        if steps is not None:
            steps.append(Step("refusal", f"{code} {reason}"))
        fee = tariff.fee if tariff is not None else None
        supplement = share = total = None
        if fee is not None:
            share = fee
            supplement = max(line.charged - fee, ZERO) if line.charged is not None else ZERO
            total = share + supplement
        return CaseResult(
            code=act.code,
            date=on,
            label=act.label_fr,
            regime=patient.regime,
            dmg=patient.dmg,
            age=patient.age,
            chronic=patient.chronic,
            profile="",
            fee=fee,
            reimbursement=ZERO if fee is not None else None,
            personal_share=share,
            supplement=supplement,
            patient_total=total,
            tariff_valid_from=tariff.valid_from if tariff is not None else None,
            tariff_valid_to=tariff.valid_to if tariff is not None else None,
            source=tariff.source if tariff is not None else "",
            status=REFUSED,
            refusal_code=code,
            refusal_reason=reason,
            explanation=tuple(steps or ()),
        )

    # -- eligibility -------------------------------------------------------------
    if not patient.insured:
        return refuse(R_NOT_INSURED, patient.not_insured_reason)
    if (act.valid_from is not None and on < act.valid_from) or (
        act.valid_to is not None and on > act.valid_to
    ):
        start = act.valid_from.isoformat() if act.valid_from else "..."
        end = act.valid_to.isoformat() if act.valid_to else "..."
        return refuse(R_NOT_ON_DATE, f"code {act.code} exists from {start} to {end}")
    if tariff is None:
        # the reason does not repeat the date (it is in the result): batch caches share it
        return refuse(R_NOT_ON_DATE, f"no tariff of {act.code} in force on the date of care")
    if steps is not None:
        steps.append(
            Step("fee", _fmt(tariff.fee), tariff.valid_from, tariff.valid_to, tariff.source)
        )
    if setting is not None and act.setting in SETTINGS and act.setting != setting:
        return refuse(R_SETTING, f"code {act.code} is for {act.setting} care, not {setting}")
    if act.min_age is not None or act.max_age is not None:
        if patient.age is None:
            return refuse(R_AGE, f"age unknown; code {act.code} is for {_age_limits(act)}")
        if (act.min_age is not None and patient.age < act.min_age) or (
            act.max_age is not None and patient.age > act.max_age
        ):
            return refuse(R_AGE, f"age {patient.age}; code {act.code} is for {_age_limits(act)}")
        if steps is not None:
            steps.append(Step("age limits", _age_limits(act), act.valid_from, act.valid_to))
    if act.prerequisite:
        met = _prerequisite_met(act.prerequisite, on, history)
        if met is None:
            return refuse(R_PREREQUISITE, f"unknown prerequisite rule {act.prerequisite!r}")
        if not met:
            return refuse(R_PREREQUISITE, PREREQUISITES[act.prerequisite])
        if steps is not None:
            steps.append(Step("prerequisite met", PREREQUISITES[act.prerequisite]))
    if act.max_per_period is not None:
        key = _period_key(act.frequency_period, on)
        period = act.frequency_period or "calendar_year"
        done = sum(
            1
            for h in (*history, *visit)
            if h.code == act.code and _period_key(act.frequency_period, h.care_date) == key
        )
        if done >= act.max_per_period:
            return refuse(
                R_MAX_REACHED,
                f"{done} of {act.max_per_period} per {period.replace('_', ' ')} already recorded",
            )
        if steps is not None:
            steps.append(Step("frequency", f"{done} of {act.max_per_period} per {period} used"))
    if act.not_combinable_with or history or visit:
        mine = set(act.not_combinable_with)
        for other in (*visit, *(h for h in history if h.care_date == on)):
            if other.code in mine or act.code in other.not_combinable_with:
                return refuse(
                    R_NOT_COMBINABLE,
                    f"{act.code} cannot be attested with {other.code} on the same day",
                )

    # -- the split of the fee ---------------------------------------------------
    fee = tariff.fee
    profile = select_profile(tariff.profiles, patient.beneficiary)
    if profile is not None:
        reimbursement = min(profile.reimbursement, fee)
        profile_label = profile.label()
        if steps is not None:
            steps.append(
                Step(
                    f"reimbursement for profile {profile_label}",
                    _fmt(profile.reimbursement),
                    tariff.valid_from,
                    tariff.valid_to,
                    tariff.source,
                )
            )
    else:
        rule = fixed_share_rule(act.category, on)
        if rule is None:
            return refuse(
                R_NO_PROFILE,
                f"tariff of {act.code} has no profile for {patient.label()} "
                "and no fixed personal share applies",
            )
        fixed, dmg_used = rule.share(patient.regime, patient.dmg)
        share = min(fixed, fee)
        reimbursement = fee - share
        profile_label = patient.regime + (",dmg" if dmg_used else "") + " (fixed share)"
        if steps is not None:
            steps.append(
                Step(
                    f"fixed personal share {rule.name} ({profile_label})",
                    _fmt(fixed),
                    rule.valid_from,
                    rule.valid_to,
                    rule.source,
                )
            )

    if (
        act.category in PHYSIO_CATEGORIES
        and provider == "non-conventioned"
        and patient.regime != "preferential"
        and PHYSIO_NON_CONVENTIONED.in_force(on)
    ):
        reimbursement = round_cents(reimbursement * PHYSIO_NON_CONVENTIONED_FACTOR)
        if steps is not None:
            steps.append(
                Step(
                    PHYSIO_NON_CONVENTIONED.description,
                    _fmt(reimbursement),
                    PHYSIO_NON_CONVENTIONED.valid_from,
                    PHYSIO_NON_CONVENTIONED.valid_to,
                    PHYSIO_NON_CONVENTIONED.source,
                )
            )

    if (
        act.category in DOCTOR_CATEGORIES
        and patient.regime == "preferential"
        and patient.dmg
        and patient.age is not None
        and patient.age <= YOUNG_BIM_MAX_AGE
        and provider == "conventioned"
        and YOUNG_BIM_DMG.in_force(on)
    ):
        reimbursement = fee
        if steps is not None:
            steps.append(
                Step(
                    YOUNG_BIM_DMG.description,
                    "0.00",
                    YOUNG_BIM_DMG.valid_from,
                    YOUNG_BIM_DMG.valid_to,
                    YOUNG_BIM_DMG.source,
                )
            )

    share = fee - reimbursement

    # -- what the provider charges ----------------------------------------------
    charged = line.charged
    supplement = ZERO
    total = share
    if charged is not None and charged > fee:
        if provider == "conventioned":
            return refuse(
                R_ABOVE_FEE, f"charged {_fmt(charged)}, the fee is {_fmt(fee)} ({act.code})"
            )
        ban = supplement_ban(act, patient, on, setting, provider)
        if ban is not None:
            return refuse(
                R_SUPPLEMENT_BANNED,
                f"charged {_fmt(charged)} above the fee {_fmt(fee)}; {ban.description} "
                f"from {ban.valid_from.isoformat() if ban.valid_from else 'always'}",
            )
        supplement = charged - fee
        total = share + supplement
        if steps is not None:
            steps.append(Step("supplement (never reimbursed)", _fmt(supplement), source="charged"))
    elif charged is not None and charged < fee:
        # The provider waives part of the personal share; the insurer's part is unchanged.
        total = max(charged - reimbursement, ZERO)
        if steps is not None:
            steps.append(Step("charged below the fee", _fmt(charged), source="charged"))

    if steps is not None:
        steps.append(Step("personal share", _fmt(share)))
    return CaseResult(
        code=act.code,
        date=on,
        label=act.label_fr,
        regime=patient.regime,
        dmg=patient.dmg,
        age=patient.age,
        chronic=patient.chronic,
        profile=profile_label,
        fee=fee,
        reimbursement=reimbursement,
        personal_share=share,
        supplement=supplement,
        patient_total=total,
        tariff_valid_from=tariff.valid_from,
        tariff_valid_to=tariff.valid_to,
        source=tariff.source,
        status=OK,
        explanation=tuple(steps or ()),
    )


# ------------------------------------------------------------------ batch cache keys


def age_key(act: ActRules, tariff: TariffView | None, age: int | None) -> object:
    """What of *age* can change the answer for this act and tariff (a cache-key part).

    The exact age matters when the act has age limits or the tariff has age bands; at a
    doctor only whether the patient is up to 24 (``YOUNG_BIM_DMG``); elsewhere nothing.
    """
    if act.min_age is not None or act.max_age is not None:
        return age
    if tariff is not None and any(
        p.age_from is not None or p.age_to is not None for p in tariff.profiles
    ):
        return age
    if act.category in DOCTOR_CATEGORIES:
        return None if age is None else age <= YOUNG_BIM_MAX_AGE
    return 0


def rule_epoch(on: date) -> int:
    """Index of the stretch between two ``RULE_BOUNDARIES`` that contains *on*."""
    return bisect_right(RULE_BOUNDARIES, on)
