"""Rules for single inline elements, free of the walker's state.

Each function reads one small piece of WordprocessingML (a ``w:sym``, a
content-control checkbox, a form-field checkbox, a drawing, symbol-font text)
and returns model values; :mod:`formkit.docx.story` decides when they are
emitted, into a :class:`ParagraphBuilder`.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from lxml import etree

from formkit.docx.glyphs import is_symbol_font, symbol_glyph
from formkit.docx.model import Checkbox, Inline, Paragraph, Symbol, Text
from formkit.docx.ns import qn
from formkit.docx.styles import font_name

W_VAL = qn("w:val")
_T = qn("w:t")
_RFONTS, _RSTYLE, _VANISH = qn("w:rFonts"), qn("w:rStyle"), qn("w:vanish")
_SYM_FONT = qn("w:font")
_SYM_CHAR = qn("w:char")
_FFDATA = qn("w:ffData")
_CHECKBOX = qn("w:checkBox")
_CHECKED = qn("w:checked")
_DEFAULT = qn("w:default")
_W14_CHECKED = qn("w14:checked")
_W14_CHECKED_STATE = qn("w14:checkedState")
_W14_UNCHECKED_STATE = qn("w14:uncheckedState")
_W14_VAL = qn("w14:val")
_W14_FONT = qn("w14:font")
_BLIP = qn("a:blip")
_R_EMBED = qn("r:embed")
_IMAGEDATA = qn("v:imagedata")
_R_ID = qn("r:id")
TXBX_CONTENT = qn("w:txbxContent")
ALTERNATE_CONTENT = qn("mc:AlternateContent")
_CHOICE = qn("mc:Choice")
_FALLBACK = qn("mc:Fallback")

_ON = frozenset(("1", "true", "on"))

# In a symbol-font run every character of the font's 8-bit code page is a
# glyph, whether written as U+F0xx or as the plain byte ("R" in Wingdings 2).
# The space stays text: it is blank in every font and separates words.
SYMBOL_FONT_CHARS = re.compile("[\x00-\x1f\x21-\xff\uf000-\uf0ff]")
# Outside symbol fonts only the private-use U+F0xx block is a glyph.
_PRIVATE_USE_CHARS = re.compile("[\uf000-\uf0ff]")
#: Whether a text holds a private-use U+F0xx character (a match or None).
find_private_use = _PRIVATE_USE_CHARS.search


class ParagraphBuilder:
    """Inlines of the open paragraph; adjacent text is joined on the way in
    (never across a symbol, checkbox, image or break). Text boxes anchored in
    the paragraph are collected for the walker to read after it."""

    __slots__ = ("inlines", "numbered", "ref", "style", "text", "textboxes")

    def __init__(self, style: str | None, numbered: bool, ref: int = -1) -> None:
        self.style = style
        self.numbered = numbered
        self.ref = ref
        self.inlines: list[Inline] = []
        self.text: list[str] = []
        self.textboxes: list[etree._Element] = []

    def add(self, item: Inline) -> None:
        if isinstance(item, Text):
            self.text.append(item.text)
            return
        self._flush()
        self.inlines.append(item)

    def build(self) -> Paragraph:
        self._flush()
        return Paragraph(tuple(self.inlines), self.style, self.numbered, self.ref)

    def _flush(self) -> None:
        if self.text:
            joined = "".join(self.text)
            self.text.clear()
            if joined:
                self.inlines.append(Text(joined))


def lead(el: etree._Element, tag: str) -> etree._Element | None:
    """The properties child ``tag`` of ``el``: the schema puts it first (a
    row's ``w:trPr`` may follow ``w:tblPrEx``), so only the first three
    children are looked at. Indexing reaches them without an iterator: this
    runs for every paragraph and run, and costs a third of ``enumerate``;
    the count is asked first, as a paragraph without properties would
    otherwise end in an IndexError (twice the cost of the look)."""
    count = len(el)
    for index in range(count if count < 3 else 3):
        child = el[index]
        if child.tag == tag:
            return child
    return None


def run_properties(rpr: etree._Element | None) -> tuple[str | None, str | None, bool]:
    """What the reader takes from a run's ``w:rPr`` (§17.3.2): the font its
    ``w:rFonts`` names (the last one written), its character style
    (``w:rStyle``), and whether it is hidden (``w:vanish`` on, §17.3.2.41;
    properties after it are not read)."""
    font: str | None = None
    char_style: str | None = None
    for prop in rpr if rpr is not None else ():
        tag = prop.tag
        if tag == _RFONTS:
            font = font_name(prop)
        elif tag == _RSTYLE:
            char_style = prop.get(W_VAL)
        elif tag == _VANISH and on_off(prop.get(W_VAL)):
            return font, char_style, True
    return font, char_style, False


def on_off(value: str | None) -> bool:
    """ST_OnOff: absent means on; "1", "true", "on" on; anything else off."""
    return value is None or value.lower() in _ON


@lru_cache(maxsize=256)
def symbol_font(name: str | None) -> bool:
    """:func:`formkit.docx.glyphs.is_symbol_font`, cached per font name."""
    return is_symbol_font(name)


def split_text(text: str, font: str | None) -> Iterator[Inline]:
    """A run's characters as Text and Symbol inlines.

    With a symbol font (``glyphs.is_symbol_font``) each non-space character
    below U+0100 or in U+F000-U+F0FF is ``Symbol(font, ord & 0xFF)``; other
    characters (Thai ...) stay text. Without one, only U+F0xx characters become
    symbols, carrying the run's font as written (or ``""``): LibreOffice and WPS
    write symbol glyphs that way.
    """
    pattern = SYMBOL_FONT_CHARS if symbol_font(font) else _PRIVATE_USE_CHARS
    start = 0
    for match in pattern.finditer(text):
        if match.start() > start:
            yield Text(text[start : match.start()])
        yield Symbol(font or "", ord(match.group()) & 0xFF)
        start = match.end()
    if start < len(text):
        yield Text(text[start:])


def sym_inline(el: etree._Element) -> Inline | None:
    """``w:sym`` (§17.3.3.30): ``w:char`` is hex, written "F0A3" or "00A3".

    Codes in U+0000-U+00FF or U+F000-U+F0FF are a byte of the font's code page
    and give ``Symbol(font, code & 0xFF)``. Any other code is a real Unicode
    character (``w:font="MS Gothic" w:char="2612"`` is ☒) and gives Text.
    A ``w:sym`` without a readable ``w:char`` is skipped.
    """
    raw = el.get(_SYM_CHAR)
    if not raw:
        return None
    try:
        code = int(raw, 16)
    except ValueError:
        return None
    font = el.get(_SYM_FONT) or ""
    if code <= 0xFF or 0xF000 <= code <= 0xF0FF:
        return Symbol(font, code & 0xFF)
    char = _char(code)
    return Text(char) if char else None


def content_control_checkbox(box: etree._Element, content: etree._Element | None) -> Checkbox:
    """A Word 2010 checkbox content control (``w:sdtPr/w14:checkbox``, §17.5.2).

    The state is ``w14:checked/@w14:val`` (ST_OnOff). The glyph is the text the
    control shows; when its ``w14:checkedState``/``w14:uncheckedState`` names a
    symbol font, that font and byte are kept and the glyph is the table's
    Unicode look-alike.
    """
    state_el = box.find(_W14_CHECKED)
    checked = state_el is not None and on_off(state_el.get(_W14_VAL))
    shown = "" if content is None else "".join(t.text or "" for t in content.iter(_T))
    look = box.find(_W14_CHECKED_STATE if checked else _W14_UNCHECKED_STATE)
    font = look.get(_W14_FONT) if look is not None else None
    code = _hex(look.get(_W14_VAL)) if look is not None else None
    if font and code is not None and symbol_font(font):
        glyph = symbol_glyph(font, code)
        return Checkbox(
            checked, "content-control", glyph.char if glyph else shown, font, code & 0xFF
        )
    if not shown and code is not None:
        shown = _char(code)
    return Checkbox(checked, "content-control", shown)


def form_field_checkbox(fld_char: etree._Element) -> Checkbox | None:
    """The checkbox a field-begin ``w:fldChar`` declares in ``w:ffData/w:checkBox``.

    ECMA-376 Part 1 §17.16.7 checkBox: the state is ``w:checked`` (§17.16.3) when
    present, else ``w:default``, else unchecked; both are ST_OnOff.
    """
    ff_data = fld_char.find(_FFDATA)
    if ff_data is None:
        return None
    box = ff_data.find(_CHECKBOX)
    if box is None:
        return None
    state = box.find(_CHECKED)
    if state is None:
        state = box.find(_DEFAULT)
    return Checkbox(state is not None and on_off(state.get(W_VAL)), "form-field")


def choose_alternate(el: etree._Element) -> etree._Element | None:
    """``mc:AlternateContent`` (ECMA-376 Part 3, §10.2): the first ``mc:Choice``,
    else the ``mc:Fallback``; never both."""
    choice = el.find(_CHOICE)
    return choice if choice is not None else el.find(_FALLBACK)


def scan_drawing(el: etree._Element) -> tuple[list[str], list[etree._Element]]:
    """Relationship ids of pictures and text-box contents inside one drawing.

    Pictures are DrawingML ``a:blip/@r:embed`` (in ``wp:inline``/``wp:anchor``,
    §20.4) and VML ``v:imagedata/@r:id`` (``w:pict``, ``w:object``; Part 4 §14).
    Text boxes are ``w:txbxContent`` (Part 4 §14.9.1.1), not searched further
    here. Inside ``mc:AlternateContent`` only the chosen branch is searched, so
    the VML fallback copy of a shape is never read twice. ``r:link`` (external
    pictures) is ignored.
    """
    rids: list[str] = []
    boxes: list[etree._Element] = []
    if next(el.iter(ALTERNATE_CONTENT, TXBX_CONTENT), None) is None:
        # The common picture: no text box, no alternate content. lxml finds
        # the pictures itself; the walk below is needed only when one of them
        # holds another (whose subtree the walk would skip).
        for node in el.iter(_BLIP, _IMAGEDATA):
            if next(node.iterdescendants(_BLIP, _IMAGEDATA), None) is not None:
                rids.clear()
                break
            rid = node.get(_R_EMBED if node.tag == _BLIP else _R_ID)
            if rid:
                rids.append(rid)
        else:
            return rids, boxes
    # One C-level walk in document order; a picture's or a text box's
    # subtree is skipped, as the stack below skips it. A drawing holding
    # alternate content (rare: it is usually the other way round) is walked
    # by the stack, which descends only the chosen branch.
    walker = etree.iterwalk(el, events=("start",))
    for _event, node in walker:
        tag = node.tag
        if tag == _BLIP or tag == _IMAGEDATA:
            rid = node.get(_R_EMBED if tag == _BLIP else _R_ID)
            if rid:
                rids.append(rid)
            walker.skip_subtree()
        elif tag == TXBX_CONTENT:
            boxes.append(node)
            walker.skip_subtree()
        elif tag == ALTERNATE_CONTENT:
            return _scan_drawing_branches(el)
    return rids, boxes


def _scan_drawing_branches(el: etree._Element) -> tuple[list[str], list[etree._Element]]:
    """:func:`scan_drawing` by an explicit stack, for drawings holding
    ``mc:AlternateContent``."""
    rids: list[str] = []
    boxes: list[etree._Element] = []
    stack = [el]
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag == _BLIP:
            rid = node.get(_R_EMBED)
            if rid:
                rids.append(rid)
        elif tag == _IMAGEDATA:
            rid = node.get(_R_ID)
            if rid:
                rids.append(rid)
        elif tag == TXBX_CONTENT:
            boxes.append(node)
        elif tag == ALTERNATE_CONTENT:
            branch = choose_alternate(node)
            if branch is not None:
                stack.append(branch)
        else:
            stack.extend(reversed(node))
    return rids, boxes


def _char(code: int) -> str:
    """The Unicode character ``code``, or "" for a surrogate or out-of-range code."""
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else ""


def _hex(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value, 16)
    except ValueError:
        return None
