"""A check that every transaction changing what the read models read appends an event.

The read models (:mod:`ethos.services.read_models`) are kept per head of the audit chain, so
a change committed without an audit event about its project would let them serve stale
figures. The guard watches the SQL a database receives: a committed transaction that
inserted, updated or deleted rows of the tables below must also have inserted an audit event
whose subject is a project. SQL written out by hand (``text()``, as tests of migrations use
to fill an old schema) is not watched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import TextClause

__all__ = ["READ_MODEL_TABLES", "AuditGuard"]

READ_MODEL_TABLES = frozenset(
    {
        "projects",
        "members",
        "answers",
        "consensus",
        "questionnaire_uses",
        "findings",
        "evidence",
        "project_descriptions",
        "card_issues",
    }
)
_WRITE = re.compile(r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.I)
_COLUMNS = re.compile(r"INSERT\s+INTO\s+\"?audit_events\"?\s*\(([^)]*)\)", re.I)


@dataclass
class _Transaction:
    tables: set[str] = field(default_factory=set)
    subjects: list[str] = field(default_factory=list)


class AuditGuard:
    """Install with :meth:`start`; :attr:`violations` lists unaudited commits."""

    def __init__(self) -> None:
        self.violations: list[str] = []
        self._open: dict[int, _Transaction] = {}

    def start(self) -> None:
        event.listen(Engine, "before_cursor_execute", self._execute)
        event.listen(Engine, "commit", self._commit)
        event.listen(Engine, "rollback", self._rollback)

    def stop(self) -> None:
        event.remove(Engine, "before_cursor_execute", self._execute)
        event.remove(Engine, "commit", self._commit)
        event.remove(Engine, "rollback", self._rollback)

    def _execute(
        self,
        conn: Connection,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        written = _WRITE.match(statement)
        compiled = getattr(context, "compiled", None)
        if written is None or isinstance(getattr(compiled, "statement", None), TextClause):
            return  # SQL written out by hand: tests setting up an old schema's rows
        transaction = self._open.setdefault(id(conn), _Transaction())
        table = written.group(1).lower()
        transaction.tables.add(table)
        columns = _COLUMNS.match(statement.strip())
        if table == "audit_events" and columns:
            names = [c.strip().strip('"') for c in columns.group(1).split(",")]
            rows = parameters if executemany else [parameters]
            for row in rows:
                value = row[names.index("subject")] if isinstance(row, tuple | list) else None
                if isinstance(row, dict):
                    value = row.get("subject")
                transaction.subjects.append(str(value))

    def _commit(self, conn: Connection) -> None:
        transaction = self._open.pop(id(conn), None)
        if transaction is None:
            return
        changed = transaction.tables & READ_MODEL_TABLES
        if changed and not any(s.startswith("project:") for s in transaction.subjects):
            self.violations.append(
                f"committed changes to {', '.join(sorted(changed))} without an audit event "
                f"about a project (events: {transaction.subjects or 'none'})"
            )

    def _rollback(self, conn: Connection) -> None:
        self._open.pop(id(conn), None)
