"""The funds' money: monthly advances (art. 202), budget shares (art. 196) and financial
responsibility (art. 196–198), as pure arithmetic on integer cents.

Sources (maf-control-funding.md §9):

- art. 202: before the end of each month INAMI pays each insurer an advance equal to 1/12 of
  its expenditure in the year's budget document;
- art. 196: at the closing of the accounts the global budget objective is divided among
  insurers by a budget share, 70 % × the share of actual expenditure + 30 % × the share of
  normative expenditure (weights from 2001);
- financial responsibility: the share of a boni kept or a mali borne by the insurer is 15 %
  (1995–1997), 20 % (1998–2000), 25 % from 2001 (Vade-mecum SPF Sécurité sociale); a mali
  is borne only up to a maximum that the stored text cuts off (⚠ a parameter, no default).
  From budget year 2015 the responsibility is global (art. 196ter): the collective result is
  split by a key; the key is not in the sources, the budget-share key is used (⚠).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.funding._calendar import last_working_day

ACTUAL_WEIGHT = Decimal("0.70")
NORMATIVE_WEIGHT = Decimal("0.30")
SHARE_SOURCE = (
    "art. 196 coordinated law of 14/7/1994, https://webappsa.riziv-inami.fgov.be/docleg/Act/"
    "index/500001?lang=nl&enforce=False&dtrf=22-09-2023&printSegmentId=1896&all=False"
)
ADVANCE_SOURCE = (
    "art. 202 coordinated law of 14/7/1994, https://www.riziv.fgov.be/webprd/docleg/sp/"
    "880125-567?1&tmpl=kartlis&OIDN=1500202"
)
RESPONSIBILITY_SOURCE = (
    "Vade-mecum SPF Sécurité sociale (copy), "
    "https://www.yumpu.com/fr/document/view/36450995/vade-mecum-fod-sociale-zekerheid/308"
)
GLOBAL_FROM = 2015  # art. 196ter: global financial responsibility from budget year 2015

# (first year, last year or None, rate %): the share of a boni kept / a mali borne
RESPONSIBILITY_RATES: tuple[tuple[int, int | None, Decimal], ...] = (
    (1995, 1997, Decimal(15)),
    (1998, 2000, Decimal(20)),
    (2001, None, Decimal(25)),
)


def responsibility_rate(year: int) -> Decimal:
    """The responsibility rate of budget *year* (``InvalidInput`` before 1995)."""
    for first, last, rate in RESPONSIBILITY_RATES:
        if first <= year and (last is None or year <= last):
            return rate
    raise InvalidInput(f"--year {year}: financial responsibility starts with 1995")


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def apportion(total: int, weights: Mapping[str, Decimal]) -> dict[str, int]:
    """*total* cents split in proportion to *weights*, every part to the cent, the parts
    adding up to *total* exactly (largest remainder, ties by key)."""
    weight_sum = sum(weights.values(), Decimal(0))
    if weight_sum <= 0:
        raise InvalidInput("the weights add up to zero")
    exact = {k: Decimal(total) * w / weight_sum for k, w in weights.items()}
    parts = {k: int(v) for k, v in exact.items()}  # toward zero
    left = total - sum(parts.values())
    order = sorted(exact, key=lambda k: (-(exact[k] - parts[k]), k))
    step = 1 if left >= 0 else -1
    for k in order[: abs(left)]:
        parts[k] += step
    return parts


@dataclass(frozen=True)
class Advance:
    """One monthly advance to one insurer."""

    insurer: str
    month: int
    payment_date: date
    amount: int  # cents


def advances(year: int, budgeted: Mapping[str, int]) -> list[Advance]:
    """Twelve advances per insurer: 1/12 of its budgeted expenditure each, rounded half-up
    to the cent, December taking the remainder so the year adds up to the budget."""
    rows: list[Advance] = []
    for insurer in sorted(budgeted):
        total = budgeted[insurer]
        if total < 0:
            raise InvalidInput(f"insurer {insurer}: negative budgeted expenditure")
        twelfth = _round(Decimal(total) / 12)
        for month in range(1, 13):
            amount = twelfth if month < 12 else total - 11 * twelfth
            rows.append(Advance(insurer, month, last_working_day(year, month), amount))
    return rows


@dataclass(frozen=True)
class Share:
    """An insurer's budget share and the part of the objective it gives."""

    insurer: str
    actual: int
    normative: int
    actual_share: Decimal  # fraction of the total actual expenditure
    normative_share: Decimal
    share: Decimal  # 0.70 × actual_share + 0.30 × normative_share
    amount: int  # cents of the objective


