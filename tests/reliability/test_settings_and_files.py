"""Everything else the red-team pass saw (issue 20): database URLs and timeouts checked at
load, an unversioned database explained, member and entitlement files that never lose a
column or a field silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.reliability.conftest import persons_csv, write_config


def _fails(result, code: int, *texts: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.stderr)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("inami: error:"), result.stderr
    for text in texts:
        assert text in last, last


@pytest.mark.parametrize("url", ["http://example.org/inami", "mysql://u@h/db", "inami.db"])
def test_an_unsupported_database_url_is_a_configuration_error(cli_nodb: Cli, url: str):
    _fails(cli_nodb("--db", url, "nomenclature", "show", "101076"), 5, "accepted: sqlite:///")
    config = write_config(Path("inami.toml"), f'[database]\nurl = "{url}"\n')
    _fails(cli_nodb("--config", str(config), "config", "show"), 5, "inami.toml:2:", "scheme")


@pytest.mark.parametrize("value", ["99999999999", "3600001", "-1"])
def test_a_huge_busy_timeout_is_refused_at_load(cli_nodb: Cli, value: str):
    config = write_config(Path("inami.toml"), f"[database]\nbusy_timeout_ms = {value}\n")
    _fails(cli_nodb("--config", str(config), "config", "show"), 5, "busy_timeout_ms")
    _fails(cli_nodb("config", "set", "database.busy_timeout_ms", "--", value), 5, "busy_timeout")


def test_a_database_without_alembic_version_gets_an_actionable_message(demo_db_url: str):
    from sqlalchemy import create_engine, text

    engine = create_engine(demo_db_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    engine.dispose()
    cli = Cli(demo_db_url)
    try:
        for argv in (["nomenclature", "show", "101076"], ["db", "init"], ["db", "upgrade"]):
            _fails(cli(*argv), 6, "no alembic_version table", "INSERT INTO alembic_version")
    finally:
        if not demo_db_url.startswith("sqlite"):  # the schema outlives the test there
            from inami_cli.db.schema import SCHEMA_REVISION

            engine = create_engine(demo_db_url)
            with engine.begin() as conn:
                conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
                conn.execute(
                    text("INSERT INTO alembic_version VALUES (:r)"), {"r": SCHEMA_REVISION}
                )
            engine.dispose()


def _members(header_extra: str = "", row_extra: str = "") -> str:
    lines = persons_csv([1, 2]).splitlines()
    lines[0] += header_extra
    lines[1] += row_extra
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_members(",niss"), "column 'niss' appears twice"),
        (_members(",insurer_code"), "column 'insurer_code' appears twice"),
        (_members(",nickname", ",Bob"), "unknown column(s) nickname"),
        (_members("", ",extra,fields"), "m.csv:2: 13 fields, the header has 11"),
    ],
)
def test_member_files_never_lose_a_column_or_a_field(demo_cli: Cli, text: str, message: str):
    Path("m.csv").write_text(text, encoding="utf-8")
    result = demo_cli("person", "import", "m.csv")
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr, result.stderr


def test_member_files_keep_their_optional_death_date(demo_cli: Cli):
    Path("m.csv").write_text(_members(",death_date", ","), encoding="utf-8")
    result = demo_cli("person", "import", "m.csv")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        ("niss,kind,valid_from,valid_to,detail,kind", "85061508234,bim,2026-01-01,,,dmg",
         "column 'kind' appears twice"),
        ("niss,kind,valid_from,valid_to,detail,note", "85061508234,bim,2026-01-01,,,x",
         "unknown column(s) note"),
        ("niss,kind,valid_from,valid_to,detail", "85061508234,bim,2026-01-01,,,lost",
         "e.csv:2: 6 fields, the header has 5"),
    ],
)  # fmt: skip
def test_entitlement_files_never_lose_a_column_or_a_field(
    demo_cli: Cli, header: str, row: str, message: str
):
    Path("e.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    result = demo_cli("entitlement", "import", "e.csv")
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr, result.stderr
