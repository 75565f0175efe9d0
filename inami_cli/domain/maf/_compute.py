"""The MAF of one household for one year: which ceilings apply and why, and what is paid
back to whom.

Four types (INAMI, "Types van maximumfactuur", maf-control-funding.md §6):

- **income MAF**: everyone; the whole de-facto household (everyone at the address on
  1 January, a child born during the year joins it: VNZ) has one ceiling set by its net
  taxable income of year n-2 (n-3 before 2019);
- **social MAF**: the BIM holder, partner and dependants (not the whole de-facto household:
  Bond Moyson) share the social ceiling;
- **child under 19**: a personal ceiling; "the household ceiling applies if it is lower"
  (CM 2018);
- **chronic illness**: the ceiling is lowered when a member has the *statut affection
  chronique* during the year, or paid personal shares at least equal to the threshold of
  each of the two previous years (CM 2018: "450 euro en 459 euro" for MAF 2018). The
  reduction applies to the income, social and child MAF alike (Le Pharmacien, 2017); here
  a ceiling is lowered when a member it covers qualifies (asph 2014: the social ceiling
  falls "lorsqu'un membre de cette partie du ménage" qualifies).

In a mixed household "both systems combine so that nobody is disadvantaged" (Bond Moyson):
every ceiling that covers a member applies to that member at once, and the lowest one
binds; so since 2022, when the income ceiling of the lowest bracket is below the social
one, the income MAF wins without a special case.

The refund follows the funds' practice: personal shares are taken in date order; once a
ceiling is reached, every later share of a member it covers is paid back. A share is paid
back in the measure that any ceiling covering its member has no room left, so no group ever
pays more than its ceiling (the member's refund is what was paid above it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from inami_cli.domain.dates import age_on
from inami_cli.domain.maf._counting import CHILD_AGE_LIMIT
from inami_cli.domain.maf._params import Param, YearTable, income_year
from inami_cli.domain.money import from_cents


@dataclass(frozen=True)
class Step:
    """One line of the explanation: what was decided, the value, and where it came from."""

    what: str
    value: str
    reliability: str | None = None  # the parameter's tag when a parameter was read
    source: str = ""


@dataclass(frozen=True)
class MemberIn:
    """A member of the household as of 1 January (or born during the year)."""

    niss: str
    birth_date: date | None
    social: bool = False  # in the social-MAF group (BIM holder, partner, dependants)
    chronic_status: bool = False  # statut affection chronique during the year
    prior_tm: tuple[tuple[int, int], ...] = ()  # (year, counted cents) for n-1 and n-2


@dataclass(frozen=True)
class Entry:
    """One personal share of a member: what counts, what does not, and why."""

    niss: str
    day: date
    counted: int
    excluded: int = 0
    source: str = ""
    reason: str = ""


@dataclass(frozen=True)
class IncomeIn:
    """The household's income: an amount of net taxable income or a letter code."""

    amount: int | None = None
    letter: str | None = None
    year: int | None = None  # the income year the amount is of (checked against the rule)


@dataclass(frozen=True)
class Cap:
    """A ceiling that applies to some members: its amount and how it was reached."""

    kind: str  # income | social | child
    members: tuple[str, ...]
    ceiling: int  # before the chronic reduction
    reduction: int
    reason: str
    paid: int = 0  # counted shares of its members that were not paid back
    reached_on: date | None = None

    @property
    def amount(self) -> int:
        """The ceiling that applies, after the chronic reduction (never below zero)."""
        return max(self.ceiling - self.reduction, 0)


@dataclass(frozen=True)
class MemberResult:
    """One member's year: what counted, what was paid back, and what was left out."""

    niss: str
    child: bool
    social: bool
    chronic: bool
    chronic_reason: str
    counted: int
    excluded: int
    refund: int

    @property
    def paid(self) -> int:
        """Counted shares the member kept paying (counted − refund)."""
        return self.counted - self.refund


@dataclass(frozen=True)
class Exclusion:
    """A personal share (or part of one) left out, and why."""

    niss: str
    day: date
    cents: int
    source: str
    reason: str


