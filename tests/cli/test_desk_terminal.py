"""``inami desk`` in a real 80×24 terminal (pexpect), issue 17: Esc or Ctrl-C in a question
goes back to the menu keeping the person, Ctrl-D leaves, the answer's headline is printed
last (right above the menu), a busy database never holds an answer back and no log line is
lost, the desk speaks Dutch when configured, a person is found by member number."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from tests.cli.test_desk import SOPHIE, TIMEOUT, _command, _env, _finish, db, demo_file

__all__ = ["db", "demo_file"]  # fixtures used here
CTRL_C, CTRL_D, ESC = "\x03", "\x04", "\x1b"
MENU_FR, MENU_NL = "Que demande l'appelant ?", "Wat vraagt de beller?"


def _spawn(db: Path, tmp_path: Path, config: str = "") -> pexpect.spawn:
    args = [*_command()[1:], "--db", f"sqlite:///{db}"]
    if config:
        path = tmp_path / "inami.toml"
        path.write_text(config, encoding="utf-8")
        args += ["--config", str(path)]
    env = {**_env(tmp_path), "COLUMNS": "80", "LINES": "24"}
    child = pexpect.spawn(
        _command()[0], [*args, "desk"], env=env, cwd=str(tmp_path), encoding="utf-8",
        timeout=TIMEOUT, dimensions=(24, 80),
    )  # fmt: skip
    child.logfile_read = (tmp_path / "screen.log").open("w", encoding="utf-8")
    return child


@pytest.fixture
def desk(db: Path, tmp_path: Path) -> Iterator[pexpect.spawn]:
    child = _spawn(db, tmp_path)
    yield child
    child.close(force=True)


def _pick(child: pexpect.spawn, letter: str, menu: str = MENU_FR) -> None:
    child.expect_exact(menu)
    child.send(letter + "\r")


def _insured_sophie(child: pexpect.spawn, niss: str = SOPHIE) -> str:
    """Ask "insured?" about Sophie; what was printed before the headline."""
    _pick(child, "i")
    child.expect_exact("NISS de la personne")
    child.send(niss + "\r")
    child.expect_exact("Date")
    child.send("\r")
    child.expect_exact("» Yes — insured with Solidaris (300)")
    return str(child.before)


def test_esc_goes_back_to_the_menu_keeping_the_person(desk: pexpect.spawn) -> None:
    _insured_sophie(desk)
    _pick(desk, "i")
    desk.expect_exact("NISS de la personne")
    desk.send("8506")
    desk.send(ESC)
    desk.expect_exact("(question annulée — retour au menu)")
    _pick(desk, "i")
    desk.expect_exact("Entrée = 85.06.15-082.34")  # the last person is kept
    desk.send("\r")
    desk.expect_exact("Date")
    desk.send("\r")
    desk.expect_exact("» Yes — insured with Solidaris (300)")
    _pick(desk, "q")
    desk.expect_exact("Au revoir.")
    transcript = _finish(desk)
    assert desk.exitstatus == 0 and "interrupted" not in transcript


def test_ctrl_d_at_the_menu_leaves(desk: pexpect.spawn) -> None:
    desk.expect_exact(MENU_FR)
    desk.send(CTRL_D)
    desk.expect_exact("Au revoir.")
    transcript = _finish(desk)
    assert desk.exitstatus == 0 and "interrupted" not in transcript


def test_ctrl_c_in_a_question_then_at_the_menu(desk: pexpect.spawn) -> None:
    _pick(desk, "c")
    desk.expect_exact("Code (chiffres ou mots")
    desk.send(CTRL_C)
    desk.expect_exact("(question annulée — retour au menu)")
    desk.expect_exact(MENU_FR)
    desk.send(CTRL_C)
    desk.expect_exact("Au revoir.")
    transcript = _finish(desk)
    assert desk.exitstatus == 0 and "interrupted" not in transcript


def test_the_headline_is_printed_last_right_above_the_menu(desk: pexpect.spawn) -> None:
    _pick(desk, "r")
    desk.expect_exact("NISS de la personne")
    desk.send(SOPHIE + "\r")
    desk.expect_exact("Date des soins")
    desk.send("2026-03-02\r")
    desk.expect_exact("Code (chiffres ou mots")
    desk.send("560011\r")
    desk.expect_exact("Le prestataire est")
    desk.send("\r")
    desk.expect_exact("Amounts:")  # the detail table comes first
    desk.expect_exact(
        "» 560011 on 2026-03-02: fee 30.80 €, Solidaris (300) pays back 28.30 €, "
        "the patient pays 2.50 €."
    )
    desk.expect_exact(MENU_FR)
    between = desk.before or ""
    assert "Amounts" not in between and "Why:" not in between  # nothing after the headline
    desk.send("q\r")
    desk.expect_exact("Au revoir.")


def test_a_person_found_by_insurer_and_member_number(desk: pexpect.spawn) -> None:
    assert "Sophie Lambertin" in _insured_sophie(desk, "300/1234567")
    _pick(desk, "q")
    desk.expect_exact("Au revoir.")


def test_callers_words_in_the_code_question(desk: pexpect.spawn) -> None:
    _pick(desk, "c")
    desk.expect_exact("Code (chiffres ou mots")
    desk.send("huisarts bezoek")
    desk.expect_exact("103132")
    desk.send(CTRL_C)
    desk.expect_exact("(question annulée — retour au menu)")
    desk.expect_exact(MENU_FR)
    desk.send("q\r")
    desk.expect_exact("Au revoir.")


def test_the_desk_speaks_dutch(db: Path, tmp_path: Path) -> None:
    child = _spawn(db, tmp_path, '[locale]\nlanguage = "nl"\n')
    try:
        _pick(child, "r", MENU_NL)
        child.expect_exact("INSZ van de persoon")
        child.send("-\r")
        child.expect_exact("Regeling van de patiënt")
        child.send("b\r")
        child.expect_exact("GMD")
        child.send("j")  # ja
        child.expect_exact("Leeftijd van de patiënt")
        child.send("30\r")
        child.expect_exact("Datum van de zorg")
        child.send("2026-03-02\r")
        child.expect_exact("Code (cijfers of woorden")
        child.send("101076\r")
        child.expect_exact("De zorgverlener is")
        child.send("\r")
        child.expect_exact("the sickness fund pays back 32.73 €")  # DMG held: j was yes
        _pick(child, "q", MENU_NL)
        child.expect_exact("Tot ziens.")
        _finish(child)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_a_busy_database_never_holds_an_answer_and_no_log_line_is_lost(
    db: Path, tmp_path: Path
) -> None:
    config = "[audit]\nlog_consultations = true\n[database]\nbusy_timeout_ms = 300\n"
    child = _spawn(db, tmp_path, config)
    writer = sqlite3.connect(db, isolation_level=None, timeout=30)
    try:
        child.expect_exact(MENU_FR)
        writer.execute("BEGIN IMMEDIATE")  # a long import holds the write lock
        child.send("i\r")
        child.expect_exact("NISS de la personne")
        child.send(SOPHIE + "\r")
        child.expect_exact("Date")
        child.send("\r")
        child.expect_exact("» Yes — insured with Solidaris (300)")  # answered all the same
        child.expect_exact(MENU_FR)
        with sqlite3.connect(db) as reader:
            assert reader.execute("SELECT COUNT(*) FROM consultation_log").fetchone()[0] == 0
        writer.execute("COMMIT")  # the import ends
        child.send("c\r")
        child.expect_exact("Code (chiffres ou mots")  # the menu was already on screen
        child.send("101076\r")
        child.expect_exact("Tarif à quelle date")
        child.send("\r")
        child.expect_exact("» 101076")
        _pick(child, "q")
        child.expect_exact("Au revoir.")
        transcript = _finish(child)
    finally:
        writer.close()
        child.close(force=True)
    assert child.exitstatus == 0, transcript
    with sqlite3.connect(db) as conn:
        subjects = [r[0] for r in conn.execute("SELECT subject FROM consultation_log ORDER BY id")]
    assert subjects[0] == SOPHIE and len(subjects) == 2  # the queued line, then the next
