"""Migrations step back down: accounts (0004) and sessions (0007), on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from ethos.store.schema import _config, current_revision, head_revision, upgrade
from ethos.store.unit_of_work import Store


def _seed_member(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO projects (name, description, purpose, type, lifecycle_stage, "
                "created_by, created_at, questionnaire_id, questionnaire_version) VALUES "
                "('p', '', '', 'basic_research', 'planning', 't', CURRENT_TIMESTAMP, 'q', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO members (project_id, name, role, created_at) "
                "SELECT id, 'Kim', 'ethics', CURRENT_TIMESTAMP FROM projects"
            )
        )


def test_the_schema_goes_down_past_accounts_and_up_again(store: Store) -> None:
    _seed_member(store)
    command.downgrade(_config(store.engine), "0003")
    assert current_revision(store.engine) == "0003"
    inspector = inspect(store.engine)
    assert "user_id" not in {c["name"] for c in inspector.get_columns("members")}
    assert not {"users", "web_sessions", "refusal_notes"} & set(inspector.get_table_names())
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM members")).scalars().all() == ["Kim"]
    upgrade(store.engine)
    assert current_revision(store.engine) == head_revision()
    assert "user_id" in {c["name"] for c in inspect(store.engine).get_columns("members")}


def test_sessions_go_down_to_0006_alone(store: Store) -> None:
    command.downgrade(_config(store.engine), "0006")
    tables = set(inspect(store.engine).get_table_names())
    assert "users" in tables and "login_attempts" in tables
    assert not {"web_sessions", "refusal_notes"} & tables
