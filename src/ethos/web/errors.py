"""The one place errors become HTTP answers: JSON under /api, a page elsewhere.

Domain errors carry a message meant for a person (in Korean too, where the raise site gave
one: a page shows the person's language, JSON carries ``message`` in English and
``message_ko`` beside it); anything else is logged on the server
and answered with a plain "internal error", never a stack trace. A content error (a broken
questionnaire or catalogue file) is logged in full and answered without the server's folders.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from ethos.domain.errors import (
    AccessDeniedError,
    ConflictError,
    ContentError,
    EthosError,
    InvalidInputError,
    NotFoundError,
    SchemaOutdatedError,
)
from ethos.domain.validation import describe_problem
from ethos.services.accounts import AuthenticationError, LoginThrottledError
from ethos.services.authz import NotAuthenticatedError, PermissionDeniedError
from ethos.web.deps import CsrfError, LoginRequiredError, lang_of, web_state
from ethos.web.terms import N_

__all__ = ["install_error_handlers", "public_message", "status_of", "too_large"]

log = logging.getLogger("ethos.web")

_STATUS: list[tuple[type[EthosError], int, str]] = [
    (LoginThrottledError, 429, "throttled"),
    (CsrfError, 403, "csrf"),
    (AuthenticationError, 401, "not_authenticated"),
    (NotAuthenticatedError, 401, "not_authenticated"),
    (PermissionDeniedError, 403, "forbidden"),
    (AccessDeniedError, 403, "forbidden"),
    # before InvalidInputError: a broken content file is the server's fault even when its
    # error is also an input error (the PII package's RecognizerConfigError is both)
    (ContentError, 500, "content_error"),
    (InvalidInputError, 400, "invalid_input"),
    (NotFoundError, 404, "not_found"),
    (ConflictError, 409, "conflict"),
    (SchemaOutdatedError, 503, "schema_outdated"),
]
_HTTP_TYPES = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
# The folders of an absolute path (``/srv/ethos/content/``, ``C:\\data\\``): not answered.
_FOLDERS = re.compile(r"(?<![^\s'\"(\[])(?:[A-Za-z]:)?[\\/](?:[^\s\\/:'\"()]+[\\/])+")


_TOO_LARGE = N_("The request is too large: at most {limit} can be sent here.")


def status_of(error: EthosError) -> tuple[int, str]:
    for kind, status, name in _STATUS:
        if isinstance(error, kind):
            return status, name
    return 400, "error"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _json(
    status: int,
    kind: str,
    message: str,
    headers: dict[str, str] | None = None,
    *,
    message_ko: str | None = None,
) -> Response:
    error = {"type": kind, "message": message}
    if message_ko:
        error["message_ko"] = message_ko
    return JSONResponse({"error": error}, status_code=status, headers=headers)


def _page(request: Request, status: int, message: str) -> Response:
    from ethos.web.rendering import render_error

    return render_error(request, status, message)


def public_message(error: EthosError, lang: str = "en") -> str:
    """The message to answer with, in ``lang`` (English when the error has no Korean).

    A content error names files, not the server's folders, in either language.
    """
    text = error.text(lang)
    if isinstance(error, ContentError):
        return _FOLDERS.sub("", text)
    return text


def _size(count: int) -> str:
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.4g} {unit}"
    return f"{count} bytes"


def too_large(request: Request, limit: int) -> Response:
    """413 for a request body over ``limit`` bytes: JSON under /api, a page elsewhere."""
    if _wants_json(request):
        message = f"the request body is over the limit of {limit} bytes ({_size(limit)})"
        return _json(413, "too_large", message)
    message = web_state(request).catalogues.gettext(lang_of(request), _TOO_LARGE)
    return _page(request, 413, message.format(limit=_size(limit)))


async def _ethos_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EthosError)
    if isinstance(exc, LoginRequiredError) and not _wants_json(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    status, kind = status_of(exc)
    if isinstance(exc, ContentError):
        log.error("content error on %s %s: %s", request.method, request.url.path, exc.message)
    if _wants_json(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        message_ko = public_message(exc, "ko") if exc.message_ko else None
        return _json(status, kind, public_message(exc), headers, message_ko=message_ko)
    return _page(request, status, public_message(exc, lang_of(request)))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems, problems_ko = [], []
    for error in exc.errors()[:10]:
        where = ".".join(str(p) for p in error.get("loc", ()))
        problems.append(f"{where}: {describe_problem(error) or 'invalid'}")
        problems_ko.append(f"{where}: {describe_problem(error, 'ko') or '올바르지 않습니다'}")
    message = "; ".join(problems) or "the request is not valid"
    message_ko = "; ".join(problems_ko) or "요청이 올바르지 않습니다"
    if _wants_json(request):
        return _json(422, "invalid_input", message, message_ko=message_ko)
    return _page(request, 400, message_ko if lang_of(request) == "ko" else message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = str(exc.detail) if exc.detail else "error"
    if _wants_json(request):
        return _json(exc.status_code, _HTTP_TYPES.get(exc.status_code, "error"), message)
    return _page(request, exc.status_code, message)


async def _out_of_range(request: Request, exc: Exception) -> Response:
    message = "a number in the request is out of range"
    return (
        _json(400, "invalid_input", message)
        if _wants_json(request)
        else _page(request, 400, message)
    )


async def _database_error(request: Request, exc: Exception) -> Response:
    log.error("database unavailable: %s", type(exc).__name__)
    message = "the database is not available; try again shortly"
    return (
        _json(503, "unavailable", message) if _wants_json(request) else _page(request, 503, message)
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    message = "internal error; it was logged on the server"
    return _json(500, "internal", message) if _wants_json(request) else _page(request, 500, message)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(EthosError, _ethos_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_error)
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(Exception, _unexpected)
