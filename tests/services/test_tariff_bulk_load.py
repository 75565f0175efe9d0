"""The tariff import's bulk path (issue 19): one pass over a file grouped by code, a
savepoint and a second pass for a file that is not, rows straight to the driver
(executemany on SQLite, COPY on PostgreSQL), the audit JSON put together from pieces.
Every test runs on SQLite, and on PostgreSQL when configured."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, text

from inami_cli.db.models import AuditEntry, ImportBatch
from inami_cli.domain.errors import FileErrors
from inami_cli.domain.money import from_cents
from inami_cli.domain.tariffs import Profile
from inami_cli.services import bulkio
from inami_cli.services import nomenclature as svc
from inami_cli.services.nomenclature import _files, _imports
from inami_cli.services.nomenclature._tariffs import describe_json
from inami_cli.services.nomenclature._versions import NewVersion

HEADER = "code,valid_from,valid_to,fee,regime,reimbursement,label_fr,label_nl,article,source"
D = Decimal


def _row(code: str, start: str, fee: str, regime: str, amount: str) -> str:
    return f"{code},{start},,{fee},{regime},{amount},Acte {code},Akte {code},2,AR 2024"


# Two codes, two periods each, two profiles a period: grouped by code, and interleaved
GROUPED = [
    _row("101010", "2024-01-01", "30.00", "ordinary", "20.00"),
    _row("101010", "2024-01-01", "30.00", "preferential", "25.00"),
    _row("101010", "2025-01-01", "31.00", "ordinary", "21.00"),
    _row("101010", "2025-01-01", "31.00", "preferential", "26.00"),
    _row("101032", "2024-01-01", "40.00", "ordinary", "30.00"),
    _row("101032", "2025-01-01", "41.00", "ordinary", "31.00"),
]
INTERLEAVED = [GROUPED[0], GROUPED[1], GROUPED[4], GROUPED[2], GROUPED[3], GROUPED[5]]
# What both store, on every backend: (id, code, from, to, fee_cents) and the profiles
TARIFFS = [
    (1, "101010", "2024-01-01", "2024-12-31", 3000),
    (2, "101010", "2025-01-01", None, 3100),
    (3, "101032", "2024-01-01", "2024-12-31", 4000),
    (4, "101032", "2025-01-01", None, 4100),
]
PROFILES = [
    (1, "ordinary", 2000),
    (1, "preferential", 2500),
    (2, "ordinary", 2100),
    (2, "preferential", 2600),
    (3, "ordinary", 3000),
    (4, "ordinary", 3100),
]


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of two rows: written one by one before the file ends."""
    monkeypatch.setattr(_imports, "BATCH_ROWS", 2)


def _import(session: Any, lines: list[str], **kw: Any) -> Any:
    data = ("\n".join([HEADER, *lines]) + "\n").encode()
    return svc.import_rows(
        session=session, rows=svc.read_table(data, "t.csv"), filename="t.csv", **kw
    )


def _stored(session: Any) -> dict[str, Any]:
    """The rows an import wrote; tariff ids renumbered from 1 in their order (PostgreSQL
    does not give back the ids of a sequence rolled back to a savepoint)."""

    def day(value: Any) -> str | None:
        return None if value is None else str(value)[:10]

    query = text("SELECT id, code, valid_from, valid_to, fee_cents FROM tariff ORDER BY id")
    rank: dict[int, int] = {}
    tariffs = []
    for tid, code, start, end, fee in session.execute(query):
        rank[tid] = len(rank) + 1
        tariffs.append((rank[tid], code, day(start), day(end), fee))
    query = text(
        "SELECT tariff_id, regime, reimbursement_cents FROM tariff_profile ORDER BY tariff_id, id"
    )
    profiles = [(rank[tid], regime, cents) for tid, regime, cents in session.execute(query)]
    query = text("SELECT entity, key, action, after_json FROM audit_entry ORDER BY id")
    audit = list(session.execute(query))
    batches = [tuple(b) for b in session.execute(select(ImportBatch.sha256, ImportBatch.inserted))]
    return {"tariffs": tariffs, "profiles": profiles, "audit": audit, "batches": batches}


