"""The generated Core tables (``inami_cli/db/tables``) describe the schema as the SQLModel
models do, and the generated files are what the generator writes today (issue 19)."""

from __future__ import annotations

import importlib
import pkgutil

import inami_cli.db.tables as core
from inami_cli.db import coregen


def _core_metadata() -> object:
    for module in pkgutil.iter_modules(core.__path__):
        importlib.import_module(f"{core.__name__}.{module.name}")
    return core.metadata


def test_core_tables_equal_the_models() -> None:
    from sqlmodel import SQLModel

    import inami_cli.db.models  # noqa: F401

    models = coregen.describe(SQLModel.metadata)
    tables = coregen.describe(_core_metadata())  # type: ignore[arg-type]
    assert sorted(tables) == sorted(models)
    for name, described in models.items():
        assert tables[name] == described, name
    assert core.metadata.naming_convention == SQLModel.metadata.naming_convention


def test_generated_files_are_up_to_date() -> None:
    for path, source in coregen.sources().items():
        assert path.read_text(encoding="utf-8") == source, (
            f"{path.name} is out of date: run python -m inami_cli.db.coregen"
        )
    assert coregen.main(["--check"]) == 0


def test_describe_sees_a_drift() -> None:
    from sqlalchemy import Column, Integer, MetaData, String, Table

    one, two = MetaData(), MetaData()
    Table("t", one, Column("id", Integer, primary_key=True), Column("a", String(3)))
    Table("t", two, Column("id", Integer, primary_key=True), Column("a", String(4)))
    assert coregen.describe(one) != coregen.describe(two)


def test_utc_datetime_reads_as_the_models_type() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from sqlmodel.sql.sqltypes import UTCDateTime as ModelType

    from inami_cli.db.sqltypes import UTCDateTime

    ours, theirs = UTCDateTime(), ModelType()
    aware = datetime(2026, 3, 2, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    naive = datetime(2026, 3, 2, 9, 30)
    for value in (aware, naive, None):
        assert ours.process_result_value(value, None) == theirs.process_result_value(value, None)  # type: ignore[arg-type]
    assert ours.process_bind_param(aware, None) == theirs.process_bind_param(aware, None)  # type: ignore[arg-type]
    assert ours.process_bind_param(aware, None).tzinfo is UTC  # type: ignore[arg-type, union-attr]
