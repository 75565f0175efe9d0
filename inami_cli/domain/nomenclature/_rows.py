"""Import rows: the columns of a tariff file and the parsing of each row.

A tariff file has one row per code, period and beneficiary profile (``TARIFF_COLUMNS``),
optionally with the act's own columns (``ACT_RULE_COLUMNS``). ``TariffRowParser`` turns
each row into a ``TariffRow``; ``group_rows`` then makes tariff periods of them.
"""

from __future__ import annotations

import contextlib
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from inami_cli.domain.dates import OPEN_END, parse_date
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.frequency import FREQUENCY_PERIODS
from inami_cli.domain.money import parse_amount
from inami_cli.domain.nomenclature._acts import (
    CATEGORIES,
    SETTINGS,
    ActFields,
    check_act_rules,
    normalise_article,
    validate_code,
)
from inami_cli.domain.nomenclature._key_letters import parse_key_terms
from inami_cli.domain.tariffs import Profile
from inami_cli.domain.values import is_digits

TARIFF_COLUMNS = (
    "code",
    "valid_from",
    "valid_to",
    "fee",
    "regime",
    "dmg",
    "age_from",
    "age_to",
    "chronic",
    "reimbursement",
    "key_terms",
    "label_fr",
    "label_nl",
    "article",
    "source",
)
ACT_RULE_COLUMNS = (
    "min_age",
    "max_age",
    "max_per_period",
    "frequency_period",
    "not_combinable_with",
    "prerequisite",
    "category",
    "setting",
)
ALL_COLUMNS = TARIFF_COLUMNS + ACT_RULE_COLUMNS
ACT_COLUMNS = ("label_fr", "label_nl", "article", "key_terms", *ACT_RULE_COLUMNS)
_PROFILE_COLUMNS = ("reimbursement", "regime", "dmg", "age_from", "age_to", "chronic")


def check_columns(columns: Sequence[str]) -> list[str]:
    """Problems with an import header: unknown, duplicated or missing required columns."""
    problems: list[str] = []
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            problems.append(f"column {name!r} given twice")
        seen.add(name)
        if name not in ALL_COLUMNS:
            problems.append(f"unknown column {name!r} (expected: {', '.join(ALL_COLUMNS)})")
    for needed in ("code", "valid_from", "reimbursement"):
        if needed not in seen:
            problems.append(f"missing column {needed!r}")
    if "fee" not in seen and "key_terms" not in seen:
        problems.append("missing column 'fee' (or 'key_terms')")
    return problems


# ---------------------------------------------------------------- cells

_YES = {"yes", "y", "true", "1", "oui", "ja"}
_NO = {"no", "n", "false", "0", "non", "nee"}
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


def parse_yes_no(text: str, *, what: str) -> bool | None:
    """``yes``/``no`` (empty = any)."""
    value = text.strip().lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise InvalidInput(f"{what} {text!r}: expected yes or no (empty = any)")


def parse_whole(text: str, *, what: str, low: int = 0, high: int = 150) -> int | None:
    """A whole number within bounds (empty = none)."""
    value = text.strip()
    if not value:
        return None
    if not is_digits(value) or not low <= int(value) <= high:
        raise InvalidInput(f"{what} {text!r}: expected a whole number from {low} to {high}")
    return int(value)


def parse_code_list(text: str, *, what: str = "not_combinable_with") -> tuple[str, ...]:
    """Codes separated by spaces, commas or semicolons."""
    return tuple(validate_code(c, what=what) for c in re.split(r"[\s,;]+", text.strip()) if c)


