"""``formkit inspect``: a readable account of one document."""
from __future__ import annotations

import click

from formkit.commands import FileFailed, load_form


@click.command("inspect")
@click.argument("file")
@click.option("--form", "form", metavar="FORM", help="Read as this form.")
def inspect_cmd(file: str, form: str | None) -> None:
    """A readable account of one document: form, fields, boxes, warnings."""
    from formkit.read.inspect import report
    from formkit.read.parse import parse_file

    if form:
        load_form(form)
    result = parse_file(file, form=form)
    click.echo(report(result))
    if result.error:
        raise FileFailed(str(result.error))


COMMANDS = (inspect_cmd,)
