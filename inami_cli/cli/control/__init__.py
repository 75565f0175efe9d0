"""``inami control``: control of providers and sickness funds (SECM, SCA).

Thin: parse, call ``services.control``, render. One module per family of commands:
``_limits`` (fine, prescription), ``_audit`` (the billing audit and its codes),
``_report`` (findings and peers per provider), ``_fund`` (the sample control of a fund).
"""

from __future__ import annotations

import typer

from inami_cli.cli.control._audit import control_audit, control_codes
from inami_cli.cli.control._fund import control_fund
from inami_cli.cli.control._limits import control_fine, control_prescription
from inami_cli.cli.control._report import control_report

app = typer.Typer(
    help="Control of providers and funds: audit, report, fund sample, fines (SECM, SCA).",
    no_args_is_help=True,
)
app.command("fine")(control_fine)
app.command("prescription")(control_prescription)
app.command("audit")(control_audit)
app.command("codes")(control_codes)
app.command("report")(control_report)
app.command("fund")(control_fund)

__all__ = ["app"]
