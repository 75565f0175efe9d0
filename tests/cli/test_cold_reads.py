"""The one-shot reads import no SQLModel (issue 19): the real command in a fresh process,
its output the same as in this process (where SQLModel, wcwidth and every table class are
loaded), on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

SCRIPT = """
import sys
from inami_cli.cli.app import run
code = run(sys.argv[1:])
sys.stdout.flush()
heavy = sorted(m for m in ("sqlmodel", "sqlalchemy.orm", "inami_cli.db.models") if m in sys.modules)
print("\\nexit", code, "loaded", ",".join(heavy) or "-", file=sys.stderr)
"""

COMMANDS = [
    ("nomenclature", "show", "101076", "--date", "2026-03-02"),
    ("nomenclature", "show", "560011", "--history", "--format", "json"),
    ("nomenclature", "search", "consultation médecin"),
    ("insured", "85061508234", "--date", "2026-03-02"),
    ("insured", "90090906467", "--from", "2024-01-01", "--to", "2025-06-30", "--format", "json"),
    ("insured", "85073003328", "--date", "2026-03-02"),  # nobody: exit 1
    ("reimburse", "101076", "--date", "2026-03-02", "--regime", "preferential", "--dmg",
     "--age", "40", "--explain"),
    ("reimburse", "101076", "560011", "--date", "2026-03-02", "--niss", "16042205863"),
]  # fmt: skip


def _fresh(db_url: str, *args: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, "--db", db_url, *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    *err, last = done.stderr.rstrip("\n").split("\n")
    words = last.split()
    assert words[0] == "exit", done.stderr
    assert words[3] == "-", f"{args}: imported {words[3]}"
    return int(words[1]), done.stdout, "\n".join(err).rstrip("\n")


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_one_shot_read_imports_no_sqlmodel(demo_cli: Any, demo_db_url: str, args: Any) -> None:
    code, out, err = _fresh(demo_db_url, *args)
    here = demo_cli(*args)
    assert (code, out) == (here.exit_code, here.stdout)
    assert err == here.stderr.rstrip("\n")


def test_a_recorded_case_still_uses_the_models(demo_db_url: str) -> None:
    args = ("reimburse", "101076", "--date", "2026-03-02", "--niss", "85061508234", "--record")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.replace('or "-"', "or '-'"), "--db", demo_db_url, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "exit 0 loaded inami_cli.db.models,sqlalchemy.orm,sqlmodel" in done.stderr
    assert "recorded 1 case(s)" in done.stderr


# The console script's own entry point (``main``), which pauses the cyclic garbage collector
# for the start-up; the last lines on stderr say whether it is on when the command ends: at
# the exit handlers, then at ``os._exit`` (``cli.outcome.leave``: no interpreter teardown).
MAIN = """
import atexit, gc, os, sys
state = lambda: "gc " + ("on" if gc.isenabled() else "off")
atexit.register(lambda: print(state(), "exit", file=sys.stderr))
real_exit = os._exit
def quick_exit(code):
    print(state(), "os._exit", code, file=sys.stderr, flush=True)
    real_exit(code)
os._exit = quick_exit
from inami_cli.cli.app import main
main()
"""


def _main(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run(
        [sys.executable, "-c", MAIN, "--db", db_url, *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_a_one_shot_read_runs_without_the_cyclic_collector(demo_cli: Any, demo_db_url: str) -> None:
    """``main`` pauses the collector for the start-up, and a one-shot read never resumes it
    (issue 19: a seventh of its CPU), nor tears the interpreter down at the end (a quarter);
    the answer and the exit code are the same, an error's message too."""
    args = ("reimburse", "101076", "--date", "2026-03-02", "--niss", "85061508234")
    done = _main(demo_db_url, *args)
    assert (done.returncode, done.stdout) == (0, demo_cli(*args).stdout)
    assert done.stderr.splitlines()[-2:] == ["gc off exit", "gc off os._exit 0"]
    args = ("insured", "85073003328", "--date", "2026-03-02")  # nobody: exit 1
    done = _main(demo_db_url, *args)
    here = demo_cli(*args)
    assert (done.returncode, done.stdout) == (1, here.stdout)
    assert done.stderr.splitlines() == [
        *here.stderr.splitlines(),
        "gc off exit",
        "gc off os._exit 1",
    ]


def test_a_command_with_a_session_resumes_the_collector(demo_db_url: str) -> None:
    """A command that opens an ORM session (a write here; also every import and batch, and
    the desk) may run long: the collector is on again for its work."""
    done = _main(
        demo_db_url, "reimburse", "101076", "--date", "2026-03-02", "--niss", "85061508234",
        "--record",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-2:] == ["gc on exit", "gc on os._exit 0"]


def test_a_wide_table_is_measured_with_wcwidth() -> None:
    """A table with wide characters renders, in a process that first rendered narrow tables
    without loading wcwidth, as tabulate renders it with wcwidth (its usual mode)."""
    rows = '[["101076", "Consultation au cabinet, médecin"], ["漢字", "ünïcödé — «x»"]]'
    ours = f"""
import sys
from inami_cli.render.table import table_text
rows = {rows}
table_text(["code", "label"], rows[:1], style="simple", width=None, colour=False)
print("wcwidth" in sys.modules)
print(table_text(["code", "label"], rows, style="simple", width=None, colour=False))
print(table_text(None, rows, style="simple", width=None, colour=False))
"""
    reference = f"""
import wcwidth, tabulate
assert tabulate.WIDE_CHARS_MODE
rows = {rows}
print(False)
print(tabulate.tabulate(rows, headers=["code", "label"], disable_numparse=True))
print(tabulate.tabulate(rows, tablefmt="simple", disable_numparse=True))
"""
    outputs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        for code in (ours, reference)
    ]
    assert outputs[0].stdout == outputs[1].stdout
    assert outputs[0].stdout.startswith("False\n")  # narrow tables did not import wcwidth
    assert "漢字    ünïcödé" in outputs[0].stdout  # two columns a character, padded as such
