"""Dossiers: the acts of a change through the bodies, and its journey (``decision chain``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date

from sqlalchemy import or_
from sqlmodel import Session, col, select

from inami_cli.db.models import Decision, DossierStep, Meeting
from inami_cli.domain.committees import STEP_KINDS
from inami_cli.domain.errors import Conflict, InvalidInput, NotFound
from inami_cli.services.audit import record_change
from inami_cli.services.committees._common import _decision
from inami_cli.services.committees._tariffs import _decisions_touching, _tariff_changes
from inami_cli.services.committees._views import Chain, StepInfo


def add_step(
    *,
    session: Session,
    body: str,
    kind: str,
    on: date,
    dossier: str | None = None,
    reference: str = "",
    deemed_given: bool = False,
    decision: str | None = None,
    codes: Sequence[str] = (),
) -> StepInfo:
    """Record one act of a dossier (proposal, advice, decision, opinion, publication...)."""
    from inami_cli.domain.nomenclature import validate_code

    if kind not in STEP_KINDS:
        raise InvalidInput(f"--kind {kind!r}: expected one of {', '.join(STEP_KINDS)}")
    if not body.strip():
        raise InvalidInput("--body is empty")
    if deemed_given and kind != "advice":
        raise InvalidInput("--deemed-given applies to an advice only")
    linked: Decision | None = _decision(session, decision) if decision else None
    name = (dossier or "").strip()
    if linked is not None:
        if not name:
            name = linked.dossier
        if not name:
            raise MissingDossier(linked.number)
        if linked.dossier and linked.dossier != name:
            raise Conflict(f"{linked.number} belongs to dossier {linked.dossier!r}, not {name!r}")
        if not linked.dossier:
            linked.dossier = name
            session.add(linked)
    if not name:
        raise InvalidInput("--dossier is required (or --decision of a decision in a dossier)")
    clean_codes = tuple(validate_code(c) for c in codes)
    step = DossierStep(
        dossier=name,
        body=body.strip(),
        kind=kind,
        step_date=on,
        reference=reference.strip(),
        deemed_given=deemed_given,
        decision_id=linked.id if linked else None,
        codes=" ".join(clean_codes),
    )
    session.add(step)
    session.flush()
    info = _step_info(step, linked.number if linked else None)
    record_change(
        session=session,
        entity="dossier_step",
        key=str(step.id),
        action="insert",
        after=asdict(info),
    )
    return info


class MissingDossier(InvalidInput):
    """A step names a decision that is in no dossier and no ``--dossier`` was given."""

    def __init__(self, number: str) -> None:
        super().__init__(f"{number} is in no dossier: pass --dossier")


def _step_info(step: DossierStep, number: str | None) -> StepInfo:
    return StepInfo(
        id=step.id,
        dossier=step.dossier,
        step_date=step.step_date,
        body=step.body,
        kind=step.kind,
        reference=step.reference,
        deemed_given=step.deemed_given,
        decision=number,
        codes=tuple(step.codes.split()),
    )


def chain(
    *,
    session: Session,
    number: str | None = None,
    code: str | None = None,
    dossier: str | None = None,
) -> list[Chain]:
    """The journey of a change: every step of the dossier(s), with the decisions, by date.

    By *number*: the decision's dossier (or the decision alone). By *code*: every dossier
    whose steps or decisions concern the code. By *dossier*: that dossier.
    """
    if sum(x is not None for x in (number, code, dossier)) != 1:
        raise InvalidInput("give one of a decision NUMBER, --code CODE or --dossier NAME")
    dossiers: list[str] = []
    loose: list[Decision] = []
    if dossier is not None:
        name = dossier.strip()
        known = session.exec(select(DossierStep.id).where(DossierStep.dossier == name)).first()
        if (
            known is None
            and not session.exec(select(Decision.id).where(Decision.dossier == name)).first()
        ):
            raise NotFound(f"dossier {name!r} not found")
        dossiers.append(name)
    elif number is not None:
        decision = _decision(session, number)
        if decision.dossier:
            dossiers.append(decision.dossier)
        else:
            loose.append(decision)
    else:
        from inami_cli.domain.nomenclature import validate_code

        code = validate_code(code or "")
        names: set[str] = set()
        for step in session.exec(select(DossierStep).where(col(DossierStep.codes).contains(code))):
            if code in step.codes.split():
                names.add(step.dossier)
        for decision_id in _decisions_touching(session, code):
            found = session.get(Decision, decision_id)
            if found is None:
                continue
            if found.dossier:
                names.add(found.dossier)
            else:
                loose.append(found)
        dossiers = sorted(names)
        if not dossiers and not loose:
            raise NotFound(f"no decision or dossier concerns code {code}")
    out: list[Chain] = []
    for name in dossiers:
        steps = session.exec(select(DossierStep).where(DossierStep.dossier == name)).all()
        numbers = {
            d.id: d
            for d in session.exec(
                select(Decision).where(
                    or_(
                        col(Decision.dossier) == name,
                        col(Decision.id).in_(
                            [s.decision_id for s in steps if s.decision_id] or [-1]
                        ),
                    )
                )
            ).all()
        }
        entries = [
            _step_info(s, numbers[s.decision_id].number if s.decision_id in numbers else None)
            for s in steps
        ]
        stepped = {s.decision_id for s in steps if s.decision_id and s.kind == "decision"}
        for d in numbers.values():
            entry = _decision_step(session, d)
            if d.id in stepped:
                # the explicit step says when; keep its title and state for the reader
                entries = [
                    StepInfo(**{**asdict(e), "title": d.title, "state": d.state})
                    if e.decision == d.number and e.kind == "decision"
                    else e
                    for e in entries
                ]
            else:
                entries.append(entry)
        entries.sort(key=lambda e: (e.step_date, STEP_KINDS.index(e.kind), e.body))
        out.append(Chain(dossier=name, steps=tuple(entries)))
    for d in loose:
        out.append(Chain(dossier="", steps=(_decision_step(session, d),)))
    return out


def _decision_step(session: Session, d: Decision) -> StepInfo:
    meeting = session.get(Meeting, d.meeting_id) if d.meeting_id else None
    codes = sorted({row.get("code", "") for _, row in _tariff_changes(session, d.id or 0)} - {""})
    return StepInfo(
        dossier=d.dossier,
        step_date=meeting.meeting_date if meeting else d.created_at.date(),
        body=d.committee_code,
        kind="decision",
        reference=d.legal_reference,
        deemed_given=False,
        decision=d.number,
        codes=tuple(codes),
        title=d.title,
        state=d.state,
    )
