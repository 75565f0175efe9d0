"""The desk loop: pick a question, answer its prompts, see the answer, pick the next.

Leaving: "Quit", ``q``, Ctrl-C at the menu, or Ctrl-D anywhere returns 0. Ctrl-C or Esc
inside a question cancels it: the menu comes back and the last person is kept (the caller
is still on the phone). A wrong code or an unknown decision is said in one line and the menu
comes back. Database and configuration errors end the session with their exit code. The
desk speaks the configured language (``desk.words``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from inami_cli.desk.journal import ConsultationJournal
from inami_cli.desk.prompts import (
    Prompter,
    check_age,
    check_amount,
    check_date,
    check_nihii,
    check_niss,
    check_time,
    check_words,
)
from inami_cli.desk.words import word
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import ConfigError, DatabaseError, InamiError
from inami_cli.domain.money import parse_amount
from inami_cli.domain.niss import compact_niss, format_niss
from inami_cli.services import desk as answers
from inami_cli.services.desk import CodeChoice, DeskAnswer

if TYPE_CHECKING:
    from sqlmodel import Session

OpenSession = Callable[[bool], AbstractContextManager["Session"]]

Choices = tuple[tuple[str, str, str | None], ...]


def menu(language: str) -> Choices:
    """The questions, in *language*; the letters are the same in every language."""
    return (
        ("insured", word(language, "m_insured"), "i"),
        ("reimbursement", word(language, "m_reimbursement"), "r"),
        ("code", word(language, "m_code"), "c"),
        ("decision", word(language, "m_decision"), "d"),
        ("indemnity", word(language, "m_indemnity"), "n"),
        ("quit", word(language, "m_quit"), "q"),
    )


def providers(language: str) -> Choices:
    """The provider's agreement status, in *language*."""
    return (
        ("conventioned", word(language, "p_conventioned"), "c"),
        ("partially", word(language, "p_partially"), "p"),
        ("non-conventioned", word(language, "p_non"), "n"),
        ("register", word(language, "p_register"), "i"),
    )


def regimes(language: str) -> Choices:
    """The patient's regime, in *language*."""
    return (
        ("ordinary", word(language, "r_ordinary"), "o"),
        ("preferential", word(language, "r_preferential"), "b"),
    )


# A member number given instead of a NISS: insurer code, a slash, the number (300/1234567).
_MEMBER = re.compile(r"^\s*(\d{3})\s*/\s*(\S+)\s*$")


@dataclass
class DbBackend:
    """Answers from the database: one read-only transaction per question. With the
    consultation log on, the answer's log line is queued and written in the background
    (``desk.journal``): a busy database never holds an answer back, and no line is lost."""

    open_session: OpenSession
    language: str = "fr"
    log_consultations: bool = False
    spool: Path | None = None
    journal: ConsultationJournal | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.log_consultations:
            self.journal = ConsultationJournal(self.open_session, spool=self.spool)

    def answer(self, build: Callable[..., DeskAnswer], **kwargs: Any) -> DeskAnswer:
        """Run one ``services.desk`` answer function (and queue its log line when asked)."""
        with self.open_session(False) as session:
            result = build(session=session, **kwargs)
        if self.journal is not None:
            self.journal.add(result.subject, result.as_record())
        return result

    def close(self) -> int:
        """End of the session: the queued log lines written (or spooled); the number of
        lines spooled in all (closing twice is harmless)."""
        if self.journal is None:
            return 0
        self.journal.close()
        return self.journal.spooled

    def niss_of_member(self, insurer: str, member: str, on: date) -> str:
        """The NISS of a member number at an insurer (``NotFound`` when none)."""
        from inami_cli.services import insurability

        with self.open_session(False) as session:
            status = insurability.beneficiary_by_member(
                session=session, insurer_code=insurer, member_number=member, on=on
            )
        return status.niss

    def code_choices(self, on: date | None) -> list[CodeChoice]:
        """The codes offered by completion (existing on *on* when given)."""
        with self.open_session(False) as session:
            return answers.code_choices(session=session, on=on, language=self.language)

    def code_category(self, code: str) -> str | None:
        """The act category of *code* (None: unknown)."""
        with self.open_session(False) as session:
            return answers.code_category(session=session, code=code)


