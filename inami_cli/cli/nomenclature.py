"""``inami nomenclature``: acts, dated tariffs, key letters, import/export, indexation."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from inami_cli.cli.context import state
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import FileErrors, InvalidInput, NotFound

if TYPE_CHECKING:
    from inami_cli.domain.nomenclature import ActView
    from inami_cli.domain.tariffs import Profile, TariffView

app = typer.Typer(
    help="Nomenclature codes, their dated tariffs by beneficiary profile, key letters.",
    no_args_is_help=True,
)
key_letter_app = typer.Typer(
    help="Values of key-letter indexes (N265, Q124...) over time.", no_args_is_help=True
)
app.add_typer(key_letter_app, name="key-letter")

DateOpt = Annotated[str | None, typer.Option("--date", help="Date (YYYY-MM-DD); default today.")]
ArticleOpt = Annotated[str | None, typer.Option("--article", help="Article, e.g. 2, 5, 7.")]


def _day(text: str | None, what: str) -> date:
    return parse_date(text, what=what) if text else date.today()


def _opt_day(text: str | None, what: str) -> date | None:
    return parse_date(text, what=what) if text else None


def _label(act: ActView) -> str:
    return act.label_nl if state().language == "nl" else act.label_fr


def _act_record(act: ActView) -> dict[str, Any]:
    return {
        "code": act.code,
        "label_fr": act.label_fr,
        "label_nl": act.label_nl,
        "article": act.article,
        "category": act.category,
        "setting": act.setting,
        "valid_from": act.valid_from,
        "valid_to": act.valid_to,
        "key_terms": act.key_terms or None,
        "min_age": act.min_age,
        "max_age": act.max_age,
        "max_per_period": act.max_per_period,
        "frequency_period": act.frequency_period,
        "not_combinable_with": list(act.not_combinable_with),
        "prerequisite": act.prerequisite,
    }


def _tariff_record(view: TariffView) -> dict[str, Any]:
    from inami_cli.services.nomenclature import profile_lines

    return {
        "valid_from": view.valid_from,
        "valid_to": view.valid_to,
        "fee": view.fee,
        "fee_derived": view.fee_derived,
        "source": view.source,
        "source_kind": view.source_kind,
        "decision_number": view.decision_number,
        "profiles": [
            {
                "profile": line.profile,
                "reimbursement": line.reimbursement,
                "personal_share": line.personal_share,
            }
            for line in profile_lines(view)
        ],
    }


def _warn_all(warnings: tuple[str, ...] | list[str]) -> None:
    st = state()
    for warning in warnings:
        st.warn(warning)


@app.command("show")
def nomenclature_show(
    code: Annotated[str, typer.Argument(help="6-digit nomenclature code.")],
    on: DateOpt = None,
    history: Annotated[bool, typer.Option("--history", help="List every tariff period.")] = False,
    as_recorded_on: Annotated[
        str | None,
        typer.Option("--as-recorded-on", help="Answer as the database would have on this date."),
    ] = None,
) -> None:
    """Show a code, its tariff on a date with each profile's reimbursement and share.

    Example: inami nomenclature show 101076 --date 2026-03-02
    """
    from inami_cli.services import nomenclature as svc

    st = state()
    day = _day(on, "--date")
    recorded = _opt_day(as_recorded_on, "--as-recorded-on")
    with st.session() as session:
        result = svc.show(
            session=session, code=code, on=day, history=history, as_recorded_on=recorded
        )
    _warn_all(result.warnings)
    if result.tariff is None:
        nearest = ", ".join(result.nearest) or "none recorded"
        message = f"no tariff for {result.act.code} on {day} (nearest periods: {nearest})"
        if st.settings.get("rules.missing_tariff") != "warn":
            raise NotFound(message, hint="--date DATE, or --history")
        st.warn(message)
    record = _act_record(result.act)
    record["date"] = day
    record["tariff"] = _tariff_record(result.tariff) if result.tariff else None
    if history:
        record["history"] = [
            {
                "valid_from": line.valid_from,
                "valid_to": line.valid_to,
                "fee": line.fee,
                "fee_derived": line.fee_derived,
                "source": line.source,
                "source_kind": line.source_kind,
                "decision_number": line.decision_number,
                "profiles": [
                    {
                        "profile": p.profile,
                        "reimbursement": p.reimbursement,
                        "personal_share": p.personal_share,
                    }
                    for p in line.profiles
                ],
            }
            for line in result.history
        ]
    if st.output_format in ("json", "ndjson"):
        st.emit(record)
        return
    flat = {k: v for k, v in record.items() if k not in ("tariff", "history")}
    flat["label"] = _label(result.act)
    if result.tariff is not None:
        tariff = record["tariff"]
        flat.update(
            {
                "tariff_period": f"{tariff['valid_from']}..{tariff['valid_to'] or ''}",
                "fee": tariff["fee"],
                "fee_derived": tariff["fee_derived"],
                "source": tariff["source"],
                "decision_number": tariff["decision_number"],
            }
        )
    st.emit(flat)
    if result.tariff is not None:
        st.emit(
            record["tariff"]["profiles"], columns=["profile", "reimbursement", "personal_share"]
        )
    if history:
        st.emit(
            [
                {
                    "valid_from": h["valid_from"],
                    "valid_to": h["valid_to"],
                    "fee": h["fee"],
                    "profiles": "; ".join(
                        f"{p['profile']} {p['reimbursement']}" for p in h["profiles"]
                    ),
                    "source": h["source"],
                }
                for h in record["history"]
            ],
            columns=["valid_from", "valid_to", "fee", "profiles", "source"],
        )


@app.command("search")
def nomenclature_search(
    text: Annotated[str, typer.Argument(help="Words to find in the FR/NL labels (or a code).")],
    article: ArticleOpt = None,
    on: DateOpt = None,
    active: Annotated[
        bool, typer.Option("--active", help="Only codes that exist and have a tariff on --date.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most N results.")] = 20,
) -> None:
    """Find codes by words of their labels, accents and case ignored, best first.

    Example: inami nomenclature search "consultation medecin" --active
    """
    from inami_cli.services import nomenclature as svc

    st = state()
    day = _day(on, "--date")
    with st.session() as session:
        hits = svc.search(
            session=session, text=text, article=article, on=day, active=active, limit=limit
        )
    rows = [
        {
            "code": h.code,
            "article": h.article,
            "label": h.label_nl if st.language == "nl" else h.label_fr,
            "label_fr": h.label_fr,
            "label_nl": h.label_nl,
            "score": h.score,
        }
        for h in hits
    ]
    columns = ["code", "article", "label", "score"]
    if st.output_format not in ("table",):
        columns = ["code", "article", "label_fr", "label_nl", "score"]
        rows = [{k: r[k] for k in columns} for r in rows]
    st.emit(rows, columns=columns)
    if not hits:
        st.info(f"no code matches {text!r}")


@app.command("list")
def nomenclature_list(article: ArticleOpt = None, on: DateOpt = None) -> None:
    """List codes (of an article) with their fee on a date.

    Example: inami nomenclature list --article 2 --date 2026-01-01
    """
    from inami_cli.services import nomenclature as svc

    st = state()
    day = _opt_day(on, "--date")
    with st.session() as session:
        listed = svc.list_acts(session=session, article=article, on=day)
    st.emit(
        [
            {
                "code": item.act.code,
                "article": item.act.article,
                "category": item.act.category,
                "label": _label(item.act),
                "fee": item.fee,
            }
            for item in listed
        ],
        columns=["code", "article", "category", "label", "fee"],
    )


# ---------------------------------------------------------------- add / update / retire

LabelFr = Annotated[str | None, typer.Option("--label-fr", help="French label.")]
LabelNl = Annotated[str | None, typer.Option("--label-nl", help="Dutch label.")]
Category = Annotated[
    str | None,
    typer.Option("--category", help="Rule family: gp_consultation, gp_visit, dental, ..."),
]
Setting = Annotated[str | None, typer.Option("--setting", help="ambulatory, hospitalised or any.")]
FromOpt = Annotated[str | None, typer.Option("--from", help="Exists from this date.")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Exists until this date (inclusive).")]
MinAge = Annotated[int | None, typer.Option("--min-age", help="Minimum age (inclusive).")]
MaxAge = Annotated[int | None, typer.Option("--max-age", help="Maximum age (inclusive).")]
MaxPer = Annotated[int | None, typer.Option("--max-per-period", help="Maximum number per period.")]
FreqPeriod = Annotated[
    str | None,
    typer.Option("--frequency-period", help="day, calendar_month, calendar_year, rolling_year."),
]
NotWith = Annotated[
    str | None,
    typer.Option("--not-combinable-with", help="Codes not billable the same day (space/comma)."),
]
Prereq = Annotated[
    str | None, typer.Option("--prerequisite", help="Named rule, e.g. dental_care_previous_year.")
]
KeyTerms = Annotated[
    str | None, typer.Option("--key-terms", help="Fee terms, e.g. N265*8+Q124*30.")
]
SourceOpt = Annotated[str | None, typer.Option("--source", help="Where this comes from.")]


def _act_changes(**options: Any) -> dict[str, Any]:
    from inami_cli.domain.nomenclature import parse_code_list

    changes: dict[str, Any] = {}
    for name, value in options.items():
        if value is None:
            continue
        if name in ("valid_from", "valid_to"):
            value = parse_date(value, what=f"--{name.split('_')[1]}")
        elif name == "not_combinable_with":
            value = parse_code_list(value)
        changes[name] = value
    return changes


@app.command("add")
def nomenclature_add(
    code: Annotated[str, typer.Argument(help="6-digit nomenclature code.")],
    label_fr: LabelFr = None,
    label_nl: LabelNl = None,
    article: ArticleOpt = None,
    category: Category = None,
    setting: Setting = None,
    valid_from: FromOpt = None,
    valid_to: ToOpt = None,
    min_age: MinAge = None,
    max_age: MaxAge = None,
    max_per_period: MaxPer = None,
    frequency_period: FreqPeriod = None,
    not_combinable_with: NotWith = None,
    prerequisite: Prereq = None,
    key_terms: KeyTerms = None,
    source: SourceOpt = None,
) -> None:
    """Add a nomenclature code with its labels and rules.

    Example: inami nomenclature add 101076 --label-fr Consultation --label-nl Raadpleging
    """
    from inami_cli.domain.nomenclature import ActView as View
    from inami_cli.domain.nomenclature import validate_code
    from inami_cli.services import nomenclature as svc

    st = state()
    code = validate_code(code)
    fr = st.require(label_fr, "--label-fr", ask=lambda: _ask("French label"))
    nl = st.require(label_nl, "--label-nl", ask=lambda: _ask("Dutch label"))
    changes = _act_changes(
        article=article,
        category=category,
        setting=setting,
        valid_from=valid_from,
        valid_to=valid_to,
        min_age=min_age,
        max_age=max_age,
        max_per_period=max_per_period,
        frequency_period=frequency_period,
        not_combinable_with=not_combinable_with,
        prerequisite=prerequisite,
        key_terms=key_terms,
        source=source,
    )
    with st.session(write=True) as session:
        result = svc.add_act(
            session=session, act=View(code=code, label_fr=fr, label_nl=nl, **changes)
        )
    _warn_all(result.warnings)
    st.emit(_act_record(result.act))


def _ask(what: str) -> str:
    import questionary

    answer: str | None = questionary.text(f"{what}:").ask()
    return answer if answer is None else answer.strip()  # type: ignore[return-value]


@app.command("update")
def nomenclature_update(
    code: Annotated[str, typer.Argument(help="6-digit nomenclature code.")],
    label_fr: LabelFr = None,
    label_nl: LabelNl = None,
    article: ArticleOpt = None,
    category: Category = None,
    setting: Setting = None,
    valid_from: FromOpt = None,
    valid_to: ToOpt = None,
    min_age: MinAge = None,
    max_age: MaxAge = None,
    max_per_period: MaxPer = None,
    frequency_period: FreqPeriod = None,
    not_combinable_with: NotWith = None,
    prerequisite: Prereq = None,
    key_terms: KeyTerms = None,
    source: SourceOpt = None,
) -> None:
    """Change the labels or rules of a code.

    Example: inami nomenclature update 301593 --max-age 66
    """
    from inami_cli.services import nomenclature as svc

    st = state()
    changes = _act_changes(
        label_fr=label_fr,
        label_nl=label_nl,
        article=article,
        category=category,
        setting=setting,
        valid_from=valid_from,
        valid_to=valid_to,
        min_age=min_age,
        max_age=max_age,
        max_per_period=max_per_period,
        frequency_period=frequency_period,
        not_combinable_with=not_combinable_with,
        prerequisite=prerequisite,
        key_terms=key_terms,
        source=source,
    )
    if not changes:
        raise InvalidInput("nothing to change: pass at least one option (see --help)")
    with st.session(write=True) as session:
        result = svc.update_act(session=session, code=code, changes=changes)
    _warn_all(result.warnings)
    st.emit(_act_record(result.act))


@app.command("retire")
def nomenclature_retire(
    code: Annotated[str, typer.Argument(help="6-digit nomenclature code.")],
    from_: Annotated[
        str | None, typer.Option("--from", help="First day the code no longer exists.")
    ] = None,
) -> None:
    """Retire a code from a date (it and its open tariff end the day before).

    Example: inami nomenclature retire 101010 --from 2027-01-01
    """
    from inami_cli.services import nomenclature as svc

    st = state()
    day = parse_date(st.require(from_, "--from"), what="--from")
    with st.session(write=True) as session:
        result = svc.retire_act(session=session, code=code, from_=day)
    st.emit(_act_record(result.act))


# ---------------------------------------------------------------- tariffs


def _parse_reimbursements(values: list[str]) -> list[Profile]:
    from inami_cli.domain.money import parse_amount
    from inami_cli.domain.tariffs import parse_profile

    profiles = []
    for value in values:
        profile, sep, amount = value.rpartition("=")
        if not sep:
            raise InvalidInput(
                f"--reimbursement {value!r}: expected PROFILE=AMOUNT, e.g. ordinary,dmg=27.81"
            )
        profiles.append(parse_profile(profile, parse_amount(amount, what="--reimbursement")))
    return profiles


@app.command("set-tariff")
def nomenclature_set_tariff(
    code: Annotated[str, typer.Argument(help="6-digit nomenclature code.")],
    from_: Annotated[str | None, typer.Option("--from", help="First day of the period.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day (default: open).")] = None,
    fee: Annotated[
        str | None, typer.Option("--fee", help="Fee; omit to derive it from key-letter terms.")
    ] = None,
    reimbursement: Annotated[
        list[str] | None,
        typer.Option(
            "--reimbursement",
            help="PROFILE=AMOUNT, repeatable (ordinary, preferential, dmg, no-dmg, "
            "chronic, age=N-M, any), e.g. ordinary,dmg=27.81.",
        ),
    ] = None,
    source: SourceOpt = None,
    correct: Annotated[
        bool, typer.Option("--correct", help="Correct an overlapping period (old kept).")
    ] = False,
) -> None:
    """Record the tariff of a code from a date (the open previous period is closed).

    Example: inami nomenclature set-tariff 101076 --from 2027-01-01 --fee 35 --reimbursement any=29
    """
    from inami_cli.domain.money import parse_amount
    from inami_cli.services import nomenclature as svc

    st = state()
    start = parse_date(st.require(from_, "--from"), what="--from")
    end = _opt_day(to, "--to")
    amount = parse_amount(fee, what="--fee") if fee is not None else None
    if not reimbursement:
        raise InvalidInput("missing value: pass --reimbursement PROFILE=AMOUNT (repeatable)")
    profiles = _parse_reimbursements(reimbursement)
    with st.session(write=True) as session:
        view = svc.set_tariff(
            session=session,
            code=code,
            valid_from=start,
            valid_to=end,
            fee=amount,
            profiles=profiles,
            source=source or "",
            correct=correct,
        )
    record = {"code": view.code, **_tariff_record(view)}
    if st.output_format in ("json", "ndjson"):
        st.emit(record)
    else:
        st.emit({k: v for k, v in record.items() if k != "profiles"})
        st.emit(record["profiles"], columns=["profile", "reimbursement", "personal_share"])


@app.command("import")
def nomenclature_import(
    file: Annotated[str, typer.Argument(help="CSV or JSON file, or - for stdin.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the changes, write nothing.")
    ] = False,
    correct: Annotated[
        bool,
        typer.Option("--correct", help="Allow rows to correct overlapping recorded periods."),
    ] = False,
) -> None:
    """Import tariffs from CSV or JSON, all or nothing (re-importing changes nothing).

    Example: inami nomenclature import tariffs-2026.csv --dry-run
    """
    import hashlib

    from inami_cli.services import nomenclature as svc

    st = state()
    if file == "-":
        data, name = sys.stdin.buffer.read(), "<stdin>"
    else:
        path = Path(file)
        if not path.is_file():
            raise NotFound(f"file {file} not found")
        data, name = path.read_bytes(), file
    try:
        with st.session(write=not dry_run) as session:
            summary = svc.import_rows(
                session=session,
                rows=svc.read_table(data, name),
                filename=name,
                dry_run=dry_run,
                correct=correct,
                sha256=hashlib.sha256(data).hexdigest(),
            )
    except FileErrors as errors:
        for problem in errors.problems:
            typer.echo(problem, err=True)
        raise
    _warn_all(summary.warnings)
    if dry_run:
        for line in summary.diff:
            typer.echo(line, err=st.output_format in ("json", "ndjson"))
    counts = summary.counts()
    text = (
        f"{'would import' if dry_run else 'imported'} {name}: {counts['inserted']} inserted, "
        f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['rejected']} rejected"
    )
    st.summary(counts, text)


@app.command("export")
def nomenclature_export(
    on: Annotated[
        str | None, typer.Option("--date", help="Only the tariffs in force on this date.")
    ] = None,
    all_periods: Annotated[
        bool, typer.Option("--all-periods", help="Every period (the default).")
    ] = False,
    article: ArticleOpt = None,
) -> None:
    """Export tariffs in the import columns (CSV; JSON with --format json).

    Example: inami nomenclature export --date 2026-01-01 > tariffs.csv
    """
    from inami_cli.domain.jsonfmt import dumps
    from inami_cli.domain.nomenclature import ALL_COLUMNS
    from inami_cli.render import StreamWriter
    from inami_cli.services import nomenclature as svc

    st = state()
    if on and all_periods:
        raise InvalidInput("--date and --all-periods exclude each other")
    day = _opt_day(on, "--date")
    with st.session() as session:
        rows = svc.export_rows(session=session, on=day, article=article)
        if st.output_format == "json":
            sys.stdout.write("[\n")
            for i, row in enumerate(rows):
                sys.stdout.write(("," if i else "") + dumps(row) + "\n")
            sys.stdout.write("]\n")
        else:
            writer = StreamWriter(st.output_format, ALL_COLUMNS, sys.stdout)
            for row in rows:
                writer.write(row)


@app.command("index")
def nomenclature_index(
    rate: Annotated[str | None, typer.Option("--rate", help="Percent, e.g. 2.72.")] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="First day of the new amounts.")
    ] = None,
    article: ArticleOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the changes, write nothing.")
    ] = False,
) -> None:
    """Index every tariff in force on a date by a rate (new periods from that date).

    Example: inami nomenclature index --rate 2.72 --from 2027-01-01 --dry-run
    """
    from inami_cli.domain.nomenclature import parse_rate
    from inami_cli.services import nomenclature as svc

    st = state()
    pct = parse_rate(st.require(rate, "--rate"))
    day = parse_date(st.require(from_, "--from"), what="--from")
    with st.session(write=not dry_run) as session:
        summary = svc.index_tariffs(
            session=session, rate=pct, from_=day, article=article, dry_run=dry_run
        )
    _warn_all(summary.warnings)
    if dry_run:
        for line in (*summary.key_values, *summary.diff):
            typer.echo(line, err=st.output_format in ("json", "ndjson"))
    st.summary(
        {
            "indexed": summary.indexed,
            "skipped": summary.skipped,
            "key_values": len(summary.key_values),
            "rule": summary.rule,
            "dry_run": dry_run,
        },
        f"{'would index' if dry_run else 'indexed'} {summary.indexed} tariffs by {pct} % "
        f"from {day} ({summary.rule}); {len(summary.key_values)} key-letter values",
    )


@app.command("diff")
def nomenclature_diff(
    old: Annotated[str | None, typer.Option("--from", help="First date.")] = None,
    new: Annotated[str | None, typer.Option("--to", help="Second date.")] = None,
) -> None:
    """List codes whose tariff differs between two dates, old and new amounts.

    Example: inami nomenclature diff --from 2025-06-01 --to 2026-06-01
    """
    from inami_cli.services import nomenclature as svc

    st = state()
    d1 = parse_date(st.require(old, "--from"), what="--from")
    d2 = parse_date(st.require(new, "--to"), what="--to")
    with st.session() as session:
        changes = svc.diff_dates(session=session, old=d1, new=d2)
    st.emit(
        [
            {
                "code": c.code,
                "profile": c.profile,
                "old_fee": c.old_fee,
                "new_fee": c.new_fee,
                "old_reimbursement": c.old_reimbursement,
                "new_reimbursement": c.new_reimbursement,
            }
            for c in changes
        ],
        columns=[
            "code",
            "profile",
            "old_fee",
            "new_fee",
            "old_reimbursement",
            "new_reimbursement",
        ],
    )


# ---------------------------------------------------------------- key letters


def _key_record(line: Any) -> dict[str, Any]:
    return {
        "index_code": line.index_code,
        "valid_from": line.valid_from,
        "valid_to": line.valid_to,
        "value": line.value,
        "source": line.source,
        "codes": list(line.codes),
    }


@key_letter_app.command("set")
def key_letter_set(
    index_code: Annotated[str, typer.Argument(help="Index, e.g. N265.")],
    from_: Annotated[str | None, typer.Option("--from", help="First day of the value.")] = None,
    value: Annotated[str | None, typer.Option("--value", help="Value, e.g. 3.372107.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day (default: open).")] = None,
    source: SourceOpt = None,
) -> None:
    """Give a key-letter index a value from a date (fees using it are re-derived).

    Example: inami nomenclature key-letter set N265 --from 2025-01-01 --value 3.372107
    """
    from inami_cli.domain.money import parse_decimal
    from inami_cli.services import nomenclature as svc

    st = state()
    day = parse_date(st.require(from_, "--from"), what="--from")
    amount: Decimal = parse_decimal(st.require(value, "--value"), what="--value")
    with st.session(write=True) as session:
        line = svc.set_key_letter(
            session=session,
            index_code=index_code,
            valid_from=day,
            value=amount,
            valid_to=_opt_day(to, "--to"),
            source=source or "",
        )
    if line.codes:
        st.info(f"fees re-derived from {day} for: {', '.join(line.codes)}")
    st.emit(_key_record(line))


@key_letter_app.command("list")
def key_letter_list(on: DateOpt = None) -> None:
    """List key-letter values (those in force on --date when given).

    Example: inami nomenclature key-letter list --date 2025-06-01
    """
    from inami_cli.services import nomenclature as svc

    st = state()
    day = _opt_day(on, "--date")
    with st.session() as session:
        lines = svc.list_key_letters(session=session, on=day)
    st.emit(
        [_key_record(line) for line in lines],
        columns=["index_code", "valid_from", "valid_to", "value", "source", "codes"],
    )
