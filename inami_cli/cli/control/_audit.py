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
    from inami_cli.domain.jsonfmt import dumps
    from inami_cli.render import StreamWriter, render

    if fmt in ("csv", "ndjson"):
        stream = StreamWriter(fmt, columns, out)
        return stream.write, lambda: None
    if fmt == "json":
        first = [True]
        out.write("[")

        def write_json(row: Mapping[str, Any]) -> None:
            out.write(("\n" if first[0] else ",\n") + dumps({c: row.get(c) for c in columns}))
            first[0] = False

        def finish_json() -> None:
            out.write("\n]\n" if not first[0] else "]\n")

        return write_json, finish_json
    rows: list[Mapping[str, Any]] = []

    def finish_table() -> None:
        if rows:
            render(rows, fmt="table", columns=columns, table_style=state().style, out=out)

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
    StreamWriter(fmt, control.FINDING_COLUMNS, sink)  # the CSV header line
    buffer = io.StringIO()
    stream = StreamWriter(fmt, control.FINDING_COLUMNS, buffer)

    def render(audited: Any) -> str:
        buffer.seek(0)
        buffer.truncate()
        stream.write_many(control.finding_records(file, audited))
        return buffer.getvalue()

    with open_binary(file) as source, st.session() as session:
        for text in control.audit_texts(
            session=session, source=source, filename=file, billed_on=billed_on, render=render,
            encoding=encoding, on_error=st.warn, summary=summary,
        ):  # fmt: skip
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

    Example: inami control audit fixtures/billing_demo.csv --billed-on 2025-03-03 --format csv
    """
    from inami_cli.domain.jsonfmt import dumps
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
    counts = summary.as_dict()
    if fmt in ("json", "ndjson"):
        # the data is on stdout: the JSON summary goes to stderr so the stream stays clean
        typer.echo(dumps(counts), err=True)
    else:
        rules = ", ".join(f"{k}: {v}" for k, v in counts["by_rule"].items()) or "none"
        st.info(
            f"{summary.lines} lines: {summary.lines_with_findings} with findings "
            f"({summary.findings} findings; {rules}), {summary.errors} malformed; "
            f"claimed {summary.claimed:.2f}, undue {summary.undue:.2f}"
        )
    sys.stdout.flush()
    if summary.errors:
        raise typer.Exit(2)
    if fail_on_findings and summary.findings:
        raise typer.Exit(1)


def control_codes() -> None:
    """List the audit's finding codes: rule name, what it finds, what is undue, source.

    The engine's refusals keep their eTarif codes (001-010, 9xx); the control's own checks
    are 1xx (maf-control-funding.md §8.2). Example: inami control codes --format csv
    """
    from inami_cli.domain.control import codes_table

    state().emit(codes_table(), columns=("code", "name", "description", "undue", "source"))
