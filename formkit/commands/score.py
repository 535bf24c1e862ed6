"""``formkit score`` and ``formkit report``: parse output or Word files
scored by the rubric, and the committee's overview of a batch."""
from __future__ import annotations

import dataclasses
import sys
from collections.abc import Sequence
from typing import Any

import click

from formkit import api
from formkit.commands import FileFailed
from formkit.errors import FormkitError

_CONVERT_HELP = "Read .doc, .rtf and .odt through LibreOffice (as parse does)."


@click.command("score")
@click.argument("inputs", nargs=-1, required=True, metavar="RECORDS...")
@click.option("--judgments", type=click.Path(dir_okay=False), help="The committee's judgments (.jsonl or .csv).")
@click.option("--judgments-template", "template", type=click.Path(dir_okay=False), metavar="OUT.csv",
              help="Also write a CSV for the committee's judgments: one row per file of a judged form.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv"]), help="Default: json for one record, jsonl for several.")
@click.option("--convert/--no-convert", default=True, show_default=True, help=_CONVERT_HELP)
def score_cmd(inputs: tuple[str, ...], judgments: str | None, template: str | None, output: str | None,
              fmt: str | None, convert: bool) -> None:
    """Score parse output (json/jsonl, '-' for stdin) or Word files and folders by the rubric."""
    from formkit.output import atomic_write, write_error
    from formkit.score.scoring import scores_text

    run = _scored(inputs, judgments, convert)
    fmt = fmt or ("json" if len(run) == 1 else "jsonl")
    text = scores_text(run, fmt)
    try:
        if output:
            with atomic_write(output, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
                fh.write(text)
        else:
            try:
                sys.stdout.write(("\ufeff" if fmt == "csv" else "") + text)
                sys.stdout.flush()
            except OSError as exc:  # a full disk, a closed pipe
                raise write_error("<stdout>", exc, atomic=False) from None
        rows = api.write_judgments_template(run, template) if template else 0
    except FormkitError as exc:
        raise FileFailed(f"{exc} [{exc.code}]") from None
    for line in run.messages():
        click.echo(line, err=True)
    if template:
        click.echo(f"formkit: wrote {template}: {rows} row(s) for the committee's judgments", err=True)
    if run.failed:
        raise FileFailed(f"{run.failed} record(s) could not be scored")


def _scored(inputs: Sequence[Any], judgments: str | None, convert: bool) -> Any:
    """``score_results`` of the inputs ('-': stdin); a judgments or results
    file that cannot be used is a usage error."""
    from formkit.score.judgments import JudgmentsError
    from formkit.score.inputs import ResultsError

    try:
        return api.score_results(inputs, judgments, stdin=click.get_binary_stream("stdin"), convert=convert)
    except JudgmentsError as exc:
        raise click.BadParameter(str(exc), param_hint="--judgments") from None
    except ResultsError as exc:
        raise click.UsageError(str(exc)) from None


@click.command("report")
@click.argument("inputs", nargs=-1, required=True, metavar="RESULTS...")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for report.xlsx and report.html.")
@click.option("--judgments", type=click.Path(dir_okay=False), help="The committee's judgments, when RESULTS are parse output.")
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True,
              help="The report's language: Thai (Buddhist Era dates) or English.")
@click.option("--title", help="The report's title (default: รายงานผลการประเมินสำหรับคณะกรรมการ; en: Committee report).")
@click.option("--convert/--no-convert", default=True, show_default=True, help=_CONVERT_HELP)
def report_cmd(inputs: tuple[str, ...], out_dir: str, judgments: str | None, lang: str, title: str | None,
               convert: bool) -> None:
    """The committee's overview of a batch: an .xlsx workbook and one HTML page."""
    from formkit.score.inputs import ResultsError, load_inputs

    skipped: list[str] = []
    try:  # read (and parse) once; the parse records give each work's photo count
        results = load_inputs(inputs, click.get_binary_stream("stdin"), convert=convert, notes=skipped)
    except ResultsError as exc:
        raise click.UsageError(str(exc)) from None
    run = _scored(results, judgments, convert)
    run = dataclasses.replace(run, notes=(*skipped, *run.notes))
    try:
        written = api.write_report(run, out_dir, title=title, lang=lang, results=results)
    except FormkitError as exc:  # report.xlsx or report.html cannot be written
        raise FileFailed(f"{exc} [{exc.code}]") from None
    for line in run.messages():
        click.echo(line, err=True)
    for path in written:
        click.echo(str(path))
    if run.failed:
        raise FileFailed(f"{run.failed} record(s) could not be scored (listed in the report)")


COMMANDS = (score_cmd, report_cmd)
