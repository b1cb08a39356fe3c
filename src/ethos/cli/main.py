"""Entry point of the ``ethos`` command.

The sub-commands are not imported here: :data:`ethos.cli.commands.COMMANDS` lists them, and
the root group (:class:`ethos.cli.app.EthosGroup`) loads one when it is invoked.
"""

from __future__ import annotations

from ethos.cli.app import app

__all__ = ["app", "run"]


def run() -> None:
    """Run the command line."""
    app()
