"""Reference data every database needs, and the demo fixtures (``inami init --demo``).

Each capability area contributes its loader; all are idempotent, so ``inami init --demo``
can be run again on the same database and changes nothing the second time.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from inami_cli.domain.errors import ConfigError


def demo_data_dir() -> Path:
    """The demo fixtures shipped inside the package (``inami_cli/data/demo``), so that a
    plain ``pip install`` then ``inami init --demo`` works; ``fixtures/`` of the checkout
    is a symbolic link to it (issue 17)."""
    from importlib.resources import files

    return Path(str(files("inami_cli") / "data" / "demo"))


def fixtures_root(explicit: Path | None = None) -> Path:
    """The fixtures directory: *explicit*, else the demo data of the package."""
    path = explicit or demo_data_dir()
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
