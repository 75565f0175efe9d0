"""``inami maternity|birth-leave|adoption-leave|funeral|miners``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from inami_cli.cli.context import state
from inami_cli.cli.indemnity._common import (
    ExplainOpt,
    StrictOpt,
    adoption_app,
    birth_app,
    emit_sections,
    funeral_app,
    maternity_app,
    miners_app,
    number,
    print_steps,
    required_day,
    warn_all,
)
from inami_cli.cli.options import optional_day

_BENEFIT_COLUMNS = ["what", "payer", "from", "to", "paid_days", "rate", "daily_amount", "amount"]


def _benefit_output(result: Any, record: dict[str, Any], explain: bool) -> None:
    from inami_cli.services.indemnities import warnings_for

    st = state()
    warn_all(st, warnings_for(result.derived, result.warnings))
    lines = [line.as_record() for line in result.lines]
    full = {
        **record,
        "total": result.total,
        "reliability": result.reliability,
        "derived_parameters": list(result.derived),
    }
    sections: dict[str, list[dict[str, Any]]] = {"lines": lines}
    if explain and st.output_format != "table":
        sections["explanation"] = list(result.steps)
    emit_sections(st, full, sections, {"lines": _BENEFIT_COLUMNS})
    if explain and st.output_format == "table":
        print_steps(result.steps)


@maternity_app.command("plan")
def maternity_plan(
    expected: Annotated[
        str | None, typer.Option("--expected", help="Expected date of birth.")
    ] = None,
    birth: Annotated[str | None, typer.Option("--birth", help="Actual date of birth.")] = None,
    multiple: Annotated[bool, typer.Option("--multiple", help="Multiple birth.")] = False,
    hospital_days: Annotated[
        int, typer.Option("--hospital-days", help="Days the baby stayed in hospital.")
    ] = 0,
    prenatal_incapacity: Annotated[
        bool,
        typer.Option("--prenatal-incapacity", help="Incapacity during the whole prenatal time."),
    ] = False,
    prenatal_from: Annotated[
        str | None, typer.Option("--prenatal-from", help="First day of prenatal rest taken.")
    ] = None,
) -> None:
    """Plan a maternity rest: mandatory weeks, moved weeks, extensions, lost days.

    Examples:
        inami maternity plan --expected 2026-04-20 --birth 2026-04-14 --multiple --hospital-days 12
        inami maternity plan --expected 2026-04-20
        inami maternity plan --expected 2026-04-20 --birth 2026-04-25 --format json
    """
    from inami_cli.services import indemnities as svc

    st = state()
    with st.session() as session:
        plan = svc.maternity_plan(
            session=session, expected=required_day(expected, "--expected"),
            birth=optional_day(birth, "--birth"), multiple=multiple, hospital_days=hospital_days,
            prenatal_incapacity=prenatal_incapacity,
            prenatal_from=optional_day(prenatal_from, "--prenatal-from"),
        )  # fmt: skip
    record = {
        "expected": plan.expected,
        "birth": plan.birth,
        "multiple": plan.multiple,
        "start": plan.start,
        "end": plan.end,
        "rest_days": plan.rest_days,
        "rest_weeks": f"{plan.rest_days // 7} weeks {plan.rest_days % 7} days",
        "lost_days": plan.lost_days,
        "reliability": plan.reliability,
    }
    emit_sections(st, record, {"calendar": [s.as_record() for s in plan.segments]})


@maternity_app.command("compute")
def maternity_compute(
    scheme: Annotated[
        str | None, typer.Option("--scheme", help="employee, unemployed or self-employed.")
    ] = None,
    start: Annotated[str | None, typer.Option("--start", help="First day of the rest.")] = None,
    gross_daily: Annotated[
        str | None, typer.Option("--gross-daily", help="Gross daily wage (employees).")
    ] = None,
    days: Annotated[
        int | None, typer.Option("--days", help="Calendar days of rest (default 15/19 weeks).")
    ] = None,
    weeks: Annotated[
        int | None, typer.Option("--weeks", help="Self-employed: full-time weeks.")
    ] = None,
    half_weeks: Annotated[
        int, typer.Option("--half-weeks", help="Self-employed: half-time weeks.")
    ] = 0,
    multiple: Annotated[bool, typer.Option("--multiple", help="Multiple birth.")] = False,
    explain: ExplainOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Compute the maternity benefit: 82 % then 75 % capped, or weekly flat amounts.

    Examples:
        inami maternity compute --scheme employee --gross-daily 115.3846 --start 2025-08-04
        inami maternity compute --scheme employee --gross-daily 150 --start 2026-03-02 --format json
    """
    from inami_cli.services import indemnities as svc

    st = state()
    with st.session() as session:
        result = svc.maternity_compute(
            session=session, scheme=st.require(scheme, "--scheme"),
            start=required_day(start, "--start"), days=days,
            gross_daily=number(gross_daily, "--gross-daily"), weeks=weeks,
            half_weeks=half_weeks, multiple=multiple, strict=strict,
        )  # fmt: skip
    _benefit_output(result, {"scheme": scheme, "start": required_day(start, "--start")}, explain)


