"""The minutes of a meeting: attendance, decisions, votes and outcomes."""

from __future__ import annotations

from sqlmodel import Session, col, select

from inami_cli.db.models import Decision
from inami_cli.services.committees._common import _committee, _meeting
from inami_cli.services.committees._decisions import _decision_info
from inami_cli.services.committees._meetings import _meeting_info
from inami_cli.services.committees._views import Attendee, Minutes


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
