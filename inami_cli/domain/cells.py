"""Text of one value in a table or CSV cell (the CSV and table output contract).

Pure so that the services (batch renderers) and ``inami_cli.render`` share one rule: booleans
are ``yes``/``no``, money keeps its exact digits, dates are ISO, ``None`` is empty.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any


def cell(value: Any) -> str:
    """Text of one value for table and CSV output."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):  # before date: a datetime is a date
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return " ".join(cell(v) for v in value)
    return str(value)
