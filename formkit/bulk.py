"""``formkit bulk``: one filled document per row of a .csv, .xlsx or .jsonl.

Rows are read and validated in the main process (a bad row is reported with
its number and the rest go on), rendered by a :class:`~formkit.fill.Filler`
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

import io
import os
import shutil
import signal
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from .errors import FormkitError
from .fill import Filler
from .forms import FormDef
from .output import atomic_write_bytes, plain_reason, sync_folder

_FILLERS: dict[tuple[str, str | None], Filler] = {}


def _filler(form: FormDef, original: str | None) -> Filler:
    key = (str(form.folder), original)
    if key not in _FILLERS:
        _FILLERS[key] = Filler(form, Path(original) if original else None)
    return _FILLERS[key]


_JOB: tuple[FormDef, str | None] | None = None  # in a worker: the form and original of the run


def _set_job(form: FormDef, original: str | None) -> None:
    """Worker set-up: the form every task of the run fills (sent once)."""
    global _JOB
    _JOB = (form, original)
    _filler(form, original)


def _render(form: FormDef, original: str | None, record: dict[str, Any]) -> bytes | FormkitError:
    buf = io.BytesIO()
    try:
        _filler(form, original).render(record, buf)
    except FormkitError as exc:
        return exc
    return buf.getvalue()


def _render_job(record: dict[str, Any]) -> bytes | FormkitError:
    """In a worker: one row's document."""
    assert _JOB is not None
    return _render(*_JOB, record)


def _render_to(job: tuple[dict[str, Any], str, int]) -> str | FormkitError:
    """In a worker: render one row into the staging folder; its path or the error."""
    record, staging, number = job
    produced = _render_job(record)
    if isinstance(produced, FormkitError):
        return produced
    return _stage(os.path.join(staging, f"row-{number}.docx"), produced)


def _stage(path: str, data: bytes) -> str:
    """Write a document into the run's private staging folder (renamed into
    place only once complete, see :class:`_Folder`)."""
    with open(path, "wb") as fh:
        fh.write(data)
    return path


@dataclass(slots=True)
class Outcome:
    written: int = 0
    failed: int = 0


def run_bulk(
    form: FormDef,
    data: Path,
    out_dir: Path | None,
    zip_path: Path | None,
    pattern: str,
    jobs: int,
    original: str | None,
) -> Outcome:
    """Fill every row of ``data``; report bad rows; return the counts."""
    from .naming import Namer
    from .tabular import read_rows

    _filler(form, original)  # derive the template once, before any worker starts
    namer = Namer(pattern, max_bytes=200)
    outcome = Outcome()
    rows = read_rows(data, form)
    folder = _Folder(out_dir) if out_dir is not None else None
    target = zip_path if zip_path is not None else out_dir
    try:
        with ExitStack() as stack:
            archive = _open_zip(stack, zip_path) if zip_path else None
            if folder is not None:
                stack.callback(folder.cleanup)
            results = _results(stack, form, original, rows, jobs, outcome, folder)
            _write_all(results, data, form, namer, archive, folder, outcome)
            if folder is not None and outcome.written:
                folder.flush()
                sync_folder(folder.path)
    except OSError as exc:
        raise cannot_write(exc, exc.filename if isinstance(exc, _DocumentError) else target, folder) from None
    return outcome


def _write_all(results: Iterator[tuple[int, dict[str, Any], bytes | str | FormkitError]], data: Path,
               form: FormDef, namer: Any, archive: zipfile.ZipFile | None, folder: _Folder | None,
               outcome: Outcome) -> None:
    """Name every document and put it in the archive or the folder; report the failed rows."""
    with click.progressbar(length=0, label="filling", file=sys.stderr, hidden=not sys.stderr.isatty()) as bar:
        for number, record, produced in results:
            bar.update(1)
            if isinstance(produced, FormkitError):
                outcome.failed += 1
                click.echo(f"error: {data}: {_row_name(data, number)}: {produced.message} [{produced.code}]",
                           err=True)
                continue
            name = namer.name(record, form.id, number)
            if archive is not None:
                assert isinstance(produced, bytes)
                _uninterrupted(archive.writestr, zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), produced)
            else:
                assert folder is not None
                folder.put(name, produced)
            outcome.written += 1


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
    stack: ExitStack, form: FormDef, original: str | None, rows: Iterator[Any], jobs: int, outcome: Outcome,
    folder: _Folder | None,
) -> Iterator[tuple[int, dict[str, Any], bytes | str | FormkitError]]:
    """(row number, record, document bytes, or the path of the document a
    worker staged, or the error) in row order."""
    def good() -> Iterator[tuple[int, dict[str, Any]]]:
        for row in rows:
            if row.error is not None:
                outcome.failed += 1
                click.echo(f"error: {row.error} [{row.error.code}]", err=True)
            else:
                yield row.number, row.record

    if jobs <= 1:
        for number, record in good():
            yield number, record, _render(form, original, record)
        return
    from .batch import worker_pool

    pool = stack.enter_context(worker_pool(jobs, _set_job, form, original))
    pending = good()
    while True:
        chunk = [item for _, item in zip(range(256 * jobs), pending)]
        if not chunk:
            return
        produced: Iterator[bytes | str | FormkitError]
        if folder is not None:
            staging = folder.staging()
            produced = pool.map(_render_to, [(r, staging, n) for n, r in chunk], chunksize=16)
        else:
            produced = pool.map(_render_job, [r for _, r in chunk], chunksize=16)
        for (number, record), result in zip(chunk, produced):
            yield number, record, result

