"""``formkit bulk``: one filled document per row of a .csv, .xlsx or .jsonl.

Rows are read and validated in the main process (a bad row is reported with
its number and the rest go on), rendered by a :class:`~formkit.fill.Filler`
built once per worker process (the template is derived and compiled once),
and written by the main process: each file atomically into the output
folder, or into one zip archive written atomically.
"""
from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from .errors import FormkitError
from .batch import worker_pool
from .fill import Filler
from .forms import FormDef
from .output import atomic_write_bytes

_FILLERS: dict[tuple[str, str | None], Filler] = {}


def _filler(form: FormDef, original: str | None) -> Filler:
    key = (str(form.folder), original)
    if key not in _FILLERS:
        _FILLERS[key] = Filler(form, Path(original) if original else None)
    return _FILLERS[key]


def _render(job: tuple[FormDef, str | None, dict[str, Any]]) -> bytes | FormkitError:
    form, original, record = job
    buf = io.BytesIO()
    try:
        _filler(form, original).render(record, buf)
    except FormkitError as exc:
        return exc
    return buf.getvalue()


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
    with ExitStack() as stack:
        archive = _open_zip(stack, zip_path) if zip_path else None
        results = _results(stack, form, original, rows, jobs, outcome)
        with click.progressbar(length=0, label="filling", file=sys.stderr, hidden=not sys.stderr.isatty()) as bar:
            for number, record, produced in results:
                bar.update(1)
                if isinstance(produced, FormkitError):
                    outcome.failed += 1
                    click.echo(f"error: {data}: row {number}: {produced.message} [{produced.code}]", err=True)
                    continue
                name = namer.name(record, form.id, number)
                if archive is not None:
                    archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), produced)
                else:
                    assert out_dir is not None
                    with atomic_write_bytes(out_dir / name) as fh:
                        fh.write(produced)
                outcome.written += 1
    return outcome


def _open_zip(stack: ExitStack, path: Path) -> zipfile.ZipFile:
    fh = stack.enter_context(atomic_write_bytes(path))
    return stack.enter_context(zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED))


def _results(
    stack: ExitStack, form: FormDef, original: str | None, rows: Iterator[Any], jobs: int, outcome: Outcome
) -> Iterator[tuple[int, dict[str, Any], bytes | FormkitError]]:
    """(row number, record, document bytes or error) in row order."""
    def good() -> Iterator[tuple[int, dict[str, Any]]]:
        for row in rows:
            if row.error is not None:
                outcome.failed += 1
                click.echo(f"error: row {row.number}: {row.error.message} [{row.error.code}]", err=True)
            else:
                yield row.number, row.record

    if jobs <= 1:
        for number, record in good():
            yield number, record, _render((form, original, record))
        return
    pool = stack.enter_context(worker_pool(jobs))
    pending = good()
    while True:
        chunk = [item for _, item in zip(range(64 * jobs), pending)]
        if not chunk:
            return
        produced = pool.map(_render, [(form, original, r) for _, r in chunk], chunksize=8)
        for (number, record), result in zip(chunk, produced):
            yield number, record, result

