"""Reference data every database needs (the real agreements) and the demo providers of
``inami init --demo`` (invented people with valid numbers)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from inami_cli.services.providers._adherence import import_adherence
from inami_cli.services.providers._agreements import seed_agreements
from inami_cli.services.providers._provider_io import import_providers


def load_reference(*, session: Session) -> int:
    """Seed the real agreements (``inami_cli/data/agreements.csv``); idempotent."""
    return seed_agreements(session=session)


def load_fixtures(*, session: Session, fixtures_dir: Path) -> None:
    """Demo providers (``providers.csv``) and their adherence (``adherence.csv``):
    an accredited GP fully conventioned, a partially conventioned specialist with blocks,
    a GP who refused the 2024-2025 agreement for 2025, a non-conventioned physiotherapist,
    a dentist. Idempotent; the warnings of the import (qualification codes the label table
    does not know) are not shown."""
    seed_agreements(session=session)
    for name, run in (("providers.csv", import_providers), ("adherence.csv", import_adherence)):
        path = fixtures_dir / name
        with path.open("rb") as handle:
            run(session=session, binary=handle, filename=str(path))
