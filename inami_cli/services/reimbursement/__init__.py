"""Reimbursement use cases: one visit (``inami reimburse``) and a batch of cases (cron).

The arithmetic and the rules live in ``domain/reimbursement/``; this package finds what
they need (the act and the tariff in force, the person's status in the register, the
person's recorded care) and records computed cases when asked.

The batch streams its input and output row by row with flat memory: the nomenclature
index and the register are loaded once, the recorded history once (only the records that
a rule can read), and answers are cached per (code, tariff period, rule epoch, profile, ...)
so that most rows cost a dictionary look-up and a write.

This package is the public face; by sub-topic, from the bottom up:

- ``_provider``: the provider of a case, from the register (``--provider-id``) or given
  (``--provider``), as the computation's ``ProviderTerms``; the special requirements;
- ``_case``: one visit (``reimburse``, ``resolve_patient``), the output record of a result
  (``result_record``, ``RESULT_COLUMNS``) and the codes offered when prompting;
- ``_batch_input``: the batch's input columns, its header line and the words of its cells;
- ``_batch_render``: output rows from pre-rendered pieces of a cached answer;
- ``_batch_context``: the reference data a batch loads once, and its caches;
- ``_batch_run``: the per-row work over chunks of lines, and ``reimburse_batch``;
- ``_assertions``: ``check_assertions``, published amounts checked against the database.

``_case`` and ``_provider`` are imported with the package; the others on first use of one
of their names (``services.lazy``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inami_cli.services.lazy import lazy_names
from inami_cli.services.reimbursement._case import (
    RESULT_COLUMNS,
    BeneficiaryLike,
    CaseAnswer,
    CaseRequest,
    Overrides,
    code_choices,
    reimburse,
    resolve_patient,
    result_record,
)
from inami_cli.services.reimbursement._provider import ProviderSource, special_requirements

# The batch and the assertions load on first use: a one-shot ``reimburse CODE`` imports
# ``_case`` and ``_provider`` only, and no SQLModel (issue 19).
_LAZY = {
    "_assertions": ("CHECK_COLUMNS", "CheckSummary", "Difference", "check_assertions",
                    "read_assertions"),
    "_batch_context": ("CACHE_LIMIT", "PEOPLE_LIMIT"),
    "_batch_input": ("BATCH_INPUT_COLUMNS",),
    "_batch_render": ("BATCH_COLUMNS",),
    "_batch_run": ("RECORD_CHUNK", "BatchSummary", "reimburse_batch"),
}  # fmt: skip
__getattr__ = lazy_names(__name__, _LAZY)

if TYPE_CHECKING:
    from inami_cli.services.reimbursement._assertions import (
        CHECK_COLUMNS,
        CheckSummary,
        Difference,
        check_assertions,
        read_assertions,
    )
    from inami_cli.services.reimbursement._batch_context import CACHE_LIMIT, PEOPLE_LIMIT
    from inami_cli.services.reimbursement._batch_input import BATCH_INPUT_COLUMNS
    from inami_cli.services.reimbursement._batch_render import BATCH_COLUMNS
    from inami_cli.services.reimbursement._batch_run import (
        RECORD_CHUNK,
        BatchSummary,
        reimburse_batch,
    )

__all__ = [
    "BATCH_COLUMNS",
    "BATCH_INPUT_COLUMNS",
    "CACHE_LIMIT",
    "CHECK_COLUMNS",
    "PEOPLE_LIMIT",
    "RECORD_CHUNK",
    "RESULT_COLUMNS",
    "BatchSummary",
    "BeneficiaryLike",
    "CaseAnswer",
    "CaseRequest",
    "CheckSummary",
    "Difference",
    "Overrides",
    "ProviderSource",
    "check_assertions",
    "code_choices",
    "read_assertions",
    "reimburse",
    "reimburse_batch",
    "resolve_patient",
    "result_record",
    "special_requirements",
]
