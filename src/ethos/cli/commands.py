"""The table of ``ethos``'s sub-commands, and the root group that loads each on first use.

``ethos --help`` lists every entry from the table alone; a sub-command's module (and with
it SQLAlchemy, the store, the services ...) is imported only when that sub-command runs or
shows its own help. ``tests/cli/test_lazy_startup.py`` loads every entry and checks that its
real help starts with the one-line help kept here, so the table cannot drift.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import typer
from typer.core import DEFAULT_MARKUP_MODE, MarkupMode, TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_group_from_info

__all__ = ["COMMANDS", "CommandKind", "LazyCommand", "LazyGroup", "load_command"]


class CommandKind(StrEnum):
    GROUP = "group"  # a ``typer.Typer`` with sub-commands
    COMMAND = "command"  # a function


@dataclass(frozen=True)
class LazyCommand:
    """Where one sub-command of ``ethos`` lives, and the one line ``ethos --help`` shows."""

    name: str
    module: str
    attribute: str
    kind: CommandKind
    help: str
    # Modules that add commands to the group too (imported after ``module``, in this order).
    extends: tuple[str, ...] = ()


_C, _G = CommandKind.COMMAND, CommandKind.GROUP

# In the order ``ethos --help`` lists them: the plain commands first, then the groups.
COMMANDS: tuple[LazyCommand, ...] = (
    LazyCommand(
        "answer", "ethos.cli.stage1", "answer", _C,
        "Record a member's answers, from a file or item by item.",
    ),
    LazyCommand(
        "consensus", "ethos.cli.stage1", "consensus", _C,
        "Record the task force's agreed score for an item.",
    ),
    LazyCommand("profile", "ethos.cli.stage1", "profile", _C, "Show the stage-1 profile."),
    LazyCommand(
        "demo", "ethos.cli.demo", "demo_command", _C,
        "Create the demo organisation in an empty database and print a stage-1 profile.",
    ),
    LazyCommand(
        "card", "ethos.cli.cards", "card_command", _C,
        "Issue the assessment card and record the issue in the audit trail.",
    ),
    LazyCommand(
        "classify", "ethos.cli.regulation", "classify_command", _C,
        "Classify under the EU AI Act and Korea's AI Basic Act, with dated obligations.",
    ),
    LazyCommand(
        "stats", "ethos.cli.report", "stats_command", _C,
        "Figures of a year: assessments, findings by category, type and priority, resolution.",
    ),
    LazyCommand(
        "report", "ethos.cli.report", "report_command", _C,
        "The annual AI ethics accountability report, built from the records.",
    ),
    LazyCommand(
        "serve", "ethos.cli.serve", "serve_command", _C,
        "Serve the web app (pages and /api/v1) on HOST:PORT.",
    ),
    LazyCommand("db", "ethos.cli.db", "db_app", _G, "The database schema."),
    LazyCommand(
        "project", "ethos.cli.projects", "project_app", _G, "Register and list AI projects.",
        extends=("ethos.cli.cards", "ethos.cli.findings"),
    ),
    LazyCommand(
        "member", "ethos.cli.projects", "member_app", _G, "Manage a project's task force."
    ),
    LazyCommand(
        "questionnaire", "ethos.cli.questionnaire", "questionnaire_app", _G,
        "The stage-1 questionnaire.",
    ),
    LazyCommand(
        "stage1", "ethos.cli.stage1", "stage1_app", _G,
        "Close or reopen stage 1 of an assessment.",
    ),
    LazyCommand("audit", "ethos.cli.audit", "audit_app", _G, "The tamper-evident audit trail."),
    LazyCommand(
        "findings", "ethos.cli.findings", "findings_app", _G,
        "Stages 2 and 3: findings, plans, evidence, verification.",
    ),
    LazyCommand(
        "scan", "ethos.cli.scan", "scan_app", _G,
        "Scan training corpora for personal information and toxicity.",
    ),
    LazyCommand(
        "kb", "ethos.cli.regulation", "kb_app", _G,
        "The frameworks knowledge base and its crosswalks.",
    ),
    LazyCommand(
        "facts", "ethos.cli.regulation", "facts_app", _G,
        "A project's intake facts (docs/facts.md).",
    ),
    LazyCommand(
        "office", "ethos.cli.office", "office_app", _G,
        "The ethics office's own records: committees, meetings, red-team exercises, "
        "education, partnerships, policy watch (docs/office.md).",
    ),
    LazyCommand(
        "user", "ethos.cli.users", "user_app", _G, "Accounts for the web app and the REST API."
    ),
    LazyCommand(
        "datasets", "ethos.cli.datasets", "datasets_app", _G,
        "The dataset register: provenance, licences, privacy, access, retention and disposal "
        "(docs/datasets.md).",
    ),
)  # fmt: skip

# Typer's default; it only matters when pretty exceptions are on, and ``ethos`` has them off.
_PRETTY_EXCEPTIONS_SHORT = True


def load_command(
    entry: LazyCommand,
    *,
    rich_markup_mode: MarkupMode = DEFAULT_MARKUP_MODE,
    suggest_commands: bool = True,
) -> TyperCommand | TyperGroup:
    """Import ``entry``'s module and build its command as ``app.add_typer`` or
    ``app.command`` on the root Typer app would have."""
    target = getattr(importlib.import_module(entry.module), entry.attribute)
    for module in entry.extends:
        importlib.import_module(module)
    holder = typer.Typer()
    if entry.kind is CommandKind.GROUP:
        if not isinstance(target, typer.Typer):
            raise TypeError(f"{entry.module}.{entry.attribute} is not a Typer app")
        _order_by_module(target, (entry.module, *entry.extends))
        holder.add_typer(target, name=entry.name)
        return get_group_from_info(
            holder.registered_groups[0],
            pretty_exceptions_short=_PRETTY_EXCEPTIONS_SHORT,
            rich_markup_mode=rich_markup_mode,
            suggest_commands=suggest_commands,
        )
    if not callable(target):
        raise TypeError(f"{entry.module}.{entry.attribute} is not a function")
    holder.command(entry.name)(target)
    command = get_command_from_info(
        holder.registered_commands[0],
        pretty_exceptions_short=_PRETTY_EXCEPTIONS_SHORT,
        rich_markup_mode=rich_markup_mode,
    )
    assert isinstance(command, TyperCommand)
    return command


def _order_by_module(group: typer.Typer, modules: tuple[str, ...]) -> None:
    """List a group's commands module by module, in ``modules`` order, so that its help reads
    the same whichever of those modules happened to be imported first."""

    def rank(info: Any) -> int:
        module = getattr(info.callback, "__module__", None)
        return modules.index(module) if module in modules else len(modules)

    group.registered_commands.sort(key=rank)


class _Unloaded(TyperCommand):
    """Stands for a sub-command in ``ethos --help`` without importing it."""

    def __init__(self, entry: LazyCommand, rich_markup_mode: MarkupMode) -> None:
        super().__init__(entry.name, help=entry.help, rich_markup_mode=rich_markup_mode)
        self.entry = entry


class LazyGroup(TyperGroup):
    """A root group whose sub-commands come from :data:`COMMANDS`, loaded on first use.

    Help listings (``ethos --help``, no arguments) show each entry's one-line help from the
    table; running a sub-command, or asking for its own help, loads it.
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._listing = False
        for entry in COMMANDS:
            self.commands.setdefault(entry.name, _Unloaded(entry, self.rich_markup_mode))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = self.commands.get(cmd_name)
        if isinstance(command, _Unloaded) and not self._listing:
            command = load_command(
                command.entry,
                rich_markup_mode=self.rich_markup_mode,
                suggest_commands=self.suggest_commands,
            )
            self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
