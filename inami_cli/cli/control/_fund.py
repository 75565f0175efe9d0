"""``inami control fund INSURER --sample N --seed S``: a fund's reimbursements recomputed."""

from __future__ import annotations

from typing import Annotated

import typer

from inami_cli.cli.context import state


def control_fund(
    insurer: Annotated[str, typer.Argument(help="The insurer's code (100 ... 900).")],
    sample: Annotated[
        int | None, typer.Option("--sample", help="How many recorded reimbursements to draw.")
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Seed of the draw (the same seed, the same sample)."),
    ] = None,
    fail_on_differences: Annotated[
        bool, typer.Option("--fail-on-differences", help="Exit 1 when a record differs.")
    ] = False,
) -> None:
    """Recompute a reproducible sample of a fund's recorded reimbursements; the differences.

    Examples:
        inami control fund 100 --sample 50 --seed 2026
        inami control fund 300 --sample 10 --seed 1 --format json
    """
    from inami_cli.domain.jsonfmt import dumps
    from inami_cli.services import control

    st = state()
    size = st.require(sample, "--sample")
    the_seed = st.require(seed, "--seed")
    with st.session() as session:
        result = control.fund_sample(session=session, insurer=insurer, sample=size, seed=the_seed)
    totals = result.totals()
    rows = [c.as_dict() for c in result.checks]
    fmt = st.output_format
    if fmt == "json":
        st.emit({**totals, "checks": rows})
    else:
        if rows:
            st.emit(rows, columns=control.FUND_COLUMNS)
        if fmt == "ndjson":
            typer.echo(dumps(totals), err=True)
        else:
            st.info(
                f"insurer {result.insurer} ({result.insurer_name}): {totals['sample']} of "
                f"{result.population} records (seed {result.seed}), {result.differing} "
                f"differing; recorded {totals['recorded']:.2f}, computed "
                f"{totals['computed']:.2f}, difference {totals['difference']:.2f}"
            )
    if fail_on_differences and result.differing:
        raise typer.Exit(1)
