"""What the terminal allows: the width of tables, colour, and a pager for long output.

Each decision is a small function of the environment and of whether the stream is a
terminal, so that it is tested without one:

- width: a table is fitted to the terminal when stdout is one, or when ``COLUMNS`` is set
  (``shutil.get_terminal_size`` reads it first); a pipe or a file gets the whole table, as
  before (scripts and the frozen batch outputs see the same bytes); ``--wide``: never fitted.
- colour: only on a terminal, never with ``NO_COLOR`` set to anything (https://no-color.org)
  nor with ``TERM=dumb``; never in json, ndjson or csv (only tables are coloured).
- pager: as git and gh do, for table output on a terminal only: ``INAMI_PAGER``, else
  ``PAGER``, else ``less -FRX``; an empty ``INAMI_PAGER`` (or ``PAGER``) or ``--no-pager``
  turns it off. It starts only once the output is taller than the terminal: a short answer
  is printed as is.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Mapping
from typing import IO, Any, cast

__all__ = [
    "DEFAULT_PAGER",
    "PagedOutput",
    "colour_enabled",
    "pager_command",
    "table_width",
]

DEFAULT_PAGER = "less -FRX"


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def table_width(
    stream: Any, *, wide: bool = False, env: Mapping[str, str] | None = None
) -> int | None:
    """Columns a table written to *stream* must fit in; None: no limit."""
    env = os.environ if env is None else env
    if wide:
        return None
    columns = env.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if not _isatty(stream):
        return None
    return shutil.get_terminal_size().columns


def colour_enabled(stream: Any, *, env: Mapping[str, str] | None = None) -> bool:
    """Colour status words on *stream*: a terminal, no ``NO_COLOR``, not ``TERM=dumb``."""
    env = os.environ if env is None else env
    if "NO_COLOR" in env or env.get("TERM") == "dumb":
        return False
    return _isatty(stream)


def pager_command(
    stream: Any,
    *,
    fmt: str,
    no_pager: bool = False,
    env: Mapping[str, str] | None = None,
) -> list[str] | None:
    """The pager to run for output of format *fmt* on *stream*, or None for none."""
    env = os.environ if env is None else env
    if no_pager or fmt != "table" or not _isatty(stream) or env.get("TERM") == "dumb":
        return None
    text = env["INAMI_PAGER"] if "INAMI_PAGER" in env else env.get("PAGER", DEFAULT_PAGER)
    try:
        command = shlex.split(text)
    except ValueError:
        return None
    if not command or command[0] == "cat" or shutil.which(command[0]) is None:
        return None
    return command


class _PagerSink(io.RawIOBase):
    """Bytes held until they exceed the terminal's height, then sent to the pager."""

    def __init__(self, real: IO[bytes], command: list[str], height: int) -> None:
        self.real = real
        self.command = command
        self.height = height
        self.held: list[bytes] = []
        self.lines = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.sigint: Any = None  # SIGINT's handler before the pager started
        self.gone = False  # the pager quit before the end of the output (q, Ctrl-C)
        self.direct = False  # the held text went to the terminal: no pager any more

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        # the output still ends on the terminal: tables fit it, status words coloured
        return _isatty(self.real)

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        if self.process is not None and self.process.stdin is not None:
            if not self.gone:
                try:
                    self.process.stdin.write(chunk)
                except (BrokenPipeError, OSError):  # the reader quit: the rest is not wanted
                    self.gone = True
        elif self.direct:
            self.real.write(chunk)
            self.real.flush()
        else:
            self.held.append(chunk)
            self.lines += chunk.count(b"\n")
            if self.lines >= self.height:
                self._start()
        return len(chunk)

    def _start(self) -> None:
        env = dict(os.environ)
        env.setdefault("LESS", "FRX")  # as git: quit if one screen, colours, no clearing
        env.setdefault("LV", "-c")
        try:
            self.process = subprocess.Popen(self.command, stdin=subprocess.PIPE, env=env)
        except OSError:
            self.show_held()
            return
        # Ctrl-C while the pager runs is the pager's (it reaches the whole foreground process
        # group): inami ignores it until the pager quits, then ends quietly, exit 0, as git
        # does (git's pager.c: wait_for_pager, sigchain).
        with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
            self.sigint = signal.signal(signal.SIGINT, signal.SIG_IGN)
        assert self.process.stdin is not None
        held, self.held = b"".join(self.held), []
        self.write(held)

    def show_held(self) -> None:
        """Print what is held and stop paging (a message is about to go to stderr)."""
        if self.process is None:
            self.direct = True
            if self.held:
                self.real.write(b"".join(self.held))
                self.held = []
            self.real.flush()

    def finish(self) -> None:
        """The end of the output: print what is held, or wait for the pager to quit."""
        if self.process is None:
            self.show_held()
            return
        with contextlib.suppress(BrokenPipeError, OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        # Ctrl-C in the pager is the pager's: wait for it to quit (git does the same)
        try:
            self.process.wait()
        finally:
            if self.sigint is not None:
                signal.signal(signal.SIGINT, self.sigint)
                self.sigint = None


class PagedOutput:
    """``sys.stdout`` routed through a pager for the rest of a command (``start``/``stop``)."""

    def __init__(self, command: list[str], height: int) -> None:
        self.saved = sys.stdout
        self.saved.flush()
        self.sink = _PagerSink(self.saved.buffer, command, max(height - 1, 1))
        self.stream = io.TextIOWrapper(
            cast(Any, self.sink),  # raw bytes written through: no buffer in between
            encoding=self.saved.encoding,
            errors=self.saved.errors,
            write_through=True,
        )
        sys.stdout = self.stream

    def show_held(self) -> None:
        """Flush the held output to the terminal (before a message on stderr)."""
        with contextlib.suppress(ValueError):
            self.stream.flush()
        self.sink.show_held()

    def stop(self) -> None:
        """Restore ``sys.stdout``; print what is held or wait for the pager."""
        if sys.stdout is self.stream:
            sys.stdout = self.saved
        with contextlib.suppress(BrokenPipeError, ValueError, OSError):
            self.stream.flush()
        try:
            self.sink.finish()
        finally:
            with contextlib.suppress(BrokenPipeError, ValueError, OSError):
                self.stream.detach()
