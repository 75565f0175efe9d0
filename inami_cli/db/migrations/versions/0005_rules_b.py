"""rules-b: act rules dated like tariffs, medical-house enrolments, the mutuality of an
affiliation, the referral reduction of a care record (issue 15, part B)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 12:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "act_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("max_age", sa.Integer(), nullable=True),
        sa.Column("max_per_period", sa.Integer(), nullable=True),
        sa.Column("frequency_period", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("not_combinable_with", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("prerequisite", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("setting", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"]),
        sa.ForeignKeyConstraint(["code"], ["act.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code", "valid_from", name="uq_act_rule_code_from"),
    )
    with op.batch_alter_table("act_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_act_rule_code"), ["code"], unique=False)
    op.create_table(
        "medical_house_enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("niss", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("house", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("gp", sa.Boolean(), nullable=False),
        sa.Column("physio", sa.Boolean(), nullable=False),
        sa.Column("nursing", sa.Boolean(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"]),
        sa.ForeignKeyConstraint(["niss"], ["person.niss"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("medical_house_enrolment", schema=None) as batch_op:
        batch_op.create_index("ix_medical_house_niss_from", ["niss", "valid_from"], unique=False)
    with op.batch_alter_table("affiliation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mutuality", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True)
        )
    with op.batch_alter_table("care_record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("referral_reduced", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("care_record", schema=None) as batch_op:
        batch_op.drop_column("referral_reduced")
    with op.batch_alter_table("affiliation", schema=None) as batch_op:
        batch_op.drop_column("mutuality")
    with op.batch_alter_table("medical_house_enrolment", schema=None) as batch_op:
        batch_op.drop_index("ix_medical_house_niss_from")
    op.drop_table("medical_house_enrolment")
    with op.batch_alter_table("act_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_rule_code"))
    op.drop_table("act_rule")
