"""``formkit preview``: a document rendered through LibreOffice."""
from __future__ import annotations

from pathlib import Path

import click

from formkit.commands import FileFailed
from formkit.errors import FormkitError


@click.command("preview")
@click.argument("file")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), metavar="OUT.pdf|OUT.png",
              help="A PDF, or a PNG of one page at 110 dpi.")
@click.option("--page", type=click.IntRange(min=1), metavar="N", help="The page rendered as PNG (default 1).")
@click.option("--all", "all_pages", is_flag=True, help="Every page as PNG: OUT-1.png, OUT-2.png ... (OUT-01.png ... from 10 pages).")
def preview_cmd(file: str, output: str, page: int | None, all_pages: bool) -> None:
    """Render a document through LibreOffice (headless) to look at it without Word.

    FILE is a .docx, .doc, .odt or .rtf document. Needs LibreOffice, and
    poppler-utils for PNG output.
    """
    from formkit.office.preview import PreviewUsageError, preview

    try:
        result = preview(Path(file), Path(output), page=page, all_pages=all_pages)
    except PreviewUsageError as exc:
        raise click.UsageError(str(exc)) from None
    except FormkitError as exc:
        raise FileFailed(str(exc)) from None
    for warning in result.warnings:
        click.echo(f"formkit: warning: {warning}", err=True)
    for written in result.written:
        click.echo(str(written))


COMMANDS = (preview_cmd,)
