"""Question 4: what did a committee decide about something (a number, a code, words)?"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.nomenclature import normalize_label
from inami_cli.domain.values import is_digits
from inami_cli.services.desk._answer import DeskAnswer, Table

# ------------------------------------------------------------------ 4. committee decisions

# Words that say nothing about a subject (EN/FR/NL), skipped when matching decisions.
_STOP = frozenset({
    "a", "an", "the", "about", "of", "for", "on", "in", "to", "and", "or", "what", "did",
    "decide", "decided", "decision", "decisions", "committee", "fee", "fees", "tariff",
    "tariffs", "le", "la", "les", "de", "des", "du", "un", "une", "et", "ou", "sur", "pour",
    "au", "aux", "het", "een", "van", "voor", "en", "op", "over"
})  # fmt: skip


def _subject_words(text: str) -> list[str]:
    words = [w for w in normalize_label(text).split() if len(w) >= 3 and w not in _STOP]
    return words or [w for w in normalize_label(text).split() if w]


def _matches(word: str, haystack: str) -> bool:
    if word in haystack:
        return True
    return len(word) > 4 and word.endswith("s") and word[:-1] in haystack  # plurals


def decision_answer(*, session: Session, about: str) -> DeskAnswer:
    """What committees decided about *about*: a decision number (``CASS 2026/001``), a code,
    or words (``kiné``, ``physiotherapy fees``), matched in the decisions' titles, texts,
    dossiers and the labels of the codes they change. Latest first, with the dossier's
    journey of the most recent one."""
    from inami_cli.domain.committees import parse_decision_number
    from inami_cli.services import committees, nomenclature

    subject = about.strip()
    if not subject:
        raise InvalidInput("say what the decision was about (words, a code or a number)")
    decisions: list[Any]
    try:
        parse_decision_number(subject)
    except InvalidInput:
        is_number = False
    else:
        is_number = True
    if is_number:
        decisions = [committees.show_decision(session=session, number=subject)]
    elif is_digits(subject) and len(subject) == 6:
        decisions = committees.list_decisions(session=session, code=subject)
    else:
        words = _subject_words(subject)
        labels: dict[str, str] = {}
        scored: list[tuple[int, Any]] = []
        for decision in committees.list_decisions(session=session):
            parts = [decision.number, decision.title, decision.text, decision.dossier]
            parts.append(decision.legal_reference)
            for row in decision.tariff_changes:
                code = row.get("code", "")
                if code and code not in labels:
                    try:
                        act = nomenclature.get_act(session=session, code=code)
                        labels[code] = f"{code} {act.label_fr} {act.label_nl}"
                    except (NotFound, InvalidInput):
                        labels[code] = code
                parts.append(labels.get(code, ""))
            haystack = normalize_label(" ".join(parts))
            hits = sum(1 for w in words if _matches(w, haystack))
            if hits:
                scored.append((hits, decision))
        best = max((h for h, _ in scored), default=0)
        decisions = [d for h, d in scored if h == best]
    decisions.sort(
        key=lambda d: (d.meeting_date or date.min, d.committee, d.year, d.seq), reverse=True
    )
    if not decisions:
        sentence = f"No committee decision found about {subject!r}."
        advice = ("Try another word, a nomenclature code (560011) or a decision number.",)
        return DeskAnswer("decision", False, sentence, advice, (), subject)
    latest = decisions[0]
    when = f" on {latest.meeting_date.isoformat()}" if latest.meeting_date else ""
    count = f"{len(decisions)} decisions" if len(decisions) > 1 else "1 decision"
    sentence = (
        f"{count} about {subject!r}; the latest, {latest.number}{when}, was {latest.state}: "
        f"{latest.title}"
    )
    if latest.state == "adopted" and latest.effective_date:
        sentence += f", in force from {latest.effective_date.isoformat()}"
    sentence += "."
    why: list[str] = []
    if latest.reason:
        why.append(f"Vote of {latest.number}: {latest.reason}.")
    if latest.applied_at is not None:
        why.append("Its tariffs are in the nomenclature (applied).")
    changed = sorted({row.get("code", "") for row in latest.tariff_changes} - {""})
    if changed:
        why.append(f"Codes changed: {', '.join(changed)}.")
    tables = [
        Table(
            "Decisions",
            tuple(
                {
                    "number": d.number,
                    "date": d.meeting_date,
                    "title": d.title,
                    "outcome": d.reason or d.state,
                    "in_force": d.effective_date,
                }
                for d in decisions
            ),
            ("number", "date", "title", "outcome", "in_force"),
        )
    ]
    if latest.dossier:
        chains = committees.chain(session=session, number=latest.number)
        steps = [s for c in chains for s in c.steps]
        if steps:
            tables.append(
                Table(
                    f"Journey of dossier {latest.dossier}",
                    tuple(
                        {
                            "date": s.step_date,
                            "body": s.body,
                            "step": s.kind + (" (deemed given)" if s.deemed_given else ""),
                            "decision": s.decision,
                            "reference": s.reference,
                        }
                        for s in steps
                    ),
                    ("date", "body", "step", "decision", "reference"),
                )
            )
    return DeskAnswer("decision", True, sentence, tuple(why), tuple(tables), subject)
