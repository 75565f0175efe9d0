"""Question 5: how much will I get during an illness or a maternity rest, and from when?

Built from the public face of ``services.indemnities`` only: the wording and the choice of
the days worth saying (the first day the fund pays, the day asked about, the passage to
invalidity); a figure that is derived rather than published is said in the sentence.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.niss import format_niss, validate_niss
from inami_cli.services.desk._answer import DeskAnswer, Table, _compact, euros

EVENTS = ("illness", "maternity")
_PHASE_WORDS = {
    "guaranteed-wage": "the employer's guaranteed wage (the fund pays nothing yet)",
    "not-paid": "not paid (carence)",
    "primary": "primary incapacity",
    "primary-minimum": "primary incapacity, raised to the minimum",
    "invalidity": "invalidity",
    "invalidity-minimum": "invalidity, raised to the minimum",
}
_DERIVED = " This uses a figure not yet published (derived), see below."


def _parameters(steps: Any) -> tuple[dict[str, Any], ...]:
    seen: dict[tuple[Any, Any], dict[str, Any]] = {}
    for step in steps:
        if step["parameter"]:
            seen.setdefault((step["parameter"], step["valid_from"]), {
                "parameter": step["parameter"], "value": step["value"],
                "from": step["valid_from"], "to": step["valid_to"],
                "reliability": step["reliability"],
            })  # fmt: skip
    return tuple(seen.values())


def indemnity_answer(
    *,
    session: Session,
    niss: str,
    event: str,
    on: date,
    since: date | None = None,
    gross_monthly: Decimal | None = None,
    family_situation: str | None = None,
    scheme: str | None = None,
) -> DeskAnswer:
    """The daily amount and from when, in one sentence, then why and the parameters used."""
    valid = validate_niss(niss)
    if event not in EVENTS:
        raise InvalidInput(f"what happened: {event!r} is not illness or maternity")
    if event == "maternity":
        return _maternity(session, valid, on, since, gross_monthly)
    from inami_cli.services import indemnities

    given = indemnities.CaseInput(
        scheme=scheme, start=since, family_situation=family_situation,
        gross_monthly=gross_monthly,
    )  # fmt: skip
    recorded = since is None
    try:
        spell = indemnities.spell_on(session=session, niss=valid, on=on) if recorded else None
    except NotFound:
        raise NotFound(
            f"no incapacity of {format_niss(valid)} is recorded on {on.isoformat()}: "
            "give the day it started"
        ) from None
    start = since or (spell.episode_start if spell else on)
    first = indemnities.indemnity_compute(
        session=session, on=max(start, on) if recorded else start, given=given,
        niss=valid if recorded else None,
    )  # fmt: skip
    pays_from = first.result.paid_from
    day = on if pays_from is None or on >= pays_from else pays_from
    answer = indemnities.indemnity_compute(
        session=session, on=day, given=given, niss=valid if recorded else None
    )
    result = answer.result
    if result.phase == "not-paid" and result.paid_from is None:
        sentence = (
            f"Illness since {result.start.isoformat()}: not paid — an incapacity of fewer than "
            "8 days is not paid to the self-employed."
        )
    else:
        sentence = (
            f"Illness since {result.start.isoformat()}: from {day.isoformat()} the fund pays "
            f"{euros(result.daily_amount)} gross a day, Monday to Saturday "
            f"({_PHASE_WORDS.get(result.phase, result.phase)}); invalidity from "
            f"{result.invalidity_from.isoformat()}."
        )
    if result.derived:
        sentence += _DERIVED
    why = [
        f"{step['step'][:1].upper()}{step['step'][1:]}: {step['value']}"
        + (f" ({step['reliability']} figure)" if step["reliability"] else "")
        for step in result.steps
        if step["value"] is not None and step["step"] not in ("day of incapacity", "phase")
    ]
    why.extend(w for w in answer.warnings if not w.startswith("uses derived"))
    record = _compact({"niss": format_niss(valid), **result.as_record()})
    record.pop("derived_parameters", None)
    return DeskAnswer(
        "indemnity", result.daily_amount > 0, sentence, tuple(why),
        (Table("Computation", (record,)),
         Table("Parameters used", _parameters(result.steps),
               ("parameter", "value", "from", "to", "reliability"))),
        valid, valid,
    )  # fmt: skip


def _maternity(
    session: Session, niss: str, on: date, since: date | None, gross_monthly: Decimal | None
) -> DeskAnswer:
    from inami_cli.services import indemnities

    if gross_monthly is None:
        raise InvalidInput("give the gross monthly wage for a maternity rest")
    start = since or on
    store = indemnities.load_store(session=session)
    divisor = store.get("employee.daily_wage.monthly_divisor", start).number
    result = indemnities.maternity_compute(
        session=session, scheme="employee", start=start, gross_daily=gross_monthly / divisor
    )
    first = result.lines[0]
    sentence = (
        f"Maternity rest from {start.isoformat()}: {euros(first.daily_amount)} gross a day "
        f"({first.what})"
    )
    if len(result.lines) > 1:
        sentence += f", then {euros(result.lines[1].daily_amount)} (75 %, capped)"
    sentence += f", Monday to Saturday; {euros(result.total)} for the 15 weeks."
    if result.derived:
        sentence += _DERIVED
    return DeskAnswer(
        "indemnity", True, sentence,
        ("82 % of the uncapped wage for the first 30 days, then 75 % of the capped wage.",
         f"Daily wage = monthly gross / {divisor}."),
        (Table("Lines", tuple(line.as_record() for line in result.lines),
               ("what", "from", "to", "paid_days", "daily_amount", "amount", "reliability")),
         Table("Parameters used", _parameters(result.steps),
               ("parameter", "value", "from", "to", "reliability"))),
        niss, niss,
    )  # fmt: skip
