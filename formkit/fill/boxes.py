"""Ticking a printed box in a fill template.

A box is found as the n-th box of its paragraph (the locators' ordinal): a
``w:sym`` of a symbol font (its ``w:char`` becomes a tag choosing the ticked
code of the same font, ECMA-376 Part 1, 17.3.3.30 sym), a box character in
a run of its own (the ticked character of its family: Wingdings 2 "R" for a
Wingdings 2 box, ☑ for a Unicode one), a checkbox content control or a legacy
form field (its checked state: what Word and parse read; an office's copy
may hold such boxes where the form printed glyphs).
"""
from __future__ import annotations

from lxml import etree

from formkit.docx import glyphs
from formkit.docx.ns import qn
from formkit.fill.tags import Tags
from formkit.fill.edit import W_SYM, W_T, pieces, run_font, runs_between
from formkit.locate.boxes import is_form_box
from formkit.locate.stream import Stream

_FLDCHAR, _FFDATA, _CHECKBOX, _CHECKED = qn("w:fldChar"), qn("w:ffData"), qn("w:checkBox"), qn("w:checked")
_SDT, _SDT_PR = qn("w:sdt"), qn("w:sdtPr")
_W14_CHECKBOX, _W14_CHECKED, _W14_VAL = qn("w14:checkbox"), qn("w14:checked"), qn("w14:val")
_W14_CHECKED_STATE, _W14_UNCHECKED_STATE = qn("w14:checkedState"), qn("w14:uncheckedState")


def tick_box(stream: Stream, index: int, p: etree._Element, ordinal: int, condition: str, tags: Tags) -> bool:
    """Tick the ``ordinal``-th box of the paragraph at stream ``index`` (its
    XML ``p``), when the locators' one decision (:func:`is_form_box`) calls
    that glyph a box of the form; False otherwise, or when it is not found."""
    return is_form_box(stream, index, ordinal) and tick(p, ordinal, condition, tags)


def tick(p: etree._Element, ordinal: int, condition: str, tags: Tags) -> bool:
    """Tick the ``ordinal``-th box of paragraph ``p`` when ``condition``
    holds: a w:sym box gets the ticked code of its font, a box character the
    ticked character of its family, a content control or a legacy form field
    its checked state. False when there is no such box."""
    found = _nth_glyph(p, ordinal)
    if found is None:
        return False
    glyph, offset = found
    if glyph.tag == _FLDCHAR:
        _tick_field(glyph, condition, tags)
        return True
    control = _control(glyph)
    if control is not None:
        _tick_control(control, glyph, condition, tags)
        return True
    if glyph.tag == W_SYM:
        font = glyph.get(qn("w:font"), "")
        code = glyphs.tick_code(font)
        if code is not None:
            printed = glyph.get(qn("w:char"), "")
            tag = tags.inline
            glyph.set(qn("w:char"), f"{tag(f'{{% if {condition} %}}')}F0{code:02X}{tag('{% else %}')}"
                      f"{printed}{tag('{% endif %}')}")
        return True
    _tick_text(p, glyph, offset, condition, tags)
    return True


def _nth_glyph(p: etree._Element, ordinal: int) -> tuple[etree._Element, int] | None:
    """The ``ordinal``-th box of paragraph ``p`` and, for a w:t, the offset
    of its character: a w:sym, a box character of a w:t (several may share
    one w:t: "☐ เคย ☐ ไม่เคย"; a content control's shown box), or a legacy
    form field's w:fldChar, in document order (the reader's)."""
    found = -1
    for el in p.iter(W_SYM, W_T, _FLDCHAR):
        if el.tag == _FLDCHAR:
            found += el.find(f"{_FFDATA}/{_CHECKBOX}") is not None
        elif el.tag == W_SYM:
            glyph = glyphs.symbol_glyph(el.get(qn("w:font"), ""), _code(el.get(qn("w:char"), "")))
            found += glyph is not None and glyph.role != "bullet"
        else:
            font = run_font(el.getparent())
            symbol_run = glyphs.is_symbol_font(font)
            for k, ch in enumerate(el.text or ""):
                found += _is_box_char(ch, symbol_run, font)
                if found == ordinal:
                    return el, k
            continue
        if found == ordinal:
            return el, 0
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


def _tick_text(p: etree._Element, t: etree._Element, offset: int, condition: str, tags: Tags) -> None:
    """A box written as the character at ``offset`` of ``t``: isolate it in
    its own run and write the ticked character of its family when
    ``condition`` holds."""
    run = t.getparent()
    font = run_font(run)
    symbol_run = glyphs.is_symbol_font(font)
    start = next(pc.start for pc in pieces(p) if pc.node is t)
    (box_run,) = runs_between(p, start + offset, start + offset + 1)
    box_t = box_run.find(W_T)
    printed = box_t.text or ""
    if symbol_run or "\uf000" <= printed <= "\uf0ff":
        code = glyphs.tick_code(font)
        ticked = chr(0xF000 | code) if code is not None and printed >= "\uf000" else chr(code or 0x52)
    else:
        ticked = glyphs.unicode_tick()
    box_t.text = f"{tags.inline(f'{{% if {condition} %}}')}{ticked}{tags.inline('{% else %}')}{printed}{tags.inline('{% endif %}')}"


def _state(condition: str, tags: Tags, on: str, off: str) -> str:
    """Tag text that is ``on`` when ``condition`` holds, else ``off``."""
    return f"{tags.inline(f'{{% if {condition} %}}')}{on}{tags.inline('{% else %}')}{off}{tags.inline('{% endif %}')}"


def _tick_field(fld_char: etree._Element, condition: str, tags: Tags) -> None:
    """A legacy FORMCHECKBOX: its ``w:checked`` state (ECMA-376 Part 1,
    17.16.3; it overrides ``w:default``, so it is added when missing)."""
    box = fld_char.find(f"{_FFDATA}/{_CHECKBOX}")
    assert box is not None
    state = box.find(_CHECKED)
    if state is None:
        state = etree.SubElement(box, _CHECKED)
    state.set(qn("w:val"), _state(condition, tags, "1", "0"))


def _control(t: etree._Element) -> etree._Element | None:
    """The ``w14:checkbox`` of the content control showing the box ``t``, or None."""
    sdt = next(t.iterancestors(_SDT), None)
    return sdt.find(f"{_SDT_PR}/{_W14_CHECKBOX}") if sdt is not None else None


def _tick_control(box: etree._Element, t: etree._Element, condition: str, tags: Tags) -> None:
    """A checkbox content control (Word 2010, ``w14:checkbox``): its
    ``w14:checked`` state, and the box it shows, the control's own checked
    and unchecked characters (``w14:checkedState``, ``w14:uncheckedState``;
    Word's defaults ☒ and ☐)."""
    state = box.find(_W14_CHECKED)
    if state is None:
        state = etree.Element(_W14_CHECKED)
        box.insert(0, state)
    state.set(_W14_VAL, _state(condition, tags, "1", "0"))
    on, off = _state_char(box, _W14_CHECKED_STATE, "\u2612"), _state_char(box, _W14_UNCHECKED_STATE, "\u2610")
    t.text = _state(condition, tags, on, off)


def _state_char(box: etree._Element, tag: str, default: str) -> str:
    look = box.find(tag)
    try:
        code = int(look.get(_W14_VAL, ""), 16) if look is not None else 0
    except ValueError:
        code = 0
    return chr(code) if 0x20 < code < 0xF000 and not 0xD800 <= code < 0xE000 else default
