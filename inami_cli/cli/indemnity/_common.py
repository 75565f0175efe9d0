"""What the indemnity command groups share: the groups, option types, parsing of dates and
exact numbers, the derived-figure warnings, and sections of output."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import typer

from inami_cli.cli.context import AppState, state
from inami_cli.cli.options import optional_day

app = typer.Typer(
    help="Incapacity for work: dated parameters, episodes, daily amounts, periods, batches.",
    no_args_is_help=True,
)
params_app = typer.Typer(
    help="Dated, sourced parameters of the indemnity rules.", no_args_is_help=True
)
episode_app = typer.Typer(help="Recorded incapacity spells of persons.", no_args_is_help=True)
app.add_typer(params_app, name="params")
app.add_typer(episode_app, name="episode")
maternity_app = typer.Typer(
    help="Maternity rest: the calendar and the amounts.", no_args_is_help=True
)
birth_app = typer.Typer(help="Birth leave (former paternity leave).", no_args_is_help=True)
adoption_app = typer.Typer(help="Adoption leave: weeks per parent.", no_args_is_help=True)
funeral_app = typer.Typer(
    help="The funeral allowance (abolished for deaths from 2013-01-01).", no_args_is_help=True
)
miners_app = typer.Typer(help="Miners' invalidity pensions.", no_args_is_help=True)

NissOpt = Annotated[
    str | None,
    typer.Argument(metavar="[NISS]", help="A person with a recorded spell.", show_default=False),
]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Refuse derived (unpublished) parameters: exit 4.")
]
ExplainOpt = Annotated[
    bool, typer.Option("--explain", help="Show every step, its rule and parameter row.")
]

STEP_COLUMNS = ["step", "value", "rule", "parameter", "valid_from", "reliability"]


def required_day(text: str | None, flag: str) -> date:
    """A date option that must be given (exit 2 naming the flag)."""
    from inami_cli.domain.errors import MissingValue

    value = optional_day(text, flag)
    if value is None:
        raise MissingValue(f"missing value: pass {flag}")
    return value


def number(text: str | None, flag: str) -> Decimal | None:
    """An exact, non-negative number (wages keep their 4 decimals: 115.3846)."""
    if text is None:
        return None
    from inami_cli.domain.errors import InvalidInput
    from inami_cli.domain.money import parse_decimal

    value = parse_decimal(text, what=flag)
    if value < 0:
        raise InvalidInput(f"{flag}: {text!r} is negative")
    return value


def warn_all(st: AppState, warnings: Iterable[str]) -> None:
    """Each warning on one stderr line."""
    for warning in warnings:
        st.warn(warning)


def emit_sections(
    st: AppState,
    record: Mapping[str, Any],
    sections: Mapping[str, Sequence[Mapping[str, Any]]],
    columns: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """One JSON object with its lists under snake_case keys (json/ndjson); the first list
    (csv); a key/value table then one titled table per list (table)."""
    fmt = st.output_format
    if fmt in ("json", "ndjson"):
        st.emit({**record, **{k: list(v) for k, v in sections.items()}})
        return
    if fmt == "csv":  # one CSV is one table (issue 17)
        from inami_cli.render import refuse_csv

        refuse_csv(f"this view ({', '.join(['record', *sections])})")
    st.emit(dict(record))
    for key, rows in sections.items():
        if rows:
            st.heading(key.replace("_", " ").capitalize())
            cols = (columns or {}).get(key)
            st.emit([dict(r) for r in rows], columns=list(cols) if cols else None)


def steps_for_table(steps: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The explanation, narrowed for an 80-column terminal (JSON keeps every field)."""
    return [{c: s.get(c) for c in STEP_COLUMNS} for s in steps]


def print_steps(steps: Iterable[Mapping[str, Any]]) -> None:
    """The explanation for a person at a terminal: one step a line, then the parameter row it
    read (name, period, reliability) indented below; the source URL is in the JSON output."""
    from inami_cli.domain.cells import cell

    st = state()
    st.heading("Explanation")
    for step in steps:
        value = cell(step.get("value"))
        rule = step.get("rule") or ""
        st.say(f"- {step['step']}: {value or '-'}" + (f" ({rule})" if rule else ""), hanging="  ")
        if step.get("parameter"):
            end = cell(step.get("valid_to"))
            st.say(
                f"{step['parameter']} {cell(step.get('valid_from'))}..{end} "
                f"[{step.get('reliability')}]",
                indent="    ",
                hanging="  ",
            )


__all__ = ["state"]
