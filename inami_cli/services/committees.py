"""Committees, mandates, meetings and numbered decisions (use cases).

The rules of each committee live in ``config/committees.toml`` and are evaluated by
``domain.committees``; this module stores the composition, the attendance and the votes,
numbers the decisions (``CASS 2026/014``), keeps their revisions, and hands an adopted
decision's tariff changes to the nomenclature import (``services.nomenclature.import_rows``),
so every tariff it sets carries the decision as its source.

Every function takes the caller's ``session`` and never commits it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from inami_cli.db.models import (
    Attendance,
    Committee,
    Decision,
    DecisionRevision,
    DecisionTariffChange,
    DossierStep,
    Meeting,
    Member,
)
from inami_cli.domain import committees as rules_mod
from inami_cli.domain.committees import (
    DECISION_KINDS,
    MEMBER_ROLES,
    STEP_KINDS,
    CommitteeRules,
    Outcome,
    Vote,
    evaluate,
    format_decision_number,
    parse_decision_number,
    rules_from_dict,
    rules_to_dict,
    validate_rules,
)
from inami_cli.domain.dates import OPEN_END, Period, parse_date
from inami_cli.domain.errors import (
    ConfigError,
    Conflict,
    FileErrors,
    InvalidInput,
    NotFound,
)
from inami_cli.domain.nomenclature import check_columns, group_rows, parse_tariff_row
from inami_cli.services.audit import current_actor, now, record_change
from inami_cli.services.consistency import Check

TariffRows = Sequence[tuple[int, dict[str, str]]]

# ---------------------------------------------------------------- results


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


# ---------------------------------------------------------------- committees.toml

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def default_committees_path() -> Path:
    """``config/committees.toml`` of the checkout, else the copy shipped in the package."""
    checkout = PROJECT_ROOT / "config" / "committees.toml"
    if checkout.is_file():
        return checkout
    return Path(__file__).resolve().parents[1] / "data" / "committees.toml"


def _toml_line(text: str, code: str, path: tuple[str, ...]) -> int:
    """The line of ``committee.CODE.<path>`` in the file: its table header or its key."""
    target = ("committee", code, *path)
    best_line, best_len = 1, 0
    header: tuple[str, ...] = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            inner = line.strip("[]").split("#", 1)[0].strip().rstrip("]")
            header = tuple(p.strip().strip('"').strip("'") for p in inner.split("."))
            candidate = header
        elif "=" in line:
            key = line.split("=", 1)[0].strip().strip('"').strip("'")
            candidate = (*header, *key.split("."))
        else:
            continue
        if target[: len(candidate)] == candidate and len(candidate) > best_len:
            best_line, best_len = number, len(candidate)
    return best_line


def _toml_error(exc: tomllib.TOMLDecodeError) -> tuple[int, str]:
    """Line and message of a TOML syntax error (``lineno`` only exists from Python 3.14;
    before, the line is in the message: "Invalid value (at line 3, column 11)")."""
    text = str(exc)
    match = re.search(r"\(at line (\d+), column \d+\)", text)
    lineno = getattr(exc, "lineno", None)
    line = int(lineno) if isinstance(lineno, int) else int(match.group(1)) if match else 1
    return line, text.split(" (at line")[0]


def read_committees_file(path: Path) -> dict[str, CommitteeRules]:
    """Parse and validate ``committees.toml``; ``ConfigError`` as ``FILE:LINE: message``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = _toml_error(exc)
        raise ConfigError(f"{path}:{line}: {message}") from None
    problems: list[str] = []
    unknown = sorted(set(data) - {"committee"})
    for key in unknown:
        problems.append(
            f"{path}:{_toml_line(text, '', ())}: unknown table {key!r} (use [committee.CODE])"
        )
    raw = data.get("committee", {})
    if not isinstance(raw, dict) or not raw:
        problems.append(f"{path}:1: no [committee.CODE] table")
        raw = {}
    found: dict[str, CommitteeRules] = {}
    for code, table in raw.items():
        if not isinstance(table, dict):
            problems.append(
                f"{path}:{_toml_line(text, code, ())}: committee.{code} must be a table"
            )
            continue
        rules, rule_problems = validate_rules(code, table)
        for problem in rule_problems:
            line = _toml_line(text, code, problem.path)
            where = ".".join(("committee", code, *problem.path))
            problems.append(f"{path}:{line}: {where}: {problem.message}")
        if rules is not None:
            found[code] = rules
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ConfigError(problems[0] + more)
    return found


