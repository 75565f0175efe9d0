"""The reimbursement rules, each with real figures (DOMAIN.md, published-tariffs.csv)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inami_cli.domain import reimbursement as r
from inami_cli.domain.dates import in_force
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.reimbursement import Act, Line, PastCare, Patient, compute_visit
from inami_cli.domain.tariffs import Profile, TariffView

D = Decimal


def tariff(
    code: str,
    start: date,
    fee: str,
    end: date | None = None,
    *,
    ord_: str | None = None,
    bim: str | None = None,
    ord_dmg: str | None = None,
    bim_dmg: str | None = None,
    source: str = "test",
) -> TariffView:
    """A tariff from a row of published-tariffs.csv (empty columns = no profile)."""
    profiles: list[Profile] = []
    if ord_dmg is not None or bim_dmg is not None:
        if ord_ is not None:
            profiles.append(Profile(D(ord_), "ordinary", False))
        if bim is not None:
            profiles.append(Profile(D(bim), "preferential", False))
        if ord_dmg is not None:
            profiles.append(Profile(D(ord_dmg), "ordinary", True))
        if bim_dmg is not None:
            profiles.append(Profile(D(bim_dmg), "preferential", True))
    else:
        if ord_ is not None:
            profiles.append(Profile(D(ord_), "ordinary"))
        if bim is not None:
            profiles.append(Profile(D(bim), "preferential"))
    return TariffView(code, start, end, D(fee), tuple(profiles), source, "fixture")


GP = Act("101076", "Consultation médecin généraliste accrédité", "gp_consultation", "ambulatory")
GP_RECOGNISED = Act("101032", "Consultation médecin généraliste agréé", "gp_consultation")
# 101076: VNZ 2024 (all four profiles); 2025 and 2026 fees only (Domus Medica).
GP_TARIFFS = [
    tariff(
        "101076",
        date(2024, 1, 1),
        "31.81",
        date(2024, 12, 31),
        ord_="25.81",
        bim="30.31",
        ord_dmg="27.81",
        bim_dmg="30.81",
        source="VNZ",
    ),
    tariff("101076", date(2025, 1, 1), "32.84", date(2025, 12, 31), source="DOMUS"),
    tariff("101076", date(2026, 1, 1), "33.73", source="DOMUS"),
]
SPEC = Act("102034", "Consultation spécialiste", "specialist_consultation", "ambulatory")
SPEC_2017 = tariff("102034", date(2017, 1, 1), "37.15", ord_="25.15", bim="34.15", source="CMS17")
PHYSIO = Act("560011", "Séance kinésithérapie 30 min", "physio")
PHYSIO_2024 = tariff("560011", date(2024, 1, 1), "30.00", ord_="23.75", bim="27.50")
ORAL_CHILD = Act("371615", "Examen buccal", "dental", max_age=17)
ORAL_CHILD_2022 = tariff("371615", date(2022, 6, 1), "49.50", ord_="49.50", bim="49.50")
ORAL_ADULT = Act(
    "301593", "Examen buccal annuel", "dental", min_age=18, max_age=66, max_per_period=1,
    frequency_period="calendar_year",
)  # fmt: skip
ORAL_ADULT_2022 = tariff("301593", date(2022, 6, 1), "68.00", ord_="64.50", bim="68.00")
SCALING = Act("302153", "Détartrage", "dental", prerequisite="dental_care_previous_year")
SCALING_2022 = tariff("302153", date(2022, 6, 1), "15.00", ord_="11.50", bim="15.00")

ORDINARY = Patient("ordinary", dmg=False, age=40)
ORDINARY_DMG = Patient("ordinary", dmg=True, age=40)
BIM = Patient("preferential", dmg=False, age=40)
BIM_DMG = Patient("preferential", dmg=True, age=40)


def one(
    act: Act,
    tariff_: TariffView | None,
    on: date,
    patient: Patient,
    *,
    provider: str = "conventioned",
    charged: str | None = None,
    history: tuple[PastCare, ...] = (),
    setting: str | None = None,
    explain: bool = False,
) -> r.CaseResult:
    [result] = compute_visit(
        [Line(act, tariff_, D(charged) if charged else None)],
        on=on,
        patient=patient,
        provider=provider,
        history=history,
        setting=setting,
        explain=explain,
    )
    return result


def gp_on(on: date, patient: Patient, **kw: object) -> r.CaseResult:
    found = in_force(GP_TARIFFS, on)
    return one(GP, found[0] if found else None, on, patient, **kw)  # type: ignore[arg-type]


def amounts(result: r.CaseResult) -> tuple[str, str, str]:
    return (f"{result.fee}", f"{result.reimbursement}", f"{result.personal_share}")


@pytest.mark.parametrize(
    ("on", "patient", "expected", "profile"),
    [
        # VNZ 2024, stored profiles
        (date(2024, 12, 31), ORDINARY, ("31.81", "25.81", "6.00"), "ordinary,no-dmg"),
        (date(2024, 12, 31), ORDINARY_DMG, ("31.81", "27.81", "4.00"), "ordinary,dmg"),
        (date(2024, 12, 31), BIM, ("31.81", "30.31", "1.50"), "preferential,no-dmg"),
        (date(2024, 12, 31), BIM_DMG, ("31.81", "30.81", "1.00"), "preferential,dmg"),
        # 2025 fee (Domus Medica), fixed shares: the next day gives another answer
        (date(2025, 1, 1), ORDINARY, ("32.84", "26.84", "6.00"), "ordinary (fixed share)"),
        (date(2025, 1, 1), BIM_DMG, ("32.84", "31.84", "1.00"), "preferential,dmg (fixed share)"),
        # the reference case: 2026-03-02, BIM with DMG, 40 years
        (date(2026, 3, 2), BIM_DMG, ("33.73", "32.73", "1.00"), "preferential,dmg (fixed share)"),
        (date(2026, 3, 2), ORDINARY_DMG, ("33.73", "29.73", "4.00"), "ordinary,dmg (fixed share)"),
    ],
)
def test_gp_consultation_profiles_and_period_boundaries(
    on: date, patient: Patient, expected: tuple[str, str, str], profile: str
) -> None:
    result = gp_on(on, patient)
    assert result.status == "ok"
    assert amounts(result) == expected
    assert result.profile == profile
    assert result.supplement == D("0.00")
    assert result.patient_total == result.personal_share


def test_no_tariff_before_the_first_period_is_refused_009() -> None:
    result = gp_on(date(2023, 12, 31), ORDINARY)
    assert (result.status, result.refusal_code) == ("refused", "009")
    assert result.fee is None and result.reimbursement is None


def test_dmg_only_matters_for_codes_that_distinguish_it() -> None:
    # 102034 (CM 2017) has no DMG profile: same answer with and without DMG.
    assert amounts(one(SPEC, SPEC_2017, date(2017, 5, 1), ORDINARY_DMG)) == (
        "37.15",
        "25.15",
        "12.00",
    )
    assert amounts(one(SPEC, SPEC_2017, date(2017, 5, 1), ORDINARY)) == ("37.15", "25.15", "12.00")
    assert amounts(one(SPEC, SPEC_2017, date(2017, 5, 1), BIM_DMG)) == ("37.15", "34.15", "3.00")


def test_specialist_fixed_share_rebuilds_the_published_2017_figures() -> None:
    bare = tariff("102034", date(2017, 1, 1), "37.15")
    assert amounts(one(SPEC, bare, date(2017, 5, 1), ORDINARY)) == ("37.15", "25.15", "12.00")
    assert amounts(one(SPEC, bare, date(2017, 5, 1), BIM)) == ("37.15", "34.15", "3.00")
    # before 2015-01-01 no fixed share: without a stored profile the code is refused
    old = tariff("102034", date(2014, 8, 1), "36.84")
    refused = one(SPEC, old, date(2014, 12, 31), ORDINARY)
    assert refused.refusal_code == "904"


@pytest.mark.parametrize(
    ("category", "ordinary", "bim"),
    [
        ("physio", ("30.00", "23.75", "6.25"), ("30.00", "27.50", "2.50")),
        ("physio_heavy", ("30.00", "26.00", "4.00"), ("30.00", "28.50", "1.50")),
        ("physio_fafb", ("30.00", "24.50", "5.50"), ("30.00", "28.00", "2.00")),
        ("physio_short", ("30.00", "28.00", "2.00"), ("30.00", "29.00", "1.00")),
    ],
)
def test_physio_fixed_shares_from_2019_09_01(
    category: str, ordinary: tuple[str, str, str], bim: tuple[str, str, str]
) -> None:
    act = Act("560011", "kiné", category)
    bare = tariff("560011", date(2019, 1, 1), "30.00")
    assert amounts(one(act, bare, date(2024, 3, 1), ORDINARY)) == ordinary
    assert amounts(one(act, bare, date(2024, 3, 1), BIM)) == bim
    assert one(act, bare, date(2019, 9, 1), ORDINARY).status == "ok"
    assert one(act, bare, date(2019, 8, 31), ORDINARY).refusal_code == "904"


def test_stored_physio_profile_matches_cm_2024() -> None:
    assert amounts(one(PHYSIO, PHYSIO_2024, date(2024, 3, 1), ORDINARY)) == (
        "30.00",
        "23.75",
        "6.25",
    )


def test_non_conventioned_physio_reimburses_25_percent_less_except_bim() -> None:
    result = one(PHYSIO, PHYSIO_2024, date(2024, 3, 1), ORDINARY, provider="non-conventioned")
    # 23.75 x 0.75 = 17.8125 -> 17.81 (round half up)
    assert amounts(result) == ("30.00", "17.81", "12.19")
    bim = one(PHYSIO, PHYSIO_2024, date(2024, 3, 1), BIM, provider="non-conventioned")
    assert amounts(bim) == ("30.00", "27.50", "2.50")
    # a physiotherapist cannot be partially conventioned (issue 14): an input error, no
    # amount (this test computed the case without the cut before the rule existed)
    with pytest.raises(InvalidInput, match="physiotherapists cannot be partially"):
        one(PHYSIO, PHYSIO_2024, date(2024, 3, 1), ORDINARY, provider="partially")


def test_bim_up_to_24_with_dmg_pays_no_share_from_2023_10_01() -> None:
    young = Patient("preferential", dmg=True, age=24)
    gp = gp_on(date(2026, 3, 2), young)
    assert amounts(gp) == ("33.73", "33.73", "0.00")
    # 25 years: back to the fixed share
    assert gp_on(date(2026, 3, 2), Patient("preferential", dmg=True, age=25)).personal_share == D(
        "1.00"
    )
    # without DMG, or ordinary regime: no exemption
    assert gp_on(date(2026, 3, 2), Patient("preferential", dmg=False, age=20)).personal_share == D(
        "1.50"
    )
    assert gp_on(date(2026, 3, 2), Patient("ordinary", dmg=True, age=20)).personal_share == D(
        "4.00"
    )
    # whatever the doctor's status (rules-audit R7): INAMI pays the whole official fee
    nc = gp_on(date(2026, 3, 2), young, provider="non-conventioned")
    assert nc.personal_share == D("0.00")
    # specialists too; the day before the start date the share is still due
    spec_young = Patient("preferential", dmg=True, age=20)
    assert one(SPEC, SPEC_2017, date(2023, 10, 1), spec_young).personal_share == D("0.00")
    assert one(SPEC, SPEC_2017, date(2023, 9, 30), spec_young).personal_share == D("3.00")


def test_conventioned_provider_charging_above_the_fee_is_refused() -> None:
    result = gp_on(date(2024, 6, 1), ORDINARY, charged="40.00")
    assert (result.status, result.refusal_code) == ("refused", "905")
    assert "40.00" in (result.refusal_reason or "") and "31.81" in (result.refusal_reason or "")
    assert result.reimbursement == D("0.00") and result.patient_total == D("40.00")
    assert gp_on(date(2024, 6, 1), ORDINARY, charged="31.81").status == "ok"


def test_non_conventioned_excess_is_a_supplement_never_reimbursed() -> None:
    result = gp_on(date(2024, 6, 1), ORDINARY, charged="40.00", provider="non-conventioned")
    assert result.status == "ok"
    assert amounts(result) == ("31.81", "25.81", "6.00")
    assert result.supplement == D("8.19")
    assert result.patient_total == D("14.19")


@pytest.mark.parametrize(
    ("on", "automatic", "status"),
    [
        (date(2024, 12, 31), True, "ok"),  # before the ban
        (date(2025, 1, 1), True, "refused"),  # automatic BIM from 2025-01-01
        (date(2025, 6, 1), False, "ok"),  # BIM on income: not yet in 2025
        (date(2025, 12, 31), False, "ok"),
        (date(2026, 1, 1), False, "refused"),  # all BIM from 2026-01-01
    ],
)
def test_supplement_ban_for_bim(on: date, automatic: bool, status: str) -> None:
    patient = Patient("preferential", dmg=False, age=40, bim_automatic=automatic)
    result = gp_on(on, patient, charged="50.00", provider="non-conventioned")
    assert result.status == status
    if status == "refused":
        assert result.refusal_code == "906"
    else:
        assert result.supplement == D("50.00") - result.fee  # type: ignore[operator]
    # hospitalised care is not covered by the ban
    hosp = gp_on(on, patient, charged="50.00", provider="non-conventioned", setting="hospitalised")
    assert hosp.refusal_code != "906"


def test_ordinary_patients_may_pay_supplements_in_2026() -> None:
    result = gp_on(date(2026, 3, 2), ORDINARY, charged="45.00", provider="partially")
    assert (result.status, result.supplement, result.patient_total) == (
        "ok",
        D("11.27"),
        D("17.27"),
    )


def test_dental_supplement_ban_for_bim_from_2026_07_01() -> None:
    patient = Patient("preferential", age=16)
    # conservative care (not in the 2025 step of AR 17/3/2024, see test_bans.py)
    filling = Act("374393", "Obturation", "dental", min_age=15, max_age=17)
    t = tariff("374393", date(2021, 1, 1), "68.00", ord_="64.50", bim="68.00")
    before = one(filling, t, date(2026, 6, 30), patient, provider="non-conventioned",
                 charged="80.00")  # fmt: skip
    after = one(filling, t, date(2026, 7, 1), patient, provider="non-conventioned",
                charged="80.00")  # fmt: skip
    assert (before.status, before.supplement) == ("ok", D("12.00"))
    assert after.refusal_code == "906"


def test_bim_at_non_conventioned_physio_charged_the_official_fee() -> None:
    result = one(PHYSIO, PHYSIO_2024, date(2024, 3, 1), BIM, provider="non-conventioned",
                 charged="35.00")  # fmt: skip
    assert result.refusal_code == "906"
    ordinary = one(PHYSIO, PHYSIO_2024, date(2024, 3, 1), ORDINARY, provider="non-conventioned",
                   charged="35.00")  # fmt: skip
    assert (ordinary.reimbursement, ordinary.supplement, ordinary.patient_total) == (
        D("17.81"),
        D("5.00"),
        D("17.19"),
    )


def test_not_insured_is_refused_with_the_reason() -> None:
    patient = Patient("ordinary", age=40, insured=False, not_insured_reason="coverage ended")
    result = gp_on(date(2024, 6, 1), patient)
    assert (result.refusal_code, result.refusal_reason) == (
        "901",
        "not insured on the date: coverage ended",
    )
    assert result.fee == D("31.81") and result.reimbursement == D("0.00")
    assert result.personal_share == D("31.81")


@pytest.mark.parametrize(
    ("act", "t", "age", "status"),
    [
        (ORAL_CHILD, ORAL_CHILD_2022, 17, "ok"),
        (ORAL_CHILD, ORAL_CHILD_2022, 18, "refused"),
        (ORAL_ADULT, ORAL_ADULT_2022, 17, "refused"),
        (ORAL_ADULT, ORAL_ADULT_2022, 18, "ok"),
        (ORAL_ADULT, ORAL_ADULT_2022, 66, "ok"),  # until the 67th birthday
        (ORAL_ADULT, ORAL_ADULT_2022, 67, "refused"),
        (ORAL_ADULT, ORAL_ADULT_2022, None, "refused"),
    ],
)
def test_age_limits(act: Act, t: TariffView, age: int | None, status: str) -> None:
    result = one(act, t, date(2022, 9, 1), Patient("ordinary", age=age))
    assert result.status == status
    if status == "refused":
        assert result.refusal_code == "902"


def test_oral_examination_amounts_cm_2022() -> None:
    assert amounts(one(ORAL_ADULT, ORAL_ADULT_2022, date(2022, 9, 1), ORDINARY)) == (
        "68.00",
        "64.50",
        "3.50",
    )
    assert amounts(one(ORAL_ADULT, ORAL_ADULT_2022, date(2022, 9, 1), BIM)) == (
        "68.00",
        "68.00",
        "0.00",
    )


def test_once_per_calendar_year() -> None:
    history = (PastCare("301593", date(2022, 3, 1), "dental"),)
    second = one(ORAL_ADULT, ORAL_ADULT_2022, date(2022, 9, 1), ORDINARY, history=history)
    assert (second.refusal_code, second.refusal_reason) == (
        "002",
        "maximum number of services reached for the period: 1 of 1 per calendar year "
        "already recorded",
    )
    next_year = one(ORAL_ADULT, ORAL_ADULT_2022, date(2023, 1, 2), ORDINARY, history=history)
    assert next_year.status == "ok"
    # twice in one visit: the second is refused
    results = compute_visit(
        [Line(ORAL_ADULT, ORAL_ADULT_2022), Line(ORAL_ADULT, ORAL_ADULT_2022)],
        on=date(2022, 9, 1),
        patient=ORDINARY,
    )
    assert [x.status for x in results] == ["ok", "refused"]


def test_scaling_needs_dental_care_in_the_previous_calendar_year() -> None:
    """R20: without care in the previous calendar year scaling is halved, not refused."""
    on = date(2023, 3, 1)
    assert amounts(one(SCALING, SCALING_2022, on, ORDINARY)) == ("15.00", "5.75", "9.25")
    last_year = (PastCare("301593", date(2022, 9, 1), "dental"),)
    ok = one(SCALING, SCALING_2022, on, ORDINARY, history=last_year)
    assert amounts(ok) == ("15.00", "11.50", "3.50")
    this_year = (PastCare("301593", date(2023, 1, 15), "dental"),)
    halved = one(SCALING, SCALING_2022, on, ORDINARY, history=this_year)
    assert (halved.status, halved.reimbursement) == ("ok", D("5.75"))
    not_dental = (PastCare("101076", date(2022, 9, 1), "gp_consultation"),)
    assert one(SCALING, SCALING_2022, on, BIM, history=not_dental).reimbursement == D("7.50")


def test_unknown_prerequisite_rule_refuses() -> None:
    act = Act("302153", "x", "dental", prerequisite="moon_phase")
    result = one(act, SCALING_2022, date(2023, 3, 1), ORDINARY)
    assert result.refusal_code == "008" and "moon_phase" in (result.refusal_reason or "")


def test_codes_not_combinable_on_the_same_day() -> None:
    gp = Act("101076", "x", "gp_consultation", not_combinable_with=("101032",))
    t32 = tariff("101032", date(2024, 1, 1), "25.68", ord_="19.68", bim="24.18",
                 ord_dmg="21.68", bim_dmg="24.68")  # fmt: skip
    t76 = GP_TARIFFS[0]
    on = date(2024, 6, 1)
    # within one visit, in either order (the rule is declared on one side only)
    first = compute_visit([Line(gp, t76), Line(GP_RECOGNISED, t32)], on=on, patient=ORDINARY)
    assert [x.status for x in first] == ["ok", "refused"]
    assert first[1].refusal_code == "010"
    second = compute_visit([Line(GP_RECOGNISED, t32), Line(gp, t76)], on=on, patient=ORDINARY)
    assert [x.refusal_code for x in second] == [None, "010"]
    # with the recorded history of the same day, not of another day
    same_day = (PastCare("101032", on, "gp_consultation"),)
    assert one(gp, t76, on, ORDINARY, history=same_day).refusal_code == "010"
    other_day = (PastCare("101032", date(2024, 5, 31), "gp_consultation"),)
    assert one(gp, t76, on, ORDINARY, history=other_day).status == "ok"


def test_a_refused_code_does_not_count_for_the_rest_of_the_visit() -> None:
    refused_first = compute_visit(
        [Line(ORAL_ADULT, None), Line(ORAL_ADULT, ORAL_ADULT_2022)],
        on=date(2022, 9, 1),
        patient=ORDINARY,
    )
    assert [x.status for x in refused_first] == ["refused", "ok"]


def test_code_outside_its_validity_and_setting() -> None:
    retired = Act("101076", "x", "gp_consultation", valid_to=date(2024, 6, 30))
    result = one(retired, GP_TARIFFS[0], date(2024, 7, 1), ORDINARY)
    assert result.refusal_code == "009" and "2024-06-30" in (result.refusal_reason or "")
    hosp_only = Act("469825", "x", "other", "hospitalised")
    t = tariff("469825", date(2024, 1, 1), "10.00", ord_="8.00", bim="9.00")
    assert one(hosp_only, t, date(2024, 7, 1), ORDINARY, setting="ambulatory").refusal_code == (
        "903"
    )
    assert one(hosp_only, t, date(2024, 7, 1), ORDINARY, setting="hospitalised").status == "ok"
    assert one(hosp_only, t, date(2024, 7, 1), ORDINARY).status == "ok"


def test_no_matching_profile_and_no_fixed_share() -> None:
    act = Act("999996", "x", "other")
    t = tariff("999996", date(2024, 1, 1), "10.00", ord_="8.00")
    assert one(act, t, date(2024, 7, 1), ORDINARY).status == "ok"
    assert one(act, t, date(2024, 7, 1), BIM).refusal_code == "904"


def test_charged_below_the_fee_lowers_what_the_patient_pays() -> None:
    result = gp_on(date(2024, 6, 1), ORDINARY, charged="28.00")
    assert amounts(result) == ("31.81", "25.81", "6.00")
    assert (result.supplement, result.patient_total) == (D("0.00"), D("2.19"))


def test_explanation_names_values_periods_and_sources() -> None:
    result = gp_on(date(2026, 3, 2), BIM_DMG, explain=True)
    by_what = {s.what: s for s in result.explanation}
    fee = by_what["fee"]
    assert (fee.value, fee.valid_from, fee.valid_to, fee.source) == (
        "33.73",
        date(2026, 1, 1),
        None,
        "DOMUS",
    )
    fixed = next(s for s in result.explanation if s.what.startswith("fixed personal share"))
    assert (fixed.value, fixed.valid_from) == ("1.00", date(2011, 11, 16))  # R3
    assert "news.belgium.be" in fixed.source
    assert not gp_on(date(2026, 3, 2), BIM_DMG).explanation


def test_bad_provider_or_setting_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="provider 'cheap'"):
        gp_on(date(2024, 6, 1), ORDINARY, provider="cheap")
    with pytest.raises(InvalidInput, match="setting 'home'"):
        gp_on(date(2024, 6, 1), ORDINARY, setting="home")
    with pytest.raises(InvalidInput, match="regime"):
        Patient("rich")


def test_refusal_codes_cover_etarif_and_our_own() -> None:
    assert [f"{i:03d}" for i in range(1, 11)] == sorted(r.REFUSAL_REASONS)[:10]
    assert r.REFUSAL_REASONS["901"] == "not insured on the date"
    assert r.REFUSAL_REASONS["902"] == "age outside the limits of the code"


def test_rule_boundaries_are_the_start_dates() -> None:
    assert date(2023, 10, 1) in r.RULE_BOUNDARIES
    assert date(2026, 1, 1) in r.RULE_BOUNDARIES
    assert list(r.RULE_BOUNDARIES) == sorted(r.RULE_BOUNDARIES)


# ------------------------------------------------------------------ properties

cents = st.integers(min_value=0, max_value=50_000).map(lambda c: (D(c) / 100).quantize(D("0.01")))


@st.composite
def cases(draw: st.DrawFn) -> tuple[Line, Patient, str, date, str | None]:
    fee = draw(cents)
    profiles: list[Profile] = []
    for regime in draw(st.lists(st.sampled_from(["ordinary", "preferential"]), unique=True)):
        amount = draw(st.integers(min_value=0, max_value=int(fee * 100)))
        profiles.append(Profile((D(amount) / 100).quantize(D("0.01")), regime))
    category = draw(st.sampled_from(r.CATEGORIES))
    t = TariffView("101076", date(2010, 1, 1), None, fee, tuple(profiles), "prop", "fixture")
    charged = draw(st.none() | cents)
    patient = Patient(
        draw(st.sampled_from(["ordinary", "preferential"])),
        dmg=draw(st.booleans()),
        age=draw(st.none() | st.integers(min_value=0, max_value=110)),
        chronic=draw(st.booleans()),
        bim_automatic=draw(st.booleans()),
    )
    on = draw(st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31)))
    provider = draw(st.sampled_from(r.PROVIDERS))
    if category in r.PHYSIO_CATEGORIES and provider == "partially":
        provider = "conventioned"  # no partially conventioned physiotherapist (issue 14)
    setting = draw(st.sampled_from([None, *r.SETTINGS]))
    return Line(Act("101076", "x", category), t, charged), patient, provider, on, setting


@given(cases())
def test_share_never_negative_and_fee_is_reimbursement_plus_share(
    case: tuple[Line, Patient, str, date, str | None],
) -> None:
    line, patient, provider, on, setting = case
    [result] = compute_visit([line], on=on, patient=patient, provider=provider, setting=setting)
    assert result.fee is not None
    assert result.reimbursement is not None and result.personal_share is not None
    assert result.personal_share >= 0
    assert result.reimbursement >= 0
    assert result.fee == result.reimbursement + result.personal_share
    assert result.supplement is not None and result.supplement >= 0
    assert result.patient_total is not None and result.patient_total >= 0
    for amount in (result.reimbursement, result.personal_share, result.supplement):
        assert amount == amount.quantize(D("0.01"))
