"""The MAF rules with the figures of the facts file (maf-control-funding.md §6, DOMAIN.md §3).

Published figures are used where they exist; tests that rest on a derived figure say so in
their name.
"""

from __future__ import annotations

from datetime import date

import pytest

from inami_cli.domain import maf
from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.maf import Entry, IncomeIn, MemberIn, Param, YearTable

D = date.fromisoformat
SRC = "test"

TABLE_2024 = {  # MC 2024 (DOMAIN.md §3)
    "income_limit.1": 1268118, "income_limit.2": 2268705, "income_limit.3": 3487709,
    "income_limit.4": 4706718, "income_limit.5": 5874933,
    "ceiling.1": 25499, "ceiling.2": 51692, "ceiling.3": 74666, "ceiling.4": 114870,
    "ceiling.5": 160818, "ceiling.6": 206766, "social_ceiling": 51692,
}  # fmt: skip
TABLE_2018 = {  # CM 2018
    "income_limit.1": 1862031, "income_limit.2": 2862525, "income_limit.3": 3863022,
    "income_limit.4": 4821829, "ceiling.1": 46818, "ceiling.2": 67626, "ceiling.3": 104040,
    "ceiling.4": 145656, "ceiling.5": 187272, "social_ceiling": 46818, "child_ceiling": 67626,
    "chronic_reduction": 10404,
}  # fmt: skip


def table(year: int, values: dict[str, int], derived: tuple[str, ...] = ()) -> YearTable:
    return YearTable(
        year,
        {
            n: Param(year, n, v, "derived" if n in derived else "fund", SRC)
            for n, v in values.items()
        },
    )


def tables_2018(thresholds: tuple[int, int] = (45000, 45900)) -> dict[int, YearTable]:
    return {
        2016: table(2016, {"chronic_threshold": thresholds[0]}),
        2017: table(2017, {"chronic_threshold": thresholds[1]}),
        2018: table(2018, TABLE_2018),
    }


@pytest.mark.parametrize(
    ("income", "bracket", "ceiling"),
    [
        (0, 1, 25499),
        (1268118, 1, 25499),  # the limit itself is in the bracket ("≤ 12 681.18")
        (1268119, 2, 51692),
        (3487709, 3, 74666),
        (3000000, 3, 74666),
        (5874933, 5, 160818),
        (5874934, 6, 206766),
    ],
)
def test_2024_brackets_published_mc(income: int, bracket: int, ceiling: int) -> None:
    found, _limits = table(2024, TABLE_2024).bracket_for_income(income)
    assert (found.number, found.ceiling.value) == (bracket, ceiling)


def test_income_year_is_n_minus_2_from_2019_n_minus_3_before() -> None:
    assert maf.income_year(2024) == 2022
    assert maf.income_year(2019) == 2017
    assert maf.income_year(2018) == 2015


def test_incomplete_table_names_the_missing_parameter() -> None:
    values = dict(TABLE_2024)
    del values["income_limit.2"]
    with pytest.raises(NotFound, match=r"income_limit\.2 for 2024"):
        table(2024, values).brackets()


def test_letter_code_needs_its_mapping() -> None:
    with pytest.raises(NotFound, match=r"letter\.C"):
        table(2024, TABLE_2024).bracket_for_letter("C")
    mapped = table(2024, {**TABLE_2024, "letter.C": 3})
    bracket, _code = mapped.bracket_for_letter("C")
    assert bracket.ceiling.value == 74666


def test_parameter_names_and_values_are_checked() -> None:
    assert maf.check_name("ceiling.3") == "ceiling.3"
    with pytest.raises(InvalidInput):
        maf.check_name("ceiling")
    assert maf.parse_value("ceiling.3", "746,66") == 74666
    assert maf.parse_value("letter.B", "1") == 1
    with pytest.raises(InvalidInput):
        maf.parse_value("letter.B", "x")
    with pytest.raises(InvalidInput):
        maf.check_reliability("guess")


def _single(income: int, entries: list[Entry], **member: object) -> maf.MafResult:
    niss = "72110313704"
    return maf.compute(
        year=2018,
        tables=tables_2018(),
        members=[MemberIn(niss, D("1972-11-03"), **member)],  # type: ignore[arg-type]
        income=IncomeIn(income, None, 2015),
        entries=entries,
    )


