"""The demo: two households of 2024 (``fixtures/maf_households.csv``) and their counters
(``fixtures/maf_counters.csv``); the Verhaegen household reaches its ceiling. Idempotent."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session

from inami_cli.domain.errors import NotFound
from inami_cli.services.maf._counters import import_counters
from inami_cli.services.maf._households import household_add, household_set_income, view


def load_fixtures(*, session: Session, fixtures_dir: Path) -> None:
    """Load the demo households and counters (a second run changes nothing)."""
    from inami_cli.services.maf._households import _household

    path = fixtures_dir / "maf_households.csv"
    if not path.exists():
        return
    groups: dict[tuple[int, str], list[dict[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            groups.setdefault((int(row["year"]), row["household"]), []).append(row)
    for (year, code), rows in groups.items():
        try:
            _household(session, year, code)
            continue  # loaded already
        except NotFound:
            pass
        household_add(
            session=session, year=year, code=code, members=[r["niss"] for r in rows],
            bim=[r["niss"] for r in rows if r["bim"] == "yes"],
            chronic=[r["niss"] for r in rows if r["chronic"] == "yes"],
            source="demo",
        )  # fmt: skip
        income = rows[0].get("net_taxable", "")
        if income:
            household_set_income(session=session, year=year, code=code, amount=Decimal(income),
                                 source="demo")  # fmt: skip
        view(session, _household(session, year, code))
    counters = fixtures_dir / "maf_counters.csv"
    if counters.exists():
        import_counters(session=session, file=str(counters))
