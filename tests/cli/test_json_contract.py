"""The JSON contract of every command (issue 17, README "Output for scripts").

Each command's documented examples run on the demo data with ``--format json``: whatever
answers on stdout is ONE JSON document, with no ``""`` (a missing value is ``null``), no
``"yes"``/``"no"`` (booleans are ``true``/``false``) and money as JSON numbers. Then
``--format ndjson`` (one object per line, same rules), ``--format csv`` (one table, or a
refusal naming ``--format json``) and ``--fields``.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Examples that do not answer with data: they start a session, (re)create or copy the
# database, or write the configuration.
NOT_DATA = {
    ("init",), ("desk",), ("completion",), ("db", "init"), ("db", "upgrade"), ("db", "backup"),
    ("config", "set"), ("config", "init"), ("config", "path"),
}  # fmt: skip
# Money as the services name it (STYLE.md: amounts are Decimal, written as JSON numbers).
MONEY_KEYS = {
    "fee", "reimbursement", "personal_share", "supplement", "patient_total", "charged",
    "claimed", "computed", "indu", "undue", "daily_amount", "wage", "ceiling", "minimum",
    "maximum", "total_daily", "recorded_amount", "amount", "threshold", "total",
}  # fmt: skip


def _examples() -> list[tuple[tuple[str, ...], list[str]]]:
    """(command path, argv after ``inami``) of every command's examples."""
    import typer.main

    from inami_cli.cli.app import app

    found: list[tuple[tuple[str, ...], list[str]]] = []

    def walk(command: Any, path: tuple[str, ...] = ()) -> None:
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, (*path, name))
            return
        if path in NOT_DATA:
            return
        from inami_cli.cli.helptext import examples_of

        for text in examples_of(command.help or ""):  # the ``Examples:`` block (issue 17)
            words = shlex.split(text, comments=True)
            for i, word in enumerate(words):  # up to a shell operator
                if word in ("|", ">", "&&", ";", "<") or "$(" in word:
                    words = words[:i]
                    break
            if words[:1] == ["inami"]:
                found.append((path, words[1:]))

    walk(typer.main.get_command(app))
    return found


# Views the examples do not reach: explanations hold the yes/no of each step.
EXTRA = (
    ("reimburse", "101076", "--date", "2026-03-02", "--niss", "85061508234", "--explain"),
    ("nomenclature", "export", "--all-periods"),
)
EXAMPLES = [*_examples(), *((cmd[:1], list(cmd)) for cmd in EXTRA)]


def _absolute(args: list[str]) -> list[str]:
    """The example's arguments with the repository's files (fixtures/...) made absolute."""
    return [str(ROOT / a) if "/" in a and (ROOT / a).exists() else a for a in args]


def _strip_format(args: list[str]) -> list[str]:
    out: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "--format":
            skip = True
            continue
        if a.startswith("--format="):
            continue
        out.append(a)
    return out


