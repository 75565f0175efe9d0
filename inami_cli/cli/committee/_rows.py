"""Each result as a row (table, csv) or a document (json): the output contract in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inami_cli.cli.committee._common import _name
from inami_cli.cli.context import AppState
from inami_cli.domain.nomenclature import typed_row

if TYPE_CHECKING:
    from inami_cli.services.committees import (
        CommitteeInfo,
        DecisionInfo,
        MeetingInfo,
        MemberInfo,
        StepInfo,
    )


def _committee_row(st: AppState, c: CommitteeInfo) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": _name(st, c.name_fr, c.name_nl),
        "voting_seats": c.voting_seats,
        "members": c.members,
        "quorum": c.quorum,
        "majority": c.majority,
    }


def _member_row(m: MemberInfo) -> dict[str, Any]:
    return {
        "id": m.id,
        "committee": m.committee,
        "name": m.name,
        "organisation": m.organisation,
        "group": m.group,
        "role": m.role,
        "valid_from": m.valid_from,
        "valid_to": m.valid_to,
    }


MEMBER_COLUMNS = ["id", "name", "organisation", "group", "role", "valid_from", "valid_to"]


def _meeting_row(m: MeetingInfo) -> dict[str, Any]:
    return {
        "id": m.id,
        "committee": m.committee,
        "date": m.meeting_date,
        "state": m.state,
        "title": m.title,
        "present": len(m.attendees),
        "decisions": m.decisions,
    }


def _attendees(m: MeetingInfo) -> list[dict[str, Any]]:
    return [
        {
            "member_id": a.member_id,
            "name": a.name,
            "group": a.group,
            "role": a.role,
            "substitute_for": a.substitute_for,
            "substitute_for_name": a.substitute_for_name,
        }
        for a in m.attendees
    ]


DECISION_COLUMNS = [
    "number",
    "date",
    "kind",
    "title",
    "state",
    "reason",
    "effective_date",
    "applied",
]

# At a narrow terminal, a decision list leaves these out first (least valuable first; the
# state says most of the reason, `decision show NUMBER` and --wide show them all).
DECISION_DROP = ["applied", "effective_date", "reason", "kind"]


def _decision_row(d: DecisionInfo) -> dict[str, Any]:
    return {
        "number": d.number,
        "committee": d.committee,
        "date": d.meeting_date,
        "meeting_id": d.meeting_id,
        "kind": d.kind,
        "title": d.title,
        "state": d.state,
        "quorum_reached": d.quorum_reached,
        "majority_reached": d.majority_reached,
        "reason": d.reason,
        "effective_date": d.effective_date,
        "applied": d.applied_at is not None,
    }


def _decision_doc(d: DecisionInfo) -> dict[str, Any]:
    return {
        **_decision_row(d),
        "text": d.text,
        "vote_round": d.vote_round,
        "votes": {g: dict(v) for g, v in d.votes.items()},
        "member_votes": dict(d.member_votes),
        "attendance_by_group": dict(d.attendance_by_group),
        "legal_reference": d.legal_reference,
        "publication_date": d.publication_date,
        "dossier": d.dossier,
        "revision": d.revision,
        "applied_at": d.applied_at,
        "tariff_changes": [typed_row(r) for r in d.tariff_changes],  # money numbers
        "revisions": [
            {
                "revision": r.revision,
                "revised_at": r.revised_at,
                "operator": r.operator,
                "reason": r.reason,
                "snapshot": dict(r.snapshot),
            }
            for r in d.revisions
        ],
    }


def _step_row(s: StepInfo) -> dict[str, Any]:
    return {
        "dossier": s.dossier,
        "date": s.step_date,
        "body": s.body,
        "kind": s.kind,
        "reference": s.reference,
        "deemed_given": s.deemed_given,
        "decision": s.decision,
        "title": s.title,
        "state": s.state,
        "codes": list(s.codes),
    }
