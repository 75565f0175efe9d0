"""What the file imports of the newer features share: the report, reading a whole table
through ``inami_cli.tabular`` (every problem collected as ``FILE:LINE: reason``), and the
import batch that records where rows came from.

An import is all or nothing: every row is read and checked before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import Session

from inami_cli.db.models import ImportBatch
from inami_cli.domain.errors import FileErrors, InamiError
from inami_cli.services.audit import current_actor, now, record_changes
from inami_cli.tabular import Columns, open_binary, read_table, sha256

T = TypeVar("T")

AuditChange = tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]


@dataclass(frozen=True)
class Change:
    """One change an import makes (or would make, with --dry-run)."""

    action: str  # insert | update
    entity: str
    key: str
    detail: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did: counts, and with --dry-run the list of changes."""

    filename: str
    lines: int
    inserted: int
    updated: int
    unchanged: int
    dry_run: bool
    batch_id: int | None
    changes: tuple[Change, ...] = field(default=())

    def counts(self) -> dict[str, Any]:
        """The summary object (``--format json``)."""
        return {
            "file": self.filename,
            "lines": self.lines,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": 0,
            "dry_run": self.dry_run,
            "batch_id": self.batch_id,
        }


@dataclass(frozen=True)
class ParsedFile:
    """Every row of a file, parsed, with its line number; and the file's digest."""

    filename: str
    sha256: str
    rows: list[tuple[int, Any]]

    @property
    def lines(self) -> int:
        return self.rows[-1][0] if self.rows else 0


def parse_file(
    name: str,
    *,
    spec: Columns,
    parse: Callable[[dict[str, str]], T],
    encoding: str = "utf-8",
) -> ParsedFile:
    """Read *name* (CSV with ``,`` ``;`` or tab, or JSON; ``-`` = stdin) and *parse* every
    record; every problem is collected and raised together as ``FileErrors`` (exit 2)."""
    digest = sha256()
    shown = "<stdin>" if name == "-" else name
    rows: list[tuple[int, Any]] = []
    problems: list[str] = []
    with open_binary(name) as binary:
        table = read_table(binary, filename=shown, spec=spec, encoding=encoding, digest=digest)
        for line, record in table.records():
            try:
                rows.append((line, parse(record)))
            except InamiError as exc:
                problems.append(f"{shown}:{line}: {exc.message}")
    if problems:
        raise FileErrors(problems)
    return ParsedFile(shown, digest.hexdigest(), rows)


def new_batch(session: Session, kind: str, parsed: ParsedFile) -> int:
    """An import batch row (the provenance of the rows it inserts)."""
    batch = ImportBatch(
        kind=kind,
        filename=Path(parsed.filename).name,
        sha256=parsed.sha256,
        at=now(),
        operator=current_actor().operator,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None
    return batch.id


def finish_batch(
    session: Session,
    batch_id: int,
    parsed: ParsedFile,
    *,
    inserted: int,
    updated: int,
    unchanged: int,
    audit: Iterable[AuditChange],
) -> None:
    """Counts on the batch row, and the audit rows of the import (one per change and one
    for the batch)."""
    session.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch_id)  # type: ignore[arg-type]
        .values(inserted=inserted, updated=updated, unchanged=unchanged)
    )
    summary: dict[str, Any] = {
        "file": parsed.filename,
        "sha256": parsed.sha256,
        "inserted": inserted,
        "updated": updated,
        "unchanged": unchanged,
    }
    record_changes(
        session=session,
        changes=[*audit, ("import_batch", str(batch_id), "insert", None, summary)],
    )


def yes_no(text: str, *, what: str) -> bool:
    """A boolean cell: yes/no, true/false, 1/0, y/n, oui/non, ja/nee; empty is no."""
    from inami_cli.domain.errors import InvalidInput

    value = text.strip().lower()
    if value in {"", "no", "n", "false", "0", "non", "nee"}:
        return False
    if value in {"yes", "y", "true", "1", "oui", "ja"}:
        return True
    raise InvalidInput(f"{what}: {text!r} is not yes or no")
