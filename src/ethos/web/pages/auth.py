"""Signing in and out, and the language switch."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ethos.services import accounts
from ethos.web.deps import client_address, lang_of, web_state
from ethos.web.pages.common import page_router, safe_next
from ethos.web.rendering import redirect, render
from ethos.web.sessions import choose_language, flash, session

__all__ = ["router"]

router = page_router()


@router.get("/login")
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return render(
        request, "login.html.j2", actor=None, next=safe_next(next), username="", error=None
    )


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=2048)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    state = web_state(request)
    catalogue = state.catalogues.get(lang_of(request))
    try:
        account = accounts.authenticate(
            state.base,
            username=username,
            password=password,
            source=client_address(request),
            throttle=state.settings.throttle,
        )
    except accounts.LoginThrottledError as exc:
        message = (
            catalogue.gettext("The server is busy checking other sign-ins. Try again in a minute.")
            if isinstance(exc, accounts.SignInBusyError)
            else catalogue.gettext("Too many failed sign-ins. Wait 15 minutes and try again.")
        )
        return render(
            request,
            "login.html.j2",
            actor=None,
            status=429,
            next=safe_next(next),
            username=username[:64],
            error=message,
        )
    except accounts.AuthenticationError:
        return render(
            request,
            "login.html.j2",
            actor=None,
            status=401,
            next=safe_next(next),
            username=username[:64],
            error=catalogue.gettext("The username or password is not right."),
        )
    lifetime = timedelta(hours=state.settings.session_hours)
    data = session(request)
    if isinstance(previous := data.get("gen"), str):
        accounts.end_session(state.base, previous)
    data.clear()  # a fresh session: nothing carried over from before sign-in
    data["uid"] = account.id
    data["gen"] = accounts.start_session(state.base, account, lifetime=lifetime)
    flash(request, catalogue.gettext("Signed in."))
    return redirect(safe_next(next))


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    """Sign out: the server-side session is deleted, not only the browser's cookie."""
    data = session(request)
    secret = data.get("gen")
    if isinstance(secret, str):
        accounts.end_session(web_state(request).base, secret)
    data.clear()
    return redirect("/login")


@router.get("/lang/{code}")
def switch_language(request: Request, code: str, next: str = "/") -> RedirectResponse:
    """Choose the interface language: a cookie of its own, the session is not touched."""
    choose_language(request, code)
    return redirect(safe_next(next))
