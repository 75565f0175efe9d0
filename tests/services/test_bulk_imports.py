"""The fast paths of the person and entitlement imports (SQLite, and PostgreSQL's COPY when
configured): line numbers, file digest, insert order, shortcuts that fall back to the rules,
and the SQLite page cache given back."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from sqlalchemy import select, text

from inami_cli.db.models import Affiliation, Entitlement, ImportBatch, Person
from inami_cli.domain.errors import FileErrors
from inami_cli.services import bulkio
from inami_cli.services import insurability as svc

HEADER = (
    "niss,last_name,first_name,insurer_code,member_number,quality,titular_niss,ct1,ct2,"
    "valid_from,valid_to\n"
)
PARENT = "72110313704"
CHILD = "16042205863"
TRANSFER = "90090906467"


def _persons(session: Any, body: str, **kwargs: Any) -> svc.ImportReport:
    return svc.import_persons(
        session=session, lines=io.StringIO(HEADER + body, newline=""), filename="f.csv", **kwargs
    )


def test_line_numbers_count_the_lines_of_a_quoted_field(session: Any) -> None:
    svc.seed_insurers(session=session)
    body = (
        f'{PARENT},"Verhaegen\nde Smet",Marc,100,1,titular,,110,110,2020-01-01,\n'
        f"{TRANSFER},M,I,100,2,titular,,110,110,2020-13-01,\n"
    )
    with pytest.raises(FileErrors) as caught:
        _persons(session, body)
    assert caught.value.problems == [
        "f.csv:4: valid_from: '2020-13-01' is not a date (use YYYY-MM-DD)"
    ]


def test_batch_digest_is_the_file_sha256_from_a_file_or_a_list(session: Any) -> None:
    svc.seed_insurers(session=session)
    body = f"{PARENT},V,M,100,1,titular,,110,110,2020-01-01,\r\n"
    from_file = _persons(session, body)
    assert from_file.lines == 2
    body2 = f"{TRANSFER},M,I,100,2,titular,,110,110,2020-01-01,\n"
    from_list = svc.import_persons(
        session=session, lines=(HEADER + body2).splitlines(True), filename="g.csv"
    )
    digests = {r[0]: r[1] for r in session.execute(select(ImportBatch.id, ImportBatch.sha256))}
    assert digests[from_file.batch_id] == hashlib.sha256((HEADER + body).encode()).hexdigest()
    assert digests[from_list.batch_id] == hashlib.sha256((HEADER + body2).encode()).hexdigest()


def test_periods_out_of_order_are_stored_by_start_and_previewed_in_file_order(
    session: Any,
) -> None:
    svc.seed_insurers(session=session)
    body = (
        f"{TRANSFER},M,I,500,7,titular,,110,110,2024-01-01,\n"
        f"{PARENT},V,M,100,1,titular,,110,110,2020-01-01,\n"
        f"{TRANSFER},M,I,300,8,titular,,110,110,2012-01-01,2015-12-31\n"
        f"{TRANSFER},M,I,100,9,titular,,110,110,2016-01-01,2023-12-31\n"
        f"{CHILD},V,L,100,4,Dependent, {PARENT} ,110, 110,2020-01-01,\n"
    )
    preview = _persons(session, body, dry_run=True)
    assert [c.key for c in preview.changes if c.entity == "affiliation"] == [
        f"{TRANSFER} 2024-01-01",
        f"{TRANSFER} 2012-01-01",
        f"{TRANSFER} 2016-01-01",
        f"{PARENT} 2020-01-01",
        f"{CHILD} 2020-01-01",
    ]
    report = _persons(session, body)
    assert (report.inserted, report.updated, report.unchanged) == (8, 0, 0)
    rows = session.execute(
        select(
            Affiliation.niss, Affiliation.valid_from, Affiliation.quality, Affiliation.titular_niss,
            Affiliation.ct2,
        ).order_by(Affiliation.id)
    ).all()  # fmt: skip
    assert [(r[0], r[1].isoformat()) for r in rows] == [
        (CHILD, "2020-01-01"),
        (PARENT, "2020-01-01"),
        (TRANSFER, "2012-01-01"),
        (TRANSFER, "2016-01-01"),
        (TRANSFER, "2024-01-01"),
    ]
    # the cells the shortcuts do not take went through the rules: same stored values
    assert tuple(rows[0][2:]) == ("dependent", PARENT, "110")
    person = session.get(Person, CHILD)
    assert (person.birth_date.isoformat(), person.sex, person.is_bis) == ("2016-04-22", "F", False)


def test_entitlement_kind_spelt_otherwise_goes_through_the_rule(session: Any) -> None:
    svc.seed_insurers(session=session)
    _persons(session, f"{PARENT},V,M,100,1,titular,,110,110,2020-01-01,\n")
    lines = [
        "niss,kind,valid_from,valid_to,detail\n",
        f"{PARENT},Third-Party,2021-01-01,2021-12-31,\n",
        f"{PARENT},third_party,2022-01-01,,\n",
        f"{PARENT},chronic,2022-01-01,,\n",
    ]
    report = svc.import_entitlements(session=session, lines=lines, filename="e.csv")
    assert report.inserted == 3
    kinds = session.execute(
        select(Entitlement.kind, Entitlement.valid_from).order_by(Entitlement.id)
    ).all()
    assert [(k, d.isoformat()) for k, d in kinds] == [
        ("chronic", "2022-01-01"),
        ("third_party", "2021-01-01"),
        ("third_party", "2022-01-01"),
    ]


def test_sqlite_bulk_cache_is_given_back_even_after_an_error(session: Any) -> None:
    if session.get_bind().dialect.name != "sqlite":
        with bulkio.sqlite_bulk_cache(session):  # a no-op elsewhere
            pass
        return

    def cache_size() -> int:
        return int(session.execute(text("PRAGMA cache_size")).scalar_one())

    before = cache_size()
    with bulkio.sqlite_bulk_cache(session):
        assert cache_size() == -bulkio.BULK_CACHE_KIB
    assert cache_size() == before
    with pytest.raises(RuntimeError), bulkio.sqlite_bulk_cache(session):
        raise RuntimeError("boom")
    assert cache_size() == before


def test_gc_paused_restores_the_collector() -> None:
    import gc

    assert gc.isenabled()
    with bulkio.gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
