"""Support desk answers (``inami desk``): one plain sentence, the reasons, the details.

Staff on the phone ask four things: is this person insured, how much comes back for this
act, what is this code, what did a committee decide about something. Each answer here is
built only from the public functions of the area services (``insurability``,
``reimbursement``, ``nomenclature``, ``committees``): this module adds the wording and the
look-ups a person needs (completion choices, a forgiving search of decisions), never a
rule of its own. Nothing is written; the caller may keep the answer in the consultation
log (``DeskAnswer.as_record``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Session, col

from inami_cli.db.models import Act
from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.insurability import INSURERS
from inami_cli.domain.niss import format_niss, validate_niss
from inami_cli.domain.nomenclature import normalize_label

QUESTIONS = ("insured", "reimbursement", "code", "decision")


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


# ------------------------------------------------------------------ 1. insured?


def insured_sentence(status: Any) -> str:
    """``Yes — insured with Solidaris (300) on 2026-03-02, preferential regime (BIM), DMG
    held.`` or ``No — not insured on 2026-03-02: coverage with 200 ended on 2023-06-30.``

    *status* is a ``services.insurability.BeneficiaryStatus``.
    """
    day = status.on.isoformat()
    if not status.insured:
        return f"No — not insured on {day}: {status.reason}."
    fund = insurer_words(status.insurer_code, status.insurer_name)
    parts = [f"Yes — insured with {fund} on {day}"]
    if status.quality == "dependent" and status.titular_niss:
        parts[0] += f" as a dependent of {status.titular_niss}"
    if status.regime == "preferential":
        parts.append("preferential regime (BIM)")
    else:
        parts.append("ordinary regime")
    parts.append("DMG held" if status.dmg else "no DMG")
    if status.chronic:
        parts.append("chronic-illness status")
    return ", ".join(parts) + "."


def insured_answer(*, session: Session, niss: str, on: date) -> DeskAnswer:
    """Is the person insured on *on*: sentence, reasons and the register's details.

    InvalidInput for a malformed NISS; an unknown person is a "No" answer, not an error.
    """
    from inami_cli.services import insurability

    valid = validate_niss(niss)
    try:
        status = insurability.beneficiary_on(session=session, niss=valid, on=on)
        person = insurability.person_show(session=session, niss=valid)
    except NotFound:
        sentence = (
            f"No — nobody with NISS {format_niss(valid)} is in the register, "
            f"so no insurance is known on {on.isoformat()}."
        )
        unknown = ("The number is valid but no sickness fund declared this person.",)
        return DeskAnswer("insured", False, sentence, unknown, (), valid, valid)
    why: list[str] = [status.reason[:1].upper() + status.reason[1:] + "."]
    if status.insured and status.third_party:
        why.append("The fund pays the doctor directly (third-party payment).")
    if status.insured and status.dmg and status.dmg_gp:
        why.append(f"The global medical file is held by GP {status.dmg_gp}.")
    record = {
        "name": f"{person.first_name} {person.last_name}".strip(),
        "niss": format_niss(valid),
        "date": on,
        "insured": status.insured,
        "insurer": insurer_words(status.insurer_code, status.insurer_name)
        if status.insurer_code
        else None,
        "member_number": status.member_number,
        "quality": status.quality,
        "titular_niss": status.titular_niss,
        "ct1_ct2": f"{status.ct1}/{status.ct2}" if status.ct1 else None,
        "regime": "preferential (BIM)" if status.regime == "preferential" else status.regime,
        "bim_automatic": status.bim_automatic if status.regime == "preferential" else None,
        "dmg": status.dmg,
        "chronic": status.chronic,
        "third_party": status.third_party,
        "period": period_text(status.period_from, status.period_to),
        "birth_date": status.birth_date,
        "age": status.age,
        "death_date": status.death_date,
    }
    return DeskAnswer(
        "insured",
        status.insured,
        insured_sentence(status),
        tuple(why),
        (Table("Person", (_compact(record),)),),
        valid,
        valid,
    )


# ------------------------------------------------------------------ 2. how much back?


def _step_words(what: str, value: str, source: str, fund: str, period: str) -> str | None:
    """One explanation step of ``services.reimbursement`` in plain words (None: skip it)."""
    where = f" ({source})" if source and source not in ("given",) else ""
    if what in ("insured", "regime", "dmg", "age", "chronic", "bim_automatic"):
        return None  # summarised once by the "beneficiary" step
    if what == "beneficiary data":
        return "No NISS given: the patient's situation was given by hand."
    if what == "beneficiary":
        return f"The patient counts as: {patient_words(value)}."
    if what == "provider":
        return {
            "conventioned": "The provider is conventioned: they charge the official fee.",
            "partially": "The provider is partially conventioned: the official fee applies in "
            "the agreed time blocks.",
            "non-conventioned": "The provider is not conventioned: they may charge more than "
            "the fee, and the extra is never paid back.",
        }.get(value, f"Provider: {value}.")
    if what == "fee":
        return f"The official fee is {value} € (tariff in force {period})."
    if what.startswith("reimbursement for profile "):
        profile = profile_words(what.removeprefix("reimbursement for profile "))
        return f"For this patient ({profile}), {fund} pays back {value} € (published tariff)."
    if what.startswith("fixed personal share "):
        return (
            f"The patient's share is fixed by the rules at {value} €, {fund} pays the rest{where}."
        )
    if what == "age limits":
        return f"The code is for patients aged {value}: the patient fits."
    if what == "prerequisite met":
        return f"Condition met: {value}."
    if what == "frequency":
        return f"Limit per period: {value}."
    if what == "supplement (never reimbursed)":
        return f"The provider asks {value} € more than the fee: this supplement is never paid back."
    if what == "charged below the fee":
        return f"The provider asks only {value} €: {fund}'s part does not change."
    if what == "personal share":
        return f"So the patient's own share of the fee (ticket modérateur) is {value} €."
    if what == "refusal":
        code, _, reason = value.partition(" ")
        return f"Refused (reason {code}): {reason}."
    if value == "0.00":
        return f"Rule applied: {what}{where}: the patient pays no share."
    return f"Rule applied: {what}: {value} €{where}."


def explanation_words(steps: Iterable[Any], *, fund: str) -> tuple[str, ...]:
    """The steps of a ``CaseResult.explanation`` as sentences for the caller."""
    out: list[str] = []
    for step in steps:
        if step.valid_from is not None:
            period = f"from {step.valid_from.isoformat()}" + (
                f" to {step.valid_to.isoformat()}" if step.valid_to else ""
            )
        else:
            period = "on the date"
        words = _step_words(step.what, step.value, step.source or "", fund, period)
        if words is not None:
            out.append(words)
    return tuple(out)


def reimbursement_sentence(result: Any, *, fund: str) -> str:
    """``101076 on 2026-03-02: fee 33.73 €, Solidaris (300) pays back 32.73 €, the patient
    pays 1.00 €.`` (*result* is a ``domain.reimbursement.CaseResult``)."""
    head = f"{result.code} on {result.date.isoformat()}"
    if result.status != "ok":
        text = f"Not reimbursed — {head}: {result.refusal_reason} (reason {result.refusal_code})."
        if result.fee is not None:
            text += f" The patient pays the whole fee of {euros(result.fee)}"
            if result.supplement:
                text += f" plus {euros(result.supplement)} asked above it"
            text += "."
        return text
    pays = f"the patient pays {euros(result.personal_share)}"
    if result.supplement:
        pays += (
            f" + a supplement of {euros(result.supplement)} (never paid back) "
            f"= {euros(result.patient_total)}"
        )
    elif result.patient_total is not None and result.patient_total != result.personal_share:
        pays = f"the patient pays {euros(result.patient_total)}"
    return (
        f"{head}: fee {euros(result.fee)}, {fund} pays back {euros(result.reimbursement)}, {pays}."
    )


def reimbursement_answer(
    *,
    session: Session,
    code: str,
    on: date,
    niss: str | None = None,
    regime: str | None = None,
    dmg: bool | None = None,
    age: int | None = None,
    provider: str = "conventioned",
    charged: Decimal | None = None,
    language: str = "fr",
) -> DeskAnswer:
    """How much comes back for one act: fee, what the fund pays, what the patient pays, why.

    With a NISS the register gives the patient's situation; without one, *regime* (and
    *dmg*, *age*) describe it. Errors of ``services.reimbursement.reimburse`` pass through.
    """
    from inami_cli.services import insurability
    from inami_cli.services import reimbursement as svc

    valid = validate_niss(niss) if niss else None
    request = svc.CaseRequest(
        codes=(code.strip(),),
        on=on,
        niss=valid,
        overrides=svc.Overrides(regime=regime, dmg=dmg, age=age),
        provider=provider,
        charged=(charged,) if charged is not None else (),
    )
    answer = svc.reimburse(session=session, request=request, explain=True, language=language)
    result, label = answer.results[0], answer.labels[0]
    fund = "the sickness fund"
    if valid is not None:
        status = insurability.beneficiary_on(session=session, niss=valid, on=on)
        if status.insured:
            fund = insurer_words(status.insurer_code, status.insurer_name)
    record = {
        "code": result.code,
        "label": label,
        "date": result.date,
        "niss": format_niss(valid) if valid else None,
        "patient": profile_words(result.profile) if result.profile else None,
        "provider": provider,
        "fee": result.fee,
        "reimbursement": result.reimbursement,
        "personal_share": result.personal_share,
        "supplement": result.supplement or None,
        "patient_total": result.patient_total,
        "tariff_period": period_text(result.tariff_valid_from, result.tariff_valid_to),
        "status": result.status,
        "refusal": f"{result.refusal_code} {result.refusal_reason}"
        if result.refusal_code
        else None,
        "source": result.source,
    }
    return DeskAnswer(
        "reimbursement",
        result.status == "ok",
        reimbursement_sentence(result, fund=fund),
        explanation_words(result.explanation, fund=fund),
        (Table("Amounts", (_compact(record),)),),
        valid or code,
        valid,
    )


# ------------------------------------------------------------------ 3. what is code X?


def code_answer(*, session: Session, code: str, on: date, language: str = "fr") -> DeskAnswer:
    """What a code is: its label, article, fee on *on* and each profile's reimbursement."""
    from inami_cli.services import nomenclature

    shown = nomenclature.show(session=session, code=code.strip(), on=on)
    act, tariff = shown.act, shown.tariff
    label = act.label_nl if language == "nl" and act.label_nl else act.label_fr
    article = f" (article {act.article})" if act.article else ""
    why: list[str] = [w[:1].upper() + w[1:] + "." for w in shown.warnings]
    tables: list[Table] = []
    if tariff is None:
        nearest = ", ".join(shown.nearest) or "none recorded"
        sentence = (
            f"{act.code} — {label}{article}. No tariff is in force on {on.isoformat()} "
            f"(nearest periods: {nearest})."
        )
    else:
        period = f"since {tariff.valid_from.isoformat()}" + (
            f", until {tariff.valid_to.isoformat()}" if tariff.valid_to else ""
        )
        sentence = (
            f"{act.code} — {label}{article}. "
            f"On {on.isoformat()} the fee is {euros(tariff.fee)} ({period})"
        )
        lines = nomenclature.profile_lines(tariff)
        if lines:
            low = min(line.reimbursement for line in lines)
            high = max(line.reimbursement for line in lines)
            sentence += (
                f"; the fund pays back {euros(low)}"
                if low == high
                else f"; the fund pays back {euros(low)} to {euros(high)} depending on the patient"
            )
            tables.append(
                Table(
                    "Reimbursement by patient",
                    tuple(
                        {
                            "patient": profile_words(line.profile),
                            "reimbursement": line.reimbursement,
                            "personal_share": line.personal_share,
                        }
                        for line in lines
                    ),
                    ("patient", "reimbursement", "personal_share"),
                )
            )
        sentence += "."
        if tariff.fee_derived:
            why.append("The fee is computed from the key-letter values in force on the date.")
        if tariff.decision_number:
            why.append(f"This tariff was set by committee decision {tariff.decision_number}.")
        why.append(f"Source of the tariff: {tariff.source}.")
    frequency = act.frequency_period or "calendar_year"
    limits = None
    if act.min_age is not None or act.max_age is not None:
        limits = f"{act.min_age if act.min_age is not None else 0}-" + (
            str(act.max_age) if act.max_age is not None else ""
        )
    record = {
        "code": act.code,
        "label_fr": act.label_fr,
        "label_nl": act.label_nl,
        "article": act.article,
        "category": act.category,
        "setting": act.setting,
        "exists": (
            f"{act.valid_from.isoformat() if act.valid_from else ''}.."
            f"{act.valid_to.isoformat() if act.valid_to else ''}"
            if act.valid_from or act.valid_to
            else None
        ),
        "fee": tariff.fee if tariff else None,
        "key_terms": act.key_terms,
        "age_limits": limits,
        "frequency": (
            f"{act.max_per_period} per {frequency.replace('_', ' ')}"
            if act.max_per_period
            else None
        ),
        "not_combinable_with": " ".join(act.not_combinable_with),
        "prerequisite": act.prerequisite,
    }
    tables.insert(0, Table("Code", (_compact(record),)))
    return DeskAnswer("code", tariff is not None, sentence, tuple(why), tuple(tables), act.code)


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
        col(Act.code), col(Act.label_fr), col(Act.label_nl), col(Act.search_text)
    ).order_by(col(Act.code))
    if on is not None:
        query = query.where(or_(col(Act.valid_from).is_(None), col(Act.valid_from) <= on)).where(
            or_(col(Act.valid_to).is_(None), col(Act.valid_to) >= on)
        )
    out: list[CodeChoice] = []
    for code, fr, nl, haystack in session.execute(query):
        label = nl if language == "nl" and nl else fr
        out.append(CodeChoice(code, label, haystack or normalize_label(f"{code} {fr} {nl}")))
    return out


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
        if first.isdigit() and len(first) == 6:
            raise InvalidInput(f"code {first} is not in the nomenclature for this date")
        raise InvalidInput(f"no code matches {typed!r}")
    return_list = ", ".join(c.code for c in found[:5]) + (" ..." if len(found) > 5 else "")
    raise InvalidInput(
        f"{typed!r} matches {len(found)} codes ({return_list}): pick one with Tab or the arrows"
    )


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
    elif subject.isdigit() and len(subject) == 6:
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
