"""Per-command state: global options, settings, database sessions, output helpers.

Commands get it with ``state()``. Nothing here imports the database layer at module level
(start-up time): the engine is built on first use.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from inami_cli.cli.collector import resume_gc
from inami_cli.domain.errors import DatabaseError, InamiError, MissingValue

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

    from inami_cli.config import Settings
    from inami_cli.render.progress import Progress
    from inami_cli.render.terminal import PagedOutput

T = TypeVar("T")


@dataclass
class AppState:
    """Global options of one ``inami`` invocation and what is built from them."""

    config_path: Path | None = None
    db_url: str | None = None
    fmt: str | None = None
    table_style: str | None = None
    no_input: bool = False
    quiet: bool = False
    verbose: bool = False
    wide: bool = False
    no_pager: bool = False
    fields_given: tuple[str, ...] | None = None  # --fields a,b,c: the output columns
    summary_json: bool = False  # --summary-json: a long job's summary as JSON on stdout
    wait_ms: int | None = None  # --wait SECONDS (or $INAMI_BUSY_TIMEOUT_MS), in ms
    argv: Sequence[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)  # a long job's "seconds"
    _fields_read: bool = False
    _settings: Settings | None = None
    _engine: Engine | None = None
    _progress: Progress | None = None
    _warned: int = 0
    warnings: int = 0  # every warning of the command, shown or not (a job's summary)
    _hidden: dict[str, int] = field(default_factory=dict)
    _pager: PagedOutput | None = None
    _emitted: bool = False

    @property
    def fields(self) -> tuple[str, ...] | None:
        """``--fields``, for the output writers (reading it marks it as applied: a command
        whose output has fixed columns never reads it, and ``run`` then says so)."""
        self._fields_read = True
        return self.fields_given

    def fields_ignored(self) -> bool:
        """``--fields`` was given and no output writer read it."""
        return self.fields_given is not None and not self._fields_read

    # ------------------------------------------------------------------ settings
    @property
    def settings(self) -> Settings:
        """The effective configuration (read once)."""
        if self._settings is None:
            from inami_cli.config import WARNINGS, load_settings

            self._settings = load_settings(self.config_path)
            for warning in WARNINGS:
                self.warn(warning)
            WARNINGS.clear()
        return self._settings

    @property
    def output_format(self) -> str:
        """``--format`` if given, else the configuration (and ``$INAMI_FORMAT``)."""
        return self.fmt or str(self.settings.get("output.format"))

    @property
    def style(self) -> str:
        return self.table_style or str(self.settings.get("output.table_style"))

    @property
    def busy_timeout_ms(self) -> int:
        """How long to wait for another writer: ``--wait``, else ``$INAMI_BUSY_TIMEOUT_MS``
        (read by the configuration), else ``database.busy_timeout_ms``."""
        return self.wait_ms if self.wait_ms is not None else self.settings.busy_timeout_ms

    @property
    def database_url(self) -> str:
        return self.db_url or self.settings.database_url

    @property
    def language(self) -> str:
        return self.settings.language

    # ------------------------------------------------------------------ database
    def engine(self, *, create: bool = False) -> Engine:
        """The engine for the configured database (created on first use)."""
        if self._engine is None:
            from inami_cli.config import check_database_url
            from inami_cli.db.engine import make_engine

            check_database_url(self.database_url)  # --db and $INAMI_DATABASE_URL too
            self._engine = make_engine(
                self.database_url, busy_timeout_ms=self.busy_timeout_ms, create=create
            )
            _OPEN_ENGINES.append(self._engine)
        return self._engine

    @contextmanager
    def session(self, *, write: bool = False, check_schema: bool = True) -> Iterator[Session]:
        """One transaction for the whole command; committed at the end, rolled back on error.

        Driver errors become a one-line ``DatabaseError`` (exit 6), passwords masked.
        """
        from inami_cli.db.engine import ensure_schema, fault_point_after_commit, transaction

        resume_gc()  # work that may run long (see pause_gc_for_start_up)
        if write:
            from inami_cli.services.audit import set_actor

            settings = self.settings
            set_actor(settings.operator, self.command_line(), settings.declared_operator)
        with self._database_errors():
            engine = self.engine()
            if check_schema:
                ensure_schema(engine)
            # the commit and its record in ``_SAVED`` are one step for a Ctrl-C
            record = partial(_SAVED.append, self.command_line()) if write else None
            with transaction(engine, write=write, committed=record) as session:
                yield session
            if write:
                fault_point_after_commit()

    @contextmanager
    def reader(self) -> Iterator[Connection]:
        """A read-only transaction on a Core connection, for the one-shot reads (``reimburse
        CODE``, ``insured NISS``, ``nomenclature show|search``): the services' read
        functions take it as their ``session``, and the command imports no SQLModel
        (a third of its cold start, issue 19). Errors as ``session``."""
        from inami_cli.db.engine import ensure_schema, read_transaction

        with self._database_errors():
            engine = self.engine()
            ensure_schema(engine)
            with read_transaction(engine) as connection:
                yield connection

    @contextmanager
    def _database_errors(self) -> Iterator[None]:
        """Driver errors as a one-line ``DatabaseError`` (exit 6), passwords masked."""
        from sqlalchemy.exc import DBAPIError

        try:
            yield
        except DBAPIError as exc:
            from inami_cli.db.engine import describe_db_error

            raise describe_db_error(exc, self.database_url, self.busy_timeout_ms) from None

    @property
    def logs_consultations(self) -> bool:
        """``[audit] log_consultations``: reads of a person's data are logged (a read
        command then opens a write transaction for its log row)."""
        return bool(self.settings.get("audit.log_consultations"))

    def log_read(self, session: Session, subject: str, answer: Any) -> None:
        """Log a read of a person's data when ``[audit] log_consultations`` is on."""
        if self.logs_consultations:
            from inami_cli.services.audit import log_consultation

            record = answer if isinstance(answer, Mapping) else {"rows": list(answer)}
            log_consultation(session=session, subject=subject, answer=record)

    def log_read_after(self, subject: str, answer: Any) -> None:
        """Once the answer is shown: log a read of a person's data when ``[audit]
        log_consultations`` is on (issue 20), through the desk's journal: the answer was read
        in a read-only transaction, and the log line is written in a write transaction of
        its own; a database too busy to take it never held the answer, the line waits in the
        spool file and is written by the next command that logs (or desk session)."""
        if not self.logs_consultations:
            return
        from inami_cli.desk.journal import ConsultationJournal, default_spool

        record = dict(answer) if isinstance(answer, Mapping) else {"rows": list(answer)}
        journal = ConsultationJournal(
            lambda write: self.session(write=write), spool=default_spool()
        )
        journal.add(subject, record)
        spooled = journal.close()
        if spooled:
            self.warn(
                f"{spooled} consultation log line(s) could not be written (database busy): "
                f"kept in {default_spool()}, written by the next command that logs"
            )

    def command_line(self) -> str:
        """The command line, for the audit log, with passwords masked."""
        from inami_cli.config import mask_url

        return mask_url(" ".join(["inami", *(shlex.quote(a) for a in self.argv)]))

    # ------------------------------------------------------------------ prompting
    def can_prompt(self) -> bool:
        """Prompts only on a terminal and without ``--no-input``."""
        return not self.no_input and sys.stdin.isatty() and sys.stdout.isatty()

    def require(self, value: T | None, flag: str, ask: Callable[[], T] | None = None) -> T:
        """*value* if given; else ask (on a terminal) or fail with exit 2 naming *flag*."""
        if value is not None:
            return value
        if ask is not None and self.can_prompt():
            answer = ask()
            if answer is None:  # questionary returns None on Ctrl-C
                raise KeyboardInterrupt
            return answer
        raise MissingValue(f"missing value: pass {flag}")

    # ------------------------------------------------------------------ output
    def emit(
        self,
        data: Sequence[Mapping[str, Any]] | Mapping[str, Any],
        *,
        columns: Sequence[str] | None = None,
        wrap: bool = False,
        drop: Sequence[str] = (),
    ) -> None:
        """Print data on stdout in the chosen format (a table fitted to the terminal, its
        status words coloured there, long output through the pager: ``render.terminal``).

        *wrap*: a table's long text wraps over several lines instead of being cut with ``…``
        (an explanation, where every word counts); *drop*: the columns a table too wide
        for the terminal leaves out first, least valuable first (``render.table``)."""
        from inami_cli.render import render

        fmt = self.output_format
        if fmt != "table":
            render(data, fmt=fmt, columns=columns, table_style=self.style, fields=self.fields)
            return
        from inami_cli.render.terminal import colour_enabled, table_width

        self._start_pager()
        self._emitted = True
        render(
            data,
            fmt=fmt,
            columns=columns,
            table_style=self.style,
            width=table_width(sys.stdout, wide=self.wide),
            colour=colour_enabled(sys.stdout),
            wrap=wrap,
            fields=self.fields,
            drop=() if self.fields_given else drop,  # columns asked for are never dropped
        )

    def heading(self, title: str) -> None:
        """The title of the next table of a view with several (tables only), after a blank
        line when something was printed before it."""
        if self.output_format != "table":
            return
        self._start_pager()
        sys.stdout.write(f"\n{title}:\n" if self._emitted else f"{title}:\n")
        self._emitted = True

    def say(self, text: str, *, indent: str = "", hanging: str = "") -> None:
        """A line of prose on stdout (the answer itself) after *indent*, wrapped to the
        terminal's width like a table (``render.terminal``), its next lines after *hanging*."""
        from inami_cli.render.table import text_width
        from inami_cli.render.terminal import table_width

        self._start_pager()
        self._emitted = True
        width = None if self.output_format != "table" else table_width(sys.stdout, wide=self.wide)
        if width is not None and text_width(indent + text) > width:
            import textwrap

            lines = textwrap.wrap(
                text, width=width, initial_indent=indent, subsequent_indent=indent + hanging
            )
            text = "\n".join(lines)
        else:
            text = indent + text
        typer.echo(text)

    def _start_pager(self) -> None:
        """Route stdout through the pager on the first table (``render.terminal``)."""
        if self._pager is not None or self._emitted:
            return
        from inami_cli.render.terminal import PagedOutput, pager_command

        command = pager_command(sys.stdout, fmt=self.output_format, no_pager=self.no_pager)
        if command is not None:
            import shutil

            self._pager = PagedOutput(command, shutil.get_terminal_size().lines)
            _PAGERS.append(self._pager)

    def _before_stderr(self) -> None:
        # a message on stderr while stdout is held for the pager: stdout first, no pager
        if self._pager is not None:
            self._pager.show_held()

    def one_table(self, what: str) -> None:
        """Refuse ``--format csv`` for a view made of several tables, before any work: one
        CSV is one table (issue 17); the message names ``--format json`` (exit 2)."""
        if self.output_format == "csv":
            from inami_cli.render import refuse_csv

            refuse_csv(what)

    def summary(self, counts: Mapping[str, Any], text: str) -> None:
        """End of an import (its report is its data): a JSON object on stdout with
        ``--format json`` or ``--summary-json``, else one line on stderr."""
        self.flush_warnings()
        if self.output_format in ("json", "ndjson") or self.summary_json:
            from inami_cli.domain.jsonfmt import dumps

            sys.stdout.write(dumps(self.job_counts(counts)) + "\n")
        else:
            self.info(text)

    def job_counts(self, counts: Mapping[str, Any]) -> dict[str, Any]:
        """*counts* after the keys every long job's summary starts with (issue 17): rows,
        ok (inserted + updated + unchanged for an import), refused, rejected, warnings,
        seconds."""
        done = sum(int(counts.get(k) or 0) for k in ("inserted", "updated", "unchanged"))
        rejected = int(counts.get("rejected") or 0)
        job: dict[str, Any] = {
            "rows": counts.get("rows", done + rejected),
            "ok": counts.get("ok", done),
            "refused": counts.get("refused", 0),
            "rejected": rejected,
            "warnings": self.warnings,
            "seconds": round(time.monotonic() - self.started, 3),
        }
        job.update((k, v) for k, v in counts.items() if k not in job)
        return job

    def info(self, message: str) -> None:
        """A message for the person (stderr), silenced by ``--quiet``."""
        if not self.quiet:
            self._before_stderr()
            typer.echo(message, err=True)

    def warn(self, message: str) -> None:
        """A warning (stderr); silenced by ``--quiet``.

        The first ``WARNINGS_SHOWN`` are printed as they come; the others are counted (by
        kind) and summed up once at the end of the command (``--verbose`` prints them all):
        an import with 17 000 identical warnings prints ten and a count, not 17 000 lines.
        """
        self.warnings += 1
        if self.quiet:
            return
        self._warned += 1
        if self._warned > WARNINGS_SHOWN and not self.verbose:
            kind = warning_kind(message)
            self._hidden[kind] = self._hidden.get(kind, 0) + 1
            if self._warned == WARNINGS_SHOWN + 1:
                _at_close(self.flush_warnings)
            return
        # one line, as errors (see cli.outcome.error_line): input quoted back may hold line breaks
        self._say(" ".join(f"inami: warning: {message}".splitlines()))

    def flush_warnings(self) -> None:
        """The count of the warnings not shown (once; before a long job's summary)."""
        hidden = sum(self._hidden.values())
        if not hidden:
            return
        kinds = sorted(self._hidden.items(), key=lambda item: -item[1])
        self._hidden = {}
        self._say(
            f"inami: warning: {hidden} more warning(s) not shown ({self._warned} in all; "
            "--verbose shows every one)"
        )
        for kind, count in kinds[:5]:
            self._say(f"inami: warning:   {count} × {kind}")
        if len(kinds) > 5:
            self._say(f"inami: warning:   ... and {len(kinds) - 5} other kind(s)")

    def _say(self, text: str) -> None:
        self._before_stderr()
        if self._progress is not None and self._progress.active:
            self._progress.print(text)  # above the bar
        else:
            typer.echo(text, err=True)

    def progress_enabled(self) -> bool:
        """Progress on stderr only for a person at a terminal (``render.progress``)."""
        from inami_cli.render.progress import enabled

        return enabled(quiet=self.quiet)

    def progress(
        self, label: str, *, path: str | None = None, total: int | None = None
    ) -> Progress:
        """A progress bar for long work (a no-op unless ``progress_enabled``).

        *path*: the input file (its size drives the bar); *total*: rows of work known ahead.
        """
        from inami_cli.render.progress import Progress

        resume_gc()  # a long job (see pause_gc_for_start_up)
        size = None
        if path is not None and path != "-":
            try:
                size = os.path.getsize(path)
            except OSError:
                size = None
        self._progress = Progress(
            label, show=self.progress_enabled(), total_bytes=size, total=total
        )
        return self._progress


