"""``inami audit``: read the audit log (it cannot be changed from the CLI)."""

from __future__ import annotations

from typing import Annotated

import typer

from inami_cli.cli.context import state

app = typer.Typer(help="Read the audit log of every change.", no_args_is_help=True)


@app.command("log")
def audit_log(
    since: Annotated[str | None, typer.Option(help="Only changes from this date.")] = None,
    entity: Annotated[str | None, typer.Option(help="Only this entity, e.g. tariff.")] = None,
    key: Annotated[
        str | None,
        typer.Option(
            help="Only this key, or keys starting with it and a space: a tariff period is "
            "'CODE FROM' (101076 finds every period of the code), an affiliation 'NISS FROM', "
            "an act its CODE, a decision its number, a person a NISS.",
            metavar="KEY",
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many entries.")] = 100,
) -> None:
    """List audit entries, newest first.

    Examples:
        inami audit log --entity tariff --key 101076 --limit 5
        inami audit log --entity decision --limit 3
        inami audit log --since 2020-01-01 --format json --limit 2
    """
    from inami_cli.domain.dates import parse_date
    from inami_cli.services.audit import list_entries

    st = state()
    since_date = parse_date(since, what="--since") if since else None
    with st.session() as session:
        rows = list_entries(session=session, since=since_date, entity=entity, key=key, limit=limit)
    columns = ["id", "at", "operator", "declared_operator", "action", "entity", "key", "command"]
    columns += ["before", "after"]
    st.emit([{c: getattr(r, c) for c in columns} for r in rows], columns=columns)
