"""The checkbox stage: glyphs in the document model become Checkbox values.

The reader already turned content-control and legacy form-field checkboxes
into :class:`~formkit.docx.model.Checkbox`; here every remaining way of showing a
box is decided by the one glyph table (``formkit/data/glyphs.yaml``):

* a symbol-font glyph (``Symbol``) or a Unicode character that the table
  calls a *box* becomes a Checkbox with the box's state;
* a *mark* (✓ ✔ ✗ ✘, Wingdings 0xFC ...) typed right beside an empty box
  (spaces allowed between) ticks that box and is consumed; so does a typed
  mark word ("/", "X", "x", "×") standing alone beside it;
* a mark standing alone where a box was printed is a ticked box;
* bullets (●, Wingdings 0x6C) stay what they are.
"""
from __future__ import annotations

import operator
import re
from collections.abc import Callable
from functools import lru_cache

from formkit.docx import glyphs
from formkit.docx.model import (
    Block,
    Checkbox,
    Document,
    Inline,
    Paragraph,
    paragraphs_of,
    Row,
    Symbol,
    Table,
    Text,
)
from formkit.values import NamedTuple, compare_by_type


class _Mark(NamedTuple):
    """A tick or cross not yet known to belong to a box."""

    box: Checkbox


LONE_MARK = "lone-mark"


def convert_document(doc: Document) -> Document:
    """Return ``doc`` with glyph boxes and marks turned into Checkbox inlines;
    in a document whose box glyphs were all dropped (:func:`boxes_dropped`),
    a mark or box letter standing alone at the start of a paragraph is read
    as the box it stood for (encoding ``lone-mark``: parse warns). The
    reader does the same as it reads (``read_document(pkg, boxes=True)``,
    with :func:`paragraph_boxes`, :func:`holds_whole_box` and
    :func:`lone_marks`); this is the stage for a model built otherwise."""
    out = doc._replace(
        body=_blocks(doc.body),
        headers=tuple(s._replace(blocks=_blocks(s.blocks)) for s in doc.headers),
        footers=tuple(s._replace(blocks=_blocks(s.blocks)) for s in doc.footers),
    )
    return lone_marks(out) if boxes_dropped(out.body) else out


def lone_marks(doc: Document) -> Document:
    """``doc`` (its boxes converted, none of them whole) with a mark or box
    letter standing alone at the start of a body paragraph read as a box."""
    return doc._replace(body=_map_paragraphs(doc.body, _lone_mark))


def paragraph_boxes(par: Paragraph) -> Paragraph:
    """One paragraph with its glyph boxes and marks converted; most hold no
    glyph and come back as they are (tested here before any call: most hold
    one text without a box character)."""
    search = glyphs.box_chars().search
    for inline in par.inlines:
        if isinstance(inline, Symbol) or (isinstance(inline, Text) and search(inline.text) is not None):
            return convert_paragraph(par)
    return par


def holds_whole_box(par: Paragraph) -> bool:
    """Whether ``par`` (converted) holds a box that shows its glyph whole
    (what :func:`boxes_dropped` looks for)."""
    return any(isinstance(item, Checkbox) and _whole(item) for item in par.inlines)


def boxes_dropped(blocks: tuple[Block, ...]) -> bool:
    """True when no box of ``blocks`` shows its glyph whole: no box in a
    named symbol font, no box character, no Word control or form field
    (AbiWord and pandoc leave only marks, letters and fontless codes)."""
    return not any(map(holds_whole_box, paragraphs_of(blocks)))


def _whole(box: Checkbox) -> bool:
    if box.encoding in ("content-control", "form-field") or box.font:
        return True
    if box.code is not None:
        return False  # a symbol code with no font name
    glyph = glyphs.unicode_glyph(box.glyph)
    return glyph is not None and glyph.role == "box"


