"""The computation of one visit and of one code, with its explanation (OpenFisca-style
trace: every value read, the period it is valid for, and where it came from).

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

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.frequency import PERIOD_WORDS, check_period, same_period
from inami_cli.domain.money import ZERO
from inami_cli.domain.reimbursement._dental import DENTAL_CONTINUITY, HALVED_WHEN_UNMET, halve
from inami_cli.domain.reimbursement._explain import tag_rules
from inami_cli.domain.reimbursement._medical_house import medical_house_refusal
from inami_cli.domain.reimbursement._model import (
    OK,
    PROVIDERS,
    REFUSED,
    SETTINGS,
    CaseResult,
    Line,
    PastCare,
    Patient,
    Step,
)
from inami_cli.domain.reimbursement._plan import Plan, compile_plan, fmt
from inami_cli.domain.reimbursement._provider_rules import (
    ProviderTerms,
)
from inami_cli.domain.reimbursement._referral import apply_referral
from inami_cli.domain.reimbursement._refusals import (
    R_ABOVE_FEE,
    R_DEPENDS_ON_OTHERS,
    R_MAX_REACHED,
    R_MEDICAL_HOUSE,
    R_NO_PROFILE,
    R_NOT_COMBINABLE,
    R_NOT_INSURED,
    R_PREREQUISITE,
    R_SUPPLEMENT_BANNED,
    REFUSAL_REASONS,
)
from inami_cli.domain.reimbursement._rules import (
    PREREQUISITES,
    _prerequisite_met,
)
from inami_cli.domain.reimbursement._supplements import (
    missing_main_code,
)
from inami_cli.domain.reimbursement._third_party import settle, third_party_applies

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
    terms: ProviderTerms | None = None,
    third_party: bool = False,
    referred: bool = False,
) -> list[CaseResult]:
    """Compute every code of one visit on *on* (the cumulation rules apply between them).

    *history* is the person's recorded care (earlier visits). A code refused in the visit
    does not count for the codes after it. *context* steps (where the beneficiary's data
    came from) open every explanation when *explain* is set. *terms* is the provider as
    the register answers it (or as given); its status wins over *provider*.
    """
    if terms is not None:
        provider = terms.status
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
            terms=terms,
            third_party=third_party,
            referred=referred,
        )
        if result.ok:
            act = line.act
            accepted.append(
                PastCare(
                    act.code,
                    on,
                    act.category,
                    tuple(act.not_combinable_with),
                    result.referral_reduced,
                )
            )
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
    terms: ProviderTerms | None = None,
    third_party: bool = False,
    referred: bool = False,
    plan: Plan | None = None,
) -> CaseResult:
    """Compute one code; *visit* holds the codes already accepted in the same visit.

    *terms* is the provider on the date (``_provider_rules``); without it, *provider* is
    a status given explicitly and read as before the register existed. *third_party*: the
    case asks for third-party payment (a compulsory rule applies it anyway); *referred*:
    the patient comes with the GP's referral (specialists). *plan*: the case's plan
    compiled beforehand (``_plan.compile_plan`` with the same act, tariff, date, patient,
    terms and setting; a batch shares one among the rows it fits).
    """
    period = getattr(line.act, "rule_period", None)
    if explain and period is not None:
        # act rules dated like tariffs (domain.nomenclature.ActRulePeriod)
        context = (
            *context,
            Step(
                f"act rules of {line.act.code}",
                period.summary(),
                period.valid_from,
                period.valid_to,
                period.source,
            ),
        )
    result = _split(
        line,
        on=on,
        patient=patient,
        provider=provider,
        setting=setting,
        history=history,
        visit=visit,
        explain=explain,
        context=context,
        terms=terms,
        plan=plan,
    )
    applies, step = third_party_applies(line.act, patient, on, third_party)
    if referred:
        result = apply_referral(
            result,
            category=line.act.category,
            patient=patient,
            third_party=applies,
            earlier=(*history, *visit),
        )
    return settle(result, third_party=applies, charged=line.charged, step=step)


def _split(
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
    terms: ProviderTerms | None = None,
    plan: Plan | None = None,
) -> CaseResult:
    """The split of the fee for one code, before who-pays-what: the case's plan
    (``_plan``), compiled here unless given, applied to the row."""
    if terms is None:
        terms = ProviderTerms(status=provider)
    if plan is None:
        plan = compile_plan(
            line.act,
            line.tariff,
            on=on,
            patient=patient,
            terms=terms,
            setting=setting,
            explain=explain,
        )
    return apply_plan(
        plan,
        charged=line.charged,
        on=on,
        patient=patient,
        history=history,
        visit=visit,
        context=context,
    )


def apply_plan(
    plan: Plan,
    *,
    charged: Decimal | None,
    on: date,
    patient: Patient,
    history: Sequence[PastCare] = (),
    visit: Sequence[PastCare] = (),
    context: Sequence[Step] = (),
) -> CaseResult:
    """The answer of one row from its plan: the person (insured, medical house), the
    history rules (prerequisite, frequency, same-day combinations) and what is charged;
    with the plan's steps when it was compiled with ``explain``."""
    act, tariff, terms = plan.act, plan.tariff, plan.terms
    provider = terms.status
    steps: list[Step] | None = [*context] if plan.explain else None
    if steps is not None:
        steps.append(Step("beneficiary", patient.label()))
        steps.append(Step("provider", provider, source=terms.why))

    def refuse(code: str, detail: str) -> CaseResult:
        reason = f"{REFUSAL_REASONS[code]}: {detail}" if detail else REFUSAL_REASONS[code]
        if steps is not None:
            steps.append(Step("refusal", f"{code} {reason}"))
        fee = tariff.fee if tariff is not None else None
        supplement = share = total = None
        if fee is not None:
            share = fee
            supplement = max(charged - fee, ZERO) if charged is not None else ZERO
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
            explanation=tag_rules(steps or (), act),
        )

    # -- eligibility -------------------------------------------------------------
    if not patient.insured:
        return refuse(R_NOT_INSURED, patient.not_insured_reason)
    enrolled = medical_house_refusal(act.category, patient)
    if enrolled is not None:
        return refuse(R_MEDICAL_HOUSE, enrolled)
    alone = missing_main_code(act.category, visit)
    if alone is not None:
        return refuse(R_DEPENDS_ON_OTHERS, alone)
    if steps is not None:
        steps.extend(plan.checked)
    if plan.gate is not None:
        return refuse(*plan.gate)
    halved = False
    if act.prerequisite:
        met = _prerequisite_met(act.prerequisite, on, history)
        if met is None:
            return refuse(R_PREREQUISITE, f"unknown prerequisite rule {act.prerequisite!r}")
        if not met and act.prerequisite in HALVED_WHEN_UNMET and DENTAL_CONTINUITY.in_force(on):
            halved = True  # R20: not refused, the reimbursement is halved below
        elif not met:
            return refuse(R_PREREQUISITE, PREREQUISITES[act.prerequisite])
        elif steps is not None:
            steps.append(Step("prerequisite met", PREREQUISITES[act.prerequisite]))
    if act.max_per_period is not None:
        period = check_period(act.frequency_period)
        done = sum(
            1
            for h in (*history, *visit)
            if h.code == act.code and same_period(period, on, h.care_date)
        )
        if done >= act.max_per_period:
            return refuse(
                R_MAX_REACHED,
                f"{done} of {act.max_per_period} per {PERIOD_WORDS[period]} already recorded",
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

    # -- the split of the fee: the plan's, halved when the prerequisite is unmet ----
    if steps is not None:
        steps.extend(plan.split)
    if plan.no_profile is not None:
        return refuse(R_NO_PROFILE, plan.no_profile)
    fee = plan.fee
    reimbursement, adjusted = plan.reimbursement, plan.adjusted
    if halved:
        base = halve(plan.base)
        if steps is not None:
            steps.append(
                Step(
                    f"{DENTAL_CONTINUITY.name}: {DENTAL_CONTINUITY.description}",
                    fmt(base),
                    DENTAL_CONTINUITY.valid_from,
                    DENTAL_CONTINUITY.valid_to,
                    DENTAL_CONTINUITY.source,
                )
            )
        reimbursement, adjusted = plan.adjust(base)
    if steps is not None:
        steps.extend(adjusted)
    share = fee - reimbursement

    # -- what the provider charges ----------------------------------------------
    supplement = ZERO
    total = share
    if charged is not None and charged > fee:
        if plan.charge_error:
            raise InvalidInput(plan.charge_error)
        if not plan.may_charge:
            detail = f"charged {fmt(charged)}, the fee is {fmt(fee)} ({act.code})"
            why = plan.charge_why
            return refuse(R_ABOVE_FEE, f"{detail}; {why}" if why else detail)
        if steps is not None:
            steps.append(Step("supplement allowed", provider, source=plan.charge_why))
        ban = plan.ban
        if ban is not None:
            return refuse(
                R_SUPPLEMENT_BANNED,
                f"charged {fmt(charged)} above the fee {fmt(fee)}; {ban.description} "
                f"from {ban.valid_from.isoformat() if ban.valid_from else 'always'}",
            )
        supplement = charged - fee
        total = share + supplement
        if steps is not None:
            steps.append(Step("supplement (never reimbursed)", fmt(supplement), source="charged"))
    elif charged is not None and charged < fee:
        # The provider waives part of the personal share; the insurer's part is unchanged.
        total = max(charged - reimbursement, ZERO)
        if steps is not None:
            steps.append(Step("charged below the fee", fmt(charged), source="charged"))

    if steps is not None:
        steps.append(Step("personal share", fmt(share)))
    assert tariff is not None  # a plan past its gate has a tariff
    return CaseResult(
        code=act.code,
        date=on,
        label=act.label_fr,
        regime=patient.regime,
        dmg=patient.dmg,
        age=patient.age,
        chronic=patient.chronic,
        profile=plan.profile,
        fee=fee,
        reimbursement=reimbursement,
        personal_share=share,
        supplement=supplement,
        patient_total=total,
        tariff_valid_from=tariff.valid_from,
        tariff_valid_to=tariff.valid_to,
        source=tariff.source,
        status=OK,
        explanation=tag_rules(steps or (), act),
    )
