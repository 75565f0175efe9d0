"""The checks of `inami db check` that read rows as stored, before any feature loads them.

A feature's checks load rows through the models: a dropped column, a non-date in a date
column or an unparseable number would make them fail (exit 70) instead of report. These
run first, in SQL on the raw values, over every table of the models:

- a table or a column the models need is missing (dropped by hand, a failed migration);
- a date or timestamp column holding something else than a date (SQLite stores text);
- an amount in cents that is negative or beyond the bounds (``values.AMOUNT_LIMIT``);
- a period that ends before it starts (every ``valid_from``/``valid_to`` pair);
- a key-letter value that is not a number within its bounds (``values.parse_key_value``).

When the first two find anything, the other checks are skipped (they would read the bad
rows): `dbadmin.check` stops there and says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import Date, DateTime, Integer, inspect, select, text
from sqlalchemy.sql.schema import Column, Table
from sqlmodel import Session, SQLModel

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.values import AMOUNT_LIMIT, BUDGET_LIMIT, parse_key_value

# Cents columns that hold budget amounts (tens of billions of euros), not per-act amounts.
_BUDGET_TABLES = {"funding_year", "funding_input", "maf_household"}
_SHOWN = 5  # rows named per problem; the rest are counted


def _tables() -> list[Table]:
    import inami_cli.db.models  # noqa: F401  (registers every table)

    return list(SQLModel.metadata.sorted_tables)


def _key(table: Table) -> list[Column[object]]:
    return list(table.primary_key.columns) or list(table.columns)[:1]


def _rows(session: Session, table: Table, condition: str, column: str) -> Iterator[str]:
    keys = _key(table)
    key_sql = ", ".join(f'"{c.name}"' for c in keys)
    found = session.execute(
        text(f'SELECT {key_sql}, "{column}" FROM "{table.name}" WHERE {condition}')  # noqa: S608
    ).all()
    for row in found[:_SHOWN]:
        key = ", ".join(f"{c.name}={v}" for c, v in zip(keys, row, strict=False))
        yield f"{table.name} row {key}: {column} {row[-1]!r}"
    if len(found) > _SHOWN:
        yield f"{table.name}: {len(found) - _SHOWN} more rows like these"


def structure(session: Session) -> list[str]:
    """Missing tables and columns, and non-dates in date columns (SQLite)."""
    bind = session.connection()
    inspector = inspect(bind)
    present = set(inspector.get_table_names())
    problems: list[str] = []
    for table in _tables():
        if table.name not in present:
            problems.append(f"table {table.name} is missing")
            continue
        stored = {c["name"] for c in inspector.get_columns(table.name)}
        missing = [c.name for c in table.columns if c.name not in stored]
        problems.extend(f"table {table.name}: column {name} is missing" for name in missing)
        if missing or bind.dialect.name != "sqlite":
            continue  # PostgreSQL's date types hold nothing but dates
        for column in table.columns:
            name = column.name
            stored_as_text = f'"{name}" IS NOT NULL AND (typeof("{name}") != \'text\''
            if isinstance(column.type, DateTime):
                bad = f'{stored_as_text} OR julianday("{name}") IS NULL)'
            elif isinstance(column.type, Date):
                bad = f'{stored_as_text} OR date("{name}") IS NOT "{name}")'
            else:
                continue
            problems.extend(
                f"{line}: not a {'timestamp' if isinstance(column.type, DateTime) else 'date'}"
                for line in _rows(session, table, bad, name)
            )
    return problems


def values(session: Session) -> Iterable[str]:
    """Amounts, periods and key-letter values out of their bounds."""
    for table in _tables():
        names = {c.name for c in table.columns}
        for column in table.columns:
            if not (isinstance(column.type, Integer) and column.name.endswith("_cents")):
                continue
            limit = BUDGET_LIMIT if table.name in _BUDGET_TABLES else AMOUNT_LIMIT
            cents = int(limit * 100)
            bad = f'"{column.name}" < 0 OR "{column.name}" >= {cents}'
            for line in _rows(session, table, bad, column.name):
                yield f"{line}: amount in cents out of bounds [0, {cents})"
        if {"valid_from", "valid_to"} <= names:
            for line in _rows(session, table, "valid_to < valid_from", "valid_to"):
                yield f"{line}: the period ends before it starts"
    from inami_cli.db.models import KeyLetterValue

    k = KeyLetterValue.__table__.c  # type: ignore[attr-defined]
    for ident, index_code, value in session.execute(select(k.id, k.index_code, k.value)):
        try:
            parse_key_value(str(value))
        except InvalidInput as exc:
            yield f"key_letter_value row id={ident} ({index_code}): {exc.message}"
