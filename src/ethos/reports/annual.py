"""Renderers of the annual report: Markdown, one standalone HTML file, and PDF with pages.

The PDF is laid out twice (or more, until stable): the first pass finds the page each
section and each indexed row lands on, the next one prints those pages in the table of
contents and the cross-reference index. :func:`render_report_pdf` returns the pages it
printed, so they can be checked against the PDF's own text.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from ethos.domain.errors import ContentError, InvalidInputError
from ethos.reports import templating
from ethos.reports.bars import bar_chart

__all__ = [
    "render_report_html",
    "render_report_markdown",
    "render_report_pdf",
    "report_labels",
]

_TEMPLATES = templating.TEMPLATES
PLACEHOLDER = 88  # printed in the first pass; two digits wide like most real pages


@cache
def _all_labels() -> dict[str, dict[str, str]]:
    path = _TEMPLATES / "report-labels.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("schema") != "ethos.report-labels/1":
        raise ContentError(
            f"{path}: expected schema ethos.report-labels/1",
            ko=f"{path}: 스키마 ethos.report-labels/1이어야 합니다",
        )
    labels = data.get("labels")
    if not isinstance(labels, dict):
        raise ContentError(
            f"{path}: field labels: expected a mapping",
            ko=f"{path}: 필드 labels: 매핑이어야 합니다",
        )
    for key, value in labels.items():
        if not isinstance(value, dict) or not value.get("en") or not value.get("ko"):
            raise ContentError(
                f"{path}: label {key!r}: both en and ko are required",
                ko=f"{path}: 레이블 {key!r}: en과 ko가 모두 있어야 합니다",
            )
    return {str(k): {"en": str(v["en"]), "ko": str(v["ko"])} for k, v in labels.items()}


def report_labels(lang: str) -> dict[str, str]:
    """Every label of the report in ``lang``."""
    if lang not in ("ko", "en"):
        raise InvalidInputError(
            f"--lang: {lang!r} is not one of: ko, en",
            ko=f"--lang: {lang!r}은(는) ko, en 중 하나가 아닙니다",
        )
    return {key: value[lang] for key, value in _all_labels().items()}


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _ids(ids: list[int], limit: int = 12) -> str:
    """Record ids in brackets, shortened past ``limit`` (the JSON has them all)."""
    if not ids:
        return ""
    shown = ", ".join(f"#{i}" for i in ids[:limit])
    more = f", +{len(ids) - limit}" if len(ids) > limit else ""
    return f"[{shown}{more}]"


def _one_cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    return value


@cache
def _environment(autoescape: bool) -> jinja2.Environment:
    # Markdown: every value lands in one table cell or line, so no pipe or line break
    env = templating.environment(autoescape, finalize=None if autoescape else _one_cell)
    env.globals.update(pct=_pct, ids=_ids)
    return env


def _where(report: dict[str, Any], anchors: list[str], pages: dict[str, int] | None) -> list[Any]:
    """Index cell: ``[(section number, section id, first anchor, [pages])]`` per section."""
    numbers = {s["id"]: s["number"] for s in report["sections"]}
    by_number = {number: sid for sid, number in numbers.items()}
    grouped: dict[str, list[str]] = defaultdict(list)
    for anchor in anchors:
        grouped[report["anchor_sections"][anchor]].append(anchor)
    cells = []
    for number in sorted(grouped, key=lambda n: [int(x) for x in n.split(".")]):
        members = grouped[number]
        found = sorted({pages[a] for a in members}) if pages is not None else []
        cells.append((number, by_number[number], members[0], found))
    return cells


def _context(report: dict[str, Any], pages: dict[str, int] | None) -> dict[str, Any]:
    labels = report_labels(report["lang"])
    stats = report["stats"]
    categories = sorted(
        stats["findings"]["by_category"].items(), key=lambda kv: (-kv[1]["count"], kv[0])
    )
    charts = {
        "category": bar_chart(
            [(labels.get(f"cat_{k}", k), v["count"]) for k, v in categories],
            title=labels["by_category"],
        ),
        "type": bar_chart(
            [
                (labels.get(f"type_{k}", k), v["count"])
                for k, v in stats["findings"]["by_project_type"].items()
            ],
            title=labels["by_type"],
            colour="#2e8b57",
        ),
    }
    return {
        "R": report,
        "S": stats,
        "L": labels,
        "categories": categories,
        "charts": {k: Markup(v) for k, v in charts.items()},  # noqa: S704 - our own escaped SVG
        "pages": pages,
        "where": lambda anchors: _where(report, anchors, pages),
        "v": lambda value: labels.get(f"v_{value}", str(value)),
        "placeholder": PLACEHOLDER,
    }


def render_report_markdown(report: dict[str, Any]) -> str:
    template = _environment(False).get_template("report.md.j2")
    return template.render(**_context(report, None))


def render_report_html(report: dict[str, Any], *, pages: dict[str, int] | None = None) -> str:
    """A single standalone HTML file; with ``pages``, the PDF's page numbers are printed."""
    template = _environment(True).get_template("report.html.j2")
    return template.render(**_context(report, pages), paged=pages is not None)


def _anchor_pages(document: Any) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    return found


def render_report_pdf(report: dict[str, Any]) -> tuple[bytes, dict[str, int]]:
    """The PDF, and the page of every anchor as printed in its contents and index."""
    try:
        import weasyprint  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise InvalidInputError(
            "--format pdf needs WeasyPrint: install Ethos with the 'pdf' extra "
            f"({exc.name} is missing)",
            ko="--format pdf에는 WeasyPrint가 필요합니다: Ethos를 'pdf' 추가 기능과 함께 "
            f"설치하세요({exc.name}이(가) 없습니다)",
        ) from None
    wanted = {s["id"] for s in report["sections"]} | set(report["anchor_sections"])
    pages: dict[str, int] = dict.fromkeys(wanted, PLACEHOLDER)
    for _attempt in range(4):
        document = weasyprint.HTML(string=render_report_html(report, pages=pages)).render()
        found = _anchor_pages(document)
        missing = sorted(wanted - set(found))
        if missing:
            raise ContentError(
                f"report layout lost anchors: {', '.join(missing[:5])}",
                ko=f"보고서 조판에서 앵커가 사라졌습니다: {', '.join(missing[:5])}",
            )
        settled = {a: found[a] for a in wanted}
        if settled == pages:
            pdf: bytes = document.write_pdf()
            return pdf, pages
        pages = settled
    raise ContentError(
        "report page numbers did not settle after 4 layouts",
        ko="보고서 쪽 번호가 네 번 조판한 뒤에도 정해지지 않았습니다",
    )
