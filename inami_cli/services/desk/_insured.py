"""Question 1: is this person insured on a date?"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from inami_cli.domain.errors import NotFound
from inami_cli.domain.niss import format_niss, validate_niss
from inami_cli.services.desk._answer import DeskAnswer, Table, _compact, insurer_words, period_text

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
        "mutuality": getattr(status, "mutuality", None),
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
