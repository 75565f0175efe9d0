"""The INAMI/RIZIV provider number (NIHII): parts, check digits, formatting.

11 digits written ``X-XXXXX-XX-XXX``: the profession digit, a 5-digit sequence, 2 check
digits and the 3-digit qualification (competence) code. The first 8 digits identify the
person for the whole career; the qualification code changes with it (in training ->
recognised -> ...). Sources: INAMI, "Een RIZIV-nummer krijgen" (tandartsen, artsen) [OFF];
nl.wikipedia.org/wiki/RIZIV and the care-ace wiki "RIZIV-nummer" [SEC]
(shared/domain/providers.md §7.2).
"""

from __future__ import annotations

from dataclasses import dataclass

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.values import is_digits

# Separators people write inside the number: dashes, spaces, dots, slashes.
_SEPARATORS = str.maketrans("", "", "-. /\t")

# First digit -> profession, only where a source gives it (care-ace wiki [SEC]): 1 doctor,
# 4 nurse, 8 or 9 care assistant. The facts file warns not to hard-code a full list, so an
# unlisted digit is simply "not known" (never an error).
PROFESSION_DIGITS: dict[str, str] = {
    "1": "doctor",
    "4": "nurse",
    "8": "care_assistant",
    "9": "care_assistant",
}


def nihii_check_digits(first_six: str) -> str:
    """The two check digits: 97 - (the first 6 digits mod 97), written on two digits.

    NOT an official formula: it comes from the test vectors of a public C# project
    (``BelgianHealthFacilityLicenseNumber``) and from the iCure/taktik client API's
    ``checkInami``; it reproduces the 5 published institution numbers (789011 -> 84,
    730004 -> 18, 755005 -> 43, 826626 -> 08, 710004 -> 36) [SEC, DERIVED]. One iCure screen
    comments the check out, so a mismatch is only ever a warning (providers.md §7.2).
    """
    return f"{97 - int(first_six) % 97:02d}"


@dataclass(frozen=True)
class Nihii:
    """A parsed provider number (11 digits, or the 8-digit root when allowed)."""

    number: str  # the digits as given: 11, or 8 for a root
    root: str  # the first 8 digits: the person, for life
    profession_digit: str
    sequence: str
    check: str
    qualification: str | None  # the last 3 digits; None for a root
    expected_check: str
    profession_hint: str | None  # from the first digit, where a source gives it

    @property
    def check_ok(self) -> bool:
        """Whether the check digits match the (non-official) formula."""
        return self.check == self.expected_check

    @property
    def formatted(self) -> str:
        """``X-XXXXX-XX-XXX`` (``X-XXXXX-XX`` for a root)."""
        head = f"{self.profession_digit}-{self.sequence}-{self.check}"
        return f"{head}-{self.qualification}" if self.qualification is not None else head

    def with_qualification(self, code: str) -> str:
        """The 11-digit number of this person with qualification *code*."""
        return self.root + code

    def warnings(self) -> list[str]:
        """What looks wrong without being a refusal (the check digits)."""
        if self.check_ok:
            return []
        return [
            f"INAMI number {self.formatted}: check digits {self.check} differ from "
            f"{self.expected_check} (97 - first 6 digits mod 97; the formula is not "
            "official, so the number is accepted)"
        ]


def parse_nihii(text: str, *, allow_root: bool = False, what: str = "INAMI number") -> Nihii:
    """Parse a provider number written with or without dashes, spaces or dots.

    11 digits (or 8 with *allow_root*); anything else is ``InvalidInput`` naming why. A
    check-digit mismatch is not an error: see ``Nihii.warnings``.
    """
    digits = text.strip().translate(_SEPARATORS)
    if not digits:
        raise InvalidInput(f"{what}: empty (expected 11 digits, e.g. 1-23456-78-004)")
    if not digits.isascii() or not is_digits(digits):
        bad = next(c for c in digits if not (c.isascii() and is_digits(c)))
        raise InvalidInput(
            f"{what} {text.strip()!r}: {bad!r} is not a digit (write 11 digits, "
            "dashes, spaces or dots allowed: 1-23456-78-004)"
        )
    lengths = (11, 8) if allow_root else (11,)
    if len(digits) not in lengths:
        expected = "11 digits (or the first 8)" if allow_root else "11 digits"
        raise InvalidInput(f"{what} {text.strip()!r}: {len(digits)} digits, expected {expected}")
    return Nihii(
        number=digits,
        root=digits[:8],
        profession_digit=digits[0],
        sequence=digits[1:6],
        check=digits[6:8],
        qualification=digits[8:] if len(digits) == 11 else None,
        expected_check=nihii_check_digits(digits[:6]),
        profession_hint=PROFESSION_DIGITS.get(digits[0]),
    )


def make_nihii(profession_digit: int, sequence: int, qualification: str = "000") -> str:
    """A valid 11-digit number (for invented providers in fixtures and tests)."""
    head = f"{profession_digit:d}{sequence:05d}"
    if len(head) != 6:
        raise ValueError("profession digit 0-9 and sequence 0-99999")
    if len(qualification) != 3 or not is_digits(qualification):
        raise ValueError("qualification: 3 digits")
    return head + nihii_check_digits(head) + qualification


def format_nihii(number: str) -> str:
    """``X-XXXXX-XX-XXX`` of 11 (or 8) digits."""
    return parse_nihii(number, allow_root=True).formatted
