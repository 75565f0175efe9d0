"""``inami indemnity params list|set|import``."""

from __future__ import annotations

from typing import Annotated

import typer

from inami_cli.cli.context import state
from inami_cli.cli.indemnity._common import params_app
from inami_cli.cli.jobs import DryRunOpt, ImportFileArg
from inami_cli.cli.options import optional_day

_LIST_COLUMNS = ["name", "valid_from", "valid_to", "value", "unit", "reliability"]


@params_app.command("list")
def params_list(
    on: Annotated[str | None, typer.Option("--on", help="Only the rows in force that day.")] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Names matching (glob `employee.*` or words).")
    ] = None,
    reliability: Annotated[
        str | None,
        typer.Option("--reliability", help="official, fund, secondary or derived."),
    ] = None,
) -> None:
    """List the dated parameters with their reliability (JSON adds source and note).

    Examples:
        inami indemnity params list --on 2026-03-02 --name "employee.minimum.*"
        inami indemnity params list --on 2026-03-02 --format json
    """
    from inami_cli.services import indemnities as svc

    st = state()
    with st.session() as session:
        rows = svc.params_list(
            session=session, on=optional_day(on, "--on"), pattern=name, reliability=reliability
        )
    records = [r.as_record() for r in rows]
    if st.output_format == "table":
        st.emit(records, columns=_LIST_COLUMNS)
    else:
        st.emit(records, columns=[*_LIST_COLUMNS, "source", "note", "origin"])


@params_app.command("set")
def params_set(
    name: Annotated[str, typer.Argument(help="Parameter name (employee.primary.rate).")],
    valid_from: Annotated[str | None, typer.Option("--from", help="First day.")] = None,
    valid_to: Annotated[str | None, typer.Option("--to", help="Last day (default open).")] = None,
    value: Annotated[str | None, typer.Option("--value", help="Exact value (0.60, 81.10).")] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="EUR/day, ratio, days, months, ...")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="URL or reference of the figure.")
    ] = None,
    reliability: Annotated[
        str, typer.Option("--reliability", help="official, fund, secondary or derived.")
    ] = "official",
    note: Annotated[str, typer.Option("--note", help="Free text.")] = "",
) -> None:
    """Record a parameter value for a period (same name and start: replaced), audited.

    Examples:
        inami indemnity params set employee.minimum.month3 --from 2026-03-01 --value 65.00 --unit EUR/day --source https://www.inami.fgov.be/... --reliability official
        inami indemnity params list --on 2026-03-02 --name "employee.minimum.month3"
    """  # noqa: E501
    from inami_cli.services import indemnities as svc

    st = state()
    cells = {
        "name": name,
        "valid_from": st.require(valid_from, "--from"),
        "valid_to": valid_to or "",
        "value": st.require(value, "--value"),
        "unit": st.require(unit, "--unit"),
        "source": st.require(source, "--source"),
        "reliability": reliability,
        "note": note,
    }
    param = svc.param_from_cells(cells)
    with st.session(write=True) as session:
        action, view = svc.params_set(session=session, param=param)
    st.info(f"{action} {view.name} {view.valid_from}")
    st.emit(view.as_record())


@params_app.command("import")
def params_import(
    file: ImportFileArg,
    dry_run: DryRunOpt = False,
    encoding: Annotated[
        str, typer.Option("--encoding", help="Text encoding (utf-8, latin-1, cp1252).")
    ] = "utf-8",
) -> None:
    """Import parameter rows, all or nothing, idempotent.

    Columns: name, valid_from, valid_to, value, unit, source, reliability (optional note).

    Examples:
        inami indemnity params import fixtures/examples/indemnity_params.csv --dry-run
        inami indemnity params import fixtures/examples/indemnity_params.csv
    """
    from inami_cli.domain.errors import FileErrors
    from inami_cli.services import indemnities as svc

    st = state()
    try:
        with st.session(write=not dry_run) as session:
            report = svc.params_import(
                session=session, path=file, dry_run=dry_run, encoding=encoding
            )
    except FileErrors as errors:
        for problem in errors.problems[:-1]:
            typer.echo(problem, err=True)
        raise FileErrors(errors.problems[-1:]) from None
    if dry_run:
        marks = {"insert": "+", "update": "~"}
        for action, text in report.changes:
            typer.echo(f"{marks[action]} {text}", err=st.output_format in ("json", "ndjson"))
    text = (
        f"{'would import' if dry_run else 'imported'} {file}: {report.inserted} inserted, "
        f"{report.updated} updated, {report.unchanged} unchanged"
    )
    st.summary(report.counts(), text)
