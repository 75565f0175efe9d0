"""JSON writing with exact money: ``Decimal`` becomes a JSON number written from its digits.

``json`` would go through ``float`` for ``Decimal``; amounts must never do that (STYLE.md).

This is the one encoder of every command's JSON and NDJSON output (the contract of the
README's "Output for scripts", issue 17): money is a number, a missing value is ``null``
(never ``""``: an empty text is how the services say "none"), booleans are ``true`` /
``false``. Stored JSON (audit snapshots, the desk journal) keeps its empty texts
(``keep_empty``): what was stored is not rewritten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

# json escapes C0 controls (ESC becomes \u001b) but writes DEL and the C1 controls (0x9b
# is a one-byte CSI to a terminal) as they are: those too are written escaped (same value).
_UNESCAPED_CONTROL = re.compile("[\x7f-\x9f]")


def _string(value: str) -> str:
    text = json.dumps(value, ensure_ascii=False)
    if text.isprintable():
        return text
    return _UNESCAPED_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _encode(value: Any, out: list[str], keep_empty: bool = False) -> None:
    if isinstance(value, str):
        out.append(_string(value) if value or keep_empty else "null")
    elif value is None or isinstance(value, (bool, int)):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Decimal):
        out.append(format(value, "f"))
    elif isinstance(value, datetime):
        out.append(json.dumps(value.isoformat(timespec="seconds")))
    elif isinstance(value, date):
        out.append(json.dumps(value.isoformat()))
    elif isinstance(value, Enum):
        _encode(value.value, out, keep_empty)
    elif isinstance(value, float):
        out.append(json.dumps(value))
    elif isinstance(value, Mapping):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.append(", ")
            out.append(_string(str(key)))
            out.append(": ")
            _encode(item, out, keep_empty)
        out.append("}")
    elif isinstance(value, (list, tuple, set, frozenset)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(", ")
            _encode(item, out, keep_empty)
        out.append("]")
    else:
        out.append(json.dumps(str(value), ensure_ascii=False))


def dumps(value: Any, *, keep_empty: bool = False) -> str:
    """Serialise to one line of JSON; money (``Decimal``) keeps its exact digits; ``""`` is
    ``null`` unless *keep_empty* (stored JSON)."""
    out: list[str] = []
    _encode(value, out, keep_empty)
    return "".join(out)


def plain(value: Any) -> Any:
    """A JSON-friendly copy for audit snapshots (dates ISO, Decimal as text)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value
