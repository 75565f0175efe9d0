"""Nomenclature rules: codes, key-letter arithmetic, import rows, indexation, label search.

Pure functions and frozen records (stdlib only). The facts come from DOMAIN.md section 2:

- A service is a 6-digit code, kept as a string (leading zeros, pseudo-codes).
- A fee is the sum of ``coefficient x value of a key-letter index`` over the act's terms,
  rounded once to the cent with ``money.round_cents`` (half away from zero): 105755 in 2025
  = N265 x 8 at 3.372107 + Q124 x 30 at 0.195645 = 32.846 -> 32.85 (third-party dump of the
  INAMI tariff base, github.com/mamisoa/oph4py); 102535 in 2014 = N x 8 at 2.936106 + Q x 30
  at 0.033039 = 24.4799 -> 24.48 (INAMI tariff circular of 2014-08-01).
- Observed, not official: the 6th digit equals the first five digits mod 7, and a
  hospitalised code's first five digits are the ambulatory code's + 1 (469814/469825,
  532630/532641). Both are warnings only.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.money import CENT, ROUNDING, ZERO, parse_amount, parse_decimal, round_cents
from inami_cli.domain.tariffs import Profile, TariffView, check_profiles

# ---------------------------------------------------------------- codes and acts

CATEGORIES = (
    "gp_consultation",
    "gp_visit",
    "specialist_consultation",
    "physio",
    "physio_heavy",
    "physio_fafb",
    "physio_short",
    "dental",
    "other",
)
SETTINGS = ("ambulatory", "hospitalised", "any")
FREQUENCY_PERIODS = ("day", "calendar_month", "calendar_year", "rolling_year")

_CODE = re.compile(r"^\d{6}$")
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


def validate_code(text: str, *, what: str = "code") -> str:
    """Return the code stripped, or raise ``InvalidInput`` unless it is exactly 6 digits."""
    code = text.strip()
    if not _CODE.match(code):
        raise InvalidInput(f"{what} {text!r}: a nomenclature code has exactly 6 digits")
    return code


def check_digit(code: str) -> int:
    """The 6th digit observed on every known code: the first five digits mod 7."""
    return int(code[:5]) % 7


def code_warnings(code: str) -> list[str]:
    """Warnings (never errors) for a code that breaks the observed check-digit pattern."""
    if not _CODE.match(code):
        return []
    expected = check_digit(code)
    if int(code[5]) != expected:
        return [
            f"code {code}: 6th digit {code[5]} is not {code[:5]} mod 7 = {expected} "
            "(observed on every known code; check for a typing error)"
        ]
    return []


def pair_code(code: str, setting: str) -> str | None:
    """The expected partner of an ambulatory/hospitalised pair (first five digits -/+ 1).

    Returns None for ``any`` or when the code is not 6 digits.
    """
    if not _CODE.match(code) or setting not in ("ambulatory", "hospitalised"):
        return None
    base = int(code[:5]) + (1 if setting == "ambulatory" else -1)
    if not 0 <= base <= 99999:
        return None
    stem = f"{base:05d}"
    return f"{stem}{int(stem) % 7}"


def pair_warnings(code: str, setting: str, known_settings: Mapping[str, str]) -> list[str]:
    """Warn when a neighbour in an ambulatory/hospitalised pair has the same setting.

    ``known_settings`` maps codes to their setting. A hospitalised code is expected to be
    the ambulatory code + 1 on the first five digits (observed pairs 469814/469825,
    532630/532641; DOMAIN.md section 2): the neighbour above an ambulatory code and the one
    below a hospitalised code, when they exist, should have the other setting.
    """
    if setting not in ("ambulatory", "hospitalised"):
        return []
    other = "hospitalised" if setting == "ambulatory" else "ambulatory"
    warnings: list[str] = []
    for neighbour in (pair_code(code, setting), pair_code(code, other)):
        if neighbour is not None and known_settings.get(neighbour) == setting:
            low, high = sorted((code, neighbour))
            warnings.append(
                f"code {code} is {setting} but {neighbour} is {setting} too "
                f"(pairs are observed as ambulatory {low} / hospitalised {high})"
            )
    return warnings


def normalize_label(text: str) -> str:
    """Lower case, accents removed, punctuation as spaces: the form labels are searched in."""
    if text.isascii():  # NFKD leaves ASCII as is and it has no combining marks
        stripped = text.casefold()
    else:
        combining = unicodedata.combining
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join([c for c in decomposed if not combining(c)]).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", stripped).split())


def search_text(code: str, label_fr: str, label_nl: str) -> str:
    """The stored search key of an act: its code and both labels, normalised."""
    return f"{code} {normalize_label(label_fr)} | {normalize_label(label_nl)}"


def search_score(words: Sequence[str], haystack: str) -> int | None:
    """Rank of a normalised ``haystack`` for normalised query ``words``; None = no match.

    Every word must occur. A whole-word hit scores 3, a word-prefix hit 2, a hit inside a
    word 1; the words in order as a phrase add 5; hits near the start add up to 3.
    """
    if not words:
        return 0
    tokens = haystack.split()
    score = 0
    first_positions: list[int] = []
    for word in words:
        if word in tokens:
            score += 3
            first_positions.append(tokens.index(word))
            continue
        position = next((i for i, t in enumerate(tokens) if t.startswith(word)), None)
        if position is not None:
            score += 2
            first_positions.append(position)
        elif word in haystack:
            score += 1
            first_positions.append(len(tokens))
        else:
            return None
    if len(words) > 1 and " ".join(words) in haystack:
        score += 5
    score += max(0, 3 - min(first_positions) // 3)
    return score


@dataclass(frozen=True)
class ActView:
    """A nomenclature code and the rules the reimbursement issue applies to it."""

    code: str
    label_fr: str
    label_nl: str
    article: str = ""
    category: str = "other"
    setting: str = "any"
    valid_from: date | None = None
    valid_to: date | None = None
    min_age: int | None = None
    max_age: int | None = None
    max_per_period: int | None = None
    frequency_period: str | None = None
    not_combinable_with: tuple[str, ...] = ()
    prerequisite: str | None = None
    key_terms: str = ""
    source: str = ""

    def exists_on(self, day: date) -> bool:
        """True when the code may be attested on *day*."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to


