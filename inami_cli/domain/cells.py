"""Text of one value in a table or CSV cell (the CSV and table output contract).

Pure so that the services (batch renderers) and ``inami_cli.render`` share one rule: booleans
are ``yes``/``no``, money keeps its exact digits, dates are ISO, ``None`` is empty. And the
other way, a yes/no cell of a batch input (`yes_no`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# Control characters other than tab and line breaks: ESC starts the terminal sequences that
# clear a screen or retitle a window, C1 0x9b is a one-byte CSI, BEL rings, DEL erases.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def neutralise(text: str) -> str:
    """*text* with every terminal control character shown as ``\\xNN`` (never executed):
    stored text (names, labels, titles) came from imports or a keyboard."""
    if text.isprintable():  # the usual case, at C speed
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


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
    return neutralise(str(value))


_YES = frozenset(("yes", "y", "true", "1", "oui", "ja"))
_NO = frozenset(("no", "n", "false", "0", "non", "nee"))


def yes_no(text: str, what: str) -> bool | None:
    """A yes/no cell of a batch input (English, French or Dutch words, 1/0, any case): True,
    False, None when empty, InvalidInput naming *what* otherwise."""
    from inami_cli.domain.errors import InvalidInput

    value = text.strip().lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise InvalidInput(f"{what}: {text!r} is not yes or no")