def sync_committees(*, session: Session, path: Path) -> SyncSummary:
    """Load ``committees.toml`` into the database (insert or update; idempotent).

    Committees absent from the file are kept (their decisions refer to them) and reported.
    A group that would lose seats below the mandates currently held is refused (exit 4).
    """
    found = read_committees_file(path)
    existing = {c.code: c for c in session.exec(select(Committee)).all()}
    inserted = updated = unchanged = 0
    stamp = now()
    for code, rules in found.items():
        rules_json = json.dumps(rules_to_dict(rules), ensure_ascii=False, sort_keys=True)
        row = existing.get(code)
        if row is None:
            session.add(
                Committee(
                    code=code,
                    name_fr=rules.name_fr,
                    name_nl=rules.name_nl,
                    rules_json=rules_json,
                    synced_at=stamp,
                )
            )
            record_change(
                session=session,
                entity="committee",
                key=code,
                action="insert",
                after={"name_fr": rules.name_fr, "rules": rules_to_dict(rules)},
            )
            inserted += 1
            continue
        if (row.name_fr, row.name_nl, row.rules_json) == (rules.name_fr, rules.name_nl, rules_json):
            unchanged += 1
            continue
        _check_seats_still_fit(session, rules)
        before = {"name_fr": row.name_fr, "rules": json.loads(row.rules_json)}
        row.name_fr, row.name_nl, row.rules_json, row.synced_at = (
            rules.name_fr,
            rules.name_nl,
            rules_json,
            stamp,
        )
        session.add(row)
        record_change(
            session=session,
            entity="committee",
            key=code,
            action="update",
            before=before,
            after={"name_fr": rules.name_fr, "rules": rules_to_dict(rules)},
        )
        updated += 1
    session.flush()
    return SyncSummary(
        path=str(path),
        inserted=inserted,
        updated=updated,
        unchanged=unchanged,
        committees=tuple(found),
        not_in_file=tuple(sorted(set(existing) - set(found))),
    )


def _check_seats_still_fit(session: Session, rules: CommitteeRules) -> None:
    members = session.exec(select(Member).where(Member.committee_code == rules.code)).all()
    by_group: dict[str, list[Member]] = {}
    for member in members:
        by_group.setdefault(member.group_code, []).append(member)
    known = {g.code: g for g in rules.groups}
    for gcode, held in by_group.items():
        group = known.get(gcode)
        if group is None:
            raise Conflict(
                f"{rules.code}: group {gcode!r} still has {len(held)} mandate(s) but is no "
                "longer in the file"
            )
        for role, limit in (("effective", group.seats), ("substitute", group.substitutes)):
            periods = [Period(m.valid_from, m.valid_to) for m in held if m.role == role]
            peak = _peak(periods)
            if peak > limit:
                raise Conflict(
                    f"{rules.code} {gcode}: {peak} {role} mandates at once but the rules "
                    f"give {limit}"
                )


def _peak(periods: Sequence[Period], within: Period | None = None) -> int:
    """The largest number of *periods* that hold on one day (inside *within*)."""
    events: list[tuple[date, int]] = []
    for p in periods:
        if within is not None and not p.overlaps(within):
            continue
        start = p.start if within is None else max(p.start, within.start)
        end = p.end or OPEN_END
        if within is not None:
            end = min(end, within.end or OPEN_END)
        events.append((start, 1))
        events.append((end + timedelta(days=1) if end < OPEN_END else OPEN_END, -1))
    peak = current = 0
    for _, delta in sorted(events, key=lambda e: (e[0], e[1])):
        current += delta
        peak = max(peak, current)
    return peak


# ---------------------------------------------------------------- look-ups


def _committee(session: Session, code: str) -> tuple[Committee, CommitteeRules]:
    row = session.get(Committee, code.strip().upper())
    if row is None:
        known = ", ".join(session.exec(select(Committee.code).order_by(Committee.code)).all())
        raise NotFound(
            f"committee {code!r} not found" + (f" (known: {known})" if known else ""),
            hint="run `inami committee sync`",
        )
    return row, rules_from_dict(row.code, json.loads(row.rules_json))


def get_rules(*, session: Session, code: str) -> CommitteeRules:
    """The rules of committee *code* (``NotFound`` if unknown)."""
    return _committee(session, code)[1]


def _members_on(session: Session, code: str, on: date | None) -> list[Member]:
    query = select(Member).where(Member.committee_code == code)
    if on is not None:
        query = query.where(Member.valid_from <= on).where(
            (col(Member.valid_to).is_(None)) | (col(Member.valid_to) >= on)
        )
    return list(session.exec(query.order_by(Member.group_code, Member.role, Member.name)).all())


def list_committees(*, session: Session, on: date | None = None) -> list[CommitteeInfo]:
    """Every committee with its rules in plain words and its mandates held on *on*."""
    return [
        _committee_info(session, row, on or date.today())
        for row in session.exec(select(Committee).order_by(Committee.code)).all()
    ]


def show_committee(*, session: Session, code: str, on: date | None = None) -> CommitteeInfo:
    """One committee: groups, seats, voting or advisory, quorum and majority rules."""
    row, _ = _committee(session, code)
    return _committee_info(session, row, on or date.today())


