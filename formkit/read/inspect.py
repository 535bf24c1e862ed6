"""``formkit inspect``: a readable account of one document for the person
checking it: the form recognized and why, each field with where it was found
and the value read, each box with its glyph, font and state, and warnings."""
from __future__ import annotations

import json
from typing import Any

from formkit.locate.kinds import describe_box
from formkit.locate.stream import build
from formkit.read.parse import ParseResult


def _short(value: Any, width: int = 100) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def report(result: ParseResult) -> str:
    """The account as text (what ``formkit inspect`` prints)."""
    lines = [f"file: {result.file}"]
    if result.error:
        lines.append(f"error: {result.error.code}: {result.error.message}")
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


def _boxes(result: ParseResult) -> list[str]:
    doc = result.document
    if doc is None:
        return []
    out = ["boxes:"]
    located = result.located
    stream = located.stream if located is not None and located.stream is not None else build(doc.body)
    for para in stream.paras:
        for box in para.checkboxes:
            label = " ".join(para.text.split())[:40]
            out.append(f"  {describe_box(box)} at {para.where}" + (f": {label}" if label else ""))
    return out if len(out) > 1 else ["boxes: none"]
