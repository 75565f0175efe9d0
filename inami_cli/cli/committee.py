"""``inami committee|member|meeting|decision``: composition, meetings, votes and decisions.

Thin: parse the options, call ``services.committees`` in one transaction, render.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from inami_cli.cli.context import AppState, state
from inami_cli.domain.committees import DECISION_KINDS, STEP_KINDS, Vote, parse_votes
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import InvalidInput, MissingValue

if TYPE_CHECKING:
    from inami_cli.services.committees import (
        CommitteeInfo,
        DecisionInfo,
        MeetingInfo,
        MemberInfo,
        StepInfo,
    )

app = typer.Typer(help="INAMI committees: rules, composition.", no_args_is_help=True)
member_app = typer.Typer(help="Mandates in committees.", no_args_is_help=True)
meeting_app = typer.Typer(help="Committee meetings, attendance and minutes.", no_args_is_help=True)
decision_app = typer.Typer(
    help="Numbered committee decisions, their vote, outcome and tariff changes.",
    no_args_is_help=True,
)
step_app = typer.Typer(help="Acts of a dossier (proposal, advice, ...).", no_args_is_help=True)
decision_app.add_typer(step_app, name="step")


def _date(text: str | None, flag: str) -> date | None:
    return parse_date(text, what=flag) if text else None


def _name(st: AppState, fr: str, nl: str) -> str:
    return nl if st.language == "nl" else fr


def _emit_sections(st: AppState, record: dict[str, Any], sections: dict[str, list[Any]]) -> None:
    """One JSON object (with its lists) for json/ndjson; a key/value table then one table per
    list for the table format; the first list for csv."""
    fmt = st.output_format
    if fmt in ("json", "ndjson"):
        st.emit({**record, **sections})
        return
    if fmt == "csv":
        first = next(iter(sections.values()), [])
        st.emit(first)
        return
    st.emit(record)
    for title, rows in sections.items():
        if rows:
            sys.stdout.write(f"\n{title}:\n")
            st.emit(rows)


# ---------------------------------------------------------------- committee


def _committee_row(st: AppState, c: CommitteeInfo) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": _name(st, c.name_fr, c.name_nl),
        "voting_seats": c.voting_seats,
        "members": c.members,
        "quorum": c.quorum,
        "majority": c.majority,
    }


@app.command("list")
def committee_list(
    on: Annotated[str | None, typer.Option("--date", help="Count mandates on this date.")] = None,
) -> None:
    """List the committees with their quorum and majority rules.

    Example: inami committee list --format json
    """
    from inami_cli.services import committees as svc

    st = state()
    with st.session() as session:
        rows = svc.list_committees(session=session, on=_date(on, "--date"))
    st.emit(
        [_committee_row(st, c) for c in rows],
        columns=["code", "name", "voting_seats", "members", "quorum", "majority"],
    )


@app.command("show")
def committee_show(
    code: Annotated[str, typer.Argument(help="Committee code, e.g. CASS.")],
    on: Annotated[str | None, typer.Option("--date", help="Count mandates on this date.")] = None,
) -> None:
    """Show a committee: groups, seats, who votes, quorum and majority.

    Example: inami committee show CNMM
    """
    from inami_cli.services import committees as svc

    st = state()
    with st.session() as session:
        c = svc.show_committee(session=session, code=code, on=_date(on, "--date"))
    record = {
        "code": c.code,
        "name_fr": c.name_fr,
        "name_nl": c.name_nl,
        "source": c.source,
        "voting_seats": c.voting_seats,
        "quorum": c.quorum,
        "majority": c.majority,
        "majority_by_kind": dict(c.majority_by_kind),
        "parity": c.parity,
        "members": c.members,
    }
    if st.output_format == "table":
        for kind, text in c.majority_by_kind.items():
            record[f"majority ({kind})"] = text
    groups = [
        {
            "group": g.code,
            "name": _name(st, g.name_fr, g.name_nl),
            "seats": g.seats,
            "substitutes": g.substitutes,
            "voting": g.voting,
            "effective_held": g.effective,
            "substitutes_held": g.substitute,
        }
        for g in c.groups
    ]
    _emit_sections(st, record, {"groups": groups})


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


@app.command("members")
def committee_members(
    code: Annotated[str, typer.Argument(help="Committee code.")],
    on: Annotated[
        str | None, typer.Option("--date", help="Mandates held on this date (default: all).")
    ] = None,
) -> None:
    """List the members of a committee (on a date).

    Example: inami committee members CASS --date 2026-01-19
    """
    from inami_cli.services import committees as svc

    st = state()
    with st.session() as session:
        rows = svc.list_members(session=session, code=code, on=_date(on, "--date"))
    st.emit([_member_row(m) for m in rows], columns=MEMBER_COLUMNS)


@app.command("sync")
def committee_sync(
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Rules file (default: the project's config/committees.toml)."),
    ] = None,
) -> None:
    """Load the committees' rules from committees.toml (validated; FILE:LINE errors exit 5).

    Example: inami committee sync --file config/committees.toml
    """
    from inami_cli.services import committees as svc

    st = state()
    path = file or svc.default_committees_path()
    with st.session(write=True) as session:
        summary = svc.sync_committees(session=session, path=path)
    for code in summary.not_in_file:
        st.warn(f"committee {code} is in the database but not in {path} (kept)")
    st.summary(
        {
            "inserted": summary.inserted,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "committees": list(summary.committees),
        },
        f"{path}: {summary.inserted} inserted, {summary.updated} updated, "
        f"{summary.unchanged} unchanged",
    )


# ---------------------------------------------------------------- member


@member_app.command("add")
def member_add(
    committee: Annotated[str, typer.Argument(help="Committee code.")],
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    group: Annotated[str, typer.Option("--group", help="Group code (see committee show).")],
    valid_from: Annotated[str, typer.Option("--from", help="Mandate start (inclusive).")],
    valid_to: Annotated[str | None, typer.Option("--to", help="Mandate end (inclusive).")] = None,
    organisation: Annotated[str, typer.Option("--organisation", help="Organisation.")] = "",
    role: Annotated[str, typer.Option("--role", help="effective or substitute.")] = "effective",
) -> None:
    """Give a mandate in a committee (seats per group are never exceeded).

    Example: inami member add CNMM --name "Dr A. Peeters" --group doctors --from 2026-01-01
    """
    from inami_cli.services import committees as svc

    st = state()
    start = parse_date(valid_from, what="--from")
    with st.session(write=True) as session:
        m = svc.add_member(
            session=session,
            committee=committee,
            name=name,
            group=group,
            organisation=organisation,
            role=role,
            valid_from=start,
            valid_to=_date(valid_to, "--to"),
        )
    st.emit(_member_row(m))


@member_app.command("end")
def member_end(
    member_id: Annotated[int, typer.Argument(help="Member id (see committee members).")],
    on: Annotated[str, typer.Option("--date", help="Last day of the mandate.")],
) -> None:
    """End a mandate on a date.

    Example: inami member end 12 --date 2026-06-30
    """
    from inami_cli.services import committees as svc

    st = state()
    with st.session(write=True) as session:
        m = svc.end_member(session=session, member_id=member_id, on=parse_date(on, what="--date"))
    st.emit(_member_row(m))


# ---------------------------------------------------------------- meeting


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


@meeting_app.command("add")
def meeting_add(
    committee: Annotated[str, typer.Argument(help="Committee code.")],
    on: Annotated[str, typer.Option("--date", help="Meeting date.")],
    title: Annotated[str, typer.Option("--title", help="Agenda title.")] = "",
) -> None:
    """Plan a meeting of a committee.

    Example: inami meeting add CASS --date 2026-01-19
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

    Example: inami meeting list --committee CASS
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
            if not part.isdigit():
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

    Example: inami meeting attend 1 --present 1,2,3,4 --substitute 9:5
    """
    from inami_cli.services import committees as svc

    st = state()
    pairs: dict[int, int] = {}
    for item in substitute or []:
        sub, _, eff = item.partition(":")
        if not (sub.strip().isdigit() and eff.strip().isdigit()):
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

    Example: inami meeting close 1
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

    Example: inami meeting minutes 1 --format markdown > minutes.md
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


# ---------------------------------------------------------------- decision

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
        "tariff_changes": [dict(r) for r in d.tariff_changes],
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


def _read_text(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.strerror or exc}") from None


def _votes_from(
    session: Any, meeting_id: int, votes: str | None, vote_file: Path | None
) -> tuple[dict[str, Vote] | None, dict[str, str]]:
    from inami_cli.services import committees as svc

    if votes is not None and vote_file is not None:
        raise InvalidInput("give --votes or --vote-file, not both")
    if votes is not None:
        return parse_votes(votes), {}
    if vote_file is not None:
        members = svc.vote_file_members(session=session, meeting_id=meeting_id)
        return svc.parse_vote_file(_read_text(vote_file), filename=str(vote_file), members=members)
    return None, {}


def _wizard(
    st: AppState,
    committee: str | None,
    meeting: int | None,
    title: str | None,
    kind: str | None,
    votes: str | None,
    tariff_file: Path | None,
    *,
    other_vote_source: bool = False,
    vote_round: int = 1,
) -> tuple[str, int, str, str, str | None, Path | None]:
    """Ask on a terminal for what the flags did not give; show the outcome; confirm."""
    import questionary

    from inami_cli.services import committees as svc

    def ask(question: Any) -> Any:
        answer = question.ask()
        if answer is None:
            raise KeyboardInterrupt
        return answer

    with st.session() as session:
        rules_by_code = svc.committee_rules_by_code(session=session)
        if committee is None:
            committee = ask(questionary.select("Committee", choices=sorted(rules_by_code)))
        rules = svc.get_rules(session=session, code=committee)
        if meeting is None:
            meetings = [
                m
                for m in svc.list_meetings(session=session, committee=committee)
                if m.state != "closed"
            ]
            if not meetings:
                raise MissingValue(
                    f"{committee} has no open meeting: pass --meeting after `inami meeting add`"
                )
            choice = ask(
                questionary.select(
                    "Meeting",
                    choices=[
                        questionary.Choice(f"{m.id}: {m.meeting_date} {m.title}", value=m.id)
                        for m in meetings
                    ],
                )
            )
            meeting = int(choice)
        if title is None:
            title = str(ask(questionary.text("Title", validate=lambda t: bool(t.strip()))))
        if kind is None:
            kind = str(ask(questionary.select("Kind", choices=list(DECISION_KINDS))))
        if votes is None and not other_vote_source:
            parts = []
            for group in rules.voting_groups:
                answer = ask(
                    questionary.text(
                        f"{group.code} ({group.name_fr}): for/against/abstain",
                        default="0/0/0",
                        validate=lambda t: _valid_vote(t),
                    )
                )
                parts.append(f"{group.code}:{answer.strip()}")
            votes = ",".join(parts)
        if tariff_file is None and kind in ("tariff", "nomenclature"):
            path = str(ask(questionary.path("Tariff file (CSV, empty for none)", default="")))
            tariff_file = Path(path) if path.strip() else None
        outcome = (
            svc.preview_outcome(
                session=session,
                committee=committee,
                meeting_id=meeting,
                votes=parse_votes(votes),
                kind=kind,
                vote_round=vote_round,
            )
            if votes is not None
            else None
        )
    if outcome is not None:
        typer.echo(f"Outcome: {outcome.state} - {outcome.reason}", err=True)
    else:
        typer.echo("Outcome: computed from the vote file, or draft without a vote", err=True)
    if not ask(questionary.confirm("Record this decision?", default=True)):
        raise typer.Exit(1)
    return committee, meeting, title, kind, votes, tariff_file


def _valid_vote(text: str) -> bool | str:
    try:
        parse_votes(f"g:{text}")
    except InvalidInput:
        return "for/against/abstain, e.g. 8/0/1"
    return True


@decision_app.command("record")
def decision_record(
    committee: Annotated[str | None, typer.Argument(help="Committee code.")] = None,
    meeting: Annotated[int | None, typer.Option("--meeting", help="Meeting id.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title of the decision.")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help=f"One of {', '.join(DECISION_KINDS)}.")
    ] = None,
    votes: Annotated[
        str | None,
        typer.Option(
            "--votes", help='for/against/abstain per group: "workers:8/0/0,employers:6/1/1".'
        ),
    ] = None,
    vote_file: Annotated[
        Path | None,
        typer.Option(
            "--vote-file", help="CSV: group,for,against,abstain or member,vote ('-' = stdin)."
        ),
    ] = None,
    draft: Annotated[
        bool, typer.Option("--draft", help="Record without a vote yet (state draft).")
    ] = False,
    vote_round: Annotated[
        int, typer.Option("--round", help="Vote round (2 = second vote, CASS agreements).")
    ] = 1,
    text: Annotated[str, typer.Option("--text", help="Text of the decision.")] = "",
    effective: Annotated[str | None, typer.Option("--effective", help="Effective date.")] = None,
    legal_reference: Annotated[
        str, typer.Option("--legal-reference", help="Royal decree, ministerial order...")
    ] = "",
    publication_date: Annotated[
        str | None, typer.Option("--publication-date", help="Moniteur belge publication date.")
    ] = None,
    dossier: Annotated[
        str, typer.Option("--dossier", help="Dossier the decision belongs to.")
    ] = "",
    tariff_file: Annotated[
        Path | None,
        typer.Option("--tariff-file", help="CSV in the nomenclature import columns."),
    ] = None,
) -> None:
    """Record a decision; its outcome is computed from the attendance and the vote.

    Example: inami decision record CNMM --meeting 2 --title Fees --kind tariff --votes doctors:8/2/0
    """
    from inami_cli.services import committees as svc

    st = state()
    no_vote = votes is None and vote_file is None and not draft
    if (committee is None or meeting is None or title is None or kind is None or no_vote) and (
        st.can_prompt()
    ):
        committee, meeting, title, kind, votes, tariff_file = _wizard(
            st,
            committee,
            meeting,
            title,
            kind,
            votes,
            tariff_file,
            other_vote_source=vote_file is not None or draft,
            vote_round=vote_round,
        )
    committee = st.require(committee, "COMMITTEE (argument)")
    meeting = st.require(meeting, "--meeting")
    title = st.require(title, "--title")
    kind = st.require(kind, "--kind")
    if votes is None and vote_file is None and not draft:
        raise MissingValue("missing value: pass --votes (or --vote-file, or --draft)")
    if draft and (votes is not None or vote_file is not None):
        raise InvalidInput("--draft records no vote: drop --votes/--vote-file")
    rows = svc.read_tariff_file(tariff_file) if tariff_file else []
    with st.session(write=True) as session:
        parsed, members = _votes_from(session, meeting, votes, vote_file)
        d = svc.record_decision(
            session=session,
            committee=committee,
            meeting_id=meeting,
            title=title,
            kind=kind,
            votes=parsed,
            member_votes=members,
            vote_round=vote_round,
            text=text,
            effective_date=_date(effective, "--effective"),
            legal_reference=legal_reference,
            publication_date=_date(publication_date, "--publication-date"),
            dossier=dossier,
            tariff_rows=rows,
            tariff_filename=str(tariff_file or ""),
        )
    st.info(f"recorded {d.number}: {d.state}" + (f" ({d.reason})" if d.reason else ""))
    st.emit(_decision_doc(d) if st.output_format in ("json", "ndjson") else _decision_row(d))


@decision_app.command("apply")
def decision_apply(
    number: Annotated[str, typer.Argument(help='Decision number, e.g. "CASS 2026/001".')],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
) -> None:
    """Put an adopted decision's tariff changes into the nomenclature (idempotent).

    Example: inami decision apply "CASS 2026/001"
    """
    from inami_cli.services import committees as svc

    st = state()
    with st.session(write=not dry_run) as session:
        s = svc.apply_decision(session=session, number=number, dry_run=dry_run)
    for warning in s.warnings:
        st.warn(warning)
    if dry_run and st.output_format == "table":
        for line in s.diff:
            typer.echo(line)
    st.summary(
        {
            "number": s.number,
            "rows": s.rows,
            "inserted": s.inserted,
            "updated": s.updated,
            "unchanged": s.unchanged,
            "applied_at": s.applied_at,
            "dry_run": s.dry_run,
        },
        f"{s.number}: {s.inserted} inserted, {s.updated} updated, {s.unchanged} unchanged"
        + (" (dry run)" if s.dry_run else ""),
    )


@decision_app.command("list")
def decision_list(
    committee: Annotated[str | None, typer.Option("--committee", help="Committee code.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Meetings from this date.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Meetings until this date.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Decision kind.")] = None,
    code: Annotated[
        str | None, typer.Option("--code", help="Decisions touching this nomenclature code.")
    ] = None,
) -> None:
    """List decisions with their outcome.

    Example: inami decision list --committee CASS --since 2026-01-01 --code 560011
    """
    from inami_cli.services import committees as svc

    st = state()
    with st.session() as session:
        rows = svc.list_decisions(
            session=session,
            committee=committee,
            since=_date(since, "--since"),
            until=_date(until, "--until"),
            kind=kind,
            code=code,
        )
    st.emit([_decision_row(d) for d in rows], columns=DECISION_COLUMNS)


@decision_app.command("show")
def decision_show(
    number: Annotated[str, typer.Argument(help='Decision number, e.g. "CASS 2026/001".')],
) -> None:
    """Show a decision: vote, outcome, tariff changes and revisions.

    Example: inami decision show "CASS 2026/001" --format json
    """
    from inami_cli.services import committees as svc

    st = state()
    with st.session() as session:
        d = svc.show_decision(session=session, number=number)
    doc = _decision_doc(d)
    votes = [{"group": g, **v} for g, v in d.votes.items()]
    _emit_sections(
        st,
        {k: v for k, v in doc.items() if k not in ("votes", "tariff_changes", "revisions")}
        if st.output_format == "table"
        else doc,
        {}
        if st.output_format in ("json", "ndjson")
        else {
            "votes": votes,
            "tariff changes": list(doc["tariff_changes"]),
            "revisions": [
                {k: r[k] for k in ("revision", "revised_at", "operator", "reason")}
                for r in doc["revisions"]
            ],
        },
    )


@decision_app.command("revise")
def decision_revise(
    number: Annotated[str, typer.Argument(help="Decision number.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is revised (kept in history).")],
    title: Annotated[str | None, typer.Option("--title")] = None,
    text: Annotated[str | None, typer.Option("--text")] = None,
    kind: Annotated[str | None, typer.Option("--kind")] = None,
    votes: Annotated[str | None, typer.Option("--votes", help="New vote per group.")] = None,
    vote_file: Annotated[Path | None, typer.Option("--vote-file", help="New vote file.")] = None,
    vote_round: Annotated[int | None, typer.Option("--round", help="Vote round.")] = None,
    effective: Annotated[str | None, typer.Option("--effective")] = None,
    legal_reference: Annotated[str | None, typer.Option("--legal-reference")] = None,
    publication_date: Annotated[str | None, typer.Option("--publication-date")] = None,
    dossier: Annotated[str | None, typer.Option("--dossier")] = None,
    tariff_file: Annotated[Path | None, typer.Option("--tariff-file")] = None,
) -> None:
    """Revise a decision (the previous version is kept; the outcome is recomputed).

    Example: inami decision revise "CASS 2026/002" --reason "typo" --title "Dental budget"
    """
    from inami_cli.services import committees as svc

    st = state()
    rows = svc.read_tariff_file(tariff_file) if tariff_file else None
    extra: dict[str, Any] = {}
    if effective is not None:
        extra["effective_date"] = _date(effective, "--effective")
    if publication_date is not None:
        extra["publication_date"] = _date(publication_date, "--publication-date")
    with st.session(write=True) as session:
        current = svc.show_decision(session=session, number=number)
        parsed, members = _votes_from(session, current.meeting_id or 0, votes, vote_file)
        d = svc.revise_decision(
            session=session,
            number=number,
            reason=reason,
            title=title,
            text=text,
            kind=kind,
            votes=parsed,
            member_votes=members if parsed is not None else None,
            vote_round=vote_round,
            legal_reference=legal_reference,
            dossier=dossier,
            tariff_rows=rows,
            tariff_filename=str(tariff_file or ""),
            **extra,
        )
    st.info(f"{d.number} revision {d.revision}: {d.state}" + (f" ({d.reason})" if d.reason else ""))
    st.emit(_decision_doc(d) if st.output_format in ("json", "ndjson") else _decision_row(d))


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


@decision_app.command("chain")
def decision_chain(
    number: Annotated[str | None, typer.Argument(help="Decision number.")] = None,
    code: Annotated[str | None, typer.Option("--code", help="Nomenclature code.")] = None,
    dossier: Annotated[str | None, typer.Option("--dossier", help="Dossier name.")] = None,
) -> None:
    """Show the journey of a change through the bodies, with dates.

    Example: inami decision chain --code 560011
    """
    from inami_cli.services import committees as svc

    st = state()
    if number is None and code is None and dossier is None:
        raise MissingValue("missing value: pass a decision NUMBER, --code or --dossier")
    with st.session() as session:
        chains = svc.chain(session=session, number=number, code=code, dossier=dossier)
    rows = [_step_row(s) for c in chains for s in c.steps]
    st.emit(
        rows,
        columns=[
            "dossier",
            "date",
            "body",
            "kind",
            "reference",
            "deemed_given",
            "decision",
            "state",
        ],
    )


@step_app.command("add")
def step_add(
    body: Annotated[
        str, typer.Option("--body", help="Body acting: CTM, CNMM, Inspector of Finance...")
    ],
    kind: Annotated[str, typer.Option("--kind", help=f"One of {', '.join(STEP_KINDS)}.")],
    on: Annotated[str, typer.Option("--date", help="Date of the act.")],
    dossier: Annotated[str | None, typer.Option("--dossier", help="Dossier name.")] = None,
    reference: Annotated[str, typer.Option("--reference", help="Reference of the act.")] = "",
    deemed_given: Annotated[
        bool, typer.Option("--deemed-given", help="Advice deemed given (deadline passed).")
    ] = False,
    decision: Annotated[
        str | None, typer.Option("--decision", help="Decision this step records.")
    ] = None,
    codes: Annotated[
        list[str] | None, typer.Option("--code", help="Nomenclature code concerned (repeatable).")
    ] = None,
) -> None:
    """Record one act of a dossier (proposal, advice, decision, opinion, publication).

    Example: inami decision step add --dossier RD-2019 --body CTM --kind proposal --date 2018-06-12
    """
    from inami_cli.services import committees as svc

    st = state()
    with st.session(write=True) as session:
        s = svc.add_step(
            session=session,
            body=body,
            kind=kind,
            on=parse_date(on, what="--date"),
            dossier=dossier,
            reference=reference,
            deemed_given=deemed_given,
            decision=decision,
            codes=codes or [],
        )
    st.emit(_step_row(s))


__all__ = ["app", "decision_app", "meeting_app", "member_app"]