def _committee_info(session: Session, row: Committee, on: date) -> CommitteeInfo:
    rules = rules_from_dict(row.code, json.loads(row.rules_json))
    members = _members_on(session, row.code, on)
    groups = tuple(
        GroupInfo(
            code=g.code,
            name_fr=g.name_fr,
            name_nl=g.name_nl,
            seats=g.seats,
            substitutes=g.substitutes,
            voting=g.voting,
            effective=sum(1 for m in members if m.group_code == g.code and m.role == "effective"),
            substitute=sum(1 for m in members if m.group_code == g.code and m.role == "substitute"),
        )
        for g in rules.groups
    )
    return CommitteeInfo(
        code=row.code,
        name_fr=row.name_fr,
        name_nl=row.name_nl,
        source=rules.source,
        voting_seats=rules.voting_seats,
        quorum=rules.quorum.describe(),
        majority=rules.majority.describe(),
        majority_by_kind={k: v.describe() for k, v in rules.majority_by_kind.items()},
        parity=rules.parity,
        groups=groups,
        members=len(members),
        synced_at=row.synced_at,
    )


# ---------------------------------------------------------------- members


def _member_info(m: Member) -> MemberInfo:
    return MemberInfo(
        id=m.id or 0,
        committee=m.committee_code,
        name=m.name,
        organisation=m.organisation,
        group=m.group_code,
        role=m.role,
        valid_from=m.valid_from,
        valid_to=m.valid_to,
    )


def list_members(*, session: Session, code: str, on: date | None = None) -> list[MemberInfo]:
    """The mandates of a committee (held on *on* when given)."""
    row, _ = _committee(session, code)
    return [_member_info(m) for m in _members_on(session, row.code, on)]


def add_member(
    *,
    session: Session,
    committee: str,
    name: str,
    group: str,
    valid_from: date,
    valid_to: date | None = None,
    organisation: str = "",
    role: str = "effective",
) -> MemberInfo:
    """Give a mandate; the group's seats (or substitute seats) are never exceeded on any day."""
    row, rules = _committee(session, committee)
    if not name.strip():
        raise InvalidInput("--name is empty")
    if role not in MEMBER_ROLES:
        raise InvalidInput(f"--role {role!r}: expected effective or substitute")
    group_rule = rules.group(group)
    period = Period(valid_from, valid_to)
    limit = group_rule.seats if role == "effective" else group_rule.substitutes
    held = session.exec(
        select(Member)
        .where(Member.committee_code == row.code)
        .where(Member.group_code == group)
        .where(Member.role == role)
    ).all()
    for other in held:
        if other.name == name.strip() and Period(other.valid_from, other.valid_to).overlaps(period):
            raise Conflict(
                f"{name.strip()} already holds a {role} mandate in {row.code} {group} "
                f"({Period(other.valid_from, other.valid_to)})"
            )
    peak = _peak([Period(m.valid_from, m.valid_to) for m in held], within=period)
    if peak + 1 > limit:
        raise Conflict(
            f"{row.code} {group}: all {limit} {role} seat(s) are taken during {period}",
            hint="end a mandate first (`inami member end`)",
        )
    member = Member(
        committee_code=row.code,
        name=name.strip(),
        organisation=organisation.strip(),
        group_code=group,
        role=role,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    session.add(member)
    session.flush()
    info = _member_info(member)
    record_change(
        session=session, entity="member", key=str(info.id), action="insert", after=asdict(info)
    )
    return info


def end_member(*, session: Session, member_id: int, on: date) -> MemberInfo:
    """End a mandate on *on* (inclusive)."""
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound(f"member {member_id} not found")
    if on < member.valid_from:
        raise InvalidInput(f"--date {on} is before the mandate starts ({member.valid_from})")
    if member.valid_to is not None and member.valid_to < on:
        raise Conflict(f"member {member_id}'s mandate already ended on {member.valid_to}")
    before = asdict(_member_info(member))
    member.valid_to = on
    session.add(member)
    session.flush()
    info = _member_info(member)
    record_change(
        session=session,
        entity="member",
        key=str(member_id),
        action="update",
        before=before,
        after=asdict(info),
    )
    return info


# ---------------------------------------------------------------- meetings


def _meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"meeting {meeting_id} not found")
    return meeting


def _attendance(session: Session, meeting: Meeting) -> tuple[tuple[Attendee, ...], dict[str, int]]:
    rows = session.exec(
        select(Attendance, Member)
        .join(Member, col(Member.id) == col(Attendance.member_id))
        .where(Attendance.meeting_id == meeting.id)
        .order_by(Member.group_code, Member.role, Member.name)
    ).all()
    names = {m.id: m.name for _, m in rows}
    attendees = tuple(
        Attendee(
            member_id=m.id or 0,
            name=m.name,
            organisation=m.organisation,
            group=m.group_code,
            role=m.role,
            substitute_for=a.substitute_for,
            substitute_for_name=(
                names.get(a.substitute_for) or _member_name(session, a.substitute_for)
                if a.substitute_for
                else None
            ),
        )
        for a, m in rows
    )
    by_group: dict[str, int] = {}
    for attendee in attendees:
        by_group[attendee.group] = by_group.get(attendee.group, 0) + 1
    return attendees, by_group


