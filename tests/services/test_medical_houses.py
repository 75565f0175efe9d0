"""Medical-house enrolments on a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from inami_cli.db.models import AuditEntry, MedicalHouseEnrolment
from inami_cli.domain.errors import Conflict, FileErrors, NotFound
from inami_cli.services import insurability as svc
from inami_cli.services import reimbursement as reimb
from tests.helpers import row_count

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
D = date.fromisoformat
PARENT = "72110313704"  # ordinary, CM (100), born 1972


@pytest.fixture
def demo(session: Any) -> Any:
    svc.load_fixtures(session=session, fixtures_dir=FIXTURES)
    session.commit()
    return session


def test_add_end_list_and_the_status(demo: Any) -> None:
    audit = row_count(demo, AuditEntry)
    view = svc.medical_house_add(
        session=demo, niss=PARENT, house="WGC De Linde", disciplines="gp,kine",
        valid_from=D("2025-01-01"),
    )  # fmt: skip
    assert view.disciplines == ("gp", "physio")
    with pytest.raises(Conflict, match="overlaps the existing period 2025-01-01"):
        svc.medical_house_add(
            session=demo, niss=PARENT, house="Agora", disciplines="nursing",
            valid_from=D("2025-06-01"),
        )  # fmt: skip
    ended = svc.medical_house_end(session=demo, niss=PARENT, on=D("2025-12-31"))
    assert ended.valid_to == D("2025-12-31")
    svc.medical_house_add(
        session=demo, niss=PARENT, house="Agora", disciplines="nursing",
        valid_from=D("2026-01-01"),
    )  # fmt: skip
    demo.commit()
    assert row_count(demo, AuditEntry) == audit + 3
    assert [v.house for v in svc.medical_house_list(session=demo, niss=PARENT)] == [
        "WGC De Linde",
        "Agora",
    ]
    status = svc.beneficiary_on(session=demo, niss=PARENT, on=D("2025-03-02"))
    assert (status.medical_house, status.medical_house_disciplines) == (
        "WGC De Linde",
        ("gp", "physio"),
    )
    record = svc.beneficiary_on(session=demo, niss=PARENT, on=D("2026-03-02")).as_record()
    assert (record["medical_house"], record["medical_house_disciplines"]) == ("Agora", "nursing")
    with pytest.raises(NotFound):
        svc.medical_house_end(session=demo, niss=PARENT, on=D("2024-01-01"))


def test_reimbursement_refused_during_the_enrolment_only(demo_db_url: str) -> None:
    from sqlmodel import Session

    from inami_cli.db.engine import make_engine

    engine = make_engine(demo_db_url)
    try:
        with Session(engine) as session:
            svc.medical_house_add(
                session=session, niss=PARENT, house="Linde", disciplines="gp",
                valid_from=D("2026-01-01"),
            )  # fmt: skip
            for day, code in ((D("2026-03-02"), "911"), (D("2025-12-31"), None)):
                answer = reimb.reimburse(
                    session=session,
                    request=reimb.CaseRequest(codes=("101076",), on=day, niss=PARENT),
                )
                assert answer.results[0].refusal_code == code
            # physiotherapy is not covered by this enrolment
            answer = reimb.reimburse(
                session=session,
                request=reimb.CaseRequest(codes=("560011",), on=D("2026-03-02"), niss=PARENT),
            )
            assert answer.results[0].refusal_code != "911"
            session.rollback()
    finally:
        engine.dispose()


def test_import_is_all_or_nothing_and_idempotent(demo: Any, tmp_path: Path) -> None:
    good = (
        "niss,house,disciplines,valid_from,valid_to\n" + f"{PARENT},Linde,gp+physio,2025-01-01,\n"
    )
    report = svc.import_medical_houses(session=demo, lines=good.splitlines(True), filename="f")
    demo.commit()
    assert (report.inserted, report.updated, report.unchanged) == (1, 0, 0)
    again = svc.import_medical_houses(session=demo, lines=good.splitlines(True), filename="f")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)
    changed = good.replace("gp+physio,2025-01-01,", "gp,2025-01-01,2025-12-31")
    report = svc.import_medical_houses(session=demo, lines=changed.splitlines(True), filename="f")
    assert report.updated == 1
    demo.commit()
    bad = (
        "niss,house,disciplines,valid_from,valid_to\n"
        f"{PARENT},Agora,nursing,2026-01-01,2026-12-31\n"
        f"{PARENT},Agora,dentist,2027-01-01,\n"
        "85073003328,Agora,gp,2026-01-01,\n"
    )
    with pytest.raises(FileErrors) as caught:
        svc.import_medical_houses(session=demo, lines=bad.splitlines(True), filename="mh.csv")
    assert caught.value.problems == [
        "mh.csv:3: discipline 'dentist': expected gp, physio or nursing (MyCareNet Medical, "
        "Kine, Nurse)"
    ]
    bad = bad.replace("dentist", "gp")
    with pytest.raises(FileErrors) as caught:
        svc.import_medical_houses(session=demo, lines=bad.splitlines(True), filename="mh.csv")
    assert caught.value.problems == ["mh.csv:4: person 85073003328 is not in the register"]
    overlap = "niss,house,disciplines,valid_from,valid_to\n" + f"{PARENT},Agora,gp,2025-06-01,\n"
    with pytest.raises(FileErrors) as caught:
        svc.import_medical_houses(session=demo, lines=overlap.splitlines(True), filename="o")
    assert "o:2" in caught.value.problems[0]
    assert row_count(demo, MedicalHouseEnrolment) == 1
