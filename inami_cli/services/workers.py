"""Forked worker processes, each talking to this process over two pipes of its own.

The batches and ``control audit`` fork their workers after the reference data is loaded
(copy-on-write) and exchange pickled messages with them: chunks of lines one way, answers
the other. ``multiprocessing.Pool`` and ``Queue`` were used first; both share locks
between processes and move data on helper threads. A worker ended while it held such a
lock (a signal, or the pool's own ``terminate``, which kills the workers before it joins
its task thread) leaves the lock taken for good, and the end of the pool then waits on it
forever: a SIGTERM at a random moment of a parallel batch hung the batch in 7 runs out of
60 (CPython 3.11; the task thread blocked in ``outqueue.put`` on a lock a terminated
worker held).

Here nothing is shared. Each worker has its own pipe in and its own pipe out; this
process writes without blocking (what a worker has not read yet waits in a buffer, so a
worker writing a big answer and this process writing a big chunk never wait on each
other) and reads whole messages; ending the workers is SIGKILL and a wait, which nothing
can hold up. A worker that dies is seen (its pipe closes) and reported as ``WorkerLost``
instead of being waited for. In a worker, Ctrl-C is the parent's to handle (it reaches
the whole process group), SIGTERM ends it, and it dies with its parent (Linux).

A message is an 8-byte length and a pickle. Only this process and its own forked
children read them.
"""

from __future__ import annotations

import os
import pickle
import selectors
import signal
import struct
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

_HEADER = struct.Struct("!Q")
_READ = 1 << 20
AHEAD = 2  # a worker's whole messages read before they are asked for (flat memory)
_INTERRUPTS = {signal.SIGINT, signal.SIGTERM}
_PR_SET_PDEATHSIG = 1  # prctl(2)


class WorkerLost(RuntimeError):
    """A worker process ended without being asked to (killed, out of memory, a crash)."""