def parse_act_fields(row: Mapping[str, str | None]) -> ActFields:
    """Read the act columns of an import row (raises ``InvalidInput`` on a bad value)."""
    values: dict[str, object] = {}
    for name in ACT_COLUMNS:
        raw = (row.get(name) or "").strip()
        if not raw:
            continue
        if name in ("label_fr", "label_nl"):
            values[name] = raw
        elif name == "article":
            values[name] = normalise_article(raw)
        elif name == "key_terms":
            values[name] = parse_key_terms(raw)
        elif name in ("min_age", "max_age"):
            values[name] = parse_whole(raw, what=name)
        elif name == "max_per_period":
            values[name] = parse_whole(raw, what=name, low=1, high=10000)
        elif name == "frequency_period":
            if raw not in FREQUENCY_PERIODS:
                raise InvalidInput(
                    f"frequency_period {raw!r}: expected {'|'.join(FREQUENCY_PERIODS)}"
                )
            values[name] = raw
        elif name == "not_combinable_with":
            values[name] = parse_code_list(raw)
        elif name == "prerequisite":
            if not _IDENT.match(raw):
                raise InvalidInput(
                    f"prerequisite {raw!r}: expected a rule name like dental_care_previous_year"
                )
            values[name] = raw
        elif name == "category":
            if raw not in CATEGORIES:
                raise InvalidInput(f"category {raw!r}: expected one of {', '.join(CATEGORIES)}")
            values[name] = raw
        elif name == "setting":
            if raw not in SETTINGS:
                raise InvalidInput(f"setting {raw!r}: expected ambulatory, hospitalised or any")
            values[name] = raw
    fields = ActFields(**values, given=frozenset(values))  # type: ignore[arg-type]
    check_act_rules(fields.min_age, fields.max_age, fields.max_per_period, fields.frequency_period)
    return fields


_Dimensions = tuple[str | None, bool | None, int | None, int | None, bool | None]


def _parse_profile_dimensions(
    regime_text: str, dmg: str, age_from: str, age_to: str, chronic: str
) -> _Dimensions:
    regime: str | None = regime_text.lower() or None
    if regime in ("bim", "vt"):
        regime = "preferential"
    if regime is not None and regime not in ("ordinary", "preferential"):
        raise InvalidInput(f"regime {regime_text!r}: expected ordinary or preferential")
    return (
        regime,
        parse_yes_no(dmg, what="dmg"),
        parse_whole(age_from, what="age_from"),
        parse_whole(age_to, what="age_to"),
        parse_yes_no(chronic, what="chronic"),
    )


def _required(text: str, what: str) -> str:
    value = text.strip()
    if not value:
        raise InvalidInput(f"{what} is empty")
    return value


def _absolute(text: str) -> bool:
    """True for an ISO date text, False for ``today`` and the like (whose date moves)."""
    return len(text) == 10 and text[4] == "-"


# ---------------------------------------------------------------- rows


class TariffRow(NamedTuple):
    """One parsed import row: a code, a period, a profile, and the act columns given.

    A named tuple, not a frozen dataclass: an import builds one per row and a frozen
    dataclass's ``__init__`` (one ``object.__setattr__`` per field) costs several times more.
    """

    line: int
    code: str
    valid_from: date
    valid_to: date | None
    fee: Decimal | None
    profile: Profile | None  # None: a fee-only row (no reimbursement published)
    source: str
    act: ActFields


Cells = Sequence[str | None]
"""A row's cells in header order, followed by one empty cell (see ``Columns``)."""


@dataclass(frozen=True, slots=True)
class Columns:
    """Where each import column sits in a row's cells: a header is resolved once per file.

    A column the header lacks points at the empty cell that ends every row's cells, so
    every column is read the same way, by position, with no dict built per row.
    """

    code: int
    valid_from: int
    valid_to: int
    fee: int
    source: int
    act: Callable[[Cells], tuple[str | None, ...]]  # the cells of ACT_COLUMNS
    profile: Callable[[Cells], tuple[str | None, ...]]  # the cells of _PROFILE_COLUMNS

    @classmethod
    def of(cls, header: Sequence[str | None]) -> Columns:
        """The positions of the import columns in rows read with *header*."""
        position = {name: i for i, name in enumerate(header)}  # the last occurrence wins,
        missing = len(header)  # as in dict(zip(header, cells)); missing: the empty cell

        def at(name: str) -> int:
            return position.get(name, missing)

        return cls(
            code=at("code"),
            valid_from=at("valid_from"),
            valid_to=at("valid_to"),
            fee=at("fee"),
            source=at("source"),
            act=operator.itemgetter(*(at(name) for name in ACT_COLUMNS)),
            profile=operator.itemgetter(*(at(name) for name in _PROFILE_COLUMNS)),
        )


