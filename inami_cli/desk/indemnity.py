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
from inami_cli.domain.dates import parse_date
from inami_cli.domain.money import parse_amount
from inami_cli.services import desk as answers
from inami_cli.services.desk import DeskAnswer

EVENTS: tuple[tuple[str, str, str | None], ...] = (
    ("illness", "illness (incapacity for work)", "i"),
    ("maternity", "maternity rest", "m"),
)
SITUATIONS: tuple[tuple[str, str, str | None], ...] = (
    ("", "as recorded (or ask)", "r"),
    ("family", "with family charge", "f"),
    ("isolated", "isolated (lives alone)", "i"),
    ("cohabitant", "cohabitant", "c"),
)
SCHEMES: tuple[tuple[str, str, str | None], ...] = (
    ("employee", "employee", "e"),
    ("unemployed", "unemployed", "u"),
    ("self-employed", "self-employed", "s"),
)


class _DeskLike(Protocol):
    ask: Prompter
    today: date
    backend: Any

    def ask_niss(self, *, optional: bool = False) -> str | None: ...


def question_indemnity(desk: _DeskLike) -> DeskAnswer:
    """How much will the caller get, and from when?"""
    niss = desk.ask_niss()
    assert niss is not None
    event = desk.ask.select("What happened?", EVENTS, default="illness")
    text = desk.ask.text(
        "Since when",
        validate=check_date,
        instruction="(Enter = as recorded, or today for a maternity rest; 2/3/2026)",
    )
    since = parse_date(text, what="date", today=desk.today) if text.strip() else None
    wage_text = desk.ask.text(
        "Gross monthly wage",
        validate=check_amount,
        instruction="(3000 or 3 000,00; Enter = as recorded)",
    )
    wage: Decimal | None = parse_amount(wage_text, what="wage") if wage_text.strip() else None
    situation: str | None = None
    scheme: str | None = None
    if event == "illness" and since is not None:
        scheme = desk.ask.select("The person is:", SCHEMES, default="employee")
        situation = desk.ask.select("Family situation:", SITUATIONS[1:], default="isolated")
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
