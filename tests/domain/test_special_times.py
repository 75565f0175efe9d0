"""When a patient's special requirement lets a conventioned doctor ask a supplement: the
moment of care (issue 14; CM, bijzondere eisen van patiënten, providers.md §7.1 row 6), and
the physiotherapist who cannot be partially conventioned."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.reimbursement import (
    Act,
    Line,
    Patient,
    ProviderTerms,
    SpecialRequirement,
    compute_visit,
    legal_holidays,
    parse_days,
)
from inami_cli.domain.tariffs import Profile, TariffView

D = Decimal
GP = Act("101076", "Consultation généraliste accrédité", "gp_consultation", "ambulatory")
# 101076 in 2024: fee 31.81, 25.81 reimbursed without DMG (VNZ 2024, fixtures/nomenclature.csv)
GP_2024 = TariffView(
    "101076", date(2024, 1, 1), date(2024, 12, 31), D("31.81"),
    (Profile(D("25.81"), "ordinary", False),), "VNZ 2024", "fixture",
)  # fmt: skip
PHYSIO = Act("560011", "Séance kinésithérapie", "physio")
PHYSIO_2024 = TariffView(
    "560011", date(2024, 1, 1), None, D("30.00"), (Profile(D("23.75"), "ordinary"),), "CM", "x"
)
# the shipped rows (inami_cli/data/special_requirements.csv) as the domain reads them
LATE_GP = SpecialRequirement(
    "late_consultation", "gp", "after 21:00", "[MUT]", "CM",
    days=("sat", "sun", "holiday"), from_time=time(21), to_time=time(8),
)  # fmt: skip
LATE_SPEC = SpecialRequirement(
    "late_consultation", "specialist", "after 21:00", "[MUT]", "CM",
    days=("sat", "sun"), from_time=time(21), to_time=time(8),
)  # fmt: skip
VISIT = SpecialRequirement("visit_on_request", "gp", "visit", "[MUT]", "CM")
ORDINARY = Patient("ordinary", dmg=False, age=40)


def charge(terms: ProviderTerms, act: Act = GP, tariff: TariffView = GP_2024) -> tuple[str, ...]:
    [res] = compute_visit(
        [Line(act, tariff, D("40.00"))], on=terms.care_on or date(2024, 6, 3),
        patient=ORDINARY, terms=terms,
    )  # fmt: skip
    return (res.status, res.refusal_code or "", f"{res.supplement}", res.refusal_reason or "")


def at(on: date, hhmm: str | None, *reqs: SpecialRequirement) -> ProviderTerms:
    moment = time.fromisoformat(hhmm) if hhmm else None
    return ProviderTerms(
        "conventioned", special_requirement=reqs or (LATE_GP,), care_on=on, care_at=moment
    )


def test_the_ten_legal_holidays() -> None:
    # AR 18/4/1974: Easter 2024 was 31 March, 2025 20 April, 2026 5 April
    assert sorted(legal_holidays(2024)) == [
        date(2024, 1, 1), date(2024, 4, 1), date(2024, 5, 1), date(2024, 5, 9),
        date(2024, 5, 20), date(2024, 7, 21), date(2024, 8, 15), date(2024, 11, 1),
        date(2024, 11, 11), date(2024, 12, 25),
    ]  # fmt: skip
    assert {date(2025, 4, 21), date(2025, 5, 29), date(2025, 6, 9)} <= legal_holidays(2025)
    assert {date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)} <= legal_holidays(2026)
    assert len(legal_holidays(2008)) == 9  # 1 May and Ascension fell on the same day


@pytest.mark.parametrize(
    ("on", "hhmm", "expected"),
    [
        (date(2024, 6, 3), "21:30", ("ok", "", "8.19")),  # Monday after 21:00
        (date(2024, 6, 3), "21:00", ("ok", "", "8.19")),
        (date(2024, 6, 3), "19:30", ("refused", "905", "8.19")),  # Monday evening
        (date(2024, 6, 4), "02:00", ("ok", "", "8.19")),  # the night, 21:00 to 08:00
        (date(2024, 6, 4), "08:00", ("refused", "905", "8.19")),  # the night is over
        (date(2024, 6, 1), None, ("ok", "", "8.19")),  # Saturday: any time
        (date(2024, 6, 2), "10:00", ("ok", "", "8.19")),  # Sunday
        (date(2024, 5, 20), "10:00", ("ok", "", "8.19")),  # Whit Monday, a legal holiday
        (date(2024, 11, 11), "09:00", ("ok", "", "8.19")),  # Armistice Day
        (date(2024, 5, 21), "10:00", ("refused", "905", "8.19")),  # the day after
    ],
)
def test_late_consultation_holds_after_21_or_on_weekends_and_holidays(
    on: date, hhmm: str | None, expected: tuple[str, ...]
) -> None:
    assert charge(at(on, hhmm))[:3] == expected


def test_a_refusal_says_when_the_requirement_holds() -> None:
    reason = charge(at(date(2024, 6, 3), "19:30"))[3]
    assert (
        "'late_consultation' holds only between 21:00 and 08:00 or on Saturday, Sunday or a "
        in (reason)
    )
    assert "not on Mon 2024-06-03 at 19:30" in reason


def test_a_weekday_without_a_time_is_an_input_error() -> None:
    with pytest.raises(InvalidInput, match="pass --time HH:MM"):
        charge(at(date(2024, 6, 3), None))


def test_a_requirement_without_a_moment_holds_at_any_time() -> None:
    assert charge(at(date(2024, 6, 3), "10:00", VISIT))[:2] == ("ok", "")


def test_the_specialists_late_consultation_names_no_holiday() -> None:
    # a GP consultation on Whit Monday: the GP's row holds; the specialist's row alone
    # would not free a GP consultation anyway (role), and knows no holidays
    assert LATE_SPEC.holds_at(date(2024, 5, 20), time(10)) is False
    assert LATE_SPEC.holds_at(date(2024, 6, 1), time(10)) is True
    assert LATE_GP.holds_at(date(2024, 5, 20), time(10)) is True


def test_terms_built_without_a_moment_are_not_checked() -> None:
    # ProviderTerms built by hand (no care_on): the requirement is taken as stated
    terms = ProviderTerms("conventioned", special_requirement=(LATE_GP,))
    assert charge(terms)[:2] == ("ok", "")


def test_a_partially_conventioned_physiotherapist_is_refused() -> None:
    with pytest.raises(InvalidInput, match="physiotherapists cannot be partially conventioned"):
        charge(ProviderTerms("partially"), PHYSIO, PHYSIO_2024)
    register = ProviderTerms("partially", given=False, profession="physiotherapist")
    with pytest.raises(InvalidInput, match="physiotherapists cannot"):
        charge(register, PHYSIO, PHYSIO_2024)
    # the statuses a physiotherapist can have are computed as before
    assert charge(ProviderTerms("non-conventioned"), PHYSIO, PHYSIO_2024)[:2] == ("ok", "")
    assert charge(ProviderTerms("conventioned"), PHYSIO, PHYSIO_2024)[:2] == ("refused", "905")


def test_parse_days() -> None:
    assert parse_days("sat, sun|holiday", where="x") == ("sat", "sun", "holiday")
    assert parse_days("", where="x") == ()
    with pytest.raises(InvalidInput, match="x: days 'monday'"):
        parse_days("monday", where="x")
