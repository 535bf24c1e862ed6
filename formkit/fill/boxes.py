"""Ticking a printed box in a fill template.

A box is found as the n-th box of its paragraph (the locators' ordinal): a
``w:sym`` of a symbol font (its ``w:char`` becomes a tag choosing the ticked
code of the same font, ECMA-376 Part 1, 17.3.3.30 sym), or a box character in
a run of its own (the ticked character of its family: Wingdings 2 "R" for a
Wingdings 2 box, ☑ for a Unicode one).
"""
from __future__ import annotations

from lxml import etree

from formkit.docx import glyphs
from formkit.docx.ns import qn
from formkit.fill.tags import Tags
from formkit.fill.edit import W_SYM, W_T, pieces, run_font, runs_between


def tick(p: etree._Element, ordinal: int, condition: str, tags: Tags) -> bool:
    """Tick the ``ordinal``-th box of paragraph ``p`` when ``condition``
    holds: a w:sym box gets the ticked code of its font, a box character the
    ticked character of its family. False when there is no such box."""
    glyph = _nth_glyph(p, ordinal)
    if glyph is None:
        return False
    if glyph.tag == W_SYM:
        font = glyph.get(qn("w:font"), "")
        code = glyphs.tick_code(font)
        if code is not None:
            printed = glyph.get(qn("w:char"), "")
            tag = tags.inline
            glyph.set(qn("w:char"), f"{tag(f'{{% if {condition} %}}')}F0{code:02X}{tag('{% else %}')}"
                      f"{printed}{tag('{% endif %}')}")
        return True
    _tick_text(p, glyph, condition, tags)
    return True


def _nth_glyph(p: etree._Element, ordinal: int) -> etree._Element | None:
    """The ``ordinal``-th box of paragraph ``p``: a w:sym, or a w:t holding a
    box character (its run then stands alone), in document order."""
    found = -1
    for el in p.iter(W_SYM, W_T):
        if el.tag == W_SYM:
            glyph = glyphs.symbol_glyph(el.get(qn("w:font"), ""), _code(el.get(qn("w:char"), "")))
            found += glyph is not None and glyph.role != "bullet"
        else:
            symbol_run = glyphs.is_symbol_font(run_font(el.getparent()))
            for ch in el.text or "":
                found += _is_box_char(ch, symbol_run, run_font(el.getparent()))
                if found == ordinal:
                    return el
            continue
        if found == ordinal:
            return el
    return None


def _code(char: str) -> int:
    try:
        return int(char, 16) & 0xFF
    except ValueError:
        return -1


def _is_box_char(ch: str, symbol_run: bool, font: str) -> bool:
    if symbol_run or "\uf000" <= ch <= "\uf0ff":
        glyph = glyphs.symbol_glyph(font, ord(ch))
    else:
        glyph = glyphs.unicode_glyph(ch)
    return glyph is not None and glyph.role != "bullet"


def _tick_text(p: etree._Element, t: etree._Element, condition: str, tags: Tags) -> None:
    """A box written as a character: isolate it in its own run and write the
    ticked character of its family when ``condition`` holds."""
    run = t.getparent()
    font = run_font(run)
    symbol_run = glyphs.is_symbol_font(font)
    start = next(pc.start for pc in pieces(p) if pc.node is t)
    offset = next(k for k, ch in enumerate(t.text or "") if _is_box_char(ch, symbol_run, font))
    (box_run,) = runs_between(p, start + offset, start + offset + 1)
    box_t = box_run.find(W_T)
    printed = box_t.text or ""
    if symbol_run or "\uf000" <= printed <= "\uf0ff":
        code = glyphs.tick_code(font)
        ticked = chr(0xF000 | code) if code is not None and printed >= "\uf000" else chr(code or 0x52)
    else:
        ticked = glyphs.unicode_tick()
    box_t.text = f"{tags.inline(f'{{% if {condition} %}}')}{ticked}{tags.inline('{% else %}')}{printed}{tags.inline('{% endif %}')}"
