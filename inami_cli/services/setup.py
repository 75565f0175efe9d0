"""Reference data every database needs, and the demo fixtures (``inami init --demo``).

Each capability area contributes a loader; all are idempotent.
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
    """Reference data that is not demo data (insurers, committees' rules)."""
    loaded: list[str] = []
    return loaded


def load_demo(*, session: Session, fixtures_dir: Path | None = None) -> list[str]:
    """Load every area's demo fixtures, in dependency order; return what was loaded."""
    root = fixtures_root(fixtures_dir)
    loaded: list[str] = []
    _ = root
    return loaded
