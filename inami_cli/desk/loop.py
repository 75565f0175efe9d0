"""The desk loop: pick a question, answer its prompts, see the answer, pick the next.

Leaving: "Quit", ``q`` or Ctrl-C at the menu returns 0; Ctrl-C (or Ctrl-D) inside a
question raises ``KeyboardInterrupt``, which the CLI turns into exit 130. A wrong code or
an unknown decision is said in one line and the menu comes back: the caller is still on
the phone. Database and configuration errors end the session with their exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

from inami_cli.desk.prompts import (
    Prompter,
    check_age,
    check_amount,
    check_date,
    check_niss,
    check_words,
)
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import ConfigError, DatabaseError, InamiError
from inami_cli.domain.money import parse_amount
from inami_cli.domain.niss import compact_niss, format_niss
from inami_cli.services import desk as answers
from inami_cli.services.desk import CodeChoice, DeskAnswer

if TYPE_CHECKING:
    from sqlmodel import Session

OpenSession = Callable[[bool], AbstractContextManager["Session"]]

MENU: tuple[tuple[str, str, str | None], ...] = (
    ("insured", "Insured?       is this person covered on a date", "i"),
    ("reimbursement", "Reimbursement  how much comes back for an act", "r"),
    ("code", "Code           what is this nomenclature code", "c"),
    ("decision", "Decision       what did a committee decide about ...", "d"),
    ("indemnity", "Indemnity      how much during an illness or a maternity rest", "n"),
    ("quit", "Quit", "q"),
)
PROVIDERS: tuple[tuple[str, str, str | None], ...] = (
    ("conventioned", "conventioned (charges the official fee)", "c"),
    ("partially", "partially conventioned", "p"),
    ("non-conventioned", "not conventioned (may charge more)", "n"),
)
REGIMES: tuple[tuple[str, str, str | None], ...] = (
    ("ordinary", "ordinary", "o"),
    ("preferential", "preferential (BIM)", "b"),
)


@dataclass
class DbBackend:
    """Answers from the database: one transaction per question, read-only unless the
    consultation log is on (then the answer is logged in the same transaction)."""

    open_session: OpenSession
    language: str = "fr"
    log_consultations: bool = False

    def answer(self, build: Callable[..., DeskAnswer], **kwargs: Any) -> DeskAnswer:
        """Run one ``services.desk`` answer function (and log it when asked)."""
        with self.open_session(self.log_consultations) as session:
            result = build(session=session, **kwargs)
            if self.log_consultations:
                from inami_cli.services.audit import log_consultation

                log_consultation(session=session, subject=result.subject, answer=result.as_record())
        return result

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
        while True:
            try:
                choice = self.ask.select(
                    "What does the caller ask?",
                    MENU,
                    default=self.last_question,
                    instruction="(arrows or first letter, then Enter)",
                )
            except (KeyboardInterrupt, EOFError):
                choice = "quit"
            if choice == "quit":
                self.say("Goodbye.")
                return 0
            self.last_question = choice
            try:
                result = handlers[choice]()
            except EOFError:
                raise KeyboardInterrupt from None
            except (DatabaseError, ConfigError):
                raise
            except InamiError as exc:
                hint = f" ({exc.hint})" if exc.hint else ""
                self.say(f"\nSorry — {exc.message}{hint}\n")
                continue
            self.show(result)

    # -------------------------------------------------------------- the questions

    def question_insured(self) -> DeskAnswer:
        """Is this person insured on a date?"""
        niss = self.ask_niss()
        assert niss is not None
        on = self.ask_date("Date")
        return self._remember(self.backend.answer(answers.insured_answer, niss=niss, on=on))

    def question_reimbursement(self) -> DeskAnswer:
        """How much comes back for this act?"""
        niss = self.ask_niss(optional=True)
        regime: str | None = None
        dmg: bool | None = None
        age: int | None = None
        if niss is None:
            regime = self.ask.select("Regime of the patient:", REGIMES)
            dmg = self.ask.confirm("Does the patient have a DMG (global medical file)?")
            age_text = self.ask.text(
                "Age of the patient", validate=check_age, instruction="(Enter if unknown)"
            ).strip()
            age = int(age_text) if age_text else None
        on = self.ask_date("Date of care")
        code = self.ask.code("Code (type digits or words, Tab to pick):", self.code_choices(on))
        provider = self.ask.select("The provider is:", PROVIDERS, default="conventioned")
        charged: Decimal | None = None
        if provider != "conventioned":
            text = self.ask.text(
                "Amount charged",
                validate=check_amount,
                instruction="(31,81 or 31.81; Enter = the official fee)",
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
            referred=referred,
        )
        return self._remember(result)

    def question_code(self) -> DeskAnswer:
        """What is code X?"""
        code = self.ask.code("Code (type digits or words, Tab to pick):", self.code_choices(None))
        on = self.ask_date("Tariff on which date")
        return self.backend.answer(
            answers.code_answer, code=code, on=on, language=self.backend.language
        )

    def question_decision(self) -> DeskAnswer:
        """What did a committee decide about X?"""
        about = self.ask.text(
            "About what",
            validate=check_words,
            instruction="(words such as kiné, a code such as 560011, or CASS 2026/001)",
        )
        return self.backend.answer(answers.decision_answer, about=about.strip())

    def question_indemnity(self) -> DeskAnswer:
        """How much during an illness or a maternity rest, and from when?"""
        from inami_cli.desk.indemnity import question_indemnity

        return self._remember(question_indemnity(self))

    # -------------------------------------------------------------- prompts with defaults

    def ask_niss(self, *, optional: bool = False) -> str | None:
        """The NISS; Enter = the last person asked about. With *optional*, ``-`` (or Enter
        when nobody was asked about yet) means no NISS."""
        if self.last_niss:
            hint = f"(Enter = {format_niss(self.last_niss)}" + (", - = none)" if optional else ")")
        else:
            hint = "(Enter = none, give the situation by hand)" if optional else "(11 digits)"
        text = self.ask.text(
            "NISS of the person",
            validate=lambda t: check_niss(t, empty_ok=optional or bool(self.last_niss)),
            instruction=hint,
        ).strip()
        if text == "-" or (not text and not self.last_niss):
            return None
        return compact_niss(text) if text else self.last_niss

    def ask_date(self, message: str) -> date:
        """A date; Enter = today."""
        text = self.ask.text(
            message,
            validate=check_date,
            instruction=f"(Enter = today {self.today.isoformat()}; or 2026-03-02, 2/3/2026)",
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
        """The sentence first, then why, then the detail tables."""
        from inami_cli.render import render

        self.say("")
        self.say(result.sentence)
        if result.why:
            self.say("Why:")
            for line in result.why:
                self.say(f"  - {line}")
        for table in result.tables:
            self.say(f"\n{table.title}:")
            if table.columns:
                render(
                    list(table.rows),
                    fmt="table",
                    columns=list(table.columns),
                    table_style=self.table_style,
                    out=self.out,
                )
            elif table.rows:
                render(table.rows[0], fmt="table", table_style=self.table_style, out=self.out)
        self.say("")
