"""Database layer: SQLModel tables, engine, sessions and migrations."""
