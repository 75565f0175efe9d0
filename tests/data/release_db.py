"""Build a released-schema database file (``tests/data/schema_NNNN.db``), shared by every
``make_schema_NNNN.py``.

Each file is a database written by the release at schema NNNN, kept so that every later
release proves ``inami db upgrade`` carries it forward with its data intact
(tests/reliability/test_schema_safety.py). The maker says which commands filled it; this
module runs them on a fresh SQLite file with the real ``inami`` command, refuses a code
base whose schema is no longer NNNN (it would write a newer schema) and a database with an
empty table, then compacts the file and moves it into place.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
INAMI = str(Path(sys.executable).with_name("inami"))
CASES = "<cases>"  # stands for a one-row batch file (code,date,niss) in the commands


def build(revision: str, commands: Sequence[Sequence[str]]) -> None:
    """Run *commands* (``inami`` arguments) on a fresh database, write ``schema_<revision>.db``."""
    from inami_cli.db.schema import SCHEMA_REVISION

    target = HERE / f"schema_{revision}.db"
    if revision != SCHEMA_REVISION:
        sys.exit(f"this code is at schema {SCHEMA_REVISION}, not {revision}: keep the file")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "inami.db"
        config = Path(tmp) / "inami.toml"
        config.write_text(
            f'[audit]\noperator = "release-{revision}"\nlog_consultations = true\n',
            encoding="utf-8",
        )
        cases = Path(tmp) / "cases.csv"
        cases.write_text("code,date,niss\n101076,2026-03-02,85061508234\n", encoding="utf-8")
        env = {
            **os.environ,
            "INAMI_DATABASE_URL": f"sqlite:///{db}",
            "INAMI_CONFIG": str(config),
            "XDG_CONFIG_HOME": tmp,
            "XDG_DATA_HOME": tmp,
            "NO_COLOR": "1",
        }
        for args in commands:
            argv = [str(cases) if a == CASES else a for a in args]
            subprocess.run([INAMI, *argv], env=env, check=True, capture_output=True)
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
        db.replace(target)
    print(f"wrote {target} ({target.stat().st_size} bytes)")
