"""A big billing file audited on worker processes, with the output in the file's order.

The audit of a line reads the patient's earlier lines (frequency, cumulation,
prerequisite): lines cannot go to whichever worker is free, as the batches' chunks do
(``services.batching``). Here every worker sees every chunk and audits only its share
(``_Share``: by the NISS for the acts whose history a rule reads, by the code for the
others); the chunk's findings of all workers are merged back by line number. The first
``INAMI_BATCH_MIN_ROWS`` lines (default 20 000; none for a regular file of more than
twice that: ``_big_file``) are audited here, the workers being forked afterwards: they
inherit the loaded reference data and the history built so far (copy-on-write). A worker
reads a regular file itself (``_reopenable``, ``_read_work``): the same chunks, those
the parent audited skipped, so that the parent neither decodes nor sends the rest; from
standard input or a pipe the parent deals every chunk to every worker
(``_dealt``). ``INAMI_BATCH_WORKERS`` (the batches' one policy,
``services.batching.worker_count``) and ``INAMI_BATCH_CHUNK`` are the batches' settings.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable, Iterator
from datetime import date
from itertools import islice
from typing import IO, Any, NamedTuple

from sqlmodel import Session

from inami_cli.domain.errors import FileErrors, InamiError
from inami_cli.domain.niss import compact_niss
from inami_cli.services.control._audit import (
    AuditSummary,
    LineAudit,
    _Auditor,
    audit_lines,
    open_billing,
)
from inami_cli.services.control._context import AuditContext, _bounded, reference_frozen
from inami_cli.services.workers import Crew, Link

DEFAULT_MIN_ROWS = 20_000
IN_FLIGHT = 2  # chunks sent ahead of the one being merged


def _merge(summary: AuditSummary, part: AuditSummary) -> None:
    summary.lines += part.lines
    summary.lines_with_findings += part.lines_with_findings
    summary.findings += part.findings
    summary.errors += part.errors
    summary.claimed += part.claimed
    summary.undue += part.undue
    for code, n in part.by_rule.items():
        summary.by_rule[code] = summary.by_rule.get(code, 0) + n


class _Share:
    """Which worker audits a record. A line of an act whose care a rule of a later line can
    read (``AuditContext.history_relevant``) goes by its NISS: all of a patient's such
    lines, in order, to one worker, with the history they build. Any other line neither
    reads nor adds history: it goes by its code, so that each worker computes the engine's
    answers of its own codes only (by NISS, both would compute nearly every answer)."""

    def __init__(
        self, names: tuple[str | None, ...], index: int, workers: int, auditor: _Auditor
    ) -> None:
        self.niss = names.index("niss")
        self.code = names.index("code")
        self.width = len(names)
        self.index = index
        self.workers = workers
        self.ctx = auditor.ctx
        self.by_patient: dict[str, bool] = {}  # per code (a few thousand)

    def __call__(self, line: int, cells: list[str]) -> bool:
        if len(cells) != self.width:  # malformed: reported by one worker only
            return line % self.workers == self.index
        code = cells[self.code].strip()
        by_patient = self.by_patient.get(code)
        if by_patient is None:
            act = self.ctx.act(code)
            by_patient = act is not None and self.ctx.history_relevant(act)
            _bounded(self.by_patient)[code] = by_patient
        key = compact_niss(cells[self.niss].strip()) if by_patient else code
        return hash(key) % self.workers == self.index


def _audit_chunk(
    chunk: list[str], first: int, share: _Share, auditor: _Auditor,
    render: Callable[[LineAudit], str], delimiter: str, names: tuple[str | None, ...],
    filename: str,
) -> tuple[Any, ...]:  # fmt: skip
    """A worker's share of a chunk audited: (texts, errors, counts), or ("fail", message)."""
    counts = AuditSummary()
    texts: list[tuple[int, str]] = []
    errors: list[tuple[int, str]] = []
    try:
        for audited in audit_lines(
            auditor, chunk, first_line=first, delimiter=delimiter, names=names,
            filename=filename, counts=counts,
            on_error=lambda at, message, sink=errors: sink.append((at, message)),  # type: ignore[misc]
            keep=share,
        ):  # fmt: skip
            if audited.findings:
                texts.append((audited.line, render(audited)))
    except InamiError as exc:
        return ("fail", exc.message)
    return texts, errors, counts


