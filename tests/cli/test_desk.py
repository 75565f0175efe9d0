"""``inami desk`` end to end: the real command in a real pseudo-terminal (pexpect).

The database is made the way a person would: ``inami init --demo`` on a new SQLite file.
A few robust sessions only (generous timeouts, NO_COLOR, a real TERM); the prompts
themselves are tested fast through prompt_toolkit's pipe input in tests/desk/.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

TIMEOUT = 60  # seconds per expected text: a loaded CI machine is slow, never a failure
SOPHIE = "85061508234"  # demo person: Solidaris (300), BIM, DMG
CTRL_C, CTRL_U = "\x03", "\x15"


def _command() -> list[str]:
    script = Path(sys.executable).with_name("inami")
    return [str(script)] if script.exists() else [sys.executable, "-m", "inami_cli"]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INAMI_")}
    env.update(
        NO_COLOR="1",
        # pexpect's pseudo-terminal does not answer cursor-position requests: without this
        # prompt_toolkit waits for the answer about a second per prompt.
        PROMPT_TOOLKIT_NO_CPR="1",
        TERM="xterm",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        COLUMNS="160",
        LINES="50",
    )
    return env


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database made by ``inami init --demo``."""
    home = tmp_path_factory.mktemp("desk-home")
    path = home / "x.db"
    done = subprocess.run(
        [*_command(), "--db", f"sqlite:///{path}", "init", "--demo"],
        env=_env(home),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def db(tmp_path: Path, demo_file: Path) -> Path:
    target = tmp_path / "x.db"
    # the backup API copies what is committed, WAL included (a file copy could miss it)
    with sqlite3.connect(demo_file) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def _rows(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


@pytest.fixture
def desk(db: Path, tmp_path: Path) -> Iterator[pexpect.spawn]:
    """``inami --db sqlite:///x.db desk`` in a pseudo-terminal."""
    command = _command()
    child = pexpect.spawn(
        command[0],
        [*command[1:], "--db", f"sqlite:///{db}", "desk"],
        env=_env(tmp_path),
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(50, 160),
    )
    child.logfile_read = (tmp_path / "screen.log").open("w", encoding="utf-8")
    yield child
    child.close(force=True)


def _menu(child: pexpect.spawn, letter: str) -> None:
    child.expect_exact("Que demande l'appelant ?")
    child.send(letter)
    child.send("\r")


def _finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    return child.before or ""


def test_a_full_session_of_the_four_questions(desk: pexpect.spawn, db: Path) -> None:
    before = {t: _rows(db, t) for t in ("audit_entry", "consultation_log", "care_record")}

    # 1. insured? A wrong NISS is refused with the reason, then corrected.
    _menu(desk, "i")
    desk.expect_exact("NISS de la personne")
    desk.send("85061508235")
    desk.expect_exact("bad check digits 35 (expected 34")
    desk.send("\r")  # refused: the prompt stays
    desk.send(CTRL_U)
    desk.send(SOPHIE + "\r")
    desk.expect_exact("Date")
    desk.send("2/3/2026\r")
    desk.expect_exact("Sophie Lambertin")  # the detail, then the headline last
    desk.expect_exact(
        "» Yes — insured with Solidaris (300) on 2026-03-02, preferential regime (BIM), DMG held."
    )

    # 2. how much back? Enter keeps Sophie; the code is picked by completion on "kiné".
    _menu(desk, "r")
    desk.expect_exact("NISS de la personne")
    desk.expect_exact("Entrée = 85.06.15-082.34")
    desk.send("\r")
    desk.expect_exact("Date des soins")
    desk.send("2026-03-02\r")
    desk.expect_exact("Code (chiffres ou mots")
    desk.send("kiné")
    # the completion menu (code, two spaces, label) lists the physiotherapy codes
    desk.expect_exact("560092  Examen consultatif de kinésithérapie")
    desk.send("\t")  # the first one: 560011
    desk.send("\r")
    desk.expect_exact("Le prestataire est")
    desk.send("\r")  # conventioned
    desk.expect_exact("Why:")
    desk.expect_exact(
        "» 560011 on 2026-03-02: fee 30.80 €, Solidaris (300) pays back 28.30 €, "
        "the patient pays 2.50 €."
    )

    # 3. what is code X? "101" narrows the list; the full code is then typed.
    _menu(desk, "c")
    desk.expect_exact("Code (chiffres ou mots")
    desk.send("101")
    desk.expect_exact("101496  Gestion du dossier médical global")
    desk.send("076\r")
    desk.expect_exact("Tarif à quelle date")
    desk.send("2026-03-02\r")
    desk.expect_exact("101076 — Consultation au cabinet par un médecin généraliste agréé accrédité")
    desk.expect_exact("27.73 € to 32.73 € depending on the patient")

    # 4. what did a committee decide about physiotherapy fees?
    _menu(desk, "d")
    desk.expect_exact("À propos de quoi")
    desk.send("physiotherapy fees\r")
    desk.expect_exact("the latest, CASS 2026/001 on 2026-01-19, was adopted")

    _menu(desk, "q")
    desk.expect_exact("Au revoir.")
    transcript = _finish(desk)
    assert desk.exitstatus == 0, transcript
    assert "Traceback" not in transcript
    assert {t: _rows(db, t) for t in before} == before  # the desk wrote nothing


def test_ctrl_c_in_the_middle_of_a_prompt_goes_back_to_the_menu(desk: pexpect.spawn) -> None:
    _menu(desk, "i")
    desk.expect_exact("NISS de la personne")
    desk.send("8506")
    desk.send(CTRL_C)
    desk.expect_exact("(question annulée — retour au menu)")
    _menu(desk, "q")
    desk.expect_exact("Au revoir.")
    transcript = _finish(desk)
    assert desk.exitstatus == 0
    assert "interrupted" not in transcript and "Traceback" not in transcript


def test_ctrl_c_at_the_menu_exits_0_and_the_consultation_is_logged(
    db: Path, tmp_path: Path
) -> None:
    config = tmp_path / "inami.toml"
    config.write_text("[audit]\nlog_consultations = true\n", encoding="utf-8")
    command = _command()
    child = pexpect.spawn(
        command[0],
        [*command[1:], "--db", f"sqlite:///{db}", "--config", str(config), "desk"],
        env=_env(tmp_path),
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(50, 160),
    )
    try:
        _menu(child, "i")
        child.expect_exact("NISS de la personne")
        child.send(SOPHIE + "\r")
        child.expect_exact("Date")
        child.send("today\r")
        child.expect_exact("Yes — insured with Solidaris (300)")
        child.expect_exact("Que demande l'appelant ?")
        child.send(CTRL_C)
        child.expect_exact("Au revoir.")
        transcript = _finish(child)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, transcript
    with sqlite3.connect(db) as conn:
        subjects = [r[0] for r in conn.execute("SELECT subject FROM consultation_log")]
    assert subjects == [SOPHIE]


def test_without_a_terminal_desk_points_to_the_scripted_commands(demo_cli) -> None:
    result = demo_cli("desk")
    assert result.exit_code == 2
    assert "inami desk needs a terminal" in result.stderr
    for command in (
        "inami insured",
        "inami reimburse",
        "inami nomenclature show",
        "inami decision list",
    ):
        assert command in result.stderr
    assert result.stdout == ""


def test_desk_has_help(cli_nodb) -> None:
    result = cli_nodb("desk", "--help")
    assert result.exit_code == 0
    assert "Examples:\n    inami desk" in result.stdout
