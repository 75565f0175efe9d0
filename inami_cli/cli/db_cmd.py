"""``inami db``: initialise, upgrade, inspect, check and back up the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from inami_cli.cli.context import state

app = typer.Typer(help="Create, upgrade, check and back up the database.", no_args_is_help=True)


@app.command("init")
def db_init() -> None:
    """Create the database (or upgrade it) to the current schema.

    Examples:
        inami db init
        inami db init --format json
    """
    from inami_cli.services.dbadmin import initialise

    st = state()
    revision = initialise(st.engine(create=True))
    st.info(f"database ready at schema {revision}")


@app.command("upgrade")
def db_upgrade() -> None:
    """Upgrade an existing database to the current schema, keeping its data.

    Examples:
        inami db upgrade
        inami db upgrade --format json
    """
    from inami_cli.db.engine import schema_revision
    from inami_cli.db.schema import KNOWN_REVISIONS
    from inami_cli.domain.errors import DatabaseError
    from inami_cli.services.dbadmin import initialise

    st = state()
    engine = st.engine()
    before = schema_revision(engine)
    if before is not None and before not in KNOWN_REVISIONS:
        raise DatabaseError(f"database schema {before} is newer than this inami knows")
    after = initialise(engine)
    st.info(f"schema {before or 'empty'} -> {after}")


@app.command("status")
def db_status() -> None:
    """Show the database URL (password masked), schema revision and row counts.

    Examples:
        inami db status --format json
        inami db status
    """
    from inami_cli.config import mask_url
    from inami_cli.services.dbadmin import status

    st = state()
    with st.session(check_schema=False) as session:
        result = status(session=session, url=mask_url(st.database_url))
    if st.output_format == "json":
        st.emit(
            {
                "url": result.url,
                "backend": result.backend,
                "revision": result.revision,
                "expected_revision": result.expected_revision,
                "tables": result.tables,
            }
        )
    else:
        st.info(f"{result.url} ({result.backend}) schema {result.revision}")
        st.emit([{"table": k, "rows": v} for k, v in result.tables.items()])


@app.command("check")
def db_check() -> None:
    """Check integrity and domain consistency; print nothing and exit 0 when clean.

    Examples:
        inami db check && echo clean
        inami db check --format json
    """
    from inami_cli.services.dbadmin import check

    st = state()
    with st.session() as session:
        problems = check(session=session)
    for problem in problems:
        typer.echo(problem)
    if problems:
        raise typer.Exit(1)


@app.command("backup")
def db_backup(
    destination: Annotated[Path, typer.Argument(help="File (or directory) to write.")],
) -> None:
    """Copy the SQLite database consistently, even while others write to it.

    Examples:
        inami db backup inami-backup.db
        inami db backup inami-backup-2.db --format json
    """
    from inami_cli.services.dbadmin import backup

    st = state()
    st.engine()  # fails clearly when the database does not exist
    written = backup(url=st.database_url, destination=destination)
    st.info(f"backup written to {written}")
