"""Locating a form's fields in a document model.

:func:`locate` walks the form definition: label-anchored fields are found in
definition order (each searched after the previous one, falling back to the
whole scope for a copy whose order drifted), then every field's value is cut
from its label to the next label found, or to the end of the label's table
cell. Repeated blocks apply the same to each block.

Locators see the document model (formkit.docx.model) as a stream of
paragraphs (stream), never XML; labels match printed text by a normalized key
(labels); kinds implements each locator kind. Imports formkit.docx's model,
formkit.forms and the base modules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from formkit.forms import FieldDef, FormDef
from formkit.forms.belongs import answers_without_box, has_answer
from formkit.docx.model import Document
from formkit.text import parse_int
from formkit.warnings import Warning
from formkit.locate.flat import level_without_table, lone_box_stops
from formkit.locate import kinds
from formkit.locate.kinds import Found
from formkit.locate.labels import (
    Hit,
    Label,
    candidates,
    make_label,
    match_inside,
    match_start,
    search,
    search_all,
    search_inside,
)
from formkit.locate.stream import Para, Stream, build

_LABELLED = ("section", "value", "lines", "images", "year")
_STOPS = ("section", "value", "lines", "images")


@dataclass(slots=True)
class Located:
    """A record with, for each field path, where it was found."""

    record: dict[str, Any]
    where: dict[str, Found] = field(default_factory=dict)
    warnings: list[Warning] = field(default_factory=list)
    stream: Stream | None = None
    headers: list[Stream] = field(default_factory=list)


def locate(form: FormDef, doc: Document, stream: Stream | None = None) -> Located:
    """Every field of ``form`` in ``doc`` (``stream``: the body's stream, when
    the caller already built it)."""
    stream = stream or build(doc.body)
    headers = [build(s.blocks, f"header ({s.kind})") for s in doc.headers]
    out = Located({}, stream=stream, headers=headers)
    repeat_starts = _repeat_starts(form.fields, stream)
    hi = min(repeat_starts, default=len(stream.paras))
    extra_stops = [Hit(i, 0, 0) for i in repeat_starts] + heading_hits(form.headings, stream, 0, hi)
    extra_stops += lone_box_stops(stream)  # a form whose tables are gone (formkit.locate.flat)
    found = _fields(form.fields, stream, 0, len(stream.paras), hi, extra_stops, headers, "")
    for name, item in found.items():
        out.where[name] = item
        out.warnings.extend(item.warnings)
    for f in form.fields:
        value = found[f.name].value
        if f.optional and value in (None, ""):
            continue
        out.record[f.name] = value
    out.warnings.extend(answers_without_box(form.fields, out.record, has_answer))
    return out


def heading_hits(texts: tuple[str, ...], stream: Stream, lo: int, hi: int) -> list[Hit]:
    """Printed headings (whole lines) in [lo, hi): each ends the answer above it."""
    labels = [make_label(t, exact=True) for t in texts]
    found = sorted((h.index, n, h) for n, lab in enumerate(labels) for h in search_all(lab, stream, lo, hi))
    return [h for _, _, h in found]


def _repeat_starts(fields: tuple[FieldDef, ...], stream: Stream) -> list[int]:
    starts: list[int] = []
    for f in fields:
        if f.kind == "repeat":
            starts.extend(_block_starts(f, stream, 0, len(stream.paras)))
    return starts


def _block_starts(f: FieldDef, stream: Stream, lo: int, hi: int) -> list[int]:
    label = make_label(f.start)
    out = []
    expected: int | None = None
    for para in candidates(label, stream, lo, hi):
        hit = match_start(label, para)
        if hit is None:
            continue
        # the whole start word, then the block's number: an answer line that
        # merely begins like it ("ผลงานชิ้", "ผลงานชิ้นที่") starts no block, and
        # blocks are numbered one after another (printed 1, filled 1, 2, 3...),
        # so "ผลงานชิ้นที่ 5" typed inside the answers of work 1 starts none either
        at = para.key.find(label.key)
        number = parse_int(para.text[hit.end :])
        if not 0 <= at <= 3 or para.key[at + len(label.key) : at + len(label.key) + 1] != "#" or number is None:
            continue
        if expected is not None and number != expected:
            continue
        expected = number + 1
        out.append(para.index)
    return out


def _fields(
    fields: tuple[FieldDef, ...],
    stream: Stream,
    lo: int,
    hi: int,
    label_hi: int,
    extra_stops: list[Hit],
    headers: list[Stream],
    prefix: str,
) -> dict[str, Found]:
    """Locate ``fields`` in paragraphs [lo, hi); labels are searched in [lo, label_hi)."""
    hits = _find_labels(fields, stream, lo, label_hi)
    stops = sorted(
        [h for f in fields if f.kind in _STOPS and (h := hits.get(f.name))] + extra_stops,
        key=lambda h: (h.index, h.start),
    )
    out: dict[str, Found] = {}
    for f in fields:
        out[f.name] = _one(f, stream, lo, hi, hits.get(f.name), stops, headers, prefix + f.name)
    return out


def _find_labels(fields: tuple[FieldDef, ...], stream: Stream, lo: int, hi: int) -> dict[str, Hit]:
    hits: dict[str, Hit] = {}
    last: Hit | None = None
    for f in fields:
        if f.kind not in _LABELLED:
            continue
        label = make_label(f.label)
        pos = last.index + 1 if last else lo
        hit = None
        if last is not None and f.kind == "value":
            hit = _second_label(label, stream.paras[last.index], last.end)
        hit = hit or search(label, stream, pos, hi) or search(label, stream, lo, hi)
        hit = hit or search_inside(label, stream, pos, hi)
        if hit is None:
            continue
        hits[f.name] = hit
        if f.kind != "year":
            last = hit
    return hits


_BLANK_BEFORE = re.compile(r"(?:\.{3,}|…+|_{3,}|\s{2,}|\t)\s*$")


def _second_label(label: Label, para: Para, after: int) -> Hit | None:
    """A second label on the same printed line ("ชื่อผลงาน...... กลุ่ม......"):
    only where a blank (leaders, a tab or a wide gap) stands before it, so a
    word inside an answer ("การนิเทศแบบกลุ่มเครือข่าย") is never taken for it."""
    hit = match_inside(label, para, after)
    if hit is None or not _BLANK_BEFORE.search(para.with_tabs[after : hit.start]):
        return None
    return hit


def _next_stop(stops: list[Hit], hit: Hit) -> Hit | None:
    return next((s for s in stops if (s.index, s.start) > (hit.index, hit.start)), None)


def _one(
    f: FieldDef,
    stream: Stream,
    lo: int,
    hi: int,
    hit: Hit | None,
    stops: list[Hit],
    headers: list[Stream],
    path: str,
) -> Found:
    if f.kind == "level":
        return level_without_table(stream, path) or kinds.level(stream, f.header, f.table, path)
    if f.kind == "boxes":
        return _boxes(f, stream, lo, hi, path)
    if f.kind == "header":
        return Found(kinds.header_text(headers), "page header")
    if f.kind == "repeat":
        return _repeat(f, stream, headers, path)
    if hit is None:
        return _missing(f, path)
    stop = _next_stop(stops, hit)
    if stop is None or stop.index >= hi:  # the last answer of a repeated block ends where the block does
        stop = Hit(hi, 0, 0) if hi < len(stream.paras) else None
    raw, where = kinds.span_text(stream, hit, stop)
    end = kinds.span_end(stream, hit, stop)
    if f.kind == "images":
        end = min(stream.container_end(hit.index), stop.index if stop else hi, hi)
        value: Any = kinds.images_value(stream, hit, end)
        beside = kinds.beside(stream, hit, stop) if not value else None
        if beside is not None:
            value = kinds.images_value(stream, Hit(beside[0], 0, 0), beside[1])
    elif f.kind == "lines":
        value = kinds.lines_value(raw, f.ignore)
    elif f.kind == "year":
        value = kinds.year_value(raw)
    elif f.kind == "value":
        value = kinds.value_value(raw)
    else:
        value = kinds.section_value(raw)
    return Found(value, where, hit=hit, end=end)


_EMPTY: dict[str, Any] = {"lines": [], "images": [], "year": None}


def _missing(f: FieldDef, path: str) -> Found:
    value = _EMPTY.get(f.kind, "")
    if f.optional:
        return Found(value)
    warning = Warning.of("field-not-found", path, f"label {f.label!r} not found")
    return Found(value, "", [warning])


def _boxes(f: FieldDef, stream: Stream, lo: int, hi: int, path: str) -> Found:
    anchor = search(make_label(f.after), stream, lo, hi) if f.after else None
    if anchor is None:
        return kinds.box_group(stream, f.items, lo, hi, False, path)
    end = stream.container_end(anchor.index)
    return kinds.box_group(stream, f.items, anchor.index, end, True, path)


def _repeat(f: FieldDef, stream: Stream, headers: list[Stream], path: str) -> Found:
    starts = _block_starts(f, stream, 0, len(stream.paras))
    found = Found([], stream.paras[starts[0]].where if starts else "")
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else stream.container_end(start)
        headings = heading_hits(f.headings, stream, start + 1, end)
        prefix = f"{path}[{len(found.value)}]."
        sub = _fields(f.fields, stream, start + 1, end, end, headings, headers, prefix)
        item = {name: s.value for name, s in sub.items()}
        found.blocks.append((start, end, sub))
        if not any(item.values()):
            continue
        index = len(found.value)
        found.value.append(item)
        for name, s in sub.items():
            found.detail.append(f"[{index}].{name}: {s.where}")
            found.warnings.extend(s.warnings)
    return found
