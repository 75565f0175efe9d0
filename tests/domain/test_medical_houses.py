"""Medical-house enrolments and the per-act refusal (MyCareNet MedicalHouse flags Medical,
Kine, Nurse; rules-audit.md section 4 item 3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inami_cli.domain import medical_houses as mh
from inami_cli.domain import reimbursement as r
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.reimbursement import Act, Line, Patient, compute_case
from inami_cli.domain.tariffs import Profile, TariffView

D = Decimal


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("gp", (True, False, False)),
        ("gp,physio", (True, True, False)),
        ("Medical+Kine+Nurse", (True, True, True)),
        ("kiné; nursing", (False, True, True)),
    ],
)
def test_parse_disciplines(text: str, flags: tuple[bool, bool, bool]) -> None:
    assert mh.parse_disciplines(text) == flags


@pytest.mark.parametrize(("text", "message"), [("dentist", "'dentist'"), (" , ", "at least")])
def test_bad_disciplines(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        mh.parse_disciplines(text)


def test_enrolment_on_a_date() -> None:
    first = mh.Enrolment("Linde", True, True, False, date(2025, 1, 1), date(2025, 12, 31))
    second = mh.Enrolment("Agora", True, False, True, date(2026, 1, 1), None)
    assert mh.enrolment_on([first, second], date(2024, 12, 31)) is None
    assert mh.enrolment_on([first, second], date(2025, 12, 31)) == first
    assert mh.enrolment_on([first, second], date(2026, 1, 1)) == second
    assert second.disciplines == ("gp", "nursing")


GP_2024 = TariffView(
    "101076", date(2024, 1, 1), None, D("31.81"), (Profile(D("25.81"), "ordinary"),), "VNZ", "f"
)
PHYSIO_2024 = TariffView("560011", date(2024, 1, 1), None, D("30.00"), (), "CM 2024", "f")
GP = Act("101076", "GP", "gp_consultation")
PHYSIO = Act("560011", "kiné", "physio")
NURSE = Act("425014", "soins infirmiers", "nursing")
SPEC = Act("102034", "spécialiste", "specialist_consultation")


@pytest.mark.parametrize(
    ("act", "tariff", "covered", "refused"),
    [
        (GP, GP_2024, ("gp",), True),
        (GP, GP_2024, ("physio",), False),
        (PHYSIO, PHYSIO_2024, ("gp", "physio"), True),
        (NURSE, PHYSIO_2024, ("nursing",), True),
        (SPEC, GP_2024, ("gp", "physio", "nursing"), False),
    ],
)
def test_a_covered_discipline_is_refused_911(
    act: Act, tariff: TariffView, covered: tuple[str, ...], refused: bool
) -> None:
    patient = Patient("ordinary", age=40, medical_house="Linde", medical_house_disciplines=covered)
    result = compute_case(Line(act, tariff), on=date(2024, 3, 1), patient=patient)
    assert (result.refusal_code == r.R_MEDICAL_HOUSE) is refused
    if refused:
        assert "medical house Linde" in (result.refusal_reason or "")
        assert result.paid_at_desk == tariff.fee  # the patient pays the act in full
    assert r.R_MEDICAL_HOUSE == "911" and r.R_MEDICAL_HOUSE in r.REFUSAL_REASONS
