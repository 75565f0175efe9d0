"""Progress of long work on a terminal: a bar on stderr with rows, rows/s and the ETA.

Shown only when stderr is a terminal, without ``--quiet``, ``NO_COLOR`` or ``TERM=dumb``
(``enabled``); otherwise every call is a no-op and rich is never imported. The work reports
either the bytes and lines read so far (a file: the bar follows the bytes, whose total is
known, while the rate counts rows) or rows done of a known total (indexation). Updates are
throttled: a report costs one clock read unless a tenth of a second has passed, so a batch
that reports every block of 64 KiB is not measurably slower.
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import IO, Any

_EVERY = 0.1  # seconds between two redraws


def enabled(*, quiet: bool) -> bool:
    """Progress is for a person at a terminal: not piped, not quiet, not a dumb terminal."""
    if quiet or "NO_COLOR" in os.environ or os.environ.get("TERM", "") == "dumb":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """A progress bar on stderr (``with Progress(...) as bar: bar.read(b, n)``).

    *total_bytes*: the input's size when known (a file, not a pipe); *total*: the rows of
    work when known in advance. Without either, the bar pulses and shows rows and rows/s.
    """

    def __init__(
        self,
        label: str,
        *,
        show: bool,
        total_bytes: int | None = None,
        total: int | None = None,
    ) -> None:
        self.label = label
        self.show = show
        self.total_bytes = total_bytes or None
        self.total = total
        self.rows_done = 0
        self._start = time.monotonic()
        self._last = 0.0
        self._bar: Any = None
        self._task: Any = None

    # ------------------------------------------------------------------ lifetime
    def __enter__(self) -> Progress:
        if self.show:
            self._start_bar()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        console = Console(file=sys.stderr, highlight=False)
        self._bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rows]} rows, {task.fields[rate]} rows/s"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=True,  # the summary line replaces it
            refresh_per_second=10,
        )
        total = self.total_bytes if self.total_bytes is not None else self.total
        self._task = self._bar.add_task(self.label, total=total, rows="0", rate="-")
        self._bar.start()

    def close(self) -> None:
        """Remove the bar (the command's summary line follows)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    # ------------------------------------------------------------------ reports
    def read(self, done_bytes: int, rows: int) -> None:
        """*done_bytes* of the input read, *rows* lines so far (a hook of ``text_lines``)."""
        self.rows_done = rows
        if self._bar is not None:
            now = time.monotonic()
            if now - self._last >= _EVERY:
                self._last = now
                completed = done_bytes if self.total_bytes is not None else rows
                self._draw(completed, now)

    def rows(self, done: int, total: int | None = None) -> None:
        """*done* rows of work of *total* (the total may come late: given with a report)."""
        self.rows_done = done
        if self._bar is not None:
            now = time.monotonic()
            if total is not None and total != self.total:
                self.total = total
                self._bar.update(self._task, total=total)
            if now - self._last >= _EVERY or (total is not None and done >= total):
                self._last = now
                self._draw(done, now)

    def wrap(self, binary: IO[bytes]) -> IO[bytes]:
        """*binary* as is, or (with a bar) counting what is read of it (``readlines``)."""
        return binary if self._bar is None else _Counting(binary, self)  # type: ignore[return-value]

    def print(self, text: str) -> None:
        """A message line above the bar (or plain on stderr without one)."""
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            sys.stderr.write(text + "\n")

    @property
    def active(self) -> bool:
        """True while the bar is on screen."""
        return self._bar is not None

    def _draw(self, completed: int, now: float) -> None:
        elapsed = max(now - self._start, 1e-6)
        self._bar.update(
            self._task,
            completed=completed,
            rows=f"{self.rows_done:,}".replace(",", " "),
            rate=f"{self.rows_done / elapsed:,.0f}".replace(",", " "),
        )


class _Counting:
    """A binary stream that reports the bytes and lines read through ``readlines``."""

    def __init__(self, binary: IO[bytes], bar: Progress) -> None:
        self._binary = binary
        self._bar = bar
        self._bytes = 0
        self._lines = 0

    def readlines(self, hint: int = -1) -> list[bytes]:
        block = self._binary.readlines(hint)
        self._bytes += sum(map(len, block))
        self._lines += len(block)
        self._bar.read(self._bytes, self._lines)
        return block

    def __getattr__(self, name: str) -> Any:
        return getattr(self._binary, name)


__all__ = ["Progress", "enabled"]
