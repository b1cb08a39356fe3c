"""ethics-office records: bodies, meetings, red teams, education, partnerships, policy watch

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("main_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("replaced_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('committee', 'meeting', 'red_team', 'education', 'partnership', "
            "'policy_watch')",
            name=op.f("ck_office_records_kind"),
        ),
        sa.CheckConstraint(
            "(withdrawn_at IS NULL AND withdrawn_reason IS NULL) OR "
            "(withdrawn_at IS NOT NULL AND withdrawn_reason IS NOT NULL)",
            name=op.f("ck_office_records_withdrawal"),
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by"],
            ["office_records.id"],
            name=op.f("fk_office_records_replaced_by_office_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_records")),
    )
    op.create_index(op.f("ix_office_records_kind"), "office_records", ["kind"], unique=False)
    op.create_index(op.f("ix_office_records_year"), "office_records", ["year"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_office_records_year"), table_name="office_records")
    op.drop_index(op.f("ix_office_records_kind"), table_name="office_records")
    op.drop_table("office_records")
