"""``ethos kb``, ``ethos facts`` and ``ethos classify``: frameworks, intake facts, the law."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer
import yaml

from ethos.cli.app import emit_json, state
from ethos.cli.files import read_data_file
from ethos.cli.formats import OutputFormat
from ethos.domain.classification import Classification
from ethos.domain.errors import ContentError, InvalidInputError
from ethos.domain.frameworks import Node
from ethos.services import regulation as service

__all__ = ["classify_command", "facts_app", "kb_app"]

kb_app = typer.Typer(help="The frameworks knowledge base and its crosswalks.", no_args_is_help=True)
facts_app = typer.Typer(help="A project's intake facts (docs/facts.md).", no_args_is_help=True)

FORMAT = typer.Option(OutputFormat.TEXT, "--format", help="text or json")


def _text(value: Any, lang: str) -> str:
    if value is None:
        return ""
    return str((value.ko if lang == "ko" else value.en) or value.en or value.ko or "")


def _node_json(node: Node, *, depth: int) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": node.id,
        "ref": node.ref,
        "type": node.type.value,
        "title": node.title.model_dump(exclude_none=True) if node.title else None,
        "summary": node.summary.model_dump(exclude_none=True) if node.summary else None,
        "roles": [r.value for r in node.roles],
        "strength": node.strength.value if node.strength else None,
        "applicability": [a.model_dump(mode="json", exclude_none=True) for a in node.applicability],
    }
    if node.quote:
        data["quote"] = node.quote
    if depth > 0:
        data["children"] = [_node_json(c, depth=depth - 1) for c in node.children]
    else:
        data["children"] = [c.id for c in node.children]
    return data


@kb_app.command("list")
def kb_list(ctx: typer.Context, fmt: OutputFormat = FORMAT) -> None:
    """List the frameworks in the knowledge base."""
    cli = state(ctx)
    legal = cli.context(require_schema=False).legal()
    rows = [
        {
            "id": f.id,
            "title": f.title.model_dump(exclude_none=True),
            "kind": f.kind.value,
            "jurisdiction": f.jurisdiction,
            "binding": f.binding,
            "version": f.version,
            "nodes": sum(1 for _ in f.walk()),
        }
        for f in legal.frameworks.frameworks()
    ]
    if fmt is OutputFormat.JSON:
        emit_json(rows)
        return
    for f, row in zip(legal.frameworks.frameworks(), rows, strict=True):
        binding = "binding" if f.binding else "voluntary"
        typer.echo(
            f"{f.id:<28} {f.kind.value:<18} {f.jurisdiction:<6} {binding:<9} "
            f"{row['nodes']:>4} nodes  {_text(f.title, cli.lang)}"
        )


@kb_app.command("show")
def kb_show(
    ctx: typer.Context,
    node_id: str = typer.Argument(..., help="A node id (eu-ai-act:art-5.1.c) or a framework id."),
    as_of: str = typer.Option(None, "--as-of", help="Date for applicability (YYYY-MM-DD)."),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Show a framework node: text, roles, dated applicability, and the practices mapped to it."""
    cli = state(ctx)
    sctx = cli.context(require_schema=False)
    legal = sctx.legal()
    if ":" not in node_id:
        framework = legal.frameworks.framework(node_id)
        data = framework.model_dump(mode="json", by_alias=True, exclude={"nodes"})
        data["nodes"] = [_node_json(n, depth=0) for n in framework.nodes]
        if fmt is OutputFormat.JSON:
            emit_json(data)
        else:
            typer.echo(f"{framework.id}: {_text(framework.title, cli.lang)}")
            for node in framework.nodes:
                typer.echo(f"  {node.id:<40} {node.ref}  {_text(node.title, cli.lang)}")
        return
    detail = service.node_detail(sctx, node_id)
    day = _date(as_of, "--as-of") if as_of else sctx.clock().date()
    entry = legal.frameworks.applicability(node_id, day)
    data = _node_json(detail.node, depth=0)
    data["framework"] = detail.framework
    data["path"] = [{"id": n.id, "ref": n.ref} for n in detail.path]
    data["applies"] = (
        {"as_of": day.isoformat(), **entry.model_dump(mode="json", exclude_none=True)}
        if entry
        else None
    )
    data["practices"] = detail.practices
    if fmt is OutputFormat.JSON:
        emit_json(data)
        return
    node = detail.node
    typer.echo(f"{node.id}  {node.ref}  [{node.type.value}]")
    if node.title:
        typer.echo(f"  {_text(node.title, cli.lang)}")
    if node.summary:
        typer.echo(f"  {_text(node.summary, cli.lang)}")
    ko = cli.lang == "ko"
    if node.roles:
        roles = ", ".join(r.value for r in node.roles)
        typer.echo(f"  {'역할' if ko else 'roles'}: {roles}")
    if entry:
        when = f"{entry.applies_from} ({entry.status.value}: {entry.basis})"
        typer.echo(f"  적용 시작 {when}" if ko else f"  applies from {when}")
    for practice, links in sorted(detail.practices.items()):
        listed = ", ".join(f"{x['rel']} {x['node']}" for x in links)
        typer.echo(f"  {'실천 항목' if ko else 'practice'} {practice}: {listed}")


