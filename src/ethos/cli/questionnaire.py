"""``ethos questionnaire``: show a version, migrate a project to a newer one."""

from __future__ import annotations

import typer

from ethos.cli.app import emit_json, state
from ethos.cli.formats import OutputFormat
from ethos.domain.questionnaire import Questionnaire
from ethos.knowledge.questionnaires import DEFAULT_QUESTIONNAIRE
from ethos.services import questionnaires as service

__all__ = ["questionnaire_app"]

questionnaire_app = typer.Typer(help="The stage-1 questionnaire.", no_args_is_help=True)


def questionnaire_dict(q: Questionnaire) -> dict[str, object]:
    return {
        "id": q.id,
        "version": q.version,
        "released": q.released.isoformat(),
        "title": q.title.model_dump(),
        "discussion_spread": q.discussion_spread,
        "dimensions": [
            {"id": d.id, "title": d.title.model_dump(), "explanation": d.explanation.model_dump()}
            for d in q.dimensions
        ],
        "items": [
            {
                "id": i.id,
                "dimension": i.dimension,
                "aspect": i.aspect,
                "text": i.text.model_dump(),
                "anchors": {str(k): v.model_dump() for k, v in sorted(i.anchors.items())},
                "roles": [r.value for r in i.roles],
                "frameworks": list(i.frameworks),
            }
            for i in q.items
        ],
    }


@questionnaire_app.command("show")
def show(
    ctx: typer.Context,
    version: int = typer.Option(None, "--version", help="Version (default: newest)."),
    questionnaire: str = typer.Option(DEFAULT_QUESTIONNAIRE, "--id", help="Questionnaire id."),
    fmt: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", help="text or json"),
) -> None:
    """Show a questionnaire version."""
    cli = state(ctx)
    q = service.show_questionnaire(
        cli.context(require_schema=False), questionnaire_id=questionnaire, version=version
    )
    if fmt is OutputFormat.JSON:
        emit_json(questionnaire_dict(q))
        return
    lang = cli.lang
    typer.echo(f"{q.title.get(lang)} ({q.id} v{q.version}, {q.released.isoformat()})")
    for dim in q.dimensions:
        typer.echo(f"\n== {dim.title.get(lang)} ==\n{dim.explanation.get(lang)}")
        for item in q.items:
            if item.dimension == dim.id:
                roles = ", ".join(r.value for r in item.roles)
                typer.echo(f"  {item.id} [{roles}]: {item.text.get(lang)}")


@questionnaire_app.command("migrate")
def migrate(
    ctx: typer.Context,
    project: str = typer.Argument(..., help="Project id or name."),
    to: int = typer.Option(None, "--to", help="Target version (default: newest)."),
    fmt: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", help="text or json"),
) -> None:
    """Carry a project's answers over to a newer questionnaire version."""
    result = service.migrate_project(state(ctx).context(), project, to_version=to)
    if fmt is OutputFormat.JSON:
        emit_json(
            {
                "project": result.project_id,
                "from_version": result.from_version,
                "to_version": result.to_version,
                "carried_answers": result.carried,
                "carried_consensus": result.carried_consensus,
                "dropped": result.dropped,
                "needs_answer": result.needs_answer,
            }
        )
        return
    typer.echo(
        f"migrated from v{result.from_version} to v{result.to_version}: "
        f"{result.carried} answer(s), {result.carried_consensus} consensus score(s) carried over"
    )
    if result.dropped:
        typer.echo("dropped items: " + ", ".join(result.dropped))
    typer.echo("items that need a fresh answer:")
    for item in result.needs_answer or ["(none)"]:
        typer.echo(f"  {item}")
