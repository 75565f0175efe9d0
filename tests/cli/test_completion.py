"""Shell completion (issue 17): the scripts, and candidates from the database, answered by a
real ``inami`` process as the shell runs it (click's ``_INAMI_COMPLETE`` protocol)."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

INAMI = str(Path(sys.executable).with_name("inami"))


def _complete(url: str, words: str, *, shell: str = "bash") -> list[str]:
    """The candidates ``inami`` offers for the last word of *words* (may end with a space)."""
    env = {
        **os.environ,
        "INAMI_DATABASE_URL": url,
        "_INAMI_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    proc = subprocess.run([INAMI], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc.stdout.split()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_script(cli_nodb, shell):
    result = cli_nodb("completion", shell)
    assert result.exit_code == 0, result.stderr
    assert f"_INAMI_COMPLETE=complete_{shell}" in result.stdout


def test_an_unknown_shell_is_a_usage_error(cli_nodb):
    result = cli_nodb("completion", "tcsh")
    assert result.exit_code == 2
    assert result.stderr.startswith("inami: error: completion: 'tcsh'")


def test_commands_options_and_stored_values_are_completed(demo_db_url):
    url = demo_db_url
    assert _complete(url, "inami nom") == ["nomenclature"]
    assert "--history" in _complete(url, "inami nomenclature show --")
    assert _complete(url, "inami nomenclature show 1010") == ["101010", "101032", "101076"]
    assert _complete(url, "inami reimburse 10107") == ["101076"]
    assert set(_complete(url, "inami member add C")) >= {"CASS", "CNMM", "CTM"}
    decisions = _complete(url, "inami decision show ")
    assert decisions == ["CASS-2026/001", "CASS-2026/002", "CNMM-2026/001"]
    assert "19002595100" in _complete(url, "inami reimburse 101076 --provider-id 1900")
    # persons are never listed: a NISS prefix would enumerate the register, unlogged
    assert _complete(url, "inami insured 850") == []
    assert _complete(url, "inami maf household show H") == ["H1", "H2"]


def test_a_completed_decision_number_is_understood(demo_cli):
    result = demo_cli("--format", "json", "decision", "show", "CASS-2026/001")
    assert result.exit_code == 0, result.stderr
    assert result.json()["number"] == "CASS 2026/001"


def test_no_database_offers_nothing_and_says_nothing(tmp_path):
    assert _complete(f"sqlite:///{tmp_path / 'none.db'}", "inami nomenclature show 10") == []


def test_a_completion_answers_fast(sqlite_demo_template):
    """Under 0.3 s a key press: measured in CPU time (a shared machine's wall time is not)."""
    url = f"sqlite:///{sqlite_demo_template}"
    _complete(url, "inami nomenclature show 1")  # page cache
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert _complete(url, "inami nomenclature show 10107") == ["101076"]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < 0.3, cpu


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_script_completes_in_bash(sqlite_demo_template):
    script = (
        'eval "$(inami completion bash)"\n'
        "COMP_WORDS=(inami nomenclature show 1010); COMP_CWORD=3\n"
        "_inami_completion inami  # bash passes the command name\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {
        **os.environ,
        "PATH": f"{Path(INAMI).parent}:{os.environ['PATH']}",
        "INAMI_DATABASE_URL": f"sqlite:///{sqlite_demo_template}",
    }
    proc = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["101010", "101032", "101076"]


@pytest.mark.parametrize(
    ("shell", "extra", "expected"),
    [
        ("zsh", {}, '"101076"'),
        ("fish", {"_TYPER_COMPLETE_FISH_ACTION": "get-args"}, "101076"),
    ],
)
def test_zsh_and_fish_are_answered(sqlite_demo_template, shell, extra, expected):
    env = {
        **os.environ,
        **extra,
        "INAMI_DATABASE_URL": f"sqlite:///{sqlite_demo_template}",
        "_INAMI_COMPLETE": f"complete_{shell}",  # as the scripts of `inami completion` ask
        "_TYPER_COMPLETE_ARGS": "inami nomenclature show 1010",
    }
    proc = subprocess.run([INAMI], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert expected in proc.stdout and "101032" in proc.stdout
    listing = subprocess.run(
        [INAMI], env={**env, "_TYPER_COMPLETE_ARGS": "inami nomenclature sh"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "Show a code, its tariff on a date" in listing.stdout  # the help beside it
