"""Committees, their groups and seats, and the mandates of their members."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

from sqlmodel import Session, select

from inami_cli.db.models import Committee, Member
from inami_cli.domain.committees import MEMBER_ROLES, CommitteeRules, rules_from_dict
from inami_cli.domain.dates import Period
from inami_cli.domain.errors import Conflict, InvalidInput, NotFound
from inami_cli.services.audit import record_change
from inami_cli.services.committees._common import _committee, _members_on, _peak
from inami_cli.services.committees._views import CommitteeInfo, GroupInfo, MemberInfo


def get_rules(*, session: Session, code: str) -> CommitteeRules:
    """The rules of committee *code* (``NotFound`` if unknown)."""
    return _committee(session, code)[1]


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


def committee_rules_by_code(*, session: Session) -> dict[str, CommitteeRules]:
    """Every committee's rules (for the wizard's choices)."""
    return {
        row.code: rules_from_dict(row.code, json.loads(row.rules_json))
        for row in session.exec(select(Committee)).all()
    }
