"""What the provider and adherence imports share: the report, the changes listed by
``--dry-run``, the error that carries every ``FILE:LINE`` problem, the import batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import update
from sqlmodel import Session

from inami_cli.db.models import ImportBatch
from inami_cli.services.audit import current_actor, now
from inami_cli.services.providers._common import _columns
from inami_cli.tabular import Columns, Table, read_table, sha256


@dataclass(frozen=True)
class Change:
    """One change an import makes (or would make, with --dry-run)."""

    action: str  # insert | update
    entity: str
    key: str
    detail: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did: counts, warnings, and with --dry-run the list of changes."""

    filename: str
    inserted: int
    updated: int
    unchanged: int
    dry_run: bool
    batch_id: int | None
    changes: tuple[Change, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())

    def counts(self) -> dict[str, Any]:
        """The summary object (``--format json``)."""
        return {
            "file": self.filename,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": 0,
            "dry_run": self.dry_run,
            "batch_id": self.batch_id,
        }


class Source:
    """An input file read through ``inami_cli.tabular``, hashed for the import batch."""

    def __init__(self, binary: IO[bytes], filename: str, spec: Columns, encoding: str) -> None:
        self.filename = filename
        self.digest = sha256()
        self.table: Table = read_table(
            binary, filename=filename, spec=spec, encoding=encoding, digest=self.digest
        )


def new_batch(session: Session, kind: str, source: Source) -> int:
    """An import batch row: every row the import inserts carries its id."""
    batch = ImportBatch(
        kind=kind,
        filename=Path(source.filename).name,
        sha256=source.digest.hexdigest(),
        at=now(),
        operator=current_actor().operator,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None
    return batch.id


def finish_batch(
    session: Session, batch_id: int, inserted: int, updated: int, unchanged: int
) -> None:
    """The counts on the batch row."""
    session.execute(
        update(ImportBatch)
        .where(_columns(ImportBatch).id == batch_id)
        .values(inserted=inserted, updated=updated, unchanged=unchanged)
    )
