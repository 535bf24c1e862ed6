"""Batch parsing: many files in, their results out in order, and the worker
pools that parse and bulk share.

Nothing here talks to a terminal: :func:`parse_files` yields each result as
it is ready and :func:`write_results` writes them to a stream it is given;
the command line draws the progress bar and prints the summary
(:meth:`Tally.summary`).
"""
from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

from formkit.errors import FormkitError
from formkit.read.inputs import expand_inputs
from formkit import forms as formdefs
from formkit.forms import FormDef
from formkit.output import atomic_write, to_json
from formkit.docx.reader import collector_paused
from formkit.read.parse import ParseResult, legacy_format, parse_file
from formkit.read.photos import PhotoFolder, photo_folder
from formkit.read.table import write_table


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _worker_start(setup: Callable[..., None] | None = None, *args: Any) -> None:
    """In each new worker: leave Ctrl-C to the main process (which stops
    the pool) and die quietly on SIGTERM (the CLI's handler, inherited
    through fork, would make each print a KeyboardInterrupt traceback); only
    then take the signals held back while the worker was forked (a Ctrl-C
    sent meanwhile is dropped, a SIGTERM ends it); then the run's own
    ``setup(*args)``, once per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    if setup is not None:
        setup(*args)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back (delivered on leaving): a process forked
    meanwhile starts with them blocked, so none arrives in a worker before
    :func:`_worker_start` has set its handlers, and none interrupts the pool
    half-way through starting its workers (a pool whose manager thread
    never started cannot be shut down: its workers would be joined for ever
    at exit)."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextmanager
def worker_pool(jobs: int, setup: Callable[..., None] | None = None, *args: Any) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers are all started before it is used
    (forked with Ctrl-C and SIGTERM held back: :func:`_signals_held`) and
    that, when the run is interrupted or fails, drops the queued work and
    waits for the workers to finish the task in hand and exit, so nothing
    they do comes after the caller's clean-up (multiprocessing is imported
    only here, when a run uses a pool). ``setup(*args)`` runs once in each
    worker: what every task shares is sent once, not with each task."""
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start, initargs=(setup, *args))
    try:
        with _signals_held():
            pool.submit(os.getpid)  # starts the workers (with fork, all of them) and the manager thread
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


class _NeverRaised(Exception):
    """Stands for BrokenProcessPool in a run that started no pool."""


def broken_pool() -> type[BaseException]:
    """``BrokenProcessPool``, for an ``except`` clause, without importing
    multiprocessing in a run that never started a pool (``except`` evaluates
    its expression only when an exception reaches it)."""
    module = sys.modules.get("concurrent.futures.process")
    broken: type[BaseException] = module.BrokenProcessPool if module is not None else _NeverRaised
    return broken


def default_jobs() -> int:
    """All the cores this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


class Tally:
    """How the files of a batch came out, counted as their results are written."""

    __slots__ = ("ok", "warned", "failed")

    def __init__(self) -> None:
        self.ok = self.warned = self.failed = 0

    def add(self, result: ParseResult) -> None:
        if result.error is not None:
            self.failed += 1
        else:
            self.ok += 1
            self.warned += bool(result.warnings)

    @property
    def total(self) -> int:
        return self.ok + self.failed

    def summary(self) -> str:
        """The summary line ``formkit parse`` ends with."""
        return (f"formkit: {self.total} file(s): {self.ok} parsed ({self.warned} with warnings),"
                f" {self.failed} failed")


def write_results(results: Iterable[ParseResult], out: IO[str], fmt: str, single: bool,
                  form: str | None = None) -> Tally:
    """Write parse results to ``out`` as they come: ``jsonl`` one line each
    (flushed, so a reader sees each file as it finishes), ``json`` one object
    (``single``) or a list, ``csv`` one table once all are in
    (:mod:`formkit.read.table`; ``form``, the form the parse was forced to,
    gives its columns when it is not on the search path). The caller writes
    the BOM a CSV stream needs."""
    tally = Tally()
    rows: list[dict[str, Any]] = []
    first = True
    for result in results:
        tally.add(result)
        if fmt == "jsonl":
            line = result.line if result.line is not None else to_json(result.as_dict(), indent=None)
            out.write(line + "\n")
            out.flush()
            first = False
            continue
        data = result.as_dict()
        if fmt == "json" and single:
            out.write(to_json(data) + "\n")
        elif fmt == "json":
            out.write(("[\n" if first else ",\n") + to_json(data))
        else:
            rows.append(data)
        first = False
    if fmt == "json" and not single:
        out.write("\n]\n")
    if fmt == "csv":
        write_table(rows, out, _definitions(form))
    return tally


def _definitions(form: str | None) -> Callable[[str], FormDef]:
    """A form id's definition: the forced ``form`` (an id or a folder), or
    the one on the search path."""
    forced = formdefs.load(form) if form else None

    def definition(form_id: str) -> FormDef:
        return forced if forced is not None and forced.id == form_id else formdefs.load_id(form_id)

    return definition


def run_parse(
    files: list[str], form: str | None, output: str, fmt: str, convert: bool = True, jobs: int = 1
) -> int:
    """``formkit parse FILES -o OUTPUT`` without the terminal: parse into the
    file ``output`` (written atomically); return the number failed. The
    benchmarks time this, the command's own path without start-up."""
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with atomic_write(output, encoding=encoding, newline="") as out:
        results = parse_files(files, form=form, jobs=jobs, convert=convert, models=False)
        return write_results(results, out, fmt, len(files) == 1, form).failed


