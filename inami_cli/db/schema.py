"""The schema revision this code runs on (checked at every command; a test keeps it equal
to the head of the Alembic migrations)."""

SCHEMA_REVISION = "0006"
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006")  # oldest first
