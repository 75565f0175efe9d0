"""wide money: every amount column in cents becomes a 64-bit integer (issue 20)

Amounts are bounded below 1 000 000 000.00 (``inami_cli.domain.values.AMOUNT_LIMIT``):
99 999 999 999 cents, beyond PostgreSQL's 32-bit INTEGER (a fee above 21 474 836.47 used to
exit 6 there). SQLite's INTEGER is already 64-bit: nothing to do on it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("tariff", "fee_cents", True),
    ("tariff_profile", "reimbursement_cents", False),
    ("care_record", "fee_cents", False),
    ("care_record", "reimbursement_cents", False),
    ("care_record", "personal_share_cents", False),
    ("care_record", "supplement_cents", False),
    ("maf_parameter", "value", False),
    ("maf_counter", "unit_cents", False),
    ("incapacity_spell", "gross_daily_cents", True),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, nullable in COLUMNS:
        op.alter_column(
            table,
            column,
            existing_type=sa.Integer(),
            type_=sa.BigInteger(),
            existing_nullable=nullable,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, nullable in COLUMNS:
        op.alter_column(
            table,
            column,
            existing_type=sa.BigInteger(),
            type_=sa.Integer(),
            existing_nullable=nullable,
        )