@kb_app.command("validate")
def kb_validate(ctx: typer.Context, fmt: OutputFormat = FORMAT) -> None:
    """Check frameworks, classification rules, catalogues and crosswalk together."""
    cli = state(ctx)
    problems = service.validate_knowledge(cli.context(require_schema=False), lang=cli.lang)
    if fmt is OutputFormat.JSON:
        emit_json({"valid": not problems, "problems": problems})
    if problems:
        if fmt is not OutputFormat.JSON:
            for line in problems:
                typer.echo(line, err=True)
        raise ContentError(
            f"the knowledge base has {len(problems)} problem(s)",
            ko=f"지식 베이스에 문제가 {len(problems)}건 있습니다",
        )
    if fmt is not OutputFormat.JSON:
        typer.echo("지식 베이스에 문제가 없습니다" if cli.lang == "ko" else "knowledge base valid")


@kb_app.command("crosswalk")
def kb_crosswalk(
    ctx: typer.Context,
    source: str = typer.Option(..., "--from", help="Framework id to map from."),
    target: str = typer.Option(..., "--to", help="Framework id to map to."),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Map one framework's nodes to another's through the practices both answer."""
    links = service.crosswalk(state(ctx).context(require_schema=False), source, target)
    if fmt is OutputFormat.JSON:
        emit_json(
            {
                "from": source,
                "to": target,
                "links": [
                    {
                        "from": x.source,
                        "to": x.target,
                        "relationship": x.relationship.value,
                        "via": x.practice,
                    }
                    for x in links
                ],
            }
        )
        return
    for x in links:
        typer.echo(f"{x.source:<36} {x.relationship.value:<10} {x.target:<36} via {x.practice}")
    typer.echo(f"{len(links)} link(s)")


@facts_app.command("set")
def facts_set(
    ctx: typer.Context,
    project: str = typer.Argument(..., help="Project id or name."),
    file: Path = typer.Option(..., "--file", help="Facts in YAML or JSON (docs/facts.md)."),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Record a new revision of a project's intake facts."""
    data = read_data_file(file)
    service.parse_facts(data, source=f"--file {file}")  # errors name the file
    change = service.set_facts(state(ctx).context(), project, data)
    if fmt is OutputFormat.JSON:
        emit_json(
            {
                "project_id": change.project_id,
                "revision": change.revision,
                "digest": change.digest,
                "changed": change.changed,
                "unchanged": change.unchanged,
            }
        )
    elif change.unchanged:
        typer.echo(f"facts unchanged (revision {change.revision})")
    else:
        typer.echo(f"facts revision {change.revision} recorded; {len(change.changed)} changed")


@facts_app.command("show")
def facts_show(
    ctx: typer.Context,
    project: str = typer.Argument(..., help="Project id or name."),
    history: bool = typer.Option(False, "--history", help="Every revision, oldest first."),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Show a project's current intake facts (or all revisions)."""
    sctx = state(ctx).context()
    revisions = service.facts_history(sctx, project)
    if not revisions:
        raise InvalidInputError(
            f"project {project!r} has no intake facts yet (`ethos facts set`)",
            ko=f"과제 {project!r}에는 아직 사실 정보가 없습니다(`ethos facts set`)",
        )
    chosen = revisions if history else revisions[-1:]
    rows = [
        {
            "revision": r.revision,
            "recorded_by": r.recorded_by,
            "recorded_at": r.recorded_at.isoformat(),
            "digest": r.digest,
            "facts": r.data,
        }
        for r in chosen
    ]
    if fmt is OutputFormat.JSON:
        emit_json(rows if history else rows[0])
        return
    for row in rows:
        typer.echo(f"# revision {row['revision']} by {row['recorded_by']} at {row['recorded_at']}")
        typer.echo(yaml.safe_dump(row["facts"], allow_unicode=True, sort_keys=False).rstrip())


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            f"{option}: {text!r} is not a date (YYYY-MM-DD)",
            ko=f"{option}: {text!r}은(는) 날짜(YYYY-MM-DD)가 아닙니다",
        ) from None


def _print_classification(result: Classification) -> None:
    data = result.to_json()
    eu, kr = data["eu_ai_act"], data["kr_ai_basic_act"]
    typer.echo(f"as of {data['as_of']}")
    annex = ", ".join(f"Annex {a['annex']} {a['point'] or ''}".strip() for a in eu["annex"] or [])
    typer.echo(
        f"EU AI Act: tier {eu['tier']}" + (f" ({annex})" if annex else "") + f"; applies "
        f"{_yes(eu['applies'])}; GPAI {_yes(eu['gpai'])}; systemic risk {_yes(eu['systemic_risk'])}"
    )
    _print_verdict(eu)
    domains = ", ".join(kr["domains"]) or "-"
    typer.echo(
        f"Korea AI Basic Act: high-impact {_yes(kr['high_impact'])} (domains: {domains}); "
        f"applies {_yes(kr['applies'])}; generative {_yes(kr['generative'])}"
    )
    _print_verdict(kr)


def _yes(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


def _print_verdict(verdict: dict[str, Any]) -> None:
    for reason in verdict["reasons"]:
        typer.echo(f"  because {reason['rule']} ({reason['ref']})")
    for duty in verdict["obligations"]:
        state_ = "in force" if duty["in_force"] else f"from {duty['applies_from'] or '?'}"
        typer.echo(f"  duty {duty['ref']:<22} {duty['role']:<12} {state_}")
    for missing in verdict["missing_facts"]:
        effects = [
            f"{a['answer']} adds {', '.join(a['adds'])}" for a in missing["answers"] if a["adds"]
        ]
        note = missing.get("note")
        detail = "; ".join(effects) or note or "decides nothing alone"
        typer.echo(f"  missing {missing['fact']}: {detail}")


def classify_command(
    ctx: typer.Context,
    project: str = typer.Argument(None, help="Project id or name (or give --facts)."),
    facts: Path = typer.Option(None, "--facts", help="Classify facts from a file instead."),
    as_of: str = typer.Option(None, "--as-of", help="Evaluate as of this date (YYYY-MM-DD)."),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Classify under the EU AI Act and Korea's AI Basic Act, with dated obligations."""
    if (project is None) == (facts is None):
        raise InvalidInputError(
            "give either a PROJECT or --facts FILE (not both)",
            ko="PROJECT와 --facts FILE 중 하나만 지정하세요(둘 다는 안 됩니다)",
        )
    day = _date(as_of, "--as-of") if as_of else None
    cli = state(ctx)
    if facts is not None:
        data = read_data_file(facts, option="--facts")
        sctx = cli.context(require_schema=False)
        result = service.classify_facts(sctx, data, as_of=day, source=f"--facts {facts}")
    else:
        result = service.classify_project(cli.context(), project, as_of=day)
    if fmt is OutputFormat.JSON:
        emit_json(result.to_json())
    else:
        _print_classification(result)
