"""The locator kinds: how each kind of field is read from the stream.

Every function returns a :class:`Found`: the value, where it was found and
the warnings, so ``inspect`` and the Python API can show provenance.
"""
from __future__ import annotations

import re
from typing import Any

from formkit.docx.model import Break, Checkbox, Text
from formkit.text import LIST_NUMBER, is_blank, normalize, normalize_line, parse_int, short_key
from formkit.warnings import Warning
from formkit.locate.boxes import form_boxes
from formkit.locate.labels import COLONS, Hit, Label, make_label, opening
from formkit.locate.stream import Para, Stream


class Found:
    """A located value with its provenance. ``hit`` and ``end`` (the label and
    the stream index where its answer ends), ``boxes`` (key -> (stream index,
    ordinal of the box in its paragraph)) and ``blocks`` (repeated blocks:
    start, end and their fields) are what fill needs to turn the original
    into a template; ``cells``: a grid's header row and the rows below it,
    each column's first paragraph (formkit.locate.grid)."""

    __slots__ = ("value", "where", "warnings", "detail", "hit", "end", "boxes", "blocks", "cells")

    def __init__(
        self, value: Any, where: str = "", warnings: list[Warning] | None = None, detail: list[str] | None = None,
        hit: Hit | None = None, end: int = -1, boxes: dict[Any, tuple[int, int]] | None = None,
        blocks: list[tuple[int, int, dict[str, Found]]] | None = None, cells: list[dict[str, int]] | None = None,
    ) -> None:
        self.value = value
        self.where = where
        self.warnings = warnings if warnings is not None else []
        self.detail = detail if detail is not None else []
        self.hit = hit
        self.end = end
        self.boxes = boxes if boxes is not None else {}
        self.blocks = blocks if blocks is not None else []
        self.cells = cells if cells is not None else []  # a grid's header and rows: column -> stream index

    def __repr__(self) -> str:
        return f"Found({self.value!r}, {self.where!r})"


# ---- text between a label and the next one -------------------------------------------

def span_end(stream: Stream, hit: Hit, stop: Hit | None) -> int:
    """Stream index one past the last paragraph of a label's answer."""
    end = stream.container_end(hit.index)
    return min(end, stop.index) if stop is not None else end


def span_text(stream: Stream, hit: Hit, stop: Hit | None) -> tuple[str, str]:
    """The text after ``hit`` up to ``stop`` (or the end of the label's
    container), with where it came from."""
    paras = stream.paras
    label_para = paras[hit.index]
    if stop is not None and stop.index == hit.index:
        return strip_lead(label_para.text[hit.end : stop.start]), label_para.where
    end = span_end(stream, hit, stop)
    parts = [strip_lead(label_para.text[hit.end :])]
    parts.extend(p.text for p in paras[hit.index + 1 : end])
    last = paras[max(end - 1, hit.index)]
    where = label_para.where if last is label_para else f"{label_para.where} .. {last.where}"
    raw = "\n".join(parts)
    if is_blank(raw) and (cell := beside(stream, hit, stop)) is not None:
        lo, hi = cell
        return "\n".join(p.text for p in paras[lo:hi]), f"{paras[lo].where} .. {paras[hi - 1].where}"
    return raw, where


def beside(stream: Stream, hit: Hit, stop: Hit | None) -> tuple[int, int] | None:
    """The answer cell right of a label that fills its own cell (a form
    re-typed as a label | answer table): its paragraph range, or None."""
    if span_end(stream, hit, stop) != stream.container_end(hit.index) or not _opens_cell(stream, hit.index):
        return None
    return _next_cell(stream, hit.index, stop)


def _opens_cell(stream: Stream, index: int) -> bool:
    """True when the paragraph at ``index`` is the first with text in its cell."""
    here = stream.paras[index].container
    j = index - 1
    while j >= 0 and stream.paras[j].container == here:
        if stream.paras[j].key:
            return False
        j -= 1
    return bool(here)


def _next_cell(stream: Stream, index: int, stop: Hit | None) -> tuple[int, int] | None:
    """The paragraphs of the cell right of a label's cell (a form re-typed as
    a table: label | answer), when the label's own cell holds no answer."""
    paras = stream.paras
    here = paras[index].container
    if not here:
        return None
    row, depth = here[:-1], len(here)
    lo = stream.container_end(index)
    if lo >= len(paras) or paras[lo].container[: len(row)] != row or len(paras[lo].container) < depth:
        return None
    cell = paras[lo].container[:depth]
    hi = lo
    while hi < len(paras) and paras[hi].container[:depth] == cell:
        hi += 1
    if stop is not None and lo <= stop.index < hi:
        hi = stop.index
    return (lo, hi) if hi > lo else None


def strip_lead(text: str) -> str:
    """The rest of a label's line without the colon or spaces after the label
    (white space as ``str.strip`` takes it, the set ``\\s`` matches)."""
    rest = text.lstrip()
    while rest and rest[0] in COLONS:
        rest = rest.lstrip(COLONS).lstrip()
    return rest


def section_value(raw: str) -> str:
    return normalize(raw)