def budget_shares(
    objective: int, actual: Mapping[str, int], normative: Mapping[str, int]
) -> list[Share]:
    """The art. 196 budget share of each insurer and its part of *objective* (cents).

    Both inputs must name the same insurers; amounts are apportioned so they add up to the
    objective to the cent.
    """
    if set(actual) != set(normative):
        only = sorted(set(actual) ^ set(normative))
        raise InvalidInput(
            "actual and normative expenditure must name the same insurers "
            f"(only in one: {', '.join(only)})"
        )
    if not actual:
        raise InvalidInput("no insurer has actual and normative expenditure for the year")
    for label, values in (("actual", actual), ("normative", normative)):
        if any(v < 0 for v in values.values()):
            raise InvalidInput(f"{label} expenditure cannot be negative")
    total_actual = sum(actual.values())
    total_normative = sum(normative.values())
    if total_actual <= 0 or total_normative <= 0:
        raise InvalidInput("actual and normative expenditure must not add up to zero")
    shares: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    for insurer in sorted(actual):
        a = Decimal(actual[insurer]) / total_actual
        n = Decimal(normative[insurer]) / total_normative
        shares[insurer] = (a, n, ACTUAL_WEIGHT * a + NORMATIVE_WEIGHT * n)
    amounts = apportion(objective, {k: v[2] for k, v in shares.items()})
    return [
        Share(k, actual[k], normative[k], v[0], v[1], v[2], amounts[k]) for k, v in shares.items()
    ]


@dataclass(frozen=True)
class Responsibility:
    """An insurer's result against its budget, and the part it keeps or bears."""

    insurer: str
    budget: int  # its part of the objective (cents)
    actual: int
    result: int  # budget − actual: > 0 a boni, < 0 a mali
    rate: Decimal
    cap: int | None  # the most a mali can cost it (cents), None: not capped
    kept_or_borne: int  # > 0 kept (boni), < 0 borne (mali)
    capped: bool


def responsibility(
    shares: Sequence[Share],
    *,
    rate: Decimal,
    mali_cap_percent: Decimal | None,
    mode: str,
) -> list[Responsibility]:
    """The boni kept or mali borne per insurer.

    ``individual``: each insurer's own result (budget − actual) × *rate*; ``global``
    (from 2015): the collective result × *rate*, split by the budget shares. A mali borne
    is capped at *mali_cap_percent* % of the insurer's budget when given.
    """
    if mode not in ("individual", "global"):
        raise InvalidInput(f"--mode {mode!r}: expected individual or global")
    if not Decimal(0) <= rate <= Decimal(100):
        raise InvalidInput(f"--rate {rate}: a percentage between 0 and 100")
    collective = sum(s.amount - s.actual for s in shares)
    if mode == "global":
        total = _round(Decimal(collective) * rate / 100)
        split = apportion(total, {s.insurer: s.share for s in shares}) if shares else {}
    rows: list[Responsibility] = []
    for s in shares:
        result = s.amount - s.actual
        part = split[s.insurer] if mode == "global" else _round(Decimal(result) * rate / 100)
        cap = (
            _round(Decimal(s.amount) * mali_cap_percent / 100)
            if mali_cap_percent is not None
            else None
        )
        capped = cap is not None and part < -cap
        if capped and cap is not None:
            part = -cap
        rows.append(Responsibility(s.insurer, s.amount, s.actual, result, rate, cap, part, capped))
    return rows
