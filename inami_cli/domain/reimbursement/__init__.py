"""Computing one case: fee, insurer part, personal share, supplement, refusals.

Pure rules (stdlib only). Inputs: the date of care, the codes of one visit (each with its
act rules and the tariff in force), the beneficiary, the provider's convention status, what
the provider charges, the setting and the person's recorded history. Output: one
``CaseResult`` per code, with an optional explanation (every value read, the period it is
valid for, and where it came from: OpenFisca-style trace).

This package is the public face; by sub-topic, from the bottom up:

- ``_model``: the inputs and the answer (``ActRules``, ``Patient``, ``Line``, ``Step``,
  ``CaseResult``, ...) and the words they use (providers, settings, categories);
- ``_refusals``: the refusal codes and their reasons;
- ``_rules``: the named rules as dated data, with their sources, and their look-ups;
- ``_bans``: the bans on supplements for BIM patients (doctors, dentists, physiotherapists);
- ``_provider_rules``: the rules that depend on who the provider is (codes by
  qualification, supplements by status and special requirements, the physiotherapy cut
  while a convention is in force) and ``ProviderTerms``, what the register answers;
- ``_third_party``: third-party payment, who pays what (``paid_at_desk``,
  ``paid_to_provider``);
- ``_referral``: the specialist referral reduction;
- ``_medical_house``: codes a medical house covers are not paid per act;
- ``_supplements``: supplement codes billed with a main code, their share rule;
- ``_plan``: ``compile_plan``, the part of a case that does not depend on the row (which
  rules apply, in which order, with which amounts) as an immutable ``Plan``;
- ``_compute``: ``compute_visit`` and ``compute_case`` (a case's plan compiled, then
  applied to the row by ``apply_plan``: the person, the history, the charged amount);
- ``_cache_keys``: what of a case can change its answer (the batch's cache keys);
- ``_assertions``: assertions of published amounts (``inami nomenclature check``).
"""

from __future__ import annotations

from inami_cli.domain.frequency import FREQUENCY_PERIODS
from inami_cli.domain.reimbursement._assertions import (
    AMOUNT_COLUMNS,
    ASSERTION_OPTIONAL,
    ASSERTION_REQUIRED,
    Assertion,
    differences,
    parse_assertion,
)
from inami_cli.domain.reimbursement._bans import (
    BAN_RULES,
    DENTAL_BAN_2025,
    NON_DOCTOR_ARTICLES,
    SUPPLEMENT_BAN_DENTAL_2025,
    BannedAct,
    is_doctor_act,
    supplement_ban,
)
from inami_cli.domain.reimbursement._cache_keys import (
    EPOCH_BOUNDARIES,
    age_band,
    age_cuts,
    age_key,
    history_matters,
    rule_epoch,
)
from inami_cli.domain.reimbursement._compute import apply_plan, compute_case, compute_visit
from inami_cli.domain.reimbursement._medical_house import DISCIPLINE_OF_CATEGORY
from inami_cli.domain.reimbursement._model import (
    CATEGORIES,
    DOCTOR_CATEGORIES,
    OK,
    PHYSIO_CATEGORIES,
    PROVIDERS,
    REFUSED,
    SETTINGS,
    Act,
    ActRules,
    CaseResult,
    Line,
    PastCare,
    Patient,
    Step,
)
from inami_cli.domain.reimbursement._plan import Plan, compile_plan
from inami_cli.domain.reimbursement._provider_rules import (
    ProviderTerms,
    SpecialRequirement,
    find_special_requirement,
    parse_time_of_day,
)
from inami_cli.domain.reimbursement._referral import (
    REFERRAL_REDUCTIONS,
    ReferralRule,
    referral_rule,
)
from inami_cli.domain.reimbursement._refusals import (
    R_ABOVE_FEE,
    R_AGE,
    R_CEILING,
    R_DEPENDS_ON_OTHERS,
    R_LOCATION,
    R_MAX_REACHED,
    R_MEDICAL_HOUSE,
    R_NEEDS_APPROVAL,
    R_NO_AGREEMENT,
    R_NO_PROFILE,
    R_NOT_COMBINABLE,
    R_NOT_INSURED,
    R_NOT_ON_DATE,
    R_NOT_QUALIFIED,
    R_PREREQUISITE,
    R_RENEWAL,
    R_SETTING,
    R_SUPPLEMENT_BANNED,
    REFUSAL_REASONS,
)
from inami_cli.domain.reimbursement._rules import (
    CONVENTIONED_FEE,
    FIXED_SHARES,
    PHYSIO_NON_CONVENTIONED,
    PHYSIO_NON_CONVENTIONED_FACTOR,
    PREREQUISITE_DENTAL_PREVIOUS_YEAR,
    PREREQUISITES,
    RULE_BOUNDARIES,
    SUPPLEMENT_BAN_ALL_BIM,
    SUPPLEMENT_BAN_AUTOMATIC_BIM,
    SUPPLEMENT_BAN_DENTAL_BIM,
    SUPPLEMENT_BAN_PHYSIO_BIM,
    YOUNG_BIM_DMG,
    YOUNG_BIM_MAX_AGE,
    FixedShareRule,
    Rule,
    fixed_share_rule,
)
from inami_cli.domain.reimbursement._special_times import legal_holidays, parse_days
from inami_cli.domain.reimbursement._supplements import (
    SUPPLEMENT_CATEGORY,
    SUPPLEMENT_SHARES,
    missing_main_code,
    supplement_share_rule,
)
from inami_cli.domain.reimbursement._third_party import (
    GP_CATEGORIES,
    THIRD_PARTY_ALL_GP,
    THIRD_PARTY_BIM_GP,
    THIRD_PARTY_RULES,
    THIRD_PARTY_YOUNG_BIM,
    third_party_applies,
    third_party_rule,
)

