"""The base of every table.

Conventions for every table module: money as integer cents (``*_cents``); exact decimals
(coefficients, key-letter values) as text; codes as strings; periods ``valid_from`` inclusive
and ``valid_to`` inclusive or NULL (open). Reference data says where it came from
(``source``). Tables refer to each other by table name in foreign keys
(``foreign_key="person.niss"``), so the feature modules never import one another.
"""

from __future__ import annotations

from sqlmodel import SQLModel


class Table(SQLModel):
    """Base of every table: pydantic's validator is built on first use, not at import.

    Table models are not validated on construction, and most commands never need the
    validators of every table; deferring them takes about a quarter off importing the
    tables (measured with ``python -X importtime``), which every cold command pays.
    """

    model_config = {"defer_build": True}
