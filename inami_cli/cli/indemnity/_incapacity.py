"""``inami indemnity episode|compute|period|stage|batch``: incapacity for work."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from inami_cli.cli.context import state
from inami_cli.cli.indemnity._common import (
    ExplainOpt,
    NissOpt,
    StrictOpt,
    app,
    emit_sections,
    episode_app,
    number,
    print_steps,
    required_day,
    steps_for_table,
    warn_all,
)
from inami_cli.cli.options import optional_day

if TYPE_CHECKING:
    from inami_cli.services.indemnities import CaseInput

_EPISODE_COLUMNS = [
    "id", "niss", "scheme", "kind", "valid_from", "valid_to", "episode_start", "relapse",
    "family_situation", "gross_daily",
]  # fmt: skip
_LINE_COLUMNS = ["from", "to", "days", "phase", "daily_amount", "gross", "net", "reliability"]

SchemeOpt = Annotated[
    str | None, typer.Option("--scheme", help="employee, unemployed or self-employed.")
]
FamilyOpt = Annotated[
    str | None, typer.Option("--family-situation", help="family, isolated or cohabitant.")
]
RegularOpt = Annotated[
    bool | None,
    typer.Option("--regular-worker/--non-regular-worker", help="Regular worker (minima)."),
]
CategoryOpt = Annotated[
    str | None,
    typer.Option("--worker-category", help="white-collar, blue-collar or short-contract."),
]
StartOpt = Annotated[
    str | None, typer.Option("--incapacity-start", help="First day of the incapacity.")
]
EndOpt = Annotated[
    str | None, typer.Option("--incapacity-end", help="Recognised last day (self-employed).")
]
DailyOpt = Annotated[
    str | None, typer.Option("--gross-daily", help="Lost gross daily wage (115.3846).")
]
MonthlyOpt = Annotated[
    str | None, typer.Option("--gross-monthly", help="Monthly gross: daily = monthly / 26.")
]
ScheduleOpt = Annotated[
    int, typer.Option("--work-schedule", help="The daily wage is of a 5- or 6-day week.")
]
UnemploymentOpt = Annotated[
    str | None,
    typer.Option("--unemployment-daily", help="Unemployment allowance a day (months 1-6)."),
]
AssimilationOpt = Annotated[
    bool, typer.Option("--assimilation", help="Self-employed cohabitant assimilated.")
]
KindOpt = Annotated[
    str | None, typer.Option("--kind", help="primary or invalidity (recorded as such).")
]
HoursOpt = Annotated[
    str | None, typer.Option("--resumption-hours", help="Partial resumption: hours a week (Q).")
]
FulltimeOpt = Annotated[
    str | None, typer.Option("--fulltime-hours", help="Full-time hours of that job (S).")
]
RoundOpt = Annotated[
    bool, typer.Option("--round-percent", help="Round the cut to a whole percent.")
]


def _subject(niss: str) -> str:
    """The person a consultation log line is about (the NISS as the register keeps it)."""
    from inami_cli.domain.niss import parse_niss

    return parse_niss(niss).niss


def _case(**kw: Any) -> CaseInput:
    from inami_cli.domain import indemnities as rules
    from inami_cli.services.indemnities import CaseInput

    scheme = kw["scheme"]
    family = kw["family"]
    return CaseInput(
        scheme=rules.check_choice(scheme, rules.SCHEMES, "--scheme") if scheme else None,
        start=optional_day(kw["start"], "--incapacity-start"),
        end=optional_day(kw["end"], "--incapacity-end"),
        family_situation=rules.check_choice(
            family, rules.FAMILY_SITUATIONS, "--family-situation"
        ) if family else None,
        gross_daily=number(kw["daily"], "--gross-daily"),
        gross_monthly=number(kw["monthly"], "--gross-monthly"),
        regular_worker=kw["regular"],
        work_schedule=kw["schedule"],
        worker_category=rules.check_choice(
            kw["category"], rules.WORKER_CATEGORIES, "--worker-category"
        ) if kw["category"] else None,
        unemployment_daily=number(kw["unemployment"], "--unemployment-daily"),
        assimilation=kw["assimilation"],
        kind=rules.check_choice(kw["kind"], rules.KINDS, "--kind") if kw["kind"] else None,
        resumption_hours=number(kw["hours"], "--resumption-hours"),
        fulltime_hours=number(kw["fulltime"], "--fulltime-hours"),
        round_percent=kw["round_percent"],
    )  # fmt: skip


# ------------------------------------------------------------------ episodes


@episode_app.command("add")
def episode_add(
    niss: Annotated[str, typer.Argument(metavar="NISS", help="The person (in the register).")],
    scheme: SchemeOpt = None,
    valid_from: Annotated[str | None, typer.Option("--from", help="First day.")] = None,
    valid_to: Annotated[str | None, typer.Option("--to", help="Last day (default open).")] = None,
    kind: Annotated[str, typer.Option("--kind", help="primary or invalidity.")] = "primary",
    family: FamilyOpt = None,
    regular: RegularOpt = None,
    category: Annotated[
        str, typer.Option("--worker-category", help="white-collar, blue-collar, short-contract.")
    ] = "white-collar",
    daily: DailyOpt = None,
) -> None:
    """Record a spell of incapacity (within 14 days of a primary one: a relapse, same episode).

    Examples:
        inami indemnity episode add 85061508234 --scheme employee --from 2026-04-01 --family-situation isolated --gross-daily 150
        inami indemnity episode list 85061508234
    """  # noqa: E501
    from inami_cli.services import indemnities as svc

    st = state()
    with st.session(write=True) as session:
        view = svc.episode_add(
            session=session, niss=niss, scheme=st.require(scheme, "--scheme"),
            valid_from=required_day(valid_from, "--from"), valid_to=optional_day(valid_to, "--to"),
            kind=kind, family_situation=family,
            regular_worker=True if regular is None else regular, worker_category=category,
            gross_daily=number(daily, "--gross-daily"),
        )  # fmt: skip
    if view.relapse:
        st.info(f"relapse: continues the episode that started on {view.episode_start}")
    st.emit(view.as_record())


@episode_app.command("list")
def episode_list(niss: NissOpt = None) -> None:
    """List recorded spells of incapacity (one person, or everybody).

    Examples:
        inami indemnity episode list 88041212236
        inami indemnity episode list 65090307106 --format json
    """
    from inami_cli.services import indemnities as svc

    st = state()
    with st.session() as session:
        views = svc.episode_list(session=session, niss=niss)
    records = [v.as_record() for v in views]
    st.emit(records, columns=_EPISODE_COLUMNS)
    if niss is not None:
        st.log_read_after(_subject(niss), records)


@episode_app.command("end")
def episode_end(
    niss: Annotated[str, typer.Argument(metavar="NISS", help="The person.")],
    on: Annotated[str | None, typer.Option("--date", help="The last day of the spell.")] = None,
) -> None:
    """End the spell in force on a date (that date is its last day).

    Examples:
        inami indemnity episode end 79112120429 --date 2026-03-20
        inami indemnity episode list 79112120429
    """
    from inami_cli.services import indemnities as svc

    st = state()
    last = required_day(on, "--date")
    with st.session(write=True) as session:
        view = svc.episode_end(session=session, niss=niss, on=last)
    st.emit(view.as_record())


# ------------------------------------------------------------------ compute, period


@app.command("compute")
def indemnity_compute(
    niss: NissOpt = None,
    on: Annotated[str | None, typer.Option("--on", help="The day asked about.")] = None,
    scheme: SchemeOpt = None,
    start: StartOpt = None,
    end: EndOpt = None,
    daily: DailyOpt = None,
    monthly: MonthlyOpt = None,
    family: FamilyOpt = None,
    regular: RegularOpt = None,
    schedule: ScheduleOpt = 6,
    category: CategoryOpt = None,
    unemployment: UnemploymentOpt = None,
    assimilation: AssimilationOpt = False,
    kind: KindOpt = None,
    hours: HoursOpt = None,
    fulltime: FulltimeOpt = None,
    round_percent: RoundOpt = False,
    explain: ExplainOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Compute the gross daily amount on a date: phase, rate, ceiling, minimum, maximum.

    Examples:
        inami indemnity compute --scheme employee --incapacity-start 2025-02-10 --on 2025-06-12 --gross-daily 115.3846 --family-situation family
        inami indemnity compute 65090307106 --on 2026-03-02 --explain
        inami indemnity compute 88041212236 --on 2026-03-02 --format json
    """  # noqa: E501
    from inami_cli.services import indemnities as svc

    st = state()
    given = _case(
        scheme=scheme, start=start, end=end, daily=daily, monthly=monthly, family=family,
        regular=regular, schedule=schedule, category=category, unemployment=unemployment,
        assimilation=assimilation, kind=kind, hours=hours, fulltime=fulltime,
        round_percent=round_percent,
    )  # fmt: skip
    when = required_day(on, "--on")
    with st.session() as session:
        answer = svc.indemnity_compute(
            session=session, on=when, given=given, niss=niss, strict=strict
        )
    warn_all(st, answer.warnings)
    record = answer.as_record(explain=explain)
    steps = record.pop("explanation", None)
    if steps is None:
        st.emit(record)
    elif st.output_format == "table":
        st.emit(record)
        print_steps(steps)
    elif st.output_format == "csv":
        st.emit(steps_for_table(steps))
    else:
        st.emit({**record, "explanation": steps})
    if niss is not None:  # a person's recorded spell was read
        st.log_read_after(_subject(niss), record)