__all__ = [
    "AMOUNT_COLUMNS",
    "ASSERTION_OPTIONAL",
    "ASSERTION_REQUIRED",
    "BAN_RULES",
    "CATEGORIES",
    "CONVENTIONED_FEE",
    "DENTAL_BAN_2025",
    "DISCIPLINE_OF_CATEGORY",
    "DOCTOR_CATEGORIES",
    "EPOCH_BOUNDARIES",
    "FIXED_SHARES",
    "FREQUENCY_PERIODS",
    "GP_CATEGORIES",
    "NON_DOCTOR_ARTICLES",
    "OK",
    "PHYSIO_CATEGORIES",
    "PHYSIO_NON_CONVENTIONED",
    "PHYSIO_NON_CONVENTIONED_FACTOR",
    "PREREQUISITES",
    "PREREQUISITE_DENTAL_PREVIOUS_YEAR",
    "PROVIDERS",
    "REFERRAL_REDUCTIONS",
    "REFUSAL_REASONS",
    "REFUSED",
    "RULE_BOUNDARIES",
    "R_ABOVE_FEE",
    "R_AGE",
    "R_CEILING",
    "R_DEPENDS_ON_OTHERS",
    "R_LOCATION",
    "R_MAX_REACHED",
    "R_MEDICAL_HOUSE",
    "R_NEEDS_APPROVAL",
    "R_NOT_COMBINABLE",
    "R_NOT_INSURED",
    "R_NOT_ON_DATE",
    "R_NOT_QUALIFIED",
    "R_NO_AGREEMENT",
    "R_NO_PROFILE",
    "R_PREREQUISITE",
    "R_RENEWAL",
    "R_SETTING",
    "R_SUPPLEMENT_BANNED",
    "SETTINGS",
    "SUPPLEMENT_BAN_ALL_BIM",
    "SUPPLEMENT_BAN_AUTOMATIC_BIM",
    "SUPPLEMENT_BAN_DENTAL_2025",
    "SUPPLEMENT_BAN_DENTAL_BIM",
    "SUPPLEMENT_BAN_PHYSIO_BIM",
    "SUPPLEMENT_CATEGORY",
    "SUPPLEMENT_SHARES",
    "THIRD_PARTY_ALL_GP",
    "THIRD_PARTY_BIM_GP",
    "THIRD_PARTY_RULES",
    "THIRD_PARTY_YOUNG_BIM",
    "YOUNG_BIM_DMG",
    "YOUNG_BIM_MAX_AGE",
    "Act",
    "ActRules",
    "Assertion",
    "BannedAct",
    "CaseResult",
    "FixedShareRule",
    "Line",
    "PastCare",
    "Patient",
    "Plan",
    "ProviderTerms",
    "ReferralRule",
    "Rule",
    "SpecialRequirement",
    "Step",
    "age_band",
    "age_cuts",
    "age_key",
    "apply_plan",
    "compile_plan",
    "compute_case",
    "compute_visit",
    "differences",
    "find_special_requirement",
    "fixed_share_rule",
    "history_matters",
    "is_doctor_act",
    "legal_holidays",
    "missing_main_code",
    "parse_assertion",
    "parse_days",
    "parse_time_of_day",
    "referral_rule",
    "rule_epoch",
    "supplement_ban",
    "supplement_share_rule",
    "third_party_applies",
    "third_party_rule",
]
