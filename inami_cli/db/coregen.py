"""Write ``inami_cli/db/tables/``: the SQLModel tables as SQLAlchemy Core ``Table``s.

The models (``inami_cli.db.models``) are the one description of the schema. One-shot reads
(``inami reimburse CODE``, ``insured NISS``, ``nomenclature show|search``) query these Core
tables instead, so that they import neither SQLModel nor the model classes: that was more
than a third of their cold start (issue 19). The module is generated from the models'
metadata, one module per feature as ``db/models`` (a command builds only the tables it
reads: about half a millisecond each), never edited by hand::

    python -m inami_cli.db.coregen            # rewrite inami_cli/db/tables/*.py
    python -m inami_cli.db.coregen --check    # exit 1 when it is out of date

and ``tests/db/test_core_tables.py`` fails when the generated tables and the models differ
(columns, types, nullability, keys, indexes), so the two cannot drift.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import ForeignKeyConstraint, MetaData, Table, UniqueConstraint

TARGET = Path(__file__).with_name("tables")  # the package; one module per feature


def _q(value: object) -> str:
    """A literal as ``ruff format`` writes it (double quotes), so the file is stable."""
    return json.dumps(value, ensure_ascii=False)


# The models' column types as the Core tables spell them (see ``db.sqltypes``); a type not
# listed here stops the generator: the tables must convert values as the models do.
_TYPES = {
    "AutoString": "String",
    "String": "String",
    "Text": "Text",
    "Integer": "Integer",
    "BigInteger": "BigInteger",
    "Boolean": "Boolean",
    "Date": "Date",
    "UTCDateTime": "UTCDateTime",
}


# What the generated module may take from ``sqlalchemy`` (besides ``MetaData``).
_CORE_NAMES = (
    *sorted(set(_TYPES.values()) - {"UTCDateTime"}),
    "Column",
    "ForeignKey",
    "ForeignKeyConstraint",
    "Index",
    "Table",
    "UniqueConstraint",
)


def type_source(column_type: Any) -> str:
    """The Core spelling of a column type (``String(6)``, ``Date()``)."""
    name = type(column_type).__name__
    if name not in _TYPES:
        raise SystemExit(f"coregen: column type {name} has no Core spelling: add it to _TYPES")
    length = getattr(column_type, "length", None)
    return f"{_TYPES[name]}({length})" if length is not None else f"{_TYPES[name]}()"


def describe(metadata: MetaData) -> dict[str, dict[str, Any]]:
    """What the schema says of every table, comparable between two metadata: columns (name,
    type, nullability, primary key, server default, autoincrement), foreign keys, unique
    constraints and indexes."""
    out: dict[str, dict[str, Any]] = {}
    for table in sorted(metadata.tables.values(), key=lambda t: t.name):
        constraints: list[Any] = sorted(table.constraints, key=_constraint_key)
        out[table.name] = {
            "columns": [
                (
                    c.name,
                    type_source(c.type),
                    c.nullable,
                    c.primary_key,
                    None if c.server_default is None else str(c.server_default.arg),  # type: ignore[attr-defined]
                    c.autoincrement,
                )
                for c in table.columns
            ],
            "primary_key": [c.name for c in table.primary_key],
            "foreign_keys": [
                ([col.name for col in c.columns], [e.target_fullname for e in c.elements])
                for c in constraints
                if isinstance(c, ForeignKeyConstraint)
            ],
            "unique": [
                (c.name, [col.name for col in c.columns])
                for c in constraints
                if isinstance(c, UniqueConstraint)
            ],
            "indexes": sorted(
                (i.name, [col.name for col in i.columns], bool(i.unique)) for i in table.indexes
            ),
        }
    return out


def _constraint_key(constraint: Any) -> list[str]:
    return [column.name for column in constraint.columns]


def _table_lines(table: Table) -> Iterator[str]:
    single_fks = {
        c.columns[0].name: c.elements[0].target_fullname
        for c in table.constraints
        if isinstance(c, ForeignKeyConstraint) and len(c.elements) == 1
    }
    yield f"{table.name} = Table("
    yield f"    {_q(table.name)},"
    yield "    metadata,"
    for c in table.columns:
        args = [_q(c.name), type_source(c.type)]
        if c.name in single_fks:
            args.append(f"ForeignKey({_q(single_fks[c.name])})")
        if c.primary_key:
            args.append("primary_key=True")
        if c.autoincrement != "auto":
            args.append(f"autoincrement={c.autoincrement!r}")
        args.append(f"nullable={c.nullable!r}")
        if c.server_default is not None:
            args.append(f"server_default={_q(str(c.server_default.arg))}")  # type: ignore[attr-defined]
        yield f"    Column({', '.join(args)}),"
    for con in sorted(table.constraints, key=_constraint_key):
        if isinstance(con, UniqueConstraint):
            names = ", ".join(_q(col.name) for col in con.columns)
            named = f", name={_q(con.name)}" if isinstance(con.name, str) else ""
            yield f"    UniqueConstraint({names}{named}),"
        elif isinstance(con, ForeignKeyConstraint) and len(con.elements) > 1:
            here = [col.name for col in con.columns]
            there = [e.target_fullname for e in con.elements]
            yield f"    ForeignKeyConstraint({_q(here)}, {_q(there)}),"
    for index in sorted(table.indexes, key=lambda i: str(i.name)):
        names = ", ".join(_q(col.name) for col in index.columns)
        unique = ", unique=True" if index.unique else ""
        yield f"    Index({_q(index.name)}, {names}{unique}),"
    yield ")"


def features(metadata: MetaData) -> dict[str, list[Table]]:
    """The tables of each feature module of ``db/models`` (``nomenclature``: act, ...).

    Needs the models imported (their classes say which module holds which table)."""
    from sqlmodel import SQLModel

    module_of = {
        str(getattr(mapper.local_table, "name")): mapper.class_.__module__.rsplit(".", 1)[-1]  # noqa: B009
        for mapper in SQLModel._sa_registry.mappers
    }
    out: dict[str, list[Table]] = {}
    for table in sorted(metadata.tables.values(), key=lambda t: t.name):
        out.setdefault(module_of[table.name], []).append(table)
    return out


def render(feature: str, tables: list[Table]) -> str:
    """The source of ``inami_cli/db/tables/<feature>.py``."""
    body: list[str] = []
    for table in tables:
        body += ["", *_table_lines(table)]
    text = "\n".join(body)
    used = sorted(name for name in _CORE_NAMES if re.search(rf"\b{name}\(", text))
    imports = f"from sqlalchemy import {', '.join(used)}"
    if len(imports) > 100:  # as ruff format wraps it
        imports = "\n".join(["from sqlalchemy import (", *(f"    {n}," for n in used), ")"])
    lines = [
        f'"""The {feature} tables as SQLAlchemy Core ``Table``s (``inami_cli.db.tables``).',
        "",
        f"GENERATED by ``python -m inami_cli.db.coregen`` from ``inami_cli.db.models.{feature}``",
        "(the source): do not edit; change the model and run the generator again.",
        '"""',
        "",
        imports,
        "",
        *(["from inami_cli.db.sqltypes import UTCDateTime"] if "UTCDateTime(" in text else []),
        "from inami_cli.db.tables import metadata",
        *body,
    ]
    return "\n".join(lines) + "\n"


def sources() -> dict[Path, str]:
    """Every generated file and its text, from the models."""
    from sqlmodel import SQLModel

    import inami_cli.db.models  # noqa: F401  (registers every table)

    return {
        TARGET / f"{feature}.py": render(feature, tables)
        for feature, tables in features(SQLModel.metadata).items()
    }


def main(argv: list[str] | None = None) -> int:
    """Rewrite the modules (or, with ``--check``, say whether they are up to date)."""
    args = sys.argv[1:] if argv is None else argv
    stale = []
    for path, source in sources().items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == source:
            continue
        stale.append(path)
        if "--check" not in args:
            path.write_text(source, encoding="utf-8")
    if stale and "--check" in args:
        names = ", ".join(p.name for p in stale)
        print(f"{TARGET}: {names} out of date: run python -m inami_cli.db.coregen", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
