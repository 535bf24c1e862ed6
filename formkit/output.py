"""Writing results: JSON, JSON Lines and CSV, always atomically.

A file output is written to a temporary file beside the target and renamed
into place only when complete, so an interrupted run (Ctrl-C, a crash) never
leaves a half-written file. JSON Lines is streamed: each result is written as
its file finishes, so memory stays flat over any number of files.
"""
from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import IO, Any


@contextmanager
def _atomic(path: str | os.PathLike[str], mode: str, **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temp file beside ``path``; rename it over ``path`` on success,
    remove it on any failure or interrupt (Ctrl-C included)."""
    import tempfile

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give what open() would
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@lru_cache(maxsize=1)
def _umask() -> int:
    """The process umask (read once: reading it means setting it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def sync_folder(folder: Path) -> None:
    """fsync a folder: the renames into it (and their files' data, on
    file systems that order data before the rename's metadata) are on disk."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(
    path: str | os.PathLike[str], *, encoding: str = "utf-8", newline: str | None = None
) -> AbstractContextManager[IO[str]]:
    """A text file written atomically (see :func:`_atomic`)."""
    return _atomic(path, "w", encoding=encoding, newline=newline)


def atomic_write_bytes(path: str | os.PathLike[str]) -> AbstractContextManager[IO[bytes]]:
    """A binary file written atomically."""
    return _atomic(path, "wb")


def to_json(obj: Any, indent: int | None = 2) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts and lists as dotted keys; list items numbered from 1
    (``works.1.title``, ``evidence.km_plan``)."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        for n, item in enumerate(value, 1):
            out.update(flatten(item, f"{prefix}.{n}" if prefix else str(n)))
    else:
        out[prefix] = value
    return out


def csv_row(result: dict[str, Any]) -> dict[str, Any]:
    """One parse result as a flat CSV row."""
    row: dict[str, Any] = {"file": result["file"], "form": result["form"]}
    row.update(flatten(result.get("record") or {}))
    warnings = result.get("warnings") or []
    row["warnings"] = " | ".join(w["message"] for w in warnings)
    error = result.get("error") or {}
    row["error_code"] = error.get("code", "")
    row["error_message"] = error.get("message", "")
    return row


def _cell(value: Any) -> Any:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "" if value is None else value


def write_csv(rows: list[dict[str, Any]], fh: IO[str]) -> None:
    """Rows with the union of their columns, first-seen order; UTF-8 BOM so
    Excel opens Thai text intact (the caller opens ``fh`` with utf-8-sig)."""
    import csv

    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})


def csv_text(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    write_csv(rows, buf)
    return buf.getvalue()
