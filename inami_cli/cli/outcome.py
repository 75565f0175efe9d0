"""How a command ends when it does not end well: an error as one line on stderr, Ctrl-C
(130) and SIGTERM (143), and foreign exceptions mapped to the documented exit codes.

``cli.app.run`` is the one place that calls these (house issue 13: one place where
exceptions become exit codes); they live here to keep ``cli/app.py`` readable.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import NoReturn

from inami_cli.cli.context import changes_saved
from inami_cli.domain.errors import ExitStatus, InamiError


def map_foreign(exc: Exception) -> InamiError | None:
    """Database driver errors raised outside a session, as ``DatabaseError``."""
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):
            from inami_cli.cli.context import state
            from inami_cli.db.engine import describe_db_error

            st = state()
            return describe_db_error(exc, st.db_url or "", 0)
    if "csv" in sys.modules:
        import csv

        if isinstance(exc, csv.Error):  # e.g. a field over csv.field_size_limit (128 KiB)
            from inami_cli.domain.errors import InvalidInput

            return InvalidInput(f"malformed CSV input: {exc}", hint="check the file's format")
    if isinstance(exc, (UnicodeDecodeError, UnicodeEncodeError)):
        from inami_cli.domain.errors import InvalidInput

        return InvalidInput(f"encoding error: {exc}")
    if isinstance(exc, OSError):
        from inami_cli.domain.errors import InvalidInput

        return InvalidInput(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    return None


class Terminated(SystemExit):
    """SIGTERM (a service manager, ``kill``, a cron timeout): raised where the command is,
    it unwinds as Ctrl-C does (transactions rolled back, ``--out`` temporary files removed,
    batch workers ended), then ``run`` says so on stderr and returns 143 (128 + 15).

    A ``SystemExit`` (not a ``KeyboardInterrupt``): no prompt or desk loop takes it for a
    Ctrl-C that goes back to the menu.
    """


def on_sigterm(signum: int, _frame: object) -> NoReturn:
    raise Terminated(128 + signum)


def terminated_exit() -> int:
    """SIGTERM: exit 143 with one line, unless it came after the changes were committed
    (then they are kept, and the command says so: as Ctrl-C, ``interrupted``)."""
    if changes_saved():
        sys.stderr.write("inami: terminated after the changes were saved (they are kept)\n")
        return int(ExitStatus.OK)
    error_line("terminated (SIGTERM); nothing was saved")
    return int(ExitStatus.TERMINATED)


def interrupted() -> int:
    """Ctrl-C: exit 130, unless it came after the command's changes were committed."""
    sys.stderr.write("\n")
    if changes_saved():  # nothing to undo: say what is true
        sys.stderr.write("inami: interrupted after the changes were saved (they are kept)\n")
        return int(ExitStatus.OK)
    error_line("interrupted")
    return int(ExitStatus.INTERRUPTED)


def error_line(message: str, hint: str | None = None) -> None:
    text = f"inami: error: {message}"
    if hint:
        text += f" (hint: {hint})"
    # One line, whatever the message quotes back from the input: splitlines() also breaks on
    # \r, \x0b, \x1c-\x1e, \x85, U+2028 and U+2029, which readers of stderr count as lines.
    text = " ".join(text.splitlines())
    from inami_cli.domain.cells import neutralise  # and no terminal escape sequence

    text = neutralise(text)
    if "inami_cli.render.terminal" in sys.modules:  # the output held for the pager first
        from inami_cli.cli.context import finish_output

        finish_output()
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass


@contextlib.contextmanager
def sigint_ignored() -> Iterator[None]:
    """Ctrl-C ignored for the block (the main thread only; the handler put back after).

    For the clean-up once the command's answer is decided: a ``KeyboardInterrupt`` that
    lands inside SQLAlchemy's pool while it closes a connection is caught and logged there,
    with a traceback on stderr (seen once in five fresh-clone runs of the interrupt tests).
    """
    import signal
    import threading

    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous is None:
        yield
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def leave(code: int) -> NoReturn:
    """End the process with *code* once the command is over (its connections closed by
    ``run``): the exit handlers run and the output is flushed, as ``sys.exit`` would,
    but the interpreter does not then free every module and object one by one, which
    took 0.25-0.3 s of CPU after any command that loaded SQLAlchemy (a third of a small
    import's time, issue 19). Nothing of the command's is left to finalize: no thread
    that must finish (the desk's journal is closed before), no file left unwritten."""
    import atexit
    import contextlib
    import os

    if sys.getprofile() is not None or sys.gettrace() is not None:
        # under a profiler or a tracer (``python -m cProfile -m inami_cli``, a debugger):
        # it reports once the program returns, so leave the usual way
        sys.exit(code)
    atexit._run_exitfuncs()  # (sys.exit's handlers: logging, tempfile, coverage)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream
            stream.flush()
    os._exit(code)
