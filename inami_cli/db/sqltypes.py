"""Column types of the generated Core tables (``inami_cli.db.tables``) that SQLAlchemy does
not have, without importing SQLModel (start-up time: issue 19).

``UTCDateTime`` converts exactly as SQLModel's type of the same name, which the models'
``datetime`` columns get: aware datetimes stored in UTC, read back as aware UTC datetimes
(SQLite keeps no offset, so a naive value read there is UTC). The models' strings are
SQLModel's ``AutoString``, a plain ``String`` on SQLite and PostgreSQL: the tables use
``String``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import types
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql.operators import OperatorType


class UTCDateTime(types.TypeDecorator[datetime]):
    """A timezone-aware ``DateTime``: written and read in UTC."""

    impl = types.DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def __repr__(self) -> str:
        return "UTCDateTime()"

    def coerce_compared_value(self, op: OperatorType | None, value: Any) -> types.TypeEngine[Any]:
        return types.Interval() if isinstance(value, timedelta) else self

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("datetime values must carry a timezone (UTC is stored)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
