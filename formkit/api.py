"""The public Python API: what the ``formkit`` command line does, as functions.

Each function is a thin layer over the module that does the work, and each
command (:mod:`formkit.commands`) calls exactly one of them, so the command
line and a program (the season web app, an office's script) share one code
path. Nothing here prints, prompts or exits: results are values, progress
is an iterator (:func:`parse_files` yields each file's result as it is
ready, :func:`bulk_fill` each row's outcome), and a failure is a
:class:`~formkit.errors.FormkitError` with its stable code (a bad file in a
batch is that file's result, the rest go on). A ValueError means an argument
that can never work (both ``out_dir`` and ``zip_path``, a name pattern with
an unknown field).

The names avoid the package's module names (``fill``, ``bulk``, ``score``,
``learn``, ``check``): Python sets a package attribute to a submodule when
it first imports it, so a function ``formkit.fill.filler`` would turn into the
module ``formkit.fill.filler`` half-way through a program. Heavy modules are
imported inside the functions, so touching one costs nothing until it runs.
"""
from __future__ import annotations

import os
from collections.abc import Generator, Iterable, Mapping
from pathlib import Path
from typing import Any, IO, TYPE_CHECKING, TypeAlias

from formkit.errors import FormkitError
from formkit.values import NamedTuple, compare_by_type

if TYPE_CHECKING:
    from formkit.forms import FormDef
    from formkit.fill.bulk import BulkRun
    from formkit.learn.check import Finding
    from formkit.learn.roundtrip import Mismatch
    from formkit.learn.model import Draft
    from formkit.read.parse import ParseResult
    from formkit.score.scoring import Judgments, Score, ScoreRun
    from formkit.score.inputs import Input
    from formkit.warnings import Warning

__all__ = [
    "CheckReport", "FilledDocument", "FilledRecord", "LearnedForm", "bulk_fill", "check_form", "fill_bytes",
    "fill_to", "learn_form", "open_form", "parse_files", "score_results", "write_judgments_template", "write_report",
]

Form: TypeAlias = "str | os.PathLike[str] | FormDef"
Record: TypeAlias = "Mapping[str, Any] | str | os.PathLike[str]"


def open_form(form: Form) -> FormDef:
    """The form definition ``form``: a form id (searched for as ``parse``
    does), a folder holding form.yaml or the form.yaml itself (a
    :class:`~pathlib.Path`, or text with a "/" or ending in .yaml), or a
    :class:`~formkit.forms.FormDef` (returned as it is). Raises
    ``no-such-form`` or ``bad-form-definition``.

    >>> [f.name for f in open_form("esao-1-2").fields][:3]
    ['level', 'process', 'problems']
    """
    from formkit.forms import FormDef, load, load_path

    if isinstance(form, FormDef):
        return form
    return load(form) if isinstance(form, str) else load_path(Path(form))


def _form_arg(form: Form | None) -> str | None:
    """A form for parse_file's ``form=``: checked now (so a wrong one raises
    here, not once per file), then passed on by id or folder."""
    if form is None:
        return None
    definition = open_form(form)
    return form if isinstance(form, str) else str(definition.folder)


def parse_files(
    paths: Iterable[str | os.PathLike[str]], *, form: Form | None = None, jobs: int = 1, convert: bool = True,
    photos_dir: str | os.PathLike[str] | None = None, photos_relative_to: str | os.PathLike[str] | None = None,
    models: bool = True,
) -> Generator[ParseResult, None, None]:
    """Parse many documents: each result as it is ready, in the order given.

    Folders are walked for Word documents (and, with ``convert``, .doc, .rtf
    and .odt, converted up front by one LibreOffice process per 200 files).
    ``jobs`` worker processes parse in parallel (0: one per core); results
    made in a worker hold the envelope only (``document``, ``located`` and
    ``recognition`` are None), and so does every result with ``models=False``:
    each document model is then freed as soon as its record is made (a batch
    that only needs the records runs faster and in less memory). A file that cannot be read is its result's
    ``error``; ``form`` (checked first: a wrong one raises) forces the form.
    Files are read as the results are taken; ``close()`` the generator (or
    use :func:`contextlib.closing`) to stop early: the workers stop too.
    With ``photos_dir``, each photo is written there once, named by its
    SHA-256, and each record's photo entry is ``{"path", "sha256",
    "media_type"}``: the record can be given to :func:`fill_to` again. The
    path is relative to ``photos_relative_to`` (the folder the record is
    written to) when given, else ``photos_dir`` as given joined with the
    name (relative to the working folder when ``photos_dir`` is).

    >>> [r.form for r in parse_files(["samples/esao-1-2/over-dots.docx", "samples/esao-3-1"])][:3]
    ['esao-1-2', 'esao-3-1', 'esao-3-1']
    """
    from formkit.read.batch import default_jobs, parse_files as run

    return run(paths, form=_form_arg(form), jobs=jobs or default_jobs(), convert=convert, photos_dir=photos_dir,
               photos_relative_to=photos_relative_to, models=models)


