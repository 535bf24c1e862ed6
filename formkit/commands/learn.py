"""``formkit learn`` and ``formkit check``: a form definition drafted from a
blank original, and a definition checked against its original."""
from __future__ import annotations

from pathlib import Path

import click

from formkit import api
from formkit.commands import FileFailed, load_form
from formkit.errors import FormkitError


@click.command("learn")
@click.argument("original", type=click.Path(dir_okay=False))
@click.option("--id", "form_id", required=True, help="The new form's id (lower-case letters, digits, - and _).")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for form.yaml and a copy of the original (forms/ID/).")
@click.option("--force", is_flag=True, help="Replace an existing form.yaml there.")
def learn_cmd(original: str, form_id: str, out_dir: str, force: bool) -> None:
    """Draft a form definition from ORIGINAL, a blank Word form.

    Writes OUT/form.yaml (fields with the locator kinds parse and fill use;
    every guess marked with a CHECK comment) and OUT/original.docx. Then run
    `formkit check OUT` and `formkit check OUT --roundtrip 20`.
    """
    try:
        learned = api.learn_form(original, form_id, out_dir, force=force)
    except FormkitError as exc:
        raise FileFailed(f"{exc} [{exc.code}]") from None
    kinds: dict[str, int] = {}
    for f in learned.draft.fields:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in kinds.items())
    for gone in learned.draft.left_out:
        click.echo(f"formkit: warning: left out {gone}", err=True)
    target = Path(out_dir) / "form.yaml"
    click.echo(f"formkit: wrote {target}: {len(learned.draft.fields)} fields ({summary}); {learned.checks} CHECK comment(s)",
               err=True)


@click.command("check")
@click.argument("form")
@click.option("--original", type=click.Path(dir_okay=False), help="Check against an office's copy instead of the form's original.")
@click.option("--roundtrip", type=click.IntRange(min=0), default=0, metavar="N",
              help="Also fill N generated records and parse them back.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the generated records.")
def check_cmd(form: str, original: str | None, roundtrip: int, seed: int) -> None:
    """Check FORM (an id, or a folder holding form.yaml) against its original.

    Every anchor of the definition is looked for: recognition phrases, labels,
    the level column, each box, repeated blocks, headings. Exit 1 when one is
    missing (the nearest printed line is shown) or a record does not come back.
    """
    definition = load_form(form)
    try:
        report = api.check_form(definition, original=original, roundtrip=roundtrip, seed=seed)
    except FormkitError as exc:
        raise FileFailed(f"{exc} [{exc.code}]") from None
    for finding in report.findings:
        click.echo(finding.line())
    if report.roundtrip_error is not None:
        raise FileFailed(f"{report.roundtrip_error} [{report.roundtrip_error.code}]")
    if roundtrip:
        for m in report.mismatches:
            click.echo(f"DIFFERS record {m.number} {m.field}: filled {m.expected!r}, parsed {m.got!r}")
        click.echo(f"round trip: {roundtrip - report.changed} of {roundtrip} generated records came back unchanged")
    if not report.ok:
        raise FileFailed(f"{len(report.missing)} anchor(s) missing, {report.changed} record(s) changed by the round trip")
    click.echo(f"formkit: {definition.id}: every anchor found", err=True)


COMMANDS = (learn_cmd, check_cmd)
