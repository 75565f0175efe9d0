"""``inami committee`` (rules and composition) and ``inami member`` (mandates)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from inami_cli.cli.committee._common import _date, _emit_sections, _name
from inami_cli.cli.committee._rows import MEMBER_COLUMNS, _committee_row, _member_row
from inami_cli.cli.context import state
from inami_cli.domain.dates import parse_date

app = typer.Typer(help="INAMI committees: rules, composition.", no_args_is_help=True)
member_app = typer.Typer(help="Mandates in committees.", no_args_is_help=True)


@app.command("list")
def committee_list(
    on: Annotated[str | None, typer.Option("--date", help="Count mandates on this date.")] = None,
) -> None:
    """List the committees with their quorum and majority rules.

    Examples:
        inami committee list --format json
        inami committee list
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

    Examples:
        inami committee show CNMM
        inami committee show CASS --format json
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


@app.command("members")
def committee_members(
    code: Annotated[str, typer.Argument(help="Committee code.")],
    on: Annotated[
        str | None, typer.Option("--date", help="Mandates held on this date (default: all).")
    ] = None,
) -> None:
    """List the members of a committee (on a date).

    Examples:
        inami committee members CASS --date 2026-01-19
        inami committee members CTM
        inami committee members CNMM --date 2026-02-10 --format csv
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

    Examples:
        inami committee sync
        inami committee sync --format json
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

    Examples:
        inami member add CTM --name "Dr Anna Peeters" --group practitioners --from 2026-01-01
        inami member add CTM --name "Dr Bram Claes" --group fund_doctors --role substitute --from 2026-01-01
    """  # noqa: E501
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

    Examples:
        inami member end 12 --date 2026-06-30
        inami committee members CASS --date 2026-07-01
    """
    from inami_cli.services import committees as svc

    st = state()
    with st.session(write=True) as session:
        m = svc.end_member(session=session, member_id=member_id, on=parse_date(on, what="--date"))
    st.emit(_member_row(m))
