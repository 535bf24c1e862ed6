"""``formkit bulk``: one filled document per row of a .csv, .xlsx or .jsonl.

Rows are read and validated in the main process (a bad row is reported with
its number and the rest go on), rendered by a :class:`~formkit.fill.filler.Filler`
built once per worker process (the template is derived and compiled once),
and written atomically: into the output folder (each document complete in a
hidden staging folder first, renamed into place a batch at a time after one
flush of the file system: see :class:`_Folder`), or into one zip archive
written atomically. With ``--jobs`` the workers write their documents into
the staging folder themselves, and the main process only names them (in row
order, as with one job).

On every way out (the end, a Ctrl-C, SIGTERM, a worker that died, an output
error) the workers have stopped before the staging folder is removed, so
none of them writes into it afterwards. An output that cannot be written (a
file in the way, a read-only folder, a full disk) stops the run with one
``cannot-write`` error naming the folder, archive or document: the archive
is not left behind, the staging folder is removed, and only documents
already complete in the output folder remain.
"""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
import zipfile
from collections import deque
from collections.abc import Generator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from formkit.docx.writer import DateTime, zip_time
from formkit.errors import FormkitError
from formkit.fill.filler import Filler, fill_warnings
from formkit.fill.verify import ReadBackError, render_checked
from formkit.forms import FormDef
from formkit.output import atomic_write_bytes, plain_reason, sync_folder
from formkit.warnings import Warning

if TYPE_CHECKING:
    from concurrent.futures import Future

    from formkit.fill.tabular import Row

_CHUNK = 8  # rows sent to a worker at a time
_WINDOW = 4  # chunks in flight per worker: rows are read and sent while the workers fill

@dataclass(frozen=True, slots=True)
class Job:
    """What every row of a run is filled into, and how: the form, an
    office's copy of it (``original``, its answers cleared first when
    ``clear``), the :class:`Filler` options, and the
    time of the run, which dates every document and archive entry; with
    ``verify`` every document is read back before it is written
    (:mod:`formkit.fill.verify`)."""

    form: FormDef
    original: str | None
    clear: bool
    page_breaks: bool
    full_resolution: bool
    when: DateTime
    verify: bool = True


_FILLERS: dict[tuple[str, str | None, bool, bool, bool], Filler] = {}


def _filler(job: Job) -> Filler:
    key = (str(job.form.folder), job.original, job.clear, job.page_breaks, job.full_resolution)
    if key not in _FILLERS:
        _FILLERS[key] = Filler(job.form, Path(job.original) if job.original else None, clear=job.clear,
                               page_breaks=job.page_breaks, full_resolution=job.full_resolution)
    return _FILLERS[key]


_JOB: Job | None = None  # in a worker: the run's job


def _set_job(job: Job) -> None:
    """Worker set-up: what every task of the run fills (sent once)."""
    global _JOB
    _JOB = job
    _filler(job)


def _render(job: Job, record: dict[str, Any]) -> bytes | FormkitError:
    try:
        return render_checked(_filler(job), record, None, job.when, job.verify)[0]
    except FormkitError as exc:
        return exc


def _render_chunk(rows: list[tuple[dict[str, Any], int]], staging: str | None) -> list[bytes | str | FormkitError]:
    """In a worker: the documents of a few rows (record, row number), each
    written into the staging folder when there is one (its path), else its
    bytes; or the error that kept it out."""
    assert _JOB is not None
    out: list[bytes | str | FormkitError] = []
    for record, number in rows:
        produced = _render(_JOB, record)
        if staging is not None and isinstance(produced, bytes):
            out.append(_stage(os.path.join(staging, f"row-{number}.docx"), produced))
        else:
            out.append(produced)
    return out