@app.command("period")
def indemnity_period(
    niss: NissOpt = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First day.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day (inclusive).")] = None,
    scheme: SchemeOpt = None,
    start: StartOpt = None,
    end: EndOpt = None,
    daily: DailyOpt = None,
    monthly: MonthlyOpt = None,
    family: FamilyOpt = None,
    regular: RegularOpt = None,
    schedule: ScheduleOpt = 6,
    category: CategoryOpt = None,
    unemployment: UnemploymentOpt = None,
    assimilation: AssimilationOpt = False,
    kind: KindOpt = None,
    hours: HoursOpt = None,
    fulltime: FulltimeOpt = None,
    round_percent: RoundOpt = False,
    net: Annotated[bool, typer.Option("--net", help="Also net of the withholding tax.")] = False,
    strict: StrictOpt = False,
) -> None:
    """Compute the amount over a period (Monday to Saturday), one line per phase and amount.

    Examples:
        inami indemnity period 88041212236 --from 2026-01-01 --to 2026-03-31 --net
        inami indemnity period 88041212236 --from 2026-01-01 --to 2026-01-31 --format json
    """
    from inami_cli.services import indemnities as svc

    st = state()
    given = _case(
        scheme=scheme, start=start, end=end, daily=daily, monthly=monthly, family=family,
        regular=regular, schedule=schedule, category=category, unemployment=unemployment,
        assimilation=assimilation, kind=kind, hours=hours, fulltime=fulltime,
        round_percent=round_percent,
    )  # fmt: skip
    first, last = required_day(date_from, "--from"), required_day(date_to, "--to")
    with st.session() as session:
        result, warnings = svc.indemnity_period(
            session=session, start=first, end=last, given=given, niss=niss, net=net,
            strict=strict,
        )  # fmt: skip
    warn_all(st, warnings)
    lines = [line.as_record() for line in result.lines]
    record = {
        "niss": niss,
        "from": first,
        "to": last,
        "paid_days": result.days,
        "gross": result.gross,
        "net": result.net,
        "reliability": result.reliability,
        "derived_parameters": list(result.derived),
    }
    columns = _LINE_COLUMNS if net else [c for c in _LINE_COLUMNS if c != "net"]
    emit_sections(st, record, {"lines": lines}, {"lines": columns})
    if niss is not None:
        st.log_read_after(_subject(niss), {**record, "lines": lines})


