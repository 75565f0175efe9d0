"""The desk's consultation log (issue 17): written in the background, kept while the
database is busy, spooled at the end if it still is, written by the next session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from inami_cli.desk.journal import ConsultationJournal
from tests.desk.conftest import count_rows


class Switch:
    """A session opener whose writes fail while ``busy`` (a database locked by an import)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.busy = True

    @contextmanager
    def __call__(self, write: bool) -> Iterator[Any]:
        from inami_cli.db.engine import transaction

        if write and self.busy:
            raise RuntimeError("database is locked")
        with transaction(self.engine, write=write) as session:
            yield session


def test_lines_wait_while_busy_and_are_written_at_the_next_chance(engine: Any) -> None:
    opener = Switch(engine)
    journal = ConsultationJournal(opener)
    journal.add("85061508234", {"answer": "yes"})
    assert journal._thread is not None
    journal._thread.join(10)
    assert journal.pending == 1 and journal.failures == 1
    assert count_rows(engine, "consultation_log") == 0
    opener.busy = False
    journal.add("101076", {"answer": "code"})  # the next answer: both written
    journal._thread.join(10)
    assert journal.pending == 0
    assert journal.close() == 0
    assert count_rows(engine, "consultation_log") == 2


def test_still_busy_at_the_end_the_lines_are_spooled_then_written_next_time(
    engine: Any, tmp_path: Path
) -> None:
    spool = tmp_path / "spool" / "desk.ndjson"
    opener = Switch(engine)
    first = ConsultationJournal(opener, spool=spool)
    first.add("85061508234", {"fee": "33.73"})
    assert first.close(wait=10) == 1 and first.spooled == 1
    assert spool.is_file() and count_rows(engine, "consultation_log") == 0
    opener.busy = False
    second = ConsultationJournal(opener, spool=spool)  # the next session
    assert second.pending == 1 and not spool.exists()
    assert second.close() == 0
    assert count_rows(engine, "consultation_log") == 1
