"""What a billed line owes to its code and date alone (``CodePlan``), worked out in two
steps so that a new (code, date) costs look-ups, not work: what depends on the code's
stored tariff period is kept per (code, period) (``_PeriodPlan``: the act, the tariff view,
which profile dimensions its profiles read, the age the answer keeps), what depends on the
date alone per date (the rule epoch) or per (act category, date) (a prescriber needed, a
fixed personal share). A billing file spans many dates: the bench's 200 000 lines are
~50 000 distinct (code, date) pairs but ~10 000 (code, period) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from inami_cli.domain import reimbursement as engine
from inami_cli.services.control._context import AuditContext, _bounded
from inami_cli.services.memo import Generations

# engine.age_key's three answers: the exact age, "up to 24" (a doctor), or nothing
EXACT, YOUNG, NONE = "exact", "young", "none"


def _age_mode(act: Any, tariff: Any) -> str:
    """What of the age ``domain.reimbursement.age_key`` keeps for this act and tariff."""
    kept = engine.age_key(act, tariff, 30)  # 30: not 0, and above the young age
    if isinstance(kept, bool):
        return YOUNG
    return EXACT if kept == 30 else NONE


@dataclass(frozen=True)
class _PeriodPlan:
    """A code in one stored tariff period (what no date inside the period changes)."""

    act: Any
    tariff: Any
    age_mode: str
    history: bool  # its care counts for the patient's later lines
    reads_chronic: bool  # a profile of the tariff names the chronic status
    profiles_read_dmg: bool  # no tariff, or a profile of it names the DMG
    doctor: bool  # a doctor's act (the young-BIM rules read the DMG)


@dataclass(frozen=True, eq=False)
class CodePlan:
    """A code on a date: the act, the tariff in force, whether it needs a prescriber, the
    age the answer keeps and the profile dimensions it reads.

    One object per (code, stored tariff period, rule epoch, act valid, category's dated
    rules), shared by every date that agrees on them (``CodePlans``): compared and hashed
    by identity, it is the head of the engine answers' cache key (``_Auditor.case``), a
    key part that costs nothing to hash (a tuple of five values was hashed per line)."""

    act: Any
    tariff: Any
    prescribed: bool
    age_mode: str
    history: bool  # its care counts for the patient's later lines
    reads_chronic: bool  # a profile of the tariff names the chronic status
    reads_dmg: bool  # a profile names the DMG, or a fixed share may apply
    doctor: bool  # a doctor's act (the young-BIM rules read the DMG)
    attest_rules: bool  # a rule of the codes-by-qualification table names the code


# Shared plans kept (two generations: ``Generations``): a file's (code, tariff period)
# pairs, a few tens of thousands in a million lines of the bench.
PLAN_LIMIT = 20_000


class CodePlans:
    """``CodePlan`` per (code, date), from bounded caches (flat memory)."""

    def __init__(self, ctx: AuditContext) -> None:
        self.ctx = ctx
        self.codes: dict[tuple[str, date], CodePlan | None] = {}
        self.shared: Generations[tuple[Any, ...], CodePlan] = Generations(PLAN_LIMIT)
        self.periods: dict[tuple[str, object], _PeriodPlan] = {}
        self.categories: dict[tuple[str, date], tuple[bool, bool]] = {}

    def plan(self, code: str, on: date) -> CodePlan | None:
        """The plan of *code* on *on* (None: the code is unknown)."""
        key = (code, on)
        found = self.codes.get(key, self)
        if found is not self:
            return found  # type: ignore[return-value]
        plan = self._plan(code, on)
        _bounded(self.codes)[key] = plan
        return plan

    def _plan(self, code: str, on: date) -> CodePlan | None:
        """The shared plan of what decides the engine's answer on *on* (see ``CodePlan``)."""
        ctx = self.ctx
        act = ctx.act(code)
        if act is None:
            return None
        period, tariff = ctx.tariff_period(code, on)
        prescribed, shared = self._category(act.category, on)
        valid = (act.valid_from is None or act.valid_from <= on) and (
            act.valid_to is None or on <= act.valid_to
        )
        key = (code, period, ctx.epoch(on), valid, prescribed, shared)
        plan = self.shared.get(key)
        if plan is None:
            part = self._period(act, code, period, tariff)
            plan = CodePlan(act, tariff, prescribed, part.age_mode, part.history,
                            part.reads_chronic, part.profiles_read_dmg or shared,
                            part.doctor,
                            bool(ctx.code_attest_rules(code, act.article)))  # fmt: skip
            self.shared.put(key, plan)
        return plan

    def _period(self, act: Any, code: str, period: object, tariff: Any) -> _PeriodPlan:
        key = (code, period)
        found = self.periods.get(key)
        if found is None:
            found = _PeriodPlan(
                act, tariff, _age_mode(act, tariff), self.ctx.history_relevant(act),
                tariff is not None and any(p.chronic is not None for p in tariff.profiles),
                tariff is None or any(p.dmg is not None for p in tariff.profiles),
                act.category in engine.DOCTOR_CATEGORIES,
            )  # fmt: skip
            _bounded(self.periods)[key] = found
        return found

    def _category(self, category: str, on: date) -> tuple[bool, bool]:
        """(needs a prescriber, a fixed personal share may apply) for a category on a date:
        the split of the fee reads the DMG through a fixed share when no profile matches."""
        key = (category, on)
        found = self.categories.get(key)
        if found is None:
            shared = (
                engine.fixed_share_rule(category, on) is not None
                or engine.supplement_share_rule(category, on) is not None
            )
            found = (self.ctx.needs_prescriber(category, on), shared)
            _bounded(self.categories)[key] = found
        return found