# ------------------------------------------------------------------ stage


@app.command("stage")
def indemnity_stage(
    niss: NissOpt = None,
    start: Annotated[
        str | None, typer.Option("--start", help="First day of the incapacity (or rest).")
    ] = None,
    worked: Annotated[int, typer.Option("--days-worked", help="Working days in the window.")] = 0,
    assimilated: Annotated[
        int, typer.Option("--assimilated-days", help="Holidays, controlled unemployment, ...")
    ] = 0,
    hours: Annotated[int, typer.Option("--hours", help="Hours worked (part-time).")] = 0,
    maternity: Annotated[
        bool, typer.Option("--maternity", help="The maternity stage (6 months, 120 days).")
    ] = False,
    reduced: Annotated[
        bool, typer.Option("--reduced-schedule", help="Maternity: 133 hours instead of 400.")
    ] = False,
) -> None:
    """Check the qualifying period (exit 0 met, 1 not met) by the rules of the start date.

    Examples:
        inami indemnity stage --start 2026-01-12 --days-worked 170 --assimilated-days 15
        inami indemnity stage --start 2026-01-12 --days-worked 180 --format json
    """
    from inami_cli.services import indemnities as svc

    st = state()
    with st.session() as session:
        first = optional_day(start, "--start")
        if first is None and niss is not None:
            spells = svc.episode_list(session=session, niss=niss)
            first = spells[-1].episode_start if spells else None
        if first is None:
            from inami_cli.domain.errors import MissingValue

            raise MissingValue("missing value: pass --start (or a NISS with a recorded spell)")
        result = svc.indemnity_stage(
            session=session, start=first, worked_days=worked, assimilated_days=assimilated,
            hours=hours, maternity=maternity, reduced_schedule=reduced,
        )  # fmt: skip
    shown = {"niss": niss, **result.as_record()}
    st.emit(shown)
    if niss is not None:
        st.log_read_after(_subject(niss), shown)
    if not result.met:
        raise typer.Exit(1)


