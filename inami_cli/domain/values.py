"""The one parser of typed and imported values: amounts, rates, key-letter values, codes,
whole numbers and dates, each with documented bounds (README "Guarantees").

Every entry point (command options, import files, prompts) reads values through here, so
``1e400``, ``1e26``, ``9.2e16``, ``NaN``, ``Infinity``, ``12_5`` or full-width digits are
refused the same way everywhere: ``InvalidInput`` (exit 2) naming the value, never a number
that later overflows a column, a ``Decimal`` context or a date (which used to exit 70).

The grammar is deliberately narrow: ASCII digits, one optional sign, one decimal mark (a
dot, or a comma for the Belgian habit), no exponent, no underscores. Python's own parsers
(``Decimal``, ``int``, ``\\d`` in ``re``, ``str.isdigit``) accept all of those.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from inami_cli.domain.errors import InvalidInput

# ---------------------------------------------------------------- bounds (README Guarantees)
# An amount (fee, reimbursement, charged amount, wage, counter): 0 <= x < 1 000 000 000.00
# with at most 2 decimals. Stored as cents in 64-bit integers (schema 0005).
AMOUNT_LIMIT = Decimal("1000000000.00")
# A budget amount (the yearly objective of the health care budget, tens of billions of
# euros): 0 <= x < 10 000 000 000 000.00, 2 decimals; 10^15 cents fits 64 bits.
BUDGET_LIMIT = Decimal("10000000000000.00")
# A key-letter value (N265 = 3.372107 in 2025): 0 < x < 1 000 000, at most 6 decimals
# (INAMI publishes them with 6; domain/nomenclature/_indexation.KEY_VALUE_QUANTUM).
KEY_VALUE_LIMIT = Decimal("1000000")
KEY_VALUE_DECIMALS = 6
# A coefficient of a key-letter term (N265*8): 0 < x < 100 000, at most 6 decimals.
COEFFICIENT_LIMIT = Decimal("100000")
# A rate in percent (indexation, fines, caps): -100 < x <= 1 000, at most 6 decimals.
RATE_LOW = Decimal("-100")
RATE_HIGH = Decimal("1000")
# Any other exact number (points, wages with 4 decimals): |x| < 10^12, at most 6 decimals.
NUMBER_LIMIT = Decimal("1000000000000")
NUMBER_DECIMALS = 6
# Dates: years 1900 to 2199. Earlier or later is a typing error in this domain, and the
# extremes of Python's calendar (0001-01-01, 9999-12-31) overflow date arithmetic.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)

_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?", re.ASCII)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
_BE_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})", re.ASCII)
_CODE = re.compile(r"[0-9]{6}", re.ASCII)


def shown(text: str) -> str:
    """The value as quoted back in an error message (bounded: a 10 MB cell stays short)."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def is_digits(text: str) -> bool:
    """True for a non-empty run of ASCII digits (``str.isdigit`` also takes ``１``, ``²``)."""
    return bool(_DIGITS.fullmatch(text))


def _plain_number(text: str, cleaned: str, what: str, example: str) -> Decimal:
    if not _NUMBER.fullmatch(cleaned):
        raise InvalidInput(f"{what}: {shown(text)} is not a number (use {example})")
    return Decimal(cleaned.replace(",", "."))


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def parse_number(
    text: str,
    *,
    what: str = "value",
    low: Decimal = -NUMBER_LIMIT,
    high: Decimal = NUMBER_LIMIT,
    decimals: int = NUMBER_DECIMALS,
    low_open: bool = True,
    high_open: bool = True,
    cleaned: str | None = None,
) -> Decimal:
    """An exact decimal number within (*low*, *high*) (bounds included when not open);
    *cleaned* is *text* stripped of what the caller allows around it (``%``)."""
    value = _plain_number(text, text.strip() if cleaned is None else cleaned, what, "2.5 or 2,5")
    if _decimals(value) > decimals:
        raise InvalidInput(f"{what}: {shown(text)} has more than {decimals} decimals")
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low and low == 0:
        raise InvalidInput(
            f"{what}: {shown(text)} " + ("must be positive" if low_open else "is negative")
        )
    if too_low or too_high:
        left, right = ("(" if low_open else "["), (")" if high_open else "]")
        raise InvalidInput(
            f"{what}: {shown(text)} is out of bounds {left}{_fmt(low)}, {_fmt(high)}{right}"
        )
    return value


