"""Accounts in the browser: the admin's user list, and each person's own password and tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ethos.services import accounts, authz
from ethos.web.deps import PageActor, client_address, web_state
from ethos.web.pages.common import page_router
from ethos.web.rendering import redirect, render, say

__all__ = ["router"]

router = page_router()
Username = Annotated[str, Form(max_length=64)]
Password = Annotated[str, Form(max_length=1024)]


def _admin(me: PageActor, action: str) -> None:
    authz.require_role(me.ctx, me.principal, authz.ADMIN, action=action, subject="users")


@router.get("/admin/users")
def users_page(request: Request, me: PageActor) -> HTMLResponse:
    _admin(me, "manage accounts")
    return render(
        request, "users.html.j2", actor=me, users=accounts.list_users(me.ctx), roles=accounts.ROLES
    )


@router.post("/admin/users")
def create_user(
    request: Request,
    me: PageActor,
    username: Username,
    password: Password,
    role: Annotated[str, Form(max_length=16)] = "user",
    display_name: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    _admin(me, "create an account")
    accounts.create_user(
        me.ctx, username=username, display_name=display_name, role=role, password=password
    )
    say(request, me, "Account created.")
    return redirect("/admin/users")


@router.post("/admin/users/{username}/password")
def reset_password(
    request: Request, me: PageActor, username: str, password: Password
) -> RedirectResponse:
    _admin(me, "set a password")
    accounts.set_password(me.ctx, username, password)
    say(request, me, "Password set. The account's API tokens were revoked and its sessions ended.")
    return redirect("/admin/users")


@router.post("/admin/users/{username}/active")
def set_active(
    request: Request, me: PageActor, username: str, active: Annotated[bool, Form()]
) -> RedirectResponse:
    _admin(me, "enable or disable an account")
    accounts.set_active(me.ctx, username, active=active)
    say(request, me, "Account updated.")
    return redirect("/admin/users")


def _account_page(request: Request, me: PageActor, new_token: str | None = None) -> HTMLResponse:
    tokens = accounts.list_tokens(me.ctx, me.principal.username)
    page = render(request, "account.html.j2", actor=me, tokens=tokens, new_token=new_token)
    page.headers["Cache-Control"] = "no-store"  # it may show a new token
    return page


@router.get("/account")
def account_page(request: Request, me: PageActor) -> HTMLResponse:
    return _account_page(request, me)


@router.post("/account/password")
def change_password(
    request: Request, me: PageActor, current: Password, password: Password
) -> RedirectResponse:
    accounts.change_own_password(
        me.ctx,
        me.principal.username,
        current=current,
        new=password,
        source=client_address(request),
        throttle=web_state(request).settings.throttle,
    )
    say(request, me, "Password changed. Your API tokens were revoked; sign in with the new one.")
    return redirect("/login")


@router.post("/account/tokens")
def create_token(
    request: Request,
    me: PageActor,
    name: Annotated[str, Form(max_length=100)],
    days: Annotated[int, Form(ge=1, le=3650)] = 90,
) -> HTMLResponse:
    token, _ = accounts.issue_token(me.ctx, me.principal.username, name=name, days=days)
    return _account_page(request, me, new_token=token)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, me: PageActor, token_id: int) -> RedirectResponse:
    accounts.revoke_token(me.ctx, me.principal.username, token_id)
    say(request, me, "Token revoked.")
    return redirect("/account")