# data files of many records: bulk's, never one record for fill
ROWS_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods", ".jsonl", ".ndjson")


def rows_file_hint(path: str | os.PathLike[str], form: str, python: bool = False) -> str | None:
    """What to say when fill is given a file of many records (by its
    suffix), or None for any other file."""
    suffix = Path(path).suffix.lower()
    if suffix not in ROWS_SUFFIXES:
        return None
    return (f"{os.fspath(path)} is a {suffix} file of records (one per row), and fill fills one record "
            f"(.json or .yaml). To fill one document per row, run: formkit bulk {form} {os.fspath(path)} -o DIR"
            + (" (bulk_fill in Python)" if python else ""))


def _record(definition: FormDef, record: Record) -> dict[str, Any]:
    """A record to fill: a dict checked as a data file's record is (photo
    paths relative to the working folder), or a .json/.yaml file read and
    checked (photos relative to it). A parse result gives its record. A
    spreadsheet or JSON Lines file is refused, pointing to bulk."""
    from formkit.fill.records import read_record, unwrap, validate

    if not isinstance(record, Mapping):
        hint = rows_file_hint(record, definition.id, python=True)
        if hint is not None:
            raise FormkitError("bad-data", hint)
        return read_record(record, definition)
    data, form_id = unwrap(dict(record), "the record")
    if form_id is not None and form_id != definition.id:
        raise FormkitError("bad-data", f"a parse result of form {form_id}, not {definition.id}")
    return validate(definition, data)


def _filler(definition: FormDef, original: str | os.PathLike[str] | None, clear: bool, page_breaks: bool,
            full_resolution: bool) -> Any:
    from formkit.fill.filler import Filler

    return Filler(definition, Path(original) if original is not None else None, clear=clear,
                  page_breaks=page_breaks, full_resolution=full_resolution)


class FilledDocument(bytes):
    """The bytes of a filled .docx, with ``warnings``: what filling its
    record warned about (README, "Warning codes")."""

    warnings: list[Warning]


class FilledRecord(dict[str, Any]):
    """The canonical record of a filled document (what parsing it gives
    back), with ``warnings``: what filling the record warned about."""

    warnings: list[Warning]


def fill_bytes(
    form: Form, record: Record, *, original: str | os.PathLike[str] | None = None, clear: bool = False,
    page_breaks: bool = True, full_resolution: bool = False, verify: bool = True,
) -> FilledDocument:
    """The filled .docx of ``record`` (a dict, or a .json/.yaml file), from
    the form's original or an office's copy of it (``original``). A record
    that does not fit the form raises ``bad-data`` naming each field; an
    original that already holds answers raises ``original-has-answers``,
    unless ``clear`` empties them first. ``page_breaks``: each work after
    the first starts a new page; ``full_resolution``: photos are embedded
    without scaling them down (README, "Photos"); ``verify``: the document
    is parsed back and compared with the record first (a difference raises
    ``verify-failed``, naming each field: :mod:`formkit.fill.verify`).
    ``.warnings`` on the result.

    >>> from formkit import parse_file
    >>> data = fill_bytes("esao-1-2", {"level": 4, "process": "จัดอบรม & ติดตามผล"})
    >>> parse_file(data).record["process"], data.warnings
    ('จัดอบรม & ติดตามผล', [])
    """
    from formkit.fill.filler import fill_warnings
    from formkit.fill.verify import render_checked

    definition = open_form(form)
    clean = _record(definition, record)
    filler = _filler(definition, original, clear, page_breaks, full_resolution)
    out = FilledDocument(render_checked(filler, clean, verify=verify)[0])
    out.warnings = fill_warnings(definition, clean)
    return out