def _values(doc: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _values(v, str(k))
    elif isinstance(doc, list):
        for v in doc:
            yield from _values(v, key)
    else:
        yield key, doc


def contract_problems(doc: Any) -> list[str]:
    """What breaks the JSON contract in *doc*."""
    problems = []
    for key, value in _values(doc):
        if value == "":
            problems.append(f"{key}: empty text (use null)")
        elif isinstance(value, str) and value.lower() in ("yes", "no"):
            problems.append(f"{key}: {value!r} (use true/false)")
        elif key in MONEY_KEYS and value is not None and not isinstance(value, (Decimal, int)):
            problems.append(f"{key}: money {value!r} is not a JSON number")
    return problems


def test_contract_problems_are_found() -> None:
    """The checker itself fails on each kind of break."""
    bad = {"a": "", "b": [{"c": "yes"}], "fee": "12.50"}
    assert len(contract_problems(bad)) == 3
    assert contract_problems({"fee": Decimal("1.5"), "ok": True, "x": None, "n": "Name"}) == []


@pytest.fixture
def demo_here(demo_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``demo_cli`` run in a scratch directory (an example's output files land there)."""
    monkeypatch.chdir(tmp_path)
    return demo_cli


def test_every_commands_json_keeps_the_contract(demo_here: Any) -> None:
    assert len(EXAMPLES) > 50
    answered = 0
    failures: list[str] = []
    for _path, args in EXAMPLES:
        argv = [*_absolute(_strip_format(args)), "--format", "json"]
        result = demo_here(*argv)
        if not result.stdout.strip():
            continue
        where = " ".join(argv)
        try:
            doc = json.loads(result.stdout, parse_float=Decimal)
        except ValueError as exc:
            failures.append(f"{where}: stdout is not one JSON document ({exc})")
            continue
        answered += 1
        failures.extend(f"{where}: {p}" for p in contract_problems(doc)[:3])
        ndjson = demo_here(*argv[:-1], "ndjson")
        for line in ndjson.stdout.splitlines()[:500]:
            try:
                row = json.loads(line, parse_float=Decimal)
            except ValueError:
                failures.append(f"{where} (ndjson): a line is not JSON: {line[:80]}")
                break
            problems = contract_problems(row)
            if problems:
                failures.append(f"{where} (ndjson): {problems[0]}")
                break
    assert answered > 30, answered
    assert failures == [], "\n".join(failures)


def test_csv_is_one_table_or_a_refusal_naming_json(demo_here: Any) -> None:
    """Every example's CSV is one table (one header line, then rows of its width), or the
    command refuses csv with one line naming --format json (exit 2)."""
    import csv
    import io

    failures: list[str] = []
    refused = 0
    for _path, args in EXAMPLES:
        argv = [*_absolute(_strip_format(args)), "--format", "csv"]
        result = demo_here(*argv)
        where = " ".join(argv)
        if "several sections" in result.stderr:
            refused += 1
            if result.exit_code != 2 or "--format json" not in result.stderr:
                failures.append(f"{where}: refusal without exit 2 naming --format json")
            if result.stdout:
                failures.append(f"{where}: refused csv but wrote data")
            continue
        if not result.stdout.strip():
            continue
        rows = list(csv.reader(io.StringIO(result.stdout)))
        widths = {len(r) for r in rows if r}
        if len(widths) > 1:
            failures.append(f"{where}: rows of {sorted(widths)} cells (several tables?)")
    assert refused > 0
    assert failures == [], "\n".join(failures)


# ---------------------------------------------------------------- --fields


def test_fields_select_columns_in_every_format(demo_cli: Any) -> None:
    args = ("nomenclature", "list", "--article", "2", "--date", "2026-01-01")
    as_json = demo_cli(*args, "--format", "json", "--fields", "code,fee")
    assert as_json.exit_code == 0, as_json.stderr
    rows = as_json.json()
    assert rows and all(list(r) == ["code", "fee"] for r in rows)
    as_csv = demo_cli("--fields", "fee,code", *args, "--format", "csv")  # global, before
    assert as_csv.stdout.splitlines()[0] == "fee,code"
    ndjson = demo_cli(*args, "--format", "ndjson", "--fields", "code")
    assert all(list(r) == ["code"] for r in ndjson.ndjson())
    table = demo_cli(*args, "--format", "table", "--fields", "code")
    assert table.stdout.split()[0] == "code" and "fee" not in table.stdout


def test_an_unknown_field_is_exit_2_listing_the_available_ones(demo_cli: Any) -> None:
    result = demo_cli("nomenclature", "list", "--format", "json", "--fields", "code,colour")
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "--fields: unknown field(s) colour; available: code," in line and "fee" in line


def test_fields_on_a_batch_and_an_export(demo_cli: Any) -> None:
    text = "code,date,regime\n101076,2026-03-02,ordinary\n101076,2026-03-02,preferential\n"
    for fmt in ("csv", "json", "ndjson"):
        result = demo_cli(
            "reimburse", "batch", "-", "--format", fmt, "--fields", "line,fee,status", input=text
        )
        assert result.exit_code == 0, result.stderr
        if fmt == "csv":
            assert result.stdout.splitlines() == ["line,fee,status", "2,33.73,ok", "3,33.73,ok"]
        else:
            rows = result.json() if fmt == "json" else result.ndjson()
            assert rows == [
                {"line": 2, "fee": Decimal("33.73"), "status": "ok"},
                {"line": 3, "fee": Decimal("33.73"), "status": "ok"},
            ]
    bad = demo_cli("reimburse", "batch", "-", "--fields", "line,colour", input=text)
    assert bad.exit_code == 2 and "available: line," in bad.stderr and bad.stdout == ""
    export = demo_cli("nomenclature", "export", "--format", "json", "--fields", "code,fee,dmg")
    rows = export.json()
    assert rows and set(rows[0]) == {"code", "fee", "dmg"}
    assert all(isinstance(r["fee"], Decimal) for r in rows if r["fee"] is not None)
    assert {r["dmg"] for r in rows} <= {True, False, None}


# ---------------------------------------------------------------- batches


def test_batch_json_is_one_array_and_summary_json_follows_the_data(demo_cli: Any) -> None:
    text = "niss\n85061508234\n85073003328\n"
    result = demo_cli(
        "insured", "batch", "-", "--date", "2026-03-02", "--format", "json", "--summary-json",
        input=text,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr  # the unknown person is an answer
    end = result.stdout.index("\n]\n") + 3
    data, summary = result.stdout[:end], result.stdout[end:]
    rows = json.loads(data)
    assert [r["insured"] for r in rows] == [True, False]
    counts = json.loads(summary)
    assert list(counts)[:6] == ["rows", "ok", "refused", "rejected", "warnings", "seconds"]
    assert (counts["rows"], counts["ok"], counts["refused"], counts["rejected"]) == (2, 1, 1, 0)
    empty = demo_cli("insured", "batch", "-", "--format", "json", input="niss\n")
    assert json.loads(empty.stdout) == []


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (("reimburse", "batch", "-"), "code,date,regime\n101076,2026-03-02,ordinary\n"),
        (("insured", "batch", "-", "--date", "2026-03-02"), "niss\n85061508234\n"),
        (("control", "audit", "-", "--billed-on", "2025-04-01"),
         "provider_id,niss,code,date,reimbursement_claimed\n19001706004,72110313704,101076,2025-03-03,26.84\n"),
    ],
    ids=["reimburse", "insured", "control"],
)  # fmt: skip
def test_every_batch_summary_has_the_same_keys(demo_cli: Any, args: Any, text: str) -> None:
    result = demo_cli(*args, "--format", "csv", "--summary-json", input=text)
    assert result.exit_code == 0, result.stderr
    counts = json.loads(result.stdout.splitlines()[-1])
    assert list(counts)[:6] == ["rows", "ok", "refused", "rejected", "warnings", "seconds"]
    text_summary = demo_cli(*args, "--format", "csv", input=text)
    assert "1 rows: 1 ok, 0 refused, 0 rejected, 0 warnings, " in text_summary.stderr


# ---------------------------------------------------------------- exit codes for cron

FILE_COMMANDS = (
    ("nomenclature", "import"), ("nomenclature", "act-rules", "import"),
    ("nomenclature", "check"), ("reimburse", "batch"), ("insured", "batch"),
    ("person", "import"), ("entitlement", "import"), ("medical-house", "import"),
    ("provider", "import"), ("agreement", "adherence", "import"), ("maf", "counter", "import"),
    ("maf", "params", "import"), ("funding", "input", "import"), ("control", "audit"),
    ("control", "report"), ("indemnity", "batch"), ("indemnity", "params", "import"),
)  # fmt: skip


def test_a_missing_input_file_is_exit_2_for_every_command(demo_cli: Any, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    for command in FILE_COMMANDS:
        extra = ("--year", "2026") if command[0] == "funding" else ()
        result = demo_cli(*command, str(missing), *extra)
        assert result.exit_code == 2, (command, result.stderr)
        assert str(missing) in result.stderr and result.stdout == "", command


def test_an_overlap_with_stored_periods_is_exit_4_for_every_import(
    demo_cli: Any, tmp_path: Path
) -> None:
    """As set-tariff and entitlement set (README, exit codes): an import that would overlap
    a stored period is a conflict (4), not a malformed file (2); nothing is written."""
    tariffs = tmp_path / "tariffs.csv"
    tariffs.write_text(
        "code,valid_from,valid_to,fee,regime,reimbursement\n"
        "101076,2024-07-01,2025-06-30,32.00,ordinary,26.00\n",
        encoding="utf-8",
    )
    shown = demo_cli("nomenclature", "show", "101076", "--history", "--format", "json")
    result = demo_cli("nomenclature", "import", str(tariffs))
    assert result.exit_code == 4, result.stderr
    assert f"{tariffs}:2: " in result.stderr and "overlaps the recorded period" in result.stderr
    assert demo_cli("nomenclature", "show", "101076", "--history", "--format", "json").stdout == (
        shown.stdout
    )
    rights = tmp_path / "rights.csv"
    rights.write_text(
        "niss,kind,valid_from,valid_to,detail\n85061508234,dmg,2026-02-01,,x\n", encoding="utf-8"
    )
    clash = demo_cli("entitlement", "import", str(rights))
    assert clash.exit_code == 4 and f"{rights}:2: dmg of 85061508234" in clash.stderr
    both = tmp_path / "both.csv"  # a malformed line too: exit 2 (the file is broken)
    both.write_text(rights.read_text() + "85061508234,dmg,someday,,x\n", encoding="utf-8")
    assert demo_cli("entitlement", "import", str(both)).exit_code == 2


def test_fields_on_a_fixed_layout_is_said_not_silently_ignored(demo_cli: Any) -> None:
    fixed = demo_cli("meeting", "minutes", "1", "--fields", "code")
    assert fixed.exit_code == 0, fixed.stderr
    assert "inami: warning: --fields: this command's output has fixed columns" in fixed.stderr
    chosen = demo_cli("nomenclature", "list", "--fields", "code", "--format", "csv")
    assert chosen.exit_code == 0 and "--fields" not in chosen.stderr
