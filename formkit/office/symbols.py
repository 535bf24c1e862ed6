"""Symbol-font boxes, ticks and bullets redrawn as Unicode, for a preview.

Word draws a form's boxes as characters of Microsoft's symbol fonts: a
``w:sym w:font="Wingdings 2" w:char="F0A3"`` (ECMA-376 Part 1 §17.3.3.30), or,
the way LibreOffice and WPS save it, the private-use character U+F0A3 (or the
plain byte: WPS's ticked "R") in a run whose font is Wingdings 2. Those fonts
are not on a Linux machine, so LibreOffice (7.4) draws each private-use
character as an empty rectangle and "R" as a letter: in a preview a ticked box
and an empty one look alike. (A ``w:sym`` it maps to its OpenSymbol font, but
not all: Webdings boxes stay rectangles, Wingdings' ☒ 0x78 becomes ¤.) The copy LibreOffice renders therefore has every such
character the reader knows (the one glyph table of :mod:`formkit.docx.glyphs`,
found in runs exactly as parse finds them, through :mod:`formkit.docx.inline`)
drawn as its Unicode look-alike (□ ❒ ☑ ☒ ✓ ●) in :data:`FONT`, which has them
all. The user's file is never changed.

A run holding such a character is split: the character gets a run of its own,
with the run's properties (size, colour, hidden ...) and :data:`FONT`; the
rest of the run stays as it was. Unicode boxes (☐ ☑ ☒ in MS Gothic ...) need
nothing: LibreOffice finds a font that has them. Content-control checkboxes
show their state as such a glyph in their content; legacy FORMCHECKBOX fields
are drawn by LibreOffice itself.
"""
from __future__ import annotations

import copy

from lxml import etree

from formkit.docx.glyphs import symbol_glyph
from formkit.docx.inline import find_private_use, lead, run_properties, split_text, sym_inline, symbol_font
from formkit.docx.model import Symbol, Text
from formkit.docx.ns import REL_STYLES, qn
from formkit.docx.package import rels_part, resolve_target
from formkit.docx.styles import Styles
from formkit.docx.xmlsafe import parse_xml
from formkit.docx.zipread import part_key
from formkit.errors import FormkitError

#: The font the look-alikes are drawn in: DejaVu Sans (Debian's
#: fonts-dejavu-core, which fontconfig itself depends on) has every character
#: of the glyph table.
FONT = "DejaVu Sans"

Members = list[tuple[str, bytes]]
# A piece of a run's content: text to keep, or (True) a look-alike to draw in FONT.
Piece = tuple[str, bool]

_STORIES = frozenset(qn(f"w:{name}") for name in ("document", "hdr", "ftr", "footnotes", "endnotes", "comments"))
_DOCUMENT, _R, _P, _RPR, _PPR = qn("w:document"), qn("w:r"), qn("w:p"), qn("w:rPr"), qn("w:pPr")
_T, _DEL_TEXT, _SYM = qn("w:t"), qn("w:delText"), qn("w:sym")
_RFONTS, _RSTYLE, _PSTYLE, _VAL = qn("w:rFonts"), qn("w:rStyle"), qn("w:pStyle"), qn("w:val")
_DELETED = frozenset((qn("w:del"), qn("w:moveFrom")))
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_FONT_SLOTS = tuple(qn(f"w:{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs"))
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def redraw_symbols(members: Members) -> Members:
    """The members of a WordprocessingML package with the known symbol-font
    glyphs of every story part (body, headers, footers, notes, comments)
    redrawn; other members, and parts without such glyphs, are kept byte
    for byte. Anything else (an ODF package) comes back unchanged."""
    stories = {name: root for name, data in members
               if name.lower().endswith(".xml") and (root := _story(name, data)) is not None}
    if not stories:
        return members
    styles = _styles(members, stories)
    return [(name, _serialise(stories[name]) if name in stories and _redraw_part(stories[name], styles) else data)
            for name, data in members]


def _redraw_part(root: etree._Element, styles: Styles) -> bool:
    """Redraw the glyphs of one story part in place; True when it changed."""
    changed = False
    for run in list(root.iter(_R)):
        changed |= _redraw_run(run, styles)
    return changed


