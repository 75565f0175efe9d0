"""Migrations: upgrade from empty gives exactly the models' schema, on every backend."""

from __future__ import annotations


def test_models_match_the_migrated_schema(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import inami_cli.db.models  # noqa: F401

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
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
