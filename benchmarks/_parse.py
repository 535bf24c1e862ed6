"""Parse tasks: ``formkit parse`` and its baselines, over the same documents.

* :class:`FormkitBatch`: :func:`formkit.read.batch.run_parse` in this process,
  writing JSON Lines to a file (the command's code path without start-up);
  ``jobs=2`` when ``run_parse`` takes a ``jobs`` argument.
* :class:`FormkitLoop`: :func:`formkit.read.parse.parse_file` per file, no output.
* :class:`PythonDocxWalk`: python-docx ``Document(path)``, every body
  paragraph's text and every table cell's paragraphs (nested tables too).
* :class:`Docx2Python`: ``docx2python(path).text``.
* :class:`ZipLxmlFloor`: the floor: read ``word/document.xml`` from the zip,
  ``lxml.etree.fromstring``, iterate the ``w:t`` elements' text.
"""
from __future__ import annotations

import contextlib
import inspect
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
WARM = 5  # documents in a warm-up pass


def parse_jobs_supported() -> bool:
    """Whether ``formkit.read.batch.run_parse`` takes a ``jobs`` argument."""
    from formkit.read.batch import run_parse

    return "jobs" in inspect.signature(run_parse).parameters


def docx2python_available() -> bool:
    """Whether docx2python can be imported (it is an optional, bench-only extra)."""
    try:
        import docx2python  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(slots=True)
class FormkitBatch:
    """``formkit parse FILES -o OUT.jsonl`` in-process."""

    files: list[str]
    output: Path
    jobs: int = 1

    def run(self, warm: bool = False) -> None:
        from formkit.read.batch import run_parse

        files = self.files[:WARM] if warm else self.files
        extra: dict[str, Any] = {"jobs": self.jobs} if parse_jobs_supported() else {}
        with contextlib.redirect_stderr(io.StringIO()):
            failed = run_parse(files, None, str(self.output), "jsonl", **extra)
        if failed:
            raise RuntimeError(f"formkit parse: {failed} of {len(files)} file(s) failed")


@dataclass(slots=True)
class FormkitLoop:
    """``parse_file`` per document, results dropped."""

    files: list[str]

    def run(self, warm: bool = False) -> None:
        from formkit.read.parse import parse_file

        for path in self.files[:WARM] if warm else self.files:
            result = parse_file(path)
            if result.error is not None:
                raise RuntimeError(f"formkit parse_file: {path}: {result.error}")


def _walk_table(table: Any) -> int:
    n = 0
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                n += len(p.text)
            for inner in cell.tables:
                n += _walk_table(inner)
    return n


@dataclass(slots=True)
class PythonDocxWalk:
    """python-docx open + walk all paragraphs and table cells."""

    files: list[str]

    def run(self, warm: bool = False) -> None:
        import docx

        for path in self.files[:WARM] if warm else self.files:
            d = docx.Document(path)
            n = sum(len(p.text) for p in d.paragraphs)
            n += sum(_walk_table(t) for t in d.tables)
            if n == 0:
                raise RuntimeError(f"python-docx read no text from {path}")


@dataclass(slots=True)
class Docx2Python:
    """docx2python's text of each document."""

    files: list[str]

    def run(self, warm: bool = False) -> None:
        from docx2python import docx2python

        for path in self.files[:WARM] if warm else self.files:
            with docx2python(path) as content:
                if not content.text:
                    raise RuntimeError(f"docx2python read no text from {path}")


@dataclass(slots=True)
class ZipLxmlFloor:
    """Read word/document.xml, parse it with lxml, iterate w:t."""

    files: list[str]

    def run(self, warm: bool = False) -> None:
        from lxml import etree

        for path in self.files[:WARM] if warm else self.files:
            with zipfile.ZipFile(path) as zf:
                root = etree.fromstring(zf.read("word/document.xml"))
            n = sum(len(t.text or "") for t in root.iter(W_T))
            if n == 0:
                raise RuntimeError(f"no w:t text in {path}")
