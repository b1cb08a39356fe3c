"""The annual AI ethics accountability report, assembled from the records.

:func:`build_report` returns the report as data (``ethos.report/1``); the renderers in
:mod:`ethos.reports.annual` only lay it out. Every figure comes from :mod:`ethos.services.stats`
and carries the ids it counts; the cross-reference index is derived from the crosswalk and the
records, never typed: a clause lists the report rows where a practice mapped to it (or to a
clause below it) shows up this year, and a dash where none does. No personal names appear
except committee members whose body chose to publish them.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ethos.domain.crosswalk import Crosswalk
from ethos.domain.frameworks import Framework, Node
from ethos.domain.office import OfficeKind, OfficeRecord
from ethos.domain.stats import year_bounds
from ethos.services import office
from ethos.services.context import ServiceContext
from ethos.services.stats import Records, check_year, load_records, year_stats

__all__ = ["REPORT_SCHEMA", "SECTIONS", "build_report"]

REPORT_SCHEMA = "ethos.report/1"
# (id, number) in reading order; titles come from the renderer's labels
SECTIONS = (
    ("summary", "1"),
    ("governance", "2"),
    ("governance-bodies", "2.1"),
    ("governance-process", "2.2"),
    ("governance-policy", "2.3"),
    ("research", "3"),
    ("research-checks", "3.1"),
    ("research-red-team", "3.2"),
    ("engagement", "4"),
    ("results", "5"),
    ("results-assessments", "5.1"),
    ("results-profiles", "5.2"),
    ("results-findings", "5.3"),
    ("results-legal", "5.4"),
    ("results-mitigations", "5.5"),
    ("results-resolution", "5.6"),
    ("limitations", "6"),
    ("index", "A"),
)
STRUCTURAL = frozenset({"group", "chapter", "section", "annex"})


def _text(value: Any, lang: str) -> str:
    if value is None:
        return ""
    ko, en = getattr(value, "ko", None), getattr(value, "en", None)
    return str((ko if lang == "ko" else en) or en or ko or "")


def _office(ctx: ServiceContext, year: int, lang: str) -> dict[str, Any]:
    records = office.office_year(ctx, year)

    def body(record: OfficeRecord) -> Any:
        return record.body

    # a meeting keeps the id of the committee record it named; follow corrections forward
    successor = {
        r.id: r.replaced_by
        for r in office.list_records(ctx, kind=OfficeKind.COMMITTEE, include_withdrawn=True)
        if r.replaced_by is not None
    }

    def current(committee_id: int) -> int:
        seen = set()
        while committee_id in successor and committee_id not in seen:
            seen.add(committee_id)
            committee_id = successor[committee_id]
        return committee_id

    bodies = []
    for record in records[OfficeKind.COMMITTEE]:
        b = body(record)
        bodies.append(
            {
                "id": record.id,
                "name": _text(b.name, lang),
                "type": b.type.value,
                "mandate": _text(b.mandate, lang),
                "established": b.established.isoformat(),
                "members": [
                    _text(m.role, lang) + (f" ({m.name})" if b.publish_names and m.name else "")
                    for m in b.members
                ],
                "meetings": sum(
                    1
                    for m in records[OfficeKind.MEETING]
                    if current(body(m).committee) == record.id
                ),
            }
        )
    meetings = [
        {
            "id": r.id,
            "date": body(r).date.isoformat(),
            "summary": _text(body(r).summary, lang),
            "participants": body(r).participants,
            "decisions": len(body(r).decisions),
        }
        for r in records[OfficeKind.MEETING]
    ]
    red_team = [
        {
            "id": r.id,
            "start": body(r).start.isoformat(),
            "end": body(r).end.isoformat(),
            "method": body(r).method.value,
            "scope": _text(body(r).scope, lang),
            "participants": body(r).participants,
            "issues_found": body(r).issues_found,
            "projects": list(body(r).projects),
        }
        for r in records[OfficeKind.RED_TEAM]
    ]
    education = [
        {
            "id": r.id,
            "title": _text(body(r).title, lang),
            "type": body(r).type.value,
            "dates": [d.isoformat() for d in body(r).dates],
            "audience": [a.value for a in body(r).audience],
            "participants": body(r).participants,
            "hours": body(r).hours_per_participant,
        }
        for r in records[OfficeKind.EDUCATION]
    ]
    partnerships = [
        {
            "id": r.id,
            "partner": _text(body(r).partner, lang),
            "type": body(r).type.value,
            "start": body(r).start.isoformat(),
            "summary": _text(body(r).summary, lang),
        }
        for r in records[OfficeKind.PARTNERSHIP]
    ]
    policy = [
        {
            "id": r.id,
            "anchor": f"pw-{r.id}",
            "date": body(r).date.isoformat(),
            "jurisdiction": str(body(r).jurisdiction),
            "citation": body(r).source.citation,
            "summary": _text(body(r).summary, lang),
            "frameworks": list(body(r).frameworks),
            "projects": list(body(r).projects),
            "status": body(r).status.value,
        }
        for r in records[OfficeKind.POLICY_WATCH]
    ]
    return {
        "bodies": bodies,
        "meetings": meetings,
        "red_team": red_team,
        "education": education,
        "partnerships": partnerships,
        "policy_watch": policy,
    }


def _in_year(records: Records, year: int) -> list[Any]:
    start, end = year_bounds(year)
    return [f for f in records.findings if start <= f.created_at < end and f.status != "withdrawn"]


def _checks(records: Records, year: int) -> list[dict[str, Any]]:
    start, end = year_bounds(year)
    grouped: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for evidence_id, _finding, raw, added in records.check_records:
        if not start <= added < end:
            continue
        data = json.loads(raw)
        key = (str(data.get("check_id", "?")), str(data.get("metric", "?")))
        value = data.get("value")
        grouped[key].append((evidence_id, float(value) if isinstance(value, int | float) else 0.0))
    return [
        {
            "check": check,
            "metric": metric,
            "runs": len(values),
            "median": round(statistics.median(v for _, v in values), 4),
            "evidence_ids": [i for i, _ in values],
        }
        for (check, metric), values in sorted(grouped.items())
    ]


def _profile_items(
    ctx: ServiceContext, records: Records, year: int, lang: str, scores: dict[str, Any]
) -> list[Any]:
    """Questionnaire items with how the projects that closed stage 1 in ``year`` scored them
    (``scores``: the statistics' ``items``, per item id)."""
    start, end = year_bounds(year)
    closed = [
        p
        for p in records.projects
        if p.stage1_closed_at is not None and start <= p.stage1_closed_at < end
    ]
    if not closed:
        return []
    questionnaire = ctx.questionnaires.latest()
    titles = {d.id: _text(d.title, lang) for d in questionnaire.dimensions}
    empty: dict[str, Any] = {"projects": 0, "mean": None, "histogram": {}}
    rows = []
    for item in questionnaire.items:
        scored = scores.get(item.id, empty)
        rows.append(
            {
                "id": item.id,
                "anchor": f"item-{item.id}",
                "dimension": titles.get(item.dimension, item.dimension),
                "text": _text(item.text, lang),
                "projects": scored["projects"],
                "mean": scored["mean"],
                "histogram": [
                    scored["histogram"].get(str(n), {"count": 0})["count"] for n in range(1, 6)
                ],
            }
        )
    return rows


def _rows_by(findings: Iterable[Any], key: Any) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = defaultdict(list)
    for f in findings:
        for value in key(f):
            grouped[value].append(f.id)
    return grouped


def _results(
    ctx: ServiceContext, records: Records, year: int, lang: str, item_scores: dict[str, Any]
) -> dict[str, Any]:
    found = _in_year(records, year)
    cats = ctx.catalogues()
    risks = {r.id: r for r in cats.risks.entries}
    mitigations = {m.id: m for m in cats.mitigations.entries}
    names = records.project_names
    risk_rows = [
        {
            "id": rid,
            "anchor": f"risk-{rid}",
            "title": _text(risks[rid].title, lang) if rid in risks else rid,
            "category": risks[rid].category.value if rid in risks else "",
            "count": len(ids),
            "finding_ids": ids,
        }
        for rid, ids in sorted(
            _rows_by(found, lambda f: [f.catalogue_id] if f.catalogue_id else []).items()
        )
    ]
    legal_rows = []
    legal = ctx.legal().frameworks
    for clause, ids in sorted(
        _rows_by(found, lambda f: [f.clause_id] if f.clause_id else []).items()
    ):
        node = legal.node(clause) if legal.has(clause) else None
        projects = sorted({f.project_id for f in found if f.id in set(ids)})
        legal_rows.append(
            {
                "id": clause,
                "anchor": f"clause-{clause}",
                "ref": node.ref if node else clause,
                "title": _text(node.title, lang) if node else "",
                "projects": [names[p] for p in projects],
                "finding_ids": ids,
            }
        )
    mitigation_rows = [
        {
            "id": mid,
            "anchor": f"mitigation-{mid}",
            "title": _text(mitigations[mid].title, lang) if mid in mitigations else mid,
            "planned": len(ids),
            "verified": sum(1 for f in found if f.id in set(ids) and f.status == "verified"),
            "finding_ids": ids,
        }
        for mid, ids in sorted(_rows_by(found, lambda f: f.mitigations).items())
    ]
    questionnaire = ctx.questionnaires.latest()
    return {
        "dimension_titles": {d.id: _text(d.title, lang) for d in questionnaire.dimensions},
        "profile_items": _profile_items(ctx, records, year, lang, item_scores),
        "risks": risk_rows,
        "legal": legal_rows,
        "mitigations": mitigation_rows,
    }


def _limitations(records: Records, stats: dict[str, Any], lang: str) -> dict[str, Any]:
    names = records.project_names
    by_id = {f.id: f for f in records.findings}

    def row(finding_id: int) -> dict[str, Any]:
        f = by_id[finding_id]
        return {
            "id": f.id,
            "project": names[f.project_id],
            "priority": f.priority,
            "category": f.category,
            "title": f.title_ko if lang == "ko" and f.title_ko else f.title_en,
            "rationale": f.rationale,
        }

    open_rows = [row(i) for level in ("P1", "P2") for i in stats["open"][level]["ids"]]
    accepted = [row(f.id) for f in records.findings if f.status == "accepted"]
    return {"open": open_rows, "accepted": accepted}


def _walk(node: Node) -> Iterable[Node]:
    yield node
    for child in node.children:
        yield from _walk(child)


def _index(
    frameworks: list[Framework],
    crosswalk: Crosswalk,
    appearances: dict[str, list[str]],
    direct: dict[str, list[str]],
    lang: str,
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Per framework, every clause with the anchors where a related practice appears;
    and the clauses no practice maps to at all (coverage gaps)."""
    mapped: dict[str, set[str]] = defaultdict(set)
    for practice, links in crosswalk.practices.items():
        for link in links:
            mapped[link.node].add(practice)
    tables, unmapped = [], {}
    for framework in frameworks:
        rows, gaps = [], []
        for top in framework.nodes:
            for node in _walk(top):
                below = [n.id for n in _walk(node)]
                practices = sorted({p for n in below for p in mapped.get(n, ())})
                anchors = {a for p in practices for a in appearances.get(p, [])}
                anchors |= {a for n in below for a in direct.get(n, [])}
                if not practices and node.type.value not in STRUCTURAL:
                    gaps.append(node.id)
                rows.append(
                    {
                        "id": node.id,
                        "ref": node.ref,
                        "title": _text(node.title, lang) or _text(node.summary, lang),
                        "practices": practices,
                        "anchors": sorted(anchors),
                    }
                )
        tables.append(
            {"framework": framework.id, "title": _text(framework.title, lang), "rows": rows}
        )
        unmapped[framework.id] = gaps
    return tables, unmapped


def build_report(
    ctx: ServiceContext, year: int, *, lang: str, organisation: str = ""
) -> dict[str, Any]:
    """The report of ``year`` in ``lang`` as data, ready for a renderer."""
    check_year(year, ctx.clock())
    records = load_records(ctx)
    stats = year_stats(ctx, year, records)
    results = _results(ctx, records, year, lang, stats["items"])
    office_data = _office(ctx, year, lang)
    appearances: dict[str, list[str]] = defaultdict(list)
    for item in results["profile_items"]:
        appearances[f"item:{item['id']}"].append(item["anchor"])
    for risk in results["risks"]:
        appearances[f"risk:{risk['id']}"].append(risk["anchor"])
    for mitigation in results["mitigations"]:
        appearances[f"mitigation:{mitigation['id']}"].append(mitigation["anchor"])
    direct: dict[str, list[str]] = defaultdict(list)
    for clause in results["legal"]:
        direct[clause["id"]].append(clause["anchor"])
    for watched in office_data["policy_watch"]:
        for node in watched["frameworks"]:
            direct[node].append(watched["anchor"])
    legal = ctx.legal()
    index, unmapped = _index(
        legal.frameworks.frameworks(), ctx.crosswalk(), appearances, direct, lang
    )
    anchors = {item["anchor"]: "5.2" for item in results["profile_items"]}
    anchors |= {r["anchor"]: "5.3" for r in results["risks"]}
    anchors |= {r["anchor"]: "5.4" for r in results["legal"]}
    anchors |= {r["anchor"]: "5.5" for r in results["mitigations"]}
    anchors |= {r["anchor"]: "2.3" for r in office_data["policy_watch"]}
    return {
        "schema": REPORT_SCHEMA,
        "year": year,
        "lang": lang,
        "organisation": organisation,
        "as_of": stats["as_of"],
        "sections": [{"id": sid, "number": number} for sid, number in SECTIONS],
        "anchor_sections": anchors,
        "stats": stats,
        "office": office_data,
        "research": {"checks": _checks(records, year)},
        "results": results,
        "limitations": {
            **_limitations(records, stats, lang),
            "unmapped": unmapped,
        },
        "index": index,
    }
