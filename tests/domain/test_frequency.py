"""Frequency periods: one list for the import and the engine (rules audit R18/R19)."""

from __future__ import annotations

from datetime import date

import pytest

from inami_cli.domain import nomenclature, reimbursement
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.frequency import FREQUENCY_PERIODS, earliest_relevant, same_period
from inami_cli.domain.nomenclature import parse_act_fields
from inami_cli.domain.reimbursement import Act, PastCare
from tests.domain.test_reimbursement import ORAL_ADULT_2022, ORDINARY, one


def test_import_and_engine_share_one_list() -> None:
    assert nomenclature.FREQUENCY_PERIODS is FREQUENCY_PERIODS
    assert reimbursement.FREQUENCY_PERIODS is FREQUENCY_PERIODS
    for name in FREQUENCY_PERIODS:
        row = {"frequency_period": name, "max_per_period": "2"}
        assert parse_act_fields(row).frequency_period == name


@pytest.mark.parametrize(
    ("period", "on", "other", "counts"),
    [
        ("day", date(2024, 3, 1), date(2024, 3, 1), True),
        ("day", date(2024, 3, 1), date(2024, 2, 29), False),
        ("calendar_month", date(2024, 3, 31), date(2024, 3, 1), True),
        ("calendar_month", date(2024, 3, 1), date(2024, 2, 29), False),
        ("calendar_year", date(2024, 12, 31), date(2024, 1, 1), True),
        ("calendar_year", date(2024, 1, 1), date(2023, 12, 31), False),
        (None, date(2024, 1, 1), date(2023, 12, 31), False),
        ("semester", date(2024, 6, 30), date(2024, 1, 1), True),
        ("semester", date(2024, 7, 1), date(2024, 6, 30), False),
        ("semester", date(2024, 12, 31), date(2024, 7, 1), True),
        ("three_calendar_years", date(2024, 1, 1), date(2022, 1, 1), True),
        ("three_calendar_years", date(2024, 12, 31), date(2021, 12, 31), False),
        ("rolling_year", date(2024, 3, 1), date(2023, 3, 2), True),
        ("rolling_year", date(2024, 3, 1), date(2023, 3, 1), False),
        ("rolling_year", date(2024, 3, 1), date(2024, 3, 2), False),  # after the care
        ("rolling_year", date(2024, 2, 29), date(2023, 3, 1), True),
        ("per_prescription", date(2024, 3, 1), date(2015, 1, 1), True),
    ],
)
def test_same_period(period: str | None, on: date, other: date, counts: bool) -> None:
    assert same_period(period, on, other) is counts


def test_earliest_relevant_reaches_back_far_enough() -> None:
    assert earliest_relevant("three_calendar_years", date(2024, 5, 1)) == date(2022, 1, 1)
    assert earliest_relevant("rolling_year", date(2024, 2, 29)) == date(2023, 3, 1)
    with pytest.raises(InvalidInput, match="frequency period 'weekly'"):
        same_period("weekly", date(2024, 1, 1), date(2024, 1, 1))


def test_rolling_year_code_is_computed_not_an_error() -> None:
    """R19: a rolling_year code used to exit 2 on every reimbursement."""
    act = Act("301593", "Examen buccal", "dental", max_per_period=1,
              frequency_period="rolling_year")  # fmt: skip
    on = date(2022, 9, 1)
    assert one(act, ORAL_ADULT_2022, on, ORDINARY).status == "ok"
    recent = (PastCare("301593", date(2022, 1, 10), "dental"),)
    refused = one(act, ORAL_ADULT_2022, on, ORDINARY, history=recent)
    assert refused.refusal_code == "002"
    assert "1 of 1 per 12 months" in (refused.refusal_reason or "")
    old = (PastCare("301593", date(2021, 9, 1), "dental"),)
    assert one(act, ORAL_ADULT_2022, on, ORDINARY, history=old).status == "ok"


def test_semester_and_three_years_in_the_engine() -> None:
    exam = Act("301593", "x", "dental", max_per_period=1, frequency_period="semester")
    first_half = (PastCare("301593", date(2022, 6, 1), "dental"),)
    assert one(exam, ORAL_ADULT_2022, date(2022, 6, 30), ORDINARY,
               history=first_half).refusal_code == "002"  # fmt: skip
    assert one(exam, ORAL_ADULT_2022, date(2022, 7, 1), ORDINARY,
               history=first_half).status == "ok"  # fmt: skip
    perio = Act("301593", "x", "dental", max_per_period=1,
                frequency_period="three_calendar_years")  # fmt: skip
    two_years_ago = (PastCare("301593", date(2020, 1, 2), "dental"),)
    assert one(perio, ORAL_ADULT_2022, date(2022, 9, 1), ORDINARY,
               history=two_years_ago).refusal_code == "002"  # fmt: skip