def test_a_grouped_file_is_read_once_and_stores_the_expected_rows(
    session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_scan(self: Any) -> dict[str, int]:
        raise AssertionError("a file grouped by code needs no first pass")

    monkeypatch.setattr(_files.ImportTable, "scan", no_scan)
    summary = _import(session, GROUPED)
    assert summary.inserted == 6
    stored = _stored(session)
    assert stored["tariffs"] == TARIFFS
    assert stored["profiles"] == PROFILES
    data = ("\n".join([HEADER, *GROUPED]) + "\n").encode()
    assert stored["batches"] == [(hashlib.sha256(data).hexdigest(), 6)]


def test_an_interleaved_file_is_imported_again_in_two_passes_with_the_same_result(
    session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    scans: list[int] = []
    scan = _files.ImportTable.scan

    def counted(self: Any) -> dict[str, int]:
        scans.append(1)
        return scan(self)

    monkeypatch.setattr(_files.ImportTable, "scan", counted)
    # 101010's second period comes after 101032, once 101010's first batch was written
    summary = _import(session, INTERLEAVED)
    assert (summary.inserted, len(scans)) == (6, 1)
    stored = _stored(session)
    # nothing of the first pass is left (rolled back to the savepoint): the same rows,
    # ids and audit as the grouped file, one import batch
    assert stored["tariffs"] == TARIFFS
    assert stored["profiles"] == PROFILES
    assert len(stored["batches"]) == 1
    assert [a.key for a in stored["audit"] if a.entity == "tariff"] == [
        "101010 2024-01-01",
        "101010 2025-01-01",
        "101032 2024-01-01",
        "101032 2025-01-01",
    ]


@pytest.mark.parametrize("lines", [GROUPED, INTERLEAVED], ids=["grouped", "interleaved"])
def test_a_bad_last_line_leaves_nothing_written(session: Any, lines: list[str]) -> None:
    bad = _row("101054", "2024-01-01", "30.00", "ordinary", "40.00")  # above the fee
    with pytest.raises(FileErrors) as caught:
        _import(session, [*lines, bad])
    assert caught.value.problems == ["t.csv:8: reimbursement 40.00 is above the fee 30.00"]
    session.rollback()  # as the command's transaction does
    for table in ("tariff", "tariff_profile", "act", "import_batch", "audit_entry"):
        assert session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0


def test_a_dry_run_of_an_interleaved_file_writes_nothing(session: Any) -> None:
    summary = _import(session, INTERLEAVED, dry_run=True)
    assert (summary.inserted, summary.dry_run) == (6, True)
    assert session.execute(text("SELECT count(*) FROM tariff")).scalar_one() == 0


def test_insert_rows_stores_what_a_core_insert_stores(session: Any) -> None:
    table = AuditEntry.__table__  # type: ignore[attr-defined]
    columns = ("at", "operator", "declared_operator", "command", "action", "entity", "key")
    stamp = datetime(2026, 3, 2, 10, 30, 5, tzinfo=UTC)
    rows = [
        (stamp, "alice", "", "inami x", "insert", "tariff", "101010 2024-01-01"),
        (stamp, "bob", "Bob 'B'", "inami y", "update", "act", "é\t\\N"),
    ]
    session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
    bulkio.insert_rows(session, table, columns, rows)
    query = select(*(table.c[c] for c in columns)).order_by(table.c.id)
    stored = [tuple(r) for r in session.execute(query)]
    assert stored[:2] == stored[2:]
    assert stored[3][1:] == rows[1][1:]


def test_copy_rows_joins_the_callers_transaction(engine: Any) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    from sqlmodel import Session

    table = AuditEntry.__table__  # type: ignore[attr-defined]
    columns = ("at", "operator", "command", "action", "entity", "key", "after_json")
    stamp = datetime(2026, 3, 2, 10, 30, 5, tzinfo=UTC)
    rows = [(stamp, "alice", "c", "insert", "t", str(n), None) for n in range(1000)]
    with Session(engine) as session:
        written = bulkio.copy_rows(session.connection(), table, columns, rows)
        assert written == 1000
        count = session.execute(text("SELECT count(*) FROM audit_entry")).scalar_one()
        assert count == 1000
        session.rollback()
        assert session.execute(text("SELECT count(*) FROM audit_entry")).scalar_one() == 0


@pytest.mark.parametrize(
    "version",
    [
        NewVersion(
            "101010",
            date(2024, 1, 1),
            None,
            3000,
            (Profile(D("20.00"), "ordinary"), Profile(D("25.00"), "preferential", True)),
            "AR 2024",
            "import",
            None,
            None,
        ),
        NewVersion(
            "101032",
            date(2024, 1, 1),
            date(2024, 12, 31),
            None,
            (Profile(D("7.5"), None, False, 0, 17, True), Profile(D("0.00"), age_from=18)),
            'arrêté "royal"\n\\ ☃',
            "import",
            None,
            None,
        ),
        NewVersion("101054", date(2024, 1, 1), None, 123456789, (), "", "import", None, None),
        NewVersion(  # a label twice (refused on import): the last one, as a dict keeps it
            "101076",
            date(2024, 1, 1),
            None,
            100,
            (Profile(D("0.50"), "ordinary"), Profile(D("0.60"), "ordinary")),
            "s",
            "import",
            None,
            None,
        ),
    ],
)
def test_describe_json_is_the_json_of_describe(version: NewVersion) -> None:
    reference = json.dumps(
        {
            "code": version.code,
            "valid_from": version.valid_from.isoformat(),
            "valid_to": None if version.valid_to is None else version.valid_to.isoformat(),
            "fee": None
            if version.fee_cents is None
            else format(from_cents(version.fee_cents), "f"),
            "profiles": {p.label(): format(p.reimbursement, "f") for p in version.profiles},
            "source": version.source,
        },
        ensure_ascii=False,
    )
    assert describe_json(version) == reference


def test_the_benchmark_file_imports_in_one_pass(
    session: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # the generator's layout (codes grouped, yearly periods, two profiles), a few codes
    from benchmarks.generate import DEFAULT_SEED, Sizes, write_tariffs

    path = tmp_path / "tariffs.csv"
    write_tariffs(path, Sizes(codes=30, periods=4), random.Random(DEFAULT_SEED), DEFAULT_SEED)

    def no_scan(self: Any) -> dict[str, int]:
        raise AssertionError("a file grouped by code needs no first pass")

    monkeypatch.setattr(_files.ImportTable, "scan", no_scan)
    summary = svc.import_rows(
        session=session, rows=svc.read_table(path, path.name), filename=path.name
    )
    assert summary.inserted == 30 * 4 * 2
    assert session.execute(text("SELECT count(*) FROM tariff")).scalar_one() == 30 * 4
