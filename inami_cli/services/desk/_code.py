"""Question 3: what is code X (label, fee on the date, what each patient gets back)?"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from inami_cli.services.desk._answer import DeskAnswer, Table, _compact, euros, profile_words

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
