"""``inami insured``: is a person insured on a date (or over a range); one person or a batch.

``inami insured NISS`` and ``inami insured --insurer 300 --member 1234567`` are short for
``inami insured check ...``; ``inami insured batch FILE`` checks a file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from inami_cli.cli.context import state
from inami_cli.cli.jobs import EncodingOpt, FailOnRefusedOpt
from inami_cli.cli.options import optional_day


class _InsuredGroup(TyperGroup):
    """Routes ``insured NISS ...`` and ``insured --insurer ...`` to ``check``: a first word
    that is not a subcommand (nor a help flag) is the beginning of a single check."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["check", *args]
        return list(super().parse_args(ctx, args))


app = typer.Typer(
    cls=_InsuredGroup,
    no_args_is_help=True,
    help=(
        "Is a person insured on a date? `inami insured NISS [--date D | --from D1 --to D2]`, "
        "`inami insured --insurer 300 --member 1234567`, `inami insured batch FILE`. "
        "Exit 0 insured, 1 not insured (unknown person, no affiliation, deceased), "
        "2 invalid NISS."
    ),
)

_STATUS_KEYS = (
    "niss", "date", "insured", "insurer_code", "insurer_name", "member_number", "quality",
    "titular_niss", "ct1", "ct2", "regime", "bim_automatic", "dmg", "dmg_gp", "chronic",
    "third_party", "period_from", "period_to", "birth_date", "age", "death_date", "reason",
    "medical_house", "medical_house_disciplines", "mutuality",
)  # fmt: skip
_PERIOD_COLUMNS = [
    "niss", "period_from", "period_to", "covered", "insurer_code", "insurer_name",
    "member_number", "quality", "ct1", "ct2", "reason",
]  # fmt: skip


@app.command("check")
def insured_check(
    niss: Annotated[
        str | None,
        typer.Argument(
            help="NISS or BIS number (11 digits; dots, dashes allowed).", show_default=False
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--date", help="Date (YYYY-MM-DD, D/M/YYYY); default today."),
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Start of a range (with --to).")
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="End of a range (inclusive).")] = None,
    insurer: Annotated[
        str | None, typer.Option("--insurer", help="Insurer code (100 ... 900), with --member.")
    ] = None,
    member: Annotated[
        str | None, typer.Option("--member", help="Member number at that insurer.")
    ] = None,
) -> None:
    """Say whether a person is insured on a date (exit 0 yes, 1 no, 2 invalid NISS).

    Examples:
        inami insured 85061508234 --date 2026-03-02
        inami insured 90090906467 --from 2024-01-01 --to 2025-06-30
        inami insured --insurer 300 --member 1234567 --date 2026-03-02 --format json
    """
    from inami_cli.domain.errors import InvalidInput, MissingValue
    from inami_cli.domain.niss import parse_niss

    if niss is not None and (insurer or member):
        raise InvalidInput("give a NISS or --insurer with --member, not both")
    if niss is None and not (insurer and member):
        raise MissingValue("missing value: pass a NISS, or --insurer and --member")
    if on is not None and (date_from or date_to):
        raise InvalidInput("--date and --from/--to are mutually exclusive")
    if (date_from is None) != (date_to is None):
        raise MissingValue(f"missing value: pass {'--to' if date_to is None else '--from'}")
    valid = parse_niss(niss).niss if niss is not None else None  # exit 2 before any database
    day = optional_day(on, "--date") or date.today()
    start, end = optional_day(date_from, "--from"), optional_day(date_to, "--to")

    from inami_cli.domain.errors import NotFound
    from inami_cli.services import insurability as svc

    st = state()
    log = bool(st.settings.get("audit.log_consultations"))
    with st.session(write=True) if log else st.reader() as session:
        record: dict[str, Any]
        try:
            if start is not None and end is not None:
                if valid is None:
                    assert insurer is not None and member is not None
                    valid = svc.beneficiary_by_member(
                        session=session, insurer_code=insurer, member_number=member, on=end
                    ).niss
                answer = svc.beneficiary_over(session=session, niss=valid, start=start, end=end)
                record, insured = answer.as_record(), answer.insured
            else:
                if valid is None:
                    assert insurer is not None and member is not None
                    status = svc.beneficiary_by_member(
                        session=session, insurer_code=insurer, member_number=member, on=day
                    )
                else:
                    status = svc.beneficiary_on(session=session, niss=valid, on=day)
                record, insured = status.as_record(), status.insured
        except NotFound as exc:
            record, insured = _unknown(valid, day, start, end, exc.message), False
        if log:
            from inami_cli.db.engine import orm_session
            from inami_cli.services.audit import log_consultation

            subject = valid or f"{insurer}/{member}"
            log_consultation(session=orm_session(session), subject=subject, answer=record)
    _render(record)
    if not insured:
        raise typer.Exit(1)


