"""The consultation log of a desk session: never in the way of an answer, never lost.

With ``[audit] log_consultations`` every answer is kept in the consultation log. The answer
is read in a read-only transaction and shown at once; its log line goes to a queue that one
background thread writes in a write transaction of its own. When the database is busy (a
long import holds the write lock) the line stays queued and is written at the next chance:
with the next answer, or when the session ends. A line that still cannot be written when the
session ends is kept in a spool file (one JSON object a line) and written by the next desk
session on the same machine.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

OpenSession = Callable[[bool], AbstractContextManager["Session"]]
Entry = tuple[datetime, str, dict[str, Any]]  # when answered, subject, answer record


def default_spool() -> Path:
    """Where consultation log lines wait when the database stays busy (per user): the desk
    and the single read commands share it, and each writes what it finds there."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "inami-cli" / "desk-consultations.ndjson"


class ConsultationJournal:
    """Queued consultation log lines, written by a background thread (see the module)."""

    def __init__(self, open_session: OpenSession, *, spool: Path | None = None) -> None:
        self.open_session = open_session
        self.spool = spool
        self._pending: list[Entry] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.failures = 0  # write attempts that met a busy or unreachable database
        self.spooled = 0  # lines left in the spool file by close()
        self._load_spool()

    # ------------------------------------------------------------------ queue
    def add(self, subject: str, answer: dict[str, Any]) -> None:
        """Queue one line (stamped now) and start writing it in the background."""
        from inami_cli.services.audit import now

        with self._lock:
            self._pending.append((now(), subject, answer))
        self._kick()

    @property
    def pending(self) -> int:
        """Lines not written yet."""
        with self._lock:
            return len(self._pending)

    def _kick(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(
                target=self._work, name="inami-consultation-log", daemon=True
            )
            self._thread.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                batch = list(self._pending)
            if not batch:
                return
            try:
                self._write(batch)
            except Exception:  # a busy or unreachable database: kept for the next chance
                self.failures += 1
                return
            with self._lock:  # only this thread removes lines: the batch is the head
                del self._pending[: len(batch)]

    def _write(self, batch: list[Entry]) -> None:
        from inami_cli.services.audit import log_consultation

        with self.open_session(True) as session:
            for at, subject, answer in batch:
                log_consultation(session=session, subject=subject, answer=answer, at=at)

    # ------------------------------------------------------------------ end
    def close(self, *, wait: float = 30.0) -> int:
        """Write what is queued (waiting for the thread, then once more here); spool what
        still cannot be written. The number of lines spooled."""
        thread = self._thread
        if thread is not None:
            thread.join(wait)
        if thread is None or not thread.is_alive():
            self._work()
        with self._lock:
            left = list(self._pending)
            self._pending.clear()
        if left:
            self._save_spool(left)
            self.spooled += len(left)
        return len(left)

    # ------------------------------------------------------------------ spool
    def _load_spool(self) -> None:
        if self.spool is None or not self.spool.is_file():
            return
        entries: list[Entry] = []
        for line in self.spool.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                entries.append(
                    (datetime.fromisoformat(item["at"]), item["subject"], item["answer"])
                )
        self._pending.extend(entries)
        self.spool.unlink()  # the lines are queued again: written or spooled at close

    def _save_spool(self, entries: list[Entry]) -> None:
        if self.spool is None:
            return
        from inami_cli.domain.jsonfmt import dumps, plain

        self.spool.parent.mkdir(parents=True, exist_ok=True)
        with self.spool.open("a", encoding="utf-8") as handle:
            for at, subject, answer in entries:
                record = {"at": at.isoformat(), "subject": subject, "answer": plain(answer)}
                handle.write(dumps(record, keep_empty=True) + "\n")


__all__ = ["ConsultationJournal", "default_spool"]
