"""What a located record must answer for: never a value different from what
the person wrote without a warning naming the field and why.

After the locators have read a record, this pass looks at what the reader
and the checkbox stage noticed (:class:`~formkit.docx.model.Doubt`,
:class:`~formkit.docx.model.Checkbox` encodings):

* **struck-through text** inside an answer is left out of it, with a
  ``struck-text`` warning quoting it. Text struck out in a paragraph the
  form itself prints (the original holds the paragraph as it is) is the
  form's own way of choosing among printed options, and stays;
* a **struck-through box or mark** was taken out before reading (it is not a
  tick): ``struck-box`` says which, with its paragraph;
* a quality-level column that holds **no box at all**, and a header field
  of a document with **no page header at all** where the form's original
  has one (pandoc drops headers), give
  ``field-not-found`` (nothing was there to read);
* an answer whose **line breaks LibreOffice moved** out in front of it
  (its repeated field, :mod:`formkit.docx.repeats`) gives ``line-breaks-lost``;
* a box read from a **mark left where the program dropped the box glyph**
  (``lone-mark``: AbiWord, pandoc), or from a box letter whose symbol font
  name is gone, gives ``box-glyph-dropped`` on that field.
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from formkit.docx.checkboxes import LONE_MARK
from formkit.docx.model import Checkbox, Document, Doubt
from formkit.forms import FormDef
from formkit.locate import Located
from formkit.locate.kinds import Found
from formkit.locate.stream import Stream
from formkit.text import match_key, normalize_line
from formkit.warnings import Warning

__all__ = ["apply", "box_paths"]

_QUOTE = 60


def apply(located: Located, doc: Document, form: FormDef) -> list[Warning]:
    """The warnings of ``located``'s doubtful readings; struck-through text
    taken out of ``located.record`` in place."""
    out: list[Warning] = []
    if located.stream is not None:
        for name, found in located.where.items():
            out.extend(_box_warnings(found, located.stream, name))
    for f in form.fields:
        if f.kind == "header" and not doc.headers and f.name not in located.record \
                and _original(form.original)[1]:
            out.append(Warning.of("field-not-found", f.name, "the document has no page header: the program "
                                  "that saved the file may have dropped it"))
        level = located.where.get(f.name)
        if f.kind == "level" and level is not None and level.value is None and not level.boxes \
                and not level.warnings:
            out.append(Warning.of("field-not-found", f.name, f"no box in the level column ({level.where}): "
                                  "the program that saved the file may have dropped them"))
    struck = [d for d in doc.doubts if d.kind == "struck"]
    if struck and located.record:
        printed = _original(form.original)[0]
        typed = [d for d in struck if match_key(d.context) not in printed]
        out.extend(_leave_out(located.record, typed))
    moved = [d for d in doc.doubts if d.kind == "moved-breaks"]
    if moved and located.record:
        out.extend(_moved_breaks(located.record, moved))
    for doubt in doc.doubts:
        if doubt.kind == "struck-box":
            out.append(Warning.of("struck-box", None, f"a struck-through {doubt.text} in "
                                  f"{_quote(doubt.context)} is not read as a tick"))
    return out


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= _QUOTE else text[: _QUOTE - 1] + "…")


# ---- boxes ------------------------------------------------------------------------

def box_paths(located: Located, encoding: str) -> list[str]:
    """The field paths whose box was read from a box of ``encoding``."""
    if located.stream is None:
        return []
    return list(dict.fromkeys(path for name, found in located.where.items()
                              for path, box in _boxes(found, located.stream, name) if box.encoding == encoding))


def _boxes(found: Found, stream: Stream, name: str) -> Iterator[tuple[str, Checkbox]]:
    for key, (index, ordinal) in found.boxes.items():
        if 0 <= index < len(stream.paras):
            boxes = stream.paras[index].checkboxes
            if 0 <= ordinal < len(boxes):
                yield (name if isinstance(key, int) else f"{name}.{key}"), boxes[ordinal]
    for n, (_, _, fields) in enumerate(found.blocks, 1):
        for sub, inner in fields.items():
            yield from _boxes(inner, stream, f"{name}[{n}].{sub}")


def _box_warnings(found: Found, stream: Stream, name: str) -> Iterator[Warning]:
    for path, box in _boxes(found, stream, name):
        if box.encoding == LONE_MARK:
            yield Warning.of("box-glyph-dropped", path, _lone(box))


def _lone(box: Checkbox) -> str:
    state = "a tick" if box.checked else "an empty box"
    if box.code is not None:
        return (f"the file has no box here, only the letter {chr(box.code)!r} whose symbol font name "
                f"was dropped; read as {state} ({box.glyph})")
    return f"the file has no box here, only the mark {box.glyph!r} typed where it stood; read as {state}"


# ---- struck-through text ---------------------------------------------------------------

@lru_cache(maxsize=8)
def _original(original: Path) -> tuple[frozenset[str], bool]:
    """The match keys of every paragraph of the form's original, and
    whether it has a page header (a part, empty or not)."""
    from formkit.docx.package import open_package
    from formkit.docx.reader import read_document
    from formkit.locate.stream import build

    try:
        with open_package(original, str(original)) as pkg:
            doc = read_document(pkg, boxes=True)
    except Exception:  # noqa: BLE001 - an unreadable original prints nothing to keep
        return frozenset(), False
    return frozenset(p.key for p in build(doc.body).paras if p.key), bool(doc.headers)


def _leave_out(record: dict[str, Any], doubts: list[Doubt]) -> list[Warning]:
    out: list[Warning] = []
    pending = list(doubts)
    for path, holder, key, value in _strings(record, ""):
        for doubt in list(pending):
            fragment = _find(value, doubt.text)
            if fragment is None:
                continue
            value = _without(value, fragment)
            holder[key] = value
            pending.remove(doubt)
            out.append(Warning.of("struck-text", path, f"struck-through text left out of the answer: "
                                  f"{_quote(doubt.text)}"))
    return out


def _moved_breaks(record: dict[str, Any], doubts: list[Doubt]) -> list[Warning]:
    out: list[Warning] = []
    keys = {"".join(d.text.split()) for d in doubts}
    for path, _, _, value in _strings(record, ""):
        if value and "".join(value.split()) in keys:
            out.append(Warning.of("line-breaks-lost", path, "the program that saved the file moved this "
                                  "answer's line breaks out in front of it; read without them"))
    return out


def _find(value: str, text: str) -> str | None:
    """``text`` as it stands in ``value`` (values are normalized), if it does."""
    for form in (text, normalize_line(text)):
        if form and form in value:
            return form
    return None


def _without(value: str, fragment: str) -> str:
    """``value`` less its first ``fragment``, spacing made whole again."""
    at = value.index(fragment)
    joined = value[:at] + value[at + len(fragment):]
    lines = (" ".join(line.split()) for line in joined.split("\n"))
    return "\n".join(line for line in lines if line)


def _strings(value: Any, path: str) -> Iterator[tuple[str, Any, Any, str]]:
    """Every text of a record as (path, holder, key, text), in field order."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        sub = f"{path}.{key}" if isinstance(key, str) and path else key if isinstance(key, str) else f"{path}[{key + 1}]"
        if isinstance(item, str):
            yield sub, value, key, item
        elif isinstance(item, (dict, list)):
            yield from _strings(item, sub)
