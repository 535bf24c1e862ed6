"""Which glyphs of a paragraph are boxes of the form: the one decision.

The checkbox stage (:mod:`formkit.docx.checkboxes`) turns every box or mark
glyph into a :class:`~formkit.docx.model.Checkbox`, wherever it stands. Not
every such glyph is a box a person ticks:

* an instruction names the glyphs in running text, "โปรดทำเครื่องหมาย √
  ลงในช่อง ☐": a line holding a glyph that follows running text and is not
  followed by a label (nothing after it on its line) while another glyph of
  the line is followed by text of its own segment is such a sentence, and
  none of its glyphs after running text is a box. Boxes whose labels come
  first ("เคย ☐   ไม่เคย ☐", a level cell "5 ☐") are every one followed by a
  gap or the line's end, and stay boxes; so do boxes between labels on one
  line ("เพศ ☐ ชาย ☐ หญิง");
* a solid square (■, Wingdings 0x6E) that opens a paragraph outside a table
  as its only glyph, with no one-box line before or after it, is a heading
  bullet, not a ticked box.

:func:`form_boxes` is used by the locators (parse) and by fill's template
builder alike, so fill ticks the box parse reads. Positions are ordinals
among the paragraph's Checkbox inlines (what both sides count).
"""
from __future__ import annotations

import re

from formkit.docx.model import Break, Checkbox, Paragraph, Text
from formkit.locate.stream import Stream

_GAP = re.compile(r"\t| {2,}|\u00a0{2,}")
_WORD = re.compile(r"[^\W\d_]", re.UNICODE)
_BULLET_SQUARES = frozenset("■")

# a line: its pieces, each a text or the ordinal of a glyph
_Piece = str | int


def form_boxes(stream: Stream, index: int) -> list[int]:
    """Ordinals (among the Checkbox inlines of paragraph ``index``) of the
    glyphs that are boxes of the form."""
    para = stream.paras[index]
    out: list[int] = []
    for line in _lines(para.paragraph):
        out.extend(_line_boxes(line))
    if len(out) == 1 and _heading_bullet(stream, index):
        return []
    return out


def is_form_box(stream: Stream, index: int, ordinal: int) -> bool:
    """True when the ``ordinal``-th Checkbox of paragraph ``index`` is a box of the form."""
    return ordinal in form_boxes(stream, index)


def _lines(par: Paragraph) -> list[list[_Piece]]:
    """The paragraph's lines (split at line breaks), each as text pieces and glyph ordinals."""
    lines: list[list[_Piece]] = [[]]
    ordinal = 0
    for item in par.inlines:
        if isinstance(item, Checkbox):
            lines[-1].append(ordinal)
            ordinal += 1
        elif isinstance(item, Text):
            lines[-1].append(item.text)
        elif isinstance(item, Break):
            lines.append([])
    return [line for line in lines if any(isinstance(p, int) for p in line)]


def _segments(line: list[_Piece]) -> list[list[_Piece]]:
    """``line`` cut at gaps (a tab, two or more spaces): the layout's columns."""
    out: list[list[_Piece]] = [[]]
    for piece in line:
        if isinstance(piece, int):
            out[-1].append(piece)
            continue
        parts = _GAP.split(piece)
        for n, part in enumerate(parts):
            if n:
                out.append([])
            if part:
                out[-1].append(part)
    return [seg for seg in out if seg]


def _line_boxes(line: list[_Piece]) -> list[int]:
    """The glyph ordinals of one line that are boxes (see the module's rule)."""
    after_text: set[int] = set()   # glyphs that follow running text in their segment
    labelled: set[int] = set()     # glyphs followed by text in their segment
    glyphs: list[int] = []
    for seg in _segments(line):
        opens_with_glyph = isinstance(seg[0], int)
        words = False
        for n, piece in enumerate(seg):
            if isinstance(piece, str):
                words = words or bool(_WORD.search(piece))
                continue
            glyphs.append(piece)
            if words and not opens_with_glyph:
                after_text.add(piece)
            if any(isinstance(p, str) and _WORD.search(p) for p in seg[n + 1 : _next_glyph(seg, n)]):
                labelled.add(piece)
    instruction = bool(after_text - labelled) and bool(after_text & labelled)
    return [g for g in glyphs if not (instruction and g in after_text)]


def _next_glyph(seg: list[_Piece], n: int) -> int:
    for k in range(n + 1, len(seg)):
        if isinstance(seg[k], int):
            return k
    return len(seg)


def _heading_bullet(stream: Stream, index: int) -> bool:
    """The paragraph opens with a solid square, its only glyph, outside a
    table, and no paragraph beside it is a one-box line."""
    para = stream.paras[index]
    boxes = para.checkboxes
    if len(boxes) != 1 or boxes[0].glyph not in _BULLET_SQUARES or para.container:
        return False
    first = next((i for i in para.paragraph.inlines if not (isinstance(i, Text) and not i.text.strip())), None)
    if first is not boxes[0]:
        return False
    return not any(_one_box_line(stream, k) for k in (index - 1, index + 1))


def _one_box_line(stream: Stream, index: int) -> bool:
    if not 0 <= index < len(stream.paras):
        return False
    return len(stream.paras[index].checkboxes) == 1