@birth_app.command("compute")
def birth_leave_compute(
    birth: Annotated[str | None, typer.Option("--birth", help="Date of birth.")] = None,
    gross_daily: Annotated[
        str | None, typer.Option("--gross-daily", help="Gross daily wage.")
    ] = None,
    days: Annotated[int | None, typer.Option("--days", help="Days taken (default: all).")] = None,
    self_employed: Annotated[
        bool, typer.Option("--self-employed", help="The self-employed flat amount.")
    ] = False,
    explain: ExplainOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Compute the birth leave: days by birth date, the employer's 3 days, 82 % capped after.

    Examples:
        inami birth-leave compute --birth 2025-03-01 --gross-daily 150 --days 20
        inami birth-leave compute --birth 2026-03-02 --gross-daily 100 --format json
    """
    from inami_cli.services import indemnities as svc

    st = state()
    born = required_day(birth, "--birth")
    with st.session() as session:
        result = svc.birth_leave(
            session=session, birth=born, gross_daily=number(gross_daily, "--gross-daily"),
            days=days, self_employed=self_employed, strict=strict,
        )  # fmt: skip
    _benefit_output(result, {"birth": born, "self_employed": self_employed}, explain)


@adoption_app.command("plan")
def adoption_leave_plan(
    registration: Annotated[
        str | None, typer.Option("--registration", help="Registration of the child.")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="First day of leave (default registration).")
    ] = None,
    parents: Annotated[int, typer.Option("--parents", help="1 or 2 adoptive parents.")] = 2,
    split: Annotated[
        str | None, typer.Option("--split", help="Shared weeks per parent, e.g. 2:2.")
    ] = None,
    disability: Annotated[
        bool, typer.Option("--disability", help="A child with a disability (doubled).")
    ] = False,
    children: Annotated[int, typer.Option("--children", help="Children adopted together.")] = 1,
    birth_leave_days: Annotated[
        int, typer.Option("--birth-leave-days", help="Birth leave already taken (days).")
    ] = 0,
    gross_daily: Annotated[
        str | None, typer.Option("--gross-daily", help="Gross daily wage: the daily amount.")
    ] = None,
    strict: StrictOpt = False,
) -> None:
    """Plan adoption leave: 6 weeks per parent plus the shared weeks of the start date.

    Examples:
        inami adoption-leave plan --registration 2025-05-02 --parents 2 --split 2:2
        inami adoption-leave plan --registration 2026-03-02 --parents 1
        inami adoption-leave plan --registration 2026-03-02 --children 2 --format json
    """
    from inami_cli.domain.errors import InvalidInput
    from inami_cli.services import indemnities as svc
    from inami_cli.services.indemnities import warnings_for

    st = state()
    weeks: tuple[int, ...] | None = None
    if split is not None:
        try:
            weeks = tuple(int(part) for part in split.split(":"))
        except ValueError:
            raise InvalidInput(f"--split: {split!r} is not weeks per parent such as 2:2") from None
    with st.session() as session:
        plan = svc.adoption_plan(
            session=session, registration=required_day(registration, "--registration"),
            start=optional_day(start, "--start"), parents=parents, split=weeks,
            disability=disability, children=children, birth_leave_days=birth_leave_days,
            gross_daily=number(gross_daily, "--gross-daily"), strict=strict,
        )  # fmt: skip
    warn_all(st, warnings_for(plan.derived))
    st.emit(plan.as_record())


@funeral_app.command("check")
def funeral_check(
    death_date: Annotated[str | None, typer.Option("--death-date", help="Date of death.")] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--deceased-status",
            help="employee-entitled, employee-pensioner, miner-pensioner, self-employed, other.",
        ),
    ] = None,
    paid_costs: Annotated[
        bool, typer.Option("--paid-costs/--no-paid-costs", help="Someone paid the funeral.")
    ] = True,
    deceased_niss: Annotated[
        str | None, typer.Option("--deceased-niss", help="The deceased (checked, echoed).")
    ] = None,
    claimant_niss: Annotated[
        str | None, typer.Option("--claimant-niss", help="Who paid (checked, echoed).")
    ] = None,
) -> None:
    """Say whether a funeral allowance was due (exit 0) or not (exit 1), how much and why.

    Examples:
        inami funeral check --death-date 2012-12-31 --deceased-status employee-entitled
        inami funeral check --death-date 2013-01-01 --deceased-status employee-entitled --format json
    """  # noqa: E501
    from inami_cli.domain.niss import validate_niss
    from inami_cli.services import indemnities as svc

    st = state()
    died = required_day(death_date, "--death-date")
    who = st.require(status, "--deceased-status")
    deceased = validate_niss(deceased_niss, what="--deceased-niss") if deceased_niss else None
    claimant = validate_niss(claimant_niss, what="--claimant-niss") if claimant_niss else None
    with st.session() as session:
        answer = svc.funeral_check(
            session=session, death_date=died, deceased_status=who, paid_costs=paid_costs
        )
    st.emit({"deceased_niss": deceased, "claimant_niss": claimant, **answer.as_record()})
    if not answer.eligible:
        raise typer.Exit(1)


@miners_app.command("pension")
def miners_pension(
    on: Annotated[str | None, typer.Option("--on", help="The date.")] = None,
    work: Annotated[str | None, typer.Option("--work", help="underground or surface.")] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="married, single, separated or separated-wife."),
    ] = None,
    birth: Annotated[
        str | None, typer.Option("--birth-date", help="For the end of entitlement.")
    ] = None,
    earnings: Annotated[
        str | None, typer.Option("--earnings", help="Yearly earnings of an activity.")
    ] = None,
    earnings_type: Annotated[
        str, typer.Option("--earnings-type", help="employee-gross or self-employed-net.")
    ] = "employee-gross",
    dependants: Annotated[
        bool, typer.Option("--dependants", help="With dependants (higher ceiling).")
    ] = False,
    explain: ExplainOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Compute a miner's invalidity pension: monthly, heating, holiday pay, end.

    Examples:
        inami miners pension --on 2024-06-01 --work underground --status married --birth-date 1962-05-10
        inami miners pension --on 2024-06-01 --work surface --status single --birth-date 1960-01-10 --format json
    """  # noqa: E501
    from inami_cli.services import indemnities as svc
    from inami_cli.services.indemnities import warnings_for

    st = state()
    with st.session() as session:
        pension = svc.miners_pension(
            session=session, on=required_day(on, "--on"), work=st.require(work, "--work"),
            status=st.require(status, "--status"), birth=optional_day(birth, "--birth-date"),
            earnings=number(earnings, "--earnings"), earnings_type=earnings_type,
            dependants=dependants, strict=strict,
        )  # fmt: skip
    warn_all(st, warnings_for(pension.derived, pension.warnings))
    record = pension.as_record()
    if explain and st.output_format == "table":
        st.emit(record)
        print_steps(pension.steps)
    elif explain:
        emit_sections(st, record, {"explanation": list(pension.steps)})
    else:
        st.emit(record)
    if not pension.entitled:
        raise typer.Exit(1)
