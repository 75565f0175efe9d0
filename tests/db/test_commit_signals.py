"""A signal that lands at the commit waits until the commit is recorded.

Before, a Ctrl-C (or SIGTERM) could fall between the database's COMMIT and the command's
record of it (``AppState.session``): the import was saved but the command said
"interrupted", exit 130 (tests/reliability/test_interrupts.py, about one run in ten under
load). Here the signal is sent from SQLAlchemy's ``after_commit`` hook, the exact window,
so the test is deterministic.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest
from sqlalchemy import event, text

from inami_cli.db.engine import make_engine, signals_deferred, transaction


class _Stopped(Exception):
    """What the test's SIGTERM handler raises (the CLI's raises ``Terminated``)."""


@pytest.fixture
def sigterm_raises() -> Iterator[None]:
    def stop(signum: int, _frame: object) -> None:
        raise _Stopped(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    yield
    signal.signal(signal.SIGTERM, previous)


@pytest.mark.usefixtures("sigterm_raises")
@pytest.mark.parametrize(
    ("signum", "raised"),
    [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, _Stopped)],
    ids=["ctrl-c", "sigterm"],
)
def test_a_signal_at_the_commit_comes_after_its_record(
    db_url: str, signum: int, raised: type[BaseException]
) -> None:
    from sqlalchemy.orm import Session

    engine = make_engine(db_url)
    record: list[str] = []

    def signal_now(_session: Session) -> None:
        os.kill(os.getpid(), signum)  # the database has committed; the caller not told

    event.listen(Session, "after_commit", signal_now)
    try:
        with (
            pytest.raises(raised),
            transaction(engine, write=True, committed=lambda: record.append("saved")) as s,
        ):
            s.execute(text("UPDATE consultation_log SET id = id"))
    finally:
        event.remove(Session, "after_commit", signal_now)
        engine.dispose()
    assert record == ["saved"]


def test_an_ignored_signal_stays_ignored() -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with signals_deferred():
            os.kill(os.getpid(), signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_no_signal_nothing_raised_and_handlers_back() -> None:
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with signals_deferred():
        pass
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