def _member_name(session: Session, member_id: int) -> str | None:
    member = session.get(Member, member_id)
    return member.name if member else None


def _meeting_info(session: Session, meeting: Meeting) -> MeetingInfo:
    attendees, by_group = _attendance(session, meeting)
    count = session.exec(
        select(func.count()).select_from(Decision).where(Decision.meeting_id == meeting.id)
    ).one()
    return MeetingInfo(
        id=meeting.id or 0,
        committee=meeting.committee_code,
        meeting_date=meeting.meeting_date,
        state=meeting.state,
        title=meeting.title,
        attendees=attendees,
        attendance_by_group=by_group,
        decisions=int(count),
    )


def add_meeting(*, session: Session, committee: str, on: date, title: str = "") -> MeetingInfo:
    """Plan a meeting of *committee* on *on*."""
    row, _ = _committee(session, committee)
    meeting = Meeting(committee_code=row.code, meeting_date=on, state="planned", title=title)
    session.add(meeting)
    session.flush()
    info = _meeting_info(session, meeting)
    record_change(
        session=session,
        entity="meeting",
        key=str(info.id),
        action="insert",
        after={"committee": row.code, "meeting_date": on, "title": title},
    )
    return info


def list_meetings(*, session: Session, committee: str | None = None) -> list[MeetingInfo]:
    """Meetings, newest first."""
    query = select(Meeting)
    if committee:
        row, _ = _committee(session, committee)
        query = query.where(Meeting.committee_code == row.code)
    meetings = session.exec(query.order_by(col(Meeting.meeting_date).desc())).all()
    return [_meeting_info(session, m) for m in meetings]


def show_meeting(*, session: Session, meeting_id: int) -> MeetingInfo:
    """One meeting with its attendance."""
    return _meeting_info(session, _meeting(session, meeting_id))


def attend(
    *,
    session: Session,
    meeting_id: int,
    present: Sequence[int],
    substitutions: Mapping[int, int] | None = None,
) -> MeetingInfo:
    """Record who sat (replacing any earlier record); the meeting becomes ``held``.

    A substitute sits for an absent effective member of the same group: named in
    *substitutions* (substitute id -> effective id) or, if not, the first absent effective
    member of the group in name order.
    """
    meeting = _meeting(session, meeting_id)
    if meeting.state == "closed":
        raise Conflict(f"meeting {meeting_id} is closed")
    if not present:
        raise InvalidInput("--present: name at least one member id")
    if len(set(present)) != len(present):
        raise InvalidInput("--present: a member is listed twice")
    substitutions = dict(substitutions or {})
    on = meeting.meeting_date
    holders = {m.id: m for m in _members_on(session, meeting.committee_code, on)}
    for member_id in [*present, *substitutions, *substitutions.values()]:
        if member_id not in holders:
            member = session.get(Member, member_id)
            if member is None or member.committee_code != meeting.committee_code:
                raise InvalidInput(
                    f"member {member_id} is not a member of {meeting.committee_code}"
                )
            raise InvalidInput(
                f"member {member_id} ({member.name}) holds no mandate on {on} "
                f"({Period(member.valid_from, member.valid_to)})"
            )
    chosen = [holders[i] for i in present]
    present_effective = {m.id for m in chosen if m.role == "effective"}
    taken: set[int] = set()
    rows: list[Attendance] = []
    for sub_id, eff_id in substitutions.items():
        sub, eff = holders[sub_id], holders[eff_id]
        if sub_id not in present:
            raise InvalidInput(f"--substitute {sub_id}:{eff_id}: {sub_id} is not in --present")
        if sub.role != "substitute" or eff.role != "effective":
            raise InvalidInput(
                f"--substitute {sub_id}:{eff_id}: a substitute replaces an effective member"
            )
        if sub.group_code != eff.group_code:
            raise Conflict(
                f"{sub.name} ({sub.group_code}) cannot sit for {eff.name} ({eff.group_code}): "
                "a substitute replaces a member of the same group"
            )
        if eff_id in present_effective or eff_id in taken:
            raise Conflict(f"{eff.name} is present or already replaced: {sub.name} cannot sit")
        taken.add(eff_id)
    for member in chosen:
        replaces: int | None = None
        if member.role == "substitute":
            replaces = substitutions.get(member.id or 0)
            if replaces is None:
                absent = [
                    h
                    for h in holders.values()
                    if h.role == "effective"
                    and h.group_code == member.group_code
                    and h.id not in present_effective
                    and h.id not in taken
                ]
                if not absent:
                    raise Conflict(
                        f"{member.name} (substitute, {member.group_code}) cannot sit: every "
                        f"effective member of {member.group_code} is present or replaced"
                    )
                replaces = sorted(absent, key=lambda h: h.name)[0].id
                taken.add(replaces or 0)
        rows.append(
            Attendance(meeting_id=meeting_id, member_id=member.id or 0, substitute_for=replaces)
        )
    before_attendees, _ = _attendance(session, meeting)
    for old in session.exec(select(Attendance).where(Attendance.meeting_id == meeting_id)).all():
        session.delete(old)
    session.flush()
    session.add_all(rows)
    previous_state = meeting.state
    meeting.state = "held"
    session.add(meeting)
    session.flush()
    info = _meeting_info(session, meeting)
    record_change(
        session=session,
        entity="meeting",
        key=str(meeting_id),
        action="update",
        before={"state": previous_state, "present": [a.member_id for a in before_attendees]},
        after={"state": "held", "present": [a.member_id for a in info.attendees]},
    )
    return info


