"""Question 2: how much comes back for this act (the computation's explanation in plain
words)?"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from inami_cli.domain.niss import format_niss, validate_niss
from inami_cli.domain.providers import format_nihii
from inami_cli.domain.reimbursement import parse_time_of_day
from inami_cli.services.desk._answer import (
    DeskAnswer,
    Table,
    _compact,
    euros,
    insurer_words,
    patient_words,
    period_text,
    profile_words,
)

# ------------------------------------------------------------------ 2. how much back?


def _step_words(
    what: str, value: str, source: str, fund: str, period: str, refused: bool = False
) -> str | None:
    """One explanation step of ``services.reimbursement`` in plain words (None: skip it).

    For a refused case the amounts the tariff would give are said as what the tariff says,
    never as what is paid: the headline says "Not reimbursed" (issue 17).
    """
    where = f" ({source})" if source and source not in ("given",) else ""
    if what in ("insured", "regime", "dmg", "age", "chronic", "bim_automatic"):
        return None  # summarised once by the "beneficiary" step
    if what == "beneficiary data":
        return "No NISS given: the patient's situation was given by hand."
    if what == "beneficiary":
        return f"The patient counts as: {patient_words(value)}."
    if what == "provider" and source.startswith(("register", "given explicitly")):
        return f"The provider is {value}: {source}."
    if what == "provider":
        return {
            "conventioned": "The provider is conventioned: they charge the official fee.",
            "partially": "The provider is partially conventioned: the official fee applies in "
            "the agreed time blocks.",
            "non-conventioned": "The provider is not conventioned: they may charge more than "
            "the fee, and the extra is never paid back.",
        }.get(value, f"Provider: {value}.")
    if what == "provider may attest the code":
        return f"The provider's qualification allows this code ({source})."
    if what == "supplement allowed":
        return f"A supplement is allowed here: {source}."
    if what.startswith("no -25 %"):
        return f"No 25 % cut at this non-conventioned physiotherapist: {source}."
    if what == "fee":
        return f"The official fee is {value} € (tariff in force {period})."
    if what.startswith("reimbursement for profile "):
        profile = profile_words(what.removeprefix("reimbursement for profile "))
        if refused:
            return (
                f"The published tariff for this patient ({profile}) is {value} €; "
                "nothing is paid back here, the case being refused."
            )
        return f"For this patient ({profile}), {fund} pays back {value} € (published tariff)."
    if refused and what in ("personal share", "charged below the fee"):
        return None  # shares of a payment that is not made
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
    if what == "medical house":
        return (
            f"The patient is enrolled in the medical house {value}: it is paid per patient "
            "for those disciplines, not per act."
        )
    if what == "third_party":
        return None  # said by the third-party step
    if what == "paid at the desk":
        return f"At the desk the patient hands over {value} €."
    if what == "paid to the provider by the fund":
        if value == "0.00":
            return f"The patient pays the provider, then {fund} pays its part back to the patient."
        return f"{fund} pays {value} € straight to the provider (third-party payment)."
    if what == "third-party payment":
        return (
            "Third-party payment applies to this case."
            if value == "yes"
            else "No third-party payment: the patient pays the provider first."
        )
    if what.startswith("third-party payment compulsory"):
        return f"Third-party payment is compulsory here: {what}{where}."
    if what.startswith("third-party payment"):
        return f"Third-party payment applies: {what}."
    if what == "referral reduction not applied":
        return f"No referral reduction: {value}."
    if what.startswith("referral by the GP"):
        return (
            f"The patient was referred by the GP: the share is {value.lstrip('-')} € lower "
            f"(once a year per specialty){where}."
        )
    if what == "personal share after the referral reduction":
        return f"So the patient's share becomes {value} €."
    if what == "personal share":
        return f"So the patient's own share of the fee (ticket modérateur) is {value} €."
    if what == "refusal":
        code, _, reason = value.partition(" ")
        return f"Refused (reason {code}): {reason}."
    if value == "0.00":
        return f"Rule applied: {what}{where}: the patient pays no share."
    return f"Rule applied: {what}: {value} €{where}."


def explanation_words(steps: Iterable[Any], *, fund: str, refused: bool = False) -> tuple[str, ...]:
    """The steps of a ``CaseResult.explanation`` as sentences for the caller (*refused*:
    the case was refused, no amount is said to be paid back)."""
    out: list[str] = []
    for step in steps:
        if step.valid_from is not None:
            period = f"from {step.valid_from.isoformat()}" + (
                f" to {step.valid_to.isoformat()}" if step.valid_to else ""
            )
        else:
            period = "on the date"
        words = _step_words(step.what, step.value, step.source or "", fund, period, refused)
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
    text = (
        f"{head}: fee {euros(result.fee)}, {fund} pays back {euros(result.reimbursement)}, {pays}."
    )
    if result.third_party and result.paid_at_desk is not None:
        why = next(
            (
                f" ({step.what.removeprefix('third-party payment ')})"
                for step in result.explanation
                if step.what.startswith("third-party payment compulsory")
            ),
            "",
        )
        text += (
            f" Third-party payment{why}: the patient hands over "
            f"{euros(result.paid_at_desk)} at the desk, {fund} pays "
            f"{euros(result.paid_to_provider)} to the provider."
        )
    return text


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
    provider_id: str | None = None,
    at: str | None = None,
    referred: bool = False,
    third_party: bool | None = None,
) -> DeskAnswer:
    """How much comes back for one act: fee, what the fund pays, what the patient pays, why.

    With a NISS the register gives the patient's situation; without one, *regime* (and
    *dmg*, *age*) describe it. With *provider_id* (and *at*, the time of care) the provider
    register gives the provider's status on the date instead of *provider*. Errors of
    ``services.reimbursement.reimburse`` pass through.
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
        provider_id=provider_id,
        at=parse_time_of_day(at, what="time") if at else None,
        provider_explicit=provider_id is None,
        third_party=third_party,
        referred=referred,
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
        "provider": format_nihii(provider_id) if provider_id else provider,
        "fee": result.fee,
        "reimbursement": result.reimbursement,
        "personal_share": result.personal_share,
        "supplement": result.supplement or None,
        "patient_total": result.patient_total,
        "third_party": result.third_party,
        "paid_at_desk": result.paid_at_desk,
        "paid_to_provider": result.paid_to_provider,
        "referral_reduced": result.referral_reduced or None,
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
        explanation_words(result.explanation, fund=fund, refused=result.status != "ok"),
        (Table("Amounts", (_compact(record),)),),
        valid or code,
        valid,
    )