def fill_to(
    path: str | os.PathLike[str], form: Form, record: Record, *, original: str | os.PathLike[str] | None = None,
    clear: bool = False, page_breaks: bool = True, full_resolution: bool = False, verify: bool = True,
) -> FilledRecord:
    """Fill ``record`` into the file ``path`` (written atomically: a
    temporary file renamed into place); return the canonical record, what
    parsing the document gives back, with ``.warnings``. Options as
    :func:`fill_bytes` takes them; with ``verify``, a document that does not
    read back as its record raises ``verify-failed`` and nothing is written
    at ``path``.

    >>> fill_to("filled.docx", "esao-3-1", "samples/esao-3-1/record-1.json")["level"]
    2
    """
    from formkit.fill.filler import fill_warnings
    from formkit.fill.verify import render_checked
    from formkit.output import atomic_write_bytes

    definition = open_form(form)
    clean = _record(definition, record)
    filler = _filler(definition, original, clear, page_breaks, full_resolution)
    data, canon = render_checked(filler, clean, os.fspath(path), verify=verify)
    with atomic_write_bytes(path) as fh:
        fh.write(data)
    out = FilledRecord(canon)
    out.warnings = fill_warnings(definition, clean)
    return out


def bulk_fill(
    form: Form,
    data: str | os.PathLike[str],
    *,
    out_dir: str | os.PathLike[str] | None = None,
    zip_path: str | os.PathLike[str] | None = None,
    name: str = "{form}-{row}.docx",
    jobs: int = 1,
    original: str | os.PathLike[str] | None = None,
    clear: bool = False,
    page_breaks: bool = True,
    full_resolution: bool = False,
    verify: bool = True,
) -> BulkRun:
    """One filled document per row of ``data`` (.csv, .xlsx or .jsonl), into
    the folder ``out_dir`` or the archive ``zip_path`` (exactly one), named
    by the pattern ``name`` ({form}, {row} and the record's fields); options
    as :func:`fill_bytes` takes them. Documents and archive entries are dated
    with the time the run starts. With ``verify`` each document is parsed
    back and compared with its row's record before it is written: a
    difference fails that row (``verify-failed``, each field named) and
    leaves nothing of it; the other rows go on.

    Returns a :class:`~formkit.fill.bulk.BulkRun`: iterate it for each row's
    :class:`~formkit.fill.bulk.RowOutcome` (row number, file name or error,
    warnings), in row order, as rows are done; ``finish()`` runs the rest;
    ``written`` and ``failed`` count them. Nothing is read before the
    iteration starts (an original that holds answers raises then).

    >>> run = bulk_fill("esao-1-2", "samples/esao-1-2/bulk.csv", out_dir="filled").finish()
    >>> run.written, run.failed
    (5, 0)
    """
    from formkit.read.batch import default_jobs
    from formkit.fill.bulk import BulkRun, check_name, fill_rows

    if (out_dir is None) == (zip_path is None):
        raise ValueError("give exactly one of out_dir and zip_path")
    definition = open_form(form)
    check_name(name, definition)
    rows = fill_rows(
        definition, Path(data), Path(out_dir) if out_dir is not None else None,
        Path(zip_path) if zip_path is not None else None, name, jobs or default_jobs(),
        os.fspath(original) if original is not None else None, clear=clear, page_breaks=page_breaks,
        full_resolution=full_resolution, verify=verify,
    )
    return BulkRun(rows)


def score_results(
    results: Iterable[Input], judgments: Judgments | None = None, *, stdin: IO[bytes] | None = None,
    convert: bool = True,
) -> ScoreRun:
    """Score parse results by their form's rubric.

    ``results`` may mix parse or score results (dicts, :class:`ParseResult`),
    files of them (.json, .jsonl: what ``formkit parse`` writes) and
    documents or folders, parsed first as :func:`parse_files` parses them
    (.doc, .rtf and .odt converted when ``convert``; a PDF or a workbook is
    one entry that cannot be scored, naming it); ``"-"`` reads ``stdin`` when given.
    ``judgments`` (the committee's, for rubrics that need them) is a .jsonl or
    .csv file or the rows (``{"file", "done": [...], "clear": [...]}``).
    An entry that cannot be scored is a score with ``level`` and ``basis``
    None and the reason; judgments or a results file that cannot be used
    raise (``bad-input``, ``not-found`` ...). Returns a
    :class:`~formkit.score.scoring.ScoreRun`: the scores in order (iterate or index
    it) and the notes about judgments.

    >>> run = score_results(["samples/esao-3-1/three-works.json"])
    >>> run[0].basis, run[0].level, run[0].self_assessed
    ('rubric', 2, 3)
    """
    from formkit.score.scoring import score_inputs

    return score_inputs(results, judgments, stdin, convert=convert)


