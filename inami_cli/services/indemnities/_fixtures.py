"""Demo data of the indemnity branch (``inami init --demo``), idempotent.

``fixtures/indemnities/``: four invented persons (valid NISS check digits) and their spells:
Anouk Delvigne, a white-collar employee in primary incapacity since 2025-12-01 (a relapse
from 2026-01-12 continues it); Luc Marchandeau, a cohabitant blue-collar worker in
invalidity (incapacity since 2023-05-08); Nadia Benali, self-employed, ill since
2026-02-09; Emma Vandersmissen, expecting twins (``inami maternity plan --multiple``).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from inami_cli.db.models import IncapacitySpell
from inami_cli.domain.dates import parse_date
from inami_cli.domain.money import parse_amount
from inami_cli.services.indemnities._episodes import episode_add
from inami_cli.tabular import Columns, open_binary, read_table

_SPELLS = Columns(
    required=("niss", "scheme", "kind", "valid_from", "valid_to", "family_situation"),
    optional=("regular_worker", "worker_category", "gross_daily"),
)


def load_fixtures(*, session: Session, fixtures_dir: Path) -> None:
    """The demo persons (through the insurability import) and their spells."""
    from inami_cli.services import insurability

    root = fixtures_dir / "indemnities"
    persons = root / "persons.csv"
    with persons.open(encoding="utf-8", newline="") as handle:
        insurability.import_persons(session=session, lines=handle, filename=str(persons))
    c = IncapacitySpell.__table__.c  # type: ignore[attr-defined]
    known = set(session.execute(select(c.niss, c.valid_from)).all())
    path = root / "spells.csv"
    with open_binary(path) as binary:
        for _line, cells in read_table(binary, filename=str(path), spec=_SPELLS).records():
            start = parse_date(cells["valid_from"], what="valid_from")
            if (cells["niss"], start) in known:
                continue
            end = cells["valid_to"].strip()
            gross = cells.get("gross_daily", "").strip()
            episode_add(
                session=session, niss=cells["niss"], scheme=cells["scheme"], kind=cells["kind"],
                valid_from=start, valid_to=parse_date(end, what="valid_to") if end else None,
                family_situation=cells["family_situation"],
                regular_worker=cells.get("regular_worker", "yes").strip().lower() != "no",
                worker_category=cells.get("worker_category") or "white-collar",
                gross_daily=parse_amount(gross, what="gross_daily") if gross else None,
                source="demo",
            )  # fmt: skip
