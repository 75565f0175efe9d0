"""Bounded values at every entry point (issue 20, "Values: bounded, one parser").

Every value typed as an option, read from an import file or answered to a prompt goes
through ``inami_cli.domain.values``: exponents, NaN, infinities, underscores, full-width
digits and out-of-range numbers or years are an exit 2 naming the value (``FILE:LINE`` in
files), never a stored value that later makes every command on it exit 70 (SQLite) or 6
(PostgreSQL's 32-bit integers). Run on SQLite and PostgreSQL (``demo_cli``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, CliResult

REFUSED_NUMBERS = ["1e400", "1e26", "9.2e16", "NaN", "Infinity", "-inf", "12_5", "１２", "٣"]


def _refused(result: CliResult, value: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("inami: error:"), result.stderr
    assert repr(value) in last, last


def _fee(cli: Cli, fee: str, *, start: str = "2030-01-01", code: str = "101076") -> CliResult:
    return cli(
        *("nomenclature", "set-tariff", code, "--from", start, "--fee", fee),
        *("--reimbursement", "any=10.00", "--format", "json"),
    )


def _tariff_on(cli: Cli, day: str, code: str = "101076") -> Any:
    shown = cli("nomenclature", "show", code, "--date", day, "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    return shown.json()["tariff"]


# ---------------------------------------------------------------- options


def test_the_fuzz_example_fee_1e400_is_an_input_error_not_a_crash(demo_cli: Cli):
    # found by the randomised fuzz test: `set-tariff 101076 --from 2000-01-01 --fee 1e400`
    # exited 70 (Decimal.quantize overflowed); kept as an explicit example
    _refused(_fee(demo_cli, "1e400", start="2000-01-01"), "1e400")


@pytest.mark.parametrize("value", [*REFUSED_NUMBERS, "1000000000.00", "-0.01", "1.234"])
def test_refused_fees_name_the_value(demo_cli: Cli, value: str):
    _refused(_fee(demo_cli, value), value)
    assert _tariff_on(demo_cli, "2030-06-01")["valid_from"] == "2026-01-01"  # nothing written


def test_the_largest_fee_is_stored_and_read_back_on_every_backend(demo_cli: Cli):
    # 999 999 999.99 is 99 999 999 999 cents: beyond PostgreSQL's 32-bit INTEGER (exit 6
    # from 21 474 836.48 on, before schema 0005)
    done = _fee(demo_cli, "999999999.99")
    assert done.exit_code == 0, done.stderr
    tariff = _tariff_on(demo_cli, "2030-06-01")
    assert str(tariff["fee"]) == "999999999.99"
    shown = demo_cli(
        "reimburse", "101076", "--date", "2030-06-01", "--regime", "ordinary", "--format", "json"
    )
    assert shown.exit_code == 0, shown.stderr


@pytest.mark.parametrize("value", [*REFUSED_NUMBERS, "0", "-1", "1000000", "3.1234567"])
def test_refused_key_letter_values(demo_cli: Cli, value: str):
    result = demo_cli(
        *("nomenclature", "key-letter", "set", "N265", "--from", "2030-01-01"),
        *("--value", value),
    )
    _refused(result, value)


def test_a_key_letter_value_at_its_bounds_is_kept_exactly(demo_cli: Cli):
    result = demo_cli(
        *("nomenclature", "key-letter", "set", "N265", "--from", "2030-01-01"),
        *("--value", "999999.999999", "--format", "json"),
    )
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("value", ["1e400", "NaN", "12_5", "１", "1000.5", "-100"])
def test_refused_indexation_rates(demo_cli: Cli, value: str):
    result = demo_cli("nomenclature", "index", "--rate", value, "--from", "2030-01-01")
    _refused(result, value)


@pytest.mark.parametrize("code", ["１０１０７６", "10107６", "٠١٠١٠٧"])
def test_codes_are_ascii_digits_only(demo_cli: Cli, code: str):
    _refused(demo_cli("nomenclature", "show", code), code)
    _refused(_fee(demo_cli, "40.00", code=code), code)


@pytest.mark.parametrize(
    ("argv", "value"),
    [
        (["nomenclature", "retire", "101076", "--from", "0001-01-01"], "0001-01-01"),
        (["insured", "85061508234", "--from", "2026-01-01", "--to", "9999-12-31"], "9999-12-31"),
        (["nomenclature", "show", "101076", "--as-recorded-on", "9999-12-31"], "9999-12-31"),
        (["nomenclature", "show", "101076", "--date", "1899-12-31"], "1899-12-31"),
        (["nomenclature", "show", "101076", "--date", "２０２６-０１-０１"], "２０２６-０１-０１"),
        (["insured", "85061508234", "--date", "2200-01-01"], "2200-01-01"),
    ],
)
def test_extreme_dates_are_input_errors(demo_cli: Cli, argv: list[str], value: str):
    # all of these exited 70 (OverflowError in date arithmetic) before
    _refused(demo_cli(*argv), value)


def test_a_far_future_period_closes_the_open_one(demo_cli: Cli):
    # a period from 3000 did not overlap the open period (open = 2999-12-31), which stayed
    # open: two tariffs in force from then on
    _refused(_fee(demo_cli, "40.00", start="3000-01-01"), "3000-01-01")
    done = _fee(demo_cli, "40.00", start="2199-01-01")
    assert done.exit_code == 0, done.stderr
    assert _tariff_on(demo_cli, "2198-12-31")["valid_to"] == "2198-12-31"
    assert _tariff_on(demo_cli, "2199-06-01")["valid_from"] == "2199-01-01"
    check = demo_cli("db", "check")
    assert check.exit_code == 0, check.stdout + check.stderr


# ---------------------------------------------------------------- import files


def _tariff_file(fee: str, *, code: str = "101076", valid_to: str = "") -> str:
    return (
        "code,valid_from,valid_to,fee,regime,reimbursement,label_fr,label_nl,article,source\n"
        f"{code},2030-01-01,{valid_to},{fee},ordinary,10.00,Acte,Handeling,2,test\n"
    )


@pytest.mark.parametrize("value", ["1e400", "9.2e16", "NaN", "12_5", "１２", "1000000000.00"])
def test_import_files_name_the_value_and_the_line(demo_cli: Cli, value: str):
    Path("t.csv").write_text(_tariff_file(value), encoding="utf-8")
    result = demo_cli("nomenclature", "import", "t.csv")
    _refused(result, value)
    assert "t.csv:2:" in result.stderr
    assert _tariff_on(demo_cli, "2030-06-01")["valid_from"] == "2026-01-01"


def test_import_refuses_a_full_width_code(demo_cli: Cli):
    Path("t.csv").write_text(_tariff_file("40.00", code="１０１０７６"), encoding="utf-8")
    result = demo_cli("nomenclature", "import", "t.csv")
    _refused(result, "１０１０７６")
    assert "t.csv:2:" in result.stderr


def test_import_reads_nomensofts_2999_12_31_as_open(demo_cli: Cli):
    Path("t.csv").write_text(_tariff_file("40.00", valid_to="2999-12-31"), encoding="utf-8")
    result = demo_cli("nomenclature", "import", "t.csv")
    assert result.exit_code == 0, result.stderr
    assert _tariff_on(demo_cli, "2100-01-01")["valid_to"] is None


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2026-W10-1"])
def test_member_file_dates_are_bounded(demo_cli: Cli, value: str):
    from tests.reliability.conftest import persons_csv

    Path("m.csv").write_text(persons_csv([1]).replace("2020-01-01", value), encoding="utf-8")
    result = demo_cli("person", "import", "m.csv")
    assert result.exit_code == 2, result.stderr
    assert "m.csv:2:" in result.stderr and value in result.stderr


# ---------------------------------------------------------------- nesting


def test_deeply_nested_json_import_is_an_input_error(demo_cli: Cli):
    Path("deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    for argv in (["nomenclature", "import"], ["person", "import"], ["reimburse", "batch"]):
        result = demo_cli(*argv, "deep.json")
        assert result.exit_code == 2, (argv, result.stderr[-500:])
        assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr


def test_json_import_line_numbers_count_forward(demo_cli: Cli):
    rows = [
        {"code": "101076", "valid_from": "2030-01-01", "fee": "40.00", "regime": "ordinary",
         "reimbursement": "10.00"},
        {"code": "101076", "valid_from": "2031-01-01", "fee": "1e400", "regime": "ordinary",
         "reimbursement": "10.00"},
    ]  # fmt: skip
    Path("t.json").write_text("[\n" + ",\n\n".join(json.dumps(r) for r in rows) + "\n]")
    result = demo_cli("nomenclature", "import", "t.json")
    assert result.exit_code == 2
    assert "t.json:4:" in result.stderr, result.stderr


NESTED_TOML = ["a = " + "[" * 50_000 + "]" * 50_000, "[x]\na = " + "{b=" * 50_000]


@pytest.mark.parametrize("nested", NESTED_TOML, ids=["arrays", "inline-tables"])
def test_deeply_nested_toml_configuration_is_a_configuration_error(cli_nodb: Cli, nested: str):
    Path("deep.toml").write_text(nested, encoding="utf-8")
    result = cli_nodb("--config", "deep.toml", "config", "show")
    assert result.exit_code == 5, result.stderr[-500:]
    assert "deep.toml: TOML nested too deeply" in result.stderr


def test_deeply_nested_committees_file_is_a_configuration_error(demo_cli: Cli):
    Path("deep.toml").write_text(NESTED_TOML[0], encoding="utf-8")
    result = demo_cli("committee", "sync", "--file", "deep.toml")
    assert result.exit_code == 5, result.stderr[-500:]
    assert "deep.toml: TOML nested too deeply" in result.stderr


# ---------------------------------------------------------------- output


ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b31m"


def test_stored_text_never_sends_terminal_sequences(demo_cli: Cli):
    added = demo_cli(
        "person", "add", "85073003328", "--last-name", f"Dupuis{ESCAPES}", "--first-name", "Ana"
    )
    assert added.exit_code == 0, added.stderr
    refused = demo_cli("person", "show", "85073003328", "--format", "csv")
    assert refused.exit_code == 2 and "--format json" in refused.stderr  # sections (issue 17)
    for fmt in ("table", "json", "ndjson"):  # csv cells are the table's (domain.cells.cell)
        shown = demo_cli("person", "show", "85073003328", "--format", fmt)
        assert shown.exit_code == 0, shown.stderr
        for control in ("\x1b", "\x07", "\x9b"):
            assert control not in shown.stdout, (fmt, shown.stdout)
        if fmt in ("json", "ndjson"):
            assert json.loads(shown.stdout)["last_name"] == f"Dupuis{ESCAPES}"  # data intact
        else:
            assert "Dupuis\\x1b]0;pwned\\x07" in shown.stdout
