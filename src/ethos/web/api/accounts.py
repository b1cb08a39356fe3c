"""API: accounts and API tokens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path
from pydantic import Field

from ethos.services import accounts, authz
from ethos.web.api.common import Id, In, account_json, api_router, token_json
from ethos.web.deps import ApiActor

__all__ = ["router"]

router = api_router("accounts")
Username = Annotated[str, Path(max_length=64)]


class UserIn(In):
    username: Annotated[str, Field(min_length=2, max_length=64)]
    display_name: Annotated[str, Field(max_length=200)] = ""
    role: Annotated[str, Field(description="admin, auditor or user")] = "user"
    password: Annotated[str, Field(min_length=10, max_length=1024)]


class PasswordIn(In):
    password: Annotated[str, Field(min_length=10, max_length=1024)]


class ActiveIn(In):
    active: bool


class TokenIn(In):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    days: Annotated[int | None, Field(ge=1, le=3650, description="null: never expires")] = 90


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


@router.post("/users/{username}/password", summary="Set a password (the account or an admin)")
def set_password(me: ApiActor, username: Username, body: PasswordIn) -> dict[str, Any]:
    authz.require_self_or_admin(me.ctx, me.principal, username, action="set a password")
    accounts.set_password(me.ctx, username, body.password)
    return {"username": username.strip().lower(), "password_set": True}


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


@router.post("/users/{username}/tokens", status_code=201, summary="Issue a token (shown once)")
def issue_token(me: ApiActor, username: Username, body: TokenIn) -> dict[str, Any]:
    authz.require_self_or_admin(me.ctx, me.principal, username, action="issue a token")
    token, issued = accounts.issue_token(me.ctx, username, name=body.name, days=body.days)
    return {**token_json(issued), "token": token}


@router.post("/users/{username}/tokens/{token_id}/revoke", summary="Revoke a token")
def revoke_token(me: ApiActor, username: Username, token_id: Id) -> dict[str, Any]:
    authz.require_self_or_admin(me.ctx, me.principal, username, action="revoke a token")
    return token_json(accounts.revoke_token(me.ctx, username, token_id))
