"""Key letters: a fee written as terms over key-letter indexes, and the indexes' dated values.

A fee is the sum of ``coefficient x value of a key-letter index`` over the act's terms,
rounded once to the cent with ``money.round_cents`` (half away from zero): 105755 in 2025
= N265 x 8 at 3.372107 + Q124 x 30 at 0.195645 = 32.846 -> 32.85 (third-party dump of the
INAMI tariff base, github.com/mamisoa/oph4py); 102535 in 2014 = N x 8 at 2.936106 + Q x 30
at 0.033039 = 24.4799 -> 24.48 (INAMI tariff circular of 2014-08-01).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.money import round_cents
from inami_cli.domain.values import parse_coefficient


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
_NUMBER = re.compile(r"^[0-9]+(?:[.,][0-9]+)?$")


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
        coefficient = parse_coefficient(right, what=f"key terms {text!r}: coefficient")
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
