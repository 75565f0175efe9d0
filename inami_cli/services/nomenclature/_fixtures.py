"""The demo and test fixtures: ``key_letters.csv``, ``nomenclature.csv`` and ``act_rules.csv``
of a directory."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from sqlmodel import Session

from inami_cli.domain.money import parse_decimal
from inami_cli.services.nomenclature._act_rules import import_act_rules
from inami_cli.services.nomenclature._files import read_table
from inami_cli.services.nomenclature._imports import import_rows
from inami_cli.services.nomenclature._key_letters import set_key_letter


def _read_key_values(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [(reader.line_num, row) for row in reader]


def load_fixtures(*, session: Session, fixtures_dir: Path) -> None:
    """Load ``nomenclature.csv`` and ``key_letters.csv`` of *fixtures_dir* (idempotent)."""
    keys = fixtures_dir / "key_letters.csv"
    if keys.exists():
        for _line, row in _read_key_values(keys.read_bytes(), keys.name):
            set_key_letter(
                session=session,
                index_code=row["index_code"],
                valid_from=date.fromisoformat(row["valid_from"]),
                valid_to=date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                value=parse_decimal(row["value"], what="value"),
                source=row["source"],
            )
    path = fixtures_dir / "nomenclature.csv"
    import_rows(
        session=session,
        rows=read_table(path.read_bytes(), path.name),
        filename=path.name,
        source_kind="fixture",
    )
    rules = fixtures_dir / "act_rules.csv"
    if rules.exists():
        text = rules.read_bytes().decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        import_act_rules(
            session=session,
            records=((reader.line_num, row) for row in reader),
            filename=rules.name,
        )
