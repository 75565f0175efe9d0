"""Look-ups every sub-topic shares, and the seat count of sync, mandates and ``db check``.

A committee (with its rules), its mandates on a date, a meeting, a decision by number:
``NotFound`` when missing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta

from sqlmodel import Session, col, select

from inami_cli.db.models import Committee, Decision, Meeting, Member
from inami_cli.domain.committees import (
    CommitteeRules,
    format_decision_number,
    parse_decision_number,
    rules_from_dict,
)
from inami_cli.domain.dates import OPEN_END, Period
from inami_cli.domain.errors import Conflict, NotFound

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


def _members_on(session: Session, code: str, on: date | None) -> list[Member]:
    query = select(Member).where(Member.committee_code == code)
    if on is not None:
        query = query.where(Member.valid_from <= on).where(
            (col(Member.valid_to).is_(None)) | (col(Member.valid_to) >= on)
        )
    return list(session.exec(query.order_by(Member.group_code, Member.role, Member.name)).all())


def _meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"meeting {meeting_id} not found")
    return meeting


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


# ---------------------------------------------------------------- seats


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