def _story(name: str, data: bytes) -> etree._Element | None:
    """The parsed member when it is a WordprocessingML story. Only what
    :mod:`formkit.office.unlink` parsed is parsed (a .xml member starting with
    ``<`` or a UTF-16 byte-order mark), so nothing fails here that did not there."""
    if not (data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") or data[:2] in (b"\xff\xfe", b"\xfe\xff")):
        return None
    root = parse_xml(data, name)
    return root if root.tag in _STORIES else None


def _styles(members: Members, stories: dict[str, etree._Element]) -> Styles:
    """The styles of the styles part the main part's relationships name
    (§17.7, as :func:`formkit.docx.reader.styles_part` finds it), or none: a
    missing or damaged styles part only loses the fonts runs inherit."""
    main = next((name for name, root in stories.items() if root.tag == _DOCUMENT), None)
    by_key = {part_key(name): (name, data) for name, data in members}
    rels = by_key.get(part_key(rels_part(main))) if main is not None else None
    if main is None or rels is None:
        return Styles({})
    try:
        for rel in parse_xml(rels[1], rels[0]).iter(_RELATIONSHIP):
            if str(rel.get("Type", "")).endswith(REL_STYLES) and str(rel.get("TargetMode", "")).lower() != "external":
                part = by_key.get(part_key(resolve_target(main, str(rel.get("Target", "")))))
                if part is not None:
                    return Styles.from_xml(parse_xml(part[1], part[0]))
    except FormkitError:
        pass
    return Styles({})


def _redraw_run(run: etree._Element, styles: Styles) -> bool:
    """Split ``run`` around the known glyphs it holds; True when it held any."""
    rpr = lead(run, _RPR)
    font, char_style, _hidden = run_properties(rpr)
    if font is None:
        font = styles.run_font(char_style, _paragraph_style(run))
    content = [child for child in run if child is not rpr]
    pieces = [_pieces(child, font) for child in content]
    parent = run.getparent()
    if parent is None or not any(pieces):
        return False
    sym_tag = _DEL_TEXT if parent.tag in _DELETED else _T  # a w:sym becomes text of its run's kind
    new_runs: list[etree._Element] = []
    kept: etree._Element | None = None  # the run the run's other content goes into
    for child, found in zip(content, pieces):
        if found is None:
            kept = kept if kept is not None else _shell(run, rpr, new_runs)
            kept.append(child)  # moved, with everything inside it
            continue
        tag = sym_tag if child.tag == _SYM else child.tag
        for text, drawn in found:
            if drawn:
                _add_text(_shell(run, rpr, new_runs, drawn=True), tag, text)
                kept = None
            else:
                kept = kept if kept is not None else _shell(run, rpr, new_runs)
                _add_text(kept, tag, text)
    index = parent.index(run)
    parent[index:index + 1] = new_runs
    return True


def _paragraph_style(run: etree._Element) -> str | None:
    """The style (``w:pStyle``) of the paragraph holding ``run``."""
    for para in run.iterancestors(_P):
        ppr = lead(para, _PPR)
        style = ppr.find(_PSTYLE) if ppr is not None else None
        return style.get(_VAL) if style is not None else None
    return None


def _pieces(child: etree._Element, font: str | None) -> list[Piece] | None:
    """``child`` of a run as kept text and look-alikes, or None when it holds
    no glyph the table knows (then it is kept as it is)."""
    if child.tag == _SYM:
        item = sym_inline(child)
        glyph = symbol_glyph(item.font, item.code) if isinstance(item, Symbol) else None
        return [(glyph.char, True)] if glyph is not None else None
    text = child.text if child.tag in (_T, _DEL_TEXT) else None
    if not text or not (symbol_font(font) or find_private_use(text)):
        return None
    pieces: list[Piece] = []
    at = 0  # split_text gives each glyph as one Symbol for one character
    for item in split_text(text, font):
        if isinstance(item, Text):
            pieces.append((item.text, False))
            at += len(item.text)
            continue
        glyph = symbol_glyph(item.font, item.code) if isinstance(item, Symbol) else None
        pieces.append((glyph.char, True) if glyph is not None else (text[at], False))
        at += 1
    return pieces if any(drawn for _, drawn in pieces) else None


def _shell(run: etree._Element, rpr: etree._Element | None, into: list[etree._Element],
           drawn: bool = False) -> etree._Element:
    """A new empty run with ``run``'s attributes and a copy of its properties
    ``rpr`` (with ``drawn``, every font of them :data:`FONT`), appended to
    ``into``. Made under ``run``'s parent, so it speaks the document's prefixes."""
    parent = run.getparent()
    assert parent is not None
    new = etree.SubElement(parent, _R, dict(run.attrib))
    props = copy.deepcopy(rpr) if rpr is not None else None
    if props is not None:
        new.append(props)
    if drawn:
        props = props if props is not None else etree.SubElement(new, _RPR)
        for old in props.findall(_RFONTS):
            props.remove(old)
        fonts = etree.SubElement(props, _RFONTS, {slot: FONT for slot in _FONT_SLOTS})
        props.insert(1 if props[0].tag == _RSTYLE else 0, fonts)  # w:rFonts follows w:rStyle (§17.3.2)
    into.append(new)
    return new


def _add_text(run: etree._Element, tag: str, text: str) -> None:
    """Append a text element (``w:t`` or ``w:delText``) holding ``text`` as it is."""
    el = etree.SubElement(run, tag)
    el.text = text
    el.set(_XML_SPACE, "preserve")


def _serialise(root: etree._Element) -> bytes:
    standalone = root.getroottree().docinfo.standalone
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=standalone))

