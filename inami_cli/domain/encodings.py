"""The ``--encoding`` of an input file: a text codec Python knows, by its canonical name.

Shared by every import and batch (``inami_cli.tabular``).
"""

from __future__ import annotations

import codecs

from inami_cli.domain.errors import InvalidInput

ENCODINGS_HINT = "utf-8 (the default), latin-1 or cp1252"


def check_encoding(encoding: str) -> str:
    """The codec's canonical name, or exit 2 naming the option (``--encoding``)."""
    try:
        info = codecs.lookup(encoding)
        # a text codec that decodes: not "undefined" (which refuses every byte) nor a
        # bytes-to-bytes codec such as base64 or zlib (both found by `make fuzz`)
        if not getattr(info, "_is_text_encoding", True):
            raise LookupError(encoding)
        info.incrementaldecoder("strict").decode(b"")
        return info.name
    except (LookupError, ValueError):  # ValueError: a NUL in the name (found by the fuzz test)
        raise InvalidInput(f"--encoding {encoding!r}: unknown; use {ENCODINGS_HINT}") from None
