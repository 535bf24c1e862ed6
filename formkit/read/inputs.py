"""Which files a batch reads: files as given, folders walked for Word documents.

Shared by ``parse``, ``score`` and ``report`` (and the Python API), so a
folder means the same documents everywhere: Word's own formats by suffix
(.docx, .docm, .dotx, .dotm; ECMA-376 Part 2 packages), and, when the batch
converts them through LibreOffice, the legacy .doc, .rtf, .odt and
WordPerfect's .wpd (what each is, is then sniffed from its content). Word's
"~$" owner files (the lock file Word keeps beside an open document) and
hidden files are skipped.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from formkit.docx.sniff import is_document

def document_head(head: bytes) -> bool:
    """Whether a file's first bytes show a document (read by parse, or
    refused by it naming what it is) rather than a results file or a
    picture: :func:`formkit.docx.sniff.is_document`."""
    return is_document(head)


DOCX_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")
LEGACY_SUFFIXES = (".doc", ".rtf", ".odt", ".wpd")


def is_word_name(path: str | os.PathLike[str]) -> bool:
    """True when ``path``'s suffix is one of Word's package formats."""
    return str(path).lower().endswith(DOCX_SUFFIXES)


def expand_inputs(args: Iterable[str | os.PathLike[str]], legacy: bool = False) -> Iterator[str]:
    """Files as given; folders walked (sorted) for Word documents (and, with
    ``legacy``, .doc/.rtf/.odt/.wpd), skipping Word's "~$" owner files and hidden files."""
    suffixes = DOCX_SUFFIXES + (LEGACY_SUFFIXES if legacy else ())
    for arg in args:
        path = Path(arg)
        if not path.is_dir():
            yield os.fspath(arg)
            continue
        for found in sorted(path.rglob("*")):
            rel = found.relative_to(path)
            if any(part.startswith((".", "~$")) for part in rel.parts):
                continue
            if found.suffix.lower() in suffixes and found.is_file():
                yield str(Path(arg) / rel)
