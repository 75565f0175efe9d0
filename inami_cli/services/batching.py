"""Chunked batches, on worker processes for big inputs, with output in the input's order.

The batches (``reimburse batch``, ``insured batch``) load their reference data once and
then spend their time on pure per-row work: every row is independent of the others
(``--record``, whose rows change the history of later rows, stays in one process). Such
work splits into chunks of lines; each chunk is turned into its output text, its
warnings and its counts by one function, the same in one process or in workers.

Workers are forked after the reference data is loaded, so they share it (copy-on-write)
instead of loading it again; at most a few chunks are in flight, so memory stays flat
whatever the input's size. The first ``INAMI_BATCH_MIN_ROWS`` lines are done in this
process: a small input never pays for starting workers, and the answer caches warmed on
them are inherited by the workers.

Settings (environment, for tests and tuning): ``INAMI_BATCH_CHUNK`` lines per chunk,
``INAMI_BATCH_MIN_ROWS`` lines done here before workers start (0: workers from the first
chunk), ``INAMI_BATCH_WORKERS`` number of workers (default: the usable CPUs, at most 4;
1 disables them).
"""

from __future__ import annotations

import csv
import gc
import os
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

from inami_cli.services.workers import Crew, answer, serve_calls

T = TypeVar("T")

DEFAULT_CHUNK = 10_000
DEFAULT_MIN_ROWS = 150_000  # under this, starting workers costs more than it saves
MAX_WORKERS = 4
IN_FLIGHT = 2  # chunks sent to a worker ahead: enough to keep it busy, few for flat memory


def env_int(name: str, default: int, minimum: int) -> int:
    """An integer setting from the environment (at least *minimum*; *default* when unset
    or not a number)."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        return max(int(text), minimum)
    except ValueError:
        return default


def worker_count() -> int:
    """Worker processes for a big input: ``INAMI_BATCH_WORKERS`` (1: none), else the usable
    CPUs (this process's affinity), at most ``MAX_WORKERS``. The one policy of every batch
    and of ``control audit``. No guess from the load average: the 1-minute average still
    holds the previous command's load (one worker after a busy minute), and the kernel
    shares busy cores anyway; a busy machine is the reason for the override."""
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        usable = os.cpu_count() or 1
    return env_int("INAMI_BATCH_WORKERS", min(usable, MAX_WORKERS), 1)


def chunk_size(default: int = DEFAULT_CHUNK) -> int:
    """Lines per chunk (``INAMI_BATCH_CHUNK``; else *default*)."""
    return env_int("INAMI_BATCH_CHUNK", default, 1)


def line_chunks(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    """Lists of *size* lines (the last one shorter)."""
    source = iter(lines)
    while chunk := list(islice(source, size)):
        yield chunk


def csv_chunks(lines: Iterable[str], size: int, delimiter: str = ",") -> Iterator[list[str]]:
    """Lists of about *size* lines that each end with a whole CSV record.

    A quoted field may hold line breaks: a chunk holding a quote is parsed, and its last
    record (perhaps cut in the middle) goes to the next chunk. Each chunk then starts in
    the state the whole file's reader would be in, so reading chunk by chunk gives the
    same rows and line numbers as reading the file in one go.
    """
    source = iter(lines)
    carry: list[str] = []
    while True:
        fresh = list(islice(source, size))
        chunk = carry + fresh if carry else fresh
        if not fresh:
            if chunk:
                yield chunk
            return
        if '"' not in "".join(chunk):
            carry = []
            yield chunk
            continue
        reader = csv.reader(chunk, delimiter=delimiter)
        ends = [reader.line_num for _ in reader]
        if len(ends) < 2:  # one record so far, maybe incomplete: read more first
            carry = chunk
            continue
        cut = ends[-2]
        carry = chunk[cut:]
        yield chunk[:cut]


def run_chunks(
    chunks: Iterator[list[str]],
    first_line: int,
    work: Callable[[list[str], int], T],
    emit: Callable[[T], None],
    *,
    parallel: bool = True,
    before_fork: Callable[[], None] | None = None,
    min_rows: int = DEFAULT_MIN_ROWS,
) -> None:
    """``emit(work(chunk, line number of its first line))`` for every chunk, in order.

    With *parallel*, once *min_rows* lines (``INAMI_BATCH_MIN_ROWS`` when set) are done
    here, the remaining chunks go to forked workers; ``emit`` always runs here, in the
    chunks' order. *before_fork* loads what the workers should share rather than each load;
    a batch whose reference data is small forks sooner (a lower *min_rows*).
    """
    # The per-row work makes no reference cycles, but millions of short-lived objects
    # next to a big heap of reference data: the cyclic collector would rescan that heap
    # again and again for nothing (reference counting frees what the rows drop).
    enabled = gc.isenabled()
    gc.disable()
    try:
        _run_chunks(
            chunks, first_line, work, emit,
            parallel=parallel, before_fork=before_fork, min_rows=min_rows,
        )  # fmt: skip
    finally:
        if enabled:
            gc.enable()


def _run_chunks(
    chunks: Iterator[list[str]],
    first_line: int,
    work: Callable[[list[str], int], T],
    emit: Callable[[T], None],
    *,
    parallel: bool,
    before_fork: Callable[[], None] | None,
    min_rows: int,
) -> None:
    min_rows = env_int("INAMI_BATCH_MIN_ROWS", min_rows, 0)
    line = first_line
    done = 0
    workers = worker_count() if parallel else 1
    pending: list[str] | None = None
    for chunk in chunks:
        if workers > 1 and done >= min_rows:
            pending = chunk
            break
        emit(work(chunk, line))
        line += len(chunk)
        done += len(chunk)
    if pending is None:
        return
    if before_fork is not None:
        before_fork()
    _parallel(pending, chunks, line, work, emit, workers)


def _parallel(
    head: list[str],
    chunks: Iterator[list[str]],
    line: int,
    work: Callable[[list[str], int], T],
    emit: Callable[[T], None],
    workers: int,
) -> None:
    """The chunks dealt in turn to *workers* forked processes (``services.workers``), each
    ``IN_FLIGHT`` chunks ahead; their answers emitted in the same turn, so in order."""
    # Objects that exist now live for the whole batch: moved out of the collector's
    # reach, the workers' collections do not touch (and so copy) their shared pages.
    gc.freeze()
    try:
        with Crew(workers, serve_calls(work)) as crew:
            sent = received = 0
            for chunk in _prepend(head, chunks):
                crew.send(sent % workers, (chunk, line))
                line += len(chunk)
                sent += 1
                if sent - received >= workers * IN_FLIGHT:
                    emit(answer(crew.receive(received % workers)))
                    received += 1
            while received < sent:
                emit(answer(crew.receive(received % workers)))
                received += 1
    finally:
        gc.unfreeze()


def _prepend(head: list[str], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    yield head
    yield from rest
