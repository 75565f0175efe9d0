"""What every desk answer is made of (a sentence, the reasons, tables of details) and the
wording shared by the questions (euros, insurers, patient profiles, periods)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from inami_cli.domain.insurability import INSURERS

QUESTIONS = ("insured", "reimbursement", "code", "decision", "indemnity")


@dataclass(frozen=True)
class Table:
    """A block of details under the sentence: one record (``columns`` empty, shown as
    key/value lines) or a list of rows with these columns."""

    title: str
    rows: tuple[Mapping[str, Any], ...]
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeskAnswer:
    """What the desk shows for one question."""

    question: str  # one of QUESTIONS
    positive: bool  # yes / reimbursed / found
    sentence: str  # the short plain sentence said first
    why: tuple[str, ...]  # the reasons, in plain words
    tables: tuple[Table, ...]
    subject: str  # what was asked about (NISS, code, words): the consultation log's subject
    niss: str | None = None  # the person asked about, if any (the next default)

    def as_record(self) -> dict[str, Any]:
        """The answer as a plain object (for the consultation log)."""
        return {
            "question": self.question,
            "positive": self.positive,
            "sentence": self.sentence,
            "why": list(self.why),
            "details": {t.title: [dict(r) for r in t.rows] for t in self.tables},
        }


# ------------------------------------------------------------------ wording helpers


def euros(amount: Decimal | None) -> str:
    """``33.73 €`` (two decimals; ``-`` when unknown)."""
    return "-" if amount is None else f"{amount:.2f} €"


def insurer_words(code: str | None, name: str | None = None) -> str:
    """``Solidaris (300)``: the name people use, then the code."""
    if code is None:
        return "no insurer"
    info = INSURERS.get(code)
    short = info.short_name if info is not None else (name or "insurer")
    return f"{short} ({code})"


_PROFILE_WORDS = {
    "preferential": "BIM",
    "ordinary": "ordinary",
    "dmg": "with DMG",
    "no-dmg": "without DMG",
    "chronic": "chronically ill",
    "not-chronic": "not chronically ill",
    "any": "everyone",
}


def profile_words(label: str) -> str:
    """``preferential,dmg`` → ``BIM with DMG``; ``ordinary,no-dmg`` → ``ordinary without DMG``."""
    suffix = ""
    if " (" in label:
        label, rest = label.split(" (", 1)
        suffix = " (" + rest
    words = [_PROFILE_WORDS.get(part.strip(), part.strip()) for part in label.split(",")]
    return " ".join(w for w in words if w) + suffix


_PATIENT_WORDS = {
    "preferential": "preferential regime (BIM)",
    "ordinary": "ordinary regime",
    "dmg": "DMG held",
    "no dmg": "no DMG",
    "chronic": "chronic-illness status",
    "automatic BIM": "BIM granted automatically",
}


def patient_words(label: str) -> str:
    """``preferential, dmg, age 40`` → ``preferential regime (BIM), DMG held, age 40``."""
    return ", ".join(_PATIENT_WORDS.get(p.strip(), p.strip()) for p in label.split(","))


def period_text(start: date | None, end: date | None) -> str | None:
    """``2026-01-01..`` (open) or ``2024-01-01..2024-12-31``; None without a start."""
    if start is None:
        return None
    return f"{start.isoformat()}..{end.isoformat() if end else ''}"


def _compact(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record without empty values (a phone answer shows what is known)."""
    return {k: v for k, v in record.items() if v is not None and v != "" and v != ()}
