"""What a billed line owes to its code and date alone (``CodePlan``), worked out in two
steps so that a new (code, date) costs look-ups, not work: what depends on the code's
stored tariff period is kept per (code, period) (``_PeriodPlan``: the act, the tariff view,
which profile dimensions its profiles read, the age the answer keeps), what depends on the
date alone per date (the rule epoch) or per (act category, date) (a prescriber needed, a
fixed personal share). A billing file spans many dates: the bench's 200 000 lines are
~50 000 distinct (code, date) pairs but ~10 000 (code, period) pairs.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Any

from inami_cli.domain import reimbursement as engine
from inami_cli.domain.dates import day_after, stretch
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


class _Spans:
    """A code's plans, each with the stretch of days it holds for (``CodePlans.span``: two
    stretches of a code never overlap), in date order."""

    __slots__ = ("ends", "starts")

    def __init__(self) -> None:
        self.starts: list[date] = []
        self.ends: list[tuple[date | None, CodePlan | None]] = []  # (end, plan)

    def add(self, start: date, end: date | None, plan: CodePlan | None) -> None:
        """Keep *plan* for the days from *start* (inclusive) to *end* (exclusive)."""
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, (end, plan))


class CodePlans:
    """``CodePlan`` per (code, date), from bounded caches (flat memory).

    A code's plans are kept with the days on which each stays the same (``span``): a
    billing file names a code on many dates (half of a million lines' (code, date) pairs
    are new), most of them inside a stretch of days already met."""

    def __init__(self, ctx: AuditContext) -> None:
        self.ctx = ctx
        self.codes: dict[tuple[str, date], CodePlan | None] = {}
        self.spans: dict[str, _Spans] = {}  # by code: see ``span``
        self.changes = _date_changes(ctx)
        self.shared: Generations[tuple[Any, ...], CodePlan] = Generations(PLAN_LIMIT)
        self.periods: dict[tuple[str, object], _PeriodPlan] = {}
        self.categories: dict[tuple[str, date], tuple[bool, bool]] = {}

    def plan(self, code: str, on: date) -> CodePlan | None:
        """The plan of *code* on *on* (None: the code is unknown)."""
        spans = self.spans.get(code)
        if spans is not None:
            i = bisect_right(spans.starts, on) - 1
            if i >= 0:
                end, plan = spans.ends[i]
                if end is None or on < end:
                    return plan
        key = (code, on)
        found = self.codes.get(key, self)
        if found is not self:
            return found  # type: ignore[return-value]
        plan = self._plan(code, on)
        span = self.span(code, on)
        if span is None:
            _bounded(self.codes)[key] = plan
        else:
            if spans is None:
                spans = _bounded(self.spans)[code] = _Spans()
            spans.add(*span, plan)
        return plan

    def span(self, code: str, on: date) -> tuple[date, date | None] | None:
        """The days around *on* on which the plan of *code* is the one of *on*: from the
        first (inclusive) to the second (exclusive; None: every later day); None when the
        plan is the date's own (a fee derived from key letters on the date).

        The plan reads the date through the code's stored tariff period, the act's
        validity, the rule epoch, the prescribed-acts table and the fixed and supplement
        share rules (``_plan``): it can change only on a day one of them starts or on the
        day after one ends (``_date_changes`` for those of no code)."""
        ctx = self.ctx
        act = ctx.act(code)
        if act is None:
            return date.min, None
        periods = ctx.index.periods(code)
        stored = ctx.index.record_on(code, on)
        if stored is not None and stored.fee is None:
            return None
        i = bisect_right(self.changes, on)
        start = self.changes[i - 1] if i else date.min
        end = self.changes[i] if i < len(self.changes) else None
        changes = [act.valid_from, day_after(act.valid_to)]
        for period in periods:
            changes += (period.valid_from, day_after(period.valid_to))
        return stretch(on, changes, start, end)

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


def _date_changes(ctx: AuditContext) -> tuple[date, ...]:
    """The days on which a rule of a plan that is no code's own starts, or the day after
    one ends: the rule epochs (``domain.reimbursement.rule_epoch``), the prescribed-acts
    table, the fixed and the supplement personal shares (``CodePlans._category``)."""
    changes: set[date | None] = set(engine.EPOCH_BOUNDARIES)
    rules: list[Any] = [*ctx.prescribed, *engine.FIXED_SHARES, *engine.SUPPLEMENT_SHARES]
    for rule in rules:
        changes.update((rule.valid_from, day_after(rule.valid_to)))
    return tuple(sorted(day for day in changes if day is not None))
