"""Act rules dated like tariffs: the period in force on a date, or the act's own columns
(301593: until the 67th birthday in 2022, no upper limit from 2023-09-01)."""

from __future__ import annotations

from datetime import date

import pytest

from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.nomenclature import (
    ActRulePeriod,
    ActView,
    DatedAct,
    check_rule_period,
    overlapping,
    rules_on,
)

ACT = ActView(
    "301593",
    "Examen buccal annuel",
    "Jaarlijks mondonderzoek",
    "5",
    "dental",
    min_age=18,
    max_age=66,
    max_per_period=1,
    frequency_period="calendar_year",
)
P2022 = ActRulePeriod("301593", date(2022, 6, 1), date(2023, 8, 31), 18, 66, 1, "calendar_year")
P2023 = ActRulePeriod("301593", date(2023, 9, 1), None, 18, None, 1, "calendar_year")
PERIODS = {"301593": (P2022, P2023)}


@pytest.mark.parametrize(
    ("on", "max_age", "dated"),
    [
        (date(2022, 5, 31), 66, False),  # before every period: the act's own columns
        (date(2022, 6, 1), 66, True),
        (date(2023, 8, 31), 66, True),
        (date(2023, 9, 1), None, True),
        (date(2030, 1, 1), None, True),
    ],
)
def test_rules_on_a_date(on: date, max_age: int | None, dated: bool) -> None:
    act = rules_on(ACT, PERIODS, on)
    assert act.max_age == max_age and act.min_age == 18
    assert isinstance(act, DatedAct) is dated
    if isinstance(act, DatedAct):
        assert act.rule_period.in_force(on) and act.label_nl == ACT.label_nl


def test_a_code_without_periods_is_the_act_itself() -> None:
    assert rules_on(ACT, {}, date(2024, 1, 1)) is ACT


def test_summary_and_checks() -> None:
    assert P2022.summary() == "ages 18 to 66, 1 per calendar_year"
    assert ActRulePeriod("101076", date(2024, 1, 1)).summary() == "no limits"
    with pytest.raises(InvalidInput, match="go together"):
        check_rule_period(ActRulePeriod("301593", date(2024, 1, 1), max_per_period=1))
    with pytest.raises(InvalidInput, match="before valid_from"):
        check_rule_period(ActRulePeriod("301593", date(2024, 1, 1), date(2023, 1, 1)))
    with pytest.raises(InvalidInput, match="frequency_period"):
        check_rule_period(ActRulePeriod("301593", date(2024, 1, 1), None, None, None, 1, "week"))


def test_overlapping() -> None:
    assert overlapping([P2023, P2022]) is None
    open_2022 = ActRulePeriod("301593", date(2022, 6, 1))
    assert overlapping([P2023, open_2022]) == (open_2022, P2023)
