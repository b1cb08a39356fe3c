"""``python -m ethos`` runs the command line."""

from ethos.cli.main import run

run()
