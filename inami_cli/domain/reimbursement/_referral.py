"""The specialist referral reduction: a lower personal share at a specialist consulted
after a referral by the GP who holds the patient's DMG.

Royal decree of 26 November 2006, in force from 2007-02-01: the patient pays 5.00 € less
(ordinary) or 2.00 € less (BIM), once a calendar year per specialty, on condition that the
GP holds a DMG for the patient; not combined with third-party payment
(lm.be, "Vermindering persoonlijk aandeel bij consultatie specialist";
vlaamsartsensyndicaat.be, "KB 26-11-2006 remgeld bij raadpleging van geneesheer-specialist
na verwijzing"; rules-audit.md R5).

Simplification (documented): the nomenclature gives each specialty its own consultation
codes, and the register does not carry the specialty of a code, so "per specialty" is
taken as "per consultation code".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from inami_cli.domain.reimbursement._model import CaseResult, PastCare, Patient, Step


@dataclass(frozen=True)
class ReferralRule:
    """The referral reduction of the personal share, dated, with its amounts."""

    name: str
    description: str
    valid_from: date
    ordinary: Decimal
    preferential: Decimal
    source: str
    valid_to: date | None = None

    def in_force(self, on: date) -> bool:
        """True when the rule applies on *on*."""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def amount(self, regime: str) -> Decimal:
        """The reduction for a regime."""
        return self.preferential if regime == "preferential" else self.ordinary


REFERRAL_REDUCTIONS: tuple[ReferralRule, ...] = (
    ReferralRule(
        name="specialist_referral_reduction",
        description="referral by the GP: personal share lower at the specialist",
        valid_from=date(2007, 2, 1),
        ordinary=Decimal("5.00"),
        preferential=Decimal("2.00"),
        source="RD 26/11/2006; lm.be, Vermindering persoonlijk aandeel bij consultatie "
        "specialist; vlaamsartsensyndicaat.be, KB 26-11-2006",
    ),
)


def referral_rule(on: date) -> ReferralRule | None:
    """The referral reduction in force on *on*, or None."""
    for rule in REFERRAL_REDUCTIONS:
        if rule.in_force(on):
            return rule
    return None


def apply_referral(
    result: CaseResult,
    *,
    category: str,
    patient: Patient,
    third_party: bool,
    earlier: Iterable[PastCare],
) -> CaseResult:
    """*result* with the referral reduction applied when every condition holds; otherwise
    *result* with one explanation step saying which condition failed (when explaining)."""
    explain = bool(result.explanation)

    def skip(why: str) -> CaseResult:
        if not explain:
            return result
        step = Step("referral reduction not applied", why)
        return replace(result, explanation=(*result.explanation, step))

    if not result.ok or category != "specialist_consultation":
        return result
    rule = referral_rule(result.date)
    if rule is None:
        return skip("no referral reduction in force on the date (from 2007-02-01)")
    if not patient.dmg:
        return skip("the GP holds no DMG for the patient")
    if third_party:
        return skip("not combined with third-party payment")
    year = result.date.year
    for past in earlier:
        if past.code == result.code and past.referral_reduced and past.care_date.year == year:
            return skip(f"already granted for {result.code} on {past.care_date.isoformat()}")
    assert result.personal_share is not None and result.fee is not None
    assert result.patient_total is not None
    cut = min(rule.amount(patient.regime), result.personal_share)
    share = result.personal_share - cut
    explanation = result.explanation
    if explain:
        explanation = (
            *explanation,
            Step(rule.description, f"-{cut:.2f}", rule.valid_from, rule.valid_to, rule.source),
            Step("personal share after the referral reduction", f"{share:.2f}"),
        )
    return replace(
        result,
        reimbursement=result.fee - share,
        personal_share=share,
        patient_total=max(result.patient_total - cut, Decimal("0.00")),
        referral_reduced=True,
        explanation=explanation,
    )
