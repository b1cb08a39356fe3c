"""API: accounts and API tokens.

A token is a weaker credential than the password it was made with: changing one's own
password or issuing a token over the API needs the current password, a token can only be
issued for oneself (an admin revokes other people's tokens but does not make them), and it
always expires.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Request
from pydantic import Field

from ethos.domain.errors import InvalidInputError
from ethos.services import accounts, authz
from ethos.web.api.common import Id, In, account_json, api_router, token_json
from ethos.web.deps import ApiActor, client_address, web_state

__all__ = ["router"]

router = api_router("accounts")
Username = Annotated[str, Path(max_length=64)]
CurrentPassword = Annotated[
    str, Field(min_length=1, max_length=1024, description="your current password")
]


class UserIn(In):
    username: Annotated[str, Field(min_length=2, max_length=64)]
    display_name: Annotated[str, Field(max_length=200)] = ""
    role: Annotated[str, Field(description="admin, auditor or user")] = "user"
    password: Annotated[str, Field(min_length=10, max_length=1024)]


class PasswordIn(In):
    password: Annotated[str, Field(min_length=10, max_length=1024)]
    current_password: Annotated[
        str | None,
        Field(max_length=1024, description="required to change your own password"),
    ] = None


class ActiveIn(In):
    active: bool


class TokenIn(In):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    days: Annotated[int, Field(ge=1, le=3650, description="validity; tokens always expire")] = 90
    current_password: CurrentPassword


def _is_me(me: ApiActor, username: str) -> bool:
    return me.principal.username == username.strip().lower()


def _confirm(request: Request, me: ApiActor, password: str, purpose: str) -> None:
    """The current password, checked (and throttled) like a sign-in; 400 when wrong."""
    try:
        accounts.reauthenticate(
            me.ctx,
            username=me.principal.username,
            password=password,
            purpose=purpose,
            source=client_address(request),
            throttle=web_state(request).settings.throttle,
        )
    except accounts.LoginThrottledError:
        raise
    except accounts.AuthenticationError:
        raise InvalidInputError(
            "current_password: not right", ko="current_password: 맞지 않습니다"
        ) from None


@router.get("/users", summary="Every account (admin and auditor)")
def list_users(me: ApiActor) -> list[dict[str, Any]]:
    authz.require_role(
        me.ctx, me.principal, authz.ADMIN, authz.AUDITOR, action="list accounts", subject="users"
    )
    return [account_json(a) for a in accounts.list_users(me.ctx)]


@router.post("/users", status_code=201, summary="Create an account (admin)")
def create_user(me: ApiActor, body: UserIn) -> dict[str, Any]:
    authz.require_role(
        me.ctx, me.principal, authz.ADMIN, action="create an account", subject="users"
    )
    return account_json(accounts.create_user(me.ctx, **body.model_dump()))


@router.post(
    "/users/{username}/password",
    summary="Change your password (with the current one), or set someone's (admin)",
    description="Setting a password revokes every API token of the account, this one "
    "included, and ends its browser sessions.",
)
def set_password(
    request: Request, me: ApiActor, username: Username, body: PasswordIn
) -> dict[str, Any]:
    if _is_me(me, username):
        if body.current_password is None:
            raise InvalidInputError(
                "current_password: required to change your own password",
                ko="current_password: 자신의 비밀번호를 바꾸려면 필요합니다",
            )
        _confirm(request, me, body.current_password, "change password")
        ended = accounts.set_password(me.ctx, me.principal.username, body.password)
    else:
        authz.require_role(
            me.ctx, me.principal, authz.ADMIN, action="set a password", subject="users"
        )
        ended = accounts.set_password(me.ctx, username, body.password)
    return {
        "username": username.strip().lower(),
        "password_set": True,
        "tokens_revoked": ended.tokens_revoked,
        "sessions_ended": ended.sessions_ended,
    }


@router.post("/users/{username}/active", summary="Enable or disable an account (admin)")
def set_active(me: ApiActor, username: Username, body: ActiveIn) -> dict[str, Any]:
    authz.require_role(
        me.ctx, me.principal, authz.ADMIN, action="enable or disable an account", subject="users"
    )
    accounts.set_active(me.ctx, username, active=body.active)
    return account_json(accounts.get_user(me.ctx, username))


@router.get("/users/{username}/tokens", summary="An account's API tokens (never the tokens)")
def list_tokens(me: ApiActor, username: Username) -> list[dict[str, Any]]:
    authz.require_self_or_admin(me.ctx, me.principal, username, action="list tokens")
    return [token_json(t) for t in accounts.list_tokens(me.ctx, username)]


@router.post(
    "/users/{username}/tokens",
    status_code=201,
    summary="Issue yourself a token, with your current password (shown once)",
)
def issue_token(
    request: Request, me: ApiActor, username: Username, body: TokenIn
) -> dict[str, Any]:
    if not _is_me(me, username):
        subject = "user:" + username.strip().lower()[:64]
        authz.deny(me.ctx, me.principal, "issue a token for another account", subject)
    _confirm(request, me, body.current_password, "issue a token")
    token, issued = accounts.issue_token(
        me.ctx, me.principal.username, name=body.name, days=body.days
    )
    return {**token_json(issued), "token": token}


@router.post("/users/{username}/tokens/{token_id}/revoke", summary="Revoke a token")
def revoke_token(me: ApiActor, username: Username, token_id: Id) -> dict[str, Any]:
    authz.require_self_or_admin(me.ctx, me.principal, username, action="revoke a token")
    return token_json(accounts.revoke_token(me.ctx, username, token_id))
