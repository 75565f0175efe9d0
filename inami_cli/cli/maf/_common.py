"""What the ``inami maf`` commands share: parsing flags, sections, import reports."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from inami_cli.cli.context import AppState, state
from inami_cli.cli.jobs import import_summary, problems_listed

if TYPE_CHECKING:
    from inami_cli.services.imports import ImportReport


def amount(text: str | None, flag: str) -> Decimal | None:
    """A euro amount flag (``31.81`` or ``31,81``), None when not given."""
    from inami_cli.domain.money import parse_amount

    return parse_amount(text, what=flag) if text is not None else None


def year_required(year: int | None) -> int:
    """``--year``, or exit 2 naming it (no prompt: a year is typed faster as a flag)."""
    return state().require(year, "--year")


def emit_sections(st: AppState, record: dict[str, Any], sections: dict[str, list[Any]]) -> None:
    """JSON: one object with its lists; table: a key/value table, then a titled table per
    non-empty list; csv: the first list."""
    fmt = st.output_format
    if fmt in ("json", "ndjson"):
        st.emit({**record, **sections})
        return
    if fmt == "csv":  # one CSV is one table (issue 17)
        from inami_cli.render import refuse_csv

        refuse_csv(f"this view ({', '.join(['record', *sections])})")
    st.emit({k: v for k, v in record.items() if not isinstance(v, (list, dict))})
    for title, rows in sections.items():
        if rows:
            st.heading(title)
            st.emit(rows)


def run_import(run: Callable[[], ImportReport]) -> None:
    """Run an import: every ``FILE:LINE`` problem on stderr, then the summary."""
    st = state()
    with problems_listed(but_the_first=True):
        report = run()
    import_summary(st, report)


def warn_derived(st: AppState, derived: list[str]) -> None:
    """One warning line when a computation used derived (unpublished) figures."""
    if derived:
        st.warn(
            "derived (unpublished) figures used: "
            + ", ".join(derived)
            + " (replace them with inami maf params set; --strict refuses them)"
        )