def _fmt(value: Decimal) -> str:
    return f"{value:,f}".replace(",", " ")


def parse_amount(
    text: str,
    *,
    what: str = "amount",
    allow_negative: bool = False,
    limit: Decimal = AMOUNT_LIMIT,
) -> Decimal:
    """A euro amount typed with a dot or a comma (``31.81``, ``31,81``, ``€ 31,81``):
    at most 2 decimals, 0 <= x < *limit* (above -*limit* when *allow_negative*)."""
    cleaned = (
        text.strip().replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
    )
    value = _plain_number(text, cleaned, what, "31.81 or 31,81")
    if _decimals(value) > 2:
        raise InvalidInput(f"{what}: {shown(text)} has more than two decimals")
    if value < 0 and not allow_negative:
        raise InvalidInput(f"{what}: {shown(text)} is negative")
    if abs(value) >= limit:
        largest = _fmt(limit - Decimal("0.01"))
        raise InvalidInput(f"{what}: {shown(text)} is too large (at most {largest})")
    return value.quantize(Decimal("0.01"))


def parse_budget_amount(text: str, *, what: str = "amount") -> Decimal:
    """A budget amount (``parse_amount`` with the budget's bound, ``BUDGET_LIMIT``)."""
    return parse_amount(text, what=what, limit=BUDGET_LIMIT)


def parse_rate(text: str, *, what: str = "rate") -> Decimal:
    """A rate in percent (``2.72``, ``2,72``, ``2.72%``): above -100, at most 1 000."""
    return parse_number(
        text,
        cleaned=text.strip().removesuffix("%").strip(),
        what=what,
        low=RATE_LOW,
        high=RATE_HIGH,
        high_open=False,
    )


def parse_key_value(text: str, *, what: str = "key-letter value") -> Decimal:
    """A key-letter value: positive, below ``KEY_VALUE_LIMIT``, at most 6 decimals."""
    return parse_number(
        text, what=what, low=Decimal(0), high=KEY_VALUE_LIMIT, decimals=KEY_VALUE_DECIMALS
    )


def parse_coefficient(text: str, *, what: str = "coefficient") -> Decimal:
    """A key-letter coefficient: positive, below ``COEFFICIENT_LIMIT``, at most 6 decimals."""
    return parse_number(text, what=what, low=Decimal(0), high=COEFFICIENT_LIMIT)


def parse_code(text: str, *, what: str = "code") -> str:
    """A nomenclature code: exactly 6 ASCII digits (``１０１０７６`` is a look-alike)."""
    code = text.strip()
    if not _CODE.fullmatch(code):
        raise InvalidInput(f"{what} {shown(text)}: a nomenclature code has exactly 6 digits")
    return code


def check_date(value: date, *, what: str = "date") -> date:
    """*value* if its year is within 1900-2199, else ``InvalidInput``."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise InvalidInput(
            f"{what}: {value.isoformat()} is out of range (years {FIRST_DAY.year} to "
            f"{LAST_DAY.year})"
        )
    return value


def parse_date(text: str, *, what: str = "date", today: date | None = None) -> date:
    """``YYYY-MM-DD``, ``today``, ``yesterday`` or a Belgian ``D/M/YYYY`` date, with a
    year from 1900 to 2199."""
    value = text.strip().lower()
    ref = today or date.today()
    if value in {"today", "aujourd'hui", "vandaag"}:
        return ref
    if value in {"yesterday", "hier", "gisteren"}:
        return ref - timedelta(days=1)
    iso = _ISO_DATE.fullmatch(value)
    belgian = _BE_DATE.fullmatch(value)
    try:
        if iso:
            year, month, day = (int(g) for g in iso.groups())
        elif belgian:
            day, month, year = (int(g) for g in belgian.groups())
        else:
            raise ValueError(value)
        found = date(year, month, day)
    except ValueError:
        raise InvalidInput(f"{what}: {shown(text)} is not a date (use YYYY-MM-DD)") from None
    if not FIRST_DAY <= found <= LAST_DAY:
        raise InvalidInput(
            f"{what}: {shown(text)} is out of range (years {FIRST_DAY.year} to {LAST_DAY.year})"
        )
    return found