class Link:
    """A worker's end: ``get`` the next message from the parent (None: stop), ``put`` one
    back. Blocking: a worker has nothing else to do."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self._in = open(read_fd, "rb", buffering=_READ)  # noqa: SIM115 (the worker's life)
        self._out = write_fd

    def get(self) -> Any:
        head = self._in.read(_HEADER.size)
        if len(head) < _HEADER.size:  # the parent closed the pipe: nothing more to do
            return None
        (size,) = _HEADER.unpack(head)
        return _loads(self._in.read(size))

    def put(self, message: Any) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        _write_all(self._out, _HEADER.pack(len(data)))
        _write_all(self._out, data)


def _loads(data: bytes) -> Any:
    return pickle.loads(data)  # noqa: S301 (written by this process or its own fork)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


Serve = Callable[[int, Link], None]


class Crew:
    """*count* forked workers, each running ``serve(index, link)``; this process ``send``s
    to worker *i* and ``receive``s its next message. A context manager: left normally,
    the workers are told to stop and waited for; left by an exception (an interrupt, an
    error, a lost worker), they are killed, at once."""

    def __init__(self, count: int, serve: Serve) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        parent = os.getpid()
        self._procs: list[Any] = []
        self._to: list[int] = []  # this process's write end of each worker's pipe in
        self._from: list[int] = []  # this process's read end of each worker's pipe out
        self._outgoing: list[deque[memoryview]] = []
        self._incoming: list[bytearray] = []
        self._messages: list[deque[bytes]] = []
        self._ended: list[bool] = []
        self._selector = selectors.DefaultSelector()
        # Ctrl-C and SIGTERM held while forking: one landing in a child before its start
        # would run the parent's handler there. Pending signals are not inherited: they
        # reach this process as soon as the workers stand.
        signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)
        try:
            for index in range(count):
                child_in, to_child = os.pipe()
                from_child, child_out = os.pipe()
                theirs = (to_child, from_child, *self._to, *self._from)

                def run(index: int = index, fds: tuple[int, int] = (child_in, child_out),
                        close: tuple[int, ...] = theirs) -> None:  # fmt: skip
                    _child(index, fds, close, parent, serve)

                proc = context.Process(target=run, daemon=True)
                try:
                    proc.start()
                except BaseException:  # no process (fork failed): no pipes either
                    for fd in (child_in, to_child, from_child, child_out):
                        os.close(fd)
                    raise
                os.close(child_in)
                os.close(child_out)
                os.set_blocking(to_child, False)
                os.set_blocking(from_child, False)
                self._procs.append(proc)
                self._to.append(to_child)
                self._from.append(from_child)
                self._outgoing.append(deque())
                self._incoming.append(bytearray())
                self._messages.append(deque())
                self._ended.append(False)
                self._watch(from_child, selectors.EVENT_READ, (index, False))
        except BaseException:
            self.kill()
            raise
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _INTERRUPTS)

    def __len__(self) -> int:
        return len(self._procs)

    def __enter__(self) -> Crew:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_rest: object) -> None:
        if kind is None:
            self.close()
        else:
            self.kill()

    def send(self, index: int, message: Any) -> None:
        """Queue *message* for worker *index*; written as far as its pipe takes now, the
        rest while this process waits in ``receive``."""
        self._queue(index, pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

    def send_all(self, message: Any) -> None:
        """``send`` *message* to every worker (pickled once)."""
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        for index in range(len(self._procs)):
            self._queue(index, data)

    def _queue(self, index: int, data: bytes) -> None:
        queue = self._outgoing[index]
        was_empty = not queue
        queue.append(memoryview(_HEADER.pack(len(data))))
        queue.append(memoryview(data))
        if was_empty:
            self._flush(index)

    def receive(self, index: int) -> Any:
        """The next message of worker *index* (waiting for it, writing meanwhile)."""
        messages = self._messages[index]
        while not messages:
            if self._ended[index]:
                raise self._lost(index)
            self._pump()
        data = messages.popleft()
        if len(messages) < AHEAD and not self._ended[index]:
            self._watch(self._from[index], selectors.EVENT_READ, (index, False))
        return _loads(data)

    def close(self) -> None:
        """Tell every worker to stop (None), then wait for them to end."""
        for fd in self._from:
            self._unwatch(fd)
        for index in range(len(self._procs)):
            try:
                self.send(index, None)
            except WorkerLost:  # ended already (a worker that stops by itself)
                self._outgoing[index].clear()
        while any(self._outgoing):
            self._pump()
        for proc in self._procs:
            proc.join()
        self._release()

    def kill(self) -> None:
        """End every worker now (SIGKILL) and wait for it: nothing it held can stop this."""
        for proc in self._procs:
            if proc.exitcode is None:
                proc.kill()
        for proc in self._procs:
            proc.join()
        self._release()

    def _release(self) -> None:
        self._selector.close()  # (closing twice does nothing)
        for fd in (*self._to, *self._from):
            os.close(fd)
        self._to, self._from, self._procs = [], [], []

    def _flush(self, index: int) -> None:
        """Write what the pipe of worker *index* takes; watch it for room if some is left."""
        queue = self._outgoing[index]
        fd = self._to[index]
        try:
            while queue:
                view = queue[0]
                written = os.write(fd, view)
                if written < len(view):
                    queue[0] = view[written:]
                    break
                queue.popleft()
        except BlockingIOError:
            pass
        except BrokenPipeError:
            raise self._lost(index) from None
        if queue:
            self._watch(fd, selectors.EVENT_WRITE, (index, True))
        else:
            self._unwatch(fd)

    def _watch(self, fd: int, events: int, data: tuple[int, bool]) -> None:
        if fd not in self._selector.get_map():
            self._selector.register(fd, events, data)

    def _unwatch(self, fd: int) -> None:
        if fd in self._selector.get_map():
            self._selector.unregister(fd)

    def _pump(self) -> None:
        """Wait until a watched pipe is ready: write what waits, read whole messages (a
        worker AHEAD messages ahead is not read: it waits, and the memory stays flat)."""
        for key, _events in self._selector.select():
            index, writing = key.data
            if writing:
                self._flush(index)
            else:
                self._read(index)

    def _read(self, index: int) -> None:
        try:
            data = os.read(self._from[index], _READ)
        except BlockingIOError:
            return
        if not data:  # the worker is gone: an error if a message of it is still awaited
            self._ended[index] = True
            self._unwatch(self._from[index])
            return
        buffer = self._incoming[index]
        buffer += data
        while len(buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(buffer)
            end = _HEADER.size + size
            if len(buffer) < end:
                break
            self._messages[index].append(bytes(buffer[_HEADER.size : end]))
            del buffer[:end]
        if len(self._messages[index]) >= AHEAD:
            self._unwatch(self._from[index])

    def _lost(self, index: int) -> WorkerLost:
        proc = self._procs[index]
        proc.join(1)
        code = proc.exitcode
        how = (
            "still running" if code is None
            else f"killed by signal {-code}" if code < 0
            else f"exit status {code}"
        )  # fmt: skip
        return WorkerLost(
            f"worker process {index + 1} ended unexpectedly ({how}); "
            "INAMI_BATCH_WORKERS=1 runs the work in this one process"
        )


def _child(
    index: int, fds: tuple[int, int], close: Sequence[int], parent: int, serve: Serve
) -> None:
    """A worker's life: signals as said above, the other workers' pipes closed (a worker's
    end of file is then its parent's), ``serve``, and an exit that flushes nothing (the
    buffers are the parent's copies)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _INTERRUPTS)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: no such call
        pass
    if os.getppid() != parent:  # the parent died before the call above
        os._exit(1)
    for fd in close:
        os.close(fd)
    code = 0
    try:
        serve(index, Link(*fds))
    except BrokenPipeError:  # the parent is gone
        code = 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    os._exit(code)


def serve_calls(work: Callable[..., Any]) -> Serve:
    """A worker that answers each message (a tuple of arguments) with ``("ok",
    work(*message))``, or ``("raise", exception)`` for what ``work`` raised; the parent's
    ``answer`` gives the value or raises the exception."""

    def serve(_index: int, link: Link) -> None:
        while (message := link.get()) is not None:
            try:
                answer: tuple[str, Any] = ("ok", work(*message))
            except Exception as exc:
                answer = ("raise", exc)
            try:
                link.put(answer)
            except (pickle.PicklingError, TypeError, AttributeError):  # an exotic exception
                link.put(("raise", RuntimeError(f"{type(answer[1]).__name__}: {answer[1]}")))
            # dropped before the next message is awaited and computed: held, a worker
            # kept two chunks' answers at once (a 50 000-line ``insured batch`` chunk's
            # text is ~7 MB: 1 000 000 lines on PostgreSQL, peak 174-178 -> 162-171 MB)
            del message, answer

    return serve


def answer(message: tuple[str, Any]) -> Any:
    """The value of a ``serve_calls`` answer, or its exception raised here."""
    kind, value = message
    if kind == "raise":
        raise value
    return value
