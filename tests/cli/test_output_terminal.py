"""Output a person reads (issue 17): the common commands' tables fit 80 columns on the demo
data, ``--wide`` shows everything, a view of several tables titles each, colour and the
pager only on a real terminal (pexpect)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest

from inami_cli.render.table import text_width

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
BILLING = str(FIXTURES / "billing_demo.csv")
TIMEOUT = 60
COMMON = [
    ("nomenclature", "show", "101076", "--date", "2026-03-02"),
    ("nomenclature", "show", "560011", "--history"),
    ("nomenclature", "search", "consultation"),
    ("nomenclature", "list", "--article", "2", "--date", "2026-01-01"),
    ("nomenclature", "act-rules", "list", "301593"),
    ("insured", "85061508234", "--date", "2026-03-02"),
    ("insured", "90090906467", "--from", "2024-01-01", "--to", "2025-06-30"),
    ("person", "show", "85061508234"),
    ("reimburse", "101076", "--date", "2026-03-02", "--regime", "preferential", "--dmg",
     "--age", "40"),
    ("reimburse", "101076", "103132", "--niss", "85061508234", "--date", "2024-06-03",
     "--explain"),
    ("reimburse", "105755", "--date", "2025-03-05", "--time", "15:00", "--regime", "ordinary",
     "--provider-id", "1-90025-95-100", "--charged", "45.00", "--explain"),
    ("provider", "show", "1-90025-95-100"),
    ("provider", "list"),
    ("provider", "status", "1-90025-95-100", "--date", "2026-03-05", "--time", "15:00"),
    ("agreement", "list"),
    ("decision", "list"),
    ("committee", "list"),
    ("meeting", "list"),
    ("maf", "status", "72110313704", "--year", "2024", "--on", "2024-09-30"),
    ("maf", "compute", "H1", "--year", "2024"),
    ("maf", "compute", "H1", "--year", "2024", "--explain"),
    ("indemnity", "compute", "65090307106", "--on", "2026-03-02"),
    ("indemnity", "compute", "65090307106", "--on", "2026-03-02", "--explain"),
    ("control", "audit", BILLING, "--billed-on", "2025-04-01"),
    ("control", "report", BILLING),
    ("audit", "log", "--limit", "40"),
]  # fmt: skip


def test_common_commands_fit_80_columns(demo_cli: Any) -> None:
    for args in COMMON:
        done = demo_cli(*args, env={"COLUMNS": "80"})
        assert done.exit_code in (0, 1), (args, done.stderr)
        assert done.stdout.strip(), args
        widest = max(text_width(line) for line in done.stdout.splitlines())
        assert widest <= 80, (args, widest)
        assert "\x1b" not in done.stdout  # never colour when stdout is not a terminal


def test_wide_shows_the_whole_text(demo_cli: Any) -> None:
    label = "Consultation au cabinet par un médecin généraliste agréé accrédité"
    fitted = demo_cli("nomenclature", "list", "--article", "2", env={"COLUMNS": "60"})
    assert fitted.exit_code == 0
    assert "…" in fitted.stdout and label not in fitted.stdout
    assert "101076" in fitted.stdout and "33.73" in fitted.stdout  # codes and amounts whole
    for wide in (
        demo_cli("--wide", "nomenclature", "list", "--article", "2", env={"COLUMNS": "60"}),
        demo_cli("nomenclature", "list", "--article", "2", "--wide", env={"COLUMNS": "60"}),
    ):
        assert wide.exit_code == 0
        assert label in wide.stdout and "…" not in wide.stdout
    # a pipe without COLUMNS: the whole table, as before
    assert label in demo_cli("nomenclature", "list", "--article", "2").stdout


def test_codes_are_never_cut(demo_cli: Any) -> None:
    done = demo_cli("decision", "list", env={"COLUMNS": "80"})
    assert done.exit_code == 0
    for number in ("CASS 2026/001", "CASS 2026/002", "CNMM 2026/001"):
        assert number in done.stdout


def test_a_view_of_several_tables_titles_each(demo_cli: Any) -> None:
    show = demo_cli("nomenclature", "show", "560011", "--history", env={"COLUMNS": "80"})
    assert show.exit_code == 0
    assert "\nReimbursement by profile:\n" in show.stdout
    assert "\nTariff history:\n" in show.stdout
    person = demo_cli("person", "show", "85061508234")
    assert "\nAffiliations:\n" in person.stdout and "\nEntitlements:\n" in person.stdout
    provider = demo_cli("provider", "show", "1-90025-95-100")
    assert "\nQualifications:\n" in provider.stdout
    explain = demo_cli("reimburse", "101076", "--date", "2026-03-02", "--regime", "ordinary",
                       "--explain")  # fmt: skip
    assert "\n101076:\n" in explain.stdout
    # never in machine output
    as_json = demo_cli("nomenclature", "show", "560011", "--history", "--format", "json")
    assert as_json.exit_code == 0 and as_json.json()["code"] == "560011"


# ------------------------------------------------------------------ a real terminal


def _command() -> list[str]:
    script = Path(sys.executable).with_name("inami")
    return [str(script)] if script.exists() else [sys.executable, "-m", "inami_cli"]


def _screen(args: list[str], env: dict[str, str], cwd: Path) -> str:
    cmd = _command()
    child = pexpect.spawn(
        cmd[0], [*cmd[1:], *args], env=env, cwd=str(cwd), encoding="utf-8",
        timeout=TIMEOUT, dimensions=(24, 80),
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus in (0, 1), child.before
    return str(child.before)


@pytest.fixture
def terminal(tmp_path: Path, demo_db_url: str) -> dict[str, str]:
    if not demo_db_url.startswith("sqlite"):
        pytest.skip("one backend is enough for the terminal")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INAMI_")}
    for name in ("NO_COLOR", "COLUMNS", "LINES", "PAGER", "LESS"):
        env.pop(name, None)
    env.update(TERM="xterm", INAMI_DATABASE_URL=demo_db_url)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    # a pager that marks each line it shows
    env["PAGER"] = "sed s/^/PAGED:/"
    return env


def test_pager_for_long_output_on_a_terminal(terminal: dict[str, str], tmp_path: Path) -> None:
    long = ["nomenclature", "list"]  # far taller than 24 lines
    paged = _screen(long, terminal, tmp_path)
    assert "PAGED:101076" in paged
    for off_args, off_env in (
        (["--no-pager", *long], {}),
        ([*long, "--no-pager"], {}),
        (long, {"INAMI_PAGER": ""}),
        (long, {"TERM": "dumb"}),
        ([*long, "--format", "csv"], {}),
    ):
        screen = _screen(off_args, {**terminal, **off_env}, tmp_path)
        assert "101076" in screen and "PAGED" not in screen, (off_args, off_env)
    short = _screen(["meeting", "list"], terminal, tmp_path)  # fits the screen: no pager
    assert "CNMM" in short and "PAGED" not in short
    # the terminal's own width: 80 columns, no line longer
    assert max(text_width(line) for line in paged.splitlines()) <= 80 + len("PAGED:")


def test_colour_for_status_words_on_a_terminal_only(
    terminal: dict[str, str], tmp_path: Path
) -> None:
    args = ["--no-pager", "reimburse", "101076", "--date", "2014-06-01", "--regime", "ordinary"]
    coloured = _screen(args, terminal, tmp_path)
    assert "\x1b[31mrefused\x1b[0m" in coloured
    for off in ({"NO_COLOR": "1"}, {"TERM": "dumb"}):
        screen = _screen(args, {**terminal, **off}, tmp_path)
        assert "refused" in screen and "\x1b[" not in screen, off
    as_json = _screen([*args, "--format", "json"], terminal, tmp_path)
    assert "\x1b[" not in as_json and '"refused"' in as_json


def test_a_table_written_to_a_file_is_whole(demo_cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "audit.txt"
    args = ("control", "audit", BILLING, "--billed-on", "2025-04-01", "--out", str(out))
    done = demo_cli(*args, env={"COLUMNS": "60"})
    assert done.exit_code in (0, 1), done.stderr
    text = out.read_text(encoding="utf-8")
    assert "…" not in text and max(text_width(line) for line in text.splitlines()) > 60
    on_stdout = demo_cli(*args[:-2], env={"COLUMNS": "60"})
    assert max(text_width(line) for line in on_stdout.stdout.splitlines()) <= 60


def test_ctrl_c_in_the_pager_ends_quietly(terminal: dict[str, str], tmp_path: Path) -> None:
    """Ctrl-C reaches the pager and inami alike: inami ignores it while the pager runs and
    ends with exit 0 once the pager quits, as git does (issue 17)."""
    if not Path("/usr/bin/less").exists():
        pytest.skip("less is not installed")
    env = {**terminal, "PAGER": "less"}
    cmd = _command()
    args = ["audit", "log", "--limit", "5000"]  # far more than the pipe holds (64 KiB)
    child = pexpect.spawn(
        cmd[0], [*cmd[1:], *args], env=env, cwd=str(tmp_path), encoding="utf-8",
        timeout=TIMEOUT, dimensions=(24, 80),
    )  # fmt: skip
    child.expect_exact("---")  # the pager shows the first screen; inami waits to write more
    child.sendintr()  # Ctrl-C: SIGINT to the foreground process group (less and inami)
    child.expect_exact([":", "(END)"])
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert "interrupted" not in str(child.before)
    assert child.exitstatus == 0 and child.signalstatus is None


def _table_rows(lines: list[str]) -> list[str]:
    """The rows of the first table of *lines*: after its rule, up to a blank line."""
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    rows = lines[rule + 1 :]
    return rows[: rows.index("")] if "" in rows else rows


def test_lists_stay_tables_at_80_columns(demo_cli: Any) -> None:
    """provider list, decision list and control report at 80 columns: one table (a row a
    line, never one record at a time), headers broken only between words (issue 17)."""
    first = {
        ("provider", "list"): ["formatted", "last_", "first_", "profession", "qual", "accr",
                               "region"],
        ("decision", "list"): ["number", "date", "kind", "title", "state"],
        ("control", "report", BILLING): ["provider_", "peer_group", "lines", "ratio",
                                         "outlier", "billed", "undue"],
    }  # fmt: skip
    for args, header in first.items():
        done = demo_cli(*args, env={"COLUMNS": "80"})
        assert done.exit_code == 0, (args, done.stderr)
        lines = done.stdout.splitlines()
        assert lines[0].split() == header, (args, lines[:3])
        assert max(text_width(line) for line in lines) <= 80
        wide = demo_cli(*args, "--wide").stdout.splitlines()
        rows, whole = _table_rows(lines), _table_rows(wide)
        assert len(rows) == len(whole) > 1, args  # one row a line, every record
        assert [r[:13] for r in rows] == [r[:13] for r in whole]  # the codes, never cut
    providers = demo_cli("provider", "list", env={"COLUMNS": "80"}).stdout
    assert "physiothera" in providers and "qual\n" not in providers