def _unknown(
    niss: str | None, day: date, start: date | None, end: date | None, reason: str
) -> dict[str, Any]:
    if start is not None:
        return {
            "niss": niss,
            "date_from": start,
            "date_to": end,
            "insured": False,
            "reason": reason,
            "periods": [],
        }
    record: dict[str, Any] = dict.fromkeys(_STATUS_KEYS)
    record.update(niss=niss, date=day, insured=False, regime="ordinary", reason=reason)
    record.update(bim_automatic=False, dmg=False, chronic=False, third_party=False)
    return record


def _render(record: dict[str, Any]) -> None:
    st = state()
    periods = record.get("periods")
    if periods is None or st.output_format in ("json", "ndjson"):
        st.emit(record)
        return
    st.emit([{"niss": record["niss"], **p} for p in periods], columns=_PERIOD_COLUMNS)
    st.info(f"{record['niss']}: {record['reason']}")


@app.command("batch")
def insured_batch(
    file: Annotated[
        str, typer.Argument(metavar="FILE|-", help="One NISS (or NISS,DATE) a line; '-' = stdin.")
    ],
    on: Annotated[
        str | None, typer.Option("--date", help="Date for lines without one. Default today.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the results here (default stdout).")
    ] = None,
    encoding: EncodingOpt = "utf-8",
    fail_on_refused: FailOnRefusedOpt = False,
) -> None:
    """Check a file of NISS numbers against the register (CSV, or NDJSON with --format json).

    Exit 0 when every line was checked (a person not insured is an answer, counted as
    refused), 2 when a line was malformed (the others still checked), 1 when someone is
    not insured with --fail-on-refused.

    Examples:
        inami insured batch fixtures/examples/insured_batch.csv
        inami insured batch fixtures/examples/insured_batch.csv --format ndjson
        inami insured batch fixtures/examples/insured_batch.csv --date 2026-03-02
    """
    from inami_cli.cli.jobs import batch_stream, finish_batch, job_summary
    from inami_cli.render import input_file, output_file
    from inami_cli.services import insurability as svc

    st = state()
    day = optional_day(on, "--date") or date.today()
    fmt = st.output_format
    name = "-" if file == "-" else file
    with (
        st.progress("insured batch", path=name) as bar,
        input_file(name, encoding, bar.read) as source,
        st.session() as session,
        output_file(out) as sink,
        batch_stream(sink, fmt, svc.BATCH_COLUMNS, st.fields) as (stream, stream_fmt),
    ):
        summary = svc.insured_batch(
            session=session,
            source=source,
            out=stream,
            fmt=stream_fmt,
            on=day,
            filename=name,
            on_error=st.warn,
        )
    counts = summary.as_dict()
    if st.settings.get("audit.log_consultations"):
        from inami_cli.services.audit import log_consultation

        # One entry per batch: the answers themselves are in the output file.
        with st.session(write=True) as session:
            log_consultation(session=session, subject=f"batch {name}", answer=counts)
    counts = job_summary(
        st,
        rows=summary.checked + summary.invalid,
        ok=summary.insured,
        refused=summary.not_insured,
        rejected=summary.invalid,
        extra=counts,
    )
    detail = (
        f"{summary.lines} lines: {summary.checked} checked, {summary.insured} insured, "
        f"{summary.not_insured} not insured ({summary.unknown} unknown)"
    )
    finish_batch(st, counts, detail, fail_on_refused=fail_on_refused)