# ---------------------------------------------------------------- key letters


@dataclass(frozen=True)
class KeyTermSpec:
    """One term of a fee: ``coefficient`` x the value of key-letter index ``index_code``."""

    index_code: str  # N265, Q124, or a bare letter N
    coefficient: Decimal

    @property
    def key_letter(self) -> str:
        """The key letter of the index (its first character): N, K, Q, ..."""
        return self.index_code[0]

    def __str__(self) -> str:
        return f"{self.index_code}*{format(self.coefficient.normalize(), 'f')}"


_INDEX = re.compile(r"^[A-Z][A-Z0-9]{0,11}$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def validate_index_code(text: str) -> str:
    """An index code: a capital key letter optionally followed by digits (``N265``)."""
    value = text.strip().upper()
    if not _INDEX.match(value):
        raise InvalidInput(f"key-letter index {text!r}: expected a letter and digits, e.g. N265")
    return value


def parse_key_terms(text: str) -> tuple[KeyTermSpec, ...]:
    """Parse ``N265*8+Q124*30`` (``x`` or ``×`` also accepted, either order per term)."""
    cleaned = text.strip().replace("×", "*").replace(" ", "")
    if not cleaned:
        return ()
    terms: list[KeyTermSpec] = []
    seen: set[str] = set()
    for raw in cleaned.split("+"):
        parts = re.split(r"[*xX](?=[0-9A-Za-z])", raw, maxsplit=1) if raw else []
        if len(parts) != 2:
            raise InvalidInput(f"key terms {text!r}: term {raw!r} is not INDEX*COEFFICIENT")
        left, right = parts
        if _NUMBER.match(left) and not _NUMBER.match(right):
            left, right = right, left
        if not _NUMBER.match(right):
            raise InvalidInput(f"key terms {text!r}: coefficient {right!r} is not a number")
        index = validate_index_code(left)
        if index in seen:
            raise InvalidInput(f"key terms {text!r}: index {index} appears twice")
        seen.add(index)
        coefficient = parse_decimal(right, what="coefficient")
        if coefficient <= 0:
            raise InvalidInput(f"key terms {text!r}: coefficient {right!r} must be positive")
        terms.append(KeyTermSpec(index, coefficient))
    return tuple(terms)


def format_key_terms(terms: Iterable[KeyTermSpec]) -> str:
    """Write terms back as ``N265*8+Q124*30`` (``parse_key_terms`` reads it back)."""
    return "+".join(str(t) for t in terms)


def fee_from_terms(
    terms: Sequence[KeyTermSpec], values: Mapping[str, Decimal], *, code: str = ""
) -> Decimal:
    """The fee: sum of coefficient x index value, rounded once to the cent (not per term).

    Raises ``NotFound`` naming the index when a value is missing.
    """
    if not terms:
        raise InvalidInput(f"code {code}: no key-letter terms to derive a fee from")
    total = Decimal(0)
    for term in terms:
        value = values.get(term.index_code)
        if value is None:
            raise NotFound(f"no value of key-letter index {term.index_code} (fee of {code})")
        total += term.coefficient * value
    return round_cents(total)


# ---------------------------------------------------------------- indexation

KEY_VALUE_QUANTUM = Decimal("0.000001")  # key-letter values are published with 6 decimals
INDEXATION_RULE = (
    "amount x (1 + rate/100) rounded half away from zero to the cent; "
    "key-letter values to 6 decimals"
)


def parse_rate(text: str) -> Decimal:
    """An indexation rate in percent (``2.72``, ``2,72``, ``2.72%``), above -100."""
    rate = parse_decimal(text.strip().rstrip("%"), what="rate")
    if rate <= -100:
        raise InvalidInput(f"rate {text!r}: must be above -100 %")
    return rate


def index_amount(amount: Decimal, rate: Decimal) -> Decimal:
    """Index one amount by *rate* percent with the project's one rule (``INDEXATION_RULE``)."""
    return (amount * (Decimal(1) + rate / 100)).quantize(CENT, rounding=ROUNDING)


def index_key_value(value: Decimal, rate: Decimal) -> Decimal:
    """Index a key-letter value by *rate* percent, kept to 6 decimals."""
    return (value * (Decimal(1) + rate / 100)).quantize(KEY_VALUE_QUANTUM, rounding=ROUNDING)


def index_profiles(profiles: Iterable[Profile], rate: Decimal) -> tuple[Profile, ...]:
    """Each profile's reimbursement indexed (monotone: never above the indexed fee)."""
    return tuple(
        Profile(
            index_amount(p.reimbursement, rate), p.regime, p.dmg, p.age_from, p.age_to, p.chronic
        )
        for p in profiles
    )


def personal_share(fee: Decimal, reimbursement: Decimal) -> Decimal:
    """What the patient pays: fee - reimbursement, never negative."""
    return max(fee - reimbursement, ZERO)


# ---------------------------------------------------------------- import rows

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


_YES = {"yes", "y", "true", "1", "oui", "ja"}
_NO = {"no", "n", "false", "0", "non", "nee"}


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
    if not value.isdigit() or not low <= int(value) <= high:
        raise InvalidInput(f"{what} {text!r}: expected a whole number from {low} to {high}")
    return int(value)


def parse_code_list(text: str, *, what: str = "not_combinable_with") -> tuple[str, ...]:
    """Codes separated by spaces, commas or semicolons."""
    return tuple(validate_code(c, what=what) for c in re.split(r"[\s,;]+", text.strip()) if c)


@dataclass(frozen=True)
class ActFields:
    """Act columns a row gave (None = not given: keep what is stored)."""

    label_fr: str | None = None
    label_nl: str | None = None
    article: str | None = None
    key_terms: tuple[KeyTermSpec, ...] | None = None
    min_age: int | None = None
    max_age: int | None = None
    max_per_period: int | None = None
    frequency_period: str | None = None
    not_combinable_with: tuple[str, ...] | None = None
    prerequisite: str | None = None
    category: str | None = None
    setting: str | None = None
    given: frozenset[str] = frozenset()

    def as_dict(self) -> dict[str, Any]:
        """The given fields only, by column name."""
        return {name: getattr(self, name) for name in sorted(self.given)}


def parse_act_fields(row: Mapping[str, str]) -> ActFields:
    """Read the act columns of an import row (raises ``InvalidInput`` on a bad value)."""
    values: dict[str, object] = {}
    for name in ACT_COLUMNS:
        raw = (row.get(name) or "").strip()
        if not raw:
            continue
        if name in ("label_fr", "label_nl", "article"):
            values[name] = raw
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


def check_act_rules(
    min_age: int | None,
    max_age: int | None,
    max_per_period: int | None,
    frequency_period: str | None,
) -> None:
    """Refuse inconsistent act rules (empty age range, a maximum without its period)."""
    if min_age is not None and max_age is not None and min_age > max_age:
        raise InvalidInput(f"min_age {min_age} is above max_age {max_age}")
    if (max_per_period is None) != (frequency_period is None):
        raise InvalidInput("max_per_period and frequency_period go together")


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
    profile: Profile
    source: str
    act: ActFields


_PROFILE_COLUMNS = ("reimbursement", "regime", "dmg", "age_from", "age_to", "chronic")


class RowLayout:
    """Where the import columns sit in a row's cells (see ``parse_tariff_cells``).

    A column the header lacks points at the empty string that ends every cell list, so a
    row is read with a few index look-ups instead of a dict built per row.
    """

    def __init__(self, header: Sequence[str]) -> None:
        # the last occurrence wins, as in dict(zip(header, values))
        position = {name: i for i, name in enumerate(header)}
        missing = len(header)

        def at(name: str) -> int:
            return position.get(name, missing)

        self.code = at("code")
        self.source = at("source")
        self.fee = at("fee")
        self.period = operator.itemgetter(at("valid_from"), at("valid_to"))
        self.act = operator.itemgetter(*(at(name) for name in ACT_COLUMNS))
        self.profile = operator.itemgetter(*(at(name) for name in _PROFILE_COLUMNS))
        self.parse = _row_parser(self, _CACHE)


_LAYOUTS: dict[tuple[str, ...], RowLayout] = {}


def row_layout(header: Sequence[str]) -> RowLayout:
    """The (memoised) layout of a header: a CSV file has one, JSON rows a few at most."""
    key = tuple(header)
    found = _LAYOUTS.get(key)
    if found is None:
        found = RowLayout(key)
        if len(_LAYOUTS) < 1000:
            _LAYOUTS[key] = found
    return found


_Dates = tuple[date, date | None]
_Dimensions = tuple[str | None, bool | None, int | None, int | None, bool | None]


class _RowCache:
    """Memo of parsed cells: an import repeats few codes, periods, amounts and profiles, and
    parsing them once keeps 200 000 rows within the speed target (values are immutable).
    Only successes are memoised: a bad cell raises again, with its own message."""

    LIMIT = 200_000

    def __init__(self) -> None:
        self.codes: dict[str, str] = {}
        self.dates: dict[str, date] = {}
        self.amounts: dict[str, Decimal] = {}
        self.periods: dict[tuple[str | None, str | None], _Dates] = {}
        self.dimensions: dict[tuple[str, ...], _Dimensions] = {}
        self.profiles: dict[tuple[str | None, ...], Profile] = {}
        self.acts: dict[tuple[str | None, ...], ActFields] = {}

    def date(self, text: str, what: str) -> date:
        found = self.dates.get(text)
        if found is None:
            found = parse_date(text, what=what)
            if _absolute(text) and len(self.dates) < self.LIMIT:
                self.dates[text] = found
        return found

    def amount(self, text: str, what: str) -> Decimal:
        found = self.amounts.get(text)
        if found is None:
            found = parse_amount(text, what=what)
            if len(self.amounts) < self.LIMIT:
                self.amounts[text] = found
        return found

    def period(self, key: tuple[str | None, str | None]) -> _Dates:
        """valid_from and valid_to of a row, checked in the order of their messages."""
        from_text, to_text = (t or "" for t in key)
        valid_from = self.date(_required(from_text, "valid_from"), "valid_from")
        valid_to = self.date(to_text.strip(), "valid_to") if to_text else None
        if valid_to is not None and valid_to < valid_from:
            raise InvalidInput(f"valid_to {valid_to} is before valid_from {valid_from}")
        # "today" moves: only periods of absolute dates are memoised
        if (
            _absolute(from_text.strip())
            and (not to_text or _absolute(to_text.strip()))
            and len(self.periods) < self.LIMIT
        ):
            self.periods[key] = (valid_from, valid_to)
        return valid_from, valid_to

    def profile(self, cells: tuple[str | None, ...]) -> Profile:
        """The profile of a row's profile cells; amounts and dimensions memoised apart (the
        reimbursement varies far more than the rest)."""
        reimbursement, *rest = [(v or "").strip() for v in cells]
        if not reimbursement:
            raise InvalidInput("reimbursement is empty")
        amount = self.amount(reimbursement, "reimbursement")
        key = tuple(rest)
        dimensions = self.dimensions.get(key)
        if dimensions is None:
            dimensions = _parse_profile_dimensions(*rest)
            if len(self.dimensions) < self.LIMIT:
                self.dimensions[key] = dimensions
        profile = Profile(amount, *dimensions)
        if len(self.profiles) < self.LIMIT:
            self.profiles[cells] = profile
        return profile


def _absolute(text: str) -> bool:
    """True for an ISO date text (memoisable), False for ``today`` and the like."""
    return len(text) == 10 and text[4] == "-"


_CACHE = _RowCache()


def parse_tariff_row(line: int, row: Mapping[str, str]) -> TariffRow:
    """Parse one import row (see ``TARIFF_COLUMNS``); raises ``InvalidInput`` with the reason."""
    return parse_tariff_cells(line, [*row.values(), ""], row_layout(tuple(row)))


def parse_tariff_cells(line: int, cells: Sequence[str | None], layout: RowLayout) -> TariffRow:
    """``parse_tariff_row`` on a row's cells in header order, followed by one ``""``.

    Same checks, in the same order, with the same messages; an import calls this once per
    row (``layout.parse`` directly), so every repeated cell value is parsed once.
    """
    return layout.parse(line, cells)


_new_row = functools.partial(tuple.__new__, TariffRow)  # TariffRow(...) minus a Python call


def _row_parser(
    layout: RowLayout, cache: _RowCache
) -> Callable[[int, Sequence[str | None]], TariffRow]:
    """The row parser of a layout: its indexes and the memo dicts bound as closure
    variables, the cheapest reads in a function called 200 000 times per import."""
    codes = cache.codes
    acts = cache.acts
    codes_get = codes.get
    periods_get = cache.periods.get
    amounts_get = cache.amounts.get
    acts_get = acts.get
    profiles_get = cache.profiles.get
    code_at, fee_at, source_at = layout.code, layout.fee, layout.source
    period_of, act_of, profile_of = layout.period, layout.act, layout.profile
    limit = cache.LIMIT
    match_code = _CODE.match

    def parse(line: int, cells: Sequence[str | None]) -> TariffRow:
        text = cells[code_at] or ""
        code = codes_get(text)
        if code is None:
            code = text if match_code(text) else validate_code(text)
            if len(codes) < limit:
                codes[text] = code
        key = period_of(cells)
        period = periods_get(key)
        if period is None:
            period = cache.period(key)
        text = cells[fee_at] or ""
        fee = amounts_get(text)
        if fee is None and text.strip():
            fee = cache.amount(text.strip(), "fee")
        act_key = act_of(cells)
        act = acts_get(act_key)
        if act is None:
            act = parse_act_fields(dict(zip(ACT_COLUMNS, act_key, strict=True)))
            if len(acts) < limit:
                acts[act_key] = act
        if fee is None and not act.key_terms:
            raise InvalidInput("fee is empty and no key_terms to derive it from")
        profile_key = profile_of(cells)
        profile = profiles_get(profile_key)
        if profile is None:
            profile = cache.profile(profile_key)
        if fee is not None and profile.reimbursement > fee:
            raise InvalidInput(f"reimbursement {profile.reimbursement} is above the fee {fee}")
        source = cells[source_at] or ""
        return _new_row((line, code, period[0], period[1], fee, profile, source.strip(), act))

    return parse


def _required(text: str, what: str) -> str:
    value = text.strip()
    if not value:
        raise InvalidInput(f"{what} is empty")
    return value


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


class TariffSpec(NamedTuple):
    """A tariff period to write: all the profiles of one code and period in the input.

    A named tuple (immutable like the frozen dataclass it was, built for a fraction of the
    cost): an import makes one per period, 100 000 of them for 200 000 rows.
    """

    code: str
    valid_from: date
    valid_to: date | None
    fee: Decimal | None
    profiles: tuple[Profile, ...]
    source: str
    lines: tuple[int, ...]

    def same_content(self, other: TariffSpec) -> bool:
        """True when both give the same period end, fee and profiles (source ignored)."""
        return (
            self.valid_to == other.valid_to
            and self.fee == other.fee
            and profile_key(self.profiles) == profile_key(other.profiles)
        )


def profile_key(profiles: Iterable[Profile]) -> frozenset[tuple[object, ...]]:
    """A comparable form of a set of profiles (dimensions and amount)."""
    return frozenset((*p.dimensions(), p.reimbursement) for p in profiles)


@dataclass
class GroupedImport:
    """Rows grouped into tariff periods and act changes, with the problems found."""

    tariffs: list[TariffSpec] = field(default_factory=list)
    acts: dict[str, ActFields] = field(default_factory=dict)
    act_lines: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)
    seen_acts: dict[str, set[int]] = field(default_factory=dict)


