"""Reference data: the seven insurers, and the demo data of ``inami init --demo``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import Insurer
from inami_cli.domain import insurability as rules
from inami_cli.services.audit import record_change
from inami_cli.services.insurability._entitlement_import import import_entitlements
from inami_cli.services.insurability._person_import import import_persons


def seed_insurers(*, session: Session) -> int:
    """Insert or correct the seven insurers (100 ... 900); return how many rows changed."""
    existing = {i.code: i for i in session.execute(select(Insurer)).scalars()}
    changed = 0
    for code, info in rules.INSURERS.items():
        values = {"name_fr": info.name_fr, "name_nl": info.name_nl, "short_name": info.short_name}
        row = existing.get(code)
        if row is None:
            session.add(Insurer(code=code, **values))
            record_change(
                session=session, entity="insurer", key=code, action="insert", after=values
            )
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            before = {k: getattr(row, k) for k in values}
            for k, v in values.items():
                setattr(row, k, v)
            record_change(
                session=session, entity="insurer", key=code, action="update",
                before=before, after=values,
            )  # fmt: skip
            changed += 1
    session.flush()
    return changed


def load_fixtures(*, session: Session, fixtures_dir: Path) -> None:
    """Demo data: insurers, ``persons.csv`` and ``entitlements.csv`` (idempotent)."""
    seed_insurers(session=session)
    persons = fixtures_dir / "persons.csv"
    with persons.open(encoding="utf-8", newline="") as handle:
        import_persons(session=session, lines=handle, filename=str(persons))
    entitlements = fixtures_dir / "entitlements.csv"
    with entitlements.open(encoding="utf-8", newline="") as handle:
        import_entitlements(session=session, lines=handle, filename=str(entitlements))
