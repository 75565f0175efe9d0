"""Make ``tests/data/schema_0002.db``: a database written by the release at schema 0002.

It is kept so that every later release proves ``inami db upgrade`` carries such a database
forward with its data intact (tests/reliability/test_schema_safety.py). The file is the
record; this script says how it was made, and refuses to run on a code base whose schema is
no longer 0002 (it would write a newer schema).

Every main table gets rows through the real command: the demo data (``inami init --demo``),
a recorded reimbursement (care_record), a revised decision (decision_revision), a logged
consultation (consultation_log); the demo providers and their adherence (schema 0002:
provider register and agreements).

Usage: python tests/data/make_schema_0002.py
"""

from __future__ import annotations

from release_db import CASES, build

REVISION = "0002"
COMMANDS = (
    ["init", "--demo"],
    ["reimburse", "batch", CASES, "--record"],
    ["decision", "revise", "CASS 2026/002", "--reason", "typo in the title",
     "--title", "Budget supplement for dental prevention (invented example, revised)"],
    ["insured", "check", "85061508234", "--date", "2026-03-02"],
)  # fmt: skip

if __name__ == "__main__":
    build(REVISION, COMMANDS)
