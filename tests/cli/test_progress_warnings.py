"""Long work on a terminal (issue 17): a progress bar on stderr with rows/s and the ETA, only
for a person at a terminal; warnings summed up past the first ten, all with --verbose, none
with -q."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest

from inami_cli.cli.context import warning_kind
from inami_cli.render.progress import Progress, enabled

HEADER = "code,valid_from,valid_to,fee,regime,dmg,reimbursement,label_fr,label_nl,article"
TIMEOUT = 60


def _bad_digit_codes(n: int) -> str:
    """*n* import rows whose codes break the observed check digit (one warning each)."""
    rows = []
    for i in range(n):
        stem = 40000 + i
        wrong = (stem % 7 + 1) % 10
        rows.append(f"{stem}{wrong},2026-01-01,,20.00,,,15.00,A {i},B {i},2")
    return HEADER + "\n" + "\n".join(rows) + "\n"


def test_warning_kind_drops_place_and_numbers() -> None:
    assert warning_kind("x.csv:12: code 400012: 6th digit 3") == "code #: 6th digit #"
    assert warning_kind("no place here 7") == "no place here #"


def test_many_warnings_print_ten_and_a_count(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text(_bad_digit_codes(25))
    result = cli("nomenclature", "import", str(f))
    assert result.exit_code == 0, result.stderr
    shown = [line for line in result.stderr.splitlines() if "6th digit" in line]
    assert len(shown) == 10 + 1  # ten warnings, and the kind's count
    assert "15 more warning(s) not shown (25 in all; --verbose shows every one)" in result.stderr
    assert "15 × code #: 6th digit" in result.stderr


def test_verbose_prints_every_warning_and_quiet_none(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text(_bad_digit_codes(25))
    verbose = cli("--verbose", "nomenclature", "import", str(f), "--dry-run")
    assert verbose.exit_code == 0, verbose.stderr
    assert verbose.stderr.count("6th digit") == 25 and "not shown" not in verbose.stderr
    quiet = cli("-q", "nomenclature", "import", str(f), "--dry-run")
    assert quiet.exit_code == 0, quiet.stderr
    assert "warning" not in quiet.stderr


def test_batch_row_warnings_are_summed_up(cli: Any, tmp_path: Path) -> None:
    assert cli("init", "--demo").exit_code == 0
    f = tmp_path / "cases.csv"
    f.write_text("code,date,regime\n" + "999996,2026-03-02,ordinary\n" * 30)
    result = cli("reimburse", "batch", str(f), "--out", str(tmp_path / "o.csv"))
    assert result.exit_code == 2  # malformed rows (issue 17)
    assert result.stderr.count("is not in the nomenclature") == 10 + 1
    assert f"{f}:2: code 999996" in result.stderr  # the first ones keep FILE:LINE
    assert "20 more warning(s) not shown (30 in all" in result.stderr
    lines = result.stderr.splitlines()
    assert lines[-2].startswith("30 rows: 0 ok")  # the count comes before the summary
    assert lines[-1].startswith("inami: error: 30 malformed row(s) rejected")  # then exit 2


def test_no_progress_when_piped_or_told_not_to(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Tty())
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert enabled(quiet=False)
    assert not enabled(quiet=True)
    monkeypatch.setenv("TERM", "dumb")
    assert not enabled(quiet=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not enabled(quiet=False)


def test_a_disabled_bar_is_a_no_op() -> None:
    with Progress("x", show=False, total_bytes=10) as bar:
        bar.read(5, 2)
        bar.rows(3, 4)
        assert not bar.active and bar.rows_done == 3


# ------------------------------------------------------------------ a real terminal


def _command() -> list[str]:
    script = Path(sys.executable).with_name("inami")
    return [str(script)] if script.exists() else [sys.executable, "-m", "inami_cli"]


def _run_in_terminal(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    cmd = _command()
    child = pexpect.spawn(
        cmd[0], [*cmd[1:], *args], env=env, cwd=str(cwd), encoding="utf-8",
        timeout=TIMEOUT, dimensions=(24, 100),
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus or 0), str(child.before)


@pytest.fixture
def terminal_env(tmp_path: Path, db_url: str) -> dict[str, str]:
    if not db_url.startswith("sqlite"):
        pytest.skip("one backend is enough for the terminal rendering")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INAMI_") and k != "NO_COLOR"}
    env.update(TERM="xterm", COLUMNS="100", LINES="24", INAMI_DATABASE_URL=db_url)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    return env


def test_progress_bar_on_a_terminal_only(
    cli: Any, tmp_path: Path, terminal_env: dict[str, str]
) -> None:
    assert cli("init", "--demo").exit_code == 0
    f = tmp_path / "niss.txt"
    f.write_text("85061508234\n" * 20_000)
    out = tmp_path / "o.csv"
    args = ["insured", "batch", str(f), "--date", "2026-03-02", "--out", str(out)]
    code, screen = _run_in_terminal(args, terminal_env, tmp_path)
    assert code == 0, screen
    assert "insured batch" in screen and "rows/s" in screen and "ETA" in screen
    assert "20000 lines: 20000 checked" in screen
    for off in ({"NO_COLOR": "1"}, {"TERM": "dumb"}):
        code, screen = _run_in_terminal(args, {**terminal_env, **off}, tmp_path)
        assert code == 0 and "rows/s" not in screen, screen
    code, screen = _run_in_terminal(["-q", *args], terminal_env, tmp_path)
    assert code == 0 and "rows/s" not in screen and "checked" not in screen, screen
    piped = cli(*args)  # stderr is not a terminal here
    assert piped.exit_code == 0 and "rows/s" not in piped.stderr