class TariffRowParser:
    """Parses the rows of one import into ``TariffRow``s, each distinct cell value once.

    A tariff file repeats few values: its 200 000 rows hold ten thousand codes, ten periods,
    a few thousand amounts, act descriptions and profiles. Each distinct text is parsed once
    and its value remembered for the rest of the import (values are immutable, so rows share
    them), which keeps a 200 000-row import within its speed target. Only successes are
    remembered: a bad cell raises again, with its own message, on every row that has it.
    """

    def __init__(self) -> None:
        self._columns: dict[tuple[str | None, ...], Columns] = {}  # per header
        self._header: tuple[str | None, ...] | None = None  # the last header, its columns
        self._header_columns: Columns | None = None
        self._codes: dict[str, str] = {}
        self._periods: dict[tuple[str, str], tuple[date, date | None]] = {}
        self._amounts: dict[str, Decimal] = {}
        self._acts: dict[tuple[str | None, ...], ActFields] = {}
        self._profiles: dict[tuple[str | None, ...], Profile] = {}
        self._dimensions: dict[tuple[str, ...], _Dimensions] = {}

    def parse(self, line: int, header: tuple[str | None, ...], cells: Cells) -> TariffRow:
        """One row: its *cells* in *header* order, followed by one empty cell.

        Raises ``InvalidInput`` with the reason; when several cells are bad, the first of:
        code, valid_from, valid_to, fee, act columns, profile (the order of the checks).
        """
        # Each value is looked up here first; the methods below run for a text not seen
        # yet (a rare miss on a 200 000-row import).
        columns = self._header_columns
        if header is not self._header or columns is None:  # (one header object a file)
            columns = self._columns.get(header) or Columns.of(header)
            self._header, self._header_columns = header, columns
            self._columns[header] = columns
        text = cells[columns.code] or ""
        code = self._codes.get(text) or self._code(text)
        dates = (cells[columns.valid_from] or "", cells[columns.valid_to] or "")
        valid_from, valid_to = self._periods.get(dates) or self._period(*dates)
        text = cells[columns.fee] or ""
        fee = self._amounts.get(text)  # the usual case: an amount read before
        if fee is None and text.strip():
            fee = self._amount(text.strip(), "fee")
        act_cells = columns.act(cells)
        act = self._acts.get(act_cells)
        if act is None:
            act = self._act(act_cells)
        if fee is None and not act.key_terms:
            raise InvalidInput("fee is empty and no key_terms to derive it from")
        profile_cells = columns.profile(cells)
        profile = self._profiles.get(profile_cells)
        if profile is None:
            profile = self._profile(profile_cells)
        if profile is not None and fee is not None and profile.reimbursement > fee:
            raise InvalidInput(f"reimbursement {profile.reimbursement} is above the fee {fee}")
        source = (cells[columns.source] or "").strip()
        return TariffRow(line, code, valid_from, valid_to, fee, profile, source, act)

    def trim(self, limit: int = 4096) -> None:
        """Forget the codes and act columns read when more than *limit* are remembered.

        They are the values that grow with the file (a code and its act columns come in a
        few consecutive rows); forgetting them only costs a parse again, and keeps a
        streamed import's memory bounded (issue 20)."""
        if len(self._acts) > limit or len(self._codes) > limit:
            self._acts.clear()
            self._codes.clear()

    def _code(self, text: str) -> str:
        code = self._codes.get(text)
        if code is None:
            code = self._codes[text] = validate_code(text)
        return code

    def _period(self, from_text: str, to_text: str) -> tuple[date, date | None]:
        """valid_from and valid_to of a row, checked in the order of their messages."""
        found = self._periods.get((from_text, to_text))
        if found is not None:
            return found
        valid_from = parse_date(_required(from_text, "valid_from"), what="valid_from")
        # NomenSoft writes an open period as 2999-12-31 (domain.dates.OPEN_END), a year
        # beyond the accepted range (values.LAST_DAY): read as open.
        open_end = not to_text or to_text.strip() == OPEN_END.isoformat()
        valid_to = None if open_end else parse_date(to_text.strip(), what="valid_to")
        if valid_to is not None and valid_to < valid_from:
            raise InvalidInput(f"valid_to {valid_to} is before valid_from {valid_from}")
        # "today" moves: only periods of absolute dates are remembered
        if _absolute(from_text.strip()) and (not to_text or _absolute(to_text.strip())):
            self._periods[(from_text, to_text)] = (valid_from, valid_to)
        return valid_from, valid_to

    def _amount(self, text: str, what: str) -> Decimal:
        amount = self._amounts.get(text)
        if amount is None:
            amount = self._amounts[text] = parse_amount(text, what=what)
        return amount

    def _act(self, cells: tuple[str | None, ...]) -> ActFields:
        act = self._acts.get(cells)
        if act is None:
            act = parse_act_fields(dict(zip(ACT_COLUMNS, cells, strict=True)))
            self._acts[cells] = act
        return act

    def _profile(self, cells: tuple[str | None, ...]) -> Profile | None:
        """The profile of a row's profile cells. Dimensions are remembered apart: the
        reimbursement varies far more than the rest.

        No reimbursement and no profile dimension: a fee-only row (None), for a fee that is
        published while its reimbursements are not (issue 15: never invent them)."""
        profile = self._profiles.get(cells)
        if profile is not None:
            return profile
        reimbursement, *rest = [(text or "").strip() for text in cells]
        if not reimbursement:
            if not any(rest):
                return None
            raise InvalidInput("reimbursement is empty")
        amount = self._amount(reimbursement, "reimbursement")
        dimensions = self._dimensions.get(tuple(rest))
        if dimensions is None:
            dimensions = _parse_profile_dimensions(*rest)
            self._dimensions[tuple(rest)] = dimensions
        profile = self._profiles[cells] = Profile(amount, *dimensions)
        return profile


