"""``inami agreement stats``: adherence rates from the register, the way they are
published (share of providers fully, partly conventioned and refusing, by
qualification and region; e.g. INAMI's press release on the physiotherapists' 2018-2019
convention gives counts and refusal rates by region)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import Agreement, Provider
from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.services.providers._common import _ADDR, _ADH, _PRO, _QUAL, label_of

GROUPINGS = ("qualification", "region")
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class StatsRow:
    """Counts and shares (percent, two decimals) of one group; ``total`` for all."""

    agreement: str
    profession: str
    qualification: str | None
    qualification_label: str | None
    region: str | None
    providers: int
    full: int
    partial: int
    refused: int
    full_pct: Decimal | None
    partial_pct: Decimal | None
    refused_pct: Decimal | None
    adhered_pct: Decimal | None  # full + partial: the published "adherence rate"


def _pct(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(100) * part / whole).quantize(_CENT, rounding=ROUND_HALF_UP)


def agreement_stats(
    *, session: Session, agreement: str, by: tuple[str, ...] = GROUPINGS
) -> list[StatsRow]:
    """Adherence shares of *agreement* among the register's providers of its profession
    holding a qualification period within the agreement's period, grouped *by*
    qualification and/or region, then a last row for all of them."""
    for name in by:
        if name not in GROUPINGS:
            raise InvalidInput(f"--by {name!r}: use {' and/or '.join(GROUPINGS)}")
    agr = session.get(Agreement, agreement.strip())
    if agr is None:
        raise NotFound(f"no agreement {agreement.strip()!r}", hint="see `inami agreement list`")
    answers = {
        a: b
        for a, b in session.execute(
            select(_ADH.nihii, _ADH.status).where(_ADH.agreement_key == agr.key)
        )
    }
    # the qualification each provider held at the latest day of the agreement it practised
    quals: dict[str, tuple[str, object]] = {}
    end = agr.valid_to
    rows = session.execute(
        select(_QUAL.nihii, _QUAL.code, _QUAL.valid_from, _QUAL.valid_to)
        .join(Provider, _PRO.nihii == _QUAL.nihii)
        .where(_PRO.profession == agr.profession)
        .order_by(_QUAL.nihii, _QUAL.valid_from)
    )
    for root, code, start, stop in rows:
        if (end is None or start <= end) and (stop is None or stop >= agr.valid_from):
            quals[root] = (code, start)
    regions: dict[str, str] = {}
    for root, region, main in session.execute(
        select(_ADDR.nihii, _ADDR.region, _ADDR.is_main).order_by(_ADDR.id)
    ):
        if main or root not in regions:
            regions[root] = region
    groups: dict[tuple[str | None, str | None], Counter[str]] = {}
    total: Counter[str] = Counter()
    for root, (code, _start) in quals.items():
        status = answers.get(root, "full")
        key = (
            code if "qualification" in by else None,
            regions.get(root) if "region" in by else None,
        )
        groups.setdefault(key, Counter())[status] += 1
        total[status] += 1

    def row(code: str | None, region: str | None, counts: Counter[str]) -> StatsRow:
        n = sum(counts.values())
        label = label_of(agr.profession, code) if code else None
        return StatsRow(
            agreement=agr.key, profession=agr.profession, qualification=code,
            qualification_label=label.label_fr if label else None, region=region,
            providers=n, full=counts["full"], partial=counts["partial"],
            refused=counts["refused"], full_pct=_pct(counts["full"], n),
            partial_pct=_pct(counts["partial"], n), refused_pct=_pct(counts["refused"], n),
            adhered_pct=_pct(counts["full"] + counts["partial"], n),
        )  # fmt: skip

    ordered = sorted(groups.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1])))
    out = [row(code, region, counts) for (code, region), counts in ordered]
    if by:
        out.append(row(None, None, total))
    return out
