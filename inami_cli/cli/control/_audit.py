"""``inami control audit FILE``: the findings of a billing file, streamed."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from inami_cli.cli.context import state


def _writer(fmt: str, columns: tuple[str, ...], out: TextIO) -> tuple[
    Callable[[Mapping[str, Any]], None], Callable[[], None]
]:  # fmt: skip
    """(write one record, finish) for *fmt*: csv and ndjson stream, json streams an array,
    a table is rendered at the end (use csv or ndjson for big files)."""
    from inami_cli.render import StreamWriter, render
    from inami_cli.render.terminal import table_width

    st = state()
    if fmt in ("csv", "ndjson", "json"):
        stream = StreamWriter(fmt, columns, out, st.fields)
        return stream.write, stream.close
    rows: list[Mapping[str, Any]] = []

    def finish_table() -> None:
        if rows:
            # fitted on stdout only: a table written to --out FILE is whole
            width = table_width(out, wide=st.wide) if out is sys.stdout else None
            render(
                rows, fmt="table", columns=columns, table_style=st.style, out=out,
                width=width, fields=st.fields,
            )  # fmt: skip

    return rows.append, finish_table


def billed_on_option(text: str | None) -> Any:
    """The ``--billed-on`` date (default: today)."""
    from datetime import date

    from inami_cli.domain.dates import parse_date

    return parse_date(text, what="--billed-on") if text else date.today()


def audit_lines(file: str, billed_on: Any, encoding: str, summary: Any) -> Iterator[Any]:
    """Open the database and the file; yield the ``LineAudit`` of every line."""
    from inami_cli.services import control
    from inami_cli.tabular import open_binary

    st = state()
    with open_binary(file) as source, st.session() as session:
        yield from control.audit_stream(
            session=session, source=source, filename=file, billed_on=billed_on,
            encoding=encoding, on_error=st.warn, summary=summary,
        )  # fmt: skip


def _stream_texts(
    file: str, billed_on: Any, encoding: str, summary: Any, fmt: str, sink: TextIO
) -> None:
    """Write the findings as CSV or ndjson through ``services.control.audit_texts``."""
    import io

    from inami_cli.render import StreamWriter
    from inami_cli.services import control
    from inami_cli.tabular import open_binary

    st = state()
    buffer = io.StringIO()
    stream = StreamWriter(fmt, control.FINDING_COLUMNS, buffer, st.fields)  # (checks --fields)

    def render(audited: Any) -> str:
        buffer.seek(0)
        buffer.truncate()
        stream.write_many(control.finding_records(file, audited))
        return buffer.getvalue()

    with open_binary(file) as source, st.session() as session:
        texts = control.audit_texts(
            session=session, source=source, filename=file, billed_on=billed_on, render=render,
            encoding=encoding, on_error=st.warn, summary=summary,
        )  # fmt: skip
        # the CSV header line once the file's own header is read: a file refused there
        # leaves the output empty, as the other formats and the batches do
        first = next(texts, None)
        StreamWriter(fmt, control.FINDING_COLUMNS, sink, st.fields)
        if first is not None:
            sink.write(first)
        for text in texts:
            sink.write(text)


def control_audit(
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="Billing CSV ('-' = stdin).")],
    billed_on: Annotated[
        str | None,
        typer.Option("--billed-on", help="Date of billing, for the 2-year limit (default today)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the findings here (default stdout).")
    ] = None,
    fail_on_findings: Annotated[
        bool, typer.Option("--fail-on-findings", help="Exit 1 when any line has a finding.")
    ] = False,
    encoding: Annotated[str, typer.Option("--encoding", help="The file's encoding.")] = "utf-8",
) -> None:
    """Audit a billing file line by line: one finding per line and rule, with the indu.

    Exit 0 when every line was audited (lines with findings are counted as refused), 2 when
    a line was malformed (the others audited), 1 for findings with --fail-on-findings.

    Examples:
        inami control audit fixtures/billing_demo.csv --billed-on 2025-03-03 --format csv
        inami control audit fixtures/billing_demo.csv --billed-on 2025-03-03
        inami control audit fixtures/billing_demo.csv --billed-on 2025-03-03 --format json
    """
    from inami_cli.cli.jobs import finish_batch, job_summary
    from inami_cli.render import output_file
    from inami_cli.services import control

    st = state()
    fmt = st.output_format
    day = billed_on_option(billed_on)
    summary = control.AuditSummary()
    with output_file(out) as sink:
        if fmt in ("csv", "ndjson"):
            # the bulk formats: rendered as they come, big files on worker processes
            _stream_texts(file, day, encoding, summary, fmt, sink)
        else:
            write, finish = _writer(fmt, control.FINDING_COLUMNS, sink)
            for audited in audit_lines(file, day, encoding, summary):
                if audited.findings:
                    for record in control.finding_records(file, audited):
                        write(record)
            finish()
    counts = job_summary(
        st,
        rows=summary.lines + summary.errors,  # lines: the audited ones
        ok=summary.lines - summary.lines_with_findings,
        refused=summary.lines_with_findings,
        rejected=summary.errors,
        extra=summary.as_dict(),
    )
    rules = ", ".join(f"{k}: {v}" for k, v in sorted(summary.by_rule.items())) or "none"
    detail = (
        f"{summary.findings} findings ({rules}); "
        f"claimed {summary.claimed:.2f}, undue {summary.undue:.2f}"
    )
    finish_batch(st, counts, detail, fail_on_refused=fail_on_findings)


def control_codes() -> None:
    """List the audit's finding codes: rule name, what it finds, what is undue, source.

    The engine's refusals keep their eTarif codes (001-010, 9xx); the control's own checks
    are 1xx (maf-control-funding.md §8.2).

    Examples:
        inami control codes
        inami control codes --format csv
    """
    from inami_cli.domain.control import codes_table

    state().emit(codes_table(), columns=("code", "name", "description", "undue_is", "source"))