def value_value(raw: str) -> str:
    return " ".join(section_value(raw).split("\n"))




def lines_value(raw: str, ignore: tuple[str, ...]) -> list[str]:
    """Numbered dotted lines: each line without its printed number; empty
    lines and printed fillers ("ฯลฯ") dropped."""
    skip = {short_key(i) for i in ignore}
    out = []
    for line in raw.split("\n"):
        text = normalize_line(LIST_NUMBER.sub("", normalize_line(line)))
        if text and short_key(text) not in skip:
            out.append(text)
    return out


_YEAR = re.compile(r"[0-9๐-๙]{4}(?:\s*[-–]\s*[0-9๐-๙]{4})?")


def year_value(raw: str) -> str | None:
    m = _YEAR.search(normalize(raw))
    return re.sub(r"\s*[-–]\s*", " - ", m.group()) if m else None


def images_value(stream: Stream, hit: Hit, end: int) -> list[dict[str, str]]:
    """The pictures from the label's paragraph to ``end``, each as its
    digest and media type, with its caption when it has one: the text of the
    paragraphs under it in the same table cell, up to the next picture (how
    fill lays photos out, a grid of cells; a picture outside a table has no
    caption)."""
    out: list[dict[str, str]] = []
    under: list[str] = []
    cell: tuple[int, ...] = ()
    for p in stream.paras[hit.index : end]:
        if p.images:
            _caption(out, under)
            out.extend({"sha256": img.sha256, "media_type": img.media_type} for img in p.images)
            under, cell = [], p.container
        elif cell and p.container == cell:
            under.append(p.text)
        else:
            cell = ()
    _caption(out, under)
    return out


def _caption(photos: list[dict[str, str]], lines: list[str]) -> None:
    """The text ``lines`` under the last of ``photos`` as its caption (one
    line, normalized as a value is), when there is any."""
    text = value_value("\n".join(lines))
    if photos and text:
        photos[-1]["caption"] = text


# ---- the level column ----------------------------------------------------------------

def level(stream: Stream, header: str, others: tuple[str, ...], name: str) -> Found:
    """The quality level ticked in the column headed ``header``."""
    head = make_label(header, exact=True)
    wanted = [make_label(t) for t in others]
    index = _all_cells(stream)
    tables = [(table, index.get(tpath, {}), where) for table, tpath, where in stream.tables]
    for table, cells, where in tables:
        col_row = _header_cell(cells, head, wanted)
        if col_row is not None:
            col, header_row = col_row
            return _level_rows(cells, where, col, header_row, len(table.rows), name)
    for table, cells, where in tables:
        found_col = _box_digit_column(cells)
        if found_col is not None:
            return _level_rows(cells, where, found_col, -1, len(table.rows), name)
    return Found(None, "", [Warning.of("field-not-found", name, "the quality-level table was not found")])


def _box_digit_column(cells: dict[tuple[int, int], list[Para]]) -> int | None:
    """Without its header (an office re-typed it), the level column is the
    first column where at least three rows hold a box and a digit 1..5."""
    votes: dict[int, int] = {}
    for (row, col), paras in cells.items():
        if not any(p.checkboxes for p in paras):
            continue
        number = parse_int(" ".join(p.text for p in paras))
        if number is not None and 1 <= number <= 5:
            votes[col] = votes.get(col, 0) + 1
    cols = sorted(col for col, n in votes.items() if n >= 3)
    return cols[0] if cols else None


def _all_cells(stream: Stream) -> dict[tuple[int, ...], dict[tuple[int, int], list[Para]]]:
    """For every table (by its container path), the paragraphs of each
    (row, column) cell, nested tables' paragraphs counted in their outer
    cells too; one pass over the stream, however many tables there are, and
    once per stream (the level and every grid ask). Shared: not to be changed."""
    return stream.derived(("all-cells",), lambda: _cells_of(stream))


def _cells_of(stream: Stream) -> dict[tuple[int, ...], dict[tuple[int, int], list[Para]]]:
    tables: dict[tuple[int, ...], dict[tuple[int, int], list[Para]]] = {}
    for p in stream.paras:
        c = p.container
        for k in range(0, len(c) - 2, 3):
            tables.setdefault(c[: k + 1], {}).setdefault((c[k + 1], c[k + 2]), []).append(p)
    return tables


def _header_cell(
    cells: dict[tuple[int, int], list[Para]], head: Label, wanted: list[Label]
) -> tuple[int, int] | None:
    """(column, row) of the header cell, in a table that also has the other headers."""
    rows: dict[int, dict[int, str]] = {}
    for (r, c), paras in cells.items():
        rows.setdefault(r, {})[c] = "".join(p.key for p in paras)
    for r, row in sorted(rows.items()):
        col = next((c for c, key in row.items() if key == head.key), None)
        joined = "".join(row.values())
        if col is not None and all(w.key in joined for w in wanted):
            return col, r
    return None