@dataclass(frozen=True)
class MafResult:
    """The MAF of a household for a year."""

    year: int
    caps: tuple[Cap, ...]
    members: tuple[MemberResult, ...]
    exclusions: tuple[Exclusion, ...]
    steps: tuple[Step, ...]
    derived: tuple[Param, ...] = field(default_factory=tuple)  # derived figures used

    @property
    def counted_total(self) -> int:
        return sum(m.counted for m in self.members)

    @property
    def excluded_total(self) -> int:
        return sum(m.excluded for m in self.members)

    @property
    def refund_total(self) -> int:
        return sum(m.refund for m in self.members)

    def caps_of(self, niss: str) -> list[Cap]:
        """The ceilings that cover *niss*."""
        return [c for c in self.caps if niss in c.members]


def _eur(cents: int) -> str:
    return format(from_cents(cents), "f")


def is_child(member: MemberIn, year: int) -> bool:
    """Under 19 on 1 January of the year, or born during it.

    The sources say "children under 19" without a reference date; the household is taken
    as of 1 January (VNZ, CM), so the age is too. ⚠ Not confirmed in a legal text.
    """
    if member.birth_date is None:
        return False
    if member.birth_date >= date(year, 1, 1):
        return True
    return age_on(member.birth_date, date(year, 1, 1)) < CHILD_AGE_LIMIT


def _chronic(
    member: MemberIn, year: int, tables: dict[int, YearTable], steps: list[Step]
) -> tuple[bool, str, list[Param]]:
    """Whether *member* lowers the ceilings this year, why, and the thresholds read."""
    if member.chronic_status:
        return True, "statut affection chronique during the year", []
    prior = dict(member.prior_tm)
    parts: list[str] = []
    read: list[Param] = []
    for earlier in (year - 2, year - 1):
        table = tables.get(earlier)
        threshold = table.get("chronic_threshold") if table else None
        if threshold is None:
            steps.append(
                Step(
                    f"chronic test of {member.niss}",
                    f"not run (no chronic_threshold recorded for {earlier})",
                )
            )
            return False, "", []
        paid = prior.get(earlier, 0)
        if paid < threshold.value:
            return False, "", []
        read.append(threshold)
        parts.append(f"{_eur(paid)} ≥ {threshold.shown()} in {earlier}")
    return True, "personal shares " + " and ".join(parts), read


