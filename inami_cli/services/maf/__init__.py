"""MAF use cases: the year's parameters, households as of 1 January, counters, and the
computation (``maf compute``, ``maf status``).

Every function takes the caller's ``session`` and never commits; writes are audited.

This package is the public face; by sub-topic, each importing only modules before it:

- ``_params``: the parameters (shipped data file, list, set, import);
- ``_households``: households, members and their flags, income;
- ``_counters``: counters entered by hand or imported;
- ``_care``: the legal personal shares of recorded reimbursements (``care_record``);
- ``_compute``: ``maf_compute`` and ``maf_status``;
- ``_checks``: this feature's part of ``inami db check``;
- ``_fixtures``: the demo.
"""

from __future__ import annotations

from inami_cli.services.maf._checks import CHECKS
from inami_cli.services.maf._compute import MafAnswer, MafStatus, maf_compute, maf_status
from inami_cli.services.maf._counters import (
    COUNTER_COLUMNS,
    CounterIn,
    CounterView,
    check_counter,
    counter_add,
    counter_list,
    counter_remove,
    import_counters,
)
from inami_cli.services.maf._fixtures import load_fixtures
from inami_cli.services.maf._households import (
    HouseholdView,
    MemberView,
    household_add,
    household_list,
    household_of,
    household_remove,
    household_set_income,
    household_show,
)
from inami_cli.services.maf._params import (
    PARAM_COLUMNS,
    ParamView,
    import_params,
    load_reference,
    params_list,
    params_set,
)

__all__ = [
    "CHECKS",
    "COUNTER_COLUMNS",
    "PARAM_COLUMNS",
    "CounterIn",
    "CounterView",
    "HouseholdView",
    "MafAnswer",
    "MafStatus",
    "MemberView",
    "ParamView",
    "check_counter",
    "counter_add",
    "counter_list",
    "counter_remove",
    "household_add",
    "household_list",
    "household_of",
    "household_remove",
    "household_set_income",
    "household_show",
    "import_counters",
    "import_params",
    "load_fixtures",
    "load_reference",
    "maf_compute",
    "maf_status",
    "params_list",
    "params_set",
]