_PROFILE_OF = operator.attrgetter("profile")  # map() with these: no generator per group
_LINE_OF = operator.attrgetter("line")


def group_rows(rows: Iterable[TariffRow]) -> GroupedImport:
    """Group rows by code and period; collect every inconsistency as ``(line, reason)``.

    Refused: a duplicate row (same code, period and profile), rows of one period that
    disagree on fee, end or source, profiles that are ambiguous, periods of one code that
    overlap, act columns that disagree between rows of one code.
    """
    result = GroupedImport()
    shapes: dict[tuple[object, ...], list[str]] = {}
    groups: dict[tuple[str, date], list[TariffRow]] = {}
    seen_acts = result.seen_acts
    for row in rows:
        group_key = (row.code, row.valid_from)
        members = groups.get(group_key)
        if members is None:
            groups[group_key] = [row]
        else:
            members.append(row)
        act = row.act
        if act.given:
            # _merge_act's first test, inlined: rows of a code share one ActFields object,
            # and a call per row shows on 200 000 rows
            acts_seen = seen_acts.get(row.code)
            if acts_seen is None or id(act) not in acts_seen:
                _merge_act(result, row)
    by_code: dict[str, list[TariffSpec]] = {}
    for (code, valid_from), members in groups.items():
        first = members[0]
        common = (first.valid_to, first.fee, first.source)
        seen: dict[tuple[object, ...], int] = {}
        ok = True
        for row in members:
            key = row.profile.dimensions()
            if key in seen:  # (rare: a duplicate row)
                result.problems.append(
                    (
                        row.line,
                        f"duplicate row: {code} from {valid_from} profile "
                        f"{row.profile.label()} already on line {seen[key]}",
                    )
                )
                ok = False
                continue
            seen[key] = row.line
            if (row.valid_to, row.fee, row.source) == common:
                continue  # the usual case; the loop below names the column that differs
            for name in ("valid_to", "fee", "source"):
                if getattr(row, name) != getattr(first, name):
                    result.problems.append(
                        (
                            row.line,
                            f"{name} differs from line {first.line} for {code} from {valid_from}",
                        )
                    )
                    ok = False
        if not ok:
            continue
        profiles = tuple(map(_PROFILE_OF, members))
        # reimbursement <= fee was checked per row; the rest depends on dimensions only
        shape = tuple(seen)  # every member's dimensions, in order (no duplicate when ok)
        shape_problems = shapes.get(shape)
        if shape_problems is None:
            shape_problems = shapes[shape] = check_profiles(profiles, None)
        for problem in shape_problems:
            result.problems.append((members[-1].line, f"{code} from {valid_from}: {problem}"))
            ok = False
        if ok:
            spec = TariffSpec(
                code,
                valid_from,
                first.valid_to,
                first.fee,
                profiles,
                first.source,
                tuple(map(_LINE_OF, members)),
            )
            by_code.setdefault(code, []).append(spec)
    for code, specs in by_code.items():
        specs.sort(key=lambda s: s.valid_from)
        for before, after in itertools.pairwise(specs):
            if before.valid_to is not None and before.valid_to >= after.valid_from:
                result.problems.append(
                    (
                        after.lines[0],
                        f"period of {code} from {after.valid_from} overlaps the "
                        f"period from {before.valid_from} (line {before.lines[0]})",
                    )
                )
        result.tariffs.extend(specs)
    return result