def _stage(path: str, data: bytes) -> str:
    """Write a document into the run's private staging folder (renamed into
    place only once complete, see :class:`_Folder`)."""
    with open(path, "wb") as fh:
        fh.write(data)
    return path


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """One row of a bulk fill: its number as the data file counts them (a line
    of JSON Lines, a row of a sheet), and the file name its document has in
    the folder or the archive, or the error that kept it out (the error names
    the data file and the row); ``warnings`` about its record
    (:func:`~formkit.fill.filler.fill_warnings`, each naming the row)."""

    row: int
    name: str | None = None
    error: FormkitError | None = None
    warnings: tuple[Warning, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None


class BulkRun:
    """The rows of one bulk fill as they are done: iterate for each row's
    :class:`RowOutcome` in row order; :attr:`written` and :attr:`failed`
    count the rows seen so far. Documents are renamed into the folder a batch
    at a time, so every named document is in place once the iteration has
    ended; stopping early (:meth:`close`, or leaving a ``with`` block) stops
    the workers and removes the staging folder, leaving only the documents
    already in place (and no archive). An output that cannot be written raises ``cannot-write``
    from the iteration."""

    def __init__(self, rows: Generator[RowOutcome, None, None]) -> None:
        self._rows = rows
        self.written = 0
        self.failed = 0

    def __iter__(self) -> BulkRun:
        return self

    def __next__(self) -> RowOutcome:
        outcome = next(self._rows)
        if outcome.ok:
            self.written += 1
        else:
            self.failed += 1
        return outcome

    def __enter__(self) -> BulkRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._rows.close()

    def finish(self) -> BulkRun:
        """Go through every remaining row; return the run, its counts complete."""
        for _ in self:
            pass
        return self


def default_name(form: FormDef) -> str:
    """The file name pattern ``bulk`` uses when given none: the office and
    the form, or (a form with no ``office`` field, as learned forms whose
    page header prints something) the form and the row number."""
    return "{office}-{form}.docx" if any(f.name == "office" for f in form.fields) else "{form}-{row}.docx"


def check_name(pattern: str, form: FormDef) -> None:
    """Refuse a file name pattern that names no field of ``form``
    (:class:`~formkit.fill.naming.Namer`'s ValueError), before any row is read."""
    from formkit.fill.naming import Namer

    Namer(pattern, fields=[f.name for f in form.fields])


def fill_rows(
    form: FormDef,
    data: Path,
    out_dir: Path | None,
    zip_path: Path | None,
    pattern: str,
    jobs: int,
    original: str | None,
    *,
    clear: bool = False,
    page_breaks: bool = True,
    full_resolution: bool = False,
    verify: bool = True,
) -> Generator[RowOutcome, None, None]:
    """Fill every row of ``data`` into ``out_dir`` or the archive
    ``zip_path`` (exactly one), yielding each row's outcome in row order;
    ``page_breaks`` and ``full_resolution`` as :class:`Filler` takes them.
    Documents and archive entries are dated with the time the run starts.
    A data file that cannot be read, or an original that holds answers
    (without ``clear``), raises before the first row."""
    from formkit.fill.naming import Namer
    from formkit.fill.tabular import read_rows

    job = Job(form, original, clear, page_breaks, full_resolution, zip_time(), verify)
    _filler(job)  # derive the template once, before any worker starts
    namer = Namer(pattern, max_bytes=200)
    rows = read_rows(data, form)
    folder = _Folder(out_dir) if out_dir is not None else None
    target = zip_path if zip_path is not None else out_dir
    try:
        with ExitStack() as stack:
            archive = _open_zip(stack, zip_path) if zip_path else None
            if folder is not None:
                stack.callback(folder.cleanup)
            written = 0
            for row, produced in _results(stack, job, rows, jobs, folder):
                outcome = _place(row, produced, data, job, namer, archive, folder)
                written += outcome.ok
                yield outcome
            if folder is not None and written:
                folder.flush()
                sync_folder(folder.path)
    except OSError as exc:
        raise cannot_write(exc, exc.filename if isinstance(exc, _DocumentError) else target, folder) from None


def _place(row: Row, produced: bytes | str | FormkitError | None, data: Path, job: Job, namer: Any,
           archive: zipfile.ZipFile | None, folder: _Folder | None) -> RowOutcome:
    """Name one row's document and put it in the archive or the folder, or say why it failed."""
    if row.error is not None:
        return RowOutcome(row.number, error=row.error)
    if isinstance(produced, FormkitError):
        message = f"{_row_name(data, row.number)}: {produced.message}"
        error = ReadBackError(message, str(data), produced.differences) if isinstance(produced, ReadBackError) \
            else FormkitError(produced.code, message, str(data))
        return RowOutcome(row.number, error=error)
    assert produced is not None and row.record is not None
    name = namer.name(row.record, job.form.id, row.number)
    if archive is not None:
        assert isinstance(produced, bytes)
        _uninterrupted(archive.writestr, zipfile.ZipInfo(name, job.when), produced)
    else:
        assert folder is not None
        folder.put(name, produced)
    where = _row_name(data, row.number)
    warnings = tuple(Warning(w.code, f"{where}: {w.message}", w.field) for w in fill_warnings(job.form, row.record))
    return RowOutcome(row.number, name, warnings=warnings)


def _row_name(data: Path, number: int) -> str:
    """How the data file's records are counted: lines of JSON Lines, rows of a sheet."""
    return f"{'line' if data.suffix.lower() in ('.jsonl', '.ndjson') else 'row'} {number}"


class _DocumentError(OSError):
    """An output error about one document of the folder (``filename``)."""


def cannot_write(exc: OSError, path: Path | str | None, folder: _Folder | None = None) -> FormkitError:
    """An output error as ``cannot-write``: the path, why, and what is left."""
    shown = str(path) if path is not None else str(exc.filename or "the output")
    reason, hint = plain_reason(shown, exc)
    placed = folder.placed if folder is not None else 0
    left = f"the {placed} document(s) already in it are complete, nothing else was written" if placed else \
        "nothing was written"
    return FormkitError("cannot-write", f"cannot be written: {reason}; {hint}; {left}", shown)


def _uninterrupted(write: Any, *args: Any) -> None:
    """Run ``write`` with Ctrl-C and SIGTERM held back until it returns: an
    interrupt inside zipfile's member write leaves a write handle open, and
    closing the archive on the way out would then raise ValueError over the
    interrupt. Held back, the interrupt arrives between members and the
    archive's temporary file is removed as usual."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks
        write(*args)
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        write(*args)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class _Folder:
    """The output folder, created on the first document. Every document is
    first complete in a hidden staging folder inside it (written there by the
    main process, or by a worker); documents are renamed into place a batch
    at a time, after one flush of the file system has put the batch's data on
    disk, so neither an interrupt nor a power failure can leave a partial or
    empty document under its final name, without one fsync per file. The
    staging folder, with whatever it still holds, is removed at the end."""

    BATCH = 256

    def __init__(self, path: Path) -> None:
        self.path = path
        self._staging: str | None = None
        self._pending: list[tuple[str, Path]] = []
        self._count = 0
        self.placed = 0  # documents renamed into place

    def staging(self) -> str:
        if self._staging is None:
            self.path.mkdir(parents=True, exist_ok=True)
            self._staging = tempfile.mkdtemp(prefix=".formkit-bulk-", dir=self.path)
        return self._staging

    def put(self, name: str, produced: bytes | str) -> None:
        if isinstance(produced, bytes):
            self._count += 1
            produced = _stage(os.path.join(self.staging(), f"main-{self._count}.docx"), produced)
        self._pending.append((produced, self.path / name))
        if len(self._pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        """Rename the staged batch into place, its data flushed to disk first."""
        if not self._pending:
            return
        if hasattr(os, "sync"):
            os.sync()
        else:  # pragma: no cover - Windows has no os.sync
            for staged, _ in self._pending:
                with open(staged, "rb+") as fh:
                    os.fsync(fh.fileno())
        for staged, target in self._pending:
            try:
                os.replace(staged, target)
            except OSError as exc:
                raise _DocumentError(exc.errno, exc.strerror, str(target)) from None
            self.placed += 1
        self._pending.clear()

    def cleanup(self) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)


def _open_zip(stack: ExitStack, path: Path) -> zipfile.ZipFile:
    fh = stack.enter_context(atomic_write_bytes(path))
    return stack.enter_context(zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED))


def _results(
    stack: ExitStack, job: Job, rows: Iterator[Row], jobs: int, folder: _Folder | None,
) -> Iterator[tuple[Row, bytes | str | FormkitError | None]]:
    """Each row with its document (bytes, or the path of the document a
    worker staged), the error rendering it got, or None for a row whose
    record was refused; in row order."""
    if jobs <= 1:
        for row in rows:
            yield row, None if row.record is None else _render(job, row.record)
        return
    from formkit.read.batch import worker_pool

    pool = stack.enter_context(worker_pool(jobs, _set_job, job))
    staging = folder.staging() if folder is not None else None
    window: deque[tuple[list[Row], Future[list[bytes | str | FormkitError]]]] = deque()

    def submit() -> bool:
        chunk = list(islice(rows, _CHUNK))
        if chunk:
            good = [(row.record, row.number) for row in chunk if row.record is not None]
            window.append((chunk, pool.submit(_render_chunk, good, staging)))
        return bool(chunk)

    more = True
    while more and len(window) < _WINDOW * jobs:
        more = submit()
    while window:
        chunk, future = window.popleft()
        more = more and submit()  # the workers never wait for the main process to read rows
        produced = iter(future.result())
        for row in chunk:
            yield row, None if row.record is None else next(produced)
