"""Decision numbers: ``CASS 2026/014``, per committee and year."""

from __future__ import annotations

import re
from collections.abc import Iterable

from inami_cli.domain.errors import InvalidInput

_NUMBER = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]{0,15})\s*[ -]\s*(\d{4})\s*[/-]\s*(\d{1,6})\s*$")


def format_decision_number(committee: str, year: int, seq: int) -> str:
    """``CASS 2026/014``: committee, year, sequence in the year (three digits at least)."""
    return f"{committee} {year}/{seq:03d}"


def parse_decision_number(text: str) -> tuple[str, int, int]:
    """``"CASS 2026/014"`` (or ``cass 2026/14``, ``CASS-2026-014``) -> ``("CASS", 2026, 14)``."""
    match = _NUMBER.match(text)
    if not match:
        raise InvalidInput(f"decision number {text!r}: expected COMMITTEE YEAR/SEQ (CASS 2026/014)")
    seq = int(match.group(3))
    if seq < 1:
        raise InvalidInput(f"decision number {text!r}: the sequence starts at 1")
    return match.group(1).upper(), int(match.group(2)), seq


def next_sequence(existing: Iterable[int]) -> int:
    """The next number in a committee's year: one more than the highest so far."""
    return max(existing, default=0) + 1
