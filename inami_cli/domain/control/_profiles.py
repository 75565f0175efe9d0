"""Profiles of providers, as the profile commissions read them: services per patient of
each provider against the median of the providers of the same qualification; and a
terminal histogram of a distribution.

The SECM's "Commission des profils" approach counts services per provider per patient per
period against peers and reports outliers, without rejecting anything
(maf-control-funding.md §8.2, [SEC] securimed). No published threshold was found: the
ratio above which a provider is flagged is the caller's parameter (``--outlier``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from inami_cli.domain.errors import InvalidInput

_RATIO = Decimal("0.01")
PROFILE_SOURCE = (
    "Commission des profils: services per provider per patient against peers "
    "(maf-control-funding.md §8.2, [SEC] securimed)"
)


@dataclass(frozen=True)
class PeerCount:
    """One provider's volume: its peer group (qualification), services and patients."""

    provider_id: str
    group: str
    services: int
    patients: int

    @property
    def per_patient(self) -> Decimal:
        """Services per patient, to the hundredth (0 without patients)."""
        if self.patients == 0:
            return Decimal(0)
        return (Decimal(self.services) / self.patients).quantize(_RATIO, ROUND_HALF_UP)


@dataclass(frozen=True)
class PeerRow:
    """A provider against the median of its group."""

    provider_id: str
    group: str
    per_patient: Decimal
    group_size: int
    peer_median: Decimal
    ratio: Decimal | None  # None when the median is 0
    outlier: bool


def median(values: Sequence[Decimal]) -> Decimal:
    """The median (the mean of the two middle values for an even count)."""
    if not values:
        raise InvalidInput("median of no values")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return ((ordered[middle - 1] + ordered[middle]) / 2).quantize(_RATIO, ROUND_HALF_UP)


def compare_peers(counts: Iterable[PeerCount], *, outlier: Decimal) -> list[PeerRow]:
    """Each provider's services per patient against the median of its group; flagged when
    the ratio reaches *outlier* and the group has at least two providers."""
    if outlier <= 0:
        raise InvalidInput(f"--outlier {outlier}: expected a ratio above 0 (e.g. 1.5)")
    items = list(counts)
    groups: dict[str, list[Decimal]] = {}
    for c in items:
        groups.setdefault(c.group, []).append(c.per_patient)
    medians = {g: median(v) for g, v in groups.items()}
    rows = []
    for c in items:
        mid = medians[c.group]
        ratio = (c.per_patient / mid).quantize(_RATIO, ROUND_HALF_UP) if mid else None
        size = len(groups[c.group])
        flagged = ratio is not None and size >= 2 and ratio >= outlier
        rows.append(PeerRow(c.provider_id, c.group, c.per_patient, size, mid, ratio, flagged))
    return rows


def histogram(
    values: Sequence[Decimal], *, bins: int = 10, width: int = 40, label: str = "value"
) -> list[str]:
    """A terminal histogram: one line per bin, ``[low, high)  count  ####``."""
    if not values:
        return [f"{label}: no values"]
    if bins < 1 or width < 1:
        raise InvalidInput("histogram: bins and width must be 1 or more")
    low, high = min(values), max(values)
    step = (high - low) / bins if high > low else Decimal(1)
    counts = [0] * bins
    for v in values:
        index = min(int((v - low) / step), bins - 1)
        counts[index] += 1
    top = max(counts)
    lines = [f"{label} ({len(values)} values)"]
    for i, n in enumerate(counts):
        start = (low + step * i).quantize(_RATIO, ROUND_HALF_UP)
        end = (low + step * (i + 1)).quantize(_RATIO, ROUND_HALF_UP)
        bar = "#" * (round(n * width / top) if top else 0)
        lines.append(f"{start:>8} – {end:<8} {n:>6}  {bar}")
    return lines
