"""``inami meeting``: plan, attendance, close, minutes."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from inami_cli.cli.committee._common import _emit_sections
from inami_cli.cli.committee._rows import _attendees, _decision_doc, _meeting_row
from inami_cli.cli.context import state
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.values import is_digits

meeting_app = typer.Typer(help="Committee meetings, attendance and minutes.", no_args_is_help=True)


@meeting_app.command("add")
def meeting_add(
    committee: Annotated[str, typer.Argument(help="Committee code.")],
    on: Annotated[str, typer.Option("--date", help="Meeting date.")],
    title: Annotated[str, typer.Option("--title", help="Agenda title.")] = "",
) -> None:
    """Plan a meeting of a committee.

    Examples:
        inami meeting add CASS --date 2026-01-19
        inami meeting list --committee CASS
    """
    from inami_cli.services import committees as svc

    st = state()
    with st.session(write=True) as session:
        m = svc.add_meeting(
            session=session, committee=committee, on=parse_date(on, what="--date"), title=title
        )
    st.emit(_meeting_row(m))


@meeting_app.command("list")
def meeting_list(
    committee: Annotated[str | None, typer.Option("--committee", help="Committee code.")] = None,
) -> None:
    """List meetings, newest first.

    Examples:
        inami meeting list --committee CASS
        inami meeting list
        inami meeting list --format json
    """
    from inami_cli.services import committees as svc

    st = state()
    with st.session() as session:
        rows = svc.list_meetings(session=session, committee=committee)
    st.emit(
        [_meeting_row(m) for m in rows],
        columns=["id", "committee", "date", "state", "title", "present", "decisions"],
    )


def _ids(values: list[str], flag: str) -> list[int]:
    out: list[int] = []
    for value in values:
        for part in value.replace(" ", ",").split(","):
            if not part:
                continue
            if not is_digits(part):
                raise InvalidInput(f"{flag}: {part!r} is not a member id")
            out.append(int(part))
    return out


@meeting_app.command("attend")
def meeting_attend(
    meeting_id: Annotated[int, typer.Argument(help="Meeting id.")],
    present: Annotated[
        list[str],
        typer.Option("--present", help="Member ids present (comma-separated, repeatable)."),
    ],
    substitute: Annotated[
        list[str] | None,
        typer.Option(
            "--substitute",
            help="SUB:EFF - substitute SUB sits for effective member EFF (default: the first "
            "absent effective member of the group).",
        ),
    ] = None,
) -> None:
    """Record who sat at a meeting (replaces any earlier record); the meeting is then held.

    Examples:
        inami meeting attend 2 --present 46,47,48,49,50,58,59,60,61,62
        inami meeting minutes 2
    """
    from inami_cli.services import committees as svc

    st = state()
    pairs: dict[int, int] = {}
    for item in substitute or []:
        sub, _, eff = item.partition(":")
        if not (is_digits(sub.strip()) and is_digits(eff.strip())):
            raise InvalidInput(f"--substitute {item!r}: expected SUB:EFF member ids (9:5)")
        pairs[int(sub)] = int(eff)
    with st.session(write=True) as session:
        m = svc.attend(
            session=session,
            meeting_id=meeting_id,
            present=_ids(present, "--present"),
            substitutions=pairs,
        )
    _emit_sections(
        st,
        {**_meeting_row(m), "attendance_by_group": dict(m.attendance_by_group)},
        {"attendees": _attendees(m)},
    )


@meeting_app.command("close")
def meeting_close(meeting_id: Annotated[int, typer.Argument(help="Meeting id.")]) -> None:
    """Close a held meeting (refused while one of its decisions is a draft).

    Examples:
        inami meeting close 1
        inami meeting list --committee CASS --format json
    """
    from inami_cli.services import committees as svc

    st = state()
    with st.session(write=True) as session:
        m = svc.close_meeting(session=session, meeting_id=meeting_id)
    st.emit(_meeting_row(m))


@meeting_app.command("minutes")
def meeting_minutes(
    meeting_id: Annotated[int, typer.Argument(help="Meeting id.")],
    fmt: Annotated[str, typer.Option("--format", help="markdown or json.")] = "markdown",
) -> None:
    """Print the minutes: attendance, decisions, votes and outcomes.

    Examples:
        inami meeting minutes 1 --format markdown > minutes.md
        inami meeting minutes 2
        inami meeting minutes 1 --format json
    """
    from inami_cli.domain.jsonfmt import dumps
    from inami_cli.services import committees as svc

    if fmt not in ("markdown", "json"):
        raise InvalidInput(f"--format {fmt!r}: expected markdown or json")
    st = state()
    with st.session() as session:
        minutes = svc.minutes(session=session, meeting_id=meeting_id)
    if fmt == "markdown":
        sys.stdout.write(svc.minutes_markdown(minutes))
        return
    doc = {
        "committee": minutes.committee,
        "committee_name_fr": minutes.committee_name_fr,
        "committee_name_nl": minutes.committee_name_nl,
        "meeting": {
            **_meeting_row(minutes.meeting),
            "attendance_by_group": dict(minutes.meeting.attendance_by_group),
            "attendees": _attendees(minutes.meeting),
        },
        "decisions": [_decision_doc(d) for d in minutes.decisions],
    }
    sys.stdout.write(dumps(doc) + "\n")
