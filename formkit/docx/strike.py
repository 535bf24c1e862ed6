"""Struck-through text and boxes (``w:strike``, ``w:dstrike``: ECMA-376
Part 1 §17.3.2.37, §17.3.2.9), found before a story is read.

Striking through is how many people delete, and how Calligra Words writes a
tracked deletion when it saves: as ordinary struck-through coloured text. A
reader that took it as text would keep the deleted words in the answer.
It is also how a form's printed options are chosen ("มี / ~~ไม่มี~~"), and
that printed text is part of the form: so the text stays in the document
model, and :func:`struck` only says where it is (a
:class:`~formkit.docx.model.Doubt` with its paragraph); parse leaves it out
of the answers that hold it (:mod:`formkit.read.doubts`).

A struck-through box or mark is not a tick: its glyph is taken out of the
tree before it is read (a ``w:sym``, a box or mark character, a typed mark
"X" or "/" standing alone), so it neither ticks its box nor counts as one,
and a ``struck-box`` doubt says so. An empty struck box stays when nothing
else in its paragraph is a box (it ticks nothing either way).
"""
from __future__ import annotations

import re

from lxml import etree

from formkit.docx import glyphs
from formkit.docx.ancestors import Nearest
from formkit.docx.inline import on_off
from formkit.docx.model import Doubt
from formkit.docx.ns import qn
from formkit.docx.styles import font_name

__all__ = ["struck"]

_P, _R, _RPR, _T, _SYM = qn("w:p"), qn("w:r"), qn("w:rPr"), qn("w:t"), qn("w:sym")
_DEL = qn("w:del")
_STRIKES = (qn("w:strike"), qn("w:dstrike"))
_RFONTS, _FONT, _CHAR = qn("w:rFonts"), qn("w:font"), qn("w:char")
W_VAL = qn("w:val")
_LONE_MARK = r"\s*(\S)\s*"  # compiled on first use: few documents strike a mark through


def struck(root: etree._Element) -> list[Doubt]:
    """The struck-through text of the story under ``root`` as doubts; its
    struck boxes and marks taken out of the tree."""
    paragraphs: dict[etree._Element, None] = {}
    paragraph_of = Nearest(_P).of
    for mark in root.iter(*_STRIKES):
        rpr = mark.getparent()
        run = rpr.getparent() if rpr is not None else None
        if run is None or rpr is None or rpr.tag != _RPR or not on_off(mark.get(W_VAL)):
            continue
        par = paragraph_of(run)
        if par is not None:
            paragraphs[par] = None
    out: list[Doubt] = []
    for par in paragraphs:
        out.extend(_paragraph(par))
    return out


def _is_struck(run: etree._Element) -> bool:
    rpr = run.find(_RPR)
    return rpr is not None and any(el.tag in _STRIKES and on_off(el.get(W_VAL)) for el in rpr)


def _paragraph(par: etree._Element) -> list[Doubt]:
    runs = [r for r in par.iter(_R) if (up := r.getparent()) is not None and up.tag != _DEL]
    context = "".join(t.text or "" for r in runs for t in r.iter(_T))
    doubts: list[Doubt] = []
    plain_boxes = sum(_box_count(r) for r in runs if not _is_struck(r))
    piece: list[str] = []
    for run in runs + [None]:
        if run is not None and _is_struck(run):
            doubts.extend(_take_glyphs(run, context, plain_boxes))
            piece.extend(t.text or "" for t in run.iter(_T))
            continue
        text = "".join(piece)
        if text.strip():
            doubts.append(Doubt("struck", text.strip(), context))
        piece = []
    return doubts


def _font(run: etree._Element) -> str:
    rpr = run.find(_RPR)
    fonts = rpr.find(_RFONTS) if rpr is not None else None
    return (font_name(fonts) or "") if fonts is not None else ""


def _glyph(char: str, font: str) -> glyphs.Glyph | None:
    if glyphs.is_symbol_font(font) or "\uf000" <= char <= "\uf0ff":
        return glyphs.symbol_glyph(font, ord(char))
    return glyphs.unicode_glyph(char)


def _box_count(run: etree._Element) -> int:
    font = _font(run)
    count = 0
    for el in run:
        if el.tag == _SYM:
            glyph = glyphs.symbol_glyph(el.get(_FONT) or "", _code(el.get(_CHAR)))
            count += glyph is not None and glyph.role == "box"
        elif el.tag == _T:
            count += sum(1 for ch in el.text or "" if (g := _glyph(ch, font)) is not None and g.role == "box")
    return count


def _code(char: str | None) -> int:
    try:
        return int(char or "", 16) & 0xFF
    except ValueError:
        return -1


def _take_glyphs(run: etree._Element, context: str, plain_boxes: int) -> list[Doubt]:
    """Take the ticking glyphs (and the empty boxes, when the paragraph has
    another box) out of a struck run."""
    font = _font(run)
    out: list[Doubt] = []
    for el in list(run):
        if el.tag == _SYM:
            glyph = glyphs.symbol_glyph(el.get(_FONT) or "", _code(el.get(_CHAR)))
            if glyph is not None and _ticks_or_doubles(glyph, plain_boxes):
                run.remove(el)
                out.append(Doubt("struck-box", glyph.char, context))
        elif el.tag == _T and el.text:
            lone = re.fullmatch(_LONE_MARK, el.text)
            if lone and glyphs.is_typed_mark(lone.group(1)):
                out.append(Doubt("struck-box", lone.group(1), context))
                el.text = ""
                continue
            kept = []
            for ch in el.text:
                glyph = _glyph(ch, font)
                if glyph is not None and _ticks_or_doubles(glyph, plain_boxes):
                    out.append(Doubt("struck-box", glyph.char, context))
                else:
                    kept.append(ch)
            el.text = "".join(kept)
    return out


def _ticks_or_doubles(glyph: glyphs.Glyph, plain_boxes: int) -> bool:
    if glyph.role == "mark" or (glyph.role == "box" and glyph.checked):
        return True
    return glyph.role == "box" and plain_boxes > 0
