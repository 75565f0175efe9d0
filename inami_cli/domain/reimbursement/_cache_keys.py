"""What of a case can change its answer: the parts of the batch's answer-cache key that
the rules decide (the age, the stretch between two rule dates)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date

from inami_cli.domain.reimbursement._model import DOCTOR_CATEGORIES, ActRules, PastCare
from inami_cli.domain.reimbursement._referral import REFERRAL_REDUCTIONS
from inami_cli.domain.reimbursement._rules import RULE_BOUNDARIES, YOUNG_BIM_MAX_AGE
from inami_cli.domain.reimbursement._supplements import SUPPLEMENT_SHARES
from inami_cli.domain.reimbursement._third_party import THIRD_PARTY_RULES
from inami_cli.domain.tariffs import TariffView


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


def age_cuts(act: ActRules, tariff: TariffView | None) -> tuple[int, ...]:
    """The ages where a case's plan can change when the act has no age limits: the bounds
    of the tariff's profile age bands (``Profile.matches``: from, to inclusive) and, at a
    doctor, the young-BIM limit (``YOUNG_BIM_DMG``, third-party payment)."""
    cuts: set[int] = set()
    for p in tariff.profiles if tariff is not None else ():
        if p.age_from is not None:
            cuts.add(p.age_from)
        if p.age_to is not None:
            cuts.add(p.age_to + 1)
    if act.category in DOCTOR_CATEGORIES:
        cuts.add(YOUNG_BIM_MAX_AGE + 1)
    return tuple(sorted(cuts))


def age_band(act: ActRules, cuts: tuple[int, ...], age: int | None) -> object:
    """What of *age* a case's plan reads (a plan-key part): the exact age when the act has
    age limits (its refusal names the age), else the band between two of *cuts*
    (``age_cuts``) it falls in."""
    if act.min_age is not None or act.max_age is not None or age is None:
        return age
    return bisect_right(cuts, age)


# The rule dates of the named rules and of third-party payment and the referral reduction.
EPOCH_BOUNDARIES: tuple[date, ...] = tuple(
    sorted(
        {*RULE_BOUNDARIES}
        | {r.valid_from for r in THIRD_PARTY_RULES if r.valid_from is not None}
        | {r.valid_from for r in REFERRAL_REDUCTIONS}
        | {r.valid_from for r in SUPPLEMENT_SHARES}
    )
)


def rule_epoch(on: date) -> int:
    """Index of the stretch between two rule dates (``RULE_BOUNDARIES``, third-party
    payment, the referral reduction) that contains *on*."""
    return bisect_right(EPOCH_BOUNDARIES, on)


def history_matters(act: ActRules, on: date, history: Sequence[PastCare]) -> bool:
    """Whether *history* can change the answer for *act* on *on* (without a visit or a
    referral): ``compute_case`` reads the history only for a prerequisite (any earlier care),
    the frequency limit (earlier care of the same code) and the same-day combinations (care
    on *on* that the act or the earlier one excludes) (``_compute._split``). When it does
    not, the answer is the one without history, which a cache may share between persons.
    """
    if not history:
        return False
    if act.prerequisite:
        return True
    code, limited = act.code, act.max_per_period is not None
    excluded = act.not_combinable_with
    for h in history:
        if limited and h.code == code:
            return True
        if h.care_date == on and (h.code in excluded or code in h.not_combinable_with):
            return True
    return False
