"""Whole desk sessions driven through prompt_toolkit's pipe input (fast, no terminal).

The keys go into a pipe that is then closed: if a session asked for more than the test
typed, the closed input ends it (EOF) instead of hanging. Ctrl-C is ``\\x03``, Ctrl-U
(clear the line) ``\\x15``; a menu letter moves to its entry and Enter picks it.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from inami_cli.desk.loop import DbBackend, Desk
from tests.desk.conftest import count_rows

DAY = date(2026, 3, 2)
SOPHIE = "85061508234"
CTRL_C, CTRL_U = "\x03", "\x15"
UNTOUCHED = ("audit_entry", "consultation_log", "care_record", "person", "tariff", "decision")


def run_desk(engine: Any, keys: str, *, log: bool = False, language: str = "fr") -> tuple[int, str]:
    """Run a desk session on *keys*; (exit code as the CLI gives it, what was printed)."""
    from inami_cli.db.engine import transaction

    backend = DbBackend(
        open_session=lambda write: transaction(engine, write=write),
        language=language,
        log_consultations=log,
    )
    out = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        desk = Desk(backend, out=out, today=DAY, pt_kwargs={"input": pipe, "output": DummyOutput()})
        try:
            code = desk.run()
        except KeyboardInterrupt:
            code = 130
    return code, out.getvalue()


def test_insured_then_reimbursement_reuses_the_last_person(engine: Any) -> None:
    keys = (
        f"i\r{SOPHIE}\r2/3/2026\r"  # insured? Sophie, Belgian day-first date
        "r\r\r\r101076\r\r"  # how much back? Enter = Sophie, Enter = today, code, conventioned
        "q\r"
    )
    code, out = run_desk(engine, keys)
    assert code == 0
    assert (
        "Yes — insured with Solidaris (300) on 2026-03-02, preferential regime (BIM), DMG held."
        in out
    )
    assert (
        "101076 on 2026-03-02: fee 33.73 €, Solidaris (300) pays back 32.73 €, "
        "the patient pays 1.00 €." in out
    )
    assert "Why:" in out and "ticket modérateur) is 1.00 €" in out
    assert out.rstrip().endswith("Au revoir.")  # the desk's own words: French (the default)
    # the sentence comes last, right above the menu: after the detail table
    assert out.index("» Yes — insured") > out.index("member_number")


def test_wrong_niss_corrected_on_the_second_try(engine: Any) -> None:
    # 85061508235: bad check digits; Enter is refused, the line is cleared and retyped.
    code, out = run_desk(engine, f"i\r85061508235\r{CTRL_U}85.06.15-082.34\r\rq\r")
    assert code == 0
    assert out.count("Yes — insured with Solidaris (300)") == 1
    assert "Sophie Lambertin" in out


def test_reimbursement_without_niss_asks_the_situation(engine: Any) -> None:
    # no NISS: BIM (b), DMG yes (y), age 30; GP consultation on 2026-03-02
    keys = "r\r\rb\ry30\r2026-03-02\r101076\r\rq\r"
    code, out = run_desk(engine, keys)
    assert code == 0
    assert "101076 on 2026-03-02: fee 33.73 €, the sickness fund pays back 32.73 €" in out
    assert "No NISS given" in out


def test_reimbursement_amount_with_a_comma_at_a_non_conventioned_physio(engine: Any) -> None:
    # ordinary (o), no DMG (n), age unknown; 560011; not conventioned (n); asks 40,00
    keys = "r\r\ro\rn\r\r560011\rn\r40,00\rq\r"
    code, out = run_desk(engine, keys)
    assert code == 0
    assert (
        "560011 on 2026-03-02: fee 30.80 €, the sickness fund pays back 18.41 €, the patient "
        "pays 12.39 € + a supplement of 9.20 € (never paid back) = 21.59 €." in out
    )


def test_code_narrowed_by_words_after_an_ambiguous_try(engine: Any) -> None:
    # "101" matches four codes: Enter is refused; adding "accrédité" leaves 101076.
    code, out = run_desk(engine, "c\r101\r accrédité\r\rq\r")
    assert code == 0
    assert "101076 — Consultation au cabinet par un médecin généraliste agréé accrédité" in out
    assert "Reimbursement by patient:" in out


def test_code_labels_in_dutch(engine: Any) -> None:
    code, out = run_desk(engine, "c\rkiné examen\r2014-06-01\rq\r", language="nl")
    assert code == 0
    assert "560092 — Consultatief onderzoek kinesitherapie (article 7)" in out


def test_menu_with_the_arrow_keys(engine: Any) -> None:
    down = "\x1b[B"
    code, out = run_desk(engine, f"{down}{down}\r101076\r2026-03-02\r{down}{down}{down}\r")
    assert code == 0
    assert "101076 — Consultation au cabinet" in out  # the third entry: code
    # the menu comes back on "code": decision, indemnity, then "quit"
    assert out.rstrip().endswith("Au revoir.")


def test_committee_decision_about_kine(engine: Any) -> None:
    code, out = run_desk(engine, "d\rkiné\rq\r")
    assert code == 0
    assert "the latest, CASS 2026/001 on 2026-01-19, was adopted" in out
    assert "Journey of dossier KINE-2026-INDEX:" in out


def test_an_error_is_said_and_the_menu_comes_back(engine: Any) -> None:
    code, out = run_desk(engine, f"d\rCASS 2026/099\ri\r{SOPHIE}\r\rq\r")
    assert code == 0
    assert "Désolé — decision CASS 2026/099 not found" in out
    assert "Yes — insured with Solidaris (300)" in out


def test_ctrl_c_at_the_menu_leaves_cleanly(engine: Any) -> None:
    code, out = run_desk(engine, CTRL_C)
    assert (code, out.strip()) == (0, "Au revoir.")


def test_quit_entry_leaves(engine: Any) -> None:
    assert run_desk(engine, "q\r") == (0, "Au revoir.\n")


def test_ctrl_c_in_a_question_goes_back_to_the_menu_keeping_the_person(engine: Any) -> None:
    # Sophie asked about; then a question cancelled by Ctrl-C; Enter still means Sophie
    keys = f"i\r{SOPHIE}\r\rr\r\r{CTRL_C}i\r\r\rq\r"
    code, out = run_desk(engine, keys)
    assert code == 0
    assert "(question annulée — retour au menu)" in out
    assert out.count("Yes — insured with Solidaris (300)") == 2


def test_end_of_input_in_a_question_leaves(engine: Any) -> None:
    code, out = run_desk(engine, "r\r")
    assert code == 0 and out.rstrip().endswith("Au revoir.")


def test_the_desk_speaks_dutch_and_takes_j_for_yes(engine: Any) -> None:
    # no NISS (-): preferential (b), DMG: j (ja), age 30; code 101076
    keys = "r\r\rb\rj30\r2026-03-02\r101076\r\rq\r"
    code, out = run_desk(engine, keys, language="nl")
    assert code == 0
    assert "the sickness fund pays back 32.73 €" in out  # DMG held: 32.73, not 27.73
    assert out.rstrip().endswith("Tot ziens.")


def test_o_is_yes_in_french(engine: Any) -> None:
    keys = "r\r\rb\ro30\r2026-03-02\r101076\r\rq\r"
    code, out = run_desk(engine, keys)
    assert code == 0 and "pays back 32.73 €" in out


def test_a_person_found_by_insurer_and_member_number(engine: Any) -> None:
    code, out = run_desk(engine, "i\r300/1234567\r\rq\r")
    assert code == 0
    assert "Yes — insured with Solidaris (300)" in out and "Sophie Lambertin" in out


def test_nothing_is_written(engine: Any) -> None:
    before = {t: count_rows(engine, t) for t in UNTOUCHED}
    keys = f"i\r{SOPHIE}\r\rr\r\r\r101076\r\rc\r101076\r\rd\rkiné\rq\r"
    assert run_desk(engine, keys)[0] == 0
    assert {t: count_rows(engine, t) for t in UNTOUCHED} == before


def test_consultation_log_when_on(engine: Any) -> None:
    from sqlalchemy import text

    before = {t: count_rows(engine, t) for t in UNTOUCHED if t != "consultation_log"}
    keys = f"i\r{SOPHIE}\r\rd\rkiné\rq\r"
    assert run_desk(engine, keys, log=True)[0] == 0
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT subject, answer_json FROM consultation_log ORDER BY id")
        ).all()
    assert [r.subject for r in rows] == [SOPHIE, "kiné"]
    assert "Yes — insured with Solidaris (300)" in rows[0].answer_json
    assert {t: count_rows(engine, t) for t in before} == before


def test_indemnity_question_for_a_recorded_illness(engine: Any) -> None:
    # n = Indemnity; Anouk Delvigne; illness; Enter = as recorded (date and wage)
    code, out = run_desk(engine, "n\r88041212236\r\r\r\rq\r")
    assert code == 0
    assert "Illness since 2025-12-01: from 2026-03-02 the fund pays 90.00 € gross a day" in out
    assert "Parameters used:" in out


def test_specialist_consultation_asks_for_the_referral(engine: Any) -> None:
    # ordinary (o), DMG yes (y), age 50; 105755 (2025: fee 32.85, ordinary share 12.00);
    # conventioned (Enter); referred by the GP (y): the share is 5.00 lower (RD 26/11/2006)
    keys = "r\r\ro\ry50\r2025-06-10\r105755\r\ryq\r"
    code, out = run_desk(engine, keys)
    assert code == 0
    assert (
        "105755 on 2025-06-10: fee 32.85 €, the sickness fund pays back 25.85 €, the patient "
        "pays 7.00 €." in out
    )
    assert "The patient was referred by the GP: the share is 5.00 € lower" in out
