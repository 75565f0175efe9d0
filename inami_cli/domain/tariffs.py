"""Tariff profiles: which reimbursement applies to which beneficiary.

A tariff gives the fee (honoraire/honorarium) and, per beneficiary profile, what the
insurer pays (intervention/tegemoetkoming). A profile constrains any of: regime (ordinary
or preferential = BIM/VT), DMG/GMD held, an age band (inclusive whole years on the date of
care), chronic-illness status; an unconstrained dimension means "any". The answer for a
person is the most specific matching profile (most constrained dimensions); two matching
profiles equally specific would be ambiguous and are refused when the tariff is written
(DOMAIN.md section 2, "Profiles that change the reimbursement").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inami_cli.domain.errors import InvalidInput

REGIMES = ("ordinary", "preferential")


@dataclass(frozen=True)
class Beneficiary:
    """What the tariff needs to know of a patient on the date of care."""

    regime: str = "ordinary"  # ordinary | preferential (BIM)
    dmg: bool = False
    age: int | None = None
    chronic: bool = False


@dataclass(frozen=True)
class Profile:
    """A beneficiary profile of a tariff and the insurer's part for it (None = any)."""

    reimbursement: Decimal
    regime: str | None = None
    dmg: bool | None = None
    age_from: int | None = None
    age_to: int | None = None
    chronic: bool | None = None

    def __post_init__(self) -> None:
        if self.regime is not None and self.regime not in REGIMES:
            raise InvalidInput(f"regime {self.regime!r}: expected ordinary or preferential")
        if self.age_from is not None and self.age_to is not None and self.age_from > self.age_to:
            raise InvalidInput(f"age band {self.age_from}-{self.age_to} is empty")
        if self.reimbursement < 0:
            raise InvalidInput(f"reimbursement {self.reimbursement} is negative")

    @property
    def specificity(self) -> int:
        """How many dimensions this profile constrains (the age band counts once)."""
        return (
            (self.regime is not None)
            + (self.dmg is not None)
            + (self.age_from is not None or self.age_to is not None)
            + (self.chronic is not None)
        )

    def matches(self, who: Beneficiary) -> bool:
        """True when the beneficiary falls inside this profile."""
        if self.regime is not None and self.regime != who.regime:
            return False
        if self.dmg is not None and self.dmg != who.dmg:
            return False
        if self.chronic is not None and self.chronic != who.chronic:
            return False
        if self.age_from is not None or self.age_to is not None:
            if who.age is None:
                return False
            if self.age_from is not None and who.age < self.age_from:
                return False
            if self.age_to is not None and who.age > self.age_to:
                return False
        return True

    def label(self) -> str:
        """Short stable name of the profile, e.g. ``preferential,dmg`` or ``any``."""
        parts: list[str] = []
        if self.regime is not None:
            parts.append(self.regime)
        if self.dmg is not None:
            parts.append("dmg" if self.dmg else "no-dmg")
        if self.age_from is not None or self.age_to is not None:
            low = "" if self.age_from is None else str(self.age_from)
            high = "" if self.age_to is None else str(self.age_to)
            parts.append(f"age {low}-{high}")
        if self.chronic is not None:
            parts.append("chronic" if self.chronic else "not-chronic")
        return ",".join(parts) or "any"

    def dimensions(self) -> tuple[str | None, bool | None, int | None, int | None, bool | None]:
        """The profile's constraints, as a comparable tuple (identity of a profile)."""
        return (self.regime, self.dmg, self.age_from, self.age_to, self.chronic)


def select_profile(profiles: Sequence[Profile], who: Beneficiary) -> Profile | None:
    """The most specific profile matching *who*, or None when none matches.

    Ties cannot happen for profiles accepted by ``check_profiles`` on overlapping
    beneficiaries; if they do (legacy data), the first one written wins, deterministically.
    """
    best: Profile | None = None
    for profile in profiles:
        if profile.matches(who) and (best is None or profile.specificity > best.specificity):
            best = profile
    return best


def _can_overlap(a: Profile, b: Profile) -> bool:
    """True when some beneficiary could match both profiles."""
    if a.regime is not None and b.regime is not None and a.regime != b.regime:
        return False
    if a.dmg is not None and b.dmg is not None and a.dmg != b.dmg:
        return False
    if a.chronic is not None and b.chronic is not None and a.chronic != b.chronic:
        return False
    low = max(
        a.age_from if a.age_from is not None else -1, b.age_from if b.age_from is not None else -1
    )
    high = min(a.age_to if a.age_to is not None else 999, b.age_to if b.age_to is not None else 999)
    return low <= high


