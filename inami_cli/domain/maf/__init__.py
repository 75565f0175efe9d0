"""The maximum à facturer (MAF / maximumfactuur): pure rules.

This package is the public face; by sub-topic, from the bottom up:

- ``_params``: the parameters of a year (brackets, ceilings, amounts, letters) as data,
  and the income-year rule;
- ``_counting``: what counts towards a ceiling (counter kinds, the psychiatric 365-day rule,
  children's enteral nutrition) and what never does;
- ``_compute``: the ceilings of a household (income, social, child, chronic reduction), the
  more favourable combination and the refund per member, with an explanation.
"""

from __future__ import annotations

from inami_cli.domain.maf._compute import (
    Cap,
    Entry,
    Exclusion,
    IncomeIn,
    MafResult,
    MemberIn,
    MemberResult,
    Step,
    binding_cap,
    compute,
    is_child,
)
from inami_cli.domain.maf._counting import (
    CHILD_AGE_LIMIT,
    COUNTER_KINDS,
    PSYCHIATRIC_ALL_DAYS_FROM,
    PSYCHIATRIC_DAY_LIMIT,
    Counted,
    CounterKind,
    check_counter,
    check_kind,
    count_counter,
)
from inami_cli.domain.maf._params import (
    FIRST_YEAR,
    RELIABILITIES,
    Bracket,
    Param,
    YearTable,
    check_name,
    check_reliability,
    check_year,
    income_year,
    parse_value,
    year_table,
)

__all__ = [
    "CHILD_AGE_LIMIT",
    "COUNTER_KINDS",
    "FIRST_YEAR",
    "PSYCHIATRIC_ALL_DAYS_FROM",
    "PSYCHIATRIC_DAY_LIMIT",
    "RELIABILITIES",
    "Bracket",
    "Cap",
    "Counted",
    "CounterKind",
    "Entry",
    "Exclusion",
    "IncomeIn",
    "MafResult",
    "MemberIn",
    "MemberResult",
    "Param",
    "Step",
    "YearTable",
    "binding_cap",
    "check_counter",
    "check_kind",
    "check_name",
    "check_reliability",
    "check_year",
    "compute",
    "count_counter",
    "income_year",
    "is_child",
    "parse_value",
    "year_table",
]
