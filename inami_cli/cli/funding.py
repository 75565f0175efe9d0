"""``inami funding``: the funds' money — budget objective, monthly advances, budget shares,
financial responsibility. Thin: parse, call ``services.funding``, render."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from inami_cli.cli.context import state
from inami_cli.cli.jobs import ImportFileArg, import_summary, problems_listed

if TYPE_CHECKING:
    from inami_cli.services.imports import ImportReport

app = typer.Typer(
    help="The funds' money: budget objective, monthly advances, budget shares, responsibility.",
    no_args_is_help=True,
)
budget_app = typer.Typer(help="The global budget objective of a year.", no_args_is_help=True)
input_app = typer.Typer(
    help="Each insurer's budgeted, actual and normative expenditure.", no_args_is_help=True
)
app.add_typer(budget_app, name="budget")
app.add_typer(input_app, name="input")

YearOpt = Annotated[int | None, typer.Option("--year", help="The budget year.")]
# the inputs of ``share`` and ``responsibility``: the recorded figures unless given
ObjectiveOpt = Annotated[
    str | None, typer.Option("--objective", help="Objective in euros (default: recorded).")
]
ActualOpt = Annotated[
    str | None, typer.Option("--actual", help="CSV insurer_code,amount of actual expenditure.")
]
NormativeOpt = Annotated[
    str | None, typer.Option("--normative", help="CSV insurer_code,amount (normative).")
]


def _amount(text: str | None, flag: str) -> Decimal | None:
    from inami_cli.domain.values import parse_budget_amount

    return parse_budget_amount(text, what=flag) if text is not None else None


def _percent(text: str | None, flag: str) -> Decimal | None:
    from inami_cli.domain.values import parse_rate

    return parse_rate(text, what=flag) if text is not None else None


_LONG = ("source", "objective_source", "rate_source")


def emit_record(record: dict[str, Any]) -> None:
    """One record; in a table the sources (long URLs) go on their own lines below it, so the
    table keeps to the width of its values."""
    st = state()
    if st.output_format != "table":
        st.emit(record)
        return
    st.emit({k: v for k, v in record.items() if k not in _LONG})
    for key in _LONG:
        if record.get(key):
            typer.echo(f"{key}: {record[key]}")


def _emit_with_header(header: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    st = state()
    if st.output_format == "json":
        st.emit({**header, "insurers": rows})
        return
    if st.output_format == "table":
        emit_record(header)
        typer.echo("")
    st.emit(rows)


@budget_app.command("set")
def budget_set(
    year: YearOpt = None,
    objective: Annotated[
        str | None, typer.Option("--objective", help="The global budget objective in euros.")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Where it is published.")] = None,
    reliability: Annotated[
        str, typer.Option("--reliability", help="official, fund, secondary or derived.")
    ] = "official",
    mali_cap: Annotated[
        str | None,
        typer.Option("--mali-cap", help="Most a mali costs an insurer, % of its budget."),
    ] = None,
    mali_cap_source: Annotated[
        str | None, typer.Option("--mali-cap-source", help="Where the cap comes from.")
    ] = None,
) -> None:
    """Record the global budget objective of a year (and the mali cap; audited).

    Examples:
        inami funding budget set --year 2026 --objective 40986000000 --source https://www.riziv.fgov.be/
        inami funding budget list
    """
    from inami_cli.services import funding

    st = state()
    the_year = st.require(year, "--year")
    if objective is None and mali_cap is None:
        st.require(None, "--objective (or --mali-cap)")
    with st.session(write=True) as session:
        view, action = funding.budget_set(
            session=session, year=the_year, objective=_amount(objective, "--objective"),
            source=source, reliability=reliability,
            mali_cap_percent=_percent(mali_cap, "--mali-cap"), mali_cap_source=mali_cap_source,
        )  # fmt: skip
    emit_record({**view.record(), "action": action})


@budget_app.command("list")
def budget_list(year: YearOpt = None) -> None:
    """List the recorded budget objectives with their source.

    Examples:
        inami funding budget list
        inami funding budget list --format json
    """
    from inami_cli.services import funding

    st = state()
    with st.session() as session:
        views = funding.budget_list(session=session, year=year)
    columns = ["year", "objective", "reliability", "mali_cap_percent"]
    if st.output_format != "table":  # the sources are long URLs: --format json or csv
        columns.append("source")
    st.emit([v.record() for v in views], columns=columns)


@input_app.command("import")
def input_import(
    file: ImportFileArg,
    year: YearOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the changes only.")] = False,
    encoding: Annotated[str, typer.Option("--encoding", help="File encoding.")] = "utf-8",
) -> None:
    """Import insurers' expenditure for a year, all or nothing (re-importing changes nothing).

    Columns: insurer_code, then any of budgeted, actual, normative (euros).

    Examples:
        inami funding input import fixtures/funding_2026.csv --year 2026 --dry-run
        inami funding input import fixtures/funding_2026.csv --year 2026
    """
    from inami_cli.services import funding

    st = state()
    the_year = st.require(year, "--year")

    with problems_listed(but_the_first=True), st.session(write=not dry_run) as session:
        report: ImportReport = funding.import_inputs(
            session=session, file=file, year=the_year, dry_run=dry_run, encoding=encoding
        )
    import_summary(st, report)


@app.command("advance")
def funding_advance(
    year: YearOpt = None,
    budget_doc: Annotated[
        str | None,
        typer.Option("--budget-doc", help="CSV insurer_code,amount instead of the stored one."),
    ] = None,
    insurer: Annotated[str | None, typer.Option("--insurer", help="Only this insurer.")] = None,
) -> None:
    """Plan the monthly advances: 1/12 of each insurer's budgeted expenditure, and the dates.

    Examples:
        inami funding advance --year 2026 --insurer 300
        inami funding advance --year 2026
        inami funding advance --year 2026 --insurer 100 --format json
    """
    from inami_cli.services import funding

    st = state()
    the_year = st.require(year, "--year")
    with st.session() as session:
        plan = funding.advance_plan(session=session, year=the_year, budget_doc=budget_doc)
    rows = [r for r in plan.records() if insurer is None or r["insurer_code"] == insurer]
    if insurer is not None and not rows:
        from inami_cli.domain.errors import NotFound

        raise NotFound(f"insurer {insurer} has no budgeted expenditure for {the_year}")
    from inami_cli.domain.funding import ADVANCE_SOURCE

    header = {"year": the_year, "rule": "1/12 of the budgeted expenditure, paid on the last "
              "working day of the month", "source": ADVANCE_SOURCE}  # fmt: skip
    _emit_with_header(header, rows)


@app.command("share")
def funding_share(
    year: YearOpt = None,
    objective: ObjectiveOpt = None,
    actual: ActualOpt = None,
    normative: NormativeOpt = None,
) -> None:
    """Split the objective by budget share: 70 % actual, 30 % normative expenditure.

    Examples:
        inami funding share --year 2026
        inami funding share --year 2026 --format json
    """
    from inami_cli.domain.funding import SHARE_SOURCE
    from inami_cli.domain.money import from_cents
    from inami_cli.services import funding

    st = state()
    the_year = st.require(year, "--year")
    with st.session() as session:
        table = funding.share_table(
            session=session, year=the_year, objective=_amount(objective, "--objective"),
            actual_file=actual, normative_file=normative,
        )  # fmt: skip
    header = {"year": the_year, "objective": from_cents(table.objective),
              "objective_reliability": table.objective_reliability,
              "objective_source": table.objective_source,
              "rule": "70 % actual + 30 % normative share", "source": SHARE_SOURCE}  # fmt: skip
    if table.objective_reliability == "derived":
        st.warn(f"the {the_year} objective is a derived figure, not a published one")
    rows = table.records()
    if st.output_format == "table":
        rows = [{k: r[k] for k in ("insurer_code", "insurer", "budget_share_pct", "budget")}
                for r in rows]  # fmt: skip
    _emit_with_header(header, rows)


@app.command("responsibility")
def funding_responsibility(
    year: YearOpt = None,
    rate: Annotated[
        str | None, typer.Option("--rate", help="% kept or borne (default: the year's rate).")
    ] = None,
    mali_cap: Annotated[
        str | None, typer.Option("--mali-cap", help="Most a mali costs, % of the budget.")
    ] = None,
    mode: Annotated[
        str | None,
        typer.Option("--mode", help="individual or global (default: global from 2015)."),
    ] = None,
    objective: ObjectiveOpt = None,
    actual: ActualOpt = None,
    normative: NormativeOpt = None,
) -> None:
    """Compute the part of its boni an insurer keeps, or of its mali it bears.

    Examples:
        inami funding responsibility --year 2026
        inami funding responsibility --year 2026 --format json
    """
    from inami_cli.services import funding

    st = state()
    the_year = st.require(year, "--year")
    with st.session() as session:
        table = funding.responsibility_table(
            session=session, year=the_year, rate=_percent(rate, "--rate"),
            mali_cap_percent=_percent(mali_cap, "--mali-cap"), mode=mode,
            objective=_amount(objective, "--objective"), actual_file=actual,
            normative_file=normative,
        )  # fmt: skip
    if table.mali_cap_percent is None and any(r.result < 0 for r in table.rows):
        st.warn("no mali cap recorded (the stored legal text is cut): the mali is not capped; "
                "pass --mali-cap PCT or record it with funding budget set --mali-cap")  # fmt: skip
    header = {
        "year": the_year, "mode": table.mode, "rate_pct": table.rate,
        "rate_source": table.rate_source, "mali_cap_percent": table.mali_cap_percent,
    }  # fmt: skip
    rows = table.records()
    if st.output_format == "table":
        rows = [{k: r[k] for k in ("insurer_code", "budget", "actual", "result",
                                   "kept_or_borne", "capped")} for r in rows]  # fmt: skip
    _emit_with_header(header, rows)
