"""Forked workers over private pipes (services.workers): order, big messages both ways,
errors, a worker lost, and an end that never waits on a worker (the hang of
multiprocessing.Pool.terminate the module replaces)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from typing import Any

import pytest

from inami_cli.services.workers import AHEAD, Crew, Link, WorkerLost, answer, serve_calls


@pytest.fixture(autouse=True)
def _deadline() -> Iterator[None]:
    """A hang fails the test instead of stalling the suite."""

    def too_long(_signum: int, _frame: Any) -> None:
        raise TimeoutError("the crew hung")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _pids(crew: Crew) -> list[int]:
    return [proc.pid for proc in crew._procs]


def _double(x: int) -> int:
    return 2 * x


def test_each_worker_answers_its_own_messages_in_order() -> None:
    with Crew(3, serve_calls(_double)) as crew:
        for n in range(30):
            crew.send(n % 3, (n,))
        got = [answer(crew.receive(n % 3)) for n in range(30)]
        pids = _pids(crew)
    assert got == [2 * n for n in range(30)]
    assert all(_gone(pid) for pid in pids)  # told to stop, and waited for


def _echo_big(text: str) -> str:
    return text * 4


def test_big_messages_both_ways_do_not_deadlock() -> None:
    """Every chunk is sent before any answer is read; chunks and answers far beyond a
    pipe's 64 KiB: blocking writes on both sides would wait on each other for ever."""
    chunk = "x" * (1 << 20)
    with Crew(2, serve_calls(_echo_big)) as crew:
        for n in range(8):
            crew.send(n % 2, (chunk,))
        sizes = [len(answer(crew.receive(n % 2))) for n in range(8)]
    assert sizes == [4 << 20] * 8


def _fail(x: int) -> int:
    raise ValueError(f"bad row {x}")


def test_an_error_in_a_worker_is_raised_here_with_its_type() -> None:
    with pytest.raises(ValueError, match="bad row 7"), Crew(2, serve_calls(_fail)) as crew:
        crew.send(1, (7,))
        answer(crew.receive(1))


def _die(x: int) -> int:
    if x == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def test_a_killed_worker_is_reported_not_waited_for() -> None:
    lost = r"worker process 2 ended unexpectedly \(killed by signal 9\)"
    with pytest.raises(WorkerLost, match=lost), Crew(2, serve_calls(_die)) as crew:
        crew.send(0, (1,))
        crew.send(1, (3,))
        assert answer(crew.receive(0)) == 1
        crew.receive(1)


def _shout(_index: int, link: Link) -> None:
    link.put(b"y" * (8 << 20))  # blocks: the parent reads nothing
    time.sleep(60)


def test_leaving_by_an_exception_kills_workers_blocked_mid_write() -> None:
    """A worker stuck writing a big answer nobody reads (it holds nothing this process
    needs): an interrupt ends the crew at once, workers included."""
    pids: list[int] = []
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), Crew(2, _shout) as crew:
        pids = _pids(crew)
        time.sleep(0.2)
        raise KeyboardInterrupt
    assert time.monotonic() - started < 10
    assert all(_gone(pid) for pid in pids)


def _counter(_index: int, link: Link) -> None:
    for n in range(30):
        link.put((n, b"z" * 200_000))
    link.put(None)


def test_a_worker_ahead_waits_and_its_answers_all_arrive() -> None:
    """Workers that write without being asked (``control audit`` reading the file
    itself): at most AHEAD whole messages of a worker (and a part of the next) are read
    before they are asked for, and a worker that has ended leaves its last messages
    readable."""
    with Crew(2, _counter) as crew:
        time.sleep(0.3)  # the workers blocked on a full pipe
        got = [crew.receive(0) for _ in range(31)]
        assert len(crew._messages[1]) <= AHEAD and len(crew._incoming[1]) < 200_000
        other = [crew.receive(1) for _ in range(31)]
    numbers = [*range(30), None]
    assert [m and m[0] for m in got] == numbers == [m and m[0] for m in other]


def _ignore_ctrl_c(x: int) -> int:
    time.sleep(0.3)
    return x


def test_ctrl_c_is_the_parents_to_handle() -> None:
    """Ctrl-C reaches the whole process group: a worker ignores it and goes on."""
    with Crew(1, serve_calls(_ignore_ctrl_c)) as crew:
        crew.send(0, (5,))
        time.sleep(0.1)
        os.kill(_pids(crew)[0], signal.SIGINT)
        assert answer(crew.receive(0)) == 5


def test_a_failed_fork_ends_the_workers_already_started_and_leaks_no_pipe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import multiprocessing.process

    real_start = multiprocessing.process.BaseProcess.start
    started: list[int] = []

    def start(self: Any) -> None:
        if started:
            raise OSError(11, "Resource temporarily unavailable")  # fork's EAGAIN
        real_start(self)
        started.append(self.pid)

    fds = len(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start)
    with pytest.raises(OSError, match="temporarily unavailable"):
        Crew(3, serve_calls(_double))
    assert len(started) == 1 and _gone(started[0])
    assert len(os.listdir("/proc/self/fd")) == fds


class _Answer:
    """A value that can be watched for being freed (``weakref``)."""


class _Script:
    """A ``Link`` stand-in: the given messages, then None; the answers kept weakly."""

    def __init__(self, messages: list[tuple[Any, ...]]) -> None:
        self.messages = list(messages)
        self.answers: list[Any] = []

    def get(self) -> Any:
        return self.messages.pop(0) if self.messages else None

    def put(self, message: Any) -> None:
        import weakref

        self.answers.append(weakref.ref(message[1]))


def test_a_worker_holds_no_earlier_answer_while_it_computes_the_next() -> None:
    # (memory: a chunk's answer is megabytes; holding it through the next chunk's work
    # doubled a worker's peak)
    script = _Script([(n,) for n in range(3)])
    alive_at_start: list[bool] = []

    def work(_n: int) -> _Answer:
        alive_at_start.append(any(ref() is not None for ref in script.answers))
        return _Answer()

    serve_calls(work)(0, script)  # type: ignore[arg-type]
    assert alive_at_start == [False, False, False]
