"""XML surgery for deriving a fill template from an original form.

Only this module and :mod:`formkit.fill.template` touch the original's XML when
filling. Text positions are "raw" offsets into a paragraph's run text as
Word stores it (``w:t`` text, a tab as "\\t", a break as "\\n"), over runs
that are not deleted revisions. Tags are docxtpl's: ``{%p ... %}`` in a
paragraph of its own, ``{{r ... }}`` in a run of its own, ``{{ ... }}`` and
``{% ... %}`` inside text.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from formkit.docx import glyphs
from formkit.docx.ns import qn
from formkit.fill.tags import Tags

W_P, W_R, W_T, W_RPR, W_PPR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:rPr"), qn("w:pPr")
W_SYM, W_RFONTS = qn("w:sym"), qn("w:rFonts")
_TAB, _PTAB, _BR, _CR, _NBH = qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")
_DEAD = (qn("w:del"), qn("w:moveFrom"))
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_READS = {_TAB: "\t", _PTAB: "\t", _BR: "\n", _CR: "\n", _NBH: "-"}
_ZERO = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u2060\u00ad"), None)


@dataclass(slots=True)
class Piece:
    """One readable child of a run: its text and raw offset in the paragraph."""

    run: etree._Element
    node: etree._Element
    text: str
    start: int


def _alive(run: etree._Element) -> bool:
    return not any(a.tag in _DEAD for a in run.iterancestors(*_DEAD))


def pieces(p: etree._Element) -> list[Piece]:
    """The readable pieces of paragraph ``p`` in order (deleted runs skipped)."""
    out: list[Piece] = []
    pos = 0
    for run in p.iter(W_R):
        if not _alive(run):
            continue
        for child in run:
            text = (child.text or "") if child.tag == W_T else _READS.get(child.tag)
            if text is None:
                continue
            out.append(Piece(run, child, text, pos))
            pos += len(text)
    return out


def raw_text(p: etree._Element) -> str:
    return "".join(pc.text for pc in pieces(p))


def run_font(run: etree._Element) -> str:
    fonts = run.find(f"{W_RPR}/{W_RFONTS}")
    if fonts is None:
        return ""
    return fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi")) or ""


def visible(p: etree._Element) -> tuple[str, list[int]]:
    """Paragraph text as the document model sees it (symbol glyphs, boxes and
    zero-width characters left out), with each character's raw offset."""
    chars: list[str] = []
    where: list[int] = []
    for pc in pieces(p):
        symbol_run = glyphs.is_symbol_font(run_font(pc.run))
        for k, ch in enumerate(pc.text):
            if _glyph_char(ch, symbol_run) or not ch.translate(_ZERO):
                continue
            chars.append(ch)
            where.append(pc.start + k)
    return "".join(chars), where


def _glyph_char(ch: str, symbol_run: bool) -> bool:
    if "\uf000" <= ch <= "\uf0ff" or (symbol_run and ch < "\u0100"):
        return True
    glyph = glyphs.unicode_glyph(ch)
    return glyph is not None and glyph.role != "bullet"


def split_at(p: etree._Element, offset: int) -> None:
    """Make ``offset`` a run boundary (splitting a run, its properties copied)."""
    for pc in pieces(p):
        end = pc.start + len(pc.text)
        if pc.start < offset < end and pc.node.tag == W_T:
            _split_text(pc.run, pc.node, offset - pc.start)
            return
        if offset == pc.start:
            _split_before(pc.run, pc.node)
            return


def _new_run_like(run: etree._Element) -> etree._Element:
    new = etree.Element(W_R)
    rpr = run.find(W_RPR)
    if rpr is not None:
        new.append(copy.deepcopy(rpr))
    return new


def _split_text(run: etree._Element, node: etree._Element, k: int) -> None:
    text = node.text or ""
    node.text = text[:k]
    node.set(_XML_SPACE, "preserve")
    new = _new_run_like(run)
    tail = etree.SubElement(new, W_T)
    tail.text = text[k:]
    tail.set(_XML_SPACE, "preserve")
    for sibling in list(node.itersiblings()):
        new.append(sibling)
    run.addnext(new)


def _split_before(run: etree._Element, node: etree._Element) -> None:
    before = [c for c in node.itersiblings(preceding=True) if c.tag != W_RPR]
    if not before:
        return
    new = _new_run_like(run)
    for sibling in [node, *node.itersiblings()]:
        new.append(sibling)
    run.addnext(new)


def runs_between(p: etree._Element, a: int, b: int) -> list[etree._Element]:
    """The runs holding raw text [a, b), split out of their neighbours."""
    split_at(p, b)
    split_at(p, a)
    runs: list[etree._Element] = []
    for pc in pieces(p):
        if a <= pc.start < b and pc.run not in runs:
            runs.append(pc.run)
    return runs


def text_run(text: str, like: etree._Element | None, plain: bool = False) -> etree._Element:
    """A run holding ``text`` (a tag or a value) with ``like``'s properties,
    complex-script font and size ensured; ``plain`` drops bold/italic/underline."""
    run = etree.Element(W_R)
    rpr = like.find(W_RPR) if like is not None else None
    if rpr is not None:
        run.append(house_rpr(rpr, plain))
    t = etree.SubElement(run, W_T)
    t.text = text
    t.set(_XML_SPACE, "preserve")
    return run