def test_refund_is_what_is_paid_above_the_ceiling_in_date_order() -> None:
    niss = "72110313704"
    entries = [
        Entry(niss, D("2018-02-01"), 40000, source="a"),
        Entry(niss, D("2018-06-01"), 10000, source="b"),  # crosses 468.18
        Entry(niss, D("2018-09-01"), 5000, source="c"),
    ]
    result = _single(1500000, entries)  # bracket 1: 468.18
    assert result.caps[0].amount == 46818
    assert result.caps[0].reached_on == D("2018-06-01")
    assert result.refund_total == 55000 - 46818
    assert result.members[0].paid == 46818


def test_chronic_status_lowers_the_ceiling_cm_2018() -> None:
    result = _single(3000000, [], chronic_status=True)  # bracket 3: 1 040.40 - 104.04
    assert (result.caps[0].ceiling, result.caps[0].reduction, result.caps[0].amount) == (
        104040,
        10404,
        93636,
    )


def test_personal_shares_of_450_and_459_in_the_two_previous_years_lower_it_cm_2018() -> None:
    qualifies = _single(3000000, [], prior_tm=((2016, 45000), (2017, 45900)))
    assert qualifies.members[0].chronic and qualifies.caps[0].amount == 93636
    short = _single(3000000, [], prior_tm=((2016, 45000), (2017, 45899)))
    assert not short.members[0].chronic and short.caps[0].amount == 104040


def test_child_ceiling_and_the_household_ceiling_when_lower_cm_2018() -> None:
    child, parent = "16042205863", "72110313704"
    members = [MemberIn(parent, D("1972-11-03")), MemberIn(child, D("2005-04-22"))]
    entries = [Entry(child, D("2018-03-01"), 70000, source="x")]
    high = maf.compute(year=2018, tables=tables_2018(), members=members,
                       income=IncomeIn(6000000), entries=entries)  # fmt: skip
    # bracket 5 (1 872.72) for the household, 676.26 for the child: the child's own cap binds
    assert {c.kind for c in high.caps} == {"income", "child"}
    assert high.members[1].refund == 70000 - 67626
    low = maf.compute(year=2018, tables=tables_2018(), members=members,
                      income=IncomeIn(1000000), entries=entries)  # fmt: skip
    # bracket 1 (468.18) is lower than the child's 676.26: "the household ceiling applies"
    assert low.members[1].refund == 70000 - 46818


def test_a_child_is_under_19_on_1_january_or_born_during_the_year() -> None:
    assert maf.is_child(MemberIn("x", D("2005-01-02")), 2024)  # 18 on 1/1/2024
    assert not maf.is_child(MemberIn("x", D("2005-01-01")), 2024)  # 19 on 1/1/2024
    assert maf.is_child(MemberIn("x", D("2024-05-01")), 2024)  # born during the year
    assert not maf.is_child(MemberIn("x", None), 2024)


def test_social_maf_covers_its_group_and_combines_with_the_income_maf() -> None:
    bim, other = "85061508234", "72110313704"
    members = [MemberIn(bim, D("1985-06-15"), social=True), MemberIn(other, D("1972-11-03"))]
    entries = [
        Entry(bim, D("2024-02-01"), 60000, source="a"),
        Entry(other, D("2024-03-01"), 30000, source="b"),
    ]
    result = maf.compute(year=2024, tables={2024: table(2024, TABLE_2024)}, members=members,
                         income=IncomeIn(4000000), entries=entries)  # fmt: skip
    # bracket 4 (1 148.70) for all; social 516.92 for the BIM member only
    refunds = {m.niss: m.refund for m in result.members}
    assert refunds == {bim: 60000 - 51692, other: 0}


def test_since_2022_the_lowest_income_ceiling_wins_over_the_social_one() -> None:
    bim = "85061508234"
    result = maf.compute(
        year=2024, tables={2024: table(2024, TABLE_2024)},
        members=[MemberIn(bim, D("1985-06-15"), social=True)],
        income=IncomeIn(1000000), entries=[Entry(bim, D("2024-02-01"), 30000, source="a")],
    )  # fmt: skip
    assert maf.binding_cap(result, bim).kind == "income"  # type: ignore[union-attr]
    assert result.refund_total == 30000 - 25499


