"""``inami maf params``: the MAF parameters of each year, with their reliability and source."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from inami_cli.cli.context import state
from inami_cli.cli.jobs import ImportFileArg
from inami_cli.cli.maf._common import run_import

if TYPE_CHECKING:
    from inami_cli.services.imports import ImportReport

params_app = typer.Typer(
    help="MAF parameters by year: income brackets, ceilings, amounts, letters.",
    no_args_is_help=True,
)
_COLUMNS = ["year", "name", "value", "reliability", "source", "note"]


@params_app.command("list")
def params_list(
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="A name, or a prefix ending in * (ceiling.*).")
    ] = None,
) -> None:
    """List the MAF parameters with their reliability (official, fund, secondary, derived).

    Examples:
        inami maf params list --year 2024
        inami maf params list --year 2022 --format json
    """
    from inami_cli.services import maf

    st = state()
    with st.session() as session:
        rows = maf.params_list(session=session, year=year, name=name)
    # the sources are long URLs: a table shows the rest (--format json or csv: everything)
    columns = [c for c in _COLUMNS if c != "source"] if st.output_format == "table" else _COLUMNS
    st.emit([{c: getattr(r, c) for c in _COLUMNS} for r in rows], columns=columns)


@params_app.command("set")
def params_set(
    year: Annotated[int | None, typer.Option("--year", help="The MAF year.")] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="ceiling.3, income_limit.1, social_ceiling, ...")
    ] = None,
    value: Annotated[
        str | None, typer.Option("--value", help="Amount (746.66) or bracket number (letters).")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Where it is published.")] = None,
    reliability: Annotated[
        str, typer.Option("--reliability", help="official, fund, secondary or derived.")
    ] = "official",
    note: Annotated[str, typer.Option("--note", help="A remark.")] = "",
) -> None:
    """Record one MAF figure, e.g. a published value replacing a derived one (audited).

    Examples:
        inami maf params set --year 2022 --name ceiling.1 --value 250 --source inami.fgov.be
        inami maf params list --year 2022
    """
    from inami_cli.services import maf

    st = state()
    the_year = st.require(year, "--year")
    the_name = st.require(name, "--name")
    the_value = st.require(value, "--value")
    the_source = st.require(source, "--source")
    with st.session(write=True) as session:
        view, action = maf.params_set(
            session=session, year=the_year, name=the_name, value=the_value,
            reliability=reliability, source=the_source, note=note,
        )  # fmt: skip
    st.emit({**{c: getattr(view, c) for c in _COLUMNS}, "action": action})


@params_app.command("import")
def params_import(
    file: ImportFileArg,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the changes only.")] = False,
    encoding: Annotated[str, typer.Option("--encoding", help="File encoding.")] = "utf-8",
) -> None:
    """Import a year's MAF table, all or nothing (re-importing changes nothing).

    Columns: year, name, value, reliability, source (optional note).

    Examples:
        inami maf params import fixtures/examples/maf_params.csv --dry-run
        inami maf params import fixtures/examples/maf_params.csv
    """
    from inami_cli.services import maf

    st = state()

    def run() -> ImportReport:
        with st.session(write=not dry_run) as session:
            return maf.import_params(session=session, file=file, dry_run=dry_run,
                                     encoding=encoding)  # fmt: skip

    run_import(run)
