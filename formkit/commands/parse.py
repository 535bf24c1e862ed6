"""``formkit parse``: completed forms into JSON records (the command whose
start-up counts most: its module defines nothing else)."""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

import click

from formkit import api
from formkit.commands import WORKER_DIED, FileFailed, load_form
from formkit.errors import FormkitError

if TYPE_CHECKING:
    from formkit.read.batch import Tally
    from formkit.read.parse import ParseResult


@click.command("parse")
@click.argument("inputs", nargs=-1, required=True, metavar="FILE|DIR...")
@click.option("--form", "form", metavar="FORM", help="Parse as this form (checked against the document).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv"]), help="Default: json for one file, jsonl for several.")
@click.option("--convert/--no-convert", default=True, show_default=True, help="Read .doc, .rtf and .odt through LibreOffice.")
@click.option("--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (default: all cores).")
@click.option("--photos", "photos_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Write each photo into DIR (once, named by its SHA-256) and give its path in the record "
                   "(relative to the -o file's folder), so the record can be filled again.")
def parse_cmd(
    inputs: tuple[str, ...], form: str | None, output: str | None, fmt: str | None, convert: bool, jobs: int,
    photos_dir: str | None,
) -> None:
    """Read completed forms into normalized JSON records."""
    from formkit.read.batch import broken_pool
    from formkit.read.inputs import expand_inputs

    if form:
        load_form(form)
    files = list(expand_inputs(inputs, legacy=convert))
    if not files:
        raise click.UsageError("no Word documents found in the given folders")
    fmt = fmt or ("json" if len(files) == 1 else "jsonl")
    relative_to = Path(output).parent if output else None
    try:
        if photos_dir:
            _make_folder(photos_dir)
        with closing(api.parse_files(files, form=form, jobs=jobs, convert=convert, photos_dir=photos_dir or None,
                                     photos_relative_to=relative_to, models=False)) as results:
            tally = _write_parsed(results, len(files), output, fmt, form)
    except FormkitError as exc:  # the output cannot be written
        raise FileFailed(f"{exc} [{exc.code}]") from None
    except broken_pool():
        raise FileFailed(WORKER_DIED) from None
    click.echo(tally.summary(), err=True)
    if tally.failed:
        raise FileFailed(f"{tally.failed} of {len(files)} file(s) failed")


def _make_folder(folder: str) -> None:
    """The --photos folder, made now: one clear error rather than one per file."""
    from formkit.output import write_error

    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        raise write_error(folder, exc, atomic=False) from None


def _write_parsed(results: Iterator[ParseResult], total: int, output: str | None, fmt: str,
                  form: str | None) -> Tally:
    """Every result into ``output`` (atomically) or stdout, a progress bar
    and each file's error on stderr as they come."""
    from formkit.read.batch import write_results
    from formkit.output import atomic_write

    if not output:
        if fmt == "csv":
            sys.stdout.write("\ufeff")  # what utf-8-sig writes into a file: Excel reads the Thai as UTF-8
        return write_results(_progress(results, total), sys.stdout, fmt, total == 1, form)
    with atomic_write(output, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as out:
        return write_results(_progress(results, total), out, fmt, total == 1, form)


def _progress(results: Iterator[ParseResult], total: int) -> Iterator[ParseResult]:
    if total < 2 or not sys.stderr.isatty():  # no bar to draw: click's terminal code is not even imported
        yield from _errors_shown(results)
        return
    with click.progressbar(results, length=total, label="parsing", file=sys.stderr, show_pos=True) as bar:
        yield from _errors_shown(bar)


def _errors_shown(results: Iterable[ParseResult]) -> Iterator[ParseResult]:
    for result in results:
        if result.error is not None:
            click.echo(f"error: {result.error} [{result.error.code}]", err=True)
        yield result


COMMANDS = (parse_cmd,)
