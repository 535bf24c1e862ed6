"""Locating a form's fields in a document model.

:func:`locate` walks the form definition: label-anchored fields are found in
definition order (each searched after the previous one, falling back to the
whole scope for a copy whose order drifted), then every field's value is cut
from its label to the next label found, or to the end of the label's table
cell. Repeated blocks apply the same to each block.

Locators see the document model (formkit.docx.model) as a stream of
paragraphs (stream), never XML; labels match printed text by a normalized key
(labels); kinds implements each locator kind, grid the tables filled row by
row, thaidate the date blanks; a signature block is a few value and date
fields under its label. Imports formkit.docx's model,
formkit.forms and the base modules.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from formkit.forms import FieldDef, FormDef
from formkit.forms.belongs import answers_without_box, has_answer
from formkit.docx.model import Document
from formkit.text import parse_int
from formkit.warnings import Warning
from formkit.locate import kinds, thaidate
from formkit.locate.controls import locate_controls
from formkit.locate.flat import level_without_table, lone_box_stops
from formkit.locate.grid import grid
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

_LABELLED = ("section", "value", "lines", "images", "year", "date", "signature")
_STOPS = ("section", "value", "lines", "images", "date", "signature")


class Located:
    """A record with, for each field path, where it was found."""

    __slots__ = ("record", "where", "warnings", "stream", "headers")

    def __init__(self, record: dict[str, Any], where: dict[str, Found] | None = None,
                 warnings: list[Warning] | None = None, stream: Stream | None = None,
                 headers: list[Stream] | None = None) -> None:
        self.record = record
        self.where = where if where is not None else {}
        self.warnings = warnings if warnings is not None else []
        self.stream = stream
        self.headers = headers if headers is not None else []


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
    found.update(locate_controls(form.fields, doc.controls))
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


def _block_starts(f: FieldDef, stream: Stream, lo: int, hi: int) -> tuple[int, ...]:
    """The paragraphs in [lo, hi) that start a block of the repeat ``f``
    (searched once per stream: the repeat's end stops and its blocks both
    ask)."""
    return stream.derived(("block-starts", f.start, lo, hi), lambda: tuple(_find_block_starts(f, stream, lo, hi)))


def _find_block_starts(f: FieldDef, stream: Stream, lo: int, hi: int) -> list[int]:
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
    taken: set[tuple[int, ...]] = set()  # two grids never read one table
    grids = {f.name: grid(stream, f, lo, hi, prefix + f.name, taken) for f in fields if f.kind == "grid"}
    hits = _find_labels(fields, stream, lo, label_hi, _grid_paras(stream, grids.values()))
    stops = sorted(
        [h for f in fields if (f.kind in _STOPS or f.kind == "boxes") and (h := hits.get(f.name))] + extra_stops
        + [g.hit for g in grids.values() if g.hit is not None],  # a grid ends the answer above it
        key=lambda h: (h.index, h.start),
    )
    out: dict[str, Found] = {}
    for f in fields:
        out[f.name] = grids.get(f.name) or _one(f, stream, lo, hi, hits.get(f.name), stops, headers, prefix + f.name)
    return out


def _grid_paras(stream: Stream, grids: Any) -> set[int]:
    """The paragraphs of the grids' header and rows: a grid's header cell
    ("Remarks") is never the label of another field (a printed row under a
    grid, "Total", may be)."""
    spans: list[tuple[tuple[int, ...], int, int]] = []
    for g in grids:
        if g.hit is not None and g.cells:
            rows = [stream.paras[i].container for row in g.cells for i in row.values()]
            spans.append((rows[0][:-2], min(c[-2] for c in rows), max(c[-2] for c in rows)))
    if not spans:
        return set()
    return {p.index for p in stream.paras for t, lo, hi in spans
            if p.container[: len(t)] == t and len(p.container) > len(t) and lo <= p.container[len(t)] <= hi}


def _outside(found: Callable[[int], Hit | None], skip: set[int], pos: int) -> Hit | None:
    """The first hit of ``found`` (searching from a paragraph index) not in ``skip``."""
    while True:
        hit = found(pos)
        if hit is None or hit.index not in skip:
            return hit
        pos = hit.index + 1


def _find_labels(fields: tuple[FieldDef, ...], stream: Stream, lo: int, hi: int,
                 skip: set[int] | None = None) -> dict[str, Hit]:
    skip = skip or set()
    hits: dict[str, Hit] = {}
    last: Hit | None = None
    for f in fields:
        if f.kind not in _LABELLED and not (f.kind == "boxes" and f.after):
            continue
        label = make_label(f.label or f.after)
        pos = last.index + 1 if last else lo
        hit = None
        if last is not None and f.kind == "value":
            hit = _second_label(label, stream.paras[last.index], last.end)
        hit = hit or _outside(lambda k: search(label, stream, k, hi), skip, pos)
        hit = hit or _outside(lambda k: search(label, stream, k, hi), skip, lo)
        hit = hit or _outside(lambda k: search_inside(label, stream, k, hi), skip, pos)
        if hit is None:
            continue
        hits[f.name] = hit
        if f.kind != "year":
            last = hit
    return hits


_BLANK_BEFORE = r"(?:\.{3,}|…+|_{3,}|\s{2,}|\t)\s*$"  # compiled on first use: few forms have second labels


def _second_label(label: Label, para: Para, after: int) -> Hit | None:
    """A second label on the same printed line ("ชื่อผลงาน...... กลุ่ม......"):
    only where a blank (leaders, a tab or a wide gap) stands before it, so a
    word inside an answer ("การนิเทศแบบกลุ่มเครือข่าย") is never taken for it."""
    hit = match_inside(label, para, after)
    if hit is None or not re.search(_BLANK_BEFORE, para.with_tabs[after : hit.start]):
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
        return _boxes(f, stream, lo, hi, path, hit)
    if f.kind == "header":
        return Found(kinds.header_text(headers), "page header")
    if f.kind == "repeat":
        return _repeat(f, stream, headers, path)
    if f.kind == "control":  # read from the document's controls (locate_controls)
        return Found(None)
    if hit is None:
        return _missing(f, path)
    stop = _next_stop(stops, hit)
    if stop is None or stop.index >= hi:  # the last answer of a repeated block ends where the block does
        stop = Hit(hi, 0, 0) if hi < len(stream.paras) else None
    if f.kind == "signature":
        return _signature(f, stream, hit, stop, hi, headers, path)
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
    elif f.kind == "date":
        value = thaidate.read(raw.split("\n")[0], f.between)
        end = hit.index + 1
    else:
        value = kinds.section_value(raw)
    return Found(value, where, hit=hit, end=end)


_EMPTY: dict[str, Any] = {"lines": [], "images": [], "year": None}


# A signature block is a few lines under its label: "ลงชื่อ.....", "(.....)", "ตำแหน่ง.....", a date.
_SIGNATURE_LINES = 6


def _signature(f: FieldDef, stream: Stream, hit: Hit, stop: Hit | None, hi: int, headers: list[Stream],
               path: str) -> Found:
    """A signature block: its parts (name, position, date: value and date
    fields) looked for from the signature's line to the next label, at most
    a few lines down. The signature itself is never read or filled. The
    name printed in brackets "(.....)" is read without its closing bracket."""
    end = min(stream.container_end(hit.index), hit.index + _SIGNATURE_LINES, stop.index if stop else hi, hi)
    end = max(end, hit.index + 1)
    sub = _fields(f.fields, stream, hit.index, end, end, [], headers, path + ".")
    value = {}
    for part in f.fields:
        got = sub[part.name].value
        value[part.name] = closed(part.label, got) if isinstance(got, str) else got
    found = Found(value, stream.paras[hit.index].where, hit=hit, end=end)
    found.blocks.append((hit.index, end, sub))
    for s in sub.values():
        found.warnings.extend(s.warnings)
    return found


def closed(label: str, text: str) -> str:
    """A value printed between brackets ("(.....)" under a signature) without the closing one."""
    if label.strip() == "(" and text.endswith(")"):
        return text[:-1].rstrip()
    return text


def _missing(f: FieldDef, path: str) -> Found:
    value = _EMPTY.get(f.kind, "") if f.kind != "signature" else {part.name: "" for part in f.fields}
    if f.optional:
        return Found(value)
    warning = Warning.of("field-not-found", path, f"label {f.label!r} not found")
    return Found(value, "", [warning])


def _boxes(f: FieldDef, stream: Stream, lo: int, hi: int, path: str, hit: Hit | None) -> Found:
    """A group of boxes, after its anchor line (found in definition order,
    as labels are: two groups under one printed question each take their
    own), or anywhere in [lo, hi) when it has none."""
    anchor = hit or (search(make_label(f.after), stream, lo, hi) if f.after else None)
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
