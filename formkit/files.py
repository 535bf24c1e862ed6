"""Opening input files that may be anything: stat first, then open.

Every file formkit reads on a user's behalf (a returned form, an original, a
record, a spreadsheet, a photo, a score result) is looked at with
``os.stat`` before it is opened: a FIFO would block ``open`` forever, a
device would never end, a folder cannot be read, and a file over its size
limit is refused before a byte of it is read. The open file is checked again
with ``fstat`` (the path may have been swapped in between), and reads never
go past the limit, whatever the file grows to meanwhile.
"""
from __future__ import annotations

import os
import stat
from typing import BinaryIO

from formkit.errors import FormkitError

MiB = 2**20


def size_text(n: int) -> str:
    """A byte count for messages: ``3.2 MiB (3,355,443 bytes)`` or ``812 bytes``."""
    return f"{n / MiB:.1f} MiB ({n:,} bytes)" if n >= MiB else f"{n:,} bytes"


def _error(code: str, name: str, message: str, hint: str) -> FormkitError:
    return FormkitError(code, f"{message}; {hint}" if hint else message, file=name)


def check_stat(st: os.stat_result, name: str, max_bytes: int, limit_name: str = "") -> None:
    """Refuse anything but a regular file within ``max_bytes``."""
    if stat.S_ISDIR(st.st_mode):
        raise _error("not-found", name, "this is a folder, not a file", "give a file's path")
    if not stat.S_ISREG(st.st_mode):
        what = "a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else (
            "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
            "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise _error("not-found", name, f"this is {what}, not a regular file", "give a file's path")
    if st.st_size > max_bytes:
        which = f" ({limit_name})" if limit_name else ""
        raise _error("too-large", name, f"the file is {size_text(st.st_size)}, over the limit of "
                     f"{size_text(max_bytes)}{which}", "")


def open_regular(path: str | os.PathLike[str], max_bytes: int, name: str | None = None,
                 limit_name: str = "") -> BinaryIO:
    """Open ``path`` for reading after ``os.stat`` showed a regular file
    within ``max_bytes``; ``fstat`` again once open. Errors are
    :class:`FormkitError` ``not-found`` or ``too-large`` naming the file."""
    shown = name if name is not None else os.fspath(path)
    try:
        check_stat(os.stat(path), shown, max_bytes, limit_name)
        # O_NONBLOCK: had the path become a FIFO since the stat, open must not block on it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise _error("not-found", shown, "the file does not exist", "check its name and folder") from None
    except PermissionError:
        raise _error("not-found", shown, "the file cannot be read (permission denied)",
                     "check its permissions, or close it in other programs") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        reason = getattr(exc, "strerror", None) or str(exc)
        raise _error("not-found", shown, f"the file cannot be opened ({reason})", "check the path") from None
    try:
        check_stat(os.fstat(fd), shown, max_bytes, limit_name)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str], max_bytes: int, name: str | None = None,
                 limit_name: str = "") -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (see :func:`open_regular`)."""
    shown = name if name is not None else os.fspath(path)
    with open_regular(path, max_bytes, shown, limit_name) as fh:
        try:
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise _error("not-found", shown, f"the file cannot be read ({exc.strerror or exc})",
                         "check the path") from None
    if len(data) > max_bytes:  # it grew since the stat
        raise _error("too-large", shown, f"the file is over the limit of {size_text(max_bytes)}", "")
    return data
