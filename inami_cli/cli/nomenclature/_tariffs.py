"""``inami nomenclature set-tariff | import | export | index | diff``: dated tariffs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from inami_cli.cli.context import state
from inami_cli.cli.jobs import DryRunOpt, EncodingOpt, problems_listed
from inami_cli.cli.nomenclature._common import (
    ArticleOpt,
    SourceOpt,
    optional_date,
    tariff_record,
    warn_all,
)
from inami_cli.domain.dates import parse_date
from inami_cli.domain.errors import InvalidInput

if TYPE_CHECKING:
    from inami_cli.domain.tariffs import Profile


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
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show the tariff that would be recorded; write nothing."),
    ] = False,
) -> None:
    """Record the tariff of a code from a date (the open previous period is closed).

    Examples:
        inami nomenclature set-tariff 101076 --from 2027-01-01 --fee 35 --reimbursement any=29
        inami nomenclature set-tariff 101076 --from 2027-06-01 --fee 36 --reimbursement ordinary=30 --reimbursement preferential=35
    """  # noqa: E501
    from inami_cli.domain.money import parse_amount
    from inami_cli.services import nomenclature as svc

    st = state()
    st.one_table("set-tariff's answer (new and closed periods)")  # csv: refused up front (issue 17)
    start = parse_date(st.require(from_, "--from"), what="--from")
    end = optional_date(to, "--to")
    amount = parse_amount(fee, what="--fee") if fee is not None else None
    if not reimbursement:
        raise InvalidInput("missing value: pass --reimbursement PROFILE=AMOUNT (repeatable)")
    profiles = _parse_reimbursements(reimbursement)
    from inami_cli.domain.tariffs import uncovered_profiles

    uncovered = uncovered_profiles(profiles)
    if uncovered:
        st.warn(
            f"{code}: no profile reimburses {'; '.join(uncovered)} patients from {start} "
            "(add a --reimbursement for them, or `any=AMOUNT`)"
        )
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
            dry_run=dry_run,
        )
    record = {"code": view.code, **tariff_record(view)}
    if dry_run:
        record["dry_run"] = True
        st.info("dry run: nothing was written")
    if st.output_format in ("json", "ndjson"):
        st.emit(record)
    else:
        st.emit({k: v for k, v in record.items() if k != "profiles"})
        st.emit(record["profiles"], columns=["profile", "reimbursement", "personal_share"])


def nomenclature_import(
    file: Annotated[str, typer.Argument(help="CSV or JSON file, or - for stdin.")],
    dry_run: DryRunOpt = False,
    correct: Annotated[
        bool,
        typer.Option("--correct", help="Allow rows to correct overlapping recorded periods."),
    ] = False,
    encoding: EncodingOpt = "utf-8",
) -> None:
    """Import tariffs from CSV (`,` `;` or tab) or JSON, all or nothing (re-importing changes
    nothing).

    Examples:
        inami nomenclature import fixtures/nomenclature.csv --dry-run
        inami nomenclature import fixtures/nomenclature.csv --dry-run --format json
    """
    import shutil
    import tempfile

    from inami_cli.services import nomenclature as svc

    st = state()
    with tempfile.TemporaryFile() as spool:
        # The import may read its file twice (a file whose codes are not grouped: its codes,
        # then its rows) and never whole: standard input is copied to a temporary file
        # first (issue 20).
        source: Path | IO[bytes]
        if file == "-":
            shutil.copyfileobj(sys.stdin.buffer, spool, 1 << 20)
            source, name = spool, "<stdin>"
        else:
            source, name = Path(file), file
            if not source.is_file():
                raise InvalidInput(f"{file}: no such file")  # exit 2, as every command (issue 17)
        with (
            problems_listed(),
            st.progress("nomenclature import") as bar,
            st.session(write=not dry_run) as session,
        ):
            summary = svc.import_rows(
                session=session,
                rows=svc.read_table(source, name, encoding),
                filename=name,
                dry_run=dry_run,
                correct=correct,
                progress=bar.rows,
            )
    warn_all(summary.warnings)
    if dry_run:
        for line in summary.diff:
            typer.echo(line, err=st.output_format != "table")  # stdout: one document
    counts = summary.counts()
    text = (
        f"{'would import' if dry_run else 'imported'} {name}: {counts['inserted']} inserted, "
        f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['rejected']} rejected"
    )
    st.summary(counts, text)


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

    Examples:
        inami nomenclature export --date 2026-01-01 > tariffs.csv
        inami nomenclature export --date 2026-03-02 --format json
    """
    from inami_cli.domain.nomenclature import ALL_COLUMNS
    from inami_cli.render import StreamWriter
    from inami_cli.services import nomenclature as svc

    st = state()
    if on and all_periods:
        raise InvalidInput("--date and --all-periods exclude each other")
    day = optional_date(on, "--date")
    with st.session() as session:
        rows = svc.export_rows(session=session, on=day, article=article)
        # csv (and table) in the import's columns; json one array; money numbers (issue 17)
        writer = StreamWriter(st.output_format, ALL_COLUMNS, sys.stdout, st.fields)
        writer.write_many(rows)
        writer.close()


def nomenclature_index(
    rate: Annotated[str | None, typer.Option("--rate", help="Percent, e.g. 2.72.")] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="First day of the new amounts.")
    ] = None,
    article: ArticleOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Index every tariff in force on a date by a rate (new periods from that date).

    Examples:
        inami nomenclature index --rate 2.72 --from 2027-01-01 --dry-run
        inami nomenclature index --rate 2.72 --from 2027-01-01 --article 2 --dry-run
    """
    from inami_cli.domain.nomenclature import parse_rate
    from inami_cli.services import nomenclature as svc

    st = state()
    st.one_table("the indexation's answer")  # csv: refused up front (issue 17)
    pct = parse_rate(st.require(rate, "--rate"))
    day = parse_date(st.require(from_, "--from"), what="--from")
    with st.progress("index") as bar, st.session(write=not dry_run) as session:
        summary = svc.index_tariffs(
            session=session,
            rate=pct,
            from_=day,
            article=article,
            dry_run=dry_run,
            progress=bar.rows,
        )
    warn_all(summary.warnings)
    if dry_run:
        for line in (*summary.key_values, *summary.kept_shares, *summary.diff):
            typer.echo(line, err=st.output_format != "table")  # stdout: one document
    st.summary(
        {
            "indexed": summary.indexed,
            "skipped": summary.skipped,
            "key_values": len(summary.key_values),
            "kept_shares": len(summary.kept_shares),
            "rule": summary.rule,
            "dry_run": dry_run,
        },
        f"{'would index' if dry_run else 'indexed'} {summary.indexed} tariffs by {pct} % "
        f"from {day} ({summary.rule}); {len(summary.key_values)} key-letter values; "
        f"fixed personal shares kept in {len(summary.kept_shares)}",
    )


def nomenclature_diff(
    old: Annotated[str | None, typer.Option("--from", help="First date.")] = None,
    new: Annotated[str | None, typer.Option("--to", help="Second date.")] = None,
) -> None:
    """List codes whose tariff differs between two dates, old and new amounts.

    Examples:
        inami nomenclature diff --from 2025-06-01 --to 2026-06-01
        inami nomenclature diff --from 2026-01-01 --to 2026-03-02 --format json
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
