"""``inami control``: control of providers and sickness funds (SECM, SCA).

Thin: parse, call ``services.control``, render. One module per family of commands:
``_limits`` (fine, prescription); the billing audit, the provider report and the sample
control of a fund join as ``_audit``, ``_report``, ``_fund`` with one line each below.
"""

from __future__ import annotations

import typer

from inami_cli.cli.control._limits import control_fine, control_prescription

app = typer.Typer(
    help="Control of providers and funds: fines and prescription (SECM, SCA).",
    no_args_is_help=True,
)
app.command("fine")(control_fine)
app.command("prescription")(control_prescription)

__all__ = ["app"]