def parse_tariff_row(line: int, row: Mapping[str, str]) -> TariffRow:
    """Parse one import row (see ``TARIFF_COLUMNS``); raises ``InvalidInput`` with the reason."""
    return TariffRowParser().parse(line, tuple(row), [*row.values(), ""])


# What each import column holds, for output (issue 17: money is a JSON number, a flag a
# boolean, a missing value null); the CSV of ``domain.cells.cell`` writes them back as the
# import reads them (yes/no, digits, empty).
_MONEY_COLUMNS = frozenset({"fee", "reimbursement"})
_FLAG_COLUMNS = frozenset({"dmg", "chronic"})
_INT_COLUMNS = frozenset({"age_from", "age_to", "min_age", "max_age", "max_per_period"})


def typed_row(row: Mapping[str, str]) -> dict[str, Any]:
    """An import row (texts) with typed values: money ``Decimal``, flags ``bool``, counts
    ``int``, empty cells ``None``; a cell that does not read as its type stays text."""
    typed: dict[str, Any] = {}
    for name, text in row.items():
        value: Any = text
        cleaned = text.strip().lower() if isinstance(text, str) else None
        if text == "":
            value = None
        elif cleaned is None:
            pass
        elif name in _MONEY_COLUMNS:
            with contextlib.suppress(ArithmeticError):
                value = Decimal(cleaned)
        elif name in _FLAG_COLUMNS and cleaned in ("yes", "no"):
            value = cleaned == "yes"
        elif name in _INT_COLUMNS and is_digits(cleaned):
            value = int(cleaned)
        typed[name] = value
    return typed
