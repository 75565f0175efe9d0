"""``inami control report FILE``: findings and peers per provider, and their distribution."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from inami_cli.cli.context import state


def _plot(path: Path, values: list[Any], outlier: Any) -> None:
    """A PNG histogram of services per patient (only when matplotlib is installed)."""
    from inami_cli.domain.errors import InvalidInput

    try:
        import matplotlib  # type: ignore[import-not-found, unused-ignore]

        matplotlib.use("Agg")
        from matplotlib import pyplot  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise InvalidInput(
            "--plot needs matplotlib, which is not installed "
            "(the terminal histogram is printed with --format table)"
        ) from None
    figure, axes = pyplot.subplots()
    axes.hist([float(v) for v in values], bins=10)
    axes.set_xlabel("services per patient")
    axes.set_ylabel("providers")
    axes.set_title(f"Services per patient per provider (outlier ratio {outlier})")
    figure.savefig(path)
    pyplot.close(figure)


def control_report(
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="Billing CSV ('-' = stdin).")],
    billed_on: Annotated[
        str | None,
        typer.Option("--billed-on", help="Date of billing, for the 2-year limit (default today)."),
    ] = None,
    outlier: Annotated[
        str,
        typer.Option("--outlier", help="Flag a provider at this ratio to its peers' median."),
    ] = "1.5",
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Also write a PNG histogram (needs matplotlib).")
    ] = None,
    encoding: Annotated[str, typer.Option("--encoding", help="The file's encoding.")] = "utf-8",
) -> None:
    """Sum a billing file's findings per provider and compare each with its peers' median.

    Examples:
        inami control report fixtures/billing_demo.csv --outlier 1.5
        inami control report fixtures/billing_demo.csv --format csv
    """
    from inami_cli.cli.control._audit import billed_on_option
    from inami_cli.domain import control as rules
    from inami_cli.domain.jsonfmt import dumps
    from inami_cli.domain.money import parse_decimal
    from inami_cli.services import control
    from inami_cli.tabular import open_binary

    st = state()
    ratio = parse_decimal(outlier, what="--outlier")
    day = billed_on_option(billed_on)
    with open_binary(file) as source, st.session() as session:
        report = control.provider_report(
            session=session, source=source, filename=file, billed_on=day, outlier=ratio,
            encoding=encoding, on_error=st.warn,
        )  # fmt: skip
    rows = [p.as_dict() for p in report.providers]
    summary = report.summary.as_dict()
    fmt = st.output_format
    if fmt == "json":
        st.emit({"outlier": ratio, "summary": summary, "providers": rows})
    else:
        if fmt in ("table", "csv"):
            for row in rows:
                row["by_rule"] = " ".join(f"{k}:{v}" for k, v in row["by_rule"].items())
        if rows:
            st.emit(rows, columns=control.REPORT_COLUMNS, drop=control.REPORT_DROP)
        values = [p.peers.per_patient for p in report.providers]
        if fmt == "table":
            typer.echo("")
            for line in rules.histogram(values, label="services per patient per provider"):
                typer.echo(line)
        if fmt == "ndjson":
            typer.echo(dumps(summary), err=True)
        else:
            flagged = sum(1 for p in report.providers if p.peers.outlier)
            st.info(
                f"{len(rows)} providers, {flagged} at {ratio}× their peers' median or more; "
                f"{summary['lines']} lines, billed {summary['claimed']:.2f}, undue "
                f"{summary['undue']:.2f}, {summary['errors']} malformed"
            )
    if plot is not None:
        _plot(plot, [p.peers.per_patient for p in report.providers], ratio)
    if report.summary.errors:
        raise typer.Exit(2)
