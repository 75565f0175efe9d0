"""The codes offered when the desk asks for one: completion choices in the configured
language, matching typed words, and telling which code the person means."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import or_, select
from sqlmodel import Session, col

from inami_cli.db.models import Act
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.nomenclature import normalize_label
from inami_cli.domain.values import is_digits


@dataclass(frozen=True)
class CodeChoice:
    """A code offered by completion: its label in the chosen language and what to match."""

    code: str
    label: str
    haystack: str  # normalised code and both labels (accents and case ignored)


def code_choices(*, session: Session, on: date | None, language: str = "fr") -> list[CodeChoice]:
    """Codes for completion, labelled in *language*, matched on code and both labels.

    ``services.reimbursement.code_choices`` gives the French label only; the desk needs the
    configured language and the Dutch words too (a Dutch-speaking caller says "kiné" too).
    With *on*, only the acts that exist on that date.
    """
    query = select(
        col(Act.code), col(Act.label_fr), col(Act.label_nl), col(Act.search_text), col(Act.category)
    ).order_by(col(Act.code))
    if on is not None:
        query = query.where(or_(col(Act.valid_from).is_(None), col(Act.valid_from) <= on)).where(
            or_(col(Act.valid_to).is_(None), col(Act.valid_to) >= on)
        )
    out: list[CodeChoice] = []
    words = category_words()
    for code, fr, nl, haystack, category in session.execute(query):
        label = nl if language == "nl" and nl else fr
        text = haystack or normalize_label(f"{code} {fr} {nl}")
        extra = words.get(category or "")
        out.append(CodeChoice(code, label, f"{text} | {extra}" if extra else text))
    return out


@functools.cache
def category_words() -> dict[str, str]:
    """Callers' words for each act category (``tandarts`` → dental), normalised, from
    ``inami_cli/data/desk_synonyms.csv`` (each word with its source and reliability tag)."""
    from inami_cli.tabular import Columns, open_binary, read_table

    spec = Columns(("word", "categories"), ("language", "reliability", "source"))
    path = Path(__file__).resolve().parents[2] / "data" / "desk_synonyms.csv"
    words: dict[str, list[str]] = {}
    with open_binary(path) as binary:
        table = read_table(binary, filename=str(path), spec=spec)
        for _line, record in table.records():
            for category in record["categories"].split():
                words.setdefault(category, []).append(normalize_label(record["word"]))
    return {category: " ".join(found) for category, found in words.items()}


def match_choices(text: str, choices: Sequence[CodeChoice]) -> list[CodeChoice]:
    """The choices holding every typed word (accents and case ignored): ``kiné``, ``101``."""
    words = normalize_label(text).split()
    if not words:
        return list(choices)
    return [c for c in choices if all(w in c.haystack for w in words)]


def resolve_code(text: str, choices: Sequence[CodeChoice]) -> str:
    """The code the person means: the first word if it is a code offered, or the only
    choice the words narrow to. InvalidInput says what to do otherwise."""
    typed = text.strip()
    if not typed:
        raise InvalidInput("type a code or words of its label")
    first = typed.split()[0]
    known = {c.code for c in choices}
    if first in known:
        return first
    found = match_choices(typed, choices)
    if len(found) == 1:
        return found[0].code
    if not found:
        if is_digits(first) and len(first) == 6:
            raise InvalidInput(f"code {first} is not in the nomenclature for this date")
        raise InvalidInput(f"no code matches {typed!r}")
    return_list = ", ".join(c.code for c in found[:5]) + (" ..." if len(found) > 5 else "")
    raise InvalidInput(
        f"{typed!r} matches {len(found)} codes ({return_list}): pick one with Tab or the arrows"
    )


def code_category(*, session: Session, code: str) -> str | None:
    """The act category of *code* (None: unknown code), to ask only what matters for it
    (a specialist consultation: was the patient referred by the GP?)."""
    found = session.execute(select(col(Act.category)).where(col(Act.code) == code)).first()
    return None if found is None else str(found[0])
