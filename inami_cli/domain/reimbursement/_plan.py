"""The reimbursement engine's plan (issue 19, "The reimbursement engine's shape").

Most of a case's computation depends only on (code, tariff period, beneficiary profile,
provider status / qualification / accreditation, setting, date band of the dated rules):
whether the code may be paid at all on the date, the fee, the profile or fixed share that
splits it, the physiotherapy cut, the young-BIM rule, whether a supplement is allowed and
banned. ``compile_plan`` works that part out once into a small immutable ``Plan``; the
row then adds what only it knows (whether the person is insured, the medical house, the
recorded history, the charged amount) with plain arithmetic (``_compute.apply_plan``).

One engine: ``compute_case`` compiles the plan and applies it; the batch compiles each
plan once and applies it to every row that shares it; ``--explain`` reads the plan's steps.
The rules themselves (and their sources) stay where they are: ``_rules``, ``_provider_rules``,
``_bans``, ``_dmg``, ``_supplements`` (DOMAIN.md sections 2-3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.money import ZERO, round_cents
from inami_cli.domain.reimbursement._bans import supplement_ban
from inami_cli.domain.reimbursement._dmg import DMG_HOLDER, dmg_for_split
from inami_cli.domain.reimbursement._model import (
    DOCTOR_CATEGORIES,
    PHYSIO_CATEGORIES,
    SETTINGS,
    ActRules,
    Patient,
    Step,
)
from inami_cli.domain.reimbursement._provider_rules import (
    ProviderTerms,
    attest_check,
    physio_cut_applies,
    supplement_permission,
)
from inami_cli.domain.reimbursement._refusals import (
    R_AGE,
    R_NOT_ON_DATE,
    R_NOT_QUALIFIED,
    R_SETTING,
)
from inami_cli.domain.reimbursement._rules import (
    PHYSIO_NON_CONVENTIONED,
    PHYSIO_NON_CONVENTIONED_FACTOR,
    YOUNG_BIM_DMG,
    YOUNG_BIM_MAX_AGE,
    Rule,
    fixed_share_rule,
)
from inami_cli.domain.reimbursement._supplements import supplement_share_rule
from inami_cli.domain.tariffs import TariffView, select_profile


def fmt(amount: Decimal) -> str:
    """An amount as an explanation shows it (two decimals)."""
    return f"{amount:.2f}"


def age_limits(act: ActRules) -> str:
    """The age limits of a code in words (``ages 3 to 17``)."""
    low, high = act.min_age, act.max_age
    if low is not None and high is not None:
        return f"ages {low} to {high}"
    if low is not None:
        return f"ages {low} and over"
    return f"ages up to {high}"


@dataclass(frozen=True)
class Plan:
    """What a case's answer is, once the row's person, history and charged amount are known.

    ``gate``: a refusal decided before the history rules (code not valid on the date, no
    tariff, provider not qualified, setting, age); ``no_profile``: the detail of refusal 904,
    decided after them. Otherwise the split: ``reimbursement`` is the profile's amount (or
    fee minus the fixed share, ``base``) after the physiotherapy cut and the young-BIM rule;
    a row whose prerequisite is unmet (dental continuity) recomputes it from ``base``
    halved (``adjust``). The steps (with ``explain`` only) are the explanation's middle part.
    """

    act: ActRules
    tariff: TariffView | None
    terms: ProviderTerms
    setting: str | None
    gate: tuple[str, str] | None = None
    checked: tuple[Step, ...] = ()  # fee, provider may attest, age limits
    split: tuple[Step, ...] = ()  # DMG holder, profile or fixed share
    no_profile: str | None = None
    profile: str = ""
    base: Decimal = ZERO
    cut: bool = False  # -25 % at a non-conventioned physiotherapist
    cut_note: Step | None = None  # why the cut does not apply (explain only)
    young: bool = False  # no personal share for BIM up to 24 with a DMG
    reimbursement: Decimal = ZERO
    adjusted: tuple[Step, ...] = ()  # the cut and young-BIM steps
    may_charge: bool = False  # above the fee, by the provider's status
    charge_why: str = ""
    charge_error: str = ""  # a partially conventioned provider without a time of care
    ban: Rule | None = None  # the BIM supplement ban in force, if any
    explain: bool = False

    @property
    def fee(self) -> Decimal:
        """The fee of the tariff in force (a plan past its gate has a tariff)."""
        assert self.tariff is not None
        return self.tariff.fee

    def adjust(self, base: Decimal) -> tuple[Decimal, tuple[Step, ...]]:
        """The reimbursement from *base* after the cut and the young-BIM rule, and their
        steps (a row whose dental prerequisite is unmet halves ``base`` first)."""
        return _adjust(base, self.fee, self.cut, self.cut_note, self.young, self.explain)


def _adjust(
    base: Decimal, fee: Decimal, cut: bool, cut_note: Step | None, young: bool, explain: bool
) -> tuple[Decimal, tuple[Step, ...]]:
    """R8 then R7 (``_compute`` module docstring): the -25 % at a non-conventioned
    physiotherapist, then no personal share for young BIM patients with a DMG."""
    steps: list[Step] = []
    reimbursement = base
    if cut_note is not None:
        steps.append(cut_note)
    if cut:
        reimbursement = round_cents(reimbursement * PHYSIO_NON_CONVENTIONED_FACTOR)
        if explain:
            steps.append(
                Step(
                    PHYSIO_NON_CONVENTIONED.description,
                    fmt(reimbursement),
                    PHYSIO_NON_CONVENTIONED.valid_from,
                    PHYSIO_NON_CONVENTIONED.valid_to,
                    PHYSIO_NON_CONVENTIONED.source,
                )
            )
    if young:
        reimbursement = fee
        if explain:
            steps.append(
                Step(
                    YOUNG_BIM_DMG.description,
                    "0.00",
                    YOUNG_BIM_DMG.valid_from,
                    YOUNG_BIM_DMG.valid_to,
                    YOUNG_BIM_DMG.source,
                )
            )
    return reimbursement, tuple(steps)


def compile_plan(
    act: ActRules,
    tariff: TariffView | None,
    *,
    on: date,
    patient: Patient,
    terms: ProviderTerms,
    setting: str | None = None,
    explain: bool = False,
) -> Plan:
    """The plan of *act* with *tariff* on *on* for *patient*'s profile (regime, DMG, age,
    chronic, automatic BIM, DMG holder) at the provider *terms* in *setting*."""
    steps: list[Step] = []

    def gate(code: str, detail: str) -> Plan:
        return Plan(act, tariff, terms, setting, (code, detail), tuple(steps), explain=explain)

    if (act.valid_from is not None and on < act.valid_from) or (
        act.valid_to is not None and on > act.valid_to
    ):
        start = act.valid_from.isoformat() if act.valid_from else "..."
        end = act.valid_to.isoformat() if act.valid_to else "..."
        return gate(R_NOT_ON_DATE, f"code {act.code} exists from {start} to {end}")
    if tariff is None:
        # the reason does not repeat the date (it is in the result): batch caches share it
        return gate(R_NOT_ON_DATE, f"no tariff of {act.code} in force on the date of care")
    fee = tariff.fee
    if explain:
        steps.append(Step("fee", fmt(fee), tariff.valid_from, tariff.valid_to, tariff.source))
    attest = attest_check(act, terms, on)
    if attest is not None:
        if not attest[0]:
            return gate(R_NOT_QUALIFIED, attest[1])
        if explain:
            steps.append(Step("provider may attest the code", "yes", source=attest[1]))
    if setting is not None and act.setting in SETTINGS and act.setting != setting:
        return gate(R_SETTING, f"code {act.code} is for {act.setting} care, not {setting}")
    if act.min_age is not None or act.max_age is not None:
        age = patient.age
        if age is None:
            return gate(R_AGE, f"age unknown; code {act.code} is for {age_limits(act)}")
        if (act.min_age is not None and age < act.min_age) or (
            act.max_age is not None and age > act.max_age
        ):
            return gate(R_AGE, f"age {age}; code {act.code} is for {age_limits(act)}")
        if explain:
            steps.append(Step("age limits", age_limits(act), act.valid_from, act.valid_to))
    checked = tuple(steps)
    steps = []

    # -- the split of the fee ---------------------------------------------------
    who = dmg_for_split(act, patient, on)  # R3: the DMG counts only at the GP holding it
    if who is not patient and explain:
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
        base = min(profile.reimbursement, fee)
        label = profile.label()
        if explain:
            steps.append(
                Step(
                    f"reimbursement for profile {label}",
                    fmt(profile.reimbursement),
                    tariff.valid_from,
                    tariff.valid_to,
                    tariff.source,
                )
            )
    else:
        rule = fixed_share_rule(act.category, on) or supplement_share_rule(act.category, on)
        if rule is None:
            return Plan(
                act,
                tariff,
                terms,
                setting,
                checked=checked,
                split=tuple(steps),
                no_profile=f"tariff of {act.code} has no profile for {patient.label()} "
                "and no fixed personal share applies",
                explain=explain,
            )
        fixed, dmg_used = rule.share(who.regime, who.dmg)
        base = fee - min(fixed, fee)
        label = patient.regime + (",dmg" if dmg_used else "") + " (fixed share)"
        if explain:
            steps.append(
                Step(
                    f"fixed personal share {rule.name} ({label})",
                    fmt(fixed),
                    rule.valid_from,
                    rule.valid_to,
                    rule.source,
                )
            )

    provider = terms.status
    cut, cut_note = False, None
    if (
        act.category in PHYSIO_CATEGORIES
        and provider == "non-conventioned"
        and patient.regime != "preferential"
    ):
        cut, cut_source = physio_cut_applies(terms, PHYSIO_NON_CONVENTIONED.in_force(on))
        if not cut and explain:
            cut_note = Step("no -25 % at a non-conventioned physiotherapist", "", source=cut_source)
    young = (
        act.category in DOCTOR_CATEGORIES
        and patient.regime == "preferential"
        and patient.dmg
        and patient.age is not None
        and patient.age <= YOUNG_BIM_MAX_AGE
        and YOUNG_BIM_DMG.in_force(on)
    )
    try:
        may_charge, why = supplement_permission(act, terms, setting)
        error = ""
    except InvalidInput as exc:  # raised only for a row that charges above the fee
        may_charge, why, error = False, "", exc.message
    reimbursement, adjusted = _adjust(base, fee, cut, cut_note, young, explain)
    return Plan(
        act,
        tariff,
        terms,
        setting,
        checked=checked,
        split=tuple(steps),
        profile=label,
        base=base,
        cut=cut,
        cut_note=cut_note,
        young=young,
        reimbursement=reimbursement,
        adjusted=adjusted,
        may_charge=may_charge,
        charge_why=why,
        charge_error=error,
        ban=supplement_ban(act, patient, on, setting, provider),
        explain=explain,
    )
