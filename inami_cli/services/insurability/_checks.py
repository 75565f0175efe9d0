"""This feature's part of ``inami db check``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.services.consistency import Check, overlaps
from inami_cli.services.insurability._common import _AFF, _ENT


def _check_periods(session: Session) -> Iterable[str]:
    """Affiliation periods of a person, or entitlement periods of one kind, that overlap."""
    yield from overlaps(
        "affiliation",
        session.execute(select(_AFF.niss, _AFF.valid_from, _AFF.valid_to, _AFF.id)),
    )
    yield from overlaps(
        "entitlement",
        (
            (f"{niss} {kind}", start, end, ident)
            for niss, kind, start, end, ident in session.execute(
                select(_ENT.niss, _ENT.kind, _ENT.valid_from, _ENT.valid_to, _ENT.id)
            )
        ),
    )


CHECKS: tuple[Check, ...] = (_check_periods,)
"""This feature's part of `inami db check`."""
