"""Entry point of the ``ethos`` command."""

from __future__ import annotations

from ethos.cli.app import app
from ethos.cli.audit import audit_app
from ethos.cli.cards import card_command
from ethos.cli.datasets import datasets_app
from ethos.cli.db import db_app
from ethos.cli.demo import demo_command
from ethos.cli.findings import findings_app
from ethos.cli.office import office_app
from ethos.cli.projects import member_app, project_app
from ethos.cli.questionnaire import questionnaire_app
from ethos.cli.regulation import classify_command, facts_app, kb_app
from ethos.cli.report import report_command, stats_command
from ethos.cli.scan import scan_app
from ethos.cli.serve import serve_command
from ethos.cli.stage1 import answer, consensus, profile, stage1_app
from ethos.cli.users import user_app

__all__ = ["app", "run"]

app.add_typer(db_app, name="db")
app.add_typer(project_app, name="project")
app.add_typer(member_app, name="member")
app.add_typer(questionnaire_app, name="questionnaire")
app.add_typer(stage1_app, name="stage1")
app.add_typer(audit_app, name="audit")
app.add_typer(findings_app, name="findings")
app.add_typer(scan_app, name="scan")
app.add_typer(kb_app, name="kb")
app.add_typer(facts_app, name="facts")
app.add_typer(office_app, name="office")
app.add_typer(user_app, name="user")
app.add_typer(datasets_app, name="datasets")
app.command("answer")(answer)
app.command("consensus")(consensus)
app.command("profile")(profile)
app.command("demo")(demo_command)
app.command("card")(card_command)
app.command("classify")(classify_command)
app.command("stats")(stats_command)
app.command("report")(report_command)
app.command("serve")(serve_command)


def run() -> None:
    """Run the command line."""
    app()
