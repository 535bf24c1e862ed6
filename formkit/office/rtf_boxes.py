"""Legacy check boxes an .rtf holds without their state.

Word writes a FORMCHECKBOX field of an .rtf with its form-field data, the
state included (``{\\*\\fldinst FORMCHECKBOX {\\*\\formfield {\\fftype1
\\ffres1 ...}}}``). LibreOffice's .rtf export writes the instruction alone,
``{\\*\\fldinst{ FORMCHECKBOX }}{\\fldrslt {}}``: whether the box was ticked
is gone from the file, and no reader can get it back. :func:`stateless_boxes`
counts them, so parse says so instead of reading every such box as empty.
"""
from __future__ import annotations

import os
import re

__all__ = ["stateless_boxes"]

_WINDOW = 4096  # a field's data follows its instruction closely


def stateless_boxes(path: str | os.PathLike[str], max_bytes: int) -> int:
    """How many FORMCHECKBOX fields of the .rtf at ``path`` carry no form
    field data (read up to ``max_bytes``; 0 when it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes)
    except OSError:
        return 0
    count = 0
    for match in re.finditer(rb"FORMCHECKBOX", data):
        end = data.find(b"\\fldrslt", match.end(), match.end() + _WINDOW)
        window = data[match.end(): end if end >= 0 else match.end() + _WINDOW]
        count += b"\\formfield" not in window
    return count