WARNINGS_SHOWN = 10
_PLACE = re.compile(r"^[^\s:]*(?::\d+)+: ")  # FILE:LINE: at the start of a warning
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")


def warning_kind(message: str) -> str:
    """A warning without its place and numbers: warnings of one kind count together."""
    return _NUMBER.sub("#", _PLACE.sub("", message, count=1))


def _at_close(callback: Callable[[], None]) -> None:
    """Run *callback* when the command ends (its root context closes), or never."""
    ctx = typer.get_current_context(silent=True) if hasattr(typer, "get_current_context") else None
    if ctx is None:
        from typer._click.globals import get_current_context

        ctx = get_current_context(silent=True)
    if ctx is not None:
        ctx.find_root().call_on_close(callback)


_FALLBACK = AppState()
_OPEN_ENGINES: list[Engine] = []
_SAVED: list[str] = []  # one entry per write transaction committed by this command
_PAGERS: list[PagedOutput] = []  # the pager of this command, if it started one


def finish_output() -> None:
    """The command's end (``run``): the output held for the pager printed, or the pager
    waited for, and ``sys.stdout`` restored."""
    while _PAGERS:
        _PAGERS.pop().stop()


def changes_saved() -> bool:
    """True when this command committed a write transaction (a Ctrl-C after it does not
    undo anything: the command reports the changes as saved)."""
    return bool(_SAVED)


