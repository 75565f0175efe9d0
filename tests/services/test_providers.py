"""Provider register and agreements on a real database (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import io
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from inami_cli.db.models import (
    Adherence,
    Agreement,
    AuditEntry,
    Provider,
    ProviderAccreditation,
    ProviderAddress,
    ProviderQualification,
)
from inami_cli.domain.errors import Conflict, FileErrors, InvalidInput, NotFound
from inami_cli.services import providers as svc
from inami_cli.services.audit import set_actor
from tests.helpers import row_count

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
D = date.fromisoformat
GP = "19001706004"  # accredited GP, fully conventioned, Brussels
SPECIALIST = "19002595100"  # partially conventioned, blocks Tue/Thu 14-18, Sat 09-13 (2026)
REFUSER = "19003387003"  # recognised GP, refused the 2024-2025 agreement for 2025
PHYSIO = "59004110001"  # non-conventioned physiotherapist
DENTIST = "39005876001"
FOUR_MORNINGS = "Mon 8-12, Tue 8-12, Wed 8-12, Thu 8-12"


@pytest.fixture
def demo(session: Any) -> Any:
    set_actor("tests", "pytest")
    svc.load_fixtures(session=session, fixtures_dir=FIXTURES)
    session.commit()
    return session


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def test_real_agreements_are_seeded_once(session: Any) -> None:
    assert svc.load_reference(session=session) == 8
    session.commit()
    assert svc.load_reference(session=session) == 0
    keys = [a.key for a in svc.agreement_list(session=session, profession="physiotherapist")]
    assert keys == ["physio-m18", "physio-m20", "physio-m21", "physio-m22", "physio-m24",
                    "physio-m25"]  # fmt: skip
    doctors = svc.agreement_show(session=session, key="doctors-2024-2025")
    assert (doctors.concluded_on, doctors.published_on, doctors.indexation) == (
        D("2023-12-19"), D("2024-02-05"), "6.05",
    )  # fmt: skip


def test_fixtures_load_twice_change_nothing(demo: Any) -> None:
    models = (Provider, ProviderQualification, ProviderAccreditation, ProviderAddress, Adherence)
    counts = [row_count(demo, m) for m in models]
    assert counts == [5, 6, 3, 5, 5]
    svc.load_fixtures(session=demo, fixtures_dir=FIXTURES)
    demo.commit()
    assert [row_count(demo, m) for m in models] == counts


@pytest.mark.parametrize(
    ("day", "in_force"),
    [("2022-03-01", False), ("2022-07-01", True), ("2025-01-01", False), ("2025-04-30", False),
     ("2025-05-01", True), ("2024-06-01", True)],
)  # fmt: skip
def test_physio_convention_gaps_from_the_table(demo: Any, day: str, in_force: bool) -> None:
    assert svc.physio_convention_in_force(session=demo, on=D(day)) is in_force


def test_provider_facts_of_the_demo_providers(demo: Any) -> None:
    gp = svc.provider_facts(session=demo, nihii="1-90017-06-004", on=D("2026-03-02"))
    assert (gp.qualification, gp.accredited, gp.agreement, gp.convention_status) == (
        "004", True, "doctors-2026-2027", "conventioned",
    )  # fmt: skip
    assert gp.qualification_label_nl == "Erkende huisarts" and gp.region == "brussels"
    tuesday = D("2026-03-03")
    inside = svc.provider_facts(session=demo, nihii=SPECIALIST, on=tuesday, at=time(15))
    outside = svc.provider_facts(session=demo, nihii=SPECIALIST, on=tuesday, at=time(19))
    assert inside.convention_status == "partially" and inside.in_declared_block is True
    assert outside.in_declared_block is False and inside.partial_ambulatory_only
    refuser_2024 = svc.provider_facts(session=demo, nihii=REFUSER, on=D("2024-06-01"))
    refuser_2025 = svc.provider_facts(session=demo, nihii=REFUSER, on=D("2025-06-01"))
    assert refuser_2024.convention_status == "conventioned"
    assert refuser_2025.convention_status == "non-conventioned"
    physio_gap = svc.provider_facts(session=demo, nihii=PHYSIO, on=D("2025-03-01"))
    physio = svc.provider_facts(session=demo, nihii=PHYSIO, on=D("2026-03-02"))
    assert physio_gap.convention_status is None and not physio_gap.physio_convention_in_force
    assert physio.convention_status == "non-conventioned" and physio.physio_convention_in_force
    dentist = svc.provider_facts(session=demo, nihii=DENTIST, on=D("2026-03-02"))
    assert dentist.agreement is None and dentist.region == "german-speaking"
    # the 8-digit root answers the same
    assert svc.provider_facts(session=demo, nihii="19001706", on=D("2026-03-02")) == gp


def test_provider_facts_unknown_and_malformed(demo: Any) -> None:
    with pytest.raises(NotFound):
        svc.provider_facts(session=demo, nihii="1-99999-99-004", on=D("2026-03-02"))
    with pytest.raises(InvalidInput):
        svc.provider_facts(session=demo, nihii="1-2345", on=D("2026-03-02"))


def test_register_in_memory_answers_as_the_queries(demo: Any) -> None:
    register = svc.load_provider_register(session=demo)
    assert len(register) == 5 and SPECIALIST in register
    for nihii in (GP, SPECIALIST, REFUSER, PHYSIO, DENTIST):
        for day in ("2024-06-01", "2025-03-01", "2026-03-03"):
            for at in (None, time(15), time(19)):
                assert register.facts(nihii, D(day), at) == svc.provider_facts(
                    session=demo, nihii=nihii, on=D(day), at=at
                )
    assert register.physio_convention_in_force(D("2025-02-01")) is False


def test_may_attest_with_the_shipped_table(demo: Any) -> None:
    on = D("2026-03-02")
    gp = svc.attester_of(svc.provider_facts(session=demo, nihii=GP, on=on))
    refuser = svc.attester_of(svc.provider_facts(session=demo, nihii=REFUSER, on=on))
    specialist = svc.attester_of(svc.provider_facts(session=demo, nihii=SPECIALIST, on=on))
    assert svc.may_attest("101076", gp, on) is True
    assert svc.may_attest("101076", refuser, on) is False  # not accredited
    assert svc.may_attest("101032", refuser, on) is True
    assert svc.may_attest("102535", specialist, on) is True
    assert svc.may_attest("102535", gp, on) is False
    assert svc.may_attest("560011", gp, on) is None


def test_add_show_update_with_periods_and_audit(demo: Any) -> None:
    view = svc.provider_add(
        session=demo, nihii="1-90066-54-005", profession="doctor", last_name="Maes",
        valid_from=D("2021-10-01"), region="flanders", city="Leuven", postcode="3000",
    )  # fmt: skip
    assert view.qualification == "005" and view.region == "flanders"
    # recognised GP from 2024: the training period ends the day before
    view = svc.provider_update(session=demo, nihii="19006654004", valid_from=D("2024-01-01"),
                               accredited_from=D("2024-02-01"))  # fmt: skip
    periods = [(q.code, q.valid_from, q.valid_to) for q in view.qualifications]
    assert periods == [("005", D("2021-10-01"), D("2023-12-31")), ("004", D("2024-01-01"), None)]
    demo.commit()
    shown = svc.provider_show(session=demo, nihii="19006654", on=D("2024-03-01"))
    assert shown.nihii == "19006654004" and shown.accredited
    entities = {e for (e,) in demo.execute(select(AuditEntry.entity).where(
        AuditEntry.key.like("19006654%")))}  # type: ignore[attr-defined]  # fmt: skip
    assert {"provider", "provider_qualification", "provider_accreditation",
            "provider_address"} <= entities  # fmt: skip


def test_overlapping_qualification_or_accreditation_is_a_conflict(demo: Any) -> None:
    with pytest.raises(Conflict, match="overlaps qualification 005"):
        svc.provider_update(session=demo, nihii=GP, qualification="003",
                            valid_from=D("2014-06-01"), valid_to=D("2015-06-30"))  # fmt: skip
    with pytest.raises(Conflict, match="accreditation"):
        svc.provider_update(session=demo, nihii=GP, accredited_from=D("2020-01-01"))


def test_add_twice_and_bad_values(demo: Any) -> None:
    with pytest.raises(Conflict, match="already exists"):
        svc.provider_add(session=demo, nihii=GP, profession="doctor", last_name="X",
                         valid_from=D("2020-01-01"))  # fmt: skip
    with pytest.raises(InvalidInput, match="profession"):
        svc.provider_add(session=demo, nihii="19006654004", profession="wizard", last_name="X",
                         valid_from=D("2020-01-01"))  # fmt: skip
    with pytest.raises(InvalidInput, match="region"):
        svc.provider_add(session=demo, nihii="19006654004", profession="doctor", last_name="X",
                         valid_from=D("2020-01-01"), region="mars")  # fmt: skip


def test_warnings_for_check_digits_and_unknown_qualification(demo: Any) -> None:
    view = svc.provider_add(session=demo, nihii="1-90066-55-007", profession="doctor",
                            last_name="Odd", valid_from=D("2020-01-01"))  # fmt: skip
    assert any("check digits 55 differ from 54" in w for w in view.warnings)
    assert any("qualification code 007" in w for w in view.warnings)


def test_adherence_rules(demo: Any) -> None:
    view = svc.adherence_set(session=demo, agreement="doctors-2026-2027", nihii=REFUSER,
                             status="partial", blocks="Mon 14-18, Wed 9-13, Fri 9-13")  # fmt: skip
    assert view.convention_status == "partially"
    with pytest.raises(Conflict, match="a GP may declare at most 3"):
        svc.adherence_set(session=demo, agreement="doctors-2026-2027", nihii=REFUSER,
                          status="partial", blocks=FOUR_MORNINGS)  # fmt: skip
    # a specialist may declare 4
    svc.adherence_set(session=demo, agreement="doctors-2026-2027", nihii=SPECIALIST,
                      status="partial", blocks=FOUR_MORNINGS)  # fmt: skip
    with pytest.raises(Conflict, match="doctors' agreement only"):
        svc.adherence_set(session=demo, agreement="physio-m25", nihii=PHYSIO, status="partial",
                          blocks="Mon 8-12")  # fmt: skip
    with pytest.raises(Conflict, match="is for physiotherapists"):
        svc.adherence_set(session=demo, agreement="physio-m25", nihii=GP, status="refused")
    with pytest.raises(InvalidInput, match="only with a partial"):
        svc.adherence_set(session=demo, agreement="doctors-2026-2027", nihii=GP, status="full",
                          blocks="Mon 8-12")  # fmt: skip
    with pytest.raises(NotFound):
        svc.adherence_set(session=demo, agreement="doctors-1999", nihii=GP, status="full")


def test_agreement_overlap_and_decision_link(demo: Any) -> None:
    with pytest.raises(Conflict, match="overlaps doctors-2026-2027"):
        svc.agreement_add(session=demo, key="doctors-2027", profession="doctor",
                          valid_from=D("2027-01-01"))  # fmt: skip
    with pytest.raises(NotFound, match="decision"):
        svc.agreement_update(session=demo, key="physio-m25", changes={"decision": "CNMM 1/1"})
    view = svc.agreement_update(session=demo, key="physio-m25",
                                changes={"valid_to": D("2025-12-31")})  # fmt: skip
    assert view.valid_to == D("2025-12-31")
    assert svc.physio_convention_in_force(session=demo, on=D("2026-01-01")) is False
    assert row_count(demo, Agreement) == 8


def test_stats_shares(demo: Any) -> None:
    rows = svc.agreement_stats(session=demo, agreement="doctors-2024-2025", by=("region",))
    total = rows[-1]
    assert (total.providers, total.full, total.partial, total.refused) == (3, 1, 1, 1)
    assert str(total.adhered_pct) == "66.67" and str(total.refused_pct) == "33.33"
    assert {r.region for r in rows[:-1]} == {"brussels", "flanders", "wallonia"}
    with pytest.raises(InvalidInput):
        svc.agreement_stats(session=demo, agreement="doctors-2024-2025", by=("colour",))


def test_provider_import_is_idempotent_and_all_or_nothing(demo: Any) -> None:
    text = (
        "nihii;profession;last_name;valid_from;valid_to;region;city\n"
        "19006654005;doctor;Maes;2021-10-01;2023-12-31;flanders;Leuven\n"
        "19006654004;doctor;Maes;2024-01-01;;;\n"
    )
    report = svc.import_providers(session=demo, binary=_csv(text), filename="p.csv")
    assert (report.inserted, report.updated, report.unchanged) == (4, 0, 0)
    again = svc.import_providers(session=demo, binary=_csv(text), filename="p.csv")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)
    bad = "nihii,profession,last_name\n1-234,doctor,X\n19006654004,doctor,\n"
    with pytest.raises(FileErrors) as caught:
        svc.import_providers(session=demo, binary=_csv(bad), filename="bad.csv")
    assert caught.value.problems[0].startswith("bad.csv:2: INAMI number '1-234'")
    assert caught.value.problems[1] == "bad.csv:3: last_name is empty"
    overlap = "nihii,profession,last_name,valid_from\n19001706003,doctor,Lambotte,2020-01-01\n"
    with pytest.raises(svc.FileConflicts, match="overlaps"):
        svc.import_providers(session=demo, binary=_csv(overlap), filename="o.csv")


def test_export_imports_back_unchanged(demo: Any) -> None:
    import csv

    rows = list(svc.export_providers(session=demo))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(svc.EXPORT_COLUMNS))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    report = svc.import_providers(session=demo, binary=_csv(out.getvalue()), filename="x.csv")
    assert (report.inserted, report.updated) == (0, 0)


def test_adherence_import(demo: Any) -> None:
    text = (
        "agreement,nihii,status,blocks\n"
        "doctors-2026-2027,1-90033-87-003,refused,\n"
        'doctors-2026-2027,19002595100,partial,"Tue 14-18, Thu 14-18, Sat 09-13"\n'
    )
    report = svc.import_adherence(session=demo, binary=_csv(text), filename="a.csv")
    assert (report.inserted, report.updated, report.unchanged) == (1, 0, 1)
    bad_rule = "agreement,nihii,status,blocks\ndoctors-2026-2027,19003387003,partial,Mon 8-13\n"
    with pytest.raises(svc.FileConflicts, match=r"a\.csv:2: partial adherence refused"):
        svc.import_adherence(session=demo, binary=_csv(bad_rule), filename="a.csv")
    unknown = "agreement,nihii,status\ndoctors-1999,19003387003,full\n"
    with pytest.raises(FileErrors, match=r"a\.csv:2: unknown agreement"):
        svc.import_adherence(session=demo, binary=_csv(unknown), filename="a.csv")


def test_db_check_is_clean_on_the_demo(demo: Any) -> None:
    for check in svc.CHECKS:
        assert list(check(demo)) == []
