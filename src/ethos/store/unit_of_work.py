"""The store and its unit of work: one transaction per use case, with its audit events."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ethos.domain.audit import AuditEvent, new_event
from ethos.domain.errors import ConflictError
from ethos.store.accounts_repository import (
    AccountRepository,
    ApiTokenRepository,
    LoginAttemptRepository,
    MembershipRepository,
    RefusalNoteRepository,
    WebSessionRepository,
)
from ethos.store.datasets_repository import DatasetRepository
from ethos.store.engine import DEFERRED_OPTION, make_engine
from ethos.store.facts_repository import FactsRepository
from ethos.store.findings_repository import (
    CardIssueRepository,
    DescriptionRepository,
    FindingRepository,
)
from ethos.store.office_repository import OfficeRecordRepository
from ethos.store.portfolio_repository import PortfolioRepository
from ethos.store.repositories import (
    AnswerRepository,
    AuditRepository,
    ConsensusRepository,
    MemberRepository,
    ProjectRepository,
    QuestionnaireUseRepository,
)
from ethos.store.schema import require_current_schema, upgrade
from ethos.store.stats_repository import StatsRepository

__all__ = ["READ_SNAPSHOT_ISOLATION", "Store", "UnitOfWork"]

# The isolation of read-only transactions on PostgreSQL: one snapshot for all their queries.
READ_SNAPSHOT_ISOLATION = "REPEATABLE READ"


class UnitOfWork:
    """Repositories sharing one transaction, and the audit trail it appends to."""

    def __init__(self, session: Session) -> None:
        self.projects = ProjectRepository(session)
        self.members = MemberRepository(session)
        self.answers = AnswerRepository(session)
        self.consensus = ConsensusRepository(session)
        self.questionnaire_uses = QuestionnaireUseRepository(session)
        self.audit = AuditRepository(session)
        self.findings = FindingRepository(session)
        self.descriptions = DescriptionRepository(session)
        self.card_issues = CardIssueRepository(session)
        self.facts = FactsRepository(session)
        self.stats = StatsRepository(session)
        self.accounts = AccountRepository(session)
        self.api_tokens = ApiTokenRepository(session)
        self.login_attempts = LoginAttemptRepository(session)
        self.memberships = MembershipRepository(session)
        self.web_sessions = WebSessionRepository(session)
        self.refusal_notes = RefusalNoteRepository(session)
        self.portfolio = PortfolioRepository(session)
        self.office = OfficeRecordRepository(session)
        self.datasets = DatasetRepository(session)
        self._locked = False

    def record(
        self,
        *,
        at: datetime,
        actor: str,
        action: str,
        subject: str,
        payload: Mapping[str, Any],
    ) -> AuditEvent:
        """Append an event to the chain within this transaction."""
        if not self._locked:
            self.audit.lock_for_append()
            self._locked = True
        event = new_event(
            previous=self.audit.last(),
            occurred_at=at.isoformat(timespec="microseconds"),
            actor=actor,
            action=action,
            subject=subject,
            payload=payload,
        )
        self.audit.append(event)
        return event


class Store:
    """A database Ethos keeps its records in."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._reader: Store | None = None

    def for_reading(self) -> Store:
        """The same database for use cases that only read.

        On SQLite their transactions begin deferred, so readers neither wait for nor hold
        the write lock (WAL gives each a consistent snapshot). On PostgreSQL they run at
        ``REPEATABLE READ``: every query of a transaction sees the database as it was at the
        first, so a read model is not computed from two states (at PostgreSQL's default,
        ``READ COMMITTED``, each query sees what was committed before it began). A write
        inside one may fail when another writer got there first: keep writes on the store
        itself.
        """
        if self._reader is None:
            options: dict[str, Any] = {DEFERRED_OPTION: True}
            if self.engine.dialect.name == "postgresql":
                options["isolation_level"] = READ_SNAPSHOT_ISOLATION
            self._reader = Store(self.engine.execution_options(**options))
            self._reader._reader = self._reader
        return self._reader

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect to ``url`` (nothing is created until :meth:`upgrade`)."""
        return cls(make_engine(url))

    @property
    def url(self) -> str:
        """The database URL with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    def upgrade(self) -> None:
        """Run migrations up to the newest revision."""
        upgrade(self.engine)

    def require_current_schema(self) -> None:
        """Refuse to work on a database that was not upgraded."""
        require_current_schema(self.engine)

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """A transaction: committed when the block ends, rolled back if it raises."""
        try:
            with self._sessions() as session, session.begin():
                yield UnitOfWork(session)
        except IntegrityError as exc:
            constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
            detail = f" ({constraint})" if constraint else ""
            raise ConflictError(
                f"the change conflicts with a record written at the same time{detail}; try again",
                ko=f"같은 시각에 기록된 다른 기록과 충돌합니다{detail}. 다시 시도하세요",
            ) from None

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()
