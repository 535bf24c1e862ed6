"""``formkit inspect``: a readable account of one document for the person
checking it: the form recognized and why, each field with where it was found
and the value read, each box with its glyph, font and state, and warnings."""
from __future__ import annotations

import json
from typing import Any

from formkit.forms import FormDef
from formkit.locate.boxes import form_boxes
from formkit.locate.kinds import describe_box
from formkit.locate.stream import build
from formkit.read.parse import ParseResult


def _short(value: Any, width: int = 100) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


_UNRECOGNISED = ("unknown-form", "form-mismatch")


def report(result: ParseResult, source: str | bytes | None = None, forms: list[FormDef] | None = None) -> str:
    """The account as text (what ``formkit inspect`` prints). A document
    that is none of ``forms`` (or not the form asked for) is shown as
    formkit sees it (:mod:`formkit.read.inspect_unknown`): ``source`` is its
    path (default: the result's file)."""
    lines = [f"file: {result.file}"]
    if result.error:
        lines.append(f"error: {result.error.code}: {result.error.message}")
        if result.error.code in _UNRECOGNISED and not isinstance(source, bytes):
            from formkit.read.inspect_unknown import account

            known = forms if forms is not None else known_forms()
            lines.extend(account(str(source if source is not None else result.file), known))
        return "\n".join(lines)
    rec = result.recognition
    if rec is not None:
        lines.append(f"form: {rec.form.id} ({rec.form.title})")
        lines.append(f"  recognized because {rec.explain()}")
        lines.extend(f"    found: {p}" for p in rec.found)
        lines.extend(f"    missing: {p}" for p in rec.missing)
    lines.append("fields:")
    located = result.located
    for name, found in (located.where.items() if located else []):
        record = result.record or {}
        shown = _short(record[name]) if name in record else "(absent)"
        lines.append(f"  {name} = {shown}")
        lines.append(f"    at: {found.where or 'not found'}")
        lines.extend(f"    {d}" for d in found.detail)
    lines.extend(_boxes(result))
    lines.append("warnings:" if result.warnings else "warnings: none")
    lines.extend(f"  [{w.code}] {w.message}" for w in result.warnings)
    return "\n".join(lines)


def known_forms() -> list[FormDef]:
    """The forms recognition compares a document with (the search path)."""
    from formkit import forms

    return forms.load_all()


def _boxes(result: ParseResult) -> list[str]:
    doc = result.document
    if doc is None:
        return []
    out = ["boxes:"]
    located = result.located
    stream = located.stream if located is not None and located.stream is not None else build(doc.body)
    for para in stream.paras:
        mine = form_boxes(stream, para.index) if para.checkboxes else []
        for n, box in enumerate(para.checkboxes):
            label = " ".join(para.text.split())[:40]
            aside = "" if n in mine else " (not a box of the form: a glyph in running text or a heading bullet)"
            out.append(f"  {describe_box(box)} at {para.where}{aside}" + (f": {label}" if label else ""))
    return out if len(out) > 1 else ["boxes: none"]
