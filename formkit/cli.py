"""The ``formkit`` command line (click): the only module that talks to a terminal.

Each command calls one function of the Python API (:mod:`formkit.api`) and
turns what it returns into output, progress bars, messages and the exit
status: 0 every file fine; 1 one or more files failed (each reported,
every other file still in the output); 2 usage error. Heavy modules are
imported inside the commands, so ``formkit parse`` never loads the fill
machinery.
"""
from __future__ import annotations

import dataclasses
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from formkit import api
from formkit.errors import FormkitError

if TYPE_CHECKING:
    from formkit.read.batch import Tally
    from formkit.fill.bulk import BulkRun
    from formkit.read.parse import ParseResult

_WORKER_DIED = (
    "a worker process stopped unexpectedly (out of memory, or killed); nothing was written: "
    "run again, with --jobs 1 to find the file that causes it"
)


class FileFailed(click.ClickException):
    """One or more inputs failed: exit 1 after everything else was written."""

    exit_code = 1


# The season's commands (formkit/season/commands.py), defined only when one
# of them runs or the help lists them: the other commands never pay for them.
SEASON_COMMANDS = ("serve", "offices", "users", "ingest", "export", "season")


class _Formkit(click.Group):
    """The command group, with the season's commands added on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *SEASON_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in SEASON_COMMANDS and cmd_name not in self.commands:
            from formkit.season.commands import register

            register(self)
        return super().get_command(ctx, cmd_name)


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


@main.command("forms")
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


@main.command("schema")
@click.argument("form")
@click.option("--for", "purpose", type=click.Choice(["parse", "fill"]), default="parse", show_default=True,
              help="parse: the record parse writes; fill: the record fill accepts.")
def schema_cmd(form: str, purpose: str) -> None:
    """Print the JSON Schema of FORM's record, as parse writes it or as fill takes it."""
    from formkit.output import to_json

    definition = _load_form(form)
    if purpose == "fill":
        from formkit.fill.schema import fill_schema

        click.echo(to_json(fill_schema(definition)))
    else:
        from formkit.forms.schema import form_schema

        click.echo(to_json(form_schema(definition)))


def _load_form(form: str) -> Any:
    try:
        return api.open_form(form)
    except FormkitError as exc:
        raise click.BadParameter(exc.message, param_hint="FORM") from None


@main.command("parse")
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
        _load_form(form)
    files = list(expand_inputs(inputs, legacy=convert))
    if not files:
        raise click.UsageError("no Word documents found in the given folders")
    fmt = fmt or ("json" if len(files) == 1 else "jsonl")
    relative_to = Path(output).parent if output else None
    try:
        if photos_dir:
            _make_folder(photos_dir)
        with closing(api.parse_files(files, form=form, jobs=jobs, convert=convert, photos_dir=photos_dir or None,
                                     photos_relative_to=relative_to)) as results:
            tally = _write_parsed(results, len(files), output, fmt, form)
    except FormkitError as exc:  # the output cannot be written
        raise FileFailed(f"{exc} [{exc.code}]") from None
    except broken_pool():
        raise FileFailed(_WORKER_DIED) from None
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


_CONVERT_HELP = "Read .doc, .rtf and .odt through LibreOffice (as parse does)."


@main.command("score")
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


@main.command("report")
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


def _layout_options(command: Callable[..., None]) -> Callable[..., None]:
    """fill's and bulk's options for the attachment's layout (README, "Photos")."""
    command = click.option("--verify/--no-verify", default=True, show_default=True,
                           help="Parse each document back and compare it with its record before writing it.")(command)
    command = click.option("--full-resolution", is_flag=True,
                           help="Embed photos as they are, without scaling them down to 1600 pixels.")(command)
    return click.option("--page-breaks/--no-page-breaks", default=True, show_default=True,
                        help="Start each work after the first on a new page.")(command)


@main.command("fill")
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
    definition = _load_form(form)
    try:
        filled = api.fill_to(output, definition, data, original=original, clear=clear, page_breaks=page_breaks,
                             full_resolution=full_resolution, verify=verify)
    except FormkitError as exc:
        raise FileFailed(f"{exc} [{exc.code}]") from None
    for warning in filled.warnings:
        click.echo(f"formkit: warning: {warning.message} [{warning.code}]", err=True)
    click.echo(f"formkit: wrote {output}", err=True)


@main.command("bulk")
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
    definition = _load_form(form)
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
        raise FileFailed(_WORKER_DIED) from None
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


@main.command("inspect")
@click.argument("file")
@click.option("--form", "form", metavar="FORM", help="Read as this form.")
def inspect_cmd(file: str, form: str | None) -> None:
    """A readable account of one document: form, fields, boxes, warnings."""
    from formkit.read.inspect import report
    from formkit.read.parse import parse_file

    if form:
        _load_form(form)
    result = parse_file(file, form=form)
    click.echo(report(result))
    if result.error:
        raise FileFailed(str(result.error))


@main.command("preview")
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


@main.command("learn")
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


@main.command("check")
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
    definition = _load_form(form)
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


if __name__ == "__main__":  # pragma: no cover
    main()
