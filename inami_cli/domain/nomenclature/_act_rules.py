"""Act rules that change over time (age limits, frequency limits, prerequisite,
non-combinable codes, setting), dated like tariffs.

An act's own columns hold its rules when no dated period says otherwise (the import columns
stay what they were). A dated period states every rule of the act from its first day (a
blank is "no such rule"), so a change is a new period and never rewrites the past: the age
limit of 301593 was the 67th birthday in 2022 and disappeared on 2023-09-01
(rules-audit.md section 5; vandenbroucke.belgium.be "Tandzorg beter terugbetaald vanaf 1
september"). Periods of one code never overlap; ``valid_to`` is inclusive, None = open.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.frequency import FREQUENCY_PERIODS
from inami_cli.domain.nomenclature._acts import (
    SETTINGS,
    ActView,
    check_act_rules,
)

RULE_FIELDS = (
    "min_age",
    "max_age",
    "max_per_period",
    "frequency_period",
    "not_combinable_with",
    "prerequisite",
    "setting",
)


@dataclass(frozen=True)
class ActRulePeriod:
    """The rules of one code from *valid_from* to *valid_to*, with their source."""

    code: str
    valid_from: date
    valid_to: date | None = None
    min_age: int | None = None
    max_age: int | None = None
    max_per_period: int | None = None
    frequency_period: str | None = None
    not_combinable_with: tuple[str, ...] = ()
    prerequisite: str | None = None
    setting: str = "any"
    source: str = ""

    def in_force(self, on: date) -> bool:
        """True when the period covers *on*."""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def summary(self) -> str:
        """``ages 18 to 66, 1 per calendar_year`` style text (``no limits`` when none)."""
        parts: list[str] = []
        if self.min_age is not None or self.max_age is not None:
            low = "" if self.min_age is None else str(self.min_age)
            high = "" if self.max_age is None else str(self.max_age)
            parts.append(f"ages {low or '0'} to {high or 'any'}")
        if self.max_per_period is not None:
            parts.append(f"{self.max_per_period} per {self.frequency_period}")
        if self.prerequisite:
            parts.append(f"prerequisite {self.prerequisite}")
        if self.not_combinable_with:
            parts.append("not with " + " ".join(self.not_combinable_with))
        if self.setting != "any":
            parts.append(self.setting)
        return ", ".join(parts) or "no limits"


def check_rule_period(period: ActRulePeriod) -> ActRulePeriod:
    """*period* if its rules are consistent; InvalidInput naming the problem otherwise."""
    if period.valid_to is not None and period.valid_to < period.valid_from:
        raise InvalidInput(f"valid_to {period.valid_to} is before valid_from {period.valid_from}")
    check_act_rules(period.min_age, period.max_age, period.max_per_period, period.frequency_period)
    if period.frequency_period is not None and period.frequency_period not in FREQUENCY_PERIODS:
        raise InvalidInput(
            f"frequency_period {period.frequency_period!r}: expected {'|'.join(FREQUENCY_PERIODS)}"
        )
    if period.setting not in SETTINGS:
        raise InvalidInput(f"setting {period.setting!r}: expected ambulatory, hospitalised or any")
    return period


@dataclass(frozen=True)
class DatedAct:
    """An act with the rules of the dated period in force on a date (what the
    reimbursement reads: ``domain.reimbursement.ActRules``), and that period."""

    code: str
    label_fr: str
    label_nl: str
    category: str
    setting: str
    valid_from: date | None
    valid_to: date | None
    min_age: int | None
    max_age: int | None
    max_per_period: int | None
    frequency_period: str | None
    not_combinable_with: tuple[str, ...]
    prerequisite: str | None
    rule_period: ActRulePeriod


def rules_on(
    act: ActView, periods: Mapping[str, Iterable[ActRulePeriod]], on: date
) -> ActView | DatedAct:
    """*act* as the rules stand on *on*: with the dated period in force, or *act* itself
    (its own columns) when no period covers the date."""
    found = periods.get(act.code)
    if not found:
        return act
    for period in found:
        if period.in_force(on):
            values = {name: getattr(period, name) for name in RULE_FIELDS}
            return DatedAct(
                code=act.code,
                label_fr=act.label_fr,
                label_nl=act.label_nl,
                category=act.category,
                valid_from=act.valid_from,
                valid_to=act.valid_to,
                rule_period=period,
                **values,
            )
    return act


def overlapping(periods: Iterable[ActRulePeriod]) -> tuple[ActRulePeriod, ActRulePeriod] | None:
    """The first two periods (sorted by start) that share a day, or None."""
    ordered = sorted(periods, key=lambda p: p.valid_from)
    for first, second in itertools.pairwise(ordered):
        if first.valid_to is None or second.valid_from <= first.valid_to:
            return first, second
    return None
