"""``person import`` streamed a batch of whole persons at a time (issue 19): a file whose
persons interleave gives what one batch gives, a problem anywhere leaves nothing written,
and the messages name the same lines (SQLite, and PostgreSQL's COPY when configured)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlalchemy import func, select

from inami_cli.db.models import Affiliation, ImportBatch, Person
from inami_cli.domain.errors import FileConflicts, FileErrors
from inami_cli.services import insurability as svc
from inami_cli.services.insurability import _person_import
from tests.services.test_bulk_imports import CHILD, HEADER, PARENT, TRANSFER

NISS = "85073003328"

# Persons interleaved: TRANSFER's rows are apart, and the child comes before its titular.
INTERLEAVED = (
    f"{TRANSFER},M,I,500,7,titular,,110,110,2024-01-01,\n"
    f"{CHILD},V,L,100,4,dependent,{PARENT},110,110,2020-01-01,\n"
    f"{TRANSFER},M,I,300,8,titular,,110,110,2012-01-01,2015-12-31\n"
    f"{NISS},D,A,300,1,titular,,110,110,2020-01-01,\n"
    f"{PARENT},V,M,100,1,titular,,110,110,2020-01-01,\n"
    f"{TRANSFER},M,I,100,9,titular,,110,110,2016-01-01,2023-12-31\n"
)


def _import(session: Any, body: str, **kwargs: Any) -> svc.ImportReport:
    return svc.import_persons(
        session=session, lines=io.StringIO(HEADER + body, newline=""), filename="f.csv", **kwargs
    )


def _count(session: Any, model: Any) -> int:
    return int(session.execute(select(func.count()).select_from(model)).scalar_one())


@pytest.mark.parametrize("batch_rows", [1, 2, 50_000])
def test_interleaved_persons_import_as_one_batch_would(
    session: Any, monkeypatch: pytest.MonkeyPatch, batch_rows: int
) -> None:
    svc.seed_insurers(session=session)
    monkeypatch.setattr(_person_import, "BATCH_ROWS", batch_rows)
    preview = _import(session, INTERLEAVED, dry_run=True)
    # persons in the order of their first row, a person's periods in file order
    assert [c.key for c in preview.changes if c.entity == "affiliation"] == [
        f"{TRANSFER} 2024-01-01",
        f"{TRANSFER} 2012-01-01",
        f"{TRANSFER} 2016-01-01",
        f"{CHILD} 2020-01-01",
        f"{NISS} 2020-01-01",
        f"{PARENT} 2020-01-01",
    ]
    report = _import(session, INTERLEAVED)
    assert (report.inserted, report.updated, report.unchanged, report.lines) == (10, 0, 0, 7)
    stored = session.execute(
        select(Affiliation.niss, Affiliation.valid_from).order_by(Affiliation.niss, Affiliation.id)
    ).all()
    assert [(n, d.isoformat()) for n, d in stored] == [
        (CHILD, "2020-01-01"),
        (PARENT, "2020-01-01"),
        (NISS, "2020-01-01"),
        (TRANSFER, "2012-01-01"),
        (TRANSFER, "2016-01-01"),
        (TRANSFER, "2024-01-01"),
    ]
    again = _import(session, INTERLEAVED)  # idempotent, batch after batch
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 10)


@pytest.mark.parametrize("batch_rows", [1, 50_000])
def test_a_bad_line_at_the_end_leaves_nothing_written(
    session: Any, monkeypatch: pytest.MonkeyPatch, batch_rows: int
) -> None:
    svc.seed_insurers(session=session)
    session.commit()
    monkeypatch.setattr(_person_import, "BATCH_ROWS", batch_rows)
    body = INTERLEAVED + f"{NISS[:-1]}9,X,Y,300,3,titular,,110,110,2020-01-01,\n"
    with pytest.raises(FileErrors) as caught:
        _import(session, body)
    assert caught.value.problems == [
        "f.csv:8: NISS '85073003329': bad check digits 29 (expected 28)"
    ]
    session.rollback()  # the caller's transaction: earlier batches were written in it
    assert (_count(session, Person), _count(session, Affiliation)) == (0, 0)
    assert _count(session, ImportBatch) == 0


def test_problems_across_batches_name_the_first_line(
    session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc.seed_insurers(session=session)
    session.commit()
    monkeypatch.setattr(_person_import, "BATCH_ROWS", 1)
    names = INTERLEAVED + f"{TRANSFER},Other,I,100,10,titular,,110,110,2025-01-01,\n"
    with pytest.raises(FileErrors) as caught:
        _import(session, names)
    assert caught.value.problems == [f"f.csv:8: {TRANSFER}: names or death date differ from line 2"]
    session.rollback()
    overlap = INTERLEAVED + f"{TRANSFER},M,I,100,10,titular,,110,110,2023-06-01,2023-08-31\n"
    with pytest.raises(FileConflicts) as conflict:
        _import(session, overlap)
    assert conflict.value.problems == [
        f"f.csv:8: affiliation of {TRANSFER} 2023-06-01..2023-08-31 overlaps "
        "2016-01-01..2023-12-31 (line 7)"
    ]
    session.rollback()
    orphan = f"{CHILD},V,L,100,4,dependent,{NISS},110,110,2020-01-01,\n"
    with pytest.raises(FileErrors) as missing:
        _import(session, orphan)
    assert missing.value.problems == [f"f.csv:2: titular {NISS} is not in the register or file"]


def test_cli_bad_line_at_the_end_exits_2_and_writes_nothing(
    session: Any, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc.seed_insurers(session=session)
    session.commit()
    monkeypatch.setattr(_person_import, "BATCH_ROWS", 1)
    text = HEADER + INTERLEAVED + f"{NISS},D,A,300,1,titular,,110,110,2020-13-01,\n"
    result = cli("person", "import", "-", input=text)
    assert result.exit_code == 2
    assert "<stdin>:8: valid_from: '2020-13-01' is not a date (use YYYY-MM-DD)" in result.stderr
    assert cli("person", "show", TRANSFER).exit_code == 3
    good = cli("person", "import", "-", "--format", "json", input=HEADER + INTERLEAVED)
    assert good.exit_code == 0, good.stderr
    assert good.json()["inserted"] == 10


def test_copy_rows_loads_inside_the_callers_transaction(session: Any) -> None:
    from datetime import date

    from inami_cli.services.bulkio import copy_rows

    connection = session.connection()
    if connection.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's (SQLite imports use the driver's executemany)")
    table = Person.__table__  # type: ignore[attr-defined]
    columns = ("niss", "last_name", "first_name", "birth_date", "sex", "is_bis", "death_date")
    rows = [
        (PARENT, "V", "M", date(1972, 11, 3), "M", False, None, "test"),
        (CHILD, "V, de", 'L "Lena"', date(2016, 4, 22), "F", False, date(2025, 1, 1), "test"),
    ]
    assert copy_rows(connection, table, (*columns, "source"), iter(rows)) == 2
    stored = session.execute(
        select(Person.niss, Person.last_name, Person.first_name, Person.death_date).order_by(
            Person.niss
        )
    ).all()
    assert [tuple(r) for r in stored] == [
        (CHILD, "V, de", 'L "Lena"', date(2025, 1, 1)),
        (PARENT, "V", "M", None),
    ]
    session.rollback()
    assert _count(session, Person) == 0


ENT_HEADER = "niss,kind,valid_from,valid_to,detail\n"
ENTITLEMENTS = (
    f"{TRANSFER},bim,2020-01-01,2020-12-31,automatic\n"
    f"{PARENT},dmg,2021-01-01,,12345678901\n"
    f"{TRANSFER},chronic,2022-01-01,,\n"
    f"{TRANSFER},bim,2021-01-01,,automatic\n"
)


@pytest.mark.parametrize("batch_rows", [1, 50_000])
def test_entitlement_import_streams_whole_persons(
    session: Any, monkeypatch: pytest.MonkeyPatch, batch_rows: int
) -> None:
    from inami_cli.db.models import Entitlement
    from inami_cli.services.insurability import _entitlement_import

    svc.seed_insurers(session=session)
    _import(session, INTERLEAVED)
    session.commit()
    monkeypatch.setattr(_entitlement_import, "BATCH_ROWS", batch_rows)

    def run(body: str) -> svc.ImportReport:
        return svc.import_entitlements(
            session=session, lines=io.StringIO(ENT_HEADER + body), filename="e.csv"
        )

    bis = "79522409148"  # valid, not in the register
    missing = ENTITLEMENTS + f"{bis},bim,2020-01-01,,automatic\n{bis},dmg,2020-01-01,,1\n"
    with pytest.raises(FileErrors) as caught:
        run(missing)
    assert caught.value.problems == [
        f"e.csv:6: person {bis} is not in the register",
        f"e.csv:7: person {bis} is not in the register",
    ]
    session.rollback()
    assert _count(session, Entitlement) == 0
    report = run(ENTITLEMENTS)
    assert (report.inserted, report.updated, report.unchanged) == (4, 0, 0)
    overlap = ENTITLEMENTS + f"{TRANSFER},bim,2020-06-01,2020-06-30,automatic\n"
    with pytest.raises(FileConflicts) as conflict:
        run(overlap)
    assert conflict.value.problems == [
        f"e.csv:6: bim of {TRANSFER} 2020-06-01..2020-06-30 overlaps 2020-01-01..2020-12-31 "
        "(line 2)"
    ]