def _map_paragraphs(blocks: tuple[Block, ...], change: Callable[[Paragraph], Paragraph]) -> tuple[Block, ...]:
    """``blocks`` with ``change`` applied to every paragraph; a container
    none of whose parts changed is kept, not copied."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(change(block))
            continue
        rows = []
        for row in block.rows:
            cells = tuple(c if (inner := _map_paragraphs(c.blocks, change)) is c.blocks else c._replace(blocks=inner)
                          for c in row.cells)
            rows.append(row if _same(cells, row.cells) else Row(cells))
        out.append(block if _same(tuple(rows), block.rows) else Table(tuple(rows)))
    result = tuple(out)
    return blocks if _same(result, blocks) else result


_LONE = r"\s*(\S)(?=\s|$)"  # this and the typed marks' patterns: compiled on first use


def _lone_mark(par: Paragraph) -> Paragraph:
    """A paragraph opening with a lone mark or box letter, and holding no
    box, with that token read as its box."""
    if not par.inlines or not isinstance(par.inlines[0], Text):
        return par
    if any(isinstance(i, Checkbox) for i in par.inlines):
        return par
    first = par.inlines[0].text
    m = re.match(_LONE, first)
    glyph = glyphs.lone_box(m.group(1)) if m else None
    if m is None or glyph is None or glyph.role == "bullet":
        return par
    token = m.group(1)
    letter = token not in glyphs.table().typed_marks
    box = Checkbox(glyph.checked or glyph.role == "mark", LONE_MARK, glyph.char if letter else token,
                   "" if letter else None, ord(token) if letter else None)
    rest = first[m.end():]
    inlines = (box, *((Text(rest),) if rest else ()), *par.inlines[1:])
    return par._replace(inlines=inlines)


def _blocks(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """``blocks`` converted. Most paragraphs hold no glyph and come back as
    they are; a container none of whose parts changed is kept, not copied."""
    out: list[Block] | None = None
    for n, block in enumerate(blocks):
        new = paragraph_boxes(block) if isinstance(block, Paragraph) else _table(block)
        if new is not block:
            if out is None:
                out = list(blocks[:n])
            out.append(new)
        elif out is not None:
            out.append(block)
    return blocks if out is None else tuple(out)


def _table(block: Table) -> Table:
    rows = tuple(_row(row) for row in block.rows)
    return block if _same(rows, block.rows) else Table(rows)


def _row(row: Row) -> Row:
    cells = tuple(c if (inner := _blocks(c.blocks)) is c.blocks else c._replace(blocks=inner)
                  for c in row.cells)
    return row if _same(cells, row.cells) else Row(cells)


def _same(new: tuple[object, ...], old: tuple[object, ...]) -> bool:
    return all(map(operator.is_, new, old))


def convert_paragraph(par: Paragraph) -> Paragraph:
    """Boxes and marks of one paragraph (marks pair only within a paragraph)."""
    if not any(_may_hold_glyph(i) for i in par.inlines):
        return par
    items = [piece for inline in par.inlines for piece in _split(inline)]
    items = _pair_marks(items)
    inlines = tuple(i.box if isinstance(i, _Mark) else i for i in items)
    return par._replace(inlines=inlines)


def _may_hold_glyph(inline: Inline) -> bool:
    if isinstance(inline, Symbol):
        return True
    return isinstance(inline, Text) and glyphs.box_chars().search(inline.text) is not None


# A form repeats a few box glyphs; their font names are folded once each.
_symbol_glyph = lru_cache(maxsize=1024)(glyphs.symbol_glyph)


def _split(inline: Inline) -> list[Inline | _Mark]:
    """One inline as boxes, marks and the text between them."""
    if isinstance(inline, Symbol):
        glyph = _symbol_glyph(inline.font, inline.code)
        if glyph is None or glyph.role == "bullet":
            return [inline]
        box = Checkbox(glyph.checked, "symbol", glyph.char, inline.font, inline.code)
        return [_Mark(box) if glyph.role == "mark" else box]
    if not isinstance(inline, Text):
        return [inline]
    out: list[Inline | _Mark] = []
    start = 0
    for match in glyphs.box_chars().finditer(inline.text):  # boxes and marks, never bullets
        i, ch = match.start(), match.group()
        glyph = glyphs.unicode_glyph(ch)
        if glyph is None:
            continue
        if i > start:
            out.append(Text(inline.text[start:i]))
        box = Checkbox(glyph.checked, "unicode", ch)
        out.append(_Mark(box) if glyph.role == "mark" else box)
        start = i + 1
    if start < len(inline.text):
        out.append(Text(inline.text[start:]))
    return out


def _pair_marks(items: list[Inline | _Mark]) -> list[Inline | _Mark]:
    """Let each empty box take a mark right after it, else right before it."""
    for i, item in enumerate(items):
        if isinstance(item, Checkbox) and not item.checked:
            if _take_mark(items, i, i + 1, 1) or _take_mark(items, i, i - 1, -1):
                items[i] = item._replace(checked=True, encoding="typed-mark")
    return _merge_text(items)


def _merge_text(items: list[Inline | _Mark]) -> list[Inline | _Mark]:
    """Drop emptied text pieces and join neighbouring ones again."""
    out: list[Inline | _Mark] = []
    for item in items:
        if isinstance(item, Text):
            if not item.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + item.text)
                continue
        out.append(item)
    return out


def _take_mark(items: list[Inline | _Mark], box_at: int, at: int, step: int) -> bool:
    """Consume a mark next to the box at ``box_at`` (skipping white space)."""
    while 0 <= at < len(items):
        item = items[at]
        if isinstance(item, _Mark):
            if step < 0 and _belongs_before(items, at):
                return False
            items[at] = Text("")
            return True
        if isinstance(item, Text):
            if not item.text.strip():
                at += step
                continue
            return _take_typed(items, at, step)
        return False
    return False


def _belongs_before(items: list[Inline | _Mark], at: int) -> bool:
    """True when the mark at ``at`` sits right after another empty box."""
    j = at - 1
    while j >= 0 and isinstance(items[j], Text) and not items[j].text.strip():  # type: ignore[union-attr]
        j -= 1
    return j >= 0 and isinstance(items[j], Checkbox) and not items[j].checked  # type: ignore[union-attr]


# a one-character word right after the box, or a sign glued to it ("☐/5")
_AFTER_WORD = r"\s*(\S)(?=\s|$|[\u0e00-\u0e7f])"  # "X แผน", "Xแผน"
_AFTER_SIGN = r"\s*([/×])"
# a one-character word right before the box
_BEFORE = r"(?:^|\s)(\S)\s*$"


def _take_typed(items: list[Inline | _Mark], at: int, step: int) -> bool:
    """A typed mark word ("/", "X" ...) at the near end of the text at ``at``."""
    text = items[at].text  # type: ignore[union-attr]
    m = (re.match(_AFTER_WORD, text) or re.match(_AFTER_SIGN, text)) if step > 0 else re.search(_BEFORE, text)
    if m and glyphs.is_typed_mark(m.group(1)):
        items[at] = Text(text[: m.start(1)] + text[m.end(1):])
        return True
    return False


compare_by_type(_Mark)