def test_no_income_means_no_income_maf_and_says_so() -> None:
    result = maf.compute(year=2024, tables={2024: table(2024, TABLE_2024)},
                         members=[MemberIn("72110313704", D("1972-11-03"))], income=IncomeIn(),
                         entries=[])  # fmt: skip
    assert result.caps == ()
    assert any("not applied" in s.value for s in result.steps)


def test_a_derived_figure_used_is_reported_derived_child_ceiling_2024() -> None:
    values = {**TABLE_2024, "child_ceiling": 74666}
    result = maf.compute(
        year=2024, tables={2024: table(2024, values, derived=("child_ceiling",))},
        members=[MemberIn("16042205863", D("2016-04-22"))], income=IncomeIn(3000000), entries=[],
    )  # fmt: skip
    assert [p.name for p in result.derived] == ["child_ceiling"]


def test_missing_social_ceiling_is_not_found() -> None:
    values = {k: v for k, v in TABLE_2024.items() if k != "social_ceiling"}
    with pytest.raises(NotFound, match="social_ceiling"):
        maf.compute(year=2024, tables={2024: table(2024, values)},
                    members=[MemberIn("85061508234", None, social=True)], income=IncomeIn(),
                    entries=[])  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "counted", "excluded"),
    [("drug-A", 1000, 0), ("drug-Cs", 0, 1000), ("drug-Cx", 0, 1000), ("supplement", 0, 1000),
     ("magistral", 1000, 0), ("implant-margin", 1000, 0)],
)  # fmt: skip
def test_what_counts_by_kind(kind: str, counted: int, excluded: int) -> None:
    part = maf.count_counter(maf.check_kind(kind), day=D("2024-03-01"), unit_cents=1000,
                             quantity=1, day_number=None, child=False)  # fmt: skip
    assert (part.counted, part.excluded) == (counted, excluded)


def test_psychiatric_days_after_the_365th_count_only_from_2026() -> None:
    kind = maf.check_kind("psychiatric-day")
    # days 360 .. 369 of a stay in 2025: 6 count (360..365), 4 do not
    part = maf.count_counter(kind, day=D("2025-03-01"), unit_cents=1000, quantity=10,
                             day_number=360, child=False)  # fmt: skip
    assert (part.counted, part.excluded) == (6000, 4000)
    part = maf.count_counter(kind, day=D("2026-03-01"), unit_cents=1000, quantity=10,
                             day_number=360, child=False)  # fmt: skip
    assert (part.counted, part.excluded) == (10000, 0)


def test_enteral_nutrition_counts_for_children_only() -> None:
    kind = maf.check_kind("enteral-nutrition")
    adult = maf.count_counter(kind, day=D("2024-03-01"), unit_cents=500, quantity=1,
                              day_number=None, child=False)  # fmt: skip
    child = maf.count_counter(kind, day=D("2024-03-01"), unit_cents=500, quantity=1,
                              day_number=None, child=True)  # fmt: skip
    assert (adult.counted, child.counted) == (0, 500)


def test_counter_checks() -> None:
    with pytest.raises(InvalidInput, match="--day-number"):
        maf.check_counter(maf.check_kind("psychiatric-day"), day=D("2025-03-01"), quantity=1,
                          day_number=None)  # fmt: skip
    with pytest.raises(InvalidInput, match="run into 2026"):
        maf.check_counter(maf.check_kind("hospital-day"), day=D("2025-12-30"), quantity=5,
                          day_number=None)  # fmt: skip
    with pytest.raises(InvalidInput, match="expected one of"):
        maf.check_kind("drug-D")


def test_a_derived_chronic_threshold_is_reported_derived_2019_threshold() -> None:
    tables = {
        2017: table(2017, {"chronic_threshold": 45900}),
        2018: table(2018, {"chronic_threshold": 46818}, derived=("chronic_threshold",)),
        2019: table(2019, {"ceiling.1": 47754, "chronic_reduction": 10612}),
    }
    result = maf.compute(
        year=2019, tables=tables,
        members=[MemberIn("72110313704", D("1972-11-03"),
                          prior_tm=((2017, 50000), (2018, 50000)))],
        income=IncomeIn(1000000), entries=[],
    )  # fmt: skip
    assert result.caps[0].amount == 47754 - 10612  # Domus Medica 2019: 477.54 − 106.12
    assert [(p.year, p.name) for p in result.derived] == [(2018, "chronic_threshold")]
