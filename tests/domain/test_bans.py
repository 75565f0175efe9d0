"""Supplement bans for BIM patients (rules audit R13, R14): dated, sourced, as data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inami_cli.domain import reimbursement as r
from inami_cli.domain.reimbursement import Act, Patient
from tests.domain.test_reimbursement import tariff

AUTO_BIM = Patient("preferential", age=40, bim_automatic=True)
BIM = Patient("preferential", age=40)
ECG = Act("475075", "Électrocardiogramme", "other", "ambulatory", article="20")
NURSING = Act("425110", "Soins infirmiers", "other", "ambulatory", article="8")
SCALING = Act("302153", "Détartrage", "dental")
FILLING = Act("374393", "Obturation", "dental")


def charged_above(act: Act, on: date, patient: Patient) -> r.CaseResult:
    t = tariff(act.code, date(2020, 1, 1), "20.00", ord_="15.00", bim="18.00")
    [result] = r.compute_visit(
        [r.Line(act, t, Decimal("30.00"))],
        on=on,
        patient=patient,
        provider="non-conventioned",
        setting="ambulatory",
    )
    return result


@pytest.mark.parametrize(
    ("act", "on", "patient", "refused"),
    [
        # R13: every ambulatory act of a doctor, not only consultations and visits
        (ECG, date(2024, 12, 31), AUTO_BIM, False),
        (ECG, date(2025, 1, 1), AUTO_BIM, True),
        (ECG, date(2025, 6, 1), BIM, False),
        (ECG, date(2026, 1, 1), BIM, True),
        (NURSING, date(2026, 1, 1), BIM, False),  # art. 8: not a doctor's act
        # R14: the preventive rubric from 2025-01-01, every art. 5 act from 2026-07-01
        (SCALING, date(2024, 12, 31), BIM, False),
        (SCALING, date(2025, 1, 1), BIM, True),
        (FILLING, date(2025, 1, 1), BIM, False),
        (FILLING, date(2026, 7, 1), BIM, True),
    ],
)
def test_supplement_bans(act: Act, on: date, patient: Patient, refused: bool) -> None:
    result = charged_above(act, on, patient)
    assert (result.refusal_code == "906") is refused, result.refusal_reason


def test_ban_rules_are_dated_and_sourced_and_cut_the_cache() -> None:
    for rule in r.BAN_RULES:
        assert rule.source
        assert rule.valid_from is None or rule.valid_from in r.RULE_BOUNDARIES
    assert "AR 17/3/2024" in r.SUPPLEMENT_BAN_DENTAL_2025.source
    for banned in r.DENTAL_BAN_2025:
        assert banned.reliability and banned.source and len(banned.code) == 6


def test_reason_names_the_2025_dental_step() -> None:
    result = charged_above(SCALING, date(2025, 3, 1), BIM)
    assert "preventive dental care" in (result.refusal_reason or "")
    assert "from 2025-01-01" in (result.refusal_reason or "")


def test_doctor_act() -> None:
    assert r.is_doctor_act(ECG) and r.is_doctor_act(Act("101076", category="gp_consultation"))
    assert not r.is_doctor_act(NURSING) and not r.is_doctor_act(SCALING)
    assert r.is_doctor_act(Act("999996", category="other"))  # unknown article: protected


def test_continuity_rule_reproduces_the_2019_figures() -> None:
    """R20, mc.be 2019: scaling 11.00 / 14.50 becomes 5.50 / 7.25 without prior-year care."""
    act = Act("302153", "Détartrage", "dental", prerequisite="dental_care_previous_year")
    t = tariff("302153", date(2019, 1, 1), "14.50", ord_="11.00", bim="14.50")
    on = date(2019, 6, 1)
    ordinary = r.compute_visit([r.Line(act, t)], on=on, patient=Patient("ordinary", age=40))[0]
    bim = r.compute_visit([r.Line(act, t)], on=on, patient=BIM, explain=True)[0]
    assert (ordinary.reimbursement, ordinary.personal_share) == (Decimal("5.50"), Decimal("9.00"))
    assert (bim.reimbursement, bim.personal_share) == (Decimal("7.25"), Decimal("7.25"))
    step = next(s for s in bim.explanation if s.what.startswith("dental_continuity_halving"))
    assert step.value == "7.25" and "R20" in step.source
    other = Act("302153", "x", "dental", prerequisite="moon_phase")
    assert r.compute_visit([r.Line(other, t)], on=on, patient=BIM)[0].refusal_code == "008"
