"""The annual accountability report in each download format, rendered as the CLI renders it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from ethos.domain.errors import InvalidInputError
from ethos.reports.annual import render_report_html, render_report_markdown, render_report_pdf
from ethos.services import report
from ethos.services.context import ServiceContext

__all__ = ["REPORT_FORMATS", "RenderedReport", "annual_report"]

REPORT_FORMATS = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json",
}


@dataclass(frozen=True, slots=True)
class RenderedReport:
    content: bytes
    media_type: str
    filename: str
    sha256: str


def annual_report(
    reader: ServiceContext,
    *,
    year: int,
    lang: str,
    fmt: str,
    organisation: str = "",
    before_layout: Callable[[], None] | None = None,
) -> RenderedReport:
    """Build the report of ``year`` in ``lang`` from the records and render it as ``fmt``.

    ``before_layout``, if given, is called once the records are read and before the
    (slow, for PDF) layout, e.g. to give the database connection back.
    """
    if fmt not in REPORT_FORMATS:
        raise InvalidInputError(
            f"format: {fmt!r} is not one of: {', '.join(REPORT_FORMATS)}",
            ko=f"format: {fmt!r}은(는) {', '.join(REPORT_FORMATS)} 중 하나가 아닙니다",
        )
    if lang not in ("ko", "en"):
        raise InvalidInputError(
            f"lang: {lang!r} is not one of: ko, en",
            ko=f"lang: {lang!r}은(는) ko, en 중 하나가 아닙니다",
        )
    data = report.build_report(reader, year, lang=lang, organisation=organisation.strip())
    if before_layout is not None:
        before_layout()
    if fmt == "json":
        content = (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    elif fmt == "md":
        content = render_report_markdown(data).encode("utf-8")
    elif fmt == "html":
        content = render_report_html(data).encode("utf-8")
    else:
        content, _pages = render_report_pdf(data)
    return RenderedReport(
        content,
        REPORT_FORMATS[fmt],
        f"ethics-report-{year}-{lang}.{fmt}",
        hashlib.sha256(content).hexdigest(),
    )
