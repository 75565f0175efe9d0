"""Make ``tests/data/schema_0005.db``: a database written by the release at schema 0005.

It is kept so that every later release proves ``inami db upgrade`` carries such a database
forward with its data intact (tests/reliability/test_schema_safety.py). The file is the
record; this script says how it was made, and refuses to run on a code base whose schema is
no longer 0005 (it would write a newer schema).

Every main table gets rows through the real command: the demo data (``inami init --demo``,
which includes the indemnity parameters and spells of schema 0004),
a recorded reimbursement (care_record, with the referral reduction of schema 0005), a revised
decision (decision_revision), a logged consultation (consultation_log). Schema 0005 adds
``medical_house_enrolment`` (``inami medical-house add``), the mutuality of an affiliation
and ``care_record.referral_reduced``.

Usage: python tests/data/make_schema_0005.py
"""

from __future__ import annotations

from release_db import CASES, build

REVISION = "0005"
COMMANDS = (
    ["init", "--demo"],
    ["reimburse", "batch", CASES, "--record"],
    ["decision", "revise", "CASS 2026/002", "--reason", "typo in the title",
     "--title", "Budget supplement for dental prevention (invented example, revised)"],
    ["insured", "check", "85061508234", "--date", "2026-03-02"],
    ["indemnity", "episode", "end", "79112120429", "--date", "2026-03-20"],
    ["reimburse", "105755", "--date", "2025-06-10", "--niss", "60013021159",
     "--referred", "--record"],
    ["medical-house", "add", "72110313704", "--house", "WGC De Linde", "--disciplines",
     "gp,physio", "--from", "2025-01-01"],
)  # fmt: skip

if __name__ == "__main__":
    build(REVISION, COMMANDS)
