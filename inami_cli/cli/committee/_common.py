"""What the committee command groups share: optional dates, names by language, sections."""

from __future__ import annotations

from datetime import date
from typing import Any

from inami_cli.cli.context import AppState
from inami_cli.domain.dates import parse_date


def _date(text: str | None, flag: str) -> date | None:
    return parse_date(text, what=flag) if text else None


def _name(st: AppState, fr: str, nl: str) -> str:
    return nl if st.language == "nl" else fr


def _emit_sections(st: AppState, record: dict[str, Any], sections: dict[str, list[Any]]) -> None:
    """One JSON object (with its lists) for json/ndjson; a key/value table then one table per
    list for the table format; the first list for csv."""
    fmt = st.output_format
    if fmt in ("json", "ndjson"):
        st.emit({**record, **sections})
        return
    if fmt == "csv":  # one CSV is one table (issue 17)
        from inami_cli.render import refuse_csv

        refuse_csv(f"this view ({', '.join(['record', *sections])})")
    st.emit(record)
    for title, rows in sections.items():
        if rows:
            st.heading(title)
            st.emit(rows)