def close_meeting(*, session: Session, meeting_id: int) -> MeetingInfo:
    """Close a held meeting; refused while one of its decisions is still a draft."""
    meeting = _meeting(session, meeting_id)
    if meeting.state == "closed":
        raise Conflict(f"meeting {meeting_id} is already closed")
    if meeting.state != "held":
        raise Conflict(
            f"meeting {meeting_id} is {meeting.state}: record the attendance first "
            "(`inami meeting attend`)"
        )
    drafts = session.exec(
        select(Decision.number)
        .where(Decision.meeting_id == meeting_id)
        .where(Decision.state == "draft")
        .order_by(col(Decision.seq))
    ).all()
    if drafts:
        raise Conflict(
            f"meeting {meeting_id} still has draft decision(s): {', '.join(drafts)}",
            hint="record their vote with `inami decision revise NUMBER --votes ...`",
        )
    meeting.state = "closed"
    session.add(meeting)
    session.flush()
    record_change(
        session=session,
        entity="meeting",
        key=str(meeting_id),
        action="update",
        before={"state": "held"},
        after={"state": "closed"},
    )
    return _meeting_info(session, meeting)


# ---------------------------------------------------------------- votes


def parse_vote_file(
    text: str, *, filename: str, members: Mapping[str, tuple[int, str]] | None = None
) -> tuple[dict[str, Vote], dict[str, str]]:
    """Read a vote file: ``group,for,against,abstain`` rows, or ``member,vote`` rows.

    *members* maps member id (as text) and name to ``(id, group)``. Returns the votes per
    group and, for a per-member file, each member's vote. Errors are ``FILE:LINE: reason``.
    """
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    problems: list[str] = []
    by_group: dict[str, Vote] = {}
    by_member: dict[str, str] = {}
    if {"group", "for", "against", "abstain"} <= set(columns):
        for number, row in enumerate(reader, start=2):
            try:
                group = (row.get("group") or "").strip()
                counts = [
                    int((row.get(k) or "0").strip() or 0) for k in ("for", "against", "abstain")
                ]
                if group in by_group:
                    raise InvalidInput(f"group {group!r} given twice")
                by_group[group] = Vote(*counts)
            except ValueError:
                problems.append(f"{filename}:{number}: for/against/abstain must be whole numbers")
            except InvalidInput as exc:
                problems.append(f"{filename}:{number}: {exc.message}")
    elif {"member", "vote"} <= set(columns):
        members = members or {}
        seen: dict[int, int] = {}
        for number, row in enumerate(reader, start=2):
            key = (row.get("member") or "").strip()
            choice = (row.get("vote") or "").strip().lower()
            found = members.get(key)
            if found is None:
                problems.append(
                    f"{filename}:{number}: member {key!r} is not present at the meeting"
                )
                continue
            if found[0] in seen:
                problems.append(
                    f"{filename}:{number}: member {key!r} already voted on line {seen[found[0]]}"
                )
                continue
            if choice not in rules_mod.VOTE_CHOICES:
                problems.append(
                    f"{filename}:{number}: vote {choice!r}: expected for, against or abstain"
                )
                continue
            seen[found[0]] = number
            by_member[str(found[0])] = choice
            group = found[1]
            by_group[group] = (
                by_group.get(group, Vote()) + rules_mod.tally([(group, choice)])[group]
            )
    else:
        problems.append(f"{filename}:1: expected columns group,for,against,abstain or member,vote")
    if problems:
        raise FileErrors(problems)
    return by_group, by_member


def vote_file_members(*, session: Session, meeting_id: int) -> dict[str, tuple[int, str]]:
    """The members present at a meeting, by id and by name, for ``parse_vote_file``."""
    meeting = _meeting(session, meeting_id)
    attendees, _ = _attendance(session, meeting)
    out: dict[str, tuple[int, str]] = {}
    for a in attendees:
        out[str(a.member_id)] = (a.member_id, a.group)
        out[a.name] = (a.member_id, a.group)
    return out