def _work(
    link: Link, share: _Share, auditor: _Auditor, render: Callable[[LineAudit], str],
    delimiter: str, names: tuple[str | None, ...], filename: str,
) -> None:  # fmt: skip
    """A worker: audit its share of each chunk; send (texts, errors, counts) back."""
    while (job := link.get()) is not None:
        chunk, first = job
        link.put(_audit_chunk(chunk, first, share, auditor, render, delimiter, names, filename))


def _read_work(
    link: Link, start: _Start, share: _Share, auditor: _Auditor,
    render: Callable[[LineAudit], str], delimiter: str, names: tuple[str | None, ...],
    filename: str,
) -> None:  # fmt: skip
    """A worker that reads the file itself (``_reopenable``): the same chunks as the parent
    (``csv_chunks`` of the same size), those before *start* skipped; then, per chunk, what
    ``_work`` sends, and None at the end (a worker ahead of the parent waits for it:
    ``services.workers.AHEAD``; the memory stays flat)."""
    from inami_cli.services import batching

    line = start.line
    try:
        with open(start.path, "rb") as source:
            lines, _delimiter, _names = open_billing(source, filename, start.encoding)
            chunks = batching.csv_chunks(lines, start.size)
            for _ in islice(chunks, start.skip):
                pass
            for chunk in chunks:
                answer = _audit_chunk(chunk, line, share, auditor, render, delimiter, names,
                                      filename)  # fmt: skip
                link.put(answer)
                if answer[0] == "fail":
                    return
                line += len(chunk)
    except InamiError as exc:  # the file's own problems (an undecodable byte)
        link.put(("fail", exc.message))
        return
    link.put(None)


def _big_file(path: str | None, chunk: list[str], min_rows: int) -> bool:
    """Whether a regular file (*path*) holds, by the size of its first *chunk*'s lines,
    more than twice *min_rows* lines: then, unless ``INAMI_BATCH_MIN_ROWS`` says otherwise,
    the workers start from the first line. Each audits its own codes, so the plans and
    coverages the parent would warm on its first lines are warmed by the workers, at the
    same time, while the parent's warm-up kept a core idle (20 000 lines, ~0.6 s): 1 000 000
    lines took 0.37 s less wall time on average over 13 alternating pairs (9 faster), for
    ~0.5 s more CPU (lines by NISS warm some plans in both workers). A small file, or
    standard input, whose size is unknown, still starts them after *min_rows*."""
    import os

    if path is None or not chunk:
        return False
    chars = sum(map(len, chunk))
    return os.path.getsize(path) * len(chunk) > 2 * min_rows * max(chars, 1)


class _Start(NamedTuple):
    """Where the workers that read the file themselves start (``_read_work``)."""

    path: str
    encoding: str
    size: int  # lines per chunk
    skip: int  # chunks audited by the parent
    line: int  # the physical line the first chunk left starts on


def _reopenable(source: IO[bytes]) -> str | None:
    """The path of *source* when it is a regular file the workers can open again, else
    None (standard input, a pipe, a file in memory: the parent then deals the chunks)."""
    import os

    name = getattr(source, "name", None)
    if not isinstance(name, str) or not os.path.isfile(name):
        return None
    try:
        return name if os.path.samefile(name, source.fileno()) else None
    except (OSError, ValueError):
        return None


