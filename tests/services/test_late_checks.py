"""Big imports into empty tables build their indexes (and on PostgreSQL add their foreign
keys back) once the rows are in, inside the import's transaction (``bulkio.
indexes_built_after``, issue 19): the same indexes and keys afterwards, every row checked
against the keys, a refused file leaving indexes, keys and rows as before, and a table in
use loaded with its indexes and keys in place."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError

from inami_cli.db.models import Affiliation, Insurer, Person, Tariff, TariffProfile
from inami_cli.domain.errors import FileErrors
from inami_cli.services import bulkio, nomenclature
from inami_cli.services import insurability as persons
from inami_cli.services.insurability import _person_import
from inami_cli.services.nomenclature import _imports as tariff_imports
from inami_cli.services.nomenclature._files import read_table
from tests.services.test_bulk_imports import CHILD, HEADER, PARENT, TRANSFER

PERSONS = (
    f"{PARENT},V,M,100,1,titular,,110,110,2020-01-01,2022-12-31\n"
    f"{PARENT},V,M,300,9,titular,,110,110,2023-01-01,\n"
    f"{TRANSFER},M,I,300,8,titular,,110,110,2012-01-01,\n"
    f"{CHILD},V,L,100,4,dependent,{PARENT},110,110,2020-01-01,\n"
)
TARIFF_HEADER = "code,valid_from,valid_to,fee,regime,dmg,reimbursement,label_fr,label_nl,article\n"
TARIFFS = (
    "101076,2024-01-01,,31.81,ordinary,no,25.81,Consultation,Raadpleging,2\n"
    "101076,2024-01-01,,31.81,preferential,no,30.31,,,\n"
    "101076,2025-01-01,,32.84,ordinary,no,26.84,,,\n"
    "102771,2024-01-01,,40.00,ordinary,no,30.00,Visite,Bezoek,2\n"
)


@pytest.fixture
def pg(session: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The session, on PostgreSQL only; every import is big."""
    if session.connection().dialect.name != "postgresql":
        pytest.skip("foreign keys are added back on PostgreSQL only")
    session.rollback()
    monkeypatch.setattr(bulkio, "LATE_INDEX_ROWS", 1)
    return session


def _checks(session: Any, *tables: str) -> set[tuple[str, str]]:
    """The non-unique indexes and the foreign keys of *tables*: (name, definition)."""
    query = text(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
        " WHERE indrelid::regclass::text = ANY(:names) AND NOT indisunique"
        " UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid::regclass::text = ANY(:names) AND contype = 'f'"
    )
    rows = session.execute(query, {"names": list(tables)}).all()
    return {(str(name), str(definition)) for name, definition in rows}


def _count(session: Any, model: Any) -> int:
    return int(session.execute(select(func.count()).select_from(model)).scalar_one())


