"""The batch's plans (issue 19, "The reimbursement engine's shape"): each case's plan
(``domain.reimbursement.compile_plan``) is compiled once, rendered once, and applied to
every row that shares it with plain arithmetic on the charged amount.

A row takes this way when nothing of it needs more than the plan: the person is insured
and not enrolled in a medical house, has no recorded history, is not referred, and the
plan passed every refusal that does not read the row. The arithmetic is
``_compute.apply_plan`` (what the provider charges) and ``_third_party.settle`` (who pays
what) restated for that case; every other row, and a charged amount above the fee that
is refused or banned, goes through ``compute_case`` (the authority: the frozen batch
outputs and ``tests/services/test_batch_plan.py`` compare both).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from inami_cli.domain import reimbursement as rules
from inami_cli.domain.money import ZERO, to_cents
from inami_cli.domain.reimbursement import Patient, Plan, ProviderTerms
from inami_cli.services.memo import Generations
from inami_cli.services.reimbursement._batch_render import _Cached, _Plain, _Renderer

# Plans kept at most (the ones in use stay: ``services.memo.Generations``), so memory stays flat
PLAN_LIMIT = 20_000
ANSWERS_PER_PLAN = 8


@dataclass(frozen=True)
class Shape:
    """A compiled plan with what its rows share: who pays (third-party payment applies
    or not), its amounts, their cents and the rendered fixed cells (None: its rows go
    through ``compute_case``)."""

    plan: Plan
    plain: _Plain | None
    third_party: bool = False
    fee: Decimal = ZERO
    reimbursement: Decimal = ZERO
    share: Decimal = ZERO
    cents: tuple[int, int, int] = (0, 0, 0)
    # its rows' answers by charged amount (``parse_amount`` quantizes it to the cent, so
    # equal amounts render alike); a few per plan, as charged amounts repeat
    answers: dict[Decimal | None, _Cached] = field(default_factory=dict, compare=False)

    def amounts(self, charged: Decimal | None) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
        """(supplement, patient_total, paid_at_desk, paid_to_provider) of a row charging
        *charged*; None when the row needs the engine (above the fee where that is
        refused, banned, or needs the time of care)."""
        plan, fee, share = self.plan, self.fee, self.share
        reimbursement = self.reimbursement
        supplement = ZERO
        total = share
        if charged is not None and charged > fee:
            if not plan.may_charge or plan.ban is not None or plan.charge_error:
                return None
            supplement = charged - fee
            total = share + supplement
        elif charged is not None and charged < fee:
            total = max(charged - reimbursement, ZERO)
        if self.third_party:
            return supplement, total, total, reimbursement or ZERO
        desk = charged if charged is not None else fee + supplement
        return supplement, total, desk, ZERO


class BatchPlans:
    """The plans of a batch by key (what of a row the plan reads), rendered once."""

    def __init__(self, renderer: _Renderer, language: str) -> None:
        self.renderer = renderer
        self.language = language
        # the plans in use stay; the others are forgotten (flat memory)
        self.shapes: Generations[tuple[Any, ...], Shape] = Generations(PLAN_LIMIT // 2)

    def compile(
        self,
        key: tuple[Any, ...],
        act: Any,
        tariff: Any,
        *,
        on: date,
        patient: Patient,
        terms: ProviderTerms,
        setting: str | None,
        asked_third_party: bool,
    ) -> Shape:
        """The shape of *key* (not yet in ``shapes``), compiled on its first row."""
        plan = rules.compile_plan(act, tariff, on=on, patient=patient, terms=terms, setting=setting)
        label = act.label_nl if self.language == "nl" and act.label_nl else act.label_fr
        shape = self._shape(plan, label, on, patient, asked_third_party)
        self.shapes.put(key, shape)
        return shape

    def answer(self, shape: Shape, charged: Decimal | None) -> _Cached | None:
        """A row's answer by its plan (an ok row), or None: the row needs the engine."""
        found = shape.answers.get(charged)
        if found is not None:
            return found
        plain = shape.plain
        if plain is None:
            return None
        amounts = shape.amounts(charged)
        if amounts is None:
            return None
        tail = self.renderer.plain_tail(plain, amounts)
        found = _Cached(plain.code, plain.head, tail, True, shape.cents, None)
        if len(shape.answers) < ANSWERS_PER_PLAN:
            shape.answers[charged] = found
        return found

    def _shape(self, plan: Plan, label: str, on: date, patient: Patient, asked: bool) -> Shape:
        act = plan.act
        if (
            plan.gate is not None
            or plan.no_profile is not None
            or act.prerequisite
            or (act.max_per_period is not None and act.max_per_period <= 0)
            or rules.missing_main_code(act.category, ()) is not None
        ):
            return Shape(plan, None)
        fee, reimbursement = plan.fee, plan.reimbursement
        share = fee - reimbursement
        # ``third_party_applies`` without its explanation step: a compulsory rule, or
        # asked for (every branch of it that is asked for applies)
        applies = asked or rules.third_party_rule(act, patient, on) is not None
        plain = self.renderer.plain(
            code=act.code,
            head=(label, patient.regime, patient.dmg),
            before=(patient.chronic, plan.profile, fee, reimbursement, share),
            between=(
                plan.tariff.valid_from if plan.tariff is not None else None,
                plan.tariff.valid_to if plan.tariff is not None else None,
                plan.tariff.source if plan.tariff is not None else "",
                rules.OK,
                None,
                None,
                applies,
            ),
            after=(False,),
        )
        cents = (to_cents(fee), to_cents(reimbursement), to_cents(share))
        return Shape(plan, plain, applies, fee, reimbursement, share, cents)
