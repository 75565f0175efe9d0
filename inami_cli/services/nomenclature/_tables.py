"""The nomenclature tables of the SQLModel models, for the modules that write (their
inserts take the models' Python-side defaults). The reads in ``_store`` use the generated
Core tables (``inami_cli.db.tables``) instead, which import no SQLModel (issue 19)."""

from __future__ import annotations

from sqlalchemy import Table

from inami_cli.db.models import Act, KeyLetterValue, KeyTerm, Tariff, TariffProfile

ACT: Table = Act.__table__  # type: ignore[attr-defined]
TARIFF: Table = Tariff.__table__  # type: ignore[attr-defined]
PROFILE: Table = TariffProfile.__table__  # type: ignore[attr-defined]
TERM: Table = KeyTerm.__table__  # type: ignore[attr-defined]
VALUE: Table = KeyLetterValue.__table__  # type: ignore[attr-defined]