@pytest.fixture
def statements(session: Any) -> Iterator[list[str]]:
    """The SQL the test's session runs."""
    seen: list[str] = []
    engine = session.get_bind()

    def listen(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", listen)
    yield seen
    event.remove(engine, "before_cursor_execute", listen)


def _import_persons(session: Any, body: str) -> persons.ImportReport:
    return persons.import_persons(
        session=session, lines=io.StringIO(HEADER + body, newline=""), filename="f.csv"
    )


def test_person_import_adds_the_keys_back_after_the_rows(
    pg: Any, statements: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_person_import, "BATCH_ROWS", 1)  # rows written by several batches
    persons.seed_insurers(session=pg)
    pg.commit()
    before = _checks(pg, "person", "affiliation")
    assert ("affiliation_niss_fkey", "FOREIGN KEY (niss) REFERENCES person(niss)") in before
    assert _import_persons(pg, PERSONS).inserted == 7
    pg.commit()
    assert _checks(pg, "person", "affiliation") == before
    dropped = [s for s in statements if " DROP CONSTRAINT " in s or s.startswith("DROP INDEX")]
    assert len(dropped) == 6  # 4 keys, 2 indexes: once each, not per batch
    assert [s for s in statements if s.startswith("SET LOCAL maintenance_work_mem")]
    assert _count(pg, Affiliation) == 4


@pytest.mark.parametrize("problem", ["row", "overlap after a written batch"])
def test_refused_person_import_leaves_keys_indexes_and_rows(
    pg: Any, monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    monkeypatch.setattr(_person_import, "BATCH_ROWS", 1)
    persons.seed_insurers(session=pg)
    pg.commit()
    before = _checks(pg, "person", "affiliation")
    bad = (
        f"{TRANSFER},M,I,300,8,titular,,110,110,2019-01-01,2018-01-01\n"
        if problem == "row"
        else f"{TRANSFER},M,I,500,7,titular,,110,110,2024-01-01,\n"
    )
    with pytest.raises(FileErrors):
        _import_persons(pg, PERSONS + bad)
    pg.rollback()
    assert _checks(pg, "person", "affiliation") == before
    assert _count(pg, Person) == _count(pg, Affiliation) == 0


def test_keys_added_back_check_every_row(pg: Any) -> None:
    # No insurers: the affiliations' insurer key fails when it is added back, as the row
    # would have failed the key on its way in; nothing is written
    before = _checks(pg, "person", "affiliation")
    with pytest.raises(IntegrityError, match="affiliation_insurer_code_fkey"):
        _import_persons(pg, PERSONS)
    pg.rollback()
    assert _checks(pg, "person", "affiliation") == before
    assert _count(pg, Person) == 0


def test_a_table_with_rows_keeps_its_keys_and_indexes_on_postgresql(
    pg: Any, statements: list[str]
) -> None:
    """Only a first load drops keys on PostgreSQL (it locks the tables they name against
    readers until it commits: README, "Guarantees"): one stored person, then an import
    that more than doubles the tables, loads with its keys and indexes in place."""
    persons.seed_insurers(session=pg)
    pg.commit()
    assert _import_persons(pg, PERSONS.splitlines(keepends=True)[2]).inserted == 2
    pg.commit()
    statements.clear()
    before = _checks(pg, "person", "affiliation")
    assert _import_persons(pg, PERSONS).inserted == 5  # more than doubles both tables
    pg.commit()
    assert not [s for s in statements if " DROP CONSTRAINT " in s or s.startswith("DROP INDEX")]
    assert _count(pg, Affiliation) == 4
    assert _checks(pg, "person", "affiliation") == before


def test_a_table_in_use_keeps_its_keys_and_indexes(pg: Any, statements: list[str]) -> None:
    persons.seed_insurers(session=pg)
    pg.commit()
    before = _checks(pg, "person", "affiliation")
    with pg.get_bind().connect() as reader:  # another command reading the insurers
        reader.execute(select(func.count()).select_from(Insurer))
        assert _import_persons(pg, PERSONS).inserted == 7
        pg.commit()
        reader.rollback()
    # the affiliations (whose key references the insurers) go in with their checks in
    # place; the persons, whose tables are free, still get theirs after the rows
    dropped = [s for s in statements if " DROP CONSTRAINT " in s or s.startswith("DROP INDEX")]
    assert dropped == ["ALTER TABLE person DROP CONSTRAINT person_batch_id_fkey"]
    assert _checks(pg, "person", "affiliation") == before
    assert _count(pg, Affiliation) == 4


def _import_tariffs(session: Any, body: str) -> nomenclature.ImportSummary:
    table = read_table((TARIFF_HEADER + body).encode(), "t.csv")
    return nomenclature.import_rows(session=session, rows=table, filename="t.csv")


def test_first_tariff_import_adds_the_keys_back_once(
    pg: Any, statements: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tariff_imports, "BATCH_ROWS", 1)  # one code a batch
    before = _checks(pg, "tariff", "tariff_profile")
    assert _import_tariffs(pg, TARIFFS).inserted == 4
    pg.commit()
    assert _checks(pg, "tariff", "tariff_profile") == before
    added = sorted(s.split()[5] for s in statements if " ADD CONSTRAINT " in s)
    assert added == [
        "tariff_batch_id_fkey", "tariff_code_fkey", "tariff_decision_id_fkey",
        "tariff_profile_tariff_id_fkey",
    ]  # fmt: skip
    assert _count(pg, Tariff) == 3 and _count(pg, TariffProfile) == 4
    # a second import finds the tables filled: the keys stay
    statements.clear()
    assert _import_tariffs(pg, TARIFFS).unchanged == 4
    assert not [s for s in statements if " DROP CONSTRAINT " in s]


def test_refused_tariff_import_leaves_keys_and_indexes(
    pg: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tariff_imports, "BATCH_ROWS", 1)
    before = _checks(pg, "tariff", "tariff_profile")
    with pytest.raises(FileErrors):
        _import_tariffs(pg, TARIFFS + "102793,2024-01-01,,x,ordinary,no,1.00,Visite,Bezoek,2\n")
    pg.rollback()
    assert _checks(pg, "tariff", "tariff_profile") == before
    assert _count(pg, Tariff) == 0


def test_import_table_counts_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes((TARIFF_HEADER + TARIFFS).encode())
    assert read_table(path, "t.csv").lines() == 6  # 5 lines and the empty one after
    table = read_table((TARIFF_HEADER + TARIFFS.rstrip()).encode(), "t.csv")
    assert table.lines() == 5
    table.scan()
    assert table.lines() == table.rows_at_most


ENTITLEMENTS = (
    "niss,kind,valid_from,valid_to,detail\n"
    f"{TRANSFER},bim,2020-01-01,2020-12-31,automatic\n"
    f"{PARENT},dmg,2021-01-01,,12345678901\n"
    f"{TRANSFER},chronic,2022-01-01,,\n"
)


def _import_entitlements(session: Any, text: str) -> persons.ImportReport:
    lines = io.StringIO(text, newline="")
    return persons.import_entitlements(session=session, lines=lines, filename="e.csv")


def test_entitlement_import_builds_its_index_after_the_rows(
    session: Any, statements: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import inspect

    persons.seed_insurers(session=session)
    _import_persons(session, PERSONS)  # (small: its checks stay in place)
    session.commit()
    monkeypatch.setattr(bulkio, "LATE_INDEX_ROWS", 1)

    def indexes() -> list[Any]:
        return list(inspect(session.connection()).get_indexes("entitlement"))

    before = indexes()
    statements.clear()
    assert _import_entitlements(session, ENTITLEMENTS).inserted == 3
    session.commit()
    assert indexes() == before
    built = [s.split()[2] for s in statements if s.startswith("CREATE INDEX")]
    assert built == ["ix_entitlement_niss_kind"]
    if session.connection().dialect.name == "postgresql":
        added = sorted(s.split()[5] for s in statements if " ADD CONSTRAINT " in s)
        assert added == ["entitlement_batch_id_fkey", "entitlement_niss_fkey"]


def test_refused_entitlement_import_leaves_keys_and_index(pg: Any) -> None:
    from inami_cli.db.models import Entitlement

    persons.seed_insurers(session=pg)
    _import_persons(pg, PERSONS)
    pg.commit()
    before = _checks(pg, "entitlement")
    unknown = "85073003328,bim,2020-01-01,,automatic\n"  # not in the register
    with pytest.raises(FileErrors):
        _import_entitlements(pg, ENTITLEMENTS + unknown)
    pg.rollback()
    assert _checks(pg, "entitlement") == before
    assert _count(pg, Entitlement) == 0


def test_interrupted_import_leaves_keys_indexes_and_rows(
    pg: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inami_cli.db.engine import transaction

    # Ctrl-C after a batch was written, with the keys dropped: the command's transaction
    # rolls back, the keys and indexes with the rows
    monkeypatch.setattr(_person_import, "BATCH_ROWS", 1)
    persons.seed_insurers(session=pg)
    pg.commit()
    before = _checks(pg, "person", "affiliation")
    plan = _person_import._PersonImport.plan
    calls: list[int] = []

    def interrupted(self: Any, batch: Any) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        plan(self, batch)

    monkeypatch.setattr(_person_import._PersonImport, "plan", interrupted)
    with pytest.raises(KeyboardInterrupt), transaction(pg.get_bind(), write=True) as session:
        _import_persons(session, PERSONS)
    assert _checks(pg, "person", "affiliation") == before
    assert _count(pg, Person) == 0
