"""``formkit fill`` and ``formkit bulk``: a form's original filled from one
record, or one document per row of a table."""
from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from formkit import api
from formkit.commands import WORKER_DIED, FileFailed, load_form
from formkit.errors import FormkitError

if TYPE_CHECKING:
    from formkit.fill.bulk import BulkRun


def _layout_options(command: Callable[..., None]) -> Callable[..., None]:
    """fill's and bulk's options for the attachment's layout (README, "Photos")."""
    command = click.option("--verify/--no-verify", default=True, show_default=True,
                           help="Parse each document back and compare it with its record before writing it.")(command)
    command = click.option("--full-resolution", is_flag=True,
                           help="Embed photos as they are, without scaling them down to 1600 pixels.")(command)
    return click.option("--page-breaks/--no-page-breaks", default=True, show_default=True,
                        help="Start each work after the first on a new page.")(command)


@click.command("fill")
@click.argument("form")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The filled .docx to write.")
@click.option("--original", type=click.Path(dir_okay=False), help="Fill an office's own copy of the form instead of the shipped one.")
@click.option("--clear", is_flag=True, help="Empty the answers the --original copy already holds, then fill it.")
@_layout_options
def fill_cmd(form: str, data: str, output: str, original: str | None, clear: bool, page_breaks: bool,
             full_resolution: bool, verify: bool) -> None:
    """Fill FORM's original from the record in DATA (.json or .yaml)."""
    hint = api.rows_file_hint(data, form)
    if hint is not None:
        raise click.UsageError(hint)
    definition = load_form(form)
    try:
        filled = api.fill_to(output, definition, data, original=original, clear=clear, page_breaks=page_breaks,
                             full_resolution=full_resolution, verify=verify)
    except FormkitError as exc:
        raise FileFailed(f"{exc} [{exc.code}]") from None
    for warning in filled.warnings:
        click.echo(f"formkit: warning: {warning.message} [{warning.code}]", err=True)
    click.echo(f"formkit: wrote {output}", err=True)


@click.command("bulk")
@click.argument("form")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), help="Folder for the filled documents.")
@click.option("--zip", "zip_path", type=click.Path(dir_okay=False), help="Write one .zip archive instead of a folder.")
@click.option("--name", "pattern", default=None,
              help="File name pattern from the record's fields, {form} and {row} "
                   "[default: {office}-{form}.docx, or {form}-{row}.docx for a form without an office field].")
@click.option("--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (default: all cores).")
@click.option("--original", type=click.Path(dir_okay=False), help="Fill an office's own copy of the form.")
@click.option("--clear", is_flag=True, help="Empty the answers the --original copy already holds, then fill it.")
@_layout_options
def bulk_cmd(form: str, data: str, out_dir: str | None, zip_path: str | None, pattern: str | None, jobs: int,
             original: str | None, clear: bool, page_breaks: bool, full_resolution: bool, verify: bool) -> None:
    """One filled document per row of DATA (.csv, .xlsx or .jsonl)."""
    from formkit.read.batch import broken_pool
    from formkit.fill.bulk import check_name, default_name

    if bool(out_dir) == bool(zip_path):
        raise click.UsageError("give exactly one of -o DIR and --zip OUT.zip")
    definition = load_form(form)
    pattern = pattern or default_name(definition)
    try:
        check_name(pattern, definition)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--name") from None
    try:
        run = api.bulk_fill(definition, data, out_dir=out_dir or None, zip_path=zip_path or None, name=pattern,
                            jobs=jobs, original=original, clear=clear, page_breaks=page_breaks,
                            full_resolution=full_resolution, verify=verify)
        _show_rows(run)
    except FormkitError as exc:
        raise FileFailed(f"{exc} [{exc.code}]") from None
    except broken_pool():
        raise FileFailed(WORKER_DIED) from None
    total = run.written + run.failed
    click.echo(f"formkit: {total} row(s): {run.written} written, {run.failed} failed", err=True)
    if run.failed:
        raise FileFailed(f"{run.failed} of {total} row(s) failed")


def _show_rows(run: BulkRun) -> None:
    """A progress bar (on a terminal) and each failed row's error, as rows are done."""
    with run, click.progressbar(length=0, label="filling", file=sys.stderr, hidden=not sys.stderr.isatty()) as bar:
        for outcome in run:
            bar.update(1)
            if outcome.error is not None:
                click.echo(f"error: {outcome.error} [{outcome.error.code}]", err=True)
            for warning in outcome.warnings:
                click.echo(f"warning: {warning.message} [{warning.code}]", err=True)


COMMANDS = (fill_cmd, bulk_cmd)
