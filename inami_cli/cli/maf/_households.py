"""``inami maf household``: households as of 1 January, their members and income."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from inami_cli.cli.context import state
from inami_cli.cli.maf._common import amount, emit_sections, year_required

if TYPE_CHECKING:
    from inami_cli.services.maf import HouseholdView

household_app = typer.Typer(
    help="MAF households as of 1 January: members, BIM and chronic flags, income.",
    no_args_is_help=True,
)
YearOpt = Annotated[int | None, typer.Option("--year", help="The MAF year.")]
_MEMBER_COLUMNS = ["niss", "last_name", "first_name", "birth_date", "bim", "chronic",
                   "child_under_19"]  # fmt: skip


def emit_household(view: HouseholdView) -> None:
    st = state()
    record: dict[str, Any] = view.record()
    members = record.pop("members")
    emit_sections(st, record, {"members": members})


@household_app.command("add")
def household_add(
    code: Annotated[
        str | None, typer.Argument(metavar="[CODE]", help="Household code (default H1, H2...).")
    ] = None,
    year: YearOpt = None,
    member: Annotated[
        list[str] | None, typer.Option("--member", help="A member's NISS (repeat).")
    ] = None,
    bim: Annotated[
        list[str] | None,
        typer.Option("--bim", help="A member with the social MAF (repeat; default: register)."),
    ] = None,
    chronic: Annotated[
        list[str] | None,
        typer.Option("--chronic", help="A member with the chronic status (default: register)."),
    ] = None,
    no_bim: Annotated[bool, typer.Option("--no-bim", help="No member has the social MAF.")] = False,
    no_chronic: Annotated[
        bool, typer.Option("--no-chronic", help="No member has the chronic status.")
    ] = False,
) -> None:
    """Record a household as it was on 1 January (everyone at the address; audited).

    Examples:
        inami maf household add H3 --year 2024 --member 60013021159
        inami maf household show H3 --year 2024
    """
    from inami_cli.services import maf

    st = state()
    the_year = year_required(year)
    if not member:
        st.require(None, "--member NISS (once per member)")
    with st.session(write=True) as session:
        view = maf.household_add(
            session=session, year=the_year, code=code, members=member or [],
            bim=[] if no_bim else bim, chronic=[] if no_chronic else chronic,
        )  # fmt: skip
    emit_household(view)


@household_app.command("set-income")
def household_set_income(
    code: Annotated[str, typer.Argument(metavar="CODE", help="Household code.")],
    year: YearOpt = None,
    net_taxable: Annotated[
        str | None, typer.Option("--net-taxable", help="Net taxable household income.")
    ] = None,
    letter: Annotated[
        str | None, typer.Option("--letter", help="The tax administration's category letter.")
    ] = None,
    income_year: Annotated[
        int | None, typer.Option("--income-year", help="The year of the income (default n-2).")
    ] = None,
    source: Annotated[str, typer.Option("--source", help="Where the figure comes from.")] = "",
) -> None:
    """Record the household's income: an amount, or the category letter (audited).

    Examples:
        inami maf household set-income H1 --year 2024 --net-taxable 30000
        inami maf household show H1 --year 2024 --format json
    """
    from inami_cli.services import maf

    st = state()
    the_year = year_required(year)
    with st.session(write=True) as session:
        view = maf.household_set_income(
            session=session, year=the_year, code=code, amount=amount(net_taxable, "--net-taxable"),
            letter=letter, income_year=income_year, source=source,
        )  # fmt: skip
    emit_household(view)


@household_app.command("show")
def household_show(
    code: Annotated[str, typer.Argument(metavar="CODE", help="Household code.")],
    year: YearOpt = None,
) -> None:
    """Show a household: members, flags, income.

    Examples:
        inami maf household show H1 --year 2024
        inami maf household show H2 --year 2024
    """
    from inami_cli.services import maf

    st = state()
    the_year = year_required(year)
    with st.session() as session:
        view = maf.household_show(session=session, year=the_year, code=code)
    emit_household(view)
    members = [m.niss for m in view.members]  # the persons whose data was shown
    st.log_read_after(code, {"household": code, "year": the_year, "members": members})


@household_app.command("list")
def household_list(year: YearOpt = None) -> None:
    """List the households (of one year) with their members.

    Examples:
        inami maf household list --year 2024
        inami maf household list --year 2024 --format json
    """
    from inami_cli.services import maf

    st = state()
    with st.session() as session:
        views = maf.household_list(session=session, year=year)
    if st.output_format in ("json", "ndjson"):
        st.emit([v.record() for v in views])
        return
    rows = [
        {"year": v.year, "household": v.code, "income": v.income,
         "letter": v.income_letter, "members": " ".join(m.niss for m in v.members)}
        for v in views
    ]  # fmt: skip
    st.emit(rows, columns=["year", "household", "income", "letter", "members"])


@household_app.command("remove")
def household_remove(
    code: Annotated[str, typer.Argument(metavar="CODE", help="Household code.")],
    year: YearOpt = None,
) -> None:
    """Delete a household recorded in error (audited; its counters stay with the persons).

    Examples:
        inami maf household remove H2 --year 2024
        inami maf household list --year 2024
    """
    from inami_cli.services import maf

    st = state()
    the_year = year_required(year)
    with st.session(write=True) as session:
        view = maf.household_remove(session=session, year=the_year, code=code)
    st.info(f"removed household {view.code} of {view.year} ({len(view.members)} members)")
