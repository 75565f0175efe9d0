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
from inami_cli.domain.money import ZERO, round_cents
from inami_cli.domain.reimbursement._bans import supplement_ban
from inami_cli.domain.reimbursement._dental import DENTAL_CONTINUITY, HALVED_WHEN_UNMET, halve
from inami_cli.domain.reimbursement._dmg import DMG_HOLDER, dmg_for_split
from inami_cli.domain.reimbursement._explain import tag_rules
from inami_cli.domain.reimbursement._medical_house import medical_house_refusal
from inami_cli.domain.reimbursement._model import (
    DOCTOR_CATEGORIES,
    OK,
    PHYSIO_CATEGORIES,
    PROVIDERS,
    REFUSED,
    SETTINGS,
    ActRules,
    CaseResult,
    Line,
    PastCare,
    Patient,
    Step,
)
from inami_cli.domain.reimbursement._provider_rules import (
    ProviderTerms,
    attest_check,
    physio_cut_applies,
    supplement_permission,
)
from inami_cli.domain.reimbursement._referral import apply_referral
from inami_cli.domain.reimbursement._refusals import (
    R_ABOVE_FEE,
    R_AGE,
    R_DEPENDS_ON_OTHERS,
    R_MAX_REACHED,
    R_MEDICAL_HOUSE,
    R_NO_PROFILE,
    R_NOT_COMBINABLE,
    R_NOT_INSURED,
    R_NOT_ON_DATE,
    R_NOT_QUALIFIED,
    R_PREREQUISITE,
    R_SETTING,
    R_SUPPLEMENT_BANNED,
    REFUSAL_REASONS,
)
from inami_cli.domain.reimbursement._rules import (
    PHYSIO_NON_CONVENTIONED,
    PHYSIO_NON_CONVENTIONED_FACTOR,
    PREREQUISITES,
    YOUNG_BIM_DMG,
    YOUNG_BIM_MAX_AGE,
    _prerequisite_met,
    fixed_share_rule,
)
from inami_cli.domain.reimbursement._supplements import (
    missing_main_code,
    supplement_share_rule,
)
from inami_cli.domain.reimbursement._third_party import settle, third_party_applies
from inami_cli.domain.tariffs import select_profile

# ------------------------------------------------------------------ helpers


def _age_limits(act: ActRules) -> str:
    low, high = act.min_age, act.max_age
    if low is not None and high is not None:
        return f"ages {low} to {high}"
    if low is not None:
        return f"ages {low} and over"
    return f"ages up to {high}"


def _fmt(amount: Decimal) -> str:
    return f"{amount:.2f}"


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
) -> CaseResult:
    """Compute one code; *visit* holds the codes already accepted in the same visit.

    *terms* is the provider on the date (``_provider_rules``); without it, *provider* is
    a status given explicitly and read as before the register existed. *third_party*: the
    case asks for third-party payment (a compulsory rule applies it anyway); *referred*:
    the patient comes with the GP's referral (specialists).
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
) -> CaseResult:
    """The split of the fee for one code, before who-pays-what."""
    act, tariff = line.act, line.tariff
    if terms is None:
        terms = ProviderTerms(status=provider)
    provider = terms.status
    steps: list[Step] | None = [*context] if explain else None
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
    attest = attest_check(act, terms, on)
    if attest is not None:
        if not attest[0]:
            return refuse(R_NOT_QUALIFIED, attest[1])
        if steps is not None:
            steps.append(Step("provider may attest the code", "yes", source=attest[1]))
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

    # -- the split of the fee ---------------------------------------------------
    fee = tariff.fee
    who = dmg_for_split(act, patient, on)  # R3: the DMG counts only at the GP holding it
    if who is not patient and steps is not None:
        steps.append(
            Step(
                DMG_HOLDER.description,
                patient.dmg_holder,
                DMG_HOLDER.valid_from,
                source=DMG_HOLDER.source,
                rule="R3",
            )
        )
    profile = select_profile(tariff.profiles, who.beneficiary)
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
        rule = fixed_share_rule(act.category, on) or supplement_share_rule(act.category, on)
        if rule is None:
            return refuse(
                R_NO_PROFILE,
                f"tariff of {act.code} has no profile for {patient.label()} "
                "and no fixed personal share applies",
            )
        fixed, dmg_used = rule.share(who.regime, who.dmg)
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

    if halved:
        reimbursement = halve(reimbursement)
        if steps is not None:
            steps.append(
                Step(
                    f"{DENTAL_CONTINUITY.name}: {DENTAL_CONTINUITY.description}",
                    _fmt(reimbursement),
                    DENTAL_CONTINUITY.valid_from,
                    DENTAL_CONTINUITY.valid_to,
                    DENTAL_CONTINUITY.source,
                )
            )

    cut = False
    if (
        act.category in PHYSIO_CATEGORIES
        and provider == "non-conventioned"
        and patient.regime != "preferential"
    ):
        cut, cut_source = physio_cut_applies(terms, PHYSIO_NON_CONVENTIONED.in_force(on))
        if not cut and steps is not None:
            steps.append(
                Step("no -25 % at a non-conventioned physiotherapist", "", source=cut_source)
            )
    if cut:
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
        may_charge, why = supplement_permission(act, terms, setting)
        if not may_charge:
            detail = f"charged {_fmt(charged)}, the fee is {_fmt(fee)} ({act.code})"
            return refuse(R_ABOVE_FEE, f"{detail}; {why}" if why else detail)
        if steps is not None:
            steps.append(Step("supplement allowed", provider, source=why))
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
        explanation=tag_rules(steps or (), act),
    )
