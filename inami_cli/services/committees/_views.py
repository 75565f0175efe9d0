"""What the committee use cases return: plain frozen dataclasses, never live ORM rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class SyncSummary:
    """What ``committee sync`` did."""

    path: str
    inserted: int
    updated: int
    unchanged: int
    committees: tuple[str, ...]
    not_in_file: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupInfo:
    """A group of a committee, with its mandates held on a date."""

    code: str
    name_fr: str
    name_nl: str
    seats: int
    substitutes: int
    voting: bool
    effective: int = 0
    substitute: int = 0


@dataclass(frozen=True)
class CommitteeInfo:
    """A committee and its rules in plain words."""

    code: str
    name_fr: str
    name_nl: str
    source: str
    voting_seats: int
    quorum: str
    majority: str
    majority_by_kind: Mapping[str, str]
    parity: str | None
    groups: tuple[GroupInfo, ...]
    members: int
    synced_at: datetime | None


@dataclass(frozen=True)
class MemberInfo:
    """A mandate."""

    id: int
    committee: str
    name: str
    organisation: str
    group: str
    role: str
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class Attendee:
    """A member sitting at a meeting."""

    member_id: int
    name: str
    organisation: str
    group: str
    role: str
    substitute_for: int | None = None
    substitute_for_name: str | None = None


@dataclass(frozen=True)
class MeetingInfo:
    """A meeting, its state and who sat."""

    id: int
    committee: str
    meeting_date: date
    state: str
    title: str
    attendees: tuple[Attendee, ...] = ()
    attendance_by_group: Mapping[str, int] = field(default_factory=dict)
    decisions: int = 0


@dataclass(frozen=True)
class DecisionInfo:
    """A decision with its vote and computed outcome."""

    id: int
    number: str
    committee: str
    year: int
    seq: int
    meeting_id: int | None
    meeting_date: date | None
    title: str
    text: str
    kind: str
    state: str
    vote_round: int
    votes: Mapping[str, Mapping[str, int]]
    member_votes: Mapping[str, str]
    attendance_by_group: Mapping[str, int]
    quorum_reached: bool | None
    majority_reached: bool | None
    reason: str
    effective_date: date | None
    legal_reference: str
    publication_date: date | None
    dossier: str
    revision: int
    applied_at: datetime | None
    tariff_changes: tuple[Mapping[str, str], ...] = ()
    revisions: tuple[RevisionInfo, ...] = ()


@dataclass(frozen=True)
class RevisionInfo:
    """An earlier version of a decision."""

    revision: int
    revised_at: datetime
    operator: str
    reason: str
    snapshot: Mapping[str, Any]


@dataclass(frozen=True)
class ApplySummary:
    """What ``decision apply`` did to the nomenclature."""

    number: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    applied_at: datetime | None
    dry_run: bool = False
    diff: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepInfo:
    """One act in a dossier's journey."""

    dossier: str
    step_date: date
    body: str
    kind: str
    reference: str
    deemed_given: bool
    decision: str | None
    codes: tuple[str, ...]
    title: str = ""
    state: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Chain:
    """A dossier and its steps in date order."""

    dossier: str
    steps: tuple[StepInfo, ...]


@dataclass(frozen=True)
class Minutes:
    """What ``meeting minutes`` circulates."""

    committee: str
    committee_name_fr: str
    committee_name_nl: str
    meeting: MeetingInfo
    decisions: tuple[DecisionInfo, ...]
