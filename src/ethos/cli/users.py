"""``ethos user``: accounts for the web app and the API."""

from __future__ import annotations

import sys

import typer

from ethos.cli.app import emit_json, state
from ethos.cli.formats import OutputFormat
from ethos.domain.errors import InvalidInputError
from ethos.services import accounts

__all__ = ["user_app"]

user_app = typer.Typer(help="Accounts for the web app and the REST API.", no_args_is_help=True)

STDIN = typer.Option(
    False, "--password-stdin", help="Read the password from the first line of standard input."
)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InvalidInputError(
                "--password-stdin: standard input gave no password",
                ko="--password-stdin: 표준 입력에서 비밀번호를 받지 못했습니다",
            )
        return line
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@user_app.command("create")
def create(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="Lower-case letters, digits, '.', '_' or '-'."),
    role: str = typer.Option("user", "--role", help="admin, auditor or user."),
    display_name: str = typer.Option("", "--display-name", help="The name people see."),
    password_stdin: bool = STDIN,
) -> None:
    """Create an account (asks for the password unless --password-stdin)."""
    context = state(ctx).context()
    account = accounts.create_user(
        context,
        username=username,
        display_name=display_name,
        role=role,
        password=_password(password_stdin),
    )
    typer.echo(f"created user {account.username} ({account.role})")


@user_app.command("passwd")
def passwd(
    ctx: typer.Context, username: str = typer.Argument(...), password_stdin: bool = STDIN
) -> None:
    """Set an account's password; its browser sessions end and its API tokens are revoked."""
    ended = accounts.set_password(state(ctx).context(), username, _password(password_stdin))
    typer.echo(
        f"password of {username} set; {ended.tokens_revoked} API token(s) revoked, "
        f"{ended.sessions_ended} browser session(s) ended"
    )


@user_app.command("token")
def token(
    ctx: typer.Context,
    username: str = typer.Argument(...),
    name: str = typer.Option("cli", "--name", help="What the token is for."),
    days: int = typer.Option(90, "--days", min=0, max=3650, help="Validity; 0: never expires."),
) -> None:
    """Issue an API token and print it once (only its hash is kept)."""
    issued, record = accounts.issue_token(
        state(ctx).context(), username, name=name, days=days or None
    )
    typer.echo(issued)
    expiry = record.expires_at.date().isoformat() if record.expires_at else "never"
    typer.echo(f"token {record.id} for {username}, expires {expiry}", err=True)


@user_app.command("revoke-token")
def revoke_token(ctx: typer.Context, username: str, token_id: int) -> None:
    """Revoke one of an account's API tokens."""
    accounts.revoke_token(state(ctx).context(), username, token_id)
    typer.echo(f"token {token_id} of {username} revoked")


@user_app.command("list")
def list_(
    ctx: typer.Context, fmt: OutputFormat = typer.Option(OutputFormat.TEXT, "--format")
) -> None:
    """List accounts (never their password hashes)."""
    found = accounts.list_users(state(ctx).context())
    if fmt is OutputFormat.JSON:
        emit_json(
            [
                {
                    "id": a.id,
                    "username": a.username,
                    "display_name": a.display_name,
                    "role": a.role,
                    "active": a.active,
                }
                for a in found
            ]
        )
        return
    for a in found:
        typer.echo(f"{a.id:>4}  {a.username:<20} {a.role:<8} {'' if a.active else 'disabled'}")


@user_app.command("disable")
def disable(ctx: typer.Context, username: str) -> None:
    """Disable an account: no sign-in, no API token works."""
    accounts.set_active(state(ctx).context(), username, active=False)
    typer.echo(f"{username} disabled")


@user_app.command("enable")
def enable(ctx: typer.Context, username: str) -> None:
    """Enable a disabled account."""
    accounts.set_active(state(ctx).context(), username, active=True)
    typer.echo(f"{username} enabled")


@user_app.command("link")
def link(
    ctx: typer.Context,
    project: str = typer.Argument(..., help="Project id or name."),
    member: str = typer.Argument(..., help="Member id or name."),
    username: str = typer.Option(None, "--user", help="Account to link; leave out to unlink."),
) -> None:
    """Let an account act as a task-force member in the web app and the API."""
    found = accounts.link_member(state(ctx).context(), project, member, username)
    typer.echo(f"member {found.name} {'linked to ' + username if username else 'unlinked'}")
