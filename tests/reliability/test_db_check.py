"""`inami db check` finds what is wrong in the stored rows (issue 20, "db check").

Each test damages a copy of the demo database behind inami's back (SQL straight to the
backend, as a hand edit or a half-applied script would) and expects exit 1 with the row
named on stdout, never exit 70. SQLite and PostgreSQL where the damage can exist there
(PostgreSQL's date columns hold nothing but dates; a dropped column would outlive the test
in the shared schema).
"""

from __future__ import annotations

import pytest

from tests.conftest import Cli


def _damage(url: str, *statements: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def _check(cli: Cli, *expected: str) -> str:
    result = cli("db", "check")
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for text in expected:
        assert text in result.stdout, result.stdout
    return result.stdout


def _tariff_id(url: str, code: str = "101076") -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT id FROM tariff WHERE code = :c AND valid_to IS NULL"), {"c": code}
        ).scalar_one()
    engine.dispose()
    return int(found)


def test_the_demo_database_is_clean(demo_cli: Cli):
    result = demo_cli("db", "check")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_a_negative_fee(demo_db_url: str, demo_cli: Cli):
    ident = _tariff_id(demo_db_url)
    _damage(demo_db_url, f"UPDATE tariff SET fee_cents = -100 WHERE id = {ident}")
    _check(demo_cli, f"tariff row id={ident}: fee_cents -100")


def test_an_amount_beyond_the_bounds(demo_db_url: str, demo_cli: Cli):
    _damage(demo_db_url, "UPDATE tariff_profile SET reimbursement_cents = 100000000000")
    _check(demo_cli, "tariff_profile row id=", "out of bounds")


def test_a_reversed_period(demo_db_url: str, demo_cli: Cli):
    ident = _tariff_id(demo_db_url)
    _damage(demo_db_url, f"UPDATE tariff SET valid_to = '2020-01-01' WHERE id = {ident}")
    _check(demo_cli, f"tariff row id={ident}: valid_to", "ends before it starts")


def test_two_open_periods_of_one_code(demo_db_url: str, demo_cli: Cli):
    ident = _tariff_id(demo_db_url)
    _damage(
        demo_db_url,
        "INSERT INTO tariff (code, valid_from, valid_to, fee_cents, source_kind, source, "
        "recorded_at, operator) SELECT code, valid_from, NULL, fee_cents, source_kind, "
        f"source, recorded_at, operator FROM tariff WHERE id = {ident}",
    )
    _check(demo_cli, "tariff 101076: period 2026-01-01.. ", "overlaps 2026-01-01..")


def test_overlapping_periods(demo_db_url: str, demo_cli: Cli):
    _damage(demo_db_url, "UPDATE tariff SET valid_to = '2025-06-30' WHERE code = '101076' "
            "AND valid_from = '2024-01-01'")  # fmt: skip
    _check(demo_cli, "tariff 101076: period 2024-01-01..2025-06-30")


def test_a_key_letter_value_out_of_bounds(demo_db_url: str, demo_cli: Cli):
    _damage(demo_db_url, "UPDATE key_letter_value SET value = '1e400'")
    _check(demo_cli, "key_letter_value row id=", "'1e400'")


def test_a_non_date_in_a_date_column(demo_db_url: str, demo_cli: Cli):
    if not demo_db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's date columns hold nothing but dates")
    _damage(demo_db_url, "UPDATE person SET birth_date = 'not a date' WHERE niss = '85061508234'")
    out = _check(demo_cli, "person row niss=85061508234: birth_date 'not a date': not a date")
    assert "further checks skipped" in out


def test_a_dropped_column(demo_db_url: str, demo_cli: Cli):
    if not demo_db_url.startswith("sqlite"):
        pytest.skip("the PostgreSQL schema is shared by the session's tests")
    _damage(demo_db_url, "ALTER TABLE act DROP COLUMN label_nl")
    _check(demo_cli, "table act: column label_nl is missing")
