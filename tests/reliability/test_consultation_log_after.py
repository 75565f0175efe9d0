"""The consultation log of the commands that show a person's data beyond ``insured``,
``reimburse --niss`` and the person lists (issue 20, "Secrets and audit"): MAF status and
computation, counters and households, the indemnity commands on a NISS, medical-house
enrolments. The answer is read in a read-only transaction and shown first; its log line is
written afterwards in a transaction of its own, so a busy database never holds the answer:
the line waits in the spool file and the next command that logs writes it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.reliability.conftest import proc_env, run_inami, write_config
from tests.reliability.test_secrets_and_audit import _consultations, _os_user

ANOUK = "88041212236"  # fixtures/indemnities: a white-collar employee in primary incapacity
MAF_PERSON = "72110313704"  # fixtures: a member of household H1 (2024)
READS = [
    (["maf", "status", MAF_PERSON, "--year", "2024", "--on", "2024-09-30"], MAF_PERSON),
    (["maf", "compute", "--niss", MAF_PERSON, "--year", "2024"], MAF_PERSON),
    (["maf", "household", "show", "H1", "--year", "2024"], "H1"),
    (["maf", "counter", "list", "--niss", MAF_PERSON], MAF_PERSON),
    (["indemnity", "compute", ANOUK, "--on", "2026-03-02"], ANOUK),
    (["indemnity", "period", ANOUK, "--from", "2026-02-02", "--to", "2026-02-28"], ANOUK),
    (["indemnity", "stage", ANOUK, "--days-worked", "170", "--assimilated-days", "15"], ANOUK),
    (["indemnity", "episode", "list", ANOUK], ANOUK),
    (["medical-house", "list", MAF_PERSON], MAF_PERSON),
]


@pytest.mark.parametrize(("argv", "subject"), READS, ids=[" ".join(a[:2]) for a, _ in READS])
def test_each_read_of_a_persons_data_is_logged_after_the_answer(
    demo_cli: Cli, argv: list[str], subject: str, tmp_path: Path
) -> None:
    config = write_config(
        tmp_path / "inami.toml", '[audit]\nlog_consultations = true\noperator = "desk-7"\n'
    )
    before = _consultations(demo_cli.db_url or "")
    env = {"XDG_DATA_HOME": str(tmp_path / "share")}
    result = demo_cli("--config", str(config), "--format", "json", *argv, env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()  # the answer itself
    new = _consultations(demo_cli.db_url or "")[len(before) :]
    assert len(new) == 1, new
    got, operator, declared, command = new[0]
    assert got == subject and command.startswith("inami ") and " ".join(argv) in command
    assert (operator, declared) == (_os_user(), "desk-7")
    quiet = demo_cli("--format", "json", *argv, env=env)  # log_consultations off: no line
    assert quiet.exit_code == 0 and _consultations(demo_cli.db_url or "") == before + new


def test_a_busy_database_never_holds_the_answer(demo_file: Path, tmp_path: Path) -> None:
    """Another process holds the write lock: the answer is shown at once (exit 0), the log
    line is spooled with one warning; the next command that logs writes it too."""
    config = write_config(
        tmp_path / "inami.toml",
        "[audit]\nlog_consultations = true\n[database]\nbusy_timeout_ms = 200\n",
    )
    share = tmp_path / "share"
    env = proc_env(f"sqlite:///{demo_file}", XDG_DATA_HOME=str(share))
    argv = ("--config", str(config), "--format", "json", "indemnity", "compute", ANOUK, "--on",
            "2026-03-02")  # fmt: skip
    holder = sqlite3.connect(demo_file, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # the write lock, as a long import holds it
        busy = run_inami(*argv, env=env)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert busy.returncode == 0, busy.stderr
    assert json.loads(busy.stdout)["daily_amount"] == 90.0
    assert "1 consultation log line(s) could not be written (database busy)" in busy.stderr
    spool = share / "inami-cli" / "desk-consultations.ndjson"
    assert json.loads(spool.read_text(encoding="utf-8"))["subject"] == ANOUK
    assert _consultations(f"sqlite:///{demo_file}") == []
    again = run_inami(*argv, env=env)
    assert again.returncode == 0, again.stderr
    assert [row[0] for row in _consultations(f"sqlite:///{demo_file}")] == [ANOUK, ANOUK]
    assert not spool.exists()
