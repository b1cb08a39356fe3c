"""``ethos audit``: verify the chain, list events."""

from __future__ import annotations

import typer

from ethos.cli.app import emit_json, state
from ethos.cli.formats import OutputFormat
from ethos.services import audit as service

__all__ = ["audit_app"]

audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    ctx: typer.Context,
    expect_head: str = typer.Option(
        None, "--expect-head", help="A head hash published earlier: also catches cut-off events."
    ),
    fmt: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", help="text or json"),
) -> None:
    """Walk the chain; exit 1 naming the first event edited, deleted, inserted or reordered."""
    report = service.verify_audit_chain(state(ctx).context(), expect_head=expect_head)
    if fmt is OutputFormat.JSON:
        emit_json(
            {
                "ok": report.ok,
                "count": report.count,
                "head": report.head,
                "broken_at": report.broken_at,
                "problem": report.problem or None,
            }
        )
    elif report.ok:
        typer.echo(f"ok {report.count} events")
    else:
        typer.echo(f"broken at event {report.broken_at}: {report.problem}")
        typer.echo(f"{report.count} events before it check out", err=True)
    if not report.ok:
        raise typer.Exit(1)


@audit_app.command("head")
def head(ctx: typer.Context) -> None:
    """Print the sequence number and hash of the last event, to publish or keep elsewhere."""
    report = service.verify_audit_chain(state(ctx).context())
    typer.echo(f"{report.count} {report.head}")


@audit_app.command("log")
def log(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", min=1, max=100_000),
    subject: str = typer.Option(None, "--subject", help="Only events about this, e.g. project:3."),
    action: str = typer.Option(None, "--action", help="Only this action, e.g. answers.submitted."),
    fmt: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", help="text or json"),
) -> None:
    """List the latest events, oldest first."""
    events = service.audit_log(state(ctx).context(), limit=limit, subject=subject, action=action)
    if fmt is OutputFormat.JSON:
        emit_json(
            [
                {
                    "seq": e.seq,
                    "occurred_at": e.occurred_at,
                    "actor": e.actor,
                    "action": e.action,
                    "subject": e.subject,
                    "payload": e.payload_data(),
                    "payload_digest": e.payload_digest,
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
                for e in events
            ]
        )
        return
    for e in events:
        typer.echo(
            f"{e.seq:>6}  {e.occurred_at[:19]}  {e.actor:<16} {e.action:<22} {e.subject:<16} "
            f"{e.hash[:12]}"
        )