# ------------------------------------------------------------------ batch


@app.command("batch")
def indemnity_batch(
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="CSV or NDJSON; - = stdin.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the results here (default stdout).")
    ] = None,
    encoding: Annotated[
        str, typer.Option("--encoding", help="Text encoding (utf-8, latin-1, cp1252).")
    ] = "utf-8",
    strict: StrictOpt = False,
) -> None:
    """Compute one case a row (CSV or NDJSON with the options of `compute` as columns).

    Columns: on, and niss (a recorded spell) or scheme, incapacity_start, family_situation;
    gross_daily or gross_monthly, regular_worker, work_schedule, worker_category,
    unemployment_daily, incapacity_end, assimilation, kind, resumption_hours,
    fulltime_hours, round_percent.

    Exit 0 when every row was computed, 2 when a row was malformed (the others computed).

    Examples:
        inami indemnity batch fixtures/examples/indemnity_cases.csv
        inami indemnity batch fixtures/examples/indemnity_cases.csv --out amounts.csv
    """
    from inami_cli.cli.jobs import batch_stream, finish_batch, job_summary
    from inami_cli.render import output_file
    from inami_cli.services import indemnities as svc
    from inami_cli.tabular import check_encoding, open_binary

    st = state()
    fmt = st.output_format
    check_encoding(encoding)
    with (
        st.progress("indemnity batch", path=file) as bar,
        open_binary(file) as binary,
        output_file(out) as sink,
        batch_stream(sink, fmt, svc.BATCH_COLUMNS, st.fields) as (stream, stream_fmt),
        st.session() as session,
    ):
        summary = svc.indemnity_batch(
            session=session, binary=bar.wrap(binary), out=stream, fmt=stream_fmt, filename=file,
            encoding=encoding, strict=strict, on_error=st.warn,
        )  # fmt: skip
    if summary.derived_rows:
        st.warn(
            f"{summary.derived_rows} row(s) used derived parameters (not published figures); "
            "their derived column says yes"
        )
    counts = job_summary(
        st, rows=summary.rows, ok=summary.ok, rejected=summary.errors, extra=summary.as_dict()
    )
    detail = f"{summary.derived_rows} with derived parameters; total daily {summary.total_daily}"
    finish_batch(st, counts, detail)
