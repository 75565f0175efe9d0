"""Where one ``inami`` process spends its time: a sampling profile for the misses.

``python -m benchmarks.sampler OUT.json ARGS...`` runs ``inami ARGS`` in this process (its
console entry point, as the ``inami`` script would) while a thread reads the main thread's
stack every ``INTERVAL`` seconds, and writes what it saw to OUT.json: for each sample, the
innermost frame of ``inami_cli`` on the stack (so a function's share includes the library
and C code it called: SQLite, ``csv``, ``decimal``), its qualified name and module
(``functions``), every function of the package on the stack (``inclusive``: a
function with everything it calls), and the time under each call of one function of the
package by another (``edges``). Module bodies count as ``imports``; a sample with no
frame of the package (the interpreter starting, the exit) as ``outside inami_cli``.

Samples measure wall time, not CPU: a process waiting for PostgreSQL shows the wait in the
function that waits. The benchmark runs it with ``INAMI_BATCH_WORKERS=1`` so that one
process does all the rows (``benchmarks.misses``); the thread's reading costs ~1 %.
"""

from __future__ import annotations

import atexit
import json
import sys
import threading
import time
from pathlib import Path
from types import CodeType, FrameType

INTERVAL = 0.002  # seconds between samples
SWITCH = 0.0002  # the interpreter's switch interval while sampling (default 0.005)
IMPORTS = "imports"
OUTSIDE = "outside inami_cli"


def _package_root() -> str:
    """The directory of the ``inami_cli`` package, as its frames name their files."""
    import inami_cli

    return str(Path(inami_cli.__file__).resolve().parent)


def _label(code: CodeType, root: str) -> str:
    """``qualified.name (inami_cli.module)`` of a function of the package at *root*."""
    module = code.co_filename[len(root) + 1 :].removesuffix(".py").replace("/", ".")
    return f"{code.co_qualname} (inami_cli.{module})"


def stack(frame: FrameType | None, root: str) -> list[str]:
    """The functions of the package at *root* on the stack of *frame*, innermost first
    (module bodies left out)."""
    found: list[str] = []
    while frame is not None:
        code = frame.f_code
        if code.co_filename.startswith(root) and code.co_name != "<module>":
            found.append(_label(code, root))
        frame = frame.f_back
    return found


def where(frame: FrameType | None, root: str) -> str:
    """The label of a sample whose innermost frame is *frame*: its innermost frame of the
    package at *root* (``qualified.name (module)``), ``imports`` or ``outside inami_cli``."""
    while frame is not None:
        code = frame.f_code
        filename = code.co_filename
        if filename.startswith(root):
            return IMPORTS if code.co_name == "<module>" else _label(code, root)
        frame = frame.f_back
    return OUTSIDE


class Sampler:
    """A thread counting where the thread that made it is, until ``stop``."""

    def __init__(self, interval: float = INTERVAL) -> None:
        self.interval = interval
        self.counts: dict[str, float] = {}  # by the innermost function of the package
        self.inclusive: dict[str, float] = {}  # by every function of it on the stack
        self.edges: dict[tuple[str, str], float] = {}  # (caller, callee) of the package
        self.root = _package_root()
        self._target = threading.get_ident()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sampler", daemon=True)

    def start(self) -> None:
        """Start sampling the calling thread (which then lets the GIL go within
        ``SWITCH`` seconds when the sampler asks for it, not the default 5 ms)."""
        sys.setswitchinterval(SWITCH)
        self._thread.start()

    def stop(self) -> None:
        """Stop sampling (the counts are then final)."""
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        frames, target, root = sys._current_frames, self._target, self.root
        counts, inclusive, edges = self.counts, self.inclusive, self.edges
        clock = time.perf_counter
        last = clock()
        while not self._stop.wait(self.interval):
            # a sample stands for the time since the one before: the thread gets the GIL
            # sooner while the sampled code has let it go (SQLite's work, a wait) than
            # while it runs Python code, and counting samples would favour the former
            now = clock()
            spent, last = now - last, now
            frame = frames().get(target)
            label = where(frame, root)
            counts[label] = counts.get(label, 0.0) + spent
            names = stack(frame, root)
            for name in set(names):  # a recursive function counts once a sample
                inclusive[name] = inclusive.get(name, 0.0) + spent
            for edge in set(zip(names[1:], names, strict=False)):  # (caller, callee)
                edges[edge] = edges.get(edge, 0.0) + spent


def _ranked(seconds: dict[str, float]) -> list[list[object]]:
    """``[name, seconds]`` pairs, most first."""
    ranked = sorted(seconds.items(), key=lambda item: item[1], reverse=True)
    return [[name, round(value, 4)] for name, value in ranked]


def run(out: Path, argv: list[str]) -> None:
    """Run ``inami *argv*`` here, sampled, and end as it ends (its exit code); the profile
    is written to *out* on the way out (``inami`` leaves through ``atexit``'s handlers,
    then ``os._exit``: ``cli.outcome.leave``)."""
    sampler = Sampler()
    wall, cpu = time.perf_counter(), time.process_time()

    def write() -> None:
        sampler.stop()
        report = {
            "wall_s": round(time.perf_counter() - wall, 3),
            "cpu_s": round(time.process_time() - cpu, 3),
            "sampled_s": round(sum(sampler.counts.values()), 3),
            "functions": _ranked(sampler.counts),
            "inclusive": _ranked(sampler.inclusive),
            "edges": [[a, b, round(v, 4)] for (a, b), v in sampler.edges.items()],
        }
        out.write_text(json.dumps(report, ensure_ascii=False) + "\n", encoding="utf-8")

    atexit.register(write)
    sys.argv = ["inami", *argv]
    sampler.start()
    from inami_cli.cli.app import main  # its imports sampled too, as a command pays them

    main()


def cli(args: list[str]) -> int:
    """``OUT.json ARGS...``: the usage error (2), or run ``inami ARGS`` sampled."""
    if len(args) < 2:
        print("usage: python -m benchmarks.sampler OUT.json INAMI-ARGS...", file=sys.stderr)
        return 2
    run(Path(args[0]), args[1:])
    return 0  # not reached: inami ends the process


if __name__ == "__main__":
    raise SystemExit(cli(sys.argv[1:]))
