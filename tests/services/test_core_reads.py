"""The one-shot reads answer the same through a Core connection (``AppState.reader``, no
SQLModel) as through the ORM session, on the demo data, on SQLite and PostgreSQL (issue 19).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from inami_cli.db.engine import make_engine, read_transaction, transaction
from inami_cli.domain.errors import InamiError
from inami_cli.services import insurability, nomenclature, reimbursement

DAYS = (date(2024, 6, 30), date(2026, 3, 2))
CODES = ("101076", "105755", "301593", "560011", "350000", "999999")
PERSONS = ("85061508234", "16042205863", "90090906467", "38070101229", "50051702367",
           "85073003328")  # fmt: skip


def _answer(read: Callable[[Any], Any], session: Any) -> Any:
    try:
        return read(session)
    except InamiError as exc:  # the same error, with the same message
        return (type(exc).__name__, exc.message)


def _both(url: str, read: Callable[[Any], Any]) -> tuple[Any, Any]:
    engine = make_engine(url)
    try:
        with transaction(engine, write=False) as session:
            orm = _answer(read, session)
        with read_transaction(engine) as connection:
            core = _answer(read, connection)
    finally:
        engine.dispose()
    return orm, core


@pytest.mark.parametrize("code", CODES)
def test_nomenclature_reads(demo_db_url: str, code: str) -> None:
    for day in DAYS:
        for history in (False, True):
            orm, core = _both(
                demo_db_url,
                lambda s: nomenclature.show(session=s, code=code, on=day, history=history),  # noqa: B023
            )
            assert core == orm
        orm, core = _both(
            demo_db_url,
            lambda s: nomenclature.act_on(session=s, code=code, on=day),  # noqa: B023
        )
        assert core == orm
    orm, core = _both(demo_db_url, lambda s: nomenclature.list_act_rules(session=s, code=code))
    assert core == orm


def test_search_and_list(demo_db_url: str) -> None:
    for text in ("consultation", "kinésithérapie", "médecin généraliste"):
        orm, core = _both(
            demo_db_url,
            lambda s: nomenclature.search(session=s, text=text, active=True),  # noqa: B023
        )
        assert core == orm
    orm, core = _both(demo_db_url, lambda s: nomenclature.list_acts(session=s, on=DAYS[1]))
    assert core == orm and core


@pytest.mark.parametrize("niss", PERSONS)
def test_insurability_reads(demo_db_url: str, niss: str) -> None:
    for day in DAYS:
        orm, core = _both(
            demo_db_url,
            lambda s: insurability.beneficiary_on(session=s, niss=niss, on=day),  # noqa: B023
        )
        assert core == orm
    orm, core = _both(
        demo_db_url,
        lambda s: insurability.beneficiary_over(session=s, niss=niss, start=DAYS[0], end=DAYS[1]),
    )
    assert core == orm
    orm, core = _both(
        demo_db_url,
        lambda s: insurability.beneficiary_by_member(
            session=s, insurer_code="300", member_number="1234567", on=DAYS[1]
        ),
    )
    assert core == orm


def _case(**kw: Any) -> reimbursement.CaseRequest:
    return reimbursement.CaseRequest(on=DAYS[1], **kw)


CASES = [
    _case(codes=("101076",), overrides=reimbursement.Overrides("preferential", True, 40)),
    _case(codes=("101076", "350000"), niss="85061508234"),
    _case(codes=("560011",), niss="16042205863"),  # physiotherapy: the agreements read
    _case(
        codes=("105755",), overrides=reimbursement.Overrides("ordinary"), charged=(Decimal("45"),)
    ),
    _case(codes=("101076",), niss="38070101229"),  # deceased: refused
    _case(codes=("999999",), overrides=reimbursement.Overrides("ordinary")),  # unknown code
]


@pytest.mark.parametrize("request_", CASES)
def test_reimburse_reads(demo_db_url: str, request_: reimbursement.CaseRequest) -> None:
    for explain in (False, True):
        orm, core = _both(
            demo_db_url,
            lambda s: reimbursement.reimburse(session=s, request=request_, explain=explain),  # noqa: B023
        )
        assert core == orm


def test_reimburse_reads_the_recorded_care(demo_db_url: str) -> None:
    request = _case(codes=("101076",), niss="85061508234")
    engine = make_engine(demo_db_url)
    try:
        with transaction(engine, write=True) as session:
            reimbursement.reimburse(session=session, request=request, record=True)
    finally:
        engine.dispose()
    orm, core = _both(
        demo_db_url, lambda s: reimbursement.reimburse(session=s, request=request, explain=True)
    )
    assert core == orm
    from sqlalchemy import select

    from inami_cli.db.tables.reimbursement import care_record

    engine = make_engine(demo_db_url)
    try:
        with read_transaction(engine) as connection:
            rows = connection.execute(select(care_record).where(care_record.c.niss == request.niss))
            (row,) = rows.all()  # written through the model, read through the Core table
    finally:
        engine.dispose()
    assert (row.code, row.care_date) == ("101076", DAYS[1])
    assert row.recorded_at.utcoffset() is not None  # aware, as the model's type reads it


def test_record_needs_the_orm_session(demo_db_url: str) -> None:
    request = _case(codes=("101076",), niss="85061508234")
    engine = make_engine(demo_db_url)
    try:
        with read_transaction(engine) as connection, pytest.raises(TypeError, match="ORM"):
            reimbursement.reimburse(session=connection, request=request, record=True)
    finally:
        engine.dispose()


@pytest.mark.parametrize("url", ["postgresql://u@db.invalid/inami", "postgresql+psycopg://u@h/x"])
def test_postgresql_engines_skip_the_hstore_look_up(url: str) -> None:
    """No column is an HSTORE, so the first connection of a command does not look the type up
    (``use_native_hstore=False``, a documented option of SQLAlchemy's psycopg dialect: one
    round trip less before a one-shot answer, issue 19). Made without connecting."""
    pytest.importorskip("psycopg")
    engine = make_engine(url)
    assert engine.dialect.driver == "psycopg"
    assert engine.dialect.use_native_hstore is False
