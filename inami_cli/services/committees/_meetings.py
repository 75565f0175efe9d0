"""Meetings: planned, held (attendance and substitutes), closed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from inami_cli.db.models import Attendance, Decision, Meeting, Member
from inami_cli.domain.dates import Period
from inami_cli.domain.errors import Conflict, InvalidInput
from inami_cli.services.audit import record_change
from inami_cli.services.committees._common import _committee, _meeting, _members_on
from inami_cli.services.committees._views import Attendee, MeetingInfo


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
