"""Funding use cases: the global budget objective, the insurers' expenditure inputs, and
the computations (advances, budget shares, financial responsibility).

This package is the public face; by sub-topic:

- ``_inputs``: objectives (shipped data file, ``budget set``) and insurers' inputs (import);
- ``_compute``: ``advance_plan``, ``share_table``, ``responsibility_table``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlmodel import Session

from inami_cli.services.consistency import Check
from inami_cli.services.funding._compute import (
    AdvancePlan,
    ResponsibilityTable,
    ShareTable,
    advance_plan,
    responsibility_table,
    share_table,
)
from inami_cli.services.funding._inputs import (
    INPUT_COLUMNS,
    YearView,
    budget_list,
    budget_set,
    import_inputs,
    load_reference,
)


def load_fixtures(*, session: Session, fixtures_dir: Path) -> None:
    """The demo: one year's inputs (``fixtures/funding_2026.csv``), idempotent."""
    path = fixtures_dir / "funding_2026.csv"
    if path.exists():
        import_inputs(session=session, file=str(path), year=2026)


def _check_inputs(session: Session) -> Iterable[str]:
    """Negative expenditure figures."""
    from sqlalchemy import select

    from inami_cli.db.models import FundingInput

    for row in session.execute(select(FundingInput)).scalars():
        for kind in ("budgeted", "actual", "normative"):
            value = getattr(row, f"{kind}_cents")
            if value is not None and value < 0:
                yield f"funding input {row.year} {row.insurer_code}: negative {kind}"


CHECKS: tuple[Check, ...] = (_check_inputs,)
"""This feature's part of `inami db check`."""

__all__ = [
    "CHECKS",
    "INPUT_COLUMNS",
    "AdvancePlan",
    "ResponsibilityTable",
    "ShareTable",
    "YearView",
    "advance_plan",
    "budget_list",
    "budget_set",
    "import_inputs",
    "load_fixtures",
    "load_reference",
    "responsibility_table",
    "share_table",
]
