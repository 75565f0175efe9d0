"""The end of a long job (the batches, the imports): one summary with the same keys for
every job, and exit codes a cron script can trust (issue 17, "Output a script reads").

Summary keys, always first and always present: ``rows, ok, refused, rejected, warnings,
seconds`` (then the job's own counts). It goes to stderr (a JSON object when the output
format is json or ndjson, else one line of text), or with ``--summary-json`` as one JSON
line on stdout after the data.

Exit codes of a batch (README, "Output for scripts"): 0 when every line was processed
(refusals and "not insured" are results, counted as ``refused``); 2 when a line was
malformed (``rejected``: the rest is still processed, ``FILE:LINE`` on stderr); 1 for
refusals only with ``--fail-on-refused``.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Annotated, Any, Protocol, TextIO

import typer

from inami_cli.cli.context import AppState

SUMMARY_KEYS = ("rows", "ok", "refused", "rejected", "warnings", "seconds")

# The options of the file imports (the same words in every group's help).
ImportFileArg = Annotated[str, typer.Argument(metavar="FILE|-", help="CSV or JSON; - = stdin.")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Print the changes, write nothing.")]
EncodingOpt = Annotated[
    str, typer.Option("--encoding", help="utf-8 (default, with or without BOM), latin-1, cp1252.")
]
FailOnRefusedOpt = Annotated[
    bool,
    typer.Option(
        "--fail-on-refused",
        help="Exit 1 when a row was refused (default: refusals are results, exit 0).",
    ),
]


class ImportChange(Protocol):
    """One change an import makes (or would make, with ``--dry-run``)."""

    @property
    def action(self) -> str: ...  # insert | update
    @property
    def entity(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def detail(self) -> str: ...


class ImportOutcome(Protocol):
    """What an import reports (``services.imports.ImportReport`` and the providers' one)."""

    @property
    def filename(self) -> str: ...
    @property
    def inserted(self) -> int: ...
    @property
    def updated(self) -> int: ...
    @property
    def unchanged(self) -> int: ...
    @property
    def dry_run(self) -> bool: ...
    @property
    def changes(self) -> Sequence[ImportChange]: ...
    def counts(self) -> dict[str, Any]: ...


def import_summary(st: AppState, report: ImportOutcome) -> None:
    """With ``--dry-run`` each change the import would make (``+`` insert, ``~`` update; on
    stderr when the data is JSON), then the import's one-line summary."""
    if report.dry_run:
        for change in report.changes:
            mark = "+" if change.action == "insert" else "~"
            line = f"{mark} {change.entity} {change.key}: {change.detail}"
            typer.echo(line, err=st.output_format in ("json", "ndjson"))
    verb = "would import" if report.dry_run else "imported"
    st.summary(
        report.counts(),
        f"{verb} {report.filename}: {report.inserted} inserted, {report.updated} updated, "
        f"{report.unchanged} unchanged",
    )


@contextlib.contextmanager
def problems_listed(*, but_the_first: bool = False) -> Iterator[None]:
    """Every ``FILE:LINE`` problem of an import or a check on stderr, one a line, before the
    error itself ends the command (exit 2, or 4 when every problem is an overlap); with
    *but_the_first*, the first is left to that error line, which names it."""
    from inami_cli.domain.errors import FileErrors

    try:
        yield
    except FileErrors as errors:
        for problem in errors.problems[1 if but_the_first else 0 :]:
            typer.echo(problem, err=True)
        raise


@contextlib.contextmanager
def batch_stream(
    sink: TextIO, fmt: str, columns: Sequence[str], fields: Sequence[str] | None
) -> Iterator[tuple[Any, str]]:
    """(stream, format for the service) of a batch writing *columns*.

    ``--format json`` is one JSON array, streamed, made of the NDJSON rows the service
    writes, closed only when the batch ends without an error (``--out``'s temporary file
    is then dropped whole). ``--fields`` keeps those columns (an unknown one is exit 2
    before any work).
    """
    from inami_cli.render import FieldSink, JsonArraySink

    stream: Any = sink
    array = None
    if fmt == "json":
        stream = array = JsonArraySink(sink)
    if fields:
        stream = FieldSink(stream, fmt, columns, fields)
    yield stream, "ndjson" if fmt == "json" else fmt
    if array is not None:
        array.close()


def job_summary(
    st: AppState,
    *,
    rows: int,
    ok: int,
    refused: int = 0,
    rejected: int = 0,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The summary object: the shared keys, then the job's own counts."""
    counts: dict[str, Any] = {
        "rows": rows,
        "ok": ok,
        "refused": refused,
        "rejected": rejected,
        "warnings": st.warnings,
        "seconds": round(time.monotonic() - st.started, 3),
    }
    for key, value in (extra or {}).items():
        counts.setdefault(key, value)
    return counts


def summary_text(counts: Mapping[str, Any], detail: str = "") -> str:
    """The summary as one line for a person: the shared keys, then *detail*."""
    text = (
        f"{counts['rows']} rows: {counts['ok']} ok, {counts['refused']} refused, "
        f"{counts['rejected']} rejected, {counts['warnings']} warnings, "
        f"{counts['seconds']:.2f} s"
    )
    return f"{text}; {detail}" if detail else text


def print_summary(st: AppState, counts: Mapping[str, Any], detail: str = "") -> None:
    """Print the summary where the contract says (module docstring)."""
    from inami_cli.domain.jsonfmt import dumps

    st.flush_warnings()
    if st.summary_json:
        sys.stdout.write(dumps(dict(counts)) + "\n")
    elif st.output_format in ("json", "ndjson"):
        typer.echo(dumps(dict(counts)), err=True)
    else:
        st.info(summary_text(counts, detail))


def finish_batch(
    st: AppState,
    counts: Mapping[str, Any],
    detail: str = "",
    *,
    fail_on_refused: bool = False,
) -> None:
    """Print the summary, then exit 2 if a row was rejected, 1 if one was refused and
    ``--fail-on-refused`` was given; else return (exit 0)."""
    print_summary(st, counts, detail)
    sys.stdout.flush()
    if counts["rejected"]:
        typer.echo(
            f"inami: error: {counts['rejected']} malformed row(s) rejected (FILE:LINE in the "
            "warnings); the other rows were processed",
            err=True,
        )
        raise typer.Exit(2)
    if fail_on_refused and counts["refused"]:
        raise typer.Exit(1)


__all__ = [
    "SUMMARY_KEYS",
    "FailOnRefusedOpt",
    "batch_stream",
    "finish_batch",
    "job_summary",
    "print_summary",
    "summary_text",
]
