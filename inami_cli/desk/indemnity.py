"""The desk's "Indemnity" question: NISS, what happened (illness or maternity), since when,
the gross monthly wage and the family situation (Enter: as recorded) -> the daily amount
and from when, in one sentence (``services.desk.indemnity_answer``), then the detail.

Kept apart from ``loop`` (which only lists it in the menu): the prompts of this question
and nothing else.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from inami_cli.desk.prompts import Prompter, check_amount, check_date
from inami_cli.desk.words import word
from inami_cli.domain.dates import parse_date
from inami_cli.domain.money import parse_amount
from inami_cli.services import desk as answers
from inami_cli.services.desk import DeskAnswer

Choices = tuple[tuple[str, str, str | None], ...]


def events(lang: str) -> Choices:
    """What happened, in *lang* (letters the same in every language)."""
    return (
        ("illness", word(lang, "e_illness"), "i"),
        ("maternity", word(lang, "e_maternity"), "m"),
    )


def situations(lang: str) -> Choices:
    """The family situation, in *lang*."""
    return (
        ("family", word(lang, "f_family"), "f"),
        ("isolated", word(lang, "f_isolated"), "i"),
        ("cohabitant", word(lang, "f_cohabitant"), "c"),
    )


def schemes(lang: str) -> Choices:
    """The person's scheme, in *lang*."""
    return (
        ("employee", word(lang, "s_employee"), "e"),
        ("unemployed", word(lang, "s_unemployed"), "u"),
        ("self-employed", word(lang, "s_self"), "s"),
    )


class _DeskLike(Protocol):
    ask: Prompter
    today: date
    backend: Any
    language: str

    def ask_niss(self, *, optional: bool = False) -> str | None: ...


def question_indemnity(desk: _DeskLike) -> DeskAnswer:
    """How much will the caller get, and from when?"""
    niss = desk.ask_niss()
    assert niss is not None
    lang = desk.language
    event = desk.ask.select(word(lang, "event"), events(lang), default="illness")
    text = desk.ask.text(
        word(lang, "since"), validate=check_date, instruction=word(lang, "since_hint")
    )
    since = parse_date(text, what="date", today=desk.today) if text.strip() else None
    wage_text = desk.ask.text(
        word(lang, "wage"), validate=check_amount, instruction=word(lang, "wage_hint")
    )
    wage: Decimal | None = parse_amount(wage_text, what="wage") if wage_text.strip() else None
    situation: str | None = None
    scheme: str | None = None
    if event == "illness" and since is not None:
        scheme = desk.ask.select(word(lang, "scheme"), schemes(lang), default="employee")
        situation = desk.ask.select(word(lang, "situation"), situations(lang), default="isolated")
    result: DeskAnswer = desk.backend.answer(
        answers.indemnity_answer,
        niss=niss,
        event=event,
        on=desk.today,
        since=since,
        gross_monthly=wage,
        family_situation=situation,
        scheme=scheme,
    )
    return result