def forget_saved() -> None:
    """Start a new command (``run`` calls it first: the tests run many in one process)."""
    _SAVED.clear()


def dispose_engines() -> None:
    """Close every connection opened by this command.

    Closing the last SQLite connection checkpoints the WAL into the database file, so the
    file is complete on its own between commands. SQLite says nothing when that fails (a
    full disk): after a write the checkpoint is run here first, and a failure is reported
    (the changes are safe in the WAL, which must stay beside the database file).
    """
    while _OPEN_ENGINES:
        engine = _OPEN_ENGINES.pop()
        if _SAVED:
            from inami_cli.db.engine import checkpoint

            problem = checkpoint(engine)
            if problem is not None:
                state().warn(problem)
        engine.dispose()


def state() -> AppState:
    """The state of the running command."""
    ctx = typer.get_current_context(silent=True) if hasattr(typer, "get_current_context") else None
    if ctx is None:
        from typer._click.globals import get_current_context

        ctx = get_current_context(silent=True)
    if ctx is None:
        return _FALLBACK
    obj = ctx.find_root().obj
    return obj if isinstance(obj, AppState) else _FALLBACK


def fail(error: InamiError) -> None:
    """Raise *error* (for use in expressions)."""
    raise error


__all__ = ["AppState", "DatabaseError", "fail", "state"]