def _merge_act(result: GroupedImport, row: TariffRow) -> None:
    if not row.act.given:
        return
    seen = result.seen_acts.setdefault(row.code, set())
    if id(row.act) in seen:  # parse_tariff_row shares identical ActFields objects
        return
    seen.add(id(row.act))
    known = result.acts.get(row.code)
    if known is None:
        result.acts[row.code] = row.act
        result.act_lines[row.code] = row.line
        return
    merged = dict(known.as_dict())
    for name, value in row.act.as_dict().items():
        if name in merged and merged[name] != value:
            result.problems.append(
                (row.line, f"{name} of {row.code} differs from line {result.act_lines[row.code]}")
            )
            return
        merged[name] = value
    result.acts[row.code] = ActFields(**merged, given=frozenset(merged))


def close_open_periods(
    specs: Sequence[TariffSpec], later_starts: Mapping[str, Sequence[date]]
) -> list[TariffSpec]:
    """Give each open period the end implied by the next period of its code.

    An empty ``valid_to`` means "until the next period" (the file's own, or an existing
    one in ``later_starts``, sorted start dates per code), so re-importing a file whose
    periods were closed on the first import changes nothing.
    """
    starts: dict[str, list[date]] = {}
    for spec in specs:
        starts.setdefault(spec.code, []).append(spec.valid_from)
    for code, extra in later_starts.items():
        starts.setdefault(code, []).extend(extra)
    for values in starts.values():
        values.sort()
    out: list[TariffSpec] = []
    for spec in specs:
        if spec.valid_to is None:
            days = starts[spec.code]
            i = bisect.bisect_right(days, spec.valid_from)
            if i < len(days):
                spec = TariffSpec(
                    spec.code,
                    spec.valid_from,
                    days[i] - timedelta(days=1),
                    spec.fee,
                    spec.profiles,
                    spec.source,
                    spec.lines,
                )
        out.append(spec)
    return out


