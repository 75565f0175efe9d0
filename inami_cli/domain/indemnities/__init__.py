"""Pure rules of the indemnity branch: incapacity for work (employees, the unemployed, the
self-employed), maternity, birth and adoption leave, the funeral allowance, miners'
invalidity pensions. Standard library only.

No figure is a constant: every rule reads dated, sourced parameters from a `ParamStore`
(``_params``) and records each row it read in its trace (``_model``), so a computation can
say which figures were derived rather than published.

This package is the public face; by sub-topic: ``_params`` (parameters, reliability,
rounding rules), ``_model`` (the trace), ``_calendar`` (months of incapacity, the 6-day
week), ``_resumption`` (partial resumption), ``_case`` (the case and the day's plan),
``_plan`` (the plan from the parameters), ``_apply`` (the plan applied to a wage),
``_cents`` (the common case of ``_apply`` in integer cents, for batches),
``_incapacity`` (the daily amount, plans shared by key),
``_period`` (over a period, gross and net), ``_stage`` (qualifying period, relapses),
``_maternity``, ``_leave`` (birth and adoption), ``_funeral``, ``_miners``.
"""

from __future__ import annotations

from inami_cli.domain.indemnities._apply import DayAmount, apply_plan
from inami_cli.domain.indemnities._calendar import add_months, month_number, paid_days
from inami_cli.domain.indemnities._case import (
    FAMILY_SITUATIONS,
    KINDS,
    SCHEMES,
    WORKER_CATEGORIES,
    DayPlan,
    IncapacityCase,
    check_choice,
)
from inami_cli.domain.indemnities._cents import CentsPlan, apply_cents, compile_plan
from inami_cli.domain.indemnities._classes import StartClasses
from inami_cli.domain.indemnities._funeral import DECEASED_STATUSES, FuneralAnswer, funeral_check
from inami_cli.domain.indemnities._incapacity import (
    IncapacityResult,
    compute_incapacity,
    plan_key,
    rebase,
)
from inami_cli.domain.indemnities._leave import AdoptionPlan, adoption_plan, birth_leave
from inami_cli.domain.indemnities._maternity import (
    MATERNITY_SCHEMES,
    BenefitLine,
    BenefitResult,
    MaternityPlan,
    Segment,
    maternity_compute,
    maternity_plan,
)
from inami_cli.domain.indemnities._miners import (
    EARNINGS_TYPES,
    STATUSES,
    WORK,
    MinersPension,
    miners_pension,
)
from inami_cli.domain.indemnities._model import Step, Trace, derived_warning
from inami_cli.domain.indemnities._params import (
    RELIABILITIES,
    ROUNDING_RULES,
    UNITS,
    Param,
    ParamStore,
    check_param,
    cohort_of,
    overlap_problem,
    round_amount,
    weakest,
)
from inami_cli.domain.indemnities._period import PeriodLine, PeriodResult, period_amounts
from inami_cli.domain.indemnities._plan import plan_day
from inami_cli.domain.indemnities._resumption import resumption_cut
from inami_cli.domain.indemnities._stage import StageResult, check_stage, continues_episode

__all__ = [
    "DECEASED_STATUSES",
    "EARNINGS_TYPES",
    "FAMILY_SITUATIONS",
    "KINDS",
    "MATERNITY_SCHEMES",
    "RELIABILITIES",
    "ROUNDING_RULES",
    "SCHEMES",
    "STATUSES",
    "UNITS",
    "WORK",
    "WORKER_CATEGORIES",
    "AdoptionPlan",
    "BenefitLine",
    "BenefitResult",
    "CentsPlan",
    "DayAmount",
    "DayPlan",
    "FuneralAnswer",
    "IncapacityCase",
    "IncapacityResult",
    "MaternityPlan",
    "MinersPension",
    "Param",
    "ParamStore",
    "PeriodLine",
    "PeriodResult",
    "Segment",
    "StageResult",
    "StartClasses",
    "Step",
    "Trace",
    "add_months",
    "adoption_plan",
    "apply_cents",
    "apply_plan",
    "birth_leave",
    "check_choice",
    "check_param",
    "check_stage",
    "cohort_of",
    "compile_plan",
    "compute_incapacity",
    "continues_episode",
    "derived_warning",
    "funeral_check",
    "maternity_compute",
    "maternity_plan",
    "miners_pension",
    "month_number",
    "overlap_problem",
    "paid_days",
    "period_amounts",
    "plan_day",
    "plan_key",
    "rebase",
    "resumption_cut",
    "round_amount",
    "weakest",
]
