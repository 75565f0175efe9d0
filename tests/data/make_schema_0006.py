"""Make ``tests/data/schema_0006.db``: a database written by the release at schema 0006.

It is kept so that every later release proves ``inami db upgrade`` carries such a database
forward with its data intact (tests/reliability/test_schema_safety.py). The file is the
record; this script says how it was made, and refuses to run on a code base whose schema is
no longer 0006 (it would write a newer schema).

Every main table gets rows through the real command: the demo data (``inami init --demo``,
which includes the indemnity parameters and spells of schema 0004; schema 0006 widens the
amount columns to 64-bit integers; 0005 the act rules, medical houses, referral),
a recorded reimbursement (care_record), a revised decision (decision_revision), a logged
consultation (consultation_log).

Usage: python tests/data/make_schema_0006.py
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REVISION = "0006"
HERE = Path(__file__).resolve().parent
TARGET = HERE / f"schema_{REVISION}.db"
INAMI = str(Path(sys.executable).with_name("inami"))


def main() -> None:
    """Build the database in a temporary directory, compact it, move it into place."""
    from inami_cli.db.schema import SCHEMA_REVISION

    if SCHEMA_REVISION != REVISION:
        sys.exit(f"this code is at schema {SCHEMA_REVISION}, not {REVISION}: keep the file")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "inami.db"
        env = {
            **os.environ,
            "INAMI_DATABASE_URL": f"sqlite:///{db}",
            "XDG_CONFIG_HOME": tmp,
            "XDG_DATA_HOME": tmp,
            "NO_COLOR": "1",
        }
        config = Path(tmp) / "inami.toml"
        config.write_text(
            '[audit]\noperator = "release-0006"\nlog_consultations = true\n', encoding="utf-8"
        )
        env["INAMI_CONFIG"] = str(config)
        cases = Path(tmp) / "cases.csv"
        cases.write_text("code,date,niss\n101076,2026-03-02,85061508234\n", encoding="utf-8")
        for args in (
            ["init", "--demo"],
            ["reimburse", "batch", str(cases), "--record"],
            ["decision", "revise", "CASS 2026/002", "--reason", "typo in the title",
             "--title", "Budget supplement for dental prevention (invented example, revised)"],
            ["insured", "check", "85061508234", "--date", "2026-03-02"],
            ["indemnity", "episode", "end", "79112120429", "--date", "2026-03-20"],
            ["reimburse", "105755", "--date", "2025-06-10", "--niss", "60013021159",
             "--referred", "--record"],
            ["medical-house", "add", "72110313704", "--house", "WGC De Linde", "--disciplines",
             "gp,physio", "--from", "2025-01-01"],
        ):  # fmt: skip
            subprocess.run([INAMI, *args], env=env, check=True, capture_output=True)
        conn = sqlite3.connect(db)
        try:
            empty = [
                name
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                if conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == 0
            ]
            if empty:
                sys.exit(f"tables left empty: {', '.join(empty)}")
            # One self-contained, compact file (no -wal), small pages.
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute("PRAGMA page_size=1024")
            conn.execute("VACUUM")
        finally:
            conn.close()
        db.chmod(0o600)
        db.replace(TARGET)
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
