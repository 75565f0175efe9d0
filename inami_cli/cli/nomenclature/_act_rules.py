"""``inami nomenclature act-rules set | list | import``: act rules dated like tariffs."""

from __future__ import annotations

from typing import Annotated

import typer

from inami_cli.cli.context import state
from inami_cli.cli.jobs import DryRunOpt, problems_listed

COLUMNS = [
    "code", "valid_from", "valid_to", "min_age", "max_age", "max_per_period",
    "frequency_period", "not_combinable_with", "prerequisite", "setting", "source",
]  # fmt: skip


def act_rules_set(
    code: Annotated[str, typer.Argument(help="6-digit nomenclature code.")],
    valid_from: Annotated[str, typer.Option("--from", help="First day of the new rules.")],
    valid_to: Annotated[str | None, typer.Option("--to", help="Last day (default open).")] = None,
    min_age: Annotated[int | None, typer.Option("--min-age", help="Youngest age (years).")] = None,
    max_age: Annotated[
        int | None, typer.Option("--max-age", help="Oldest age (until the 67th birthday = 66).")
    ] = None,
    max_per_period: Annotated[
        int | None, typer.Option("--max-per-period", help="Services per period.")
    ] = None,
    frequency_period: Annotated[
        str | None, typer.Option("--frequency-period", help="calendar_year, day, ...")
    ] = None,
    not_combinable_with: Annotated[
        str, typer.Option("--not-combinable-with", help="Codes (space or comma separated).")
    ] = "",
    prerequisite: Annotated[
        str | None, typer.Option("--prerequisite", help="A named rule.")
    ] = None,
    setting: Annotated[
        str, typer.Option("--setting", help="ambulatory, hospitalised or any.")
    ] = "any",
    source: Annotated[str, typer.Option("--source", help="Where the rules come from.")] = "",
) -> None:
    """Record the rules of a code from a date (the open period before ends the day before).

    Examples:
        inami nomenclature act-rules set 301593 --from 2026-09-01 --min-age 18 --source "RD"
        inami nomenclature act-rules list 301593
    """
    from inami_cli.domain.dates import parse_date
    from inami_cli.services import nomenclature as svc

    st = state()
    cells = {
        "code": code, "valid_from": valid_from, "valid_to": valid_to or "",
        "min_age": "" if min_age is None else str(min_age),
        "max_age": "" if max_age is None else str(max_age),
        "max_per_period": "" if max_per_period is None else str(max_per_period),
        "frequency_period": frequency_period or "", "not_combinable_with": not_combinable_with,
        "prerequisite": prerequisite or "", "setting": setting, "source": source,
    }  # fmt: skip
    parse_date(valid_from, what="--from")
    period = svc.parse_period(cells)
    with st.session(write=True) as session:
        stored = svc.set_act_rule(session=session, period=period)
    st.emit(svc.period_record(stored))


def act_rules_list(
    code: Annotated[str, typer.Argument(help="6-digit nomenclature code.")],
) -> None:
    """List the dated rule periods of a code (outside them, the act's own columns apply).

    Examples:
        inami nomenclature act-rules list 301593
        inami nomenclature act-rules list 301593 --format json
    """
    from inami_cli.services import nomenclature as svc

    st = state()
    with st.session() as session:
        periods = svc.list_act_rules(session=session, code=code)
    st.emit([svc.period_record(p) for p in periods], columns=COLUMNS)


def act_rules_import(
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="CSV file; - = stdin.")],
    dry_run: DryRunOpt = False,
) -> None:
    """Import dated act rules (the act columns and valid_from/valid_to), all or nothing.

    Examples:
        inami nomenclature act-rules import fixtures/act_rules.csv --dry-run
        inami nomenclature act-rules import fixtures/act_rules.csv
    """
    import sys
    from pathlib import Path

    from inami_cli.services import nomenclature as svc
    from inami_cli.tabular import Columns, CsvTable

    st = state()
    if file == "-":
        text, name = sys.stdin.read(), "<stdin>"
    elif Path(file).is_file():
        text, name = Path(file).read_text(encoding="utf-8-sig"), file
    else:
        from inami_cli.domain.errors import InvalidInput

        raise InvalidInput(f"{file}: no such file")  # exit 2, as every command (issue 17)
    spec = Columns(required=("code", "valid_from"), optional=tuple(COLUMNS[2:]))
    with problems_listed():
        table = CsvTable(text.splitlines(keepends=True), filename=name, spec=spec)
        with st.session(write=not dry_run) as session:
            report = svc.import_act_rules(
                session=session, records=table.records(), filename=name, dry_run=dry_run
            )
    for change in report.changes if dry_run else ():
        typer.echo(change, err=st.output_format in ("json", "ndjson"))
    text_summary = (
        f"{'would import' if dry_run else 'imported'} {name}: {report.inserted} inserted, "
        f"{report.updated} updated, {report.unchanged} unchanged"
    )
    st.summary(report.counts(), text_summary)
