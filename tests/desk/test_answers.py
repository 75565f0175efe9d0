"""The desk's answers (services.desk) on the demo data: the sentence first, then why.

Demo people (fixtures/persons.csv, entitlements.csv): Sophie Lambertin 85061508234,
Solidaris (300), BIM (automatic) with a DMG since 2025; Koen Van Damsel 68031230508,
covered by 200 until 2023-06-30; Maria Fontainier 38070101229, deceased 2025-11-20.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.services import desk

DAY = date(2026, 3, 2)
SOPHIE = "85061508234"


def test_insured_yes_sentence(demo_session: Any) -> None:
    answer = desk.insured_answer(session=demo_session, niss=SOPHIE, on=DAY)
    assert answer.positive
    assert answer.sentence == (
        "Yes — insured with Solidaris (300) on 2026-03-02, preferential regime (BIM), DMG held."
    )
    person = answer.tables[0].rows[0]
    assert person["name"] == "Sophie Lambertin"
    assert person["member_number"] == "1234567"
    assert "The fund pays the doctor directly (third-party payment)." in answer.why
    assert answer.niss == SOPHIE


def test_insured_accepts_the_card_layout(demo_session: Any) -> None:
    answer = desk.insured_answer(session=demo_session, niss="85.06.15-082.34", on=DAY)
    assert answer.positive and answer.niss == SOPHIE


def test_insured_no_after_coverage_ended(demo_session: Any) -> None:
    answer = desk.insured_answer(session=demo_session, niss="68031230508", on=DAY)
    assert not answer.positive
    assert answer.sentence == (
        "No — not insured on 2026-03-02: coverage with 200 ended on 2023-06-30."
    )


def test_insured_no_for_a_deceased_person(demo_session: Any) -> None:
    answer = desk.insured_answer(session=demo_session, niss="38070101229", on=DAY)
    assert answer.sentence == "No — not insured on 2026-03-02: deceased on 2025-11-20."


def test_insured_unknown_person_is_a_no_not_an_error(demo_session: Any) -> None:
    answer = desk.insured_answer(session=demo_session, niss="85073003328", on=DAY)
    assert not answer.positive
    assert answer.sentence.startswith("No — nobody with NISS 85.07.30-033.28 is in the register")


def test_insured_invalid_niss_says_why(demo_session: Any) -> None:
    with pytest.raises(InvalidInput, match="bad check digits"):
        desk.insured_answer(session=demo_session, niss="85061508235", on=DAY)


def test_reimbursement_gp_consultation_for_bim_with_dmg(demo_session: Any) -> None:
    # 2026 fee 33.73 (Domus Medica); BIM with DMG pays the fixed 1.00 share.
    answer = desk.reimbursement_answer(session=demo_session, code="101076", on=DAY, niss=SOPHIE)
    assert answer.positive
    assert answer.sentence == (
        "101076 on 2026-03-02: fee 33.73 €, Solidaris (300) pays back 32.73 €, "
        "the patient pays 1.00 €. Third-party payment (compulsory for BIM patients at the GP): "
        "the patient hands over 1.00 € at the desk, Solidaris (300) pays 32.73 € to the "
        "provider."
    )
    amounts = answer.tables[0].rows[0]
    assert (amounts["third_party"], amounts["paid_at_desk"], amounts["paid_to_provider"]) == (
        True,
        Decimal("1.00"),
        Decimal("32.73"),
    )
    assert any("Third-party payment is compulsory here" in line for line in answer.why)
    assert (amounts["fee"], amounts["reimbursement"], amounts["personal_share"]) == (
        Decimal("33.73"),
        Decimal("32.73"),
        Decimal("1.00"),
    )
    assert "The official fee is 33.73 € (tariff in force from 2026-01-01)." in answer.why
    assert any("pays back 32.73 €" in line for line in answer.why)
    assert "So the patient's own share of the fee (ticket modérateur) is 1.00 €." in answer.why
    assert answer.why[-1] == (
        "Solidaris (300) pays 32.73 € straight to the provider (third-party payment)."
    )


def test_reimbursement_without_niss_non_conventioned_physio_with_supplement(
    demo_session: Any,
) -> None:
    # 560011 from 2026-02-01 (CASS 2026/001): fee 30.80, ordinary 24.55; 25 % less at a
    # non-conventioned physiotherapist = 18.41; charged 40,00 -> supplement 9.20.
    answer = desk.reimbursement_answer(
        session=demo_session,
        code="560011",
        on=DAY,
        regime="ordinary",
        provider="non-conventioned",
        charged=Decimal("40.00"),
    )
    assert answer.sentence == (
        "560011 on 2026-03-02: fee 30.80 €, the sickness fund pays back 18.41 €, the patient "
        "pays 12.39 € + a supplement of 9.20 € (never paid back) = 21.59 €."
    )
    assert answer.niss is None
    assert "No NISS given: the patient's situation was given by hand." in answer.why
    assert any(line.startswith("The provider asks 9.20 € more") for line in answer.why)


def test_reimbursement_refused_when_not_insured(demo_session: Any) -> None:
    answer = desk.reimbursement_answer(
        session=demo_session, code="101076", on=DAY, niss="68031230508"
    )
    assert not answer.positive
    assert answer.sentence == (
        "Not reimbursed — 101076 on 2026-03-02: not insured on the date: coverage with 200 "
        "ended on 2023-06-30 (reason 901). The patient pays the whole fee of 33.73 €."
    )


def test_reimbursement_unknown_code_is_not_found(demo_session: Any) -> None:
    with pytest.raises(NotFound):
        desk.reimbursement_answer(session=demo_session, code="999995", on=DAY, niss=SOPHIE)


def test_code_answer_with_the_range_of_reimbursements(demo_session: Any) -> None:
    answer = desk.code_answer(session=demo_session, code="101076", on=DAY)
    assert answer.positive
    assert answer.sentence == (
        "101076 — Consultation au cabinet par un médecin généraliste agréé accrédité "
        "(article 2). On 2026-03-02 the fee is 33.73 € (since 2026-01-01); the fund pays back "
        "27.73 € to 32.73 € depending on the patient."
    )
    by_patient = {r["patient"]: r["reimbursement"] for r in answer.tables[1].rows}
    assert by_patient["ordinary without DMG"] == Decimal("27.73")
    assert by_patient["BIM with DMG"] == Decimal("32.73")


def test_code_answer_in_dutch(demo_session: Any) -> None:
    answer = desk.code_answer(session=demo_session, code="101076", on=DAY, language="nl")
    assert "Raadpleging in de spreekkamer" in answer.sentence


def test_code_answer_without_tariff_names_the_nearest_period(demo_session: Any) -> None:
    answer = desk.code_answer(session=demo_session, code="102012", on=DAY)
    assert not answer.positive
    assert "No tariff is in force on 2026-03-02 (nearest periods: 2017-01-01..2017-12-31)" in (
        answer.sentence
    )


def test_code_answer_set_by_a_decision(demo_session: Any) -> None:
    answer = desk.code_answer(session=demo_session, code="560011", on=DAY)
    assert "fee is 30.80 € (since 2026-02-01)" in answer.sentence


@pytest.mark.parametrize("about", ["kiné", "physiotherapy fees", "560011", "cass 2026/1"])
def test_decision_about_physiotherapy(demo_session: Any, about: str) -> None:
    answer = desk.decision_answer(session=demo_session, about=about)
    assert answer.positive
    assert "the latest, CASS 2026/001 on 2026-01-19, was adopted" in answer.sentence
    assert answer.sentence.endswith("in force from 2026-02-01.")
    assert "Vote of CASS 2026/001: adopted: 34 for, 0 against, 2 abstaining." in answer.why
    journey = answer.tables[1]
    assert journey.title == "Journey of dossier KINE-2026-INDEX"
    assert [r["step"] for r in journey.rows] == ["proposal", "advice", "decision"]


def test_decision_rejected_for_lack_of_quorum(demo_session: Any) -> None:
    answer = desk.decision_answer(session=demo_session, about="teleconsultation")
    assert "CNMM 2026/001 on 2026-02-10, was rejected" in answer.sentence
    assert answer.why == ("Vote of CNMM 2026/001: no quorum: doctors 4 present, 5 required.",)


def test_decision_nothing_found(demo_session: Any) -> None:
    answer = desk.decision_answer(session=demo_session, about="orthodontie")
    assert not answer.positive
    assert answer.sentence == "No committee decision found about 'orthodontie'."


def test_decision_unknown_number_is_not_found(demo_session: Any) -> None:
    with pytest.raises(NotFound, match="CASS 2026/099"):
        desk.decision_answer(session=demo_session, about="CASS 2026/099")


def test_code_choices_in_the_configured_language(demo_session: Any) -> None:
    fr = {c.code: c.label for c in desk.code_choices(session=demo_session, on=DAY)}
    nl = {c.code: c.label for c in desk.code_choices(session=demo_session, on=DAY, language="nl")}
    assert fr["560092"] == "Examen consultatif de kinésithérapie"
    assert nl["560092"] == "Consultatief onderzoek kinesitherapie"
    found = desk.match_choices("kiné", desk.code_choices(session=demo_session, on=None))
    assert {c.code for c in found} == {"560011", "560055", "560092", "567011"}


def test_answer_record_for_the_consultation_log(demo_session: Any) -> None:
    record = desk.insured_answer(session=demo_session, niss=SOPHIE, on=DAY).as_record()
    assert record["question"] == "insured" and record["positive"] is True
    assert record["details"]["Person"][0]["insurer"] == "Solidaris (300)"


# ------------------------------------------------------------------ indemnity (issue 16)

ANOUK, NADIA = "88041212236", "79112120429"


def test_indemnity_recorded_illness_sentence_says_derived(demo_session: Any) -> None:
    answer = desk.indemnity_answer(session=demo_session, niss=ANOUK, event="illness", on=DAY)
    assert answer.sentence.startswith(
        "Illness since 2025-12-01: from 2026-03-02 the fund pays 90.00 € gross a day, "
        "Monday to Saturday (primary incapacity); invalidity from 2026-12-01."
    )
    assert "not yet published (derived)" in answer.sentence
    params = answer.tables[1].rows
    assert any(
        r["parameter"] == "employee.wage_ceiling.6day" and r["reliability"] == "derived"
        for r in params
    )


def test_indemnity_new_illness_from_the_first_paid_day(demo_session: Any) -> None:
    answer = desk.indemnity_answer(
        session=demo_session,
        niss=SOPHIE,
        event="illness",
        on=date(2024, 3, 4),
        since=date(2024, 3, 4),
        gross_monthly=Decimal("3000"),
        family_situation="isolated",
        scheme="employee",
    )
    # white-collar: the employer pays 30 days; 60 % x 3 000 / 26 = 69.23
    assert answer.sentence.startswith(
        "Illness since 2024-03-04: from 2024-04-03 the fund pays 69.23 € gross a day"
    )
    assert "derived" not in answer.sentence


def test_indemnity_maternity_sentence(demo_session: Any) -> None:
    answer = desk.indemnity_answer(
        session=demo_session,
        niss="92063031679",
        event="maternity",
        on=DAY,
        since=date(2024, 8, 5),
        gross_monthly=Decimal("5200"),
    )
    assert answer.sentence.startswith(
        "Maternity rest from 2024-08-05: 164.00 € gross a day (days 1-30), then 134.66 €"
    )


def test_indemnity_nothing_recorded_asks_for_the_start(demo_session: Any) -> None:
    with pytest.raises(NotFound, match="give the day it started"):
        desk.indemnity_answer(session=demo_session, niss=SOPHIE, event="illness", on=DAY)
