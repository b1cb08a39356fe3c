"""Who may read and change what.

* ``admin`` (the ethics office): everything.
* ``auditor``: reads everything, changes nothing.
* ``user``: only projects whose task force they sit on; there they take part in the
  assessment. Verifying, rejecting and accepting findings is for the task force's ethics
  member, and :func:`ethos.domain.findings.check_decider` further refuses the finding's
  owner.

Every refusal is written to the audit trail (``auth.denied``) and raised as
:class:`PermissionDeniedError`, except that a project a person may not see is answered as if
it did not exist (:class:`NotFoundError`, the same message as for a missing project), so its
id cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ethos.domain.errors import EthosError, NotFoundError
from ethos.domain.projects import Member, Project, Role
from ethos.services.context import ServiceContext, resolve_project
from ethos.services.read_models import project_state, read_models
from ethos.store.accounts_repository import Account
from ethos.store.unit_of_work import UnitOfWork

__all__ = [
    "ADMIN",
    "AUDITOR",
    "USER",
    "NotAuthenticatedError",
    "PermissionDeniedError",
    "Principal",
    "ProjectAccess",
    "deny",
    "project_access",
    "require_change",
    "require_decider",
    "require_role",
    "require_seat",
    "require_self_or_admin",
    "visible_project_ids",
]

ADMIN = "admin"
AUDITOR = "auditor"
USER = "user"


class PermissionDeniedError(EthosError):
    """The signed-in person may not do this."""


class NotAuthenticatedError(EthosError):
    """Nobody is signed in, or the credentials were not accepted."""


@dataclass(frozen=True, slots=True)
class Principal:
    """The person a request acts for."""

    user_id: int
    username: str
    display_name: str
    role: str

    @classmethod
    def of(cls, account: Account) -> Principal:
        return cls(account.id, account.username, account.display_name, account.role)

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def reads_everything(self) -> bool:
        return self.role in (ADMIN, AUDITOR)


@dataclass(frozen=True, slots=True)
class ProjectAccess:
    """A project the principal may open, and their seat on its task force (if any)."""

    project: Project
    seat: Member | None
    may_change: bool

    @property
    def may_decide(self) -> bool:
        """Whether the principal is the ethics member who verifies, rejects and accepts."""
        return self.seat is not None and self.seat.role is Role.ETHICS


def _record_denial(ctx: ServiceContext, principal: Principal, action: str, subject: str) -> None:
    with ctx.store.unit_of_work() as uow:
        uow.record(
            at=ctx.clock(),
            actor=principal.username,
            action="auth.denied",
            subject=subject,
            payload={"username": principal.username, "role": principal.role, "action": action},
        )


def deny(ctx: ServiceContext, principal: Principal, action: str, subject: str) -> None:
    """Record a refusal in the audit trail and raise :class:`PermissionDeniedError`."""
    _record_denial(ctx, principal, action, subject)
    raise PermissionDeniedError(
        f"{principal.username} may not {action} ({subject})",
        ko=f"{principal.username}에게는 이 작업 권한이 없습니다: {action} ({subject})",
    )


def visible_project_ids(ctx: ServiceContext, principal: Principal) -> set[int] | None:
    """The projects ``principal`` may see; ``None`` means all of them."""
    if principal.reads_everything:
        return None
    with ctx.store.for_reading().unit_of_work() as uow:
        return uow.memberships.project_ids(principal.user_id)


def _project(ctx: ServiceContext, uow: UnitOfWork, project_ref: str | int) -> Project:
    """``resolve_project``, kept per state of the project's records when given by id."""
    text = str(project_ref).strip()
    state = project_state(uow, int(text)) if text.isdigit() else None
    if state is None:  # by name, or no event about it: read (and refuse) as usual
        return resolve_project(uow, project_ref)
    key = ("project", state, int(text))
    return read_models(ctx.store).get_or_compute(key, lambda: resolve_project(uow, text))


def project_access(
    ctx: ServiceContext, principal: Principal, project_ref: str | int, *, action: str
) -> ProjectAccess:
    """Open a project for ``principal`` or refuse (audited) naming ``action``."""
    with ctx.store.for_reading().unit_of_work() as uow:
        project = _project(ctx, uow, project_ref)
        seat = uow.memberships.seat(principal.user_id, project.id)
    if seat is None and not principal.reads_everything:
        _record_denial(ctx, principal, action, f"project:{project.id}")
        # Worded as resolve_project words a missing project: existence is not revealed.
        text = str(project_ref).strip()
        raise NotFoundError(
            f"project {text!r} not found (give its id or exact name)",
            ko=f"과제 {text!r}을(를) 찾을 수 없습니다(id나 정확한 이름을 지정하세요)",
        )
    may_change = principal.is_admin or (seat is not None and principal.role == USER)
    return ProjectAccess(project, seat, may_change)


def require_change(
    ctx: ServiceContext, principal: Principal, project_ref: str | int, *, action: str
) -> ProjectAccess:
    """Open a project for a change: its task force or an admin; never an auditor."""
    access = project_access(ctx, principal, project_ref, action=action)
    if not access.may_change:
        deny(ctx, principal, action, f"project:{access.project.id}")
    return access


def require_seat(
    ctx: ServiceContext, principal: Principal, project_ref: str | int, *, action: str
) -> tuple[ProjectAccess, Member]:
    """A change that only a task-force member can make as themselves (answering)."""
    access = require_change(ctx, principal, project_ref, action=action)
    if access.seat is None:
        deny(ctx, principal, action, f"project:{access.project.id}")
    assert access.seat is not None
    return access, access.seat


def require_decider(
    ctx: ServiceContext, principal: Principal, project_ref: str | int, *, action: str
) -> tuple[ProjectAccess, Member]:
    """Verify, reject or accept a finding: only the task force's ethics member."""
    access, seat = require_seat(ctx, principal, project_ref, action=action)
    if seat.role is not Role.ETHICS:
        deny(ctx, principal, action, f"project:{access.project.id}")
    return access, seat


def require_role(
    ctx: ServiceContext, principal: Principal, *roles: str, action: str, subject: str
) -> None:
    """Refuse unless ``principal`` holds one of ``roles``."""
    if principal.role not in roles:
        deny(ctx, principal, action, subject)


def require_self_or_admin(
    ctx: ServiceContext, principal: Principal, username: str, *, action: str
) -> None:
    """An account's own tokens and password: the account itself, or an admin."""
    if principal.is_admin or principal.username == username.strip().lower():
        return
    deny(ctx, principal, action, "user:" + username.strip().lower()[:64])
