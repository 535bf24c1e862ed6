"""The commands of ``formkit`` (click), a module for each command or a few
related ones: formkit/cli.py imports only the module of the command that
runs, so a command never pays for defining the others.

Each module lists its commands in ``COMMANDS``. What several of them share
is here: the exit status of a failed file, a form named on the command line,
the message of a worker that died. Like cli.py, these modules are the
command line: they may import anything; nothing else imports them.
"""
from __future__ import annotations

from typing import Any

import click

from formkit import api
from formkit.errors import FormkitError

WORKER_DIED = (
    "a worker process stopped unexpectedly (out of memory, or killed); nothing was written: "
    "run again, with --jobs 1 to find the file that causes it"
)


class FileFailed(click.ClickException):
    """One or more inputs failed: exit 1 after everything else was written."""

    exit_code = 1


def load_form(form: str) -> Any:
    """The definition of FORM (an id, a folder or a form.yaml); one that
    cannot be loaded is a usage error."""
    try:
        return api.open_form(form)
    except FormkitError as exc:
        raise click.BadParameter(exc.message, param_hint="FORM") from None
