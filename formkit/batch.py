"""Batch parsing: many files, one output, progress and a summary on stderr."""
from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

import click

from .errors import FormkitError
from .output import atomic_write, csv_row, to_json, write_csv
from .parse import ParseResult, legacy_format, parse_file


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


def run_parse(
    files: list[str], form: str | None, output: str | None, fmt: str, convert: bool = True, jobs: int = 1
) -> int:
    """Parse ``files`` into ``output`` (stdout when None) with ``jobs`` worker
    processes (results keep the input order); return the number failed."""
    counts = {"ok": 0, "warned": 0, "failed": 0}
    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        converted = _preconvert(files, stack) if convert else {}
        if output:
            encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
            out: IO[str] = stack.enter_context(atomic_write(output, encoding=encoding, newline=""))
        else:
            out = sys.stdout
        first = True
        for data in _results(files, form, converted, convert, jobs, stack):
            _count(data, counts)
            if fmt == "jsonl":
                out.write(to_json(data, indent=None) + "\n")
                out.flush()
            elif fmt == "json" and len(files) == 1:
                out.write(to_json(data) + "\n")
            elif fmt == "json":
                out.write(("[\n" if first else ",\n") + to_json(data))
            else:
                rows.append(csv_row(data))
            first = False
        if fmt == "json" and len(files) > 1:
            out.write("\n]\n")
        if fmt == "csv":
            if not output:
                out.write("\ufeff")
            write_csv(rows, out)
    _summary(len(files), counts)
    return counts["failed"]


_CHUNK = 200  # legacy files converted per soffice process


def _preconvert(files: list[str], stack: ExitStack) -> dict[str, tuple[str, Path | FormkitError]]:
    """Convert every legacy .doc/.rtf/.odt of the batch up front, with one
    LibreOffice process per chunk (not one per file): path -> (kind, output
    or the error that file got)."""
    legacy = {path: kind for path in files if (kind := legacy_format(path))}
    if not legacy:
        return {}
    import tempfile

    from .convert import Converter

    out: dict[str, tuple[str, Path | FormkitError]] = {}
    try:
        converter = stack.enter_context(Converter(purpose="read .doc, .rtf and .odt files"))
    except FormkitError as exc:
        return {path: (kind, exc) for path, kind in legacy.items()}
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="formkit-parse-")))
    paths = list(legacy)
    for start in range(0, len(paths), _CHUNK):
        chunk = paths[start : start + _CHUNK]
        done = converter.convert([Path(p) for p in chunk], "docx", folder / str(start))
        out.update({p: (legacy[p], done[Path(p)]) for p in chunk})
    return out


Converted = dict[str, tuple[str, "Path | FormkitError"]]


def _parse_one(job: tuple[str, str | None, tuple[str, Path | FormkitError] | None, bool]) -> dict[str, Any]:
    """One file's result envelope (runs in a worker process when jobs > 1)."""
    path, form, converted, convert = job
    if converted is None:
        return parse_file(path, form=form, convert=convert).as_dict()
    kind, out = converted
    if isinstance(out, FormkitError):
        return ParseResult(path, error=out.with_file(path)).as_dict()
    return parse_file(out, path, form, converted_from=kind).as_dict()


_MIN_PER_WORKER = 8  # fewer files than this per worker: starting workers costs more than it saves


def _results(
    files: list[str], form: str | None, converted: Converted, convert: bool, jobs: int, stack: ExitStack
) -> Any:
    jobs_list = ((path, form, converted.get(path), convert) for path in files)
    if jobs > 1 and len(files) >= jobs * _MIN_PER_WORKER:
        pool = stack.enter_context(worker_pool(jobs))
        produced = pool.map(_parse_one, jobs_list, chunksize=16)
    else:
        produced = map(_parse_one, jobs_list)
    show = len(files) > 1
    with click.progressbar(
        produced, length=len(files), label="parsing", file=sys.stderr, show_pos=True,
        hidden=not show or not sys.stderr.isatty(),
    ) as bar:
        for data in bar:
            error = data["error"]
            if error:
                click.echo(f"error: {error['message']} [{error['code']}]", err=True)
            yield data


def _count(data: dict[str, Any], counts: dict[str, int]) -> None:
    if data["error"]:
        counts["failed"] += 1
    else:
        counts["ok"] += 1
        counts["warned"] += bool(data["warnings"])


def _summary(total: int, counts: dict[str, int]) -> None:
    click.echo(
        f"formkit: {total} file(s): {counts['ok']} parsed ({counts['warned']} with warnings),"
        f" {counts['failed']} failed",
        err=True,
    )
