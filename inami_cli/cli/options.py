"""Option values the command groups read the same way (one parser, one error message)."""

from __future__ import annotations

from datetime import date


def optional_day(text: str | None, flag: str) -> date | None:
    """A date option (``YYYY-MM-DD`` or ``D/M/YYYY``), None when not given; a bad date is an
    exit 2 naming *flag*."""
    from inami_cli.domain.dates import parse_date

    return parse_date(text, what=flag) if text is not None else None
