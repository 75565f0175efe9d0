"""Third-party payment (tiers payant / derdebetalersregeling): who hands what to whom.

Without it the patient pays the provider what is charged at the desk and the fund pays
the reimbursement back to the patient; with it the fund pays its part straight to the
provider and the patient hands over only the personal share (and any supplement).

Dated rules (DOMAIN.md section 3; rules-audit.md section 4, item 2):

- compulsory for BIM patients at the GP from 2015-07-01 (enmarche.be, "Ne payer que sa
  quote-part chez le médecin généraliste");
- allowed for every patient at the GP from 2022-01-01 (same source);
- compulsory with the young-BIM rule (no personal share for BIM up to 24 with a DMG,
  from 2023-10-01: le-gbo.be flash-info 75/23).

Before 2022-01-01 an ordinary patient's third-party payment at the GP was open only in
the situations the law lists; a case that says it applied is taken as given.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from inami_cli.domain.money import ZERO
from inami_cli.domain.reimbursement._model import (
    DOCTOR_CATEGORIES,
    ActRules,
    CaseResult,
    Patient,
    Step,
)
from inami_cli.domain.reimbursement._rules import YOUNG_BIM_DMG, YOUNG_BIM_MAX_AGE, Rule

GP_CATEGORIES = frozenset({"gp_consultation", "gp_visit"})

THIRD_PARTY_BIM_GP = Rule(
    name="third_party_compulsory_bim_gp",
    description="third-party payment compulsory for BIM patients at the GP",
    valid_from=date(2015, 7, 1),
    source="enmarche.be, Ne payer que sa quote-part chez le médecin généraliste",
)
THIRD_PARTY_ALL_GP = Rule(
    name="third_party_allowed_all_gp",
    description="third-party payment allowed for every patient at the GP",
    valid_from=date(2022, 1, 1),
    source="enmarche.be, Ne payer que sa quote-part chez le médecin généraliste",
)
THIRD_PARTY_YOUNG_BIM = Rule(
    name="third_party_compulsory_young_bim",
    description="third-party payment compulsory with the young-BIM rule (no personal share)",
    valid_from=YOUNG_BIM_DMG.valid_from,
    source="le-gbo.be flash-info 75/23 (2023-09-29)",
)

THIRD_PARTY_RULES = (THIRD_PARTY_BIM_GP, THIRD_PARTY_ALL_GP, THIRD_PARTY_YOUNG_BIM)


def third_party_rule(act: ActRules, patient: Patient, on: date) -> Rule | None:
    """The rule that makes third-party payment compulsory for this case, or None."""
    if patient.regime != "preferential":
        return None
    if (
        act.category in DOCTOR_CATEGORIES
        and patient.dmg
        and patient.age is not None
        and patient.age <= YOUNG_BIM_MAX_AGE
        and THIRD_PARTY_YOUNG_BIM.in_force(on)
    ):
        return THIRD_PARTY_YOUNG_BIM
    if act.category in GP_CATEGORIES and THIRD_PARTY_BIM_GP.in_force(on):
        return THIRD_PARTY_BIM_GP
    return None


def third_party_applies(
    act: ActRules, patient: Patient, on: date, asked: bool
) -> tuple[bool, Step]:
    """Whether third-party payment applies to the case, and the step that says why.

    *asked*: the case says so (``--third-party``, the batch column, or the person's
    ``third_party`` entitlement). A compulsory rule applies whatever the case says.
    """
    rule = third_party_rule(act, patient, on)
    if rule is not None:
        return True, Step(rule.description, "yes", rule.valid_from, rule.valid_to, rule.source)
    if not asked:
        return False, Step("third-party payment", "no", source="not asked for this case")
    if act.category in GP_CATEGORIES:
        rule = THIRD_PARTY_ALL_GP
        if rule.in_force(on):
            return True, Step(rule.description, "yes", rule.valid_from, None, rule.source)
        return True, Step(
            "third-party payment (before 2022-01-01 only in listed situations: taken as given)",
            "yes",
            source=rule.source,
        )
    return True, Step("third-party payment", "yes", source="asked for this case")


def settle(
    result: CaseResult, *, third_party: bool, charged: Decimal | None, step: Step | None
) -> CaseResult:
    """*result* with who pays what: ``paid_at_desk`` (the patient, to the provider) and
    ``paid_to_provider`` (the fund, directly). A refused code is paid by the patient."""
    if result.fee is None or result.patient_total is None:
        return replace(result, third_party=third_party)
    if not result.ok:
        desk, direct = result.patient_total, ZERO
    elif third_party:
        desk, direct = result.patient_total, result.reimbursement or ZERO
    else:
        desk = charged if charged is not None else result.fee + (result.supplement or ZERO)
        direct = ZERO
    explanation = result.explanation
    if step is not None and result.explanation:
        explanation = (
            *explanation,
            step,
            Step("paid at the desk", f"{desk:.2f}"),
            Step("paid to the provider by the fund", f"{direct:.2f}"),
        )
    return replace(
        result,
        third_party=third_party,
        paid_at_desk=desk,
        paid_to_provider=direct,
        explanation=explanation,
    )
