"""This feature's part of ``inami db check``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlmodel import Session, col

from inami_cli.db.models import MafCounter, MafHousehold, MafMember, MafParameter
from inami_cli.domain import maf as rules
from inami_cli.services.consistency import Check


def _check_households(session: Session) -> Iterable[str]:
    """Households without members; members filed under another year than their household."""
    counts: dict[int, int] = {
        h: n
        for h, n in session.execute(
            select(col(MafMember.household_id), func.count()).group_by(col(MafMember.household_id))
        )
    }
    for ident, year, code in session.execute(
        select(col(MafHousehold.id), col(MafHousehold.year), col(MafHousehold.code))
    ):
        if not counts.get(ident):
            yield f"maf household {year} {code}: no members"
    for niss, m_year, h_year, code in session.execute(
        select(
            col(MafMember.niss), col(MafMember.year), col(MafHousehold.year), col(MafHousehold.code)
        ).join(MafHousehold, col(MafMember.household_id) == col(MafHousehold.id))
    ):
        if m_year != h_year:
            yield f"maf member {niss}: year {m_year} in household {h_year} {code}"


def _check_values(session: Session) -> Iterable[str]:
    """Counters of an unknown kind, parameters of an unknown reliability."""
    for ident, kind in session.execute(select(col(MafCounter.id), col(MafCounter.kind))):
        if kind not in rules.COUNTER_KINDS:
            yield f"maf counter #{ident}: unknown kind {kind!r}"
    for year, name, reliability in session.execute(
        select(col(MafParameter.year), col(MafParameter.name), col(MafParameter.reliability))
    ):
        if reliability not in rules.RELIABILITIES:
            yield f"maf parameter {year} {name}: unknown reliability {reliability!r}"


CHECKS: tuple[Check, ...] = (_check_households, _check_values)
"""This feature's part of `inami db check`."""