def audit_texts(
    *,
    session: Session,
    source: IO[bytes],
    filename: str,
    billed_on: date,
    render: Callable[[LineAudit], str],
    encoding: str = "utf-8",
    on_error: Callable[[str], None] = lambda message: None,
    summary: AuditSummary | None = None,
) -> Iterator[str]:
    """The rendered findings of a billing file, in the file's order (``render`` turns a
    line with findings into its output text); big files on worker processes."""
    from inami_cli.services import batching

    lines, delimiter, names = open_billing(source, filename, encoding)
    auditor = _Auditor(AuditContext(session=session), billed_on=billed_on)
    counts = summary if summary is not None else AuditSummary()
    workers = batching.worker_count()
    size = batching.chunk_size()
    chunks = batching.csv_chunks(lines, size)
    path = _reopenable(source)
    with reference_frozen():
        line, done = 2, 0
        for skip, chunk in enumerate(chunks):
            if skip == 0:  # the default by the file's size; the setting wins
                big = _big_file(path, chunk, DEFAULT_MIN_ROWS)
                min_rows = batching.env_int(
                    "INAMI_BATCH_MIN_ROWS", 0 if big else DEFAULT_MIN_ROWS, 0
                )
            if workers > 1 and done >= min_rows:
                start = None if path is None else _Start(path, encoding, size, skip, line)
                yield from _parallel(
                    chunk, chunks, line, auditor, render, delimiter, names, filename, counts,
                    on_error, workers, start,
                )  # fmt: skip
                return
            for audited in audit_lines(
                auditor, chunk, first_line=line, delimiter=delimiter, names=names,
                filename=filename, counts=counts,
                on_error=lambda _line, message: on_error(message),
            ):  # fmt: skip
                if audited.findings:
                    yield render(audited)
            line += len(chunk)
            done += len(chunk)


def _merged(answers: list[Any], counts: AuditSummary, on_error: Callable[[str], None]) -> str:
    """The workers' answers for one chunk merged in the file's order (FileErrors for the
    first worker's failure)."""
    texts: list[tuple[int, str]] = []
    errors: list[tuple[int, str]] = []
    for answer in answers:
        if answer[0] == "fail":
            raise FileErrors([answer[1]])
        part_texts, part_errors, part = answer
        texts.extend(part_texts)
        errors.extend(part_errors)
        _merge(counts, part)
    for _line, message in sorted(errors):
        on_error(message)
    return "".join(text for _line, text in sorted(texts))


def _parallel(
    head: list[str], chunks: Iterator[list[str]], line: int, auditor: _Auditor,
    render: Callable[[LineAudit], str], delimiter: str, names: tuple[str | None, ...],
    filename: str, counts: AuditSummary, on_error: Callable[[str], None], workers: int,
    start: _Start | None,
) -> Iterator[str]:  # fmt: skip
    """The rest of the file on *workers* processes (``services.workers``): each reads the
    file itself (*start*), or (None) the parent deals it every chunk."""

    def serve(index: int, link: Link) -> None:
        share = _Share(names, index, workers, auditor)
        rest = (share, auditor, render, delimiter, names, filename)
        if start is None:
            _work(link, *rest)
        else:
            _read_work(link, start, *rest)

    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()  # the reference data: the workers' collections leave its pages shared
    try:
        with Crew(workers, serve) as crew:
            if start is None:
                yield from _dealt(head, chunks, line, crew, counts, on_error)
            else:
                while (answers := [crew.receive(i) for i in range(workers)])[0] is not None:
                    yield _merged(answers, counts, on_error)
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _dealt(
    head: list[str], chunks: Iterator[list[str]], line: int, crew: Crew,
    counts: AuditSummary, on_error: Callable[[str], None],
) -> Iterator[str]:  # fmt: skip
    """The parent deals every chunk to every worker (``_work``), ``IN_FLIGHT`` ahead."""
    pending: deque[int] = deque()

    def send(chunk: list[str], first: int) -> None:
        crew.send_all((chunk, first))
        pending.append(first)

    def receive() -> str:
        pending.popleft()
        return _merged([crew.receive(i) for i in range(len(crew))], counts, on_error)

    send(head, line)
    line += len(head)
    for chunk in chunks:
        send(chunk, line)
        line += len(chunk)
        if len(pending) > IN_FLIGHT:
            yield receive()
    while pending:
        yield receive()
