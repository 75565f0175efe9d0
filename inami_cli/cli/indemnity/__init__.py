"""``inami indemnity|maternity|birth-leave|adoption-leave|funeral|miners``: the indemnity
branch of the insurance.

Thin: parse the options, call ``services.indemnities`` in one transaction, render; every
computation that used a derived (unpublished) parameter says so on stderr, and ``--strict``
refuses it (exit 4).
"""

from __future__ import annotations

from inami_cli.cli.indemnity import _benefits, _incapacity, _params
from inami_cli.cli.indemnity._common import (
    adoption_app,
    app,
    birth_app,
    funeral_app,
    maternity_app,
    miners_app,
)

_COMMANDS = (_benefits, _incapacity, _params)  # imported for their commands

__all__ = ["adoption_app", "app", "birth_app", "funeral_app", "maternity_app", "miners_app"]
