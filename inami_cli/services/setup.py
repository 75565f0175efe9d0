"""Reference data every database needs, and the demo fixtures (``inami init --demo``).

Each capability area contributes its loader; all are idempotent, so ``inami init --demo``
can be run again on the same database and changes nothing the second time.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from inami_cli.domain.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def fixtures_root(explicit: Path | None = None) -> Path:
    """The fixtures directory: *explicit*, else ``fixtures/`` of the source checkout."""
    path = explicit or PROJECT_ROOT / "fixtures"
    if not path.is_dir():
        raise ConfigError(f"fixtures directory {path} not found (pass --fixtures DIR)")
    return path


def load_reference(*, session: Session) -> list[str]:
    """Reference data that is not demo data: the insurers, the committees' rules, the
    agreements, the MAF parameters, the budget objectives and the indemnity parameters."""
    from inami_cli.services import committees, funding, indemnities, insurability, maf, providers

    insurability.seed_insurers(session=session)
    committees.sync_committees(session=session, path=committees.default_committees_path())
    providers.load_reference(session=session)
    maf.load_reference(session=session)
    funding.load_reference(session=session)
    indemnities.load_reference(session=session)
    return [
        "insurers",
        "committees",
        "agreements",
        "maf parameters",
        "budget objectives",
        "indemnity parameters",
    ]


def load_demo(*, session: Session, fixtures_dir: Path | None = None) -> list[str]:
    """Load every area's demo fixtures, in dependency order; return what was loaded."""
    from inami_cli.services import (
        committees,
        funding,
        indemnities,
        insurability,
        maf,
        nomenclature,
        providers,
    )

    root = fixtures_root(fixtures_dir)
    nomenclature.load_fixtures(session=session, fixtures_dir=root)
    insurability.load_fixtures(session=session, fixtures_dir=root)
    committees.load_fixtures(session=session, fixtures_dir=root)  # applies a tariff decision
    providers.load_fixtures(session=session, fixtures_dir=root)
    maf.load_fixtures(session=session, fixtures_dir=root)
    funding.load_fixtures(session=session, fixtures_dir=root)
    indemnities.load_fixtures(session=session, fixtures_dir=root)
    return [
        "nomenclature",
        "persons",
        "committees",
        "providers",
        "maf households",
        "funding inputs",
        "indemnities",
    ]
