"""MAF services on the demo database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from inami_cli.db.models import AuditEntry, MafCounter, MafParameter
from inami_cli.domain.errors import Conflict, FileErrors, InvalidInput, NotFound
from inami_cli.services import maf
from tests.helpers import row_count

D = date.fromisoformat
MARC, LENA, SOPHIE, PIETER = "72110313704", "16042205863", "85061508234", "60013021159"


@pytest.fixture
def demo(demo_db_url: str) -> Iterator[Any]:
    from sqlmodel import Session

    from inami_cli.db.engine import make_engine
    from inami_cli.services.audit import set_actor

    set_actor("tests", "pytest")
    engine = make_engine(demo_db_url)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def test_reference_parameters_load_once_and_never_overwrite(demo: Any) -> None:
    assert row_count(demo, MafParameter) > 60
    maf.params_set(session=demo, year=2024, name="child_ceiling", value="746.66",
                   reliability="official", source="published later")  # fmt: skip
    demo.commit()
    assert maf.load_reference(session=demo) == 0
    row = maf.params_list(session=demo, year=2024, name="child_ceiling")[0]
    assert (row.value, row.reliability) == ("746.66", "official")


def test_demo_household_reaches_its_ceiling(demo: Any) -> None:
    answer = maf.maf_compute(session=demo, year=2024, household="H1")
    income = answer.result.caps[0]
    assert (income.kind, income.amount, income.reached_on) == ("income", 74666, D("2024-10-03"))
    assert answer.result.counted_total == 86512
    assert answer.result.refund_total == 86512 - 74666
    assert answer.result.excluded_total == 1240 + 8500  # drug-Cs and a supplement


def test_status_for_the_desk(demo: Any) -> None:
    status = maf.maf_status(session=demo, niss=MARC, year=2024, as_of=D("2024-09-30"))
    assert (status.paid, status.ceiling, status.ceiling_kind) == (70702, 74666, "income")
    assert "has paid 707.02 € of the 746.66 € ceiling" in status.sentence()
    social = maf.maf_status(session=demo, niss=SOPHIE, year=2024)
    assert (social.ceiling_kind, social.ceiling, social.paid) == ("social", 51692, 9760)


def test_strict_refuses_a_derived_figure(demo: Any) -> None:
    with pytest.raises(Conflict, match="2024 child_ceiling"):
        maf.maf_compute(session=demo, year=2024, household="H1", strict=True)


def test_recorded_care_counts_its_legal_share_only(demo: Any) -> None:
    from inami_cli.services.reimbursement import CaseRequest, reimburse

    # a non-conventioned physiotherapist, an ordinary patient: reimbursement 23.75 cut by
    # 25 % to 17.81, the patient pays 12.19; the MAF counts the legal 6.25 only
    reimburse(session=demo, request=CaseRequest(("567011",), D("2024-03-04"), niss=PIETER,
              provider="non-conventioned"), record=True)  # fmt: skip
    # a non-conventioned GP charging 40.00 for 101076: the 8.19 supplement never counts
    reimburse(session=demo, request=CaseRequest(("101076",), D("2024-03-05"), niss=PIETER,
              provider="non-conventioned", charged=(Decimal("40.00"),)), record=True)  # fmt: skip
    maf.household_add(session=demo, year=2024, code="P", members=[PIETER])
    maf.household_set_income(session=demo, year=2024, code="P", amount=Decimal("50000"))
    answer = maf.maf_compute(session=demo, year=2024, household="P")
    member = answer.result.members[0]
    gp_share = 3181 - 2781  # 101076 ordinary with DMG in 2024: 31.81 - 27.81
    assert member.counted == 625 + gp_share
    reasons = {e.reason for e in answer.result.exclusions}
    assert any("physiotherapy cut" in r for r in reasons) and "supplement" in reasons
    assert member.excluded == (1219 - 625) + 819


def test_household_rules(demo: Any) -> None:
    with pytest.raises(Conflict, match="already belongs to household H1"):
        maf.household_add(session=demo, year=2024, members=[MARC])
    with pytest.raises(NotFound, match="no person"):
        maf.household_add(session=demo, year=2024, members=["85073003328"])
    with pytest.raises(InvalidInput, match="not a --member"):
        maf.household_add(session=demo, year=2024, members=[PIETER], bim=[MARC])
    with pytest.raises(Conflict, match="exists already"):
        maf.household_add(session=demo, year=2024, code="H1", members=[PIETER])
    with pytest.raises(InvalidInput, match="died"):
        maf.household_add(session=demo, year=2026, members=["38070101229"])
    with pytest.raises(NotFound, match="no MAF household X9"):
        maf.household_show(session=demo, year=2024, code="X9")


def test_register_flags_are_the_default(demo: Any) -> None:
    view = maf.household_add(session=demo, year=2025, members=[SOPHIE, "50051702367"])
    flags = {m.niss: (m.social, m.chronic) for m in view.members}
    assert flags == {SOPHIE: (True, False), "50051702367": (True, True)}
    assert view.code == "H1"  # the first household of 2025
    audit = demo.execute(select(AuditEntry).where(AuditEntry.entity == "maf_household")).scalars()
    assert any(a.key == "2025 H1" for a in audit)


def test_counters_add_conflict_and_import(demo: Any, tmp_path: Path) -> None:
    counter = maf.check_counter(niss=SOPHIE, day=D("2024-10-02"), kind="drug-B",
                                tm=Decimal("14.20"))  # fmt: skip
    maf.counter_add(session=demo, counter=counter)
    with pytest.raises(Conflict, match="recorded already"):
        maf.counter_add(session=demo, counter=counter)
    file = tmp_path / "c.csv"
    file.write_text("niss;date;kind;tm\n85061508234;2024-10-03;drug-A;3,10\n", encoding="utf-8")
    first = maf.import_counters(session=demo, file=str(file))
    again = maf.import_counters(session=demo, file=str(file))
    assert (first.inserted, again.inserted, again.unchanged) == (1, 0, 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("niss,date,kind,tm\n85061508234,2024-10-03,drug-Z,3\n"
                   "85061508235,2024-10-03,drug-A,3\n", encoding="utf-8")  # fmt: skip
    before = row_count(demo, MafCounter)
    with pytest.raises(FileErrors) as caught:
        maf.import_counters(session=demo, file=str(bad))
    assert caught.value.problems[0].startswith(f"{bad}:2: kind 'drug-Z'")
    assert caught.value.problems[1].startswith(f"{bad}:3: ")
    assert row_count(demo, MafCounter) == before


def test_params_import_is_idempotent(demo: Any, tmp_path: Path) -> None:
    file = tmp_path / "p.csv"
    file.write_text("year,name,value,reliability,source\n2025,social_ceiling,527.26,official,x\n"
                    "2025,letter.B,1,official,x\n", encoding="utf-8")  # fmt: skip
    dry = maf.import_params(session=demo, file=str(file), dry_run=True)
    assert dry.inserted == 2 and not maf.params_list(session=demo, year=2025)
    done = maf.import_params(session=demo, file=str(file))
    again = maf.import_params(session=demo, file=str(file))
    assert (done.inserted, again.unchanged) == (2, 2)


def test_db_check_is_clean_on_the_demo(demo: Any) -> None:
    from inami_cli.services.dbadmin import check

    assert check(session=demo) == []
