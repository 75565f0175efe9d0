"""Codes and acts: the 6-digit code, its observed patterns, an act's labels and rules.

- A service is a 6-digit code, kept as a string (leading zeros, pseudo-codes).
- Observed, not official: the 6th digit equals the first five digits mod 7, and a
  hospitalised code's first five digits are the ambulatory code's + 1 (469814/469825,
  532630/532641). Both are warnings only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from inami_cli.domain import values
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.nomenclature._key_letters import KeyTermSpec

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
    "nursing",  # home nursing (art. 8): a discipline a medical house may cover
    "supplement",  # a pseudo-code billed with a main code (night, weekend, on-call ...)
)
SETTINGS = ("ambulatory", "hospitalised", "any")

_CODE = re.compile(r"^[0-9]{6}$")


def validate_code(text: str, *, what: str = "code") -> str:
    """Return the code stripped, or raise ``InvalidInput`` unless it is exactly 6 digits."""
    return values.parse_code(text, what=what)


_ARTICLE_PREFIX = re.compile(r"^(?:article|artikel|art\.?)\s*", re.IGNORECASE)


def normalise_article(text: str) -> str:
    """An article of the nomenclature as one key: ``14a``, ``14 a``, ``Art. 14A`` are ``14a``.

    The nomenclature (KB/AR 14 September 1984, annex) numbers its articles 1, 2, ... with
    letter suffixes (14a, 14b); people write the suffix with or without a space.
    """
    return "".join(_ARTICLE_PREFIX.sub("", text.strip()).split()).lower()


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
