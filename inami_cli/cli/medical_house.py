"""``inami medical-house``: a person's dated enrolments in a medical house (maison médicale /
wijkgezondheidscentrum) and the disciplines each covers (gp, physio, nursing)."""

from __future__ import annotations

from typing import Annotated

import typer

from inami_cli.cli.context import state
from inami_cli.cli.jobs import DryRunOpt, import_summary, problems_listed

app = typer.Typer(
    help="Medical-house enrolments (maison médicale / wijkgezondheidscentrum) by period.",
    no_args_is_help=True,
)

COLUMNS = ["id", "niss", "house", "disciplines", "valid_from", "valid_to", "source"]
NissArg = Annotated[str, typer.Argument(metavar="NISS", help="NISS or BIS number (11 digits).")]


@app.command("add")
def medical_house_add(
    niss: NissArg,
    house: Annotated[
        str, typer.Option("--house", help="The medical house (INAMI number or name).")
    ],
    disciplines: Annotated[
        str, typer.Option("--disciplines", help="Covered: gp, physio, nursing (comma-separated).")
    ],
    valid_from: Annotated[str, typer.Option("--from", help="First day.")],
    valid_to: Annotated[str | None, typer.Option("--to", help="Last day (default open).")] = None,
) -> None:
    """Enrol a person in a medical house (exit 4 if it overlaps another enrolment).

    Examples:
        inami medical-house add 72110313704 --house Linde --disciplines gp --from 2025-01-01
        inami medical-house list 72110313704 --date 2025-06-30
    """
    from inami_cli.domain.dates import parse_date
    from inami_cli.services import insurability as svc

    st = state()
    start = parse_date(valid_from, what="--from")
    end = parse_date(valid_to, what="--to") if valid_to is not None else None
    with st.session(write=True) as session:
        view = svc.medical_house_add(
            session=session, niss=niss, house=house, disciplines=disciplines,
            valid_from=start, valid_to=end,
        )  # fmt: skip
    st.emit(view.as_record())


@app.command("end")
def medical_house_end(
    niss: NissArg,
    on: Annotated[str, typer.Option("--date", help="The last day of the enrolment.")],
) -> None:
    """End the enrolment in force on a date (that date is its last day; exit 3 if none).

    Examples:
        inami medical-house add 72110313704 --house Linde --disciplines gp --from 2025-01-01
        inami medical-house end 72110313704 --date 2026-06-30
        inami medical-house list 72110313704
    """
    from inami_cli.domain.dates import parse_date
    from inami_cli.services import insurability as svc

    st = state()
    day = parse_date(on, what="--date")
    with st.session(write=True) as session:
        view = svc.medical_house_end(session=session, niss=niss, on=day)
    st.emit(view.as_record())


@app.command("list")
def medical_house_list(
    niss: NissArg,
    on: Annotated[
        str | None, typer.Option("--date", help="Only the one in force that day.")
    ] = None,
) -> None:
    """List a person's medical-house enrolments.

    Examples:
        inami medical-house list 72110313704 --date 2026-03-02
        inami medical-house list 85061508234 --format json
    """
    from inami_cli.domain.dates import parse_date
    from inami_cli.services import insurability as svc

    st = state()
    day = parse_date(on, what="--date") if on is not None else None
    with st.session() as session:
        views = svc.medical_house_list(session=session, niss=niss, on=day)
    records = [v.as_record() for v in views]
    st.emit(records, columns=COLUMNS)
    from inami_cli.domain.niss import parse_niss

    st.log_read_after(parse_niss(niss).niss, records)


@app.command("import")
def medical_house_import(
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="CSV file; - = stdin.")],
    dry_run: DryRunOpt = False,
) -> None:
    """Import enrolments (niss, house, disciplines, valid_from, valid_to), all or nothing.

    Examples:
        inami medical-house import fixtures/examples/enrolments.csv --dry-run
        inami medical-house import fixtures/examples/enrolments.csv
    """
    import contextlib
    import sys
    from pathlib import Path
    from typing import TextIO

    from inami_cli.services import insurability as svc

    st = state()
    handle: contextlib.AbstractContextManager[TextIO]
    if file == "-":
        handle, name = contextlib.nullcontext(sys.stdin), "<stdin>"
    elif Path(file).is_file():
        handle, name = open(file, newline="", encoding="utf-8"), file  # noqa: SIM115
    else:
        from inami_cli.domain.errors import InvalidInput

        raise InvalidInput(f"{file}: no such file")  # exit 2, as every command (issue 17)
    with problems_listed(), handle as lines, st.session(write=not dry_run) as session:
        report = svc.import_medical_houses(
            session=session, lines=lines, filename=name, dry_run=dry_run
        )
    import_summary(st, report)