def compute(
    *,
    year: int,
    tables: dict[int, YearTable],
    members: Sequence[MemberIn],
    income: IncomeIn,
    entries: Sequence[Entry],
) -> MafResult:
    """The MAF of a household in *year*.

    *tables* holds the parameters of *year* and of the two previous years (for the chronic
    thresholds). Raises ``NotFound`` naming a parameter the computation needs and lacks.
    """
    table = tables.get(year) or YearTable(year, {})
    steps: list[Step] = []
    used: list[Param] = []

    def read(param: Param, what: str) -> Param:
        used.append(param)
        steps.append(Step(what, param.shown(), param.reliability, param.source))
        return param

    children = {m.niss for m in members if is_child(m, year)}
    chronic: dict[str, tuple[bool, str]] = {}
    for m in members:
        flag, why, thresholds = _chronic(m, year, tables, steps)
        chronic[m.niss] = (flag, why)
        for threshold in thresholds:
            read(threshold, f"chronic threshold of {threshold.year} ({m.niss})")
        if flag:
            steps.append(Step(f"{m.niss} lowers the ceilings (chronic illness)", why))
    everyone = tuple(m.niss for m in members)

    reduction_param: Param | None = None

    def reduction_for(covered: Sequence[str]) -> int:
        nonlocal reduction_param
        if not any(chronic[n][0] for n in covered):
            return 0
        if reduction_param is None:
            reduction_param = read(
                table.require("chronic_reduction", "a member qualifies for the chronic reduction"),
                "chronic reduction",
            )
        return reduction_param.value

    caps: list[Cap] = []
    # -- income MAF ------------------------------------------------------------
    expected_income_year = income_year(year)
    if income.amount is not None:
        bracket, limits = table.bracket_for_income(income.amount)
        for limit in limits:
            read(limit, f"income limit {limit.name}")
        where = f"income {_eur(income.amount)} of {income.year or expected_income_year}"
        read(bracket.ceiling, f"income MAF: bracket {bracket.number} ({where})")
        caps.append(
            Cap("income", everyone, bracket.ceiling.value, reduction_for(everyone),
                f"bracket {bracket.number}: {where}")
        )  # fmt: skip
        if income.year is not None and income.year != expected_income_year:
            steps.append(
                Step(
                    "income year",
                    f"{income.year} recorded; MAF {year} reads the income of "
                    f"{expected_income_year}",
                    source="INAMI, types van maximumfactuur (n-2 from 2019, n-3 before)",
                )
            )
    elif income.letter is not None:
        bracket, code = table.bracket_for_letter(income.letter)
        read(code, f"income category letter {income.letter}")
        read(bracket.ceiling, f"income MAF: bracket {bracket.number} (letter {income.letter})")
        caps.append(
            Cap("income", everyone, bracket.ceiling.value, reduction_for(everyone),
                f"bracket {bracket.number}: letter {income.letter} from the tax administration")
        )  # fmt: skip
    else:
        steps.append(
            Step("income MAF", "not applied: the household's income is not recorded "
                 "(inami maf household set-income)")
        )  # fmt: skip

    # -- social MAF ------------------------------------------------------------
    social = tuple(m.niss for m in members if m.social)
    if social:
        param = read(
            table.require("social_ceiling", "a member has the social MAF (BIM)"),
            "social MAF ceiling",
        )
        caps.append(
            Cap("social", social, param.value, reduction_for(social),
                "BIM holder, partner and dependants: " + ", ".join(social))
        )  # fmt: skip

    # -- child under 19 --------------------------------------------------------
    child_param: Param | None = None
    for niss in sorted(children):
        if child_param is None:
            child_param = read(
                table.require("child_ceiling", "a member is under 19"), "child MAF ceiling"
            )
        caps.append(
            Cap("child", (niss,), child_param.value, reduction_for((niss,)),
                f"{niss} is under {CHILD_AGE_LIMIT}")
        )  # fmt: skip

    # -- the refund, in date order ---------------------------------------------
    paid = [0] * len(caps)
    reached: list[date | None] = [None] * len(caps)
    covering: dict[str, list[int]] = {n: [] for n in everyone}
    for index, cap in enumerate(caps):
        for niss in cap.members:
            covering.setdefault(niss, []).append(index)
    refund: dict[str, int] = dict.fromkeys(everyone, 0)
    counted: dict[str, int] = dict.fromkeys(everyone, 0)
    excluded: dict[str, int] = dict.fromkeys(everyone, 0)
    exclusions: list[Exclusion] = []
    for entry in sorted(entries, key=lambda e: (e.day, e.niss, e.source)):
        if entry.excluded:
            excluded[entry.niss] = excluded.get(entry.niss, 0) + entry.excluded
            exclusions.append(
                Exclusion(entry.niss, entry.day, entry.excluded, entry.source, entry.reason)
            )
        if entry.counted <= 0:
            continue
        counted[entry.niss] = counted.get(entry.niss, 0) + entry.counted
        mine = covering.get(entry.niss, [])
        room = min((max(caps[i].amount - paid[i], 0) for i in mine), default=entry.counted)
        pay = min(entry.counted, room)
        refund[entry.niss] = refund.get(entry.niss, 0) + entry.counted - pay
        for i in mine:
            paid[i] += pay
            if reached[i] is None and paid[i] >= caps[i].amount:
                reached[i] = entry.day
    final_caps = tuple(
        Cap(c.kind, c.members, c.ceiling, c.reduction, c.reason, paid[i], reached[i])
        for i, c in enumerate(caps)
    )
    results = tuple(
        MemberResult(
            niss=m.niss,
            child=m.niss in children,
            social=m.social,
            chronic=chronic[m.niss][0],
            chronic_reason=chronic[m.niss][1],
            counted=counted.get(m.niss, 0),
            excluded=excluded.get(m.niss, 0),
            refund=refund.get(m.niss, 0),
        )
        for m in members
    )
    for cap in final_caps:
        state = f"reached on {cap.reached_on}" if cap.reached_on else "not reached"
        steps.append(
            Step(
                f"{cap.kind} ceiling {_eur(cap.amount)} ({cap.reason})",
                f"{_eur(cap.paid)} paid, {state}",
            )
        )
    derived = tuple(p for p in dict.fromkeys(used) if p.reliability == "derived")
    return MafResult(year, final_caps, results, tuple(exclusions), tuple(steps), derived)


def binding_cap(result: MafResult, niss: str) -> Cap | None:
    """The ceiling of *niss* with the least room left (the one the desk talks about)."""
    caps = result.caps_of(niss)
    if not caps:
        return None
    return min(caps, key=lambda c: (c.amount - c.paid, c.amount))
