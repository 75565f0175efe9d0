"""Numbered decisions: recorded with their computed outcome, revised with history, listed."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from inami_cli.db.models import Decision, DecisionRevision, Meeting
from inami_cli.domain.committees import (
    DECISION_KINDS,
    Outcome,
    Vote,
    evaluate,
    format_decision_number,
)
from inami_cli.domain.errors import Conflict, InvalidInput
from inami_cli.domain.nomenclature import typed_row
from inami_cli.services.audit import current_actor, now, record_change
from inami_cli.services.committees._common import _committee, _decision, _meeting
from inami_cli.services.committees._meetings import _attendance
from inami_cli.services.committees._tariffs import (
    TariffRows,
    _decisions_touching,
    _store_changes,
    _tariff_changes,
    check_tariff_rows,
)
from inami_cli.services.committees._views import DecisionInfo, RevisionInfo
from inami_cli.services.committees._votes import _votes_doc, _votes_of


def preview_outcome(
    *,
    session: Session,
    committee: str,
    meeting_id: int,
    votes: Mapping[str, Vote],
    kind: str = "other",
    vote_round: int = 1,
) -> Outcome:
    """The outcome the rules give to *votes* at that meeting (nothing written)."""
    row, rules = _committee(session, committee)
    meeting = _meeting(session, meeting_id)
    _check_meeting_of(meeting, row.code)
    _, by_group = _attendance(session, meeting)
    return evaluate(rules, by_group, votes, kind=kind, vote_round=vote_round)


def _check_meeting_of(meeting: Meeting, code: str) -> None:
    if meeting.committee_code != code:
        raise InvalidInput(
            f"--meeting {meeting.id} is a meeting of {meeting.committee_code}, not {code}"
        )


def _decision_info(
    session: Session, decision: Decision, *, with_revisions: bool = False
) -> DecisionInfo:
    votes, members, vote_round = _votes_of(decision)
    meeting = session.get(Meeting, decision.meeting_id) if decision.meeting_id else None
    by_group = _attendance(session, meeting)[1] if meeting else {}
    revisions: tuple[RevisionInfo, ...] = ()
    if with_revisions:
        revisions = tuple(
            RevisionInfo(
                revision=r.revision,
                revised_at=r.revised_at,
                operator=r.operator,
                reason=r.reason,
                snapshot=json.loads(r.snapshot_json),
            )
            for r in session.exec(
                select(DecisionRevision)
                .where(DecisionRevision.decision_id == decision.id)
                .order_by(col(DecisionRevision.revision))
            ).all()
        )
    return DecisionInfo(
        id=decision.id or 0,
        number=decision.number,
        committee=decision.committee_code,
        year=decision.year,
        seq=decision.seq,
        meeting_id=decision.meeting_id,
        meeting_date=meeting.meeting_date if meeting else None,
        title=decision.title,
        text=decision.text,
        kind=decision.kind,
        state=decision.state,
        vote_round=vote_round,
        votes={
            g: {"for": v.favour, "against": v.against, "abstain": v.abstain}
            for g, v in votes.items()
        },
        member_votes=members,
        attendance_by_group=by_group,
        quorum_reached=decision.quorum_reached,
        majority_reached=decision.majority_reached,
        reason=decision.outcome_reason,
        effective_date=decision.effective_date,
        legal_reference=decision.legal_reference,
        publication_date=decision.publication_date,
        dossier=decision.dossier,
        revision=decision.revision,
        applied_at=decision.applied_at,
        tariff_changes=tuple(row for _, row in _tariff_changes(session, decision.id or 0)),
        revisions=revisions,
    )


def record_decision(
    *,
    session: Session,
    committee: str,
    meeting_id: int,
    title: str,
    kind: str,
    votes: Mapping[str, Vote] | None,
    member_votes: Mapping[str, str] | None = None,
    vote_round: int = 1,
    text: str = "",
    effective_date: date | None = None,
    legal_reference: str = "",
    publication_date: date | None = None,
    dossier: str = "",
    tariff_rows: TariffRows = (),
    tariff_filename: str = "tariff file",
) -> DecisionInfo:
    """Record a decision with the next number of its committee and year.

    With *votes* the outcome is computed from the meeting's attendance by the committee's
    rules (adopted or rejected, with the reason); without, it is a ``draft``.
    """
    row, rules = _committee(session, committee)
    meeting = _meeting(session, meeting_id)
    _check_meeting_of(meeting, row.code)
    if meeting.state == "closed":
        raise Conflict(f"meeting {meeting_id} is closed: no decision can be added")
    if not title.strip():
        raise InvalidInput("--title is empty")
    if kind not in DECISION_KINDS:
        raise InvalidInput(f"--kind {kind!r}: expected one of {', '.join(DECISION_KINDS)}")
    changes = check_tariff_rows(tariff_rows, filename=tariff_filename) if tariff_rows else []
    state, quorum, majority, reason = "draft", None, None, ""
    if votes is not None:
        _, by_group = _attendance(session, meeting)
        if not by_group:
            raise Conflict(
                f"meeting {meeting_id} has no attendance recorded",
                hint=f"run `inami meeting attend {meeting_id} --present ...` first",
            )
        outcome = evaluate(rules, by_group, votes, kind=kind, vote_round=vote_round)
        state, quorum, majority, reason = (
            outcome.state,
            outcome.quorum_reached,
            outcome.majority_reached,
            outcome.reason,
        )
    year = meeting.meeting_date.year
    last = session.exec(
        select(func.max(Decision.seq))
        .where(Decision.committee_code == row.code)
        .where(Decision.year == year)
    ).one()
    seq = int(last or 0) + 1
    decision = Decision(
        committee_code=row.code,
        year=year,
        seq=seq,
        number=format_decision_number(row.code, year, seq),
        meeting_id=meeting_id,
        title=title.strip(),
        text=text,
        kind=kind,
        state=state,
        votes_json=_votes_doc(votes or {}, member_votes or {}, vote_round),
        quorum_reached=quorum,
        majority_reached=majority,
        outcome_reason=reason,
        effective_date=effective_date,
        legal_reference=legal_reference,
        publication_date=publication_date,
        dossier=dossier.strip(),
        created_at=now(),
    )
    session.add(decision)
    session.flush()
    _store_changes(session, decision.id or 0, changes, [line for line, _ in tariff_rows])
    info = _decision_info(session, decision)
    record_change(
        session=session,
        entity="decision",
        key=info.number,
        action="insert",
        after=_snapshot(info),
    )
    return info


def _snapshot(info: DecisionInfo) -> dict[str, Any]:
    return {
        "number": info.number,
        "title": info.title,
        "text": info.text,
        "kind": info.kind,
        "state": info.state,
        "vote_round": info.vote_round,
        "votes": dict(info.votes),
        "member_votes": dict(info.member_votes),
        "quorum_reached": info.quorum_reached,
        "majority_reached": info.majority_reached,
        "reason": info.reason,
        "effective_date": info.effective_date.isoformat() if info.effective_date else None,
        "legal_reference": info.legal_reference,
        "publication_date": info.publication_date.isoformat() if info.publication_date else None,
        "dossier": info.dossier,
        "revision": info.revision,
        # typed as the export is: money numbers, flags booleans (issue 17)
        "tariff_changes": [typed_row(r) for r in info.tariff_changes],
    }


_UNSET: Any = object()


def revise_decision(
    *,
    session: Session,
    number: str,
    reason: str,
    title: str | None = None,
    text: str | None = None,
    kind: str | None = None,
    votes: Mapping[str, Vote] | None = None,
    member_votes: Mapping[str, str] | None = None,
    vote_round: int | None = None,
    effective_date: date | None = _UNSET,
    legal_reference: str | None = None,
    publication_date: date | None = _UNSET,
    dossier: str | None = None,
    tariff_rows: TariffRows | None = None,
    tariff_filename: str = "tariff file",
) -> DecisionInfo:
    """Change a decision, keeping the previous version; the outcome is recomputed.

    The vote, the kind and the tariff changes of a decision already applied cannot change
    (record a new decision instead): the nomenclature already carries them.
    """
    decision = _decision(session, number)
    if not reason.strip():
        raise InvalidInput("--reason is empty: say why the decision is revised")
    old = _decision_info(session, decision)
    revote = votes is not None or kind is not None or vote_round is not None
    if decision.applied_at is not None and (revote or tariff_rows is not None):
        raise Conflict(
            f"{decision.number} was applied on {decision.applied_at:%Y-%m-%d}: its vote, kind "
            "and tariff changes can no longer change",
            hint="record a new decision",
        )
    if kind is not None and kind not in DECISION_KINDS:
        raise InvalidInput(f"--kind {kind!r}: expected one of {', '.join(DECISION_KINDS)}")
    if title is not None and not title.strip():
        raise InvalidInput("--title is empty")
    changes = (
        check_tariff_rows(tariff_rows, filename=tariff_filename)
        if tariff_rows is not None
        else None
    )
    session.add(
        DecisionRevision(
            decision_id=decision.id or 0,
            revision=decision.revision,
            snapshot_json=json.dumps(_snapshot(old), sort_keys=True),
            revised_at=now(),
            operator=current_actor().operator,
            reason=reason.strip(),
        )
    )
    if title is not None:
        decision.title = title.strip()
    if text is not None:
        decision.text = text
    if kind is not None:
        decision.kind = kind
    if effective_date is not _UNSET:
        decision.effective_date = effective_date
    if publication_date is not _UNSET:
        decision.publication_date = publication_date
    if legal_reference is not None:
        decision.legal_reference = legal_reference
    if dossier is not None:
        decision.dossier = dossier.strip()
    if revote:
        old_votes, old_members, old_round = _votes_of(decision)
        new_votes = dict(votes) if votes is not None else old_votes
        new_members = dict(member_votes or {}) if votes is not None else old_members
        new_round = vote_round if vote_round is not None else old_round
        meeting = _meeting(session, decision.meeting_id or 0)
        _, by_group = _attendance(session, meeting)
        rules = _committee(session, decision.committee_code)[1]
        if votes is not None and not by_group:
            raise Conflict(f"meeting {meeting.id} has no attendance recorded")
        if new_votes or votes is not None:
            outcome = evaluate(rules, by_group, new_votes, kind=decision.kind, vote_round=new_round)
            decision.state = outcome.state
            decision.quorum_reached = outcome.quorum_reached
            decision.majority_reached = outcome.majority_reached
            decision.outcome_reason = outcome.reason
        decision.votes_json = _votes_doc(new_votes, new_members, new_round)
    decision.revision += 1
    session.add(decision)
    session.flush()
    if changes is not None and tariff_rows is not None:
        _store_changes(session, decision.id or 0, changes, [line for line, _ in tariff_rows])
    info = _decision_info(session, decision, with_revisions=True)
    record_change(
        session=session,
        entity="decision",
        key=info.number,
        action="update",
        before=_snapshot(old),
        after=_snapshot(info),
    )
    return info


def show_decision(*, session: Session, number: str) -> DecisionInfo:
    """One decision with its vote, outcome, tariff changes and revisions."""
    return _decision_info(session, _decision(session, number), with_revisions=True)


def list_decisions(
    *,
    session: Session,
    committee: str | None = None,
    since: date | None = None,
    until: date | None = None,
    kind: str | None = None,
    code: str | None = None,
) -> list[DecisionInfo]:
    """Decisions by meeting date (then number), filtered."""
    query = select(Decision, Meeting).join(
        Meeting, col(Meeting.id) == col(Decision.meeting_id), isouter=True
    )
    if committee:
        row, _ = _committee(session, committee)
        query = query.where(Decision.committee_code == row.code)
    if kind:
        if kind not in DECISION_KINDS:
            raise InvalidInput(f"--kind {kind!r}: expected one of {', '.join(DECISION_KINDS)}")
        query = query.where(Decision.kind == kind)
    if since:
        query = query.where(Meeting.meeting_date >= since)
    if until:
        query = query.where(Meeting.meeting_date <= until)
    if code:
        ids = _decisions_touching(session, code)
        query = query.where(col(Decision.id).in_(ids or [-1]))
    rows = session.exec(
        query.order_by(
            col(Meeting.meeting_date),
            col(Decision.committee_code),
            col(Decision.year),
            col(Decision.seq),
        )
    ).all()
    return [_decision_info(session, d) for d, _ in rows]
