"""wide money and declared operators (issue 20)

Every amount column in cents becomes a 64-bit integer, and the audit log and the
consultation log record the operator declared in the configuration beside the OS user.

Amounts are bounded below 1 000 000 000.00 (``inami_cli.domain.values.AMOUNT_LIMIT``):
99 999 999 999 cents, beyond PostgreSQL's 32-bit INTEGER (a fee above 21 474 836.47 used to
exit 6 there). SQLite's INTEGER is already 64-bit: nothing to do on it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
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
    for table in ("audit_entry", "consultation_log"):
        op.add_column(
            table,
            sa.Column(
                "declared_operator",
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default="",
            ),
        )
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
    for table in ("audit_entry", "consultation_log"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("declared_operator")
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