# ---------------------------------------------------------------- in-memory reference


@dataclass(frozen=True)
class TariffRecord:
    """A stored tariff version as held in memory (fee None = derived from key terms)."""

    id: int
    code: str
    valid_from: date
    valid_to: date | None
    fee: Decimal | None
    profiles: tuple[Profile, ...]
    source: str
    source_kind: str
    decision_number: str | None = None


@dataclass(frozen=True)
class KeyValue:
    """A key-letter index value over a period."""

    index_code: str
    valid_from: date
    valid_to: date | None
    value: Decimal
    source: str = ""


def value_on(values: Sequence[KeyValue], on: date) -> Decimal | None:
    """The value in force on *on* among values sorted by ``valid_from``."""
    i = bisect.bisect_right([v.valid_from for v in values], on) - 1
    if i < 0:
        return None
    end = values[i].valid_to
    return values[i].value if end is None or on <= end else None


def view_of(
    record: TariffRecord,
    on: date,
    terms: Sequence[KeyTermSpec],
    key_values: Mapping[str, Sequence[KeyValue]],
) -> TariffView:
    """The tariff as in force on *on*: the stored fee, or the fee derived from key terms."""
    fee = record.fee
    derived = False
    if fee is None:
        values: dict[str, Decimal] = {}
        for term in terms:
            found = value_on(key_values.get(term.index_code, ()), on)
            if found is None:
                raise NotFound(
                    f"no value of key-letter index {term.index_code} on {on} "
                    f"(needed for the fee of {record.code})",
                    hint=f"inami nomenclature key-letter set {term.index_code} --from D --value X",
                )
            values[term.index_code] = found
        fee = fee_from_terms(terms, values, code=record.code)
        derived = True
    return TariffView(
        code=record.code,
        valid_from=record.valid_from,
        valid_to=record.valid_to,
        fee=fee,
        profiles=record.profiles,
        source=record.source,
        source_kind=record.source_kind,
        fee_derived=derived,
        decision_number=record.decision_number,
    )