def parse_files(
    paths: Iterable[str | os.PathLike[str]], *, form: str | None = None, jobs: int = 1, convert: bool = True,
    photos_dir: str | os.PathLike[str] | None = None, photos_relative_to: str | os.PathLike[str] | None = None,
    models: bool = True,
) -> Generator[ParseResult, None, None]:
    """Parse every file (folders walked, see :mod:`formkit.read.inputs`), yielding
    each result as it is ready, in the input order, with ``jobs`` worker
    processes. Legacy .doc/.rtf/.odt files are converted up front, a chunk
    per LibreOffice process, when ``convert``. With ``photos_dir``, photos
    are written there (see :func:`~formkit.read.parse.parse_file`). Results
    made in a worker, and every result when not ``models``, carry the
    envelope only (``recognition``, ``located`` and ``document`` stay None:
    the document model is not sent back between processes, nor kept), and
    where each field was found (:meth:`ParseResult.places`). Closing the
    generator early stops the workers and removes the conversions, wherever
    the caller was interrupted."""
    files = list(expand_inputs(paths, legacy=convert))
    photos = photo_folder(photos_dir, photos_relative_to)
    with ExitStack() as stack:
        converted = _preconvert(files, stack) if convert else {}
        # each file was sniffed once above: one that is not converted is not sniffed again
        jobs_list = ((path, form, converted.get(path), False, photos) for path in files)
        if jobs > 1 and len(files) >= jobs * _MIN_PER_WORKER:
            pool = stack.enter_context(worker_pool(jobs))
            yield from pool.map(_parse_envelope, jobs_list, chunksize=16)
        else:
            yield from map(_parse_one if models else _parse_envelope, jobs_list)


_CHUNK = 200  # legacy files converted per soffice process


def _preconvert(files: list[str], stack: ExitStack) -> dict[str, tuple[str, Path | FormkitError]]:
    """Convert every legacy .doc/.rtf/.odt of the batch up front, with one
    LibreOffice process per chunk (not one per file): path -> (kind, output
    or the error that file got)."""
    legacy = {path: kind for path in files if (kind := legacy_format(path))}
    if not legacy:
        return {}
    import tempfile

    from formkit.office.convert import Converter
    from formkit.office.odf_fields import rewrite as odf_rewrite

    out: dict[str, tuple[str, Path | FormkitError]] = {}
    try:
        converter = stack.enter_context(Converter(purpose="read .doc, .rtf and .odt files", rewrite=odf_rewrite))
    except FormkitError as exc:
        return {path: (kind, exc) for path, kind in legacy.items()}
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="formkit-parse-")))
    paths = list(legacy)
    for start in range(0, len(paths), _CHUNK):
        chunk = paths[start : start + _CHUNK]
        done = converter.convert([Path(p) for p in chunk], "docx", folder / str(start))
        out.update({p: (legacy[p], done[Path(p)]) for p in chunk})
    return out


# path, form, converted, convert, photos
_Job = tuple[str, str | None, tuple[str, Path | FormkitError] | None, bool, PhotoFolder | None]


def _parse_one(job: _Job) -> ParseResult:
    """One file's result."""
    path, form, converted, convert, photos = job
    folder, relative_to = (photos.folder, photos.relative_to) if photos else (None, None)
    if converted is None:
        return parse_file(path, form=form, convert=convert, photos_dir=folder, photos_relative_to=relative_to)
    kind, out = converted
    if isinstance(out, FormkitError):
        return ParseResult(path, error=out.with_file(path))
    return parse_file(out, path, form, converted_from=kind, photos_dir=folder, photos_relative_to=relative_to)


def _parse_envelope(job: _Job) -> ParseResult:
    """One file's result without the document model, its JSON Lines line
    made here (in a worker process, where the work is shared out). The
    model is freed before the garbage collector runs again: a collection
    while it is alive would walk all of its objects for nothing."""
    with collector_paused():
        result = _parse_one(job)
        envelope = ParseResult(result.file, result.form, result.record, result.warnings, result.error,
                               saved_by=result.saved_by, found_at=result.places())
        del result
    envelope.line = to_json(envelope.as_dict(), indent=None)
    return envelope


_MIN_PER_WORKER = 8  # fewer files than this per worker: starting workers costs more than it saves
