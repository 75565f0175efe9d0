"""``inami maf compute`` and ``inami maf status``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from inami_cli.cli.context import AppState, state
from inami_cli.cli.maf._common import emit_sections, warn_derived, year_required
from inami_cli.cli.options import optional_day


def maf_compute(
    household: Annotated[
        str | None, typer.Argument(metavar="[HOUSEHOLD]", help="Household code (or --niss).")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="The MAF year.")] = None,
    niss: Annotated[
        str | None, typer.Option("--niss", help="The household of this person.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Count the shares up to this date.")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Every figure read, its source, what was left out.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse derived (unpublished) figures (exit 4).")
    ] = False,
) -> None:
    """Compute a household's MAF: the ceilings that apply and why, the refund per member.

    Examples:
        inami maf compute H1 --year 2024 --explain
        inami maf compute H2 --year 2024
        inami maf compute --niss 72110313704 --year 2024 --format json
    """
    from inami_cli.services import maf

    st = state()
    the_year = year_required(year)
    with st.session() as session:
        answer = maf.maf_compute(
            session=session, year=the_year, household=household, niss=niss,
            as_of=optional_day(on, "--on"), strict=strict,
        )  # fmt: skip
    record: dict[str, Any] = answer.record(explain=explain)
    logged = answer.record(explain=False)  # the household's members and their shares
    _show_compute(st, record, explain)
    from inami_cli.domain.niss import parse_niss

    st.log_read_after(parse_niss(niss).niss if niss else household or "", logged)


def _show_compute(st: AppState, record: dict[str, Any], explain: bool) -> None:
    warn_derived(st, record["derived_parameters"])
    sections: dict[str, list[Any]] = {
        "ceilings": [
            {"kind": c["kind"], "applies": c["applies"], "paid": c["paid"],
             "reached_on": c["reached_on"], "why": c["why"]}
            for c in record["ceilings"]
        ] if st.output_format == "table" else record.pop("ceilings"),
        "members": [
            {k: m[k] for k in ("niss", "name", "eligible", "excluded", "paid", "refund")}
            for m in record["members"]
        ] if st.output_format == "table" else record.pop("members"),
    }  # fmt: skip
    if st.output_format == "table":
        record.pop("ceilings")
        record.pop("members")
    if explain:
        sections["explanation"] = record.pop("explanation")
        sections["excluded"] = record.pop("excluded")
    if st.output_format in ("json", "ndjson"):
        st.emit({**record, **sections})
        return
    if st.output_format == "csv":  # one CSV is one table (issue 17)
        from inami_cli.render import refuse_csv

        refuse_csv(f"this view ({', '.join(['record', *sections])})")
    record["derived_parameters"] = ", ".join(record["derived_parameters"]) or None
    steps = sections.pop("explanation", None)
    emit_sections(st, record, sections)
    if steps:
        # one step a line, its source under it: a table of URLs is unreadable at 80 columns
        st.heading("explanation")
        for step in steps:
            tag = f" [{step['reliability']}]" if step["reliability"] else ""
            st.say(f"{step['step']}: {step['value']}{tag}", indent="  ", hanging="  ")
            if step["source"]:
                st.say(str(step["source"]), indent="      ")


def maf_status(
    niss: Annotated[str, typer.Argument(metavar="NISS", help="NISS of the person.")],
    year: Annotated[
        int | None, typer.Option("--year", help="The MAF year (default: this year).")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="As of this date (default: end of the year).")
    ] = None,
) -> None:
    """Say where a person stands against their MAF ceiling (for the desk).

    Examples:
        inami maf status 72110313704 --year 2024 --on 2024-09-30
        inami maf status 72110313704 --year 2024 --format json
    """
    from datetime import date as _date

    from inami_cli.services import maf

    st = state()
    as_of = optional_day(on, "--on")
    the_year = year if year is not None else (as_of or _date.today()).year
    with st.session() as session:
        status = maf.maf_status(session=session, niss=niss, year=the_year, as_of=as_of)
    warn_derived(st, list(status.derived))
    record = status.record()
    if st.output_format == "table":
        st.say(status.sentence())
    else:
        st.emit(record)
    from inami_cli.domain.niss import parse_niss

    st.log_read_after(parse_niss(niss).niss, record)
