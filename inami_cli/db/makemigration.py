"""Developer tool: ``python -m inami_cli.db.makemigration REV "message"`` autogenerates a
migration from the models against a scratch SQLite database at the current head."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from inami_cli.db.engine import make_engine
from inami_cli.db.migrate import alembic_config


def main() -> None:
    """Generate the next migration script."""
    rev_id, message = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}", create=True)
        cfg = alembic_config(engine)
        command.upgrade(cfg, "head")
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)


if __name__ == "__main__":
    main()
