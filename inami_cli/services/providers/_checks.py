"""This feature's part of ``inami db check``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.services.consistency import Check, overlaps
from inami_cli.services.providers._common import _ACC, _AGR, _QUAL


def _check_periods(session: Session) -> Iterable[str]:
    """Qualification or accreditation periods of a provider, or agreements of a
    profession, that overlap."""
    yield from overlaps(
        "provider qualification",
        session.execute(select(_QUAL.nihii, _QUAL.valid_from, _QUAL.valid_to, _QUAL.id)),
    )
    yield from overlaps(
        "provider accreditation",
        session.execute(select(_ACC.nihii, _ACC.valid_from, _ACC.valid_to, _ACC.id)),
    )
    yield from overlaps(
        "agreements of",
        (
            (profession, start, end, None)
            for profession, start, end in session.execute(
                select(_AGR.profession, _AGR.valid_from, _AGR.valid_to)
            )
        ),
    )


CHECKS: tuple[Check, ...] = (_check_periods,)
"""This feature's part of `inami db check`."""
