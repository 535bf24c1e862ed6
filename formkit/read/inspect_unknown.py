"""The account ``formkit inspect`` gives of a document that is none of the
known forms (or not the form asked for): exactly when a person needs to see
what formkit sees, so it shows the recognition score of every known form,
the document's text and tables with where each paragraph stands, every box
with its state (and why a glyph is not a box of the form), and its printed
blanks and boxes with their labels (what a definition anchors on)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from formkit.docx.model import Break, Checkbox, Document, Paragraph, Text
from formkit.errors import FormkitError
from formkit.forms import FormDef
from formkit.locate.boxes import form_boxes
from formkit.locate.kinds import boxes_in, describe_box
from formkit.locate.stream import Stream, build
from formkit.read.recognize import score, stream_key
from formkit.text import LEADER, clean_chars, normalize_line

_TEXT_WIDTH = 120
_MAX_LINES = 400  # a long document is shown up to here; the rest is counted


def account(path: str, forms: list[FormDef]) -> list[str]:
    """The lines of the account of the document at ``path`` (after the
    error line). A document that cannot be read says why, in one line."""
    try:
        doc, converted = _model(path)
    except FormkitError as exc:
        return [f"the document could not be read for a closer look: {exc.code}: {exc.message}"]
    stream = build(doc.body)
    lines = scores(stream, forms)
    if converted:
        lines.append(f"(read after LibreOffice converted it from .{converted})")
    lines += text(stream) + tables(stream) + boxes(stream)
    lines += fields(stream)
    return lines


def _model(path: str) -> tuple[Document, str | None]:
    """The document model, converting a legacy file through LibreOffice first."""
    from formkit.read.parse import legacy_format, read_model

    kind = legacy_format(path)
    if kind is None:
        return read_model(path, path), None
    from formkit.office.convert import Converter

    with Converter(purpose=f"read a .{kind} file") as converter, tempfile.TemporaryDirectory() as tmp:
        out = converter.convert([Path(path)], "docx", Path(tmp))[Path(path)]
        if isinstance(out, FormkitError):
            raise out
        return read_model(os.fspath(out), path), kind


def scores(stream: Stream, forms: list[FormDef]) -> list[str]:
    """Each known form's recognition score, best first, with the phrases found."""
    key = stream_key(stream)
    ranked = sorted((score(f, key) for f in forms), key=lambda r: (-r.score, r.form.id))
    out = ["recognition scores (share of each form's phrases found; the form must reach its minimum):"]
    for rec in ranked:
        out.append(f"  {rec.form.id}: {rec.score:.2f} (needs {rec.form.min_score:.2f}): "
                   f"{len(rec.found)} of {len(rec.found) + len(rec.missing)} phrases found")
        out.extend(f"    found: {p}" for p in rec.found)
    if not ranked:
        out.append("  no forms are known (see `formkit forms`)")
    return out


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TEXT_WIDTH else text[: _TEXT_WIDTH - 1] + "…"


def text(stream: Stream) -> list[str]:
    """Every paragraph with text, boxes or pictures, with where it stands."""
    out = ["text:"]
    shown = 0
    for para in stream.paras:
        if not (para.text.strip() or para.checkboxes or para.images):
            continue
        if shown == _MAX_LINES:
            out.append(f"  ... and {sum(1 for p in stream.paras[para.index:] if p.text.strip())} more paragraphs")
            break
        shown += 1
        pictures = f" [{len(para.images)} picture(s)]" if para.images else ""
        mine = form_boxes(stream, para.index) if para.checkboxes else []
        out.append(f"  {para.where}: {_short(_shown(para.paragraph, mine))}{pictures}")
    return out if len(out) > 1 else ["text: none"]


def _shown(par: Paragraph, mine: list[int]) -> str:
    """The paragraph's text with each box of the form where it stands, as
    [x] (ticked) or [ ]; a glyph that is no box of the form as printed."""
    parts: list[str] = []
    ordinal = 0
    for item in par.inlines:
        if isinstance(item, Text):
            parts.append(item.text)
        elif isinstance(item, Checkbox):
            box = ("[x]" if item.checked else "[ ]") if ordinal in mine else (item.glyph or "?")
            parts.append(box)
            ordinal += 1
        elif isinstance(item, Break):
            parts.append(" / ")
    return clean_chars("".join(parts))


def tables(stream: Stream) -> list[str]:
    """Each table with its size and its first row's text (its header, as a rule)."""
    out = ["tables:"]
    for table, _, where in stream.tables:
        cols = max((c.col + c.span for row in table.rows for c in row.cells), default=0)
        head = " | ".join(_short(" ".join(_cell_text(c.blocks))) for c in table.rows[0].cells) if table.rows else ""
        out.append(f"  {where}: {len(table.rows)} row(s) x {cols} column(s); first row: {head}")
    return out if len(out) > 1 else ["tables: none"]


def _cell_text(blocks: tuple[object, ...]) -> list[str]:
    from formkit.docx.model import Table

    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            out.extend(t for row in block.rows for c in row.cells for t in _cell_text(c.blocks))
    return out


def boxes(stream: Stream) -> list[str]:
    """Every glyph read as a box, and whether it is a box of the form."""
    out = ["boxes:"]
    for para in stream.paras:
        if not para.checkboxes:
            continue
        mine = form_boxes(stream, para.index)
        for n, box in enumerate(para.checkboxes):
            state = "" if n in mine else " (not a box of the form: a glyph in running text or a heading bullet)"
            out.append(f"  {describe_box(box)} at {para.where}{state}: {_short(para.text)[:60]}")
    return out if len(out) > 1 else ["boxes: none"]


def fields(stream: Stream) -> list[str]:
    """What a form definition could anchor on: each printed blank (dots,
    underscores) with the label before it (or the line above it), and each
    box of the form with the label after it."""
    out = ["fields (blanks and boxes, with their printed labels):"]
    above = ""
    for para in stream.paras:
        line = para.text
        if para.checkboxes:
            for box in boxes_in(stream, para.index, para.index + 1):
                label = _short(LEADER.sub(" ", box.text))[:60].strip()
                out.append(f"  box {'ticked' if box.box.checked else 'empty'}: {label!r} at {para.where}")
        elif LEADER.search(line):
            pos = 0
            for m in LEADER.finditer(line):
                label = normalize_line(line[pos : m.start()])
                out.append(f"  blank after {label!r} at {para.where}" if label
                           else f"  blank line under {above!r} at {para.where}")
                pos = m.end()
        if normalize_line(LEADER.sub(" ", line)):
            above = _short(normalize_line(LEADER.sub(" ", line)))[:60]
    return out if len(out) > 1 else ["fields: no printed blanks or boxes"]
