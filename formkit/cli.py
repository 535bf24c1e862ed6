"""The ``formkit`` command line (click): the group, and which module holds
each command.

Each command (formkit/commands/, the season's in formkit/season/commands.py)
calls one function of the Python API (:mod:`formkit.api`) and turns what it
returns into output, progress bars, messages and the exit status: 0 every
file fine; 1 one or more files failed (each reported, every other file still
in the output); 2 usage error. Only the module of the command that runs is
imported, and heavy modules only inside the commands, so ``formkit parse``
neither defines the other commands nor loads the fill machinery.
"""
from __future__ import annotations

import signal
from importlib import import_module

import click

# Each command: the module that defines it (in its COMMANDS) and the first
# paragraph of its help, which ``formkit --help`` shortens as click does.
# tests/test_cli_commands.py checks the table against the commands themselves.
COMMANDS: dict[str, tuple[str, str]] = {
    "forms": ("formkit.commands.forms", "List the known forms: id, title, English title and the folder each comes "
                                        "from ($FORMKIT_FORMS folders first, then the shipped forms)."),
    "schema": ("formkit.commands.forms",
               "Print the JSON Schema of FORM's record, as parse writes it or as fill takes it."),
    "parse": ("formkit.commands.parse", "Read completed forms into normalized JSON records."),
    "inspect": ("formkit.commands.inspect", "A readable account of one document: form, fields, boxes, warnings."),
    "score": ("formkit.commands.score",
              "Score parse output (json/jsonl, '-' for stdin) or Word files and folders by the rubric."),
    "report": ("formkit.commands.score", "The committee's overview of a batch: an .xlsx workbook and one HTML page."),
    "fill": ("formkit.commands.fill", "Fill FORM's original from the record in DATA (.json or .yaml)."),
    "bulk": ("formkit.commands.fill", "One filled document per row of DATA (.csv, .xlsx or .jsonl)."),
    "preview": ("formkit.commands.preview",
                "Render a document through LibreOffice (headless) to look at it without Word."),
    "learn": ("formkit.commands.learn", "Draft a form definition from ORIGINAL, a blank Word form."),
    "check": ("formkit.commands.learn", "Check FORM (an id, or a folder holding form.yaml) against its original."),
    "serve": ("formkit.season.commands", "Serve the season in the browser (creates the store on first start)."),
    "offices": ("formkit.season.commands", "The season's offices: import a list, or list them."),
    "users": ("formkit.season.commands", "The season's users (admins and reviewers)."),
    "ingest": ("formkit.season.commands",
               "Returned forms into the season, each matched to an office (as an upload does)."),
    "export": ("formkit.season.commands",
               "The season's records, one per office and form, corrections and judgments applied, with the score."),
    "season": ("formkit.season.commands",
               "Show the current season, or change its year, deadline or forms (audited)."),
}


class _Formkit(click.Group):
    """The command group: a command is defined when it runs (or is completed),
    by importing its module; the help lists every command from the table."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            for command in import_module(COMMANDS[cmd_name][0]).COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.NoSuchCommand as exc:  # "Did you mean": from every command, not only those defined
            raise click.NoSuchCommand(exc.command_name, possibilities=COMMANDS, ctx=ctx) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's list of commands, made from stand-ins holding the table's help."""
        listed = click.Group(commands=[click.Command(name, help=text) for name, (_, text) in COMMANDS.items()])
        listed.format_commands(ctx, formatter)


@click.group(cls=_Formkit, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="formkit")
def main() -> None:
    """Fill, parse and score the ESAO self-assessment Word forms."""
    signal.signal(signal.SIGTERM, _terminated)
    from formkit.forms import broken_notices

    for notice in broken_notices():  # said once per command, never breaking another form
        click.echo(f"formkit: {notice}", err=True)


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (kill, timeout) stops a run like Ctrl-C: temporary outputs are
    removed and worker processes stopped on the way out."""
    raise KeyboardInterrupt


if __name__ == "__main__":  # pragma: no cover
    main()