class NomenclatureIndex:
    """Acts, current tariffs and key-letter values held in memory for batch pricing."""

    def __init__(
        self,
        acts: Mapping[str, ActView],
        tariffs: Iterable[TariffRecord],
        key_terms: Mapping[str, tuple[KeyTermSpec, ...]],
        key_values: Iterable[KeyValue],
    ) -> None:
        self._acts = dict(acts)
        self._terms = dict(key_terms)
        self._tariffs: dict[str, list[TariffRecord]] = {}
        for record in tariffs:
            self._tariffs.setdefault(record.code, []).append(record)
        self._starts: dict[str, list[date]] = {}
        for code, records in self._tariffs.items():
            records.sort(key=lambda r: r.valid_from)
            self._starts[code] = [r.valid_from for r in records]
        self._values: dict[str, list[KeyValue]] = {}
        for value in key_values:
            self._values.setdefault(value.index_code, []).append(value)
        for series in self._values.values():
            series.sort(key=lambda v: v.valid_from)

    def act(self, code: str) -> ActView | None:
        """The act, or None when the code is unknown."""
        return self._acts.get(code)

    def codes(self) -> list[str]:
        """Every known code, sorted."""
        return sorted(self._acts)

    def record_on(self, code: str, on: date) -> TariffRecord | None:
        """The stored tariff period containing *on*, or None."""
        starts = self._starts.get(code)
        if not starts:
            return None
        i = bisect.bisect_right(starts, on) - 1
        if i < 0:
            return None
        record = self._tariffs[code][i]
        if record.valid_to is not None and on > record.valid_to:
            return None
        return record

    def tariff_on(self, code: str, on: date) -> TariffView | None:
        """The tariff in force on *on* (fee derived from key letters when not stored)."""
        record = self.record_on(code, on)
        if record is None:
            return None
        return view_of(record, on, self._terms.get(code, ()), self._values)

    def key_value_on(self, index_code: str, on: date) -> Decimal | None:
        """The value of a key-letter index on a date."""
        return value_on(self._values.get(index_code, ()), on)

    def periods(self, code: str) -> list[TariffRecord]:
        """Every current tariff period of a code, oldest first."""
        return list(self._tariffs.get(code, ()))
