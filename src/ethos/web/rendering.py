"""Server-rendered pages: the Jinja2 environment and the values every page gets."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ethos.services.authz import Principal
from ethos.web.deps import Actor, lang_of, web_state
from ethos.web.sessions import csrf_token, flash, pop_flashes
from ethos.web.terms import term

__all__ = ["build_environment", "redirect", "render", "render_error", "say"]

TEMPLATES = Path(__file__).parent / "templates"
log = logging.getLogger("ethos.web")


def _num(value: float | int | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def build_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["num"] = _num
    env.globals["term"] = term
    env.globals["regulation"] = True  # facts and classification pages
    return env


def render(
    request: Request,
    template: str,
    *,
    actor: Actor | None,
    status: int = 200,
    **values: Any,
) -> HTMLResponse:
    """Render ``template`` in the person's language with the page furniture."""
    state = web_state(request)
    lang = actor.lang if actor else lang_of(request)
    translations = state.catalogues.get(lang)
    principal: Principal | None = actor.principal if actor else None
    html = state.templates.get_template(template).render(
        _=translations.gettext,
        lang=lang,
        csrf=csrf_token(request),
        me=principal,
        flashes=pop_flashes(request),
        path=request.url.path,
        text=lambda localized: localized.get(lang),
        **values,
    )
    return HTMLResponse(html, status_code=status)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    principal = getattr(request.state, "principal", None)
    try:
        state = web_state(request)
        lang = lang_of(request)
        html = state.templates.get_template("error.html.j2").render(
            _=state.catalogues.get(lang).gettext,
            lang=lang,
            csrf=csrf_token(request),
            me=principal,
            flashes=[],
            path=request.url.path,
            status=status,
            message=message,
        )
    except jinja2.TemplateError:
        log.exception("the error page could not be rendered")
        html = f"<!doctype html><title>{status}</title><p>{status}</p>"
    return HTMLResponse(html, status_code=status)


def say(request: Request, actor: Actor, message: str, *, kind: str = "info") -> None:
    """Flash ``message`` (an English msgid) translated to the person's language."""
    flash(request, web_state(request).catalogues.gettext(actor.lang, message), kind=kind)


def redirect(path: str) -> RedirectResponse:
    """After a successful form post: see the result (303, so a reload does not repost)."""
    return RedirectResponse(path, status_code=303)
