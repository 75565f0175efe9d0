"""JSON writing with exact money: ``Decimal`` becomes a JSON number written from its digits.

``json`` would go through ``float`` for ``Decimal``; amounts must never do that (STYLE.md).
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


def _encode(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None or isinstance(value, (bool, int)):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Decimal):
        out.append(format(value, "f"))
    elif isinstance(value, datetime):
        out.append(json.dumps(value.isoformat(timespec="seconds")))
    elif isinstance(value, date):
        out.append(json.dumps(value.isoformat()))
    elif isinstance(value, Enum):
        _encode(value.value, out)
    elif isinstance(value, float):
        out.append(json.dumps(value))
    elif isinstance(value, Mapping):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.append(", ")
            out.append(_string(str(key)))
            out.append(": ")
            _encode(item, out)
        out.append("}")
    elif isinstance(value, (list, tuple, set, frozenset)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(", ")
            _encode(item, out)
        out.append("]")
    else:
        out.append(json.dumps(str(value), ensure_ascii=False))


def dumps(value: Any) -> str:
    """Serialise to one line of JSON; money (``Decimal``) keeps its exact digits."""
    out: list[str] = []
    _encode(value, out)
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
