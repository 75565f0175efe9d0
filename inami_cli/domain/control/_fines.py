"""Administrative fines of art. 142 §1 of the coordinated law of 14 July 1994 for the
infringements of art. 73bis, as a percentage of the value of the services concerned.

Bands (version in force from 15 May 2007; riziv.fgov.be docleg art. 142, securimed):

- 73bis **1°** services not performed or not delivered: repayment of their value **and** a
  fine of 50 to 200 %;
- 73bis **2°** services not compliant: repayment **and/or** a fine of 5 to 150 %;
- 73bis **3°** and **4°** superfluous or unnecessarily expensive services, prescribed or
  performed: repayment and a fine of 5 to 100 %.

(5° to 8° are fines in euros, not rates: 500–50 000, 500–20 000, 50–500, 1 000–250 000.)

Rounding: the published decision (Chambre de recours, 28/8/2012, upheld by the Conseil
d'État n° 227.073 of 9/4/2014) truncates to the cent: 175 % of 78 228,14 = 136 899,245 is
written 136 899,24, and 150 % of 246,45 = 369,675 is written 369,67 (half-up would give
369,68, half-even 369,68 too), so ``truncate`` is the default; ``half-up`` is offered.

A suspension ("sursis") is expressed in the decisions as points of the rate: "175 %, of which
25 % suspended for 3 years" suspends 25 % of the indu (19 557,03 on 78 228,14), leaving
150 % effective; the decision's own figures (19 557,06 and 117 342,18) differ from that by
3 cents, which no rounding of the published inputs reproduces (tests/domain/test_control.py
keeps the comparison).

Who decides: the SECM's leading official, or the Chambre de première instance where the
indu exceeds 25 000 € (or in case of recidivism or fraud) (securimed, AR 9/5/2008).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from inami_cli.domain.errors import Conflict, InvalidInput

ARTICLE_SOURCE = (
    "art. 142 §1 coordinated law of 14/7/1994 (version from 15/5/2007), "
    "https://www.riziv.fgov.be/webprd/docleg/sp/389685-897?1&tmpl=kartlis&OIDN=1500142&-IMPR=1"
)
ROUNDINGS = {"truncate": ROUND_DOWN, "half-up": ROUND_HALF_UP}
CHAMBER_THRESHOLD = Decimal("25000.00")
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class FineBand:
    """The legal band of fine rates for one paragraph of art. 73bis."""

    article: str
    infringement: str
    low: Decimal
    high: Decimal
    repayment: str  # "mandatory" or "and/or"


FINE_BANDS: dict[str, FineBand] = {
    b.article: b
    for b in (
        FineBand("73bis-1", "services not performed or not delivered",
                 Decimal(50), Decimal(200), "mandatory"),
        FineBand("73bis-2", "services not compliant", Decimal(5), Decimal(150), "and/or"),
        FineBand("73bis-3", "superfluous or unnecessarily expensive services prescribed",
                 Decimal(5), Decimal(100), "mandatory"),
        FineBand("73bis-4", "superfluous or unnecessarily expensive services performed",
                 Decimal(5), Decimal(100), "mandatory"),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Fine:
    """A fine computed for an indu: the parts and the rule applied."""

    article: str
    infringement: str
    indu: Decimal
    rate: Decimal
    band_low: Decimal
    band_high: Decimal
    repayment: Decimal
    fine: Decimal
    suspended_rate: Decimal
    suspended: Decimal
    effective: Decimal
    rounding: str
    decided_by: str
    source: str = ARTICLE_SOURCE


def check_article(text: str) -> FineBand:
    """The band of ``73bis-1`` … ``73bis-4`` (also ``73bis1°``, ``1``)."""
    clean = text.strip().lower().replace("°", "").replace(" ", "")
    if clean in {"1", "2", "3", "4"}:
        clean = "73bis-" + clean
    clean = clean.replace("73bis", "73bis-").replace("--", "-")
    band = FINE_BANDS.get(clean)
    if band is None:
        raise InvalidInput(
            f"--article {text!r}: expected one of {', '.join(FINE_BANDS)} "
            "(5° to 8° are fines in euros, not rates)"
        )
    return band


def _round(value: Decimal, rounding: str) -> Decimal:
    return value.quantize(_CENT, rounding=ROUNDINGS[rounding])


def compute_fine(
    *,
    article: str,
    indu: Decimal,
    rate: Decimal,
    suspended: Decimal = Decimal(0),
    rounding: str = "truncate",
    repay: bool = True,
) -> Fine:
    """The fine of *rate* % of *indu* under *article*, with *suspended* points suspended.

    Raises ``Conflict`` (exit 4) when the rate is outside the article's band, and
    ``InvalidInput`` for impossible values.
    """
    band = check_article(article)
    if rounding not in ROUNDINGS:
        raise InvalidInput(f"--rounding {rounding!r}: expected truncate or half-up")
    if indu <= 0:
        raise InvalidInput(f"--indu {indu}: must be above zero")
    if suspended < 0:
        raise InvalidInput(f"--suspended {suspended}: cannot be negative")
    if band.repayment == "and/or" and rate == 0:
        if not repay:
            raise InvalidInput(f"{band.article}: repayment and/or a fine; neither was asked")
    elif not band.low <= rate <= band.high:
        raise Conflict(
            f"--rate {rate} %: art. 142 §1 allows {band.low}–{band.high} % for {band.article} "
            f"({band.infringement})"
        )
    if not repay and band.repayment != "and/or":
        raise InvalidInput(f"{band.article}: the repayment of the indu is mandatory")
    if suspended > rate:
        raise InvalidInput(f"--suspended {suspended}: more than the rate ({rate})")
    fine = _round(indu * rate / 100, rounding)
    suspended_part = _round(indu * suspended / 100, rounding)
    chamber = indu > CHAMBER_THRESHOLD
    return Fine(
        article=band.article,
        infringement=band.infringement,
        indu=indu,
        rate=rate,
        band_low=band.low,
        band_high=band.high,
        repayment=indu if repay else Decimal("0.00"),
        fine=fine,
        suspended_rate=suspended,
        suspended=suspended_part,
        effective=fine - suspended_part,
        rounding=rounding,
        decided_by=(
            "Chambre de première instance (indu above 25 000 €)"
            if chamber
            else "SECM leading official (indu up to 25 000 €, unless recidivism or fraud)"
        ),
    )
