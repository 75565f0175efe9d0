"""``inami reimburse``: one visit (``reimburse CODE ...``) or a batch (``reimburse batch``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from inami_cli.cli.context import state
from inami_cli.cli.jobs import EncodingOpt, FailOnRefusedOpt


class _ReimburseGroup(TyperGroup):
    """A group whose callback takes ``CODE...``: a first word naming a subcommand
    (``batch``) goes to that subcommand instead of being read as a code."""

    allow_interspersed_args = True  # options after the codes: `reimburse 101076 --date D`

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] in self.commands:
            super().parse_args(ctx, [])
            ctx._protected_args, ctx.args = args[:1], args[1:]
            return list(ctx.args)
        return list(super().parse_args(ctx, args))


app = typer.Typer(
    cls=_ReimburseGroup,
    invoke_without_command=True,
    no_args_is_help=False,
)

SUMMARY_COLUMNS = [
    "code",
    "date",
    "regime",
    "dmg",
    "age",
    "profile",
    "fee",
    "reimbursement",
    "personal_share",
    "supplement",
    "patient_total",
    "paid_at_desk",
    "paid_to_provider",
    "status",
    "refusal_code",
    "refusal_reason",
]


def _choice(value: str | None, allowed: tuple[str, ...], flag: str) -> str | None:
    from inami_cli.domain.errors import InvalidInput

    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered in ("bim", "vt") and "preferential" in allowed:
        return "preferential"
    if lowered not in allowed:
        raise InvalidInput(f"{flag}: {value!r} is not one of {', '.join(allowed)}")
    return lowered


@app.callback(invoke_without_command=True)
def reimburse(
    ctx: typer.Context,
    codes: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="CODE...", help="Nomenclature codes of one visit.", show_default=False
        ),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Date of care (default today).")
    ] = None,
    niss: Annotated[str | None, typer.Option("--niss", help="The person (looked up).")] = None,
    regime: Annotated[
        str | None,
        typer.Option("--regime", help="ordinary or preferential (BIM); wins over --niss."),
    ] = None,
    dmg: Annotated[
        bool | None, typer.Option("--dmg/--no-dmg", help="Global medical file held.")
    ] = None,
    age: Annotated[
        int | None, typer.Option("--age", help="Age in whole years on the date.")
    ] = None,
    chronic: Annotated[
        bool | None, typer.Option("--chronic/--no-chronic", help="Chronic-illness status.")
    ] = None,
    bim_automatic: Annotated[
        bool | None,
        typer.Option("--bim-automatic/--no-bim-automatic", help="BIM granted automatically."),
    ] = None,
    provider: Annotated[
        str | None,
        typer.Option(
            "--provider",
            help="conventioned, partially or non-conventioned (default conventioned); "
            "wins over the register's status.",
        ),
    ] = None,
    provider_id: Annotated[
        str | None,
        typer.Option(
            "--provider-id",
            help="The provider's INAMI number: status, qualification, accreditation on the "
            "date from the register.",
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--time", help="Time of care HH:MM (partial adherence: inside a block?)."),
    ] = None,
    special_requirement: Annotated[
        str | None,
        typer.Option(
            "--special-requirement",
            help="A patient's special requirement allowing a supplement (e.g. late_consultation).",
        ),
    ] = None,
    charged: Annotated[
        list[str] | None,
        typer.Option("--charged", help="Amount the provider asks, once per code in order."),
    ] = None,
    setting: Annotated[
        str | None, typer.Option("--setting", help="ambulatory or hospitalised.")
    ] = None,
    third_party: Annotated[
        bool | None,
        typer.Option(
            "--third-party/--no-third-party",
            help="Third-party payment (default: the person's third_party right; "
            "compulsory for BIM at the GP).",
        ),
    ] = None,
    referred: Annotated[
        bool,
        typer.Option("--referred", help="Referred by the GP (specialist share reduction)."),
    ] = False,
    supplement: Annotated[
        list[str] | None,
        typer.Option(
            "--supplement",
            help="A supplement code billed with the codes (night, weekend, on-call); repeatable.",
        ),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show every step and its source.")
    ] = False,
    record: Annotated[
        bool, typer.Option("--record", help="Store the reimbursed codes (needs --niss).")
    ] = False,
) -> None:
    """Compute the reimbursement of one visit's codes (exit 1 if refused); `batch` for CSV.

    Example: inami reimburse 101076 --date 2026-03-02 --regime preferential --dmg --age 40
    """
    if ctx.invoked_subcommand is not None:
        return
    import datetime as dt

    from inami_cli.domain import reimbursement as rules
    from inami_cli.domain.dates import parse_date
    from inami_cli.domain.money import parse_amount
    from inami_cli.domain.niss import compact_niss
    from inami_cli.services import reimbursement as svc

    st = state()
    prompted = False
    if not codes:
        codes = [st.require(None, "CODE", ask=lambda: _ask_code(st, date))]
        prompted = True
    on: dt.date
    if date is not None:
        on = parse_date(date, what="--date")
    elif prompted:
        on = parse_date(st.require(None, "--date", ask=_ask_date), what="--date")
    else:
        on = dt.date.today()
    regime = _choice(regime, ("ordinary", "preferential"), "--regime")
    if niss is None and regime is None:
        if not st.can_prompt():
            from inami_cli.domain.errors import MissingValue

            raise MissingValue("missing value: pass --niss or --regime")
        niss = _ask_niss() or None
        if niss is None:
            regime = st.require(None, "--regime", ask=_ask_regime)
    provider_value = _choice(provider, rules.PROVIDERS, "--provider")
    if provider_id is None and provider_value is None and prompted and st.can_prompt():
        provider_id = _ask_provider_id() or None
    setting_value = _choice(setting, rules.SETTINGS, "--setting")
    amounts = tuple(parse_amount(c, what="--charged") for c in charged or ())
    request = svc.CaseRequest(
        codes=tuple(c.strip() for c in codes),
        on=on,
        niss=compact_niss(niss) if niss else None,
        overrides=svc.Overrides(regime, dmg, age, chronic, bim_automatic),
        provider=provider_value or "conventioned",
        charged=amounts,
        setting=setting_value,
        provider_id=provider_id.strip() if provider_id else None,
        at=rules.parse_time_of_day(at) if at is not None else None,
        special_requirement=special_requirement,
        provider_explicit=provider_value is not None,
        third_party=third_party,
        referred=referred,
        supplements=tuple(s.strip() for s in supplement or ()),
    )
    logged = request.niss is not None and st.logs_consultations  # a person's data read
    # a plain answer reads through Core tables, without SQLModel (issue 19); recording,
    # logging and the provider register use the models
    plain = not (record or logged) and request.provider_id is None
    with st.reader() if plain else st.session(write=record or logged) as session:
        answer = svc.reimburse(
            session=session, request=request, explain=explain, record=record, language=st.language
        )
        records = [
            svc.result_record(r, niss=answer.niss, label=label, explain=explain)
            for r, label in zip(answer.results, answer.labels, strict=True)
        ]
        if logged and answer.niss:
            from inami_cli.db.engine import orm_session

            st.log_read(orm_session(session), answer.niss, records)
    if st.output_format == "table":
        if len(records) == 1:
            st.emit({k: v for k, v in records[0].items() if k != "explanation"})
        else:
            st.emit(records, columns=SUMMARY_COLUMNS)
        if explain:
            for rec in records:
                st.heading(rec["code"])
                st.emit(
                    rec["explanation"],
                    columns=["rule", "what", "value", "valid_from", "valid_to", "source"],
                    wrap=True,
                )
    else:
        st.emit(records, columns=list(records[0].keys()) if records else None)
    if answer.recorded:
        st.info(f"recorded {answer.recorded} case(s)")
    if not answer.all_ok:
        raise typer.Exit(1)


def _ask_code(st: Any, date_text: str | None) -> str:
    import datetime as dt

    import questionary

    from inami_cli.domain.dates import parse_date
    from inami_cli.services import reimbursement as svc

    on = parse_date(date_text, what="--date") if date_text else dt.date.today()
    with st.session() as session:
        choices = svc.code_choices(session=session, on=on)
    words = [f"{code} {label}" for code, label in choices]
    answer = questionary.autocomplete(
        "Code (type digits or words):", choices=words, match_middle=True
    ).ask()
    if answer is None:
        raise KeyboardInterrupt
    return str(answer).split(" ", 1)[0]


def _ask_date() -> str:
    import datetime as dt

    import questionary

    from inami_cli.domain.dates import parse_date
    from inami_cli.domain.errors import InvalidInput

    def check(text: str) -> bool | str:
        try:
            parse_date(text)
        except InvalidInput as exc:
            return exc.message
        return True

    answer = questionary.text(
        "Date of care:", default=dt.date.today().isoformat(), validate=check
    ).ask()
    if answer is None:
        raise KeyboardInterrupt
    return str(answer)


def _ask_niss() -> str:
    import questionary

    from inami_cli.domain.niss import compact_niss, niss_problem

    def check(text: str) -> bool | str:
        cleaned = compact_niss(text)
        if not cleaned:
            return True
        return niss_problem(cleaned) or True

    answer = questionary.text("NISS (empty to give the regime instead):", validate=check).ask()
    if answer is None:
        raise KeyboardInterrupt
    return compact_niss(str(answer))


def _ask_provider_id() -> str:
    import questionary

    from inami_cli.desk.prompts import check_nihii  # the desk's check: empty skips

    answer = questionary.text(
        "Provider's INAMI number (Enter = skip, conventioned):", validate=check_nihii
    ).ask()
    if answer is None:
        raise KeyboardInterrupt
    return str(answer).strip()


def _ask_regime() -> str:
    import questionary

    answer = questionary.select("Regime:", choices=["ordinary", "preferential"]).ask()
    if answer is None:
        raise KeyboardInterrupt
    return str(answer)


@app.command("batch")
def reimburse_batch(
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="CSV of cases ('-' = stdin).")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the results here (default stdout).")
    ] = None,
    record: Annotated[
        bool, typer.Option("--record", help="Store the reimbursed cases (rows need a niss).")
    ] = False,
    encoding: EncodingOpt = "utf-8",
    fail_on_refused: FailOnRefusedOpt = False,
) -> None:
    """Compute one case per CSV row (code,date,niss,regime,...,provider,charged,provider_id).

    Columns are picked by their header names (`,` `;` or tab; `INSZ` is niss); optional
    third_party and referred columns.

    Exit 0 when every row was processed (refusals are results), 2 when a row was malformed
    (the others still processed), 1 for refusals with --fail-on-refused.

    Examples:
        inami reimburse batch fixtures/examples/reimburse_cases.csv
        inami reimburse batch fixtures/examples/reimburse_cases.csv --out results.csv --format csv
        inami reimburse batch fixtures/examples/reimburse_cases.csv --format json
    """
    from inami_cli.cli.jobs import batch_stream, finish_batch, job_summary
    from inami_cli.render import input_file, output_file
    from inami_cli.services import reimbursement as svc

    st = state()
    fmt = st.output_format
    name = "-" if file == "-" else file
    with (
        st.progress("reimburse batch", path=name) as bar,
        input_file(name, encoding, bar.read) as source,
        output_file(out) as sink,
        batch_stream(sink, fmt, svc.BATCH_COLUMNS, st.fields) as (stream, stream_fmt),
        st.session(write=record) as session,
    ):
        summary = svc.reimburse_batch(
            session=session,
            source=source,
            out=stream,
            fmt=stream_fmt,
            filename=name,
            record=record,
            language=st.language,
            on_error=st.warn,
        )
    counts = job_summary(
        st,
        rows=summary.rows,
        ok=summary.ok,
        refused=summary.refused,
        rejected=summary.errors,
        extra=summary.as_dict(),
    )
    detail = (
        f"fee {summary.fee}, reimbursement {summary.reimbursement}, "
        f"personal share {summary.personal_share}"
        + (f"; {summary.recorded} recorded" if record else "")
    )
    finish_batch(st, counts, detail, fail_on_refused=fail_on_refused)
