"""accounts, API tokens, login attempts, and the account a task-force member signs in with

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'auditor', 'user')", name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_api_tokens_token_sha256")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"], unique=False)
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    for column in ("username", "source", "attempted_at"):
        op.create_index(
            op.f(f"ix_login_attempts_{column}"), "login_attempts", [column], unique=False
        )
    # SQLite adds a nullable column with its foreign key in place (no table rebuild, so
    # existing members, answers and findings are untouched); Alembic would want a rebuild.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE members ADD COLUMN user_id INTEGER "
            "CONSTRAINT fk_members_user_id_users REFERENCES users (id)"
        )
    else:
        op.add_column("members", sa.Column("user_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_members_user_id_users"), "members", "users", ["user_id"], ["id"]
        )
    op.create_index(op.f("ix_members_user_id"), "members", ["user_id"], unique=False)
    op.create_index(
        "ix_members_project_id_user_id", "members", ["project_id", "user_id"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_members_project_id_user_id", table_name="members")
    op.drop_index(op.f("ix_members_user_id"), table_name="members")
    with op.batch_alter_table("members", schema=None) as batch_op:
        # On SQLite the foreign key was added inline with the column, so it has no name to
        # drop; rebuilding the table without the column (batch mode) drops both.
        if op.get_bind().dialect.name != "sqlite":
            batch_op.drop_constraint(op.f("fk_members_user_id_users"), type_="foreignkey")
        batch_op.drop_column("user_id")
    for column in ("attempted_at", "source", "username"):
        op.drop_index(op.f(f"ix_login_attempts_{column}"), table_name="login_attempts")
    op.drop_table("login_attempts")
    op.drop_index(op.f("ix_api_tokens_user_id"), table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_table("users")
