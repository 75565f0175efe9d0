"""``inami maf``: the maximum à facturer — parameters, households, counters, computation.

Thin: parse the options, call ``services.maf`` in one transaction, render.
"""

from __future__ import annotations

import typer

from inami_cli.cli.maf._compute import maf_compute, maf_status
from inami_cli.cli.maf._counters import counter_app
from inami_cli.cli.maf._households import household_app
from inami_cli.cli.maf._params import params_app

app = typer.Typer(
    help="The maximum à facturer (MAF): household ceilings on personal shares, refunds.",
    no_args_is_help=True,
)
app.command("compute")(maf_compute)
app.command("status")(maf_status)
app.add_typer(household_app, name="household")
app.add_typer(counter_app, name="counter")
app.add_typer(params_app, name="params")

__all__ = ["app"]
