"""The MAF parameters of a year as data: income brackets and their ceilings, the social,
child and chronic amounts, the letter codes of the income categories.

Parameters are stored one row per (year, name), each with its reliability and source
(``inami_cli/data/maf_parameters.csv`` ships every figure found; later years are imported
when INAMI publishes them). Names:

- ``income_limit.N``: the highest net taxable household income of bracket N (inclusive), in
  cents; the last bracket has no limit;
- ``ceiling.N``: the ceiling of bracket N (cents);
- ``social_ceiling``, ``child_ceiling``, ``chronic_reduction`` (cents);
- ``chronic_threshold``: the personal shares a member must have paid *in that year* for the
  chronic reduction of a later year (cents);
- ``letter.X``: the bracket number the tax administration's letter X stands for (the fund
  receives a letter, never the amount: Bond Moyson, maf-control-funding.md §6 row 9).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.money import from_cents
from inami_cli.domain.values import is_digits

RELIABILITIES = ("official", "fund", "secondary", "derived")
"""Reliability tags of a figure, as in the facts files: [OFF], [MUT], [SEC], [DERIVED]."""

FIRST_YEAR = 2002  # the MAF exists since 2002 (law of 5 June 2002); earlier years are refused
_NAME = re.compile(
    r"^(income_limit\.[1-9]|ceiling\.[1-9]|letter\.[A-Z]|social_ceiling|child_ceiling"
    r"|chronic_reduction|chronic_threshold)$"
)
MONEY_NAMES = ("social_ceiling", "child_ceiling", "chronic_reduction", "chronic_threshold")


@dataclass(frozen=True)
class Param:
    """One parameter row: a value (cents, or a bracket number for ``letter.X``)."""

    year: int
    name: str
    value: int
    reliability: str
    source: str
    note: str = ""

    @property
    def is_money(self) -> bool:
        """True for amounts (cents), False for the letter codes (bracket numbers)."""
        return not self.name.startswith("letter.")

    def shown(self) -> str:
        """The value as a person reads it (``746.66`` or ``3``)."""
        return format(from_cents(self.value), "f") if self.is_money else str(self.value)


def check_name(name: str) -> str:
    """The parameter name, or ``InvalidInput`` listing the accepted forms."""
    clean = name.strip()
    if not _NAME.match(clean):
        raise InvalidInput(
            f"parameter {name!r}: expected income_limit.N, ceiling.N, letter.X, social_ceiling, "
            "child_ceiling, chronic_reduction or chronic_threshold"
        )
    return clean


def check_reliability(text: str) -> str:
    """One of ``official``, ``fund``, ``secondary``, ``derived``."""
    clean = text.strip().lower()
    if clean not in RELIABILITIES:
        raise InvalidInput(f"reliability {text!r}: expected {', '.join(RELIABILITIES)}")
    return clean


def check_year(year: int, *, what: str = "--year") -> int:
    """A MAF year (2002 … 2999)."""
    if not FIRST_YEAR <= year <= 2999:
        raise InvalidInput(f"{what} {year}: the MAF exists from {FIRST_YEAR}")
    return year


def parse_value(name: str, text: str) -> int:
    """A value as stored: cents for amounts, a bracket number for ``letter.X``."""
    from inami_cli.domain.money import parse_amount, to_cents

    if name.startswith("letter."):
        if not is_digits(text.strip()) or not 1 <= int(text) <= 9:
            raise InvalidInput(f"{name}: {text!r} is not a bracket number (1 … 9)")
        return int(text)
    return to_cents(parse_amount(text, what=name))


def income_year(year: int) -> int:
    """The year whose net taxable income sets the bracket of MAF *year*.

    From MAF 2019 the income of two years earlier, before that of three years earlier
    (INAMI, "Types van maximumfactuur": "Sinds 2019 houden we rekening met het netto
    belastbaar gezinsinkomen van 2 jaar eerder"; Domus Medica 1/8/2019).
    """
    return year - 2 if year >= 2019 else year - 3


@dataclass(frozen=True)
class Bracket:
    """An income bracket of a year: its number, inclusive upper limit (None: the top)."""

    number: int
    limit: int | None
    ceiling: Param


@dataclass(frozen=True)
class YearTable:
    """The parameters of one year, as read from the store."""

    year: int
    params: Mapping[str, Param]

    def get(self, name: str) -> Param | None:
        """The parameter *name* of the year, or None when it was never recorded."""
        return self.params.get(name)

    def require(self, name: str, why: str) -> Param:
        """The parameter *name*, or ``NotFound`` (exit 3) naming it and how to add it."""
        param = self.params.get(name)
        if param is None:
            raise NotFound(
                f"MAF parameter {name} for {self.year} is not recorded ({why})",
                hint=f"add it: inami maf params set --year {self.year} --name {name} "
                "--value X --source URL, or import the year's table",
            )
        return param

    def brackets(self) -> list[Bracket]:
        """The year's brackets, checked complete (NotFound naming the first gap)."""
        numbers = sorted(int(n.split(".")[1]) for n in self.params if n.startswith("ceiling."))
        if not numbers:
            self.require("ceiling.1", "no income brackets recorded")
        count = numbers[-1]
        result: list[Bracket] = []
        previous = -1
        for number in range(1, count + 1):
            ceiling = self.require(f"ceiling.{number}", "income MAF table incomplete")
            limit: int | None = None
            if number < count:
                limit = self.require(f"income_limit.{number}", "income MAF table incomplete").value
                if limit <= previous:
                    raise InvalidInput(
                        f"MAF {self.year}: income_limit.{number} is not above the previous limit"
                    )
                previous = limit
            result.append(Bracket(number, limit, ceiling))
        return result

    def bracket_for_income(self, cents: int) -> tuple[Bracket, list[Param]]:
        """The bracket of a net taxable income, and the parameters read to find it."""
        used: list[Param] = []
        brackets = self.brackets()
        for bracket in brackets:
            if bracket.limit is None:
                return bracket, used
            used.append(self.params[f"income_limit.{bracket.number}"])
            if cents <= bracket.limit:
                return bracket, used
        return brackets[-1], used  # pragma: no cover - the last bracket has no limit

    def bracket_for_letter(self, letter: str) -> tuple[Bracket, Param]:
        """The bracket the tax administration's *letter* stands for this year."""
        code = self.require(f"letter.{letter}", f"income category letter {letter}")
        brackets = self.brackets()
        if code.value > len(brackets):
            raise InvalidInput(
                f"MAF {self.year}: letter.{letter} = {code.value}, but the year has "
                f"{len(brackets)} brackets"
            )
        return brackets[code.value - 1], code


def year_table(year: int, params: Iterable[Param]) -> YearTable:
    """The parameters of *year* among *params*."""
    return YearTable(year, {p.name: p for p in params if p.year == year})


def dec(cents: int) -> Decimal:
    """Cents as a ``Decimal`` amount."""
    return from_cents(cents)
