"""Migrations: upgrade from empty gives exactly the models' schema, on every backend."""

from __future__ import annotations


def _same_sqlite_integer(context, _inspected, _column, inspected_type, metadata_type):
    """On SQLite INTEGER and BIGINT are one type (64-bit, integer affinity): migration 0006
    widens the amount columns on PostgreSQL only, rather than rebuild SQLite tables."""
    from sqlalchemy import Integer

    if context.dialect.name == "sqlite" and all(
        isinstance(t, Integer) for t in (inspected_type, metadata_type)
    ):
        return False
    return None


def test_models_match_the_migrated_schema(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import inami_cli.db.models  # noqa: F401

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": _same_sqlite_integer})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_schema_revision_constant_is_the_head():
    from inami_cli.db.migrate import head_revision
    from inami_cli.db.schema import KNOWN_REVISIONS, SCHEMA_REVISION

    assert head_revision() == SCHEMA_REVISION
    assert KNOWN_REVISIONS[-1] == SCHEMA_REVISION


def test_upgrade_is_idempotent(engine):
    from inami_cli.db.engine import schema_revision
    from inami_cli.db.schema import SCHEMA_REVISION
    from inami_cli.services.dbadmin import initialise

    assert initialise(engine) == SCHEMA_REVISION
    assert schema_revision(engine) == SCHEMA_REVISION
