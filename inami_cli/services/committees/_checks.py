"""This feature's part of ``inami db check``."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlmodel import Session, select

from inami_cli.db.models import Committee
from inami_cli.domain.committees import rules_from_dict
from inami_cli.domain.errors import ConfigError, Conflict
from inami_cli.services.committees._common import _check_seats_still_fit
from inami_cli.services.consistency import Check


def _check_committee_seats(session: Session) -> Iterable[str]:
    """Mandates held at once above a group's seats, or in a group the rules do not know."""
    for row in session.exec(select(Committee)).all():
        try:
            _check_seats_still_fit(session, rules_from_dict(row.code, json.loads(row.rules_json)))
        except (Conflict, ConfigError) as exc:
            yield f"committee {row.code}: {exc.message}"


CHECKS: tuple[Check, ...] = (_check_committee_seats,)
"""This feature's part of `inami db check`."""
