"""formkit.output: atomic writes that fail cleanly, and CSV cells a
spreadsheet never takes for a formula."""
from __future__ import annotations

import csv
import errno
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from formkit.errors import FormkitError
from formkit.output import atomic_write, atomic_write_bytes, csv_cell, csv_text

ROOT = Path(__file__).resolve().parent.parent


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def failing(code: int) -> Callable[..., Any]:
    """A stand-in that raises OSError ``code``, as the system call would."""
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code))
    return fail


@pytest.mark.parametrize("where, code, words", [
    ("tempfile.mkstemp", errno.EROFS, "read-only file system"),
    ("os.fsync", errno.ENOSPC, "no space left on the device"),
    ("os.fsync", errno.EDQUOT, "the disk quota is used up"),
    ("os.chmod", errno.EPERM, "permission denied"),
    ("os.replace", errno.EACCES, "permission denied"),
    ("os.replace", errno.EIO, "input/output error"),
])
def test_every_step_of_a_write_fails_as_cannot_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     where: str, code: int, words: str) -> None:
    """The temp file, the sync, the mode and the rename: each failure is one
    cannot-write naming the output and the reason; the old file stays and no
    temporary file is left."""
    target = tmp_path / "out.json"
    target.write_text("last week", "utf-8")
    module, name = where.split(".")
    monkeypatch.setattr({"os": os, "tempfile": tempfile}[module], name, failing(code))
    with pytest.raises(FormkitError) as info:
        with atomic_write(target) as fh:
            fh.write("new" * 10_000)
    assert info.value.code == "cannot-write" and info.value.file == str(target)
    assert words in info.value.message and str(target) in str(info.value)
    monkeypatch.undo()
    assert target.read_text("utf-8") == "last week" and leftovers(tmp_path) == []


@pytest.mark.parametrize("below", ["", "sub/deeper"])
def test_an_output_under_a_file_names_the_file(tmp_path: Path, below: str) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    target = blocker / below / "out.json" if below else blocker / "out.json"
    with pytest.raises(FormkitError) as info:
        with atomic_write_bytes(target) as fh:
            fh.write(b"x")
    assert info.value.code == "cannot-write"
    assert f"a file stands where a folder is needed ({blocker} is a file)" in info.value.message
    assert blocker.read_text() == "a file, not a folder"


def test_a_folder_where_the_file_should_be(tmp_path: Path) -> None:
    (tmp_path / "out.json").mkdir()
    with pytest.raises(FormkitError, match="a folder stands where the file should be"):
        with atomic_write(tmp_path / "out.json") as fh:
            fh.write("x")
    assert leftovers(tmp_path) == [] and (tmp_path / "out.json").is_dir()


def test_other_errors_while_writing_are_not_taken_for_write_errors(tmp_path: Path) -> None:
    """An OSError raised by the caller between writes (reading a photo, say)
    is its own error, not cannot-write; the output is still not written."""
    target = tmp_path / "out.docx"
    with pytest.raises(FileNotFoundError):
        with atomic_write_bytes(target) as fh:
            fh.write(b"PK")
            (tmp_path / "missing.png").read_bytes()
    assert not target.exists() and leftovers(tmp_path) == []


FULL_DISK = r"""
import resource, signal, sys
from formkit.output import atomic_write
from formkit.errors import FormkitError
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))
try:
    with atomic_write(sys.argv[1]) as fh:
        for _ in range(1000):
            fh.write("ข้อความ" * 100)
except FormkitError as exc:
    sys.stderr.write(f"{exc.code}|{exc}")
"""


def test_a_full_disk_while_writing(tmp_path: Path) -> None:
    """Real writes past a 50 kB file-size limit (EFBIG, what a full disk does
    to a growing file) in a child process: cannot-write, nothing left."""
    target = tmp_path / "out.txt"
    target.write_text("last week")
    proc = subprocess.run([sys.executable, "-c", FULL_DISK, str(target)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    code, _, message = proc.stderr.partition("|")
    assert code == "cannot-write" and message.startswith(f"{target}: cannot be written: ")
    assert "file too large" in message and "Traceback" not in proc.stderr
    assert target.read_text() == "last week" and leftovers(tmp_path) == []


# -- CSV: no formulas ---------------------------------------------------------------------

@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"http://x\",\"click\")", "'=HYPERLINK(\"http://x\",\"click\")"),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
    ("-2+3", "'-2+3"),
    ("-5", "'-5"),                 # text that looks like a number is text: prefixed like any other
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("สพป. =1", "สพป. =1"),        # only the first character matters
    ("'quoted", "'quoted"),
    ("", ""),
    (-5, -5),                      # real numbers stay numbers
    (-2.5, -2.5),
    (3, 3),
    (True, "true"),
    (None, ""),
])
def test_csv_cell(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def test_csv_text_neutralises_headers_and_cells_and_reads_back() -> None:
    rows = [{"file": "=x.docx", "level": -5, "note": "-5"}, {"file": "a.docx", "@extra": "+1"}]
    read = list(csv.reader(io.StringIO(csv_text(rows))))
    assert read == [["file", "level", "note", "'@extra"], ["'=x.docx", "-5", "'-5", ""], ["a.docx", "", "", "'+1"]]
