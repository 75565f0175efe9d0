"""``inami maf counter``: personal shares the project does not compute (medicines,
hospital days, ...), by hand or by import."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from inami_cli.cli.context import state
from inami_cli.cli.jobs import ImportFileArg
from inami_cli.cli.maf._common import amount, run_import
from inami_cli.cli.options import optional_day

if TYPE_CHECKING:
    from inami_cli.services.imports import ImportReport
    from inami_cli.services.maf import CounterView

counter_app = typer.Typer(
    help="Personal shares entered by hand or imported (medicines, hospital days).",
    no_args_is_help=True,
)
_COLUMNS = ["id", "niss", "date", "kind", "tm", "quantity", "total", "counts", "reference"]


def _row(v: CounterView) -> dict[str, object]:
    return {"id": v.id, "niss": v.niss, "date": v.date, "kind": v.kind, "tm": v.tm,
            "quantity": v.quantity, "total": v.total, "day_number": v.day_number,
            "counts": v.counts, "reference": v.reference or None, "note": v.note or None,
            "source": v.source or None}  # fmt: skip


@counter_app.command("add")
def counter_add(
    niss: Annotated[str | None, typer.Option("--niss", help="The person's NISS.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Date of the care.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="consultation, provider, technical, drug-A/B/C/Cs/Cx, "
            "magistral, hospital-day, psychiatric-day, implant-margin, "
            "enteral-nutrition, supplement.",
        ),
    ] = None,
    tm: Annotated[
        str | None, typer.Option("--tm", help="Personal share (per day for day kinds).")
    ] = None,
    quantity: Annotated[int, typer.Option("--quantity", help="Units or days.")] = 1,
    day_number: Annotated[
        int | None, typer.Option("--day-number", help="Psychiatric stay: rank of the first day.")
    ] = None,
    reference: Annotated[
        str, typer.Option("--reference", help="The fund's or pharmacy's reference.")
    ] = "",
    note: Annotated[str, typer.Option("--note", help="A remark.")] = "",
) -> None:
    """Record a personal share the project does not compute (audited).

    Examples:
        inami maf counter add --niss 85061508234 --date 2024-10-02 --kind drug-B --tm 14.20
        inami maf counter list --household H1 --year 2024
    """
    from inami_cli.services import maf

    st = state()
    the_niss = st.require(niss, "--niss")
    the_day = optional_day(st.require(date, "--date"), "--date")
    the_kind = st.require(kind, "--kind")
    the_tm = amount(st.require(tm, "--tm"), "--tm")
    assert the_day is not None and the_tm is not None
    counter = maf.check_counter(
        niss=the_niss, day=the_day, kind=the_kind, tm=the_tm, quantity=quantity,
        day_number=day_number, reference=reference, note=note,
    )  # fmt: skip
    with st.session(write=True) as session:
        view = maf.counter_add(session=session, counter=counter, source="operator")
    st.emit(_row(view))


@counter_app.command("list")
def counter_list(
    niss: Annotated[str | None, typer.Option("--niss", help="One person.")] = None,
    household: Annotated[
        str | None, typer.Option("--household", help="The members of a household (with --year).")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
) -> None:
    """List counters by date (of a person, a household or a year).

    Examples:
        inami maf counter list --household H1 --year 2024
        inami maf counter list --household H2 --year 2024 --format csv
    """
    from inami_cli.domain.niss import parse_niss
    from inami_cli.services import maf

    st = state()
    with st.session() as session:
        nisses: list[str] | None = None
        if niss is not None:
            nisses = [parse_niss(niss).niss]
        if household is not None:
            the_year = st.require(year, "--year (with --household)")
            shown = maf.household_show(session=session, year=the_year, code=household)
            nisses = (nisses or []) + [m.niss for m in shown.members]
        rows = maf.counter_list(session=session, nisses=nisses, year=year)
    records = [_row(v) for v in rows]
    st.emit(records, columns=_COLUMNS)
    if nisses is not None:  # one person's or one household's counters
        st.log_read_after(nisses[0] if niss is not None else household or "", records)


@counter_app.command("remove")
def counter_remove(
    counter_id: Annotated[int, typer.Argument(metavar="ID", help="The counter's number.")],
) -> None:
    """Delete a counter recorded in error (audited).

    Examples:
        inami maf counter remove 14
        inami maf counter list --household H1 --year 2024
    """
    from inami_cli.services import maf

    st = state()
    with st.session(write=True) as session:
        view = maf.counter_remove(session=session, counter_id=counter_id)
    st.info(f"removed counter #{view.id} ({view.niss} {view.date} {view.kind} {view.total})")


@counter_app.command("import")
def counter_import(
    file: ImportFileArg,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the changes only.")] = False,
    encoding: Annotated[str, typer.Option("--encoding", help="File encoding.")] = "utf-8",
) -> None:
    """Import counters, all or nothing (re-importing changes nothing).

    Columns: niss, date, kind, tm (optional quantity, day_number, reference, note).

    Examples:
        inami maf counter import fixtures/maf_counters.csv --dry-run
        inami maf counter import fixtures/maf_counters.csv
    """
    from inami_cli.services import maf

    st = state()

    def run() -> ImportReport:
        with st.session(write=not dry_run) as session:
            return maf.import_counters(session=session, file=file, dry_run=dry_run,
                                       encoding=encoding)  # fmt: skip

    run_import(run)
