"""SQLAlchemy tables. Rows never leave ``ethos.store``; repositories map them to domain objects."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AnswerRow",
    "ApiTokenRow",
    "AuditEventRow",
    "Base",
    "CardIssueRow",
    "ConsensusRow",
    "DatasetGrantRow",
    "DatasetLinkRow",
    "DatasetRow",
    "DatasetScanRow",
    "DatasetVersionRow",
    "EvidenceRow",
    "FindingRow",
    "LoginAttemptRow",
    "MemberRow",
    "OfficeRecordRow",
    "ProjectDescriptionRow",
    "ProjectFactsRow",
    "ProjectRow",
    "QuestionnaireUseRow",
    "RefusalNoteRow",
    "UserRow",
    "WebSessionRow",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always read back timezone-aware, on every engine."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Ethos stores UTC-aware times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ProjectRow(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str] = mapped_column(String(32))
    lifecycle_stage: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    questionnaire_id: Mapped[str] = mapped_column(String(40))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    stage1_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class MemberRow(Base):
    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("project_id", "name"),
        # One seat per account on a task force; unlinked members (NULL) are not limited.
        Index("ix_members_project_id_user_id", "project_id", "user_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)


class AnswerRow(Base):
    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("member_id", "questionnaire_id", "questionnaire_version", "item_id"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    questionnaire_id: Mapped[str] = mapped_column(String(40))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(String(40))
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConsensusRow(Base):
    __tablename__ = "consensus"
    __table_args__ = (
        UniqueConstraint("project_id", "questionnaire_id", "questionnaire_version", "item_id"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    questionnaire_id: Mapped[str] = mapped_column(String(40))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(String(40))
    score: Mapped[int] = mapped_column(SmallInteger)
    note: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuestionnaireUseRow(Base):
    """The digest of a questionnaire version the first time answers referenced it."""

    __tablename__ = "questionnaire_uses"

    questionnaire_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    first_used_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditEventRow(Base):
    """Append-only. Times and payloads are stored as the exact text that was hashed."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    occurred_at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    payload: Mapped[str] = mapped_column(Text)
    payload_digest: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (
        CheckConstraint("severity BETWEEN 1 AND 5", name="severity_range"),
        CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    catalogue_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    clause_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    category: Mapped[str] = mapped_column(String(40))
    title_en: Mapped[str] = mapped_column(Text)
    title_ko: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text)
    description_ko: Mapped[str] = mapped_column(Text)
    severity: Mapped[int] = mapped_column(SmallInteger)
    likelihood: Mapped[int] = mapped_column(SmallInteger)
    priority: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(16))
    owner_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    plan_mitigations: Mapped[str] = mapped_column(Text, default="[]")
    plan_text: Mapped[str] = mapped_column(Text, default="")
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id"), nullable=True
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    rationale: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EvidenceRow(Base):
    """Evidence for a finding; files are stored content-addressed outside the database."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    filename: Mapped[str | None] = mapped_column(String(255), nullable=True)
    media_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    size_bytes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    record: Mapped[str | None] = mapped_column(Text, nullable=True)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProjectDescriptionRow(Base):
    """What the card says about a project: end users, stakeholders, data, performance."""

    __tablename__ = "project_descriptions"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CardIssueRow(Base):
    """Each time a card is issued: what it covered, so re-assessment can be flagged."""

    __tablename__ = "card_issues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    issued_by: Mapped[str] = mapped_column(String(200))
    chain_head: Mapped[str] = mapped_column(String(64))
    chain_count: Mapped[int] = mapped_column(Integer)
    content_sha256: Mapped[str] = mapped_column(String(64))
    artefacts: Mapped[str] = mapped_column(Text)


class ProjectFactsRow(Base):
    """Each recorded version of a project's intake facts; the newest revision is current."""

    __tablename__ = "project_facts"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    schema: Mapped[str] = mapped_column(String(40))
    data: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UserRow(Base):
    """A local account. Only the argon2 hash of the password is kept."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'auditor', 'user')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApiTokenRow(Base):
    """An API token; only the SHA-256 of the token is kept, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class LoginAttemptRow(Base):
    """Recent sign-in attempts, read by the throttle; never the password tried."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class WebSessionRow(Base):
    """A signed-in browser session; the cookie holds a random secret, only its SHA-256 is kept.

    Deleted when its person signs out or their password is set; refused after ``expires_at``.
    """

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class RefusalNoteRow(Base):
    """That a kind of refusal (a throttled sign-in, a refused token) from one source was
    already written to the audit trail; kept only as long as the throttle window, so a flood
    of refusals is recorded once per window. ``key`` is a SHA-256, never an address."""

    __tablename__ = "refusal_notes"
    __table_args__ = (Index("ix_refusal_notes_kind_key", "kind", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    noted_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class OfficeRecordRow(Base):
    """An ethics-office record (``ethos.domain.office``); never deleted, only withdrawn.

    A correction withdraws the record (``withdrawn_at``, ``withdrawn_reason``) and, when it
    is replaced, points to its successor (``replaced_by``). ``main_date`` and ``end_date``
    (``NULL`` while ongoing) are copied from ``data`` so that years can be queried.
    """

    __tablename__ = "office_records"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('committee', 'meeting', 'red_team', 'education', 'partnership', "
            "'policy_watch')",
            name="kind",
        ),
        CheckConstraint(
            "(withdrawn_at IS NULL AND withdrawn_reason IS NULL) OR "
            "(withdrawn_at IS NOT NULL AND withdrawn_reason IS NOT NULL)",
            name="withdrawal",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    main_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    data: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    replaced_by: Mapped[int | None] = mapped_column(ForeignKey("office_records.id"), nullable=True)


class DatasetRow(Base):
    """A registered dataset (``ethos.domain.datasets``); kept after disposal, marked disposed."""

    __tablename__ = "datasets"
    __table_args__ = (
        CheckConstraint(
            "(disposed_at IS NULL AND disposal IS NULL) OR "
            "(disposed_at IS NOT NULL AND disposal IS NOT NULL)",
            name="disposal",
        ),
    )

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))
    disposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    disposal: Mapped[str | None] = mapped_column(Text, nullable=True)


class DatasetVersionRow(Base):
    """One registered version of a dataset: the whole record as canonical JSON."""

    __tablename__ = "dataset_versions"
    __table_args__ = (UniqueConstraint("dataset_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("datasets.id"), index=True)
    version: Mapped[str] = mapped_column(String(64))
    data: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DatasetGrantRow(Base):
    """A principal on a dataset's allowlist."""

    __tablename__ = "dataset_grants"

    dataset_id: Mapped[str] = mapped_column(ForeignKey("datasets.id"), primary_key=True)
    principal: Mapped[str] = mapped_column(String(200), primary_key=True)
    granted_by: Mapped[str] = mapped_column(String(200))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DatasetLinkRow(Base):
    """A dataset a project uses; ``version`` pins one, ``NULL`` follows the newest."""

    __tablename__ = "dataset_links"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("datasets.id"), primary_key=True, index=True)
    version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    linked_by: Mapped[str] = mapped_column(String(200))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DatasetScanRow(Base):
    """A scan summary of a dataset: counts by type only, never a value found."""

    __tablename__ = "dataset_scans"
    __table_args__ = (CheckConstraint("kind IN ('pii', 'toxicity')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("datasets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
