"""PostgreSQL parity: the whole suite runs on PostgreSQL in CI.

Parity itself is structural (every database test takes the ``db_url`` fixture, parametrized
over SQLite and PostgreSQL); these tests make sure CI cannot silently drop the PostgreSQL
half: with ``CI`` set, INAMI_TEST_DATABASE_URL must be set and reachable.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import PG_URL


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def test_ci_runs_the_suite_on_a_reachable_postgresql():
    if not _in_ci() and not PG_URL:
        pytest.skip("not in CI (CI unset) and INAMI_TEST_DATABASE_URL unset")
    assert PG_URL, "CI=true but INAMI_TEST_DATABASE_URL is not set: PostgreSQL tests would skip"
    from sqlalchemy import create_engine, text

    from tests.conftest import _pg_url_with_schema

    engine = create_engine(_pg_url_with_schema(PG_URL, "public"))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()


def test_the_postgresql_fixture_is_really_used_when_configured(request: pytest.FixtureRequest):
    """With INAMI_TEST_DATABASE_URL set, the PostgreSQL parameter yields a migrated schema
    (not a skip)."""
    if not PG_URL:
        pytest.skip("INAMI_TEST_DATABASE_URL unset")
    from sqlalchemy import create_engine, text

    from inami_cli.db.schema import SCHEMA_REVISION

    url: str = request.getfixturevalue("pg_schema_url")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()
    assert revision == SCHEMA_REVISION