class Desk:
    """One desk session: the menu, the four questions, the defaults carried over."""

    def __init__(
        self,
        backend: DbBackend,
        *,
        out: TextIO,
        today: date | None = None,
        table_style: str = "simple",
        pt_kwargs: Mapping[str, Any] | None = None,
    ) -> None:
        self.backend = backend
        self.language = backend.language
        self.out = out
        self.today = today or date.today()
        self.table_style = table_style
        self.ask = Prompter(pt_kwargs)
        self.last_niss: str | None = None  # staff often ask several things about one caller
        self.last_question = "insured"
        self._choices: dict[date | None, list[CodeChoice]] = {}

    # -------------------------------------------------------------- the loop

    def run(self) -> int:
        """Questions until Quit or Ctrl-C at the menu (0); Ctrl-C in a question propagates."""
        handlers: dict[str, Callable[[], DeskAnswer]] = {
            "insured": self.question_insured,
            "reimbursement": self.question_reimbursement,
            "code": self.question_code,
            "decision": self.question_decision,
            "indemnity": self.question_indemnity,
        }
        lang = self.language
        while True:
            try:
                choice = self.ask.select(
                    word(lang, "menu"),
                    menu(lang),
                    default=self.last_question,
                    instruction=word(lang, "menu_hint"),
                )
            except (KeyboardInterrupt, EOFError):
                choice = "quit"
            if choice == "quit":
                return self.leave()
            self.last_question = choice
            try:
                result = handlers[choice]()
            except KeyboardInterrupt:  # Ctrl-C or Esc: this question only
                self.say(word(lang, "cancelled"))
                continue
            except EOFError:  # Ctrl-D: the person leaves
                return self.leave()
            except (DatabaseError, ConfigError):
                raise
            except InamiError as exc:
                hint = f" ({exc.hint})" if exc.hint else ""
                self.say("\n" + word(lang, "sorry", message=f"{exc.message}{hint}") + "\n")
                continue
            self.show(result)

    def leave(self) -> int:
        """Goodbye (the consultation log written first); 0."""
        self.backend.close()
        self.say(word(self.language, "goodbye"))
        return 0

    # -------------------------------------------------------------- the questions

    def question_insured(self) -> DeskAnswer:
        """Is this person insured on a date?"""
        niss = self.ask_niss()
        assert niss is not None
        on = self.ask_date(word(self.language, "date"))
        return self._remember(self.backend.answer(answers.insured_answer, niss=niss, on=on))

    def question_reimbursement(self) -> DeskAnswer:
        """How much comes back for this act?"""
        niss = self.ask_niss(optional=True)
        regime: str | None = None
        dmg: bool | None = None
        age: int | None = None
        lang = self.language
        if niss is None:
            regime = self.ask.select(word(lang, "regime"), regimes(lang))
            dmg = self.ask.confirm(word(lang, "dmg"), instruction=word(lang, "yes_no"))
            age_text = self.ask.text(
                word(lang, "age"), validate=check_age, instruction=word(lang, "age_hint")
            ).strip()
            age = int(age_text) if age_text else None
        on = self.ask_date(word(lang, "date_care"))
        code = self.ask.code(word(lang, "code"), self.code_choices(on))
        provider = self.ask.select(word(lang, "provider"), providers(lang), default="conventioned")
        provider_id, at = self._ask_provider_id() if provider == "register" else (None, None)
        if provider == "register":
            provider = "conventioned"  # when skipped (Enter), as before the register
        charged: Decimal | None = None
        if provider != "conventioned" or provider_id is not None:
            text = self.ask.text(
                word(lang, "charged"),
                validate=check_amount,
                instruction=word(lang, "charged_hint"),
            )
            charged = parse_amount(text, what="amount charged") if text.strip() else None
        referred = False
        if self.backend.code_category(code) == "specialist_consultation":
            # the referral reduction (RD 26/11/2006) needs the GP's referral form
            referred = self.ask.confirm("Referred by the GP (referral form)?")
        result = self.backend.answer(
            answers.reimbursement_answer,
            code=code,
            on=on,
            niss=niss,
            regime=regime,
            dmg=dmg,
            age=age,
            provider=provider,
            charged=charged,
            language=self.backend.language,
            provider_id=provider_id,
            at=at,
            referred=referred,
        )
        return self._remember(result)

    def _ask_provider_id(self) -> tuple[str | None, str | None]:
        """The provider's INAMI number (Enter = skip) and the time of care (Enter = unknown)."""
        lang = self.language
        nihii = self.ask.text(
            word(lang, "nihii"), validate=check_nihii, instruction=word(lang, "nihii_hint")
        ).strip()
        if not nihii:
            return None, None
        at = self.ask.text(
            word(lang, "time"), validate=check_time, instruction=word(lang, "time_hint")
        ).strip()
        return nihii, at or None

    def question_code(self) -> DeskAnswer:
        """What is code X?"""
        code = self.ask.code(word(self.language, "code"), self.code_choices(None))
        on = self.ask_date(word(self.language, "date_tariff"))
        return self.backend.answer(
            answers.code_answer, code=code, on=on, language=self.backend.language
        )

    def question_decision(self) -> DeskAnswer:
        """What did a committee decide about X?"""
        about = self.ask.text(
            word(self.language, "about"),
            validate=check_words,
            instruction=word(self.language, "about_hint"),
        )
        return self.backend.answer(answers.decision_answer, about=about.strip())

    def question_indemnity(self) -> DeskAnswer:
        """How much during an illness or a maternity rest, and from when?"""
        from inami_cli.desk.indemnity import question_indemnity

        return self._remember(question_indemnity(self))

    # -------------------------------------------------------------- prompts with defaults

    def ask_niss(self, *, optional: bool = False) -> str | None:
        """The NISS; Enter = the last person asked about; ``300/1234567`` = a member number
        at an insurer. With *optional*, ``-`` (or Enter when nobody was asked about yet)
        means no NISS."""
        lang = self.language
        if self.last_niss:
            last = format_niss(self.last_niss)
            hint = word(lang, "niss_last_optional" if optional else "niss_last", last=last)
        else:
            hint = word(lang, "niss_optional" if optional else "niss_required")
        text = self.ask.text(
            word(lang, "niss"),
            validate=lambda t: (
                bool(_MEMBER.match(t)) or check_niss(t, empty_ok=optional or bool(self.last_niss))
            ),
            instruction=hint,
        ).strip()
        if text == "-" or (not text and not self.last_niss):
            return None
        member = _MEMBER.match(text)
        if member:
            return self.backend.niss_of_member(member[1], member[2], self.today)
        return compact_niss(text) if text else self.last_niss

    def ask_date(self, message: str) -> date:
        """A date; Enter = today."""
        text = self.ask.text(
            message,
            validate=check_date,
            instruction=word(self.language, "date_hint", today=self.today.isoformat()),
        )
        return parse_date(text, what="date", today=self.today) if text.strip() else self.today

    def code_choices(self, on: date | None) -> list[CodeChoice]:
        """Completion choices, read once per date in a session."""
        if on not in self._choices:
            self._choices[on] = self.backend.code_choices(on)
        return self._choices[on]

    def _remember(self, result: DeskAnswer) -> DeskAnswer:
        if result.niss:
            self.last_niss = result.niss
        return result

    # -------------------------------------------------------------- output

    def say(self, text: str) -> None:
        """A line for the person at the desk."""
        self.out.write(text + "\n")
        self.out.flush()

    def show(self, result: DeskAnswer) -> None:
        """Why and the detail tables, then the answer's sentence last: right above the menu
        that comes back, it stays on screen however long the detail."""
        from inami_cli.render import render
        from inami_cli.render.terminal import colour_enabled, table_width

        # fitted to the operator's terminal, status words coloured there (render.terminal)
        width, colour = table_width(self.out), colour_enabled(self.out)
        self.say("")
        if result.why:
            self.say("Why:")  # with the answer's sentences (services.desk), in their language
            for line in result.why:  # wrapped at the terminal's width, as the tables
                self.say(_wrapped(line, width, first="  - ", rest="    "))
        for table in result.tables:
            self.say(f"\n{table.title}:")
            if table.columns:
                render(
                    list(table.rows),
                    fmt="table",
                    columns=list(table.columns),
                    table_style=self.table_style,
                    out=self.out,
                    width=width,
                    colour=colour,
                )
            elif table.rows:
                render(
                    table.rows[0],
                    fmt="table",
                    table_style=self.table_style,
                    out=self.out,
                    width=width,
                    colour=colour,
                )
        self.say("")
        self.say(f"» {result.sentence}")  # one line: copied whole into a note or a mail
        self.say("")


def _wrapped(text: str, width: int | None, *, first: str, rest: str) -> str:
    """*text* after *first*, wrapped at *width* columns (None: one line), its next lines
    after *rest* (a hanging indent, as ``cli.context.AppState.say``)."""
    from inami_cli.render.table import text_width

    if width is None or text_width(first + text) <= width:
        return first + text
    import textwrap

    return "\n".join(textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=rest))