def check_profiles(profiles: Sequence[Profile], fee: Decimal | None) -> list[str]:
    """Problems that make a set of profiles unacceptable for one tariff (empty = fine).

    Refused: the same profile twice, two equally specific profiles some beneficiary would
    match both of, a reimbursement above the fee (the personal share is never negative).
    """
    problems: list[str] = []
    seen: dict[tuple[object, ...], Profile] = {}
    for profile in profiles:
        key = profile.dimensions()
        if key in seen:
            problems.append(f"profile {profile.label()} given twice")
            continue
        seen[key] = profile
        if fee is not None and profile.reimbursement > fee:
            problems.append(
                f"reimbursement {profile.reimbursement} for {profile.label()} "
                f"is above the fee {fee}"
            )
    unique = list(seen.values())
    for i, a in enumerate(unique):
        for b in unique[i + 1 :]:
            if a.specificity == b.specificity and _can_overlap(a, b):
                problems.append(
                    f"profiles {a.label()} and {b.label()} are equally specific and overlap"
                )
    return problems


def uncovered_profiles(profiles: Sequence[Profile]) -> list[str]:
    """The beneficiaries no profile matches, as profile labels (``ordinary,no-dmg``).

    A tariff that leaves, say, ordinary patients without a profile reimburses nothing to
    them: allowed (some codes are reserved to a group), but worth a warning when written.
    Ages are tried at 0, 18, 45, 75 and at every band's edges; a group uncovered at some
    ages only is named with the first such age.
    """
    ages = {0, 18, 45, 75}
    for p in profiles:
        for edge in (p.age_from, p.age_to):
            if edge is not None:
                ages.update(a for a in (edge - 1, edge, edge + 1) if 0 <= a <= 120)
    found: list[str] = []
    for regime in REGIMES:
        for dmg in (False, True):
            missing = {
                chronic: [
                    age
                    for age in sorted(ages)
                    if select_profile(profiles, Beneficiary(regime, dmg, age, chronic)) is None
                ]
                for chronic in (False, True)
            }
            base = f"{regime},{'dmg' if dmg else 'no-dmg'}"
            if missing[False] and missing[False] == missing[True]:
                groups = [(base, missing[False])]
            else:
                groups = [
                    (f"{base},{'chronic' if c else 'not-chronic'}", m)
                    for c, m in missing.items()
                    if m
                ]
            for label, uncovered in groups:
                found.append(
                    label if len(uncovered) == len(ages) else f"{label} (age {uncovered[0]})"
                )
    return found


def parse_profile(text: str, reimbursement: Decimal) -> Profile:
    """Parse a profile written as on the command line: ``preferential,dmg``, ``ordinary,age=10-74``,
    ``no-dmg``, ``chronic``, ``any``."""
    regime: str | None = None
    dmg: bool | None = None
    chronic: bool | None = None
    age_from: int | None = None
    age_to: int | None = None
    for raw in text.split(","):
        part = raw.strip().lower()
        if part in ("", "any"):
            continue
        if part in ("ordinary", "preferential"):
            regime = part
        elif part in ("bim", "vt"):
            regime = "preferential"
        elif part == "dmg":
            dmg = True
        elif part == "no-dmg":
            dmg = False
        elif part == "chronic":
            chronic = True
        elif part == "not-chronic":
            chronic = False
        elif part.startswith("age="):
            low, _, high = part[4:].partition("-")
            try:
                age_from = int(low) if low else None
                age_to = int(high) if high else None
            except ValueError:
                raise InvalidInput(f"profile {text!r}: age band {part[4:]!r} is not N-M") from None
        else:
            raise InvalidInput(
                f"profile {text!r}: unknown part {part!r} "
                "(use ordinary|preferential, dmg|no-dmg, chronic|not-chronic, age=N-M)"
            )
    return Profile(reimbursement, regime, dmg, age_from, age_to, chronic)


@dataclass(frozen=True)
class TariffView:
    """A tariff in force, as services hand it to the CLI and to the reimbursement rules."""

    code: str
    valid_from: date
    valid_to: date | None
    fee: Decimal
    profiles: tuple[Profile, ...]
    source: str
    source_kind: str
    fee_derived: bool = False  # fee computed from key-letter terms on the date
    decision_number: str | None = None
