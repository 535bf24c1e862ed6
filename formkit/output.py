"""Writing results: JSON, JSON Lines and CSV, always atomically.

A file output is written to a temporary file beside the target and renamed
into place only when complete, so an interrupted run (Ctrl-C, a crash) never
leaves a half-written file. JSON Lines is streamed: each result is written as
its file finishes, so memory stays flat over any number of files.

Every failure to write (no space left, a read-only file system, a file
where a folder should be, no permission) is a ``cannot-write``
:class:`~formkit.errors.FormkitError` naming the output and the reason in
plain words; the temporary file is removed and an earlier output of the same
name is left as it was.

CSV cells that a spreadsheet would take for a formula (text beginning with
``=`` ``+`` ``-`` ``@``, a tab or a carriage return) get a leading single
quote, as OWASP's "CSV Injection" page advises; numbers stay numbers.
"""
from __future__ import annotations

import errno
import io
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from formkit.errors import FormkitError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

_MORE_SPACE = "free some space, or write to another disk"
# errno -> (what went wrong, what to do), in the words of the person running formkit
_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("no space left on the device", _MORE_SPACE),
    errno.EFBIG: ("the file would be larger than this file system or this process allows (file too large)", _MORE_SPACE),
    errno.EROFS: ("read-only file system", "write to another folder"),
    errno.ENOTDIR: ("a file stands where a folder is needed", "choose another path"),
    errno.EEXIST: ("a file stands where a folder is needed", "choose another path"),
    errno.EISDIR: ("a folder stands where the file should be", "give a file name"),
    errno.EACCES: ("permission denied", "write to a folder you may write to"),
    errno.EPERM: ("permission denied", "write to a folder you may write to"),
    errno.ENAMETOOLONG: ("the name is too long", "choose a shorter name"),
    errno.EIO: ("the device reported an input/output error", "check the disk"),
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = ("the disk quota is used up", _MORE_SPACE)


def plain_reason(path: str | os.PathLike[str], exc: OSError | ValueError) -> tuple[str, str]:
    """Why writing ``path`` failed and what to do, in plain words (a
    ``ValueError`` is a NUL character in the path)."""
    if not isinstance(exc, OSError):
        return "the path holds a NUL character", "choose another path"
    plain = (exc.strerror or str(exc)).lower()
    reason, hint = _REASONS.get(exc.errno or 0, (plain, "check the path and the disk"))
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        reason += _blocker(Path(path))
    return reason, hint


def write_error(path: str | os.PathLike[str], exc: OSError | ValueError, where: str = "",
                *, atomic: bool = True) -> FormkitError:
    """``cannot-write`` for ``path``: the reason in plain words (a
    ``ValueError`` is a NUL character in the path), ``where`` it happened
    when not at ``path`` itself, what to do, and (for an ``atomic`` write)
    that nothing half-written was left."""
    reason, hint = plain_reason(path, exc)
    if where:
        reason += f" ({where})"
    kept = " Nothing half-written was left, and an earlier file of that name is kept." if atomic else ""
    return FormkitError("cannot-write", f"cannot be written: {reason}; {hint}.{kept}", file=os.fspath(path))


def _blocker(target: Path) -> str:
    """' (x is a file)' for the nearest folder of ``target`` that is a file."""
    for folder in reversed(target.parents):
        if folder.exists() and not folder.is_dir():
            return f" ({folder} is a file)"
    return ""


class _Sink(io.FileIO):
    """The temporary file's raw stream: a failed write (disk full, quota,
    EFBIG, I/O error) becomes ``cannot-write`` naming the final output, so
    the write errors of the output are told apart from any other OSError
    raised while the caller produces its content."""

    def __init__(self, fd: int, target: Path) -> None:
        super().__init__(fd, "wb", closefd=True)
        self.target = target

    def write(self, data: ReadableBuffer, /) -> int:
        try:
            return super().write(data)
        except OSError as exc:
            raise write_error(self.target, exc) from None


def _stream(fd: int, target: Path, mode: str, **kwargs: Any) -> IO[Any]:
    """What ``open(fd, mode, ...)`` gives, over a :class:`_Sink`."""
    try:
        buffered = io.BufferedWriter(_Sink(fd, target))
    except BaseException:
        os.close(fd)
        raise
    return buffered if "b" in mode else io.TextIOWrapper(buffered, **kwargs)


@contextmanager
def _atomic(path: str | os.PathLike[str], mode: str, **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temp file beside ``path``; rename it over ``path`` on success,
    remove it on any failure or interrupt (Ctrl-C included). Every OSError of
    making the folder, the temp file, writing, flushing, syncing and renaming
    is ``cannot-write`` (:func:`write_error`)."""
    import tempfile

    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except (OSError, ValueError) as exc:
        raise write_error(target, exc) from None
    try:
        with _stream(fd, target, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            _checked(target, os.fsync, fh.fileno())
        _checked(target, os.chmod, tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give what open() would
        _checked(target, os.replace, tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _checked(target: Path, call: Callable[..., object], *args: Any) -> None:
    """``call(*args)``, an OSError becoming ``cannot-write`` for ``target``."""
    try:
        call(*args)
    except OSError as exc:
        raise write_error(target, exc) from None


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


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: booleans as true/false, None empty, and text
    that a spreadsheet would run as a formula (beginning with = + - @, tab or
    carriage return: OWASP "CSV Injection") prefixed with a single quote, so
    Excel and LibreOffice show it as text. Numbers (int, float) are written
    as they are: -5 stays the number -5, while the text "-5" becomes '-5."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_unmark(cell: str) -> str:
    """The text a CSV cell stands for: :func:`csv_cell`'s leading quote
    taken off again (``'=x`` -> ``=x``, ``'-5`` -> ``-5``), so a CSV that
    ``parse --format csv`` wrote can be given back to ``bulk``. A spreadsheet
    never saves its own text-marking quote into a CSV file, so a quote before
    = + - @, tab or carriage return can only be this mark."""
    if cell.startswith("'") and cell[1:2] and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell


def write_csv(rows: list[dict[str, Any]], fh: IO[str], columns: Sequence[str] | None = None) -> None:
    """Rows under ``columns`` (default: the union of the rows' keys, in
    first-seen order), every cell (the header's too) through
    :func:`csv_cell`; UTF-8 BOM so Excel opens Thai text intact (the caller
    opens ``fh`` with utf-8-sig)."""
    import csv

    if columns is None:
        columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])


def csv_text(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    write_csv(rows, buf)
    return buf.getvalue()
