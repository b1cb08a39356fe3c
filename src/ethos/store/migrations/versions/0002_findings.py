"""findings, evidence, project descriptions, card issues

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "card_issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=200), nullable=False),
        sa.Column("chain_head", sa.String(length=64), nullable=False),
        sa.Column("chain_count", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("artefacts", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_card_issues_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_issues")),
    )
    with op.batch_alter_table("card_issues", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_card_issues_project_id"), ["project_id"], unique=False)

    op.create_table(
        "project_descriptions",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_descriptions_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_project_descriptions")),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("catalogue_id", sa.String(length=40), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("title_ko", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("description_ko", sa.Text(), nullable=False),
        sa.Column("severity", sa.SmallInteger(), nullable=False),
        sa.Column("likelihood", sa.SmallInteger(), nullable=False),
        sa.Column("priority", sa.String(length=4), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("plan_mitigations", sa.Text(), nullable=False),
        sa.Column("plan_text", sa.Text(), nullable=False),
        sa.Column("resolution_note", sa.Text(), nullable=False),
        sa.Column("decided_by_member_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("likelihood BETWEEN 1 AND 5", name=op.f("ck_findings_likelihood_range")),
        sa.CheckConstraint("severity BETWEEN 1 AND 5", name=op.f("ck_findings_severity_range")),
        sa.ForeignKeyConstraint(
            ["decided_by_member_id"],
            ["members.id"],
            name=op.f("fk_findings_decided_by_member_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"], ["members.id"], name=op.f("fk_findings_owner_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_findings_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_findings_project_id"), ["project_id"], unique=False)

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("record", sa.Text(), nullable=True),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name=op.f("fk_evidence_finding_id_findings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_finding_id"), ["finding_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_finding_id"))

    op.drop_table("evidence")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_findings_project_id"))

    op.drop_table("findings")
    op.drop_table("project_descriptions")
    with op.batch_alter_table("card_issues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_card_issues_project_id"))

    op.drop_table("card_issues")