def write_judgments_template(scores: Iterable[Score], path: str | os.PathLike[str]) -> int:
    """Write the committee's judgments template for ``scores`` (a
    :class:`ScoreRun` or :class:`~formkit.score.scoring.Score` values) to the
    CSV file ``path`` (atomically; UTF-8 with a BOM): one row per file of a
    form whose rubric the committee judges, with the columns ``judgments``
    reads (file, done1..N, clear1..N, note), marks left blank. Returns the
    number of rows.

    >>> write_judgments_template(score_results(["samples/esao-1-2"]), "judgments.csv")
    15
    """
    from formkit.score.judgments_template import write_template

    return write_template(scores, path)


def write_report(
    scores: Iterable[Score], out_dir: str | os.PathLike[str], *, title: str | None = None, lang: str = "th",
    results: Iterable[Mapping[str, Any]] = (),
) -> tuple[Path, Path]:
    """Write the committee's report of ``scores`` (a :class:`ScoreRun` or
    :class:`~formkit.score.scoring.Score` values) into ``out_dir``: report.xlsx and
    report.html, each atomically; return their paths. ``lang`` is "th"
    (Thai, Buddhist Era dates; the default) or "en"; ``title`` defaults to
    the language's. ``results``, the parse results that were scored (dicts
    as ``formkit parse`` writes them), add each work's photo count.

    >>> xlsx, page = write_report(score_results(["samples/esao-3-1"]), "report")
    >>> xlsx.name, page.name
    ('report.xlsx', 'report.html')
    """
    from formkit.score.report import write_report as write

    return write(scores, out_dir, title, lang, results)


class LearnedForm(NamedTuple):
    """A drafted form definition: the ``draft`` (proposed fields), its
    form.yaml ``text`` (every guess a ``# CHECK:`` comment), and the
    ``folder`` it was written to (None when only drafted)."""

    draft: Draft
    text: str
    folder: Path | None = None

    @property
    def checks(self) -> int:
        """How many ``# CHECK:`` comments the draft holds."""
        return self.text.count("# CHECK:")


def learn_form(
    original: str | os.PathLike[str], form_id: str, out_dir: str | os.PathLike[str] | None = None, *,
    force: bool = False,
) -> LearnedForm:
    """Draft a form definition from ``original``, a blank Word form (.doc,
    .rtf and .odt converted by LibreOffice). With ``out_dir``, write
    form.yaml and original.docx there (an existing form.yaml only with
    ``force``); the written definition is loaded back before this returns.

    >>> learned = learn_form("forms/esao-1-2/original.docx", "my-form")
    >>> [(f.kind, f.name) for f in learned.draft.fields][:2], learned.folder
    ([('level', 'level'), ('section', 'process_method')], None)
    """
    from formkit.learn.write import write_draft

    folder = Path(out_dir) if out_dir is not None else None
    text, draft = write_draft(Path(original), form_id, folder, force)
    return LearnedForm(draft, text, folder)


class CheckReport(NamedTuple):
    """What :func:`check_form` found: each anchor of the definition
    (``findings``: found where, or missing with the nearest printed line);
    with a round trip, how many generated ``records`` were filled and parsed
    back, each field that came back different (``mismatches``), or the
    error that stopped the round trip (``roundtrip_error``)."""

    form: FormDef
    findings: tuple[Finding, ...]
    records: int = 0
    mismatches: tuple[Mismatch, ...] = ()
    roundtrip_error: FormkitError | None = None

    @property
    def missing(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.ok)

    @property
    def changed(self) -> int:
        """How many generated records did not come back unchanged."""
        return len({m.number for m in self.mismatches})

    @property
    def ok(self) -> bool:
        return not self.missing and not self.changed and self.roundtrip_error is None


def check_form(
    form: Form, *, original: str | os.PathLike[str] | None = None, roundtrip: int = 0, seed: int = 0
) -> CheckReport:
    """Look for every anchor of ``form`` in its original (or an office's copy,
    ``original``); with ``roundtrip``, also fill that many records generated
    from the definition (``seed``) and parse them back. An original that
    cannot be read raises.

    >>> report = check_form("esao-1-2", roundtrip=2)
    >>> report.ok, report.records, len(report.missing)
    (True, 2, 0)
    """
    from formkit.learn.check import check
    from formkit.learn.roundtrip import roundtrip as run_roundtrip

    definition = open_form(form)
    where = Path(original) if original is not None else None
    findings = tuple(check(definition, where))
    if not roundtrip:
        return CheckReport(definition, findings)
    try:
        mismatches = tuple(run_roundtrip(definition, roundtrip, where, seed))
    except FormkitError as exc:
        return CheckReport(definition, findings, roundtrip, roundtrip_error=exc)
    return CheckReport(definition, findings, roundtrip, mismatches)


compare_by_type(LearnedForm)
compare_by_type(CheckReport)
