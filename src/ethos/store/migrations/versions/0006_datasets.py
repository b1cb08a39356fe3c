"""dataset register: datasets, their versions, allowlists, links to projects, scan summaries

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _when(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "datasets",
        sa.Column("id", sa.String(length=100), nullable=False),
        _when("created_at"),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        _when("disposed_at", nullable=True),
        sa.Column("disposal", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(disposed_at IS NULL AND disposal IS NULL) OR "
            "(disposed_at IS NOT NULL AND disposal IS NOT NULL)",
            name=op.f("ck_datasets_disposal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_datasets")),
    )
    op.create_table(
        "dataset_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        _when("recorded_at"),
        _fk("dataset_versions", "dataset_id", "datasets"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_versions")),
        sa.UniqueConstraint("dataset_id", "version", name=op.f("uq_dataset_versions_dataset_id")),
    )
    op.create_index(
        op.f("ix_dataset_versions_dataset_id"), "dataset_versions", ["dataset_id"], unique=False
    )
    op.create_table(
        "dataset_grants",
        sa.Column("dataset_id", sa.String(length=100), nullable=False),
        sa.Column("principal", sa.String(length=200), nullable=False),
        sa.Column("granted_by", sa.String(length=200), nullable=False),
        _when("granted_at"),
        _fk("dataset_grants", "dataset_id", "datasets"),
        sa.PrimaryKeyConstraint("dataset_id", "principal", name=op.f("pk_dataset_grants")),
    )
    op.create_table(
        "dataset_links",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=True),
        sa.Column("linked_by", sa.String(length=200), nullable=False),
        _when("linked_at"),
        _fk("dataset_links", "dataset_id", "datasets"),
        _fk("dataset_links", "project_id", "projects"),
        sa.PrimaryKeyConstraint("project_id", "dataset_id", name=op.f("pk_dataset_links")),
    )
    op.create_index(
        op.f("ix_dataset_links_dataset_id"), "dataset_links", ["dataset_id"], unique=False
    )
    op.create_table(
        "dataset_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        _when("recorded_at"),
        sa.CheckConstraint("kind IN ('pii', 'toxicity')", name=op.f("ck_dataset_scans_kind")),
        _fk("dataset_scans", "dataset_id", "datasets"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_scans")),
    )
    op.create_index(
        op.f("ix_dataset_scans_dataset_id"), "dataset_scans", ["dataset_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_dataset_scans_dataset_id"), table_name="dataset_scans")
    op.drop_table("dataset_scans")
    op.drop_index(op.f("ix_dataset_links_dataset_id"), table_name="dataset_links")
    op.drop_table("dataset_links")
    op.drop_table("dataset_grants")
    op.drop_index(op.f("ix_dataset_versions_dataset_id"), table_name="dataset_versions")
    op.drop_table("dataset_versions")
    op.drop_table("datasets")
