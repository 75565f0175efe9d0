"""Audit completeness: every command that writes leaves audit rows (operator, time, command,
before/after); read-only commands change nothing; nothing can change the audit log.

The command tree is walked from the typer app: a new command fails
``test_every_command_is_classified`` until it is added to WRITES (with a way to run it) or
to READS / NO_DATA here.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.helpers import decision_record_argv
from tests.reliability.commands import (
    CASS_VOTES,
    decision_tariff_argv,
    leaf_commands,
    set_tariff_argv,
)
from tests.reliability.conftest import copy_db, persons_csv, snapshot, tariff_csv, valid_code

pytestmark = pytest.mark.slow

OPERATOR = "audit-test-operator"


def _os_user() -> str:
    import os
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def _new_niss() -> str:
    from tests.reliability.conftest import niss_for

    return niss_for(123_457)


Recipe = list[list[str]]  # setup command lines..., then the command under test

# Every command that writes data, with a command line that changes something on the demo
# database (preceded by setup steps when it needs some).
WRITES: dict[tuple[str, ...], Recipe] = {
    ("init",): [["init", "--demo"]],  # run on an empty database (see _database_for)
    ("committee", "sync"): [["committee", "sync", "--file", "committees.toml"]],
    ("person", "add"): [["person", "add", _new_niss(), "--last-name", "Audit"]],
    ("person", "update"): [["person", "update", "85061508234", "--first-name", "Sophia"]],
    ("person", "import"): [["person", "import", "members.csv"]],
    ("affiliation", "add"): [
        ["person", "add", _new_niss(), "--last-name", "Audit"],
        [
            "affiliation",
            "add",
            _new_niss(),
            "--insurer",
            "300",
            "--member",
            "77",
            "--ct1",
            "110",
            "--from",
            "2026-01-01",
        ],
    ],
    ("affiliation", "end"): [["affiliation", "end", "85061508234", "--date", "2026-12-31"]],
    ("affiliation", "transfer"): [
        [
            "affiliation",
            "transfer",
            "85061508234",
            "--to",
            "500",
            "--member",
            "5017730",
            "--date",
            "2027-01-01",
        ],
    ],
    ("entitlement", "set"): [
        ["entitlement", "set", "85061508234", "chronic", "--from", "2026-01-01"]
    ],
    ("entitlement", "end"): [["entitlement", "end", "85061508234", "bim", "--date", "2026-12-31"]],
    ("entitlement", "import"): [["entitlement", "import", "entitlements.csv"]],
    ("medical-house", "add"): [
        [
            "medical-house",
            "add",
            "72110313704",
            "--house",
            "Linde",
            "--disciplines",
            "gp",
            "--from",
            "2026-01-01",
        ],
    ],
    ("medical-house", "end"): [
        [
            "medical-house",
            "add",
            "72110313704",
            "--house",
            "Linde",
            "--disciplines",
            "gp",
            "--from",
            "2026-01-01",
        ],
        ["medical-house", "end", "72110313704", "--date", "2026-12-31"],
    ],
    ("medical-house", "import"): [["medical-house", "import", "medical_houses.csv"]],
    ("nomenclature", "act-rules", "set"): [
        ["nomenclature", "act-rules", "set", "301593", "--from", "2027-01-01", "--min-age", "18"]
    ],
    ("nomenclature", "act-rules", "import"): [["nomenclature", "act-rules", "import", "rules.csv"]],
    ("nomenclature", "add"): [
        ["nomenclature", "add", valid_code(10999), "--label-fr", "Acte", "--label-nl", "Akte"]
    ],
    ("nomenclature", "update"): [
        ["nomenclature", "update", "101076", "--label-fr", "Consultation (audit test)"]
    ],
    ("nomenclature", "retire"): [["nomenclature", "retire", "101010", "--from", "2027-01-01"]],
    ("nomenclature", "set-tariff"): [set_tariff_argv()],
    ("nomenclature", "import"): [["nomenclature", "import", "tariffs.csv"]],
    ("nomenclature", "index"): [["nomenclature", "index", "--rate", "2", "--from", "2027-01-01"]],
    ("nomenclature", "key-letter", "set"): [
        ["nomenclature", "key-letter", "set", "N265", "--from", "2026-01-01", "--value", "3.5"]
    ],
    ("member", "add"): [
        [
            "member",
            "add",
            "CASS",
            "--name",
            "Audit Member",
            "--group",
            "doctors_dentists",
            "--from",
            "2026-01-01",
            "--role",
            "substitute",
        ],
    ],
    ("member", "end"): [["member", "end", "1", "--date", "2026-12-31"]],
    ("meeting", "add"): [["meeting", "add", "CASS", "--date", "2026-06-01", "--title", "Audit"]],
    ("meeting", "attend"): [
        ["meeting", "add", "CASS", "--date", "2026-06-01"],
        ["meeting", "attend", "3", "--present", "1,2,3"],
    ],
    ("meeting", "close"): [["meeting", "close", "1"]],
    ("decision", "record"): [
        [*decision_record_argv("1", "Audit", "budget"), "--votes", CASS_VOTES],
    ],
    ("decision", "apply"): [
        decision_tariff_argv("Audit", "decision.csv"),
        ["decision", "apply", "CASS 2026/003"],
    ],
    ("decision", "revise"): [
        ["decision", "revise", "CASS 2026/002", "--reason", "typo", "--title", "Budget (fixed)"]
    ],
    ("decision", "step", "add"): [
        [
            "decision",
            "step",
            "add",
            "--body",
            "CTM",
            "--kind",
            "proposal",
            "--date",
            "2026-01-05",
            "--dossier",
            "AUDIT-1",
        ],
    ],
    ("reimburse", "batch"): [["reimburse", "batch", "cases.csv", "--record"]],
    ("provider", "add"): [
        [
            "provider",
            "add",
            "19006654004",
            "--profession",
            "doctor",
            "--last-name",
            "Audit",
            "--from",
            "2024-01-01",
        ],
    ],
    ("provider", "update"): [["provider", "update", "19001706004", "--first-name", "Claire-A"]],
    ("provider", "import"): [["provider", "import", "providers.csv"]],
    ("agreement", "add"): [
        ["agreement", "add", "doctors-2028", "--profession", "doctor", "--from", "2028-01-01"]
    ],
    ("agreement", "update"): [["agreement", "update", "physio-m25", "--to", "2025-12-31"]],
    ("agreement", "adherence", "set"): [
        ["agreement", "adherence", "set", "doctors-2026-2027", "19003387003", "--status", "refused"]
    ],
    ("agreement", "adherence", "import"): [["agreement", "adherence", "import", "adherence.csv"]],
    ("maf", "household", "add"): [
        ["maf", "household", "add", "--year", "2024", "--member", "60013021159"]
    ],
    ("maf", "household", "set-income"): [
        ["maf", "household", "set-income", "H1", "--year", "2024", "--net-taxable", "31000"]
    ],
    ("maf", "household", "remove"): [["maf", "household", "remove", "H2", "--year", "2024"]],
    ("maf", "counter", "add"): [
        [
            *("maf", "counter", "add", "--niss", "85061508234", "--date", "2024-10-02"),
            *("--kind", "drug-B", "--tm", "14.20"),
        ]
    ],
    ("maf", "counter", "remove"): [["maf", "counter", "remove", "1"]],
    ("maf", "counter", "import"): [["maf", "counter", "import", "maf_counters.csv"]],
    ("maf", "params", "set"): [
        [
            *("maf", "params", "set", "--year", "2025", "--name", "social_ceiling"),
            *("--value", "527.26", "--source", "audit test"),
        ]
    ],
    ("maf", "params", "import"): [["maf", "params", "import", "maf_params.csv"]],
    ("funding", "budget", "set"): [
        [
            *("funding", "budget", "set", "--year", "2027", "--objective", "42000000000"),
            *("--source", "audit test"),
        ]
    ],
    ("funding", "input", "import"): [
        ["funding", "input", "import", "funding.csv", "--year", "2027"]
    ],
    ("indemnity", "params", "set"): [
        [
            "indemnity",
            "params",
            "set",
            "employee.minimum.month3",
            "--from",
            "2026-01-01",
            "--value",
            "64",
            "--unit",
            "EUR/day",
            "--source",
            "https://example.org/audit",
        ],
    ],
    ("indemnity", "params", "import"): [["indemnity", "params", "import", "params.csv"]],
    ("indemnity", "episode", "add"): [
        [
            "indemnity",
            "episode",
            "add",
            "92063031679",
            "--scheme",
            "employee",
            "--from",
            "2026-02-02",
            "--family-situation",
            "family",
        ],
    ],
    ("indemnity", "episode", "end"): [
        ["indemnity", "episode", "end", "79112120429", "--date", "2026-03-20"]
    ],
}

# Commands that only read the data (a sample command line each; they must change nothing).
READS: dict[tuple[str, ...], list[str]] = {
    ("audit", "log"): ["audit", "log", "--limit", "5"],
    ("committee", "list"): ["committee", "list"],
    ("control", "audit"): ["control", "audit", "billing.csv", "--billed-on", "2025-04-01"],
    ("control", "fund"): ["control", "fund", "100", "--sample", "5", "--seed", "1"],
    ("control", "report"): ["control", "report", "billing.csv", "--billed-on", "2025-04-01"],
    ("committee", "show"): ["committee", "show", "CASS"],
    ("committee", "members"): ["committee", "members", "CASS"],
    ("db", "status"): ["db", "status"],
    ("db", "check"): ["db", "check"],
    ("decision", "list"): ["decision", "list"],
    ("decision", "show"): ["decision", "show", "CASS 2026/001"],
    ("decision", "chain"): ["decision", "chain", "CASS 2026/001"],
    ("entitlement", "list"): ["entitlement", "list", "85061508234"],
    ("medical-house", "list"): ["medical-house", "list", "72110313704"],
    ("affiliation", "list"): ["affiliation", "list", "--insurer", "300"],
    ("insured", "check"): ["insured", "check", "85061508234", "--date", "2026-03-02"],
    ("insured", "batch"): ["insured", "batch", "nisses.txt"],
    ("meeting", "list"): ["meeting", "list"],
    ("meeting", "minutes"): ["meeting", "minutes", "1"],
    ("nomenclature", "show"): ["nomenclature", "show", "101076"],
    ("nomenclature", "search"): ["nomenclature", "search", "consultation"],
    ("nomenclature", "list"): ["nomenclature", "list"],
    ("nomenclature", "export"): ["nomenclature", "export"],
    ("nomenclature", "diff"): [
        "nomenclature",
        "diff",
        "--from",
        "2025-06-01",
        "--to",
        "2026-06-01",
    ],
    ("nomenclature", "key-letter", "list"): ["nomenclature", "key-letter", "list"],
    ("nomenclature", "check"): [
        "nomenclature",
        "check",
        str(Path(__file__).resolve().parents[2] / "fixtures" / "published_amounts.csv"),
    ],
    ("nomenclature", "act-rules", "list"): ["nomenclature", "act-rules", "list", "301593"],
    ("person", "show"): ["person", "show", "85061508234"],
    ("desk",): ["desk"],  # interactive: refuses without a terminal, reads when it runs
    # reimburse batch without --record only computes
    ("reimburse", "batch", "(no --record)"): ["reimburse", "batch", "cases.csv"],
    ("provider", "validate"): ["provider", "validate", "19001706004"],
    ("provider", "show"): ["provider", "show", "19001706004"],
    ("provider", "status"): ["provider", "status", "19002595100", "--time", "15:00"],
    ("provider", "list"): ["provider", "list"],
    ("provider", "export"): ["provider", "export"],
    ("agreement", "show"): ["agreement", "show", "doctors-2026-2027"],
    ("agreement", "list"): ["agreement", "list"],
    ("agreement", "stats"): ["agreement", "stats", "doctors-2024-2025"],
    ("agreement", "adherence", "list"): ["agreement", "adherence", "list"],
    ("maf", "compute"): ["maf", "compute", "H1", "--year", "2024", "--explain"],
    ("maf", "status"): ["maf", "status", "72110313704", "--year", "2024"],
    ("maf", "household", "show"): ["maf", "household", "show", "H1", "--year", "2024"],
    ("maf", "household", "list"): ["maf", "household", "list"],
    ("maf", "counter", "list"): ["maf", "counter", "list", "--year", "2024"],
    ("maf", "params", "list"): ["maf", "params", "list", "--year", "2024"],
    ("funding", "budget", "list"): ["funding", "budget", "list"],
    ("funding", "advance"): ["funding", "advance", "--year", "2026"],
    ("funding", "share"): ["funding", "share", "--year", "2026"],
    ("funding", "responsibility"): ["funding", "responsibility", "--year", "2026"],
    ("indemnity", "params", "list"): ["indemnity", "params", "list", "--on", "2026-03-02"],
    ("indemnity", "episode", "list"): ["indemnity", "episode", "list"],
    ("indemnity", "compute"): ["indemnity", "compute", "88041212236", "--on", "2026-03-02"],
    ("indemnity", "period"): [
        "indemnity",
        "period",
        "88041212236",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
    ],
    ("indemnity", "stage"): ["indemnity", "stage", "--start", "2026-01-12", "--days-worked", "9"],
    ("indemnity", "batch"): ["indemnity", "batch", "indemnity-cases.csv"],
    ("maternity", "plan"): ["maternity", "plan", "--expected", "2026-04-20", "--multiple"],
    ("maternity", "compute"): [
        "maternity",
        "compute",
        "--scheme",
        "employee",
        "--start",
        "2024-08-05",
        "--gross-daily",
        "150",
    ],
    ("birth-leave", "compute"): [
        "birth-leave",
        "compute",
        "--birth",
        "2025-03-01",
        "--gross-daily",
        "150",
    ],
    ("adoption-leave", "plan"): ["adoption-leave", "plan", "--registration", "2025-05-02"],
    ("funeral", "check"): [
        "funeral",
        "check",
        "--death-date",
        "2012-12-31",
        "--deceased-status",
        "employee-entitled",
    ],
    ("miners", "pension"): [
        "miners",
        "pension",
        "--on",
        "2024-06-01",
        "--work",
        "surface",
        "--status",
        "married",
    ],
}

# Commands that touch no data rows: configuration files, backups, schema administration.
NO_DATA: dict[tuple[str, ...], list[str]] = {
    ("config", "path"): ["config", "path"],
    ("config", "show"): ["config", "show"],
    ("config", "get"): ["config", "get", "output.format"],
    ("config", "set"): ["config", "set", "output.format", "json"],
    ("config", "init"): ["config", "init", "--force"],
    ("db", "init"): ["db", "init"],
    ("db", "upgrade"): ["db", "upgrade"],
    ("db", "backup"): ["db", "backup", "backup.db"],
    ("completion",): ["completion", "bash"],  # the script; its candidates are codes, names
    ("control", "codes"): ["control", "codes"],  # the finding codes: data shipped in the code
    # pure rules: no database at all
    ("control", "fine"): [
        "control",
        "fine",
        "--article",
        "73bis-1",
        "--indu",
        "10",
        "--rate",
        "50",
    ],
    ("control", "prescription"): ["control", "prescription", "--service-date", "2023-11-14"],
}


def test_every_command_is_classified():
    tree = set(leaf_commands())
    known = set(WRITES) | {k for k in READS if "(no --record)" not in k} | set(NO_DATA)
    assert tree - known == set(), "new command(s): add them to WRITES, READS or NO_DATA"
    assert known - tree == set(), "command(s) gone from the CLI: remove them here"
    overlap = set(WRITES) & set(READS) | set(WRITES) & set(NO_DATA) | set(READS) & set(NO_DATA)
    assert overlap == set()


def _files(work: Path) -> None:
    """The input files the recipes name, in the cwd."""
    (work / "members.csv").write_text(persons_csv(range(900, 903)), encoding="utf-8")
    (work / "tariffs.csv").write_text(tariff_csv(range(41000, 41003)), encoding="utf-8")
    (work / "entitlements.csv").write_text(
        "niss,kind,valid_from,valid_to,detail\n72110313704,chronic,2026-01-01,,\n",
        encoding="utf-8",
    )
    (work / "rules.csv").write_text(
        "code,valid_from,valid_to,min_age,max_age,source\n371615,2022-06-01,,,17,audit\n",
        encoding="utf-8",
    )
    (work / "medical_houses.csv").write_text(
        "niss,house,disciplines,valid_from,valid_to\n72110313704,Linde,gp+physio,2026-01-01,\n",
        encoding="utf-8",
    )
    (work / "decision.csv").write_text(
        "code,valid_from,valid_to,fee,regime,reimbursement,source\n"
        "101076,2027-01-01,,35.00,ordinary,25.00,audit test\n",
        encoding="utf-8",
    )
    (work / "cases.csv").write_text(
        "code,date,niss\n101076,2026-03-02,85061508234\n", encoding="utf-8"
    )
    (work / "nisses.txt").write_text("85061508234\n72110313704\n", encoding="utf-8")
    (work / "providers.csv").write_text(
        "nihii,profession,last_name,valid_from\n19006654004,doctor,Audit,2024-01-01\n",
        encoding="utf-8",
    )
    (work / "adherence.csv").write_text(
        "agreement,nihii,status\ndoctors-2026-2027,19003387003,refused\n", encoding="utf-8"
    )
    (work / "maf_counters.csv").write_text(
        "niss,date,kind,tm\n85061508234,2024-11-02,drug-A,3.10\n", encoding="utf-8"
    )
    (work / "maf_params.csv").write_text(
        "year,name,value,reliability,source\n2025,child_ceiling,761.59,derived,audit test\n",
        encoding="utf-8",
    )
    (work / "billing.csv").write_text(
        "provider_id,niss,code,date,reimbursement_claimed\n"
        "19001706004,72110313704,101076,2025-03-03,26.84\n",
        encoding="utf-8",
    )
    (work / "funding.csv").write_text("insurer_code,budgeted\n300,1200.00\n", encoding="utf-8")
    (work / "params.csv").write_text(
        "name,valid_from,valid_to,value,unit,source,reliability\n"
        "employee.minimum.month3,2026-01-01,,64,EUR/day,https://example.org/audit,official\n",
        encoding="utf-8",
    )
    (work / "indemnity-cases.csv").write_text("on,niss\n2026-03-02,88041212236\n", encoding="utf-8")
    from inami_cli.services.committees import default_committees_path

    rules = default_committees_path().read_text(encoding="utf-8")
    changed = rules.replace(
        'name_fr = "Comité général de gestion"', 'name_fr = "Comité général de gestion (audit)"'
    )
    assert changed != rules
    (work / "committees.toml").write_text(changed, encoding="utf-8")
    (work / "inami.toml").write_text(f'[audit]\noperator = "{OPERATOR}"\n', encoding="utf-8")


def _audit_rows(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(conn.execute("SELECT * FROM audit_entry ORDER BY id"))
    finally:
        conn.close()


def _columns(db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [r[1] for r in conn.execute("PRAGMA table_info(audit_entry)")]
    finally:
        conn.close()


def _database_for(path: tuple[str, ...], tmp: Path, demo: Path, empty: Path) -> Path:
    return copy_db(empty if path == ("init",) else demo, tmp / "audit.db")


@pytest.mark.parametrize("path", sorted(WRITES), ids=" ".join)
def test_each_write_command_leaves_complete_audit_rows(
    path: tuple[str, ...],
    tmp_path: Path,
    isolated_env: Path,
    sqlite_demo_template: Path,
    sqlite_template: Path,
):
    _files(isolated_env)
    db = _database_for(path, tmp_path, sqlite_demo_template, sqlite_template)
    cli = Cli(f"sqlite:///{db}")
    env = {"INAMI_CONFIG": str(isolated_env / "inami.toml")}
    *setup, under_test = WRITES[path]
    for argv in setup:
        done = cli(*argv, env=env)
        assert done.exit_code == 0, (argv, done.stderr)
    before_rows = _audit_rows(db)
    before = snapshot(db)
    started = datetime.now(UTC) - timedelta(seconds=2)
    result = cli(*under_test, env=env)
    assert result.exit_code == 0, result.stderr
    after = snapshot(db)
    changed = {t for t in after if after[t] != before.get(t)} - {"audit_entry"}
    assert changed, f"{' '.join(path)} changed no data: fix its recipe"
    rows = _audit_rows(db)
    assert rows[: len(before_rows)] == before_rows, "earlier audit rows were changed"
    new = [dict(zip(_columns(db), r, strict=True)) for r in rows[len(before_rows) :]]
    assert new, f"{' '.join(path)} changed {sorted(changed)} without an audit row"
    for row in new:
        # the OS user is the author; the configured operator is recorded beside it
        assert row["operator"] == _os_user(), row
        assert row["declared_operator"] == OPERATOR, row
        at = datetime.fromisoformat(str(row["at"]))
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        assert started <= at <= datetime.now(UTC) + timedelta(seconds=2), row
        assert str(row["command"]).startswith("inami "), row
        assert all(word in str(row["command"]) for word in path), row
        assert row["action"] in ("insert", "update", "delete"), row
        assert row["entity"] and row["key"], row
        if row["action"] in ("insert", "update"):
            assert row["after_json"] is not None, row
            assert isinstance(json.loads(str(row["after_json"])), dict), row
        if row["action"] in ("update", "delete"):
            assert row["before_json"] is not None, row
            assert isinstance(json.loads(str(row["before_json"])), dict), row
        if row["action"] == "update":
            assert row["before_json"] != row["after_json"], row


@pytest.mark.parametrize("path", sorted(READS), ids=" ".join)
def test_read_only_commands_change_nothing(
    path: tuple[str, ...], tmp_path: Path, isolated_env: Path, sqlite_demo_template: Path
):
    _files(isolated_env)
    db = copy_db(sqlite_demo_template, tmp_path / "read.db")
    before = snapshot(db)
    result = Cli(f"sqlite:///{db}")(*READS[path])
    assert "Traceback" not in result.stderr
    assert result.exit_code in (0, 1, 2), result.stderr  # desk: exit 2 without a terminal
    assert snapshot(db) == before


@pytest.mark.parametrize("path", sorted(NO_DATA), ids=" ".join)
def test_administrative_commands_change_no_data(
    path: tuple[str, ...], tmp_path: Path, isolated_env: Path, sqlite_demo_template: Path
):
    db = copy_db(sqlite_demo_template, tmp_path / "admin.db")
    before = snapshot(db)
    result = Cli(f"sqlite:///{db}")(*NO_DATA[path])
    assert result.exit_code == 0, result.stderr
    assert snapshot(db) == before


def test_the_audit_group_only_reads():
    tree = leaf_commands()
    assert {p for p in tree if p[0] == "audit"} == {("audit", "log")}


def test_no_code_updates_or_deletes_audit_rows():
    """Static guard: no UPDATE/DELETE of audit_entry anywhere in the package (the CLI is
    the only way in, so the audit log only grows)."""
    import inami_cli

    package = Path(inami_cli.__file__).parent
    forbidden = re.compile(
        r"(?:update|delete)\(\s*(?:models\.)?AuditEntry"
        r"|(?:DELETE\s+FROM|UPDATE|TRUNCATE)\s+\"?audit_entry"
        r"|session\.delete\(\s*(?:entry|audit)",
        re.IGNORECASE,
    )
    offenders = [
        f"{source.relative_to(package)}:{text.count(chr(10), 0, match.start()) + 1}"
        for source in package.rglob("*.py")
        if "migrations" not in source.parts
        for text in [source.read_text(encoding="utf-8")]
        for match in forbidden.finditer(text)
    ]
    assert offenders == []


def test_every_write_leaves_earlier_audit_rows_untouched(
    tmp_path: Path, isolated_env: Path, sqlite_demo_template: Path
):
    """All write recipes one after the other on one database: the audit log only grows."""
    _files(isolated_env)
    db = copy_db(sqlite_demo_template, tmp_path / "all.db")
    cli = Cli(f"sqlite:///{db}")
    env = {"INAMI_CONFIG": str(isolated_env / "inami.toml")}
    first = _audit_rows(db)
    seen = first
    for path, recipe in sorted(WRITES.items()):
        if path == ("init",):
            continue
        for argv in recipe:
            cli(*argv, env=env)  # some setups repeat (already done): only growth matters
        rows = _audit_rows(db)
        assert rows[: len(seen)] == seen, f"{' '.join(path)} changed earlier audit rows"
        seen = rows
    assert len(seen) > len(first)
