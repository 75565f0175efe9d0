"""Indemnity use cases: the dated parameter store, incapacity episodes, the daily amount and
the amount over a period, the qualifying period, maternity, birth and adoption leave, the
funeral allowance, miners' pensions, and the batch.

The rules live in ``domain/indemnities/``; this package reads the parameters and the
persons' spells from the database, writes (audited) what the commands change, and applies
the derived-figure policy: a computation that used a derived parameter says so (the
``warnings`` it returns) and ``strict`` refuses it (exit 4).

This package is the public face; by sub-topic, from the bottom up:

- ``_store``: the parameter rows in memory, a row's cells validated, the reference file;
- ``_params``: ``params list``, ``params set``, ``params import``, ``load_reference``;
- ``_episodes``: incapacity spells (relapses continue an episode);
- ``_compute``: ``compute``, ``period``, ``stage`` and the derived-figure policy;
- ``_benefits``: maternity, birth and adoption leave, funeral, miners;
- ``_batch``: ``indemnity batch``;
- ``_fixtures``: the demo persons and spells; ``_checks``: this feature's ``db check``.
"""

from __future__ import annotations

from inami_cli.services.indemnities._batch import (
    BATCH_COLUMNS,
    BATCH_INPUT,
    BatchSummary,
    indemnity_batch,
)
from inami_cli.services.indemnities._benefits import (
    adoption_plan,
    birth_leave,
    funeral_check,
    maternity_compute,
    maternity_plan,
    miners_pension,
)
from inami_cli.services.indemnities._checks import CHECKS
from inami_cli.services.indemnities._compute import (
    CaseInput,
    ComputeAnswer,
    build_case,
    indemnity_compute,
    indemnity_period,
    indemnity_stage,
    refuse_derived,
    warnings_for,
)
from inami_cli.services.indemnities._episodes import (
    SpellView,
    episode_add,
    episode_end,
    episode_list,
    spell_on,
)
from inami_cli.services.indemnities._fixtures import load_fixtures
from inami_cli.services.indemnities._params import (
    PARAM_FIELDS,
    ParamImport,
    ParamView,
    load_reference,
    params_import,
    params_list,
    params_set,
)
from inami_cli.services.indemnities._store import (
    PARAM_COLUMNS,
    REFERENCE_FILE,
    load_store,
    param_from_cells,
)

__all__ = [
    "BATCH_COLUMNS",
    "BATCH_INPUT",
    "CHECKS",
    "PARAM_COLUMNS",
    "PARAM_FIELDS",
    "REFERENCE_FILE",
    "BatchSummary",
    "CaseInput",
    "ComputeAnswer",
    "ParamImport",
    "ParamView",
    "SpellView",
    "adoption_plan",
    "birth_leave",
    "build_case",
    "episode_add",
    "episode_end",
    "episode_list",
    "funeral_check",
    "indemnity_batch",
    "indemnity_compute",
    "indemnity_period",
    "indemnity_stage",
    "load_fixtures",
    "load_reference",
    "load_store",
    "maternity_compute",
    "maternity_plan",
    "miners_pension",
    "param_from_cells",
    "params_import",
    "params_list",
    "params_set",
    "refuse_derived",
    "spell_on",
    "warnings_for",
]
