"""Fields that load content from outside a document, and RTF's own.

Word's INCLUDEPICTURE, INCLUDETEXT, LINK, DDE ... fields (ECMA-376 Part 1,
17.16.5) fetch a file or a URL when a word processor updates them. The
OOXML and ODF copies are cleaned by :mod:`formkit.office.unlink`; an RTF file
(RTF 1.9.1 specification, "Fields": ``{\\field{\\*\\fldinst ...}{\\fldrslt ...}}``)
is cleaned here, as bytes: the instruction of a loading field is emptied and
its last result kept as text.
"""
from __future__ import annotations

import re

LOADING_FIELDS = frozenset({"INCLUDEPICTURE", "INCLUDETEXT", "LINK", "DDE", "DDEAUTO", "DATABASE",
                            "RD", "IMPORT", "INCLUDE"})
FIELD_NAME = re.compile(r'\s*([^\s"\\]*)(.?)', re.DOTALL)  # a field's name, and what follows it

_RTF_FLDINST = re.compile(rb"\{(?:\s*\\\*)?\s*\\fldinst(?![A-Za-z])")
_RTF_SPECIAL = re.compile(rb"\\bin(-?\d{1,10}) ?|\\.|[{}]", re.DOTALL)
_RTF_CONTROL = re.compile(rb"\\[A-Za-z]+-?\d* ?|\\[^A-Za-z']|[{}]")
_RTF_OPAQUE = re.compile(rb"\\'|\\u-?\d|\\field(?![A-Za-z])")
_NAME_WINDOW = 512  # bytes of an instruction read for the field's name (Word puts ~100 of formatting first)


def strip_rtf_fields(data: bytes) -> bytes:
    """RTF ``data`` with the instruction group of every loading field
    replaced by an empty ``{\\*\\fldinst }`` (the field result stays)."""
    if b"fldinst" not in data:
        return data
    out: list[bytes] = []
    pos = 0
    for start, body, end in _fldinst_groups(data):
        if start >= pos and _rtf_loads(data[body:min(end, body + _NAME_WINDOW)]):
            out += [data[pos:start], b"{\\*\\fldinst }"]
            pos = end
    return b"".join(out) + data[pos:]


def _fldinst_groups(data: bytes) -> list[tuple[int, int, int]]:
    """(start, body start, end) of every ``{\\*\\fldinst ...}`` group, in one
    pass over the groups (escaped braces and ``\\binN`` binary data skipped);
    a group never closed ends with the data."""
    found: list[tuple[int, int, int]] = []
    open_groups: list[tuple[int, int]] = []  # (start, body start or -1 for other groups)
    pos = 0
    while (match := _RTF_SPECIAL.search(data, pos)) is not None:
        pos = match.end()
        if match.group(1) is not None:
            pos += max(0, int(match.group(1)))
        elif match.group() == b"{":
            head = _RTF_FLDINST.match(data, match.start())
            open_groups.append((match.start(), head.end() if head else -1))
        elif match.group() == b"}" and open_groups:
            start, body = open_groups.pop()
            if body >= 0:
                found.append((start, body, pos))
    found += [(start, body, len(data)) for start, body in open_groups if body >= 0]
    return sorted(found)


def _rtf_loads(body: bytes) -> bool:
    """Whether the start of a ``\\fldinst`` group's body names a loading
    field. Its text is read with control words and braces removed (they
    split no word in RTF); when a hex or Unicode escape or a nested field
    comes before the field name is complete, or the name does not end within
    the bytes read, it cannot be read here and the field counts as loading."""
    opaque = _RTF_OPAQUE.search(body)
    text = _RTF_CONTROL.sub(b"", body[:opaque.start()] if opaque else body).decode("latin-1")
    name = FIELD_NAME.match(text)
    if name is None or (not name.group(2) and (opaque is not None or len(body) >= _NAME_WINDOW)):
        return True
    return name.group(1).upper() in LOADING_FIELDS