def _level_rows(
    cells: dict[tuple[int, int], list[Para]], where: str, col: int, header_row: int, nrows: int, name: str
) -> Found:
    ticked: list[int] = []
    detail: list[str] = []
    targets: dict[Any, tuple[int, int]] = {}
    for r in range(header_row + 1, nrows):
        paras = cells.get((r, col), [])
        number = parse_int(" ".join(p.text for p in paras))
        boxes = [b for p in paras for b in p.checkboxes]
        if number is None or not boxes:
            continue
        state = any(b.checked for b in boxes)
        first = next(p for p in paras if p.checkboxes)
        targets[number] = (first.index, 0)
        detail.append(f"level {number}: {_describe(boxes)} ({where}, row {r + 1})")
        if state:
            ticked.append(number)
    found = Found(None, f"{where}, column {col + 1}", detail=detail, boxes=targets)
    if len(ticked) == 1:
        found.value = ticked[0]
    elif len(ticked) > 1:
        levels = ", ".join(map(str, ticked))
        found.warnings.append(
            Warning.of("multiple-levels-ticked", name, f"levels {levels} are all ticked; none taken")
        )
    return found


def _describe(boxes: list[Checkbox]) -> str:
    return "; ".join(describe_box(b) for b in boxes)


def describe_box(box: Checkbox) -> str:
    state = "ticked" if box.checked else "empty"
    font = f" {box.font} 0x{box.code:02X}" if box.font and box.code is not None else ""
    glyph = f" {box.glyph}" if box.glyph else ""
    return f"{state} ({box.encoding}{glyph}{font})"


# ---- box groups ----------------------------------------------------------------------

class _Box:
    __slots__ = ("box", "where", "at", "text")

    def __init__(self, box: Checkbox, where: str, at: tuple[int, int], text: str = "") -> None:
        self.box = box
        self.where = where
        self.at = at
        self.text = text


def boxes_in(stream: Stream, lo: int, hi: int) -> list[_Box]:
    """Each box of the form in paragraphs [lo, hi) (:func:`form_boxes`: not
    an instruction's glyphs or a heading bullet) with the text that follows it
    up to the next box (its printed label, possibly over several lines). The
    pieces are joined once at the end: after the last box they can be the
    rest of a long document."""
    out: list[_Box] = []
    pieces: list[list[str]] = []
    for para in stream.paras[lo:hi]:
        ordinal = 0
        boxes = form_boxes(stream, para.index) if para.checkboxes else []
        for item in para.paragraph.inlines:
            if isinstance(item, Checkbox):
                if ordinal in boxes:
                    out.append(_Box(item, para.where, (para.index, ordinal)))
                    pieces.append([])
                ordinal += 1
            elif out and isinstance(item, Text):
                pieces[-1].append(item.text)
            elif out and isinstance(item, Break):
                pieces[-1].append(" ")
        if out:
            pieces[-1].append(" ")
    for box, text in zip(out, pieces):
        box.text = "".join(text)
    return out


def box_group(
    stream: Stream, items: tuple[tuple[str, str], ...], lo: int, hi: int, anchored: bool, name: str
) -> Found:
    """Ordered boxes matched to the definition's items by their labels; when
    the labels cannot all be matched and the counts agree, by order."""
    found_boxes = boxes_in(stream, lo, hi)
    labels = [(key, make_label(text)) for key, text in items]
    want = max((len(label.key) for _, label in labels), default=0)
    starts = [key_start(cand.text, want) for cand in found_boxes]
    assigned: dict[str, _Box] = {}
    used: set[int] = set()
    for key, label in labels:
        for n, cand in enumerate(found_boxes):
            if n not in used and opening(label.key, starts[n]):
                assigned[key] = cand
                used.add(n)
                break
    if len(assigned) < len(items) and anchored and len(found_boxes) == len(items):
        assigned = {key: found_boxes[n] for n, (key, _) in enumerate(items)}
    found = Found({}, "")
    for key, label in labels:
        picked = assigned.get(key)
        found.value[key] = bool(picked and picked.box.checked)
        if picked is None:
            found.warnings.append(
                Warning.of("field-not-found", f"{name}.{key}", f"no box labelled {label.text!r}")
            )
        else:
            found.boxes[key] = picked.at
            found.detail.append(f"{key}: {describe_box(picked.box)} at {picked.where}")
    if assigned:
        found.where = next(iter(assigned.values())).where
    return found


def key_start(text: str, want: int) -> str:
    """The first ``want`` characters of ``match_key(text)`` (all of it when
    shorter), keyed from a prefix of ``text`` cut before a space: nothing
    joins across a space (no canonical composition takes one, digits and Thai
    sara am stop at it), so the prefix's key is a prefix of the whole key.
    The text after a box can be the rest of a long document."""
    size = 4 * want + 32
    while True:
        cut = text.find(" ", size)
        if cut < 0:
            return short_key(text)[:want]
        key = short_key(text[:cut])
        if len(key) >= want:
            return key[:want]
        size = 2 * cut


def header_text(streams: list[Stream]) -> str:
    """The text of the page header(s): first non-empty story."""
    for stream in streams:
        text = value_value("\n".join(p.text for p in stream.paras))
        if text:
            return text
    return ""
