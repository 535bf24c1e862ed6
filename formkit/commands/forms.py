"""``formkit forms`` and ``formkit schema``: the known forms, and the JSON
Schema of a form's record."""
from __future__ import annotations

import click

from formkit.commands import load_form
from formkit.errors import FormkitError


@click.command("forms")
def forms_cmd() -> None:
    """List the known forms: id, title, English title and the folder each
    comes from ($FORMKIT_FORMS folders first, then the shipped forms)."""
    from formkit import forms

    try:
        known = forms.load_all()
    except FormkitError as exc:
        raise click.ClickException(str(exc)) from None
    for form in known:
        click.echo(f"{form.id}\t{form.title}\t{form.title_en}\t{form.folder}")


@click.command("schema")
@click.argument("form")
@click.option("--for", "purpose", type=click.Choice(["parse", "fill"]), default="parse", show_default=True,
              help="parse: the record parse writes; fill: the record fill accepts.")
def schema_cmd(form: str, purpose: str) -> None:
    """Print the JSON Schema of FORM's record, as parse writes it or as fill takes it."""
    from formkit.output import to_json

    definition = load_form(form)
    if purpose == "fill":
        from formkit.fill.schema import fill_schema

        click.echo(to_json(fill_schema(definition)))
    else:
        from formkit.forms.schema import form_schema

        click.echo(to_json(form_schema(definition)))


COMMANDS = (forms_cmd, schema_cmd)
