"""This feature's part of ``inami db check``: parameter periods and incapacity spells that
overlap, values the rules cannot read."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import IncapacitySpell, IndemnityParam
from inami_cli.domain import indemnities as rules
from inami_cli.domain.errors import InamiError
from inami_cli.services.consistency import Check, overlaps


def _param_overlaps(session: Session) -> Iterable[str]:
    c = IndemnityParam.__table__.c  # type: ignore[attr-defined]
    rows = session.execute(select(c.name, c.valid_from, c.valid_to, c.id))
    yield from overlaps("indemnity parameter", rows)


def _param_values(session: Session) -> Iterable[str]:
    for row in session.execute(select(IndemnityParam)).scalars():
        try:
            rules.check_param(
                name=row.name, valid_from=row.valid_from, valid_to=row.valid_to, value=row.value,
                unit=row.unit, reliability=row.reliability, source=row.source, note=row.note,
            )  # fmt: skip
        except InamiError as exc:
            yield f"indemnity parameter #{row.id}: {exc.message}"


def _spell_overlaps(session: Session) -> Iterable[str]:
    c = IncapacitySpell.__table__.c  # type: ignore[attr-defined]
    rows = session.execute(select(c.niss, c.valid_from, c.valid_to, c.id))
    yield from overlaps("incapacity of", rows)


CHECKS: tuple[Check, ...] = (_param_overlaps, _param_values, _spell_overlaps)
