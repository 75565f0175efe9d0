"""Alembic environment: the engine is handed over by ``inami_cli.db.migrate``."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import inami_cli.db.models  # noqa: F401  (registers the tables)

target_metadata = SQLModel.metadata
engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
