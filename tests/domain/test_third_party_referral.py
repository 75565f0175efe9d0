"""Third-party payment (who pays what) and the specialist referral reduction, with the
published figures of DOMAIN.md (101076 VNZ 2024, 102034 CM 2017) and the facts file
(rules-audit.md R5: -5.00 ordinary / -2.00 BIM, once a year per specialty)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inami_cli.domain import reimbursement as r
from inami_cli.domain.reimbursement import Act, Line, PastCare, Patient, compute_case, compute_visit
from inami_cli.domain.tariffs import Profile, TariffView

D = Decimal
GP = Act("101076", "Consultation médecin généraliste accrédité", "gp_consultation", "ambulatory")
GP_2024 = TariffView(
    "101076",
    date(2024, 1, 1),
    date(2024, 12, 31),
    D("31.81"),
    (
        Profile(D("25.81"), "ordinary", False),
        Profile(D("30.31"), "preferential", False),
        Profile(D("27.81"), "ordinary", True),
        Profile(D("30.81"), "preferential", True),
    ),
    "VNZ 2024",
    "fixture",
)
GP_2026 = TariffView("101076", date(2026, 1, 1), None, D("33.73"), (), "Domus Medica", "fixture")
SPEC = Act("102034", "Consultation spécialiste", "specialist_consultation", "ambulatory")
SPEC_2017 = TariffView(
    "102034",
    date(2017, 1, 1),
    date(2017, 12, 31),
    D("37.15"),
    (Profile(D("25.15"), "ordinary"), Profile(D("34.15"), "preferential")),
    "CM 2017",
    "fixture",
)
ORD = Patient("ordinary", dmg=False, age=40)
ORD_DMG = Patient("ordinary", dmg=True, age=40)
BIM = Patient("preferential", dmg=False, age=40)
BIM_DMG = Patient("preferential", dmg=True, age=40)
YOUNG_BIM_DMG = Patient("preferential", dmg=True, age=20)


def split(result: r.CaseResult) -> tuple[Decimal | None, ...]:
    return (
        result.reimbursement,
        result.personal_share,
        result.paid_at_desk,
        result.paid_to_provider,
    )


# ------------------------------------------------------------------ third-party payment


@pytest.mark.parametrize(
    ("patient", "on", "asked", "expected", "third_party"),
    [
        # BIM at the GP: compulsory from 2015-07-01, whatever the case says
        (BIM, date(2024, 3, 1), False, ("30.31", "1.50", "1.50", "30.31"), True),
        (BIM_DMG, date(2024, 3, 1), False, ("30.81", "1.00", "1.00", "30.81"), True),
        # ordinary: the patient pays the fee, the fund pays back; allowed since 2022
        (ORD, date(2024, 3, 1), False, ("25.81", "6.00", "31.81", "0.00"), False),
        (ORD, date(2024, 3, 1), True, ("25.81", "6.00", "6.00", "25.81"), True),
        (ORD_DMG, date(2024, 3, 1), True, ("27.81", "4.00", "4.00", "27.81"), True),
    ],
)
def test_who_pays_what_at_the_gp(
    patient: Patient, on: date, asked: bool, expected: tuple[str, ...], third_party: bool
) -> None:
    result = compute_case(Line(GP, GP_2024), on=on, patient=patient, third_party=asked)
    assert split(result) == tuple(D(x) for x in expected)
    assert result.third_party is third_party
    assert result.fee == result.paid_at_desk + result.paid_to_provider  # type: ignore[operator]


def test_young_bim_rule_makes_third_party_compulsory() -> None:
    # 2026 fee 33.73; BIM aged 20 with a DMG at a conventioned GP pays nothing
    result = compute_case(
        Line(GP, GP_2026), on=date(2026, 3, 2), patient=YOUNG_BIM_DMG, explain=True
    )
    assert split(result) == (D("33.73"), D("0.00"), D("0.00"), D("33.73"))
    whats = [s.what for s in result.explanation]
    assert r.THIRD_PARTY_YOUNG_BIM.description in whats


def test_the_explanation_names_the_compulsory_rule() -> None:
    result = compute_case(Line(GP, GP_2024), on=date(2024, 3, 1), patient=BIM, explain=True)
    steps = {s.what: s for s in result.explanation}
    rule = steps[r.THIRD_PARTY_BIM_GP.description]
    assert rule.valid_from == date(2015, 7, 1) and "enmarche" in rule.source
    assert steps["paid at the desk"].value == "1.50"
    assert steps["paid to the provider by the fund"].value == "30.31"


def test_before_2015_bim_is_not_compulsory_and_before_2022_ordinary_is_taken_as_given() -> None:
    old = TariffView("101076", date(2014, 1, 1), None, D("31.81"), GP_2024.profiles, "t", "f")
    assert not compute_case(Line(GP, old), on=date(2015, 6, 30), patient=BIM).third_party
    assert compute_case(Line(GP, old), on=date(2015, 7, 1), patient=BIM).third_party
    given = compute_case(
        Line(GP, old), on=date(2021, 12, 31), patient=ORD, third_party=True, explain=True
    )
    assert given.third_party and given.paid_at_desk == D("6.00")
    assert any("before 2022-01-01" in s.what for s in given.explanation)


def test_supplement_and_charged_below_the_fee() -> None:
    # non-conventioned, ordinary, charged 40.00: supplement 8.19 paid at the desk either way
    line = Line(GP, GP_2024, D("40.00"))
    plain = compute_case(line, on=date(2024, 3, 1), patient=ORD, provider="non-conventioned")
    assert (plain.paid_at_desk, plain.paid_to_provider) == (D("40.00"), D("0.00"))
    tp = compute_case(
        line, on=date(2024, 3, 1), patient=ORD, provider="non-conventioned", third_party=True
    )
    assert (tp.paid_at_desk, tp.paid_to_provider) == (D("14.19"), D("25.81"))


def test_a_refused_code_is_paid_by_the_patient() -> None:
    result = compute_case(
        Line(GP, GP_2024, D("40.00")), on=date(2024, 3, 1), patient=BIM, provider="conventioned"
    )
    assert result.refusal_code == r.R_ABOVE_FEE
    assert (result.paid_at_desk, result.paid_to_provider) == (D("40.00"), D("0.00"))


# ------------------------------------------------------------------ referral reduction


@pytest.mark.parametrize(
    ("patient", "reimbursement", "share"),
    [(ORD_DMG, "30.15", "7.00"), (BIM_DMG, "36.15", "1.00")],
)
def test_referral_reduction(patient: Patient, reimbursement: str, share: str) -> None:
    # 102034 in 2017: 37.15 = 25.15 + 12.00 (ordinary) = 34.15 + 3.00 (BIM); -5.00 / -2.00
    result = compute_case(
        Line(SPEC, SPEC_2017), on=date(2017, 5, 2), patient=patient, referred=True, explain=True
    )
    assert (result.reimbursement, result.personal_share) == (D(reimbursement), D(share))
    assert result.referral_reduced and result.paid_at_desk == D("37.15")
    step = next(s for s in result.explanation if s.what.startswith("referral by the GP"))
    assert step.valid_from == date(2007, 2, 1) and "26/11/2006" in step.source


@pytest.mark.parametrize(
    ("patient", "third_party", "history", "why"),
    [
        (ORD, False, (), "no DMG"),
        (ORD_DMG, True, (), "third-party payment"),
        (
            ORD_DMG,
            False,
            (PastCare("102034", date(2017, 1, 10), "specialist_consultation", (), True),),
            "already granted",
        ),
    ],
)
def test_no_referral_reduction(
    patient: Patient, third_party: bool, history: tuple[PastCare, ...], why: str
) -> None:
    result = compute_case(
        Line(SPEC, SPEC_2017),
        on=date(2017, 5, 2),
        patient=patient,
        referred=True,
        third_party=third_party,
        history=history,
        explain=True,
    )
    assert result.ok and not result.referral_reduced
    assert result.reimbursement == SPEC_2017.profiles[0].reimbursement
    assert why in next(s.value for s in result.explanation if s.what.startswith("referral"))


def test_referral_reduction_again_the_next_year_and_once_per_visit() -> None:
    last_year = PastCare("102034", date(2016, 12, 20), "specialist_consultation", (), True)
    result = compute_case(
        Line(SPEC, SPEC_2017), on=date(2017, 1, 3), patient=ORD_DMG, referred=True,
        history=(last_year,),
    )  # fmt: skip
    assert result.referral_reduced
    twice = compute_visit(
        [Line(SPEC, SPEC_2017), Line(SPEC, SPEC_2017)],
        on=date(2017, 5, 2),
        patient=ORD_DMG,
        referred=True,
    )
    assert [x.referral_reduced for x in twice] == [True, False]


def test_referral_rule_is_dated() -> None:
    assert r.referral_rule(date(2007, 1, 31)) is None
    rule = r.referral_rule(date(2007, 2, 1))
    assert rule is not None and rule.amount("ordinary") == D("5.00")
    assert rule.amount("preferential") == D("2.00")
    old = TariffView("102034", date(2006, 1, 1), None, D("20.00"), SPEC_2017.profiles, "t", "f")
    result = compute_case(Line(SPEC, old), on=date(2007, 1, 31), patient=ORD_DMG, referred=True)
    assert not result.referral_reduced
