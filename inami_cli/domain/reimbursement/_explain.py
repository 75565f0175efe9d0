"""Which rule each explanation step applied: the rule ids of the rules audit
(``../shared/domain/rules-audit.md``, R1 ... R23), so ``--explain`` names every rule with its
source (issue 15). A step that only reports data (the beneficiary, the provider, the fee
read from the tariff) names no rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from inami_cli.domain.reimbursement._model import ActRules, Step

# rule id -> what it is (rules audit §1.1)
RULE_IDS: dict[str, str] = {
    "R1": "split of the fee: fee = reimbursement + personal share",
    "R2": "beneficiary profile: the most specific matching profile of the tariff",
    "R3": "fixed personal share, GP consultations",
    "R4": "home visits: published personal shares per age band, regime and DMG",
    "R5": "fixed personal share, specialists",
    "R6": "fixed personal share, physiotherapy",
    "R7": "BIM up to 24 with a DMG: no personal share",
    "R8": "-25 % at a non-conventioned physiotherapist",
    "R11": "a conventioned provider charges the fee",
    "R12": "supplements are never reimbursed",
    "R13": "BIM supplement ban, doctors",
    "R14": "BIM supplement ban, dentists",
    "R15": "BIM at a non-conventioned physiotherapist: the official fee",
    "R16": "provider charges below the fee",
    "R17": "age limits of a code",
    "R18": "frequency limits",
    "R20": "dental continuity (prerequisite of scaling)",
    "R21": "codes not combinable the same day",
    "R22": "setting (ambulatory or hospitalised)",
    "R23": "insured on the date, code valid on the date",
}

_BY_PREFIX: tuple[tuple[str, str], ...] = (
    ("fixed personal share gp_fixed_share", "R3"),
    ("fixed personal share specialist_fixed_share", "R5"),
    ("fixed personal share physio", "R6"),
    ("reduced reimbursement", "R8"),
    ("reimbursement 25 % lower", "R8"),
    ("no personal share for BIM up to 24", "R7"),
    ("dental_continuity_halving", "R20"),
    ("supplement (never reimbursed)", "R12"),
    ("charged below the fee", "R16"),
    ("age limits", "R17"),
    ("frequency", "R18"),
    ("prerequisite met", "R20"),
    ("personal share", "R1"),
)
_REFUSALS = {
    "901": "R23",
    "009": "R23",
    "902": "R17",
    "903": "R22",
    "904": "R2",
    "905": "R11",
    "002": "R18",
    "008": "R20",
    "010": "R21",
}


def rule_of(step: Step, act: ActRules) -> str:
    """The rules-audit id a step applied (empty: a step that only reports data)."""
    what = step.what
    if what.startswith("reimbursement for profile"):
        return "R4" if act.category == "gp_visit" else "R2"
    if what == "refusal":
        code = step.value[:3]
        if code == "906":
            if "dental" in step.value:
                return "R14"
            if "physiotherapist" in step.value:
                return "R15"
            return "R13"
        return _REFUSALS.get(code, "")
    for prefix, rule in _BY_PREFIX:
        if what.startswith(prefix):
            return rule
    return ""


def tag_rules(steps: Iterable[Step], act: ActRules) -> tuple[Step, ...]:
    """The steps with the rule each one applied (``Step.rule``)."""
    return tuple(s if s.rule else replace(s, rule=rule_of(s, act)) for s in steps)