# ---------------------------------------------------------------- tariff rows


def check_tariff_rows(rows: TariffRows, *, filename: str) -> list[dict[str, str]]:
    """Validate a decision's tariff rows as the nomenclature import would (no write).

    Returns the rows as plain dicts; ``FileErrors`` (``FILE:LINE: reason``) otherwise.
    """
    rows = list(rows)
    if not rows:
        raise FileErrors([f"{filename}:1: no tariff row"])
    problems = [f"{filename}:1: {p}" for p in check_columns([k for k in rows[0][1] if k])]
    parsed = []
    for line, row in rows:
        try:
            parsed.append(parse_tariff_row(line, row))
        except InvalidInput as exc:
            problems.append(f"{filename}:{line}: {exc.message}")
    if not problems:
        problems.extend(
            f"{filename}:{line}: {reason}" for line, reason in group_rows(parsed).problems
        )
    if problems:
        raise FileErrors(problems)
    return [{k: (v or "").strip() for k, v in row.items() if k} for _, row in rows]


def read_tariff_file(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Read a tariff file (CSV or JSON, the nomenclature import columns) as ``(line, row)``."""
    from inami_cli.services.nomenclature import read_table

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.strerror or exc}") from None
    return list(read_table(data, str(path)))


# ---------------------------------------------------------------- decisions


def _votes_doc(votes: Mapping[str, Vote], members: Mapping[str, str], vote_round: int) -> str:
    return json.dumps(
        {
            "round": vote_round,
            "by_group": {
                g: {"for": v.favour, "against": v.against, "abstain": v.abstain}
                for g, v in votes.items()
            },
            "by_member": dict(members),
        },
        sort_keys=True,
    )


def _votes_of(decision: Decision) -> tuple[dict[str, Vote], dict[str, str], int]:
    doc = json.loads(decision.votes_json or "{}")
    by_group = {
        g: Vote(v["for"], v["against"], v["abstain"]) for g, v in doc.get("by_group", {}).items()
    }
    return by_group, dict(doc.get("by_member", {})), int(doc.get("round", 1))


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


def _decision(session: Session, number: str) -> Decision:
    code, year, seq = parse_decision_number(number)
    decision = session.exec(
        select(Decision)
        .where(Decision.committee_code == code)
        .where(Decision.year == year)
        .where(Decision.seq == seq)
    ).first()
    if decision is None:
        raise NotFound(f"decision {format_decision_number(code, year, seq)} not found")
    return decision


def _tariff_changes(session: Session, decision_id: int) -> list[tuple[int, dict[str, str]]]:
    rows = session.exec(
        select(DecisionTariffChange)
        .where(DecisionTariffChange.decision_id == decision_id)
        .order_by(col(DecisionTariffChange.line))
    ).all()
    return [(r.line, json.loads(r.row_json)) for r in rows]


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


def _store_changes(
    session: Session, decision_id: int, rows: Sequence[dict[str, str]], lines: Sequence[int]
) -> None:
    for old in session.exec(
        select(DecisionTariffChange).where(DecisionTariffChange.decision_id == decision_id)
    ).all():
        session.delete(old)
    session.flush()
    session.add_all(
        DecisionTariffChange(
            decision_id=decision_id, line=line, row_json=json.dumps(row, sort_keys=True)
        )
        for line, row in zip(lines, rows, strict=True)
    )
    session.flush()


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
        "tariff_changes": [dict(r) for r in info.tariff_changes],
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


def _decisions_touching(session: Session, code: str) -> list[int]:
    ids: set[int] = set()
    # The row is stored as sorted-key JSON; a LIKE narrows the rows, the parse confirms.
    for change in session.exec(
        select(DecisionTariffChange).where(col(DecisionTariffChange.row_json).contains(code))
    ).all():
        if json.loads(change.row_json).get("code") == code:
            ids.add(change.decision_id)
    for step in session.exec(
        select(DossierStep).where(col(DossierStep.codes).contains(code))
    ).all():
        if code in step.codes.split() and step.decision_id:
            ids.add(step.decision_id)
    return sorted(ids)


def apply_decision(*, session: Session, number: str, dry_run: bool = False) -> ApplySummary:
    """Put an adopted decision's tariff changes into the nomenclature (idempotent).

    Each tariff written carries the decision number as its source and the decision id;
    a second application changes nothing. A rejected or draft decision is refused (exit 4).
    """
    from inami_cli.services.nomenclature import import_rows

    decision = _decision(session, number)
    if decision.state != "adopted":
        why = f" ({decision.outcome_reason})" if decision.outcome_reason else ""
        raise Conflict(
            f"{decision.number} is {decision.state}{why}: only an adopted decision applies"
        )
    rows = _tariff_changes(session, decision.id or 0)
    if not rows:
        raise Conflict(f"{decision.number} enacts no tariff change")
    # Every tariff a decision sets names the decision as its source, whatever the file said.
    rows = [(line, {**row, "source": decision.number}) for line, row in rows]
    summary = import_rows(
        session=session,
        rows=rows,
        filename=f"decision {decision.number}",
        source_kind="decision",
        source=decision.number,
        decision_id=decision.id,
        dry_run=dry_run,
    )
    inserted, updated, unchanged = summary.inserted, summary.updated, summary.unchanged
    if not dry_run and decision.applied_at is None:
        decision.applied_at = now()
        session.add(decision)
        session.flush()
        record_change(
            session=session,
            entity="decision",
            key=decision.number,
            action="update",
            before={"applied_at": None},
            after={"applied_at": decision.applied_at, "inserted": inserted, "updated": updated},
        )
    return ApplySummary(
        number=decision.number,
        rows=len(rows),
        inserted=inserted,
        updated=updated,
        unchanged=unchanged,
        applied_at=decision.applied_at,
        dry_run=dry_run,
        diff=summary.diff,
        warnings=summary.warnings,
    )


# ---------------------------------------------------------------- dossiers


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


# ---------------------------------------------------------------- minutes


def minutes(*, session: Session, meeting_id: int) -> Minutes:
    """Attendance, decisions, votes and outcomes of a meeting."""
    meeting = _meeting(session, meeting_id)
    row, _ = _committee(session, meeting.committee_code)
    decisions = session.exec(
        select(Decision).where(Decision.meeting_id == meeting_id).order_by(col(Decision.seq))
    ).all()
    return Minutes(
        committee=row.code,
        committee_name_fr=row.name_fr,
        committee_name_nl=row.name_nl,
        meeting=_meeting_info(session, meeting),
        decisions=tuple(_decision_info(session, d) for d in decisions),
    )


def minutes_markdown(m: Minutes) -> str:
    """The minutes as Markdown, ready to circulate."""
    meeting = m.meeting
    lines = [
        f"# {m.committee_name_fr} / {m.committee_name_nl}",
        "",
        f"Meeting {meeting.id} of {meeting.meeting_date.isoformat()} ({meeting.state})"
        + (f": {meeting.title}" if meeting.title else ""),
        "",
        "## Attendance",
        "",
    ]
    if not meeting.attendees:
        lines.append("No attendance recorded.")
    by_group: dict[str, list[Attendee]] = {}
    for a in meeting.attendees:
        by_group.setdefault(a.group, []).append(a)
    for group, people in by_group.items():
        lines.append(f"- **{group}** ({len(people)} present)")
        for a in people:
            org = f", {a.organisation}" if a.organisation else ""
            sub = f" (substitute for {a.substitute_for_name})" if a.substitute_for_name else ""
            lines.append(f"  - {a.name}{org}{sub}")
    lines += ["", "## Decisions", ""]
    if not m.decisions:
        lines.append("No decision.")
    for d in m.decisions:
        lines += [
            f"### {d.number}: {d.title}",
            "",
            f"- Kind: {d.kind}",
            f"- Outcome: **{d.state}**",
        ]
        if d.reason:
            lines.append(f"- Reason: {d.reason}")
        if d.votes:
            lines += ["", "| group | for | against | abstain |", "|---|---:|---:|---:|"]
            for group, v in d.votes.items():
                lines.append(f"| {group} | {v['for']} | {v['against']} | {v['abstain']} |")
        if d.effective_date:
            lines.append(f"- Effective: {d.effective_date.isoformat()}")
        if d.legal_reference:
            lines.append(f"- Legal reference: {d.legal_reference}")
        if d.tariff_changes:
            lines.append(
                f"- Tariff changes: {len(d.tariff_changes)} row(s), codes "
                + ", ".join(sorted({r.get("code", "") for r in d.tariff_changes}))
            )
        if d.text:
            lines += ["", d.text]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- fixtures


def load_fixtures(*, session: Session, fixtures_dir: Path) -> None:
    """Load ``fixtures_dir/committees/demo.toml`` (members, meetings, decisions, dossiers).

    Idempotent: what already exists (same member, meeting date, decision title, step) is
    kept, and the adopted tariff decision is applied through the nomenclature import, which
    changes nothing the second time. Needs the committees synced and the nomenclature
    fixtures loaded (the tariff rows name real codes).
    """
    base = fixtures_dir / "committees"
    if not base.is_dir():
        base = fixtures_dir
    path = base / "demo.toml"
    if session.exec(select(Committee.code)).first() is None:
        sync_committees(session=session, path=default_committees_path())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line, message = _toml_error(exc)
        raise ConfigError(f"{path}:{line}: {message}") from None
    for block in data.get("members", []):
        code = block["committee"]
        _committee(session, code)  # NotFound before any write
        start = _as_date(block["valid_from"])
        end = _as_date(block["valid_to"]) if block.get("valid_to") else None
        held = {
            (m.name, m.group_code, m.role)
            for m in session.exec(select(Member).where(Member.committee_code == code)).all()
        }
        for name in block["names"]:
            if (name, block["group"], block.get("role", "effective")) in held:
                continue
            add_member(
                session=session,
                committee=code,
                name=name,
                group=block["group"],
                organisation=block.get("organisation", ""),
                role=block.get("role", "effective"),
                valid_from=start,
                valid_to=end,
            )
    meetings: dict[str, int] = {}
    for spec in data.get("meetings", []):
        code, on = spec["committee"], _as_date(spec["date"])
        meeting = session.exec(
            select(Meeting).where(Meeting.committee_code == code).where(Meeting.meeting_date == on)
        ).first()
        if meeting is None:
            meeting_id = add_meeting(
                session=session, committee=code, on=on, title=spec.get("title", "")
            ).id
        else:
            meeting_id = meeting.id or 0
        meetings[spec["key"]] = meeting_id
        if not session.exec(select(Attendance).where(Attendance.meeting_id == meeting_id)).first():
            members = _members_on(session, code, on)
            present: list[int] = []
            for group, count in spec["present"].items():
                ids = [
                    m.id or 0 for m in members if m.group_code == group and m.role == "effective"
                ]
                present.extend(ids[:count])
            attend(session=session, meeting_id=meeting_id, present=present)
    for spec in data.get("decisions", []):
        meeting_id = meetings[spec["meeting"]]
        code = spec["committee"]
        existing = session.exec(
            select(Decision)
            .where(Decision.meeting_id == meeting_id)
            .where(Decision.title == spec["title"])
        ).first()
        if existing is None:
            rows: list[tuple[int, dict[str, str]]] = []
            tariff_name = "tariff file"
            if spec.get("tariff_file"):
                tariff_path = base / spec["tariff_file"]
                rows, tariff_name = read_tariff_file(tariff_path), str(tariff_path)
            number = record_decision(
                session=session,
                committee=code,
                meeting_id=meeting_id,
                title=spec["title"],
                kind=spec["kind"],
                votes=rules_mod.parse_votes(spec["votes"]) if spec.get("votes") else None,
                vote_round=int(spec.get("round", 1)),
                text=spec.get("text", ""),
                effective_date=_as_date(spec["effective_date"])
                if spec.get("effective_date")
                else None,
                legal_reference=spec.get("legal_reference", ""),
                dossier=spec.get("dossier", ""),
                tariff_rows=rows,
                tariff_filename=tariff_name,
            ).number
        else:
            number = existing.number
        if spec.get("apply"):
            apply_decision(session=session, number=number)
    for spec in data.get("steps", []):
        on = _as_date(spec["date"])
        already = session.exec(
            select(DossierStep)
            .where(DossierStep.dossier == spec["dossier"])
            .where(DossierStep.body == spec["body"])
            .where(DossierStep.kind == spec["kind"])
            .where(DossierStep.step_date == on)
        ).first()
        if already is None:
            add_step(
                session=session,
                dossier=spec["dossier"],
                body=spec["body"],
                kind=spec["kind"],
                on=on,
                reference=spec.get("reference", ""),
                deemed_given=bool(spec.get("deemed_given", False)),
                codes=spec.get("codes", []),
            )


def _as_date(value: object) -> date:
    if isinstance(value, date):
        return value
    return parse_date(str(value))


def committee_rules_by_code(*, session: Session) -> dict[str, CommitteeRules]:
    """Every committee's rules (for the wizard's choices)."""
    return {
        row.code: rules_from_dict(row.code, json.loads(row.rules_json))
        for row in session.exec(select(Committee)).all()
    }


__all__ = [
    "CHECKS",
    "ApplySummary",
    "Chain",
    "CommitteeInfo",
    "DecisionInfo",
    "MeetingInfo",
    "MemberInfo",
    "Minutes",
    "StepInfo",
    "SyncSummary",
    "add_meeting",
    "add_member",
    "add_step",
    "apply_decision",
    "attend",
    "chain",
    "close_meeting",
    "end_member",
    "list_committees",
    "list_decisions",
    "list_members",
    "load_fixtures",
    "minutes",
    "record_decision",
    "revise_decision",
    "show_committee",
    "show_decision",
    "sync_committees",
]


def _check_committee_seats(session: Session) -> Iterable[str]:
    """Mandates held at once above a group's seats, or in a group the rules do not know."""
    for row in session.exec(select(Committee)).all():
        try:
            _check_seats_still_fit(session, rules_from_dict(row.code, json.loads(row.rules_json)))
        except (Conflict, ConfigError) as exc:
            yield f"committee {row.code}: {exc.message}"


CHECKS: tuple[Check, ...] = (_check_committee_seats,)
"""This feature's part of `inami db check`."""