_STYLE_TAGS = tuple(qn(f"w:{t}") for t in ("b", "bCs", "i", "iCs", "u"))


def house_rpr(rpr: etree._Element, plain: bool = False) -> etree._Element:
    """A copy of run properties with the complex-script font (w:rFonts/@w:cs)
    and size (w:szCs) present, as Thai text needs (ECMA-376 Part 1, 17.3.2.26
    and 17.3.2.39): Word sizes and fonts Thai by these, not by w:sz/@w:ascii."""
    new = copy.deepcopy(rpr)
    if plain:
        for el in [e for e in new if e.tag in _STYLE_TAGS]:
            new.remove(el)
    fonts = new.find(W_RFONTS)
    if fonts is not None and not fonts.get(qn("w:cs")):
        base = fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi"))
        if base and not glyphs.is_symbol_font(base):
            fonts.set(qn("w:cs"), base)
    size = new.find(qn("w:sz"))
    if size is not None and new.find(qn("w:szCs")) is None:
        size.addnext(etree.Element(qn("w:szCs"), {qn("w:val"): size.get(qn("w:val"), "32")}))
    return new


def wrap(runs: list[etree._Element], before: str, after: str) -> None:
    """Put tag text ``before`` ahead of ``runs`` and ``after`` behind them
    (tokens of :class:`formkit.fill.tags.Tags`)."""
    runs[0].addprevious(text_run(before, runs[0]))
    runs[-1].addnext(text_run(after, runs[-1]))


def tag_paragraph(tags: Tags, code: str) -> etree._Element:
    """A paragraph that gives way to the statement ``code`` when compiled
    (docxtpl's ``{%p ... %}``)."""
    p = etree.Element(W_P)
    run = etree.SubElement(p, W_R)
    return tags.block(p, etree.SubElement(run, W_T), code, "p")


def answer_paragraph(like_p: etree._Element, like_run: etree._Element | None, text: str) -> etree._Element:
    """A paragraph for one answer line: ``like_p``'s paragraph properties
    (numbering dropped), a plain run with ``like_run``'s font and size."""
    p = etree.Element(W_P)
    ppr = like_p.find(W_PPR)
    if ppr is not None:
        new_ppr = copy.deepcopy(ppr)
        for tag in ("w:numPr", "w:keepNext", "w:pageBreakBefore", "w:outlineLvl"):
            el = new_ppr.find(qn(tag))
            if el is not None:
                new_ppr.remove(el)
        p.append(new_ppr)
    p.append(text_run(text, like_run, plain=True))
    return p


def run_paragraph(tags: Tags, like_p: etree._Element, code: str) -> etree._Element:
    """An answer paragraph whose run gives way to the expression ``code``
    when compiled (docxtpl's ``{{r ... }}``: the value is run XML)."""
    p = answer_paragraph(like_p, None, "")
    run = p.find(W_R)
    tags.block(run, run.find(W_T), code, "r")
    return p


def heading_styles(styles: etree._Element | None) -> frozenset[str]:
    """Ids of the paragraph styles that make a heading: an outline level 0-8
    of their own or through ``w:basedOn``, as Word's built-in "heading 1-9"
    have (ECMA-376 Part 1, 17.3.1.20 outlineLvl; 9 is body text)."""
    if styles is None:
        return frozenset()
    based: dict[str, str] = {}
    level: dict[str, bool] = {}
    for style in styles.iterchildren(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        if not sid or style.get(qn("w:type")) != "paragraph":
            continue
        parent = style.find(qn("w:basedOn"))
        based[sid] = parent.get(qn("w:val"), "") if parent is not None else ""
        outline = style.find(f"{W_PPR}/{qn('w:outlineLvl')}")
        if outline is not None:
            level[sid] = outline.get(qn("w:val"), "9") != "9"

    def heading(sid: str) -> bool:
        seen: set[str] = set()
        while sid and sid not in seen and sid not in level:
            seen.add(sid)
            sid = based.get(sid, "")
        return level.get(sid, False)

    return frozenset(sid for sid in based if heading(sid))


def unhead_added(root: etree._Element, printed: list[etree._Element], headings: frozenset[str]) -> None:
    """Paragraphs added to the template (answer lines, photo rows) copy the
    properties of the printed line they follow; after a prompt in a heading
    style they must not become headings themselves (bold, kept with the next,
    in the navigation pane and a table of contents): they drop that style."""
    if not headings:
        return
    keep = set(printed)
    for p in root.iter(W_P):
        style = p.find(f"{W_PPR}/{qn('w:pStyle')}")
        if p not in keep and style is not None and style.get(qn("w:val")) in headings:
            style.getparent().remove(style)


def first_text_run(p: etree._Element) -> etree._Element | None:
    for pc in pieces(p):
        if pc.node.tag == W_T and pc.text.strip() and not glyphs.is_symbol_font(run_font(pc.run)):
            return pc.run
    return None
