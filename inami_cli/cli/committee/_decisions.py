"""``inami decision`` (record, apply, list, show, revise, chain) and ``decision step``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from inami_cli.cli.committee._common import _date, _emit_sections
from inami_cli.cli.committee._rows import (
    DECISION_COLUMNS,
    DECISION_DROP,
    _decision_doc,
    _decision_row,
    _step_row,
)
from inami_cli.cli.committee._vote_input import _votes_from, _wizard
from inami_cli.cli.context import state
from inami_cli.domain.committees import DECISION_KINDS, STEP_KINDS
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import InvalidInput, MissingValue

decision_app = typer.Typer(
    help="Numbered committee decisions, their vote, outcome and tariff changes.",
    no_args_is_help=True,
)
step_app = typer.Typer(help="Acts of a dossier (proposal, advice, ...).", no_args_is_help=True)
decision_app.add_typer(step_app, name="step")


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

    Examples:
        inami decision record CNMM --meeting 2 --title Fees --kind tariff --votes doctors:3/1/0,sickness_funds:3/1/0
        inami decision record CNMM --meeting 2 --title "Budget 2027" --kind budget --draft
    """  # noqa: E501
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
    correct: Annotated[
        bool,
        typer.Option("--correct", help="Correct overlapping recorded periods (old versions kept)."),
    ] = False,
) -> None:
    """Put an adopted decision's tariff changes into the nomenclature (idempotent).

    Examples:
        inami decision apply "CASS 2026/001"
        inami nomenclature show 560011 --history
    """
    from inami_cli.services import committees as svc

    st = state()
    with st.progress("decision apply") as bar, st.session(write=not dry_run) as session:
        s = svc.apply_decision(
            session=session, number=number, dry_run=dry_run, correct=correct, progress=bar.rows
        )
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

    Examples:
        inami decision list --committee CASS --since 2026-01-01 --code 560011
        inami decision list
        inami decision list --committee CNMM --format json
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
    st.emit([_decision_row(d) for d in rows], columns=DECISION_COLUMNS, drop=DECISION_DROP)


@decision_app.command("show")
def decision_show(
    number: Annotated[str, typer.Argument(help='Decision number, e.g. "CASS 2026/001".')],
) -> None:
    """Show a decision: vote, outcome, tariff changes and revisions.

    Examples:
        inami decision show "CASS 2026/001" --format json
        inami decision show CASS-2026/002
        inami decision show "CNMM 2026/001"
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

    Examples:
        inami decision revise "CASS 2026/002" --reason "typo" --title "Dental budget"
        inami decision show "CASS 2026/002"
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


@decision_app.command("chain")
def decision_chain(
    number: Annotated[str | None, typer.Argument(help="Decision number.")] = None,
    code: Annotated[str | None, typer.Option("--code", help="Nomenclature code.")] = None,
    dossier: Annotated[str | None, typer.Option("--dossier", help="Dossier name.")] = None,
) -> None:
    """Show the journey of a change through the bodies, with dates.

    Examples:
        inami decision chain --code 560011
        inami decision chain --dossier RD-2019-02-03-BIOLOGY
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

    Examples:
        inami decision step add --dossier RD-2019 --body CTM --kind proposal --date 2018-06-12
        inami decision chain --dossier RD-2019
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
