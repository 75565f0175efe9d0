"""The reimbursement engine's plan (issue 19): compiled once per case shape, applied to
every row that shares it; one engine for single cases, batches and explanations."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inami_cli.domain import reimbursement as r
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.reimbursement import Act, Line, PastCare, Patient, ProviderTerms
from inami_cli.domain.tariffs import Profile, TariffView
from tests.domain.test_reimbursement import (
    GP,
    GP_TARIFFS,
    PHYSIO,
    PHYSIO_2024,
    SCALING,
    SCALING_2022,
    SPEC,
    SPEC_2017,
)

D = Decimal
CASES = [
    (GP, GP_TARIFFS[0], date(2024, 5, 2)),
    (SPEC, SPEC_2017, date(2017, 3, 1)),
    (PHYSIO, PHYSIO_2024, date(2024, 3, 1)),
]
CHARGED = [None, "0.00", "10.00", "25.81", "31.81", "33.00", "80.50"]


def test_one_plan_serves_every_row_of_its_shape() -> None:
    """The plan compiled once, applied to rows that differ only by what the row brings
    (charged amount, insured or not), gives what ``compute_case`` gives for each."""
    for act, tariff, on in CASES:
        for status in r.PROVIDERS:
            for patient in (Patient("ordinary", age=40), Patient("preferential", True, 20)):
                terms = ProviderTerms(status=status)
                if status == "partially" and act.category in r.PHYSIO_CATEGORIES:
                    # no partially conventioned physiotherapist (issue 14): an input error,
                    # from the plan as from the engine
                    with pytest.raises(InvalidInput):
                        r.compile_plan(act, tariff, on=on, patient=patient, terms=terms)
                    with pytest.raises(InvalidInput):
                        r.compute_case(Line(act, tariff, None), on=on, patient=patient, terms=terms)
                    continue
                plan = r.compile_plan(act, tariff, on=on, patient=patient, terms=terms)
                for charged in (None if c is None else D(c) for c in CHARGED):
                    for row in (patient, dataclasses.replace(patient, insured=False)):
                        expected = r.compute_case(
                            Line(act, tariff, charged), on=on, patient=row, terms=terms
                        )
                        given_plan = r.compute_case(
                            Line(act, tariff, charged), on=on, patient=row, terms=terms, plan=plan
                        )
                        assert given_plan == expected


def test_a_plan_is_immutable_and_holds_its_amounts() -> None:
    patient = Patient("ordinary", age=40)
    plan = r.compile_plan(
        PHYSIO,
        PHYSIO_2024,
        on=date(2024, 3, 1),
        patient=patient,
        terms=ProviderTerms(status="non-conventioned"),
    )
    # 23.75 at -25 % (R8) = 17.8125, rounded half up to the cent
    assert (plan.fee, plan.base, plan.cut, plan.reimbursement) == (
        D("30.00"),
        D("23.75"),
        True,
        D("17.81"),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.reimbursement = D("0")  # type: ignore[misc]


def test_refusals_that_do_not_read_the_row_are_in_the_plan() -> None:
    on = date(2024, 3, 1)
    patient = Patient("ordinary", age=40)
    terms = ProviderTerms(status="conventioned")
    no_tariff = r.compile_plan(GP, None, on=on, patient=patient, terms=terms)
    assert no_tariff.gate is not None and no_tariff.gate[0] == r.R_NOT_ON_DATE
    child = Act("371615", "Examen buccal", "dental", max_age=17)
    too_old = r.compile_plan(child, PHYSIO_2024, on=on, patient=patient, terms=terms)
    assert too_old.gate == (r.R_AGE, "age 40; code 371615 is for ages up to 17")
    # the refusal still comes after the row's own checks: not insured wins
    result = r.compute_case(
        Line(child, PHYSIO_2024),
        on=on,
        patient=dataclasses.replace(patient, insured=False, not_insured_reason="no coverage"),
        plan=too_old,
    )
    assert result.refusal_code == r.R_NOT_INSURED


def test_explain_reads_the_plan_steps() -> None:
    on = date(2024, 3, 1)
    patient = Patient("ordinary", age=40)
    terms = ProviderTerms(status="non-conventioned")
    plan = r.compile_plan(PHYSIO, PHYSIO_2024, on=on, patient=patient, terms=terms, explain=True)
    result = r.compute_case(
        Line(PHYSIO, PHYSIO_2024, D("40.00")), on=on, patient=patient, plan=plan
    )
    whats = [s.what for s in result.explanation]
    plan_steps = [s.what for s in (*plan.checked, *plan.split, *plan.adjusted)]
    assert plan_steps == [
        "fee",
        "reimbursement for profile ordinary",
        r.PHYSIO_NON_CONVENTIONED.description,
    ]
    start = whats.index("fee")
    assert whats[start : start + 3] == plan_steps
    assert whats[start + 3 :] == ["supplement allowed", "supplement (never reimbursed)",
                                  "personal share", "third-party payment", "paid at the desk",
                                  "paid to the provider by the fund"]  # fmt: skip
    assert (
        result.explanation
        == r.compute_case(
            Line(PHYSIO, PHYSIO_2024, D("40.00")),
            on=on,
            patient=patient,
            terms=terms,
            explain=True,
        ).explanation
    )


def test_a_row_with_an_unmet_prerequisite_halves_the_plan_base() -> None:
    """R20 reads the history (the row), so the plan keeps the base and the row halves it."""
    on = date(2024, 3, 1)
    patient = Patient("ordinary", age=40)
    plan = r.compile_plan(
        SCALING, SCALING_2022, on=on, patient=patient, terms=ProviderTerms("conventioned")
    )
    this_year = (PastCare("371615", date(2024, 1, 10), "dental"),)
    halved = r.compute_case(
        Line(SCALING, SCALING_2022), on=on, patient=patient, history=this_year, plan=plan
    )
    assert (plan.reimbursement, halved.reimbursement) == (D("11.50"), D("5.75"))


def test_a_partially_conventioned_provider_without_time_fails_only_above_the_fee() -> None:
    on = date(2017, 3, 1)
    patient = Patient("ordinary", age=40)
    terms = ProviderTerms(status="partially", in_block=None, nihii="10000000001")
    plan = r.compile_plan(SPEC, SPEC_2017, on=on, patient=patient, terms=terms)
    fine = r.compute_case(Line(SPEC, SPEC_2017, D("37.15")), on=on, patient=patient, plan=plan)
    assert fine.ok
    with pytest.raises(InvalidInput, match="pass --time"):
        r.compute_case(Line(SPEC, SPEC_2017, D("50.00")), on=on, patient=patient, plan=plan)


@settings(max_examples=150, deadline=None)
@given(
    case=st.sampled_from(CASES),
    status=st.sampled_from(r.PROVIDERS),
    regime=st.sampled_from(("ordinary", "preferential")),
    dmg=st.booleans(),
    age=st.one_of(st.none(), st.integers(0, 100)),
    automatic=st.booleans(),
    cents=st.one_of(st.none(), st.integers(0, 20_000)),
    setting=st.sampled_from((None, "ambulatory", "hospitalised")),
)
def test_plan_then_apply_is_compute_case(
    case: tuple[Act, r.ActRules, date],
    status: str,
    regime: str,
    dmg: bool,
    age: int | None,
    automatic: bool,
    cents: int | None,
    setting: str | None,
) -> None:
    act, tariff, on = case
    if status == "partially" and act.category in r.PHYSIO_CATEGORIES:
        status = "conventioned"  # no partially conventioned physiotherapist (issue 14)
    patient = Patient(regime, dmg, age, bim_automatic=automatic)
    charged = None if cents is None else D(cents) / 100
    terms = ProviderTerms(status=status)
    plan = r.compile_plan(act, tariff, on=on, patient=patient, terms=terms, setting=setting)  # type: ignore[arg-type]
    line = Line(act, tariff, charged)  # type: ignore[arg-type]
    args = {"on": on, "patient": patient, "terms": terms, "setting": setting}
    assert r.compute_case(line, plan=plan, **args) == r.compute_case(line, **args)  # type: ignore[arg-type]


VISIT = Act("103132", "Visite à domicile", "gp_visit")
VISIT_2024 = TariffView(
    "103132",
    date(2024, 1, 1),
    None,
    D("48.00"),
    (
        Profile(D("40.00"), "ordinary", None, None, 74),
        Profile(D("44.00"), "ordinary", None, 75, None),
        Profile(D("46.00"), "preferential"),
    ),
    "test",
    "fixture",
)


def test_age_cuts_are_the_profile_bands_and_the_young_bim_limit() -> None:
    assert r.age_cuts(VISIT, VISIT_2024) == (25, 75)
    assert r.age_cuts(PHYSIO, PHYSIO_2024) == ()
    # an act with age limits keeps the exact age (its refusal names it)
    child = Act("371615", "Examen buccal", "dental", max_age=17)
    assert r.age_band(child, (), 12) == 12
    assert [r.age_band(VISIT, (25, 75), a) for a in (None, 3, 24, 25, 74, 75)] == [
        None, 0, 0, 1, 1, 2,
    ]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    first=st.integers(0, 110),
    second=st.integers(0, 110),
    regime=st.sampled_from(("ordinary", "preferential")),
    dmg=st.booleans(),
)
def test_ages_in_one_band_share_one_plan(first: int, second: int, regime: str, dmg: bool) -> None:
    """The batch keys a plan on the age band, not the age: a plan compiled for one age of
    the band is the plan of every other."""
    cuts = r.age_cuts(VISIT, VISIT_2024)
    on = date(2024, 6, 1)
    terms = ProviderTerms("conventioned")
    plans = [
        r.compile_plan(VISIT, VISIT_2024, on=on, patient=Patient(regime, dmg, age), terms=terms)
        for age in (first, second)
    ]
    if r.age_band(VISIT, cuts, first) == r.age_band(VISIT, cuts, second):
        assert plans[0] == plans[1]
        row = Patient(regime, dmg, second)
        line = Line(VISIT, VISIT_2024, D("50.00"))
        by_first = r.compute_case(line, on=on, patient=row, terms=terms, plan=plans[0])
        assert by_first == r.compute_case(line, on=on, patient=row, terms=terms)
