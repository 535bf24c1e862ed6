"""ODF form fields made plain text in the copy LibreOffice converts to .docx.

A returned form saved as .odt keeps the answers typed in Word's plain-text
content controls as ODF text-input fields (ODF 1.2 Part 1 §7.7.1,
``text:text-input``), and drop-down ones as ``text:drop-down`` (§7.7.2).
LibreOffice's own .docx export writes such a field as a Word control or a
FILLIN field once per piece of text around it, each holding the whole
answer again, so the answer would be read several times over, garbled,
with nothing to say so.

Before the throw-away copy is converted, each such field is replaced by
its current text, where it stood: the text-input's content (its spans,
spaces, tabs and line breaks kept), the drop-down's shown text (its
``text:label`` list dropped). What a person sees is what is read; the
person's file is never changed. One field is left as it is: one that opens
its paragraph after line breaks only (see :func:`_after_breaks_only`).

Why not read ODF directly into the document model: the conversion already
gives tables, merges, lists, frames, symbol fonts and tracked changes the
model knows, and these two field kinds were the only text it got wrong on
returned forms (README, "Returns from other word processors").
"""
from __future__ import annotations

from lxml import etree

from formkit.docx.xmlsafe import parse_xml

__all__ = ["plain_fields", "rewrite"]

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_FIELDS = (f"{{{_TEXT}}}text-input", f"{{{_TEXT}}}drop-down")
_LABEL = f"{{{_TEXT}}}label"
_PARAGRAPH, _LINE_BREAK = f"{{{_TEXT}}}p", f"{{{_TEXT}}}line-break"
_PARTS = ("content.xml", "styles.xml")  # the body; headers and footers
_ODT = b"application/vnd.oasis.opendocument.text"


def rewrite(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """A staged package's members with the fields of an ODF text document
    made plain (other packages come back as they are). A part that does not
    parse is left for LibreOffice to refuse."""
    if not dict(members).get("mimetype", b"").startswith(_ODT):
        return members
    out = []
    for name, data in members:
        if name in _PARTS and any(tag in data for tag in (b"text-input", b"drop-down")):
            root = parse_xml(data, name)
            if plain_fields(root):
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        out.append((name, data))
    return out


def plain_fields(root: etree._Element) -> int:
    """Replace every text-input and drop-down field under ``root`` by its
    content; the number replaced."""
    found = [el for el in root.iter(*_FIELDS) if not _after_breaks_only(el)]
    for el in reversed(found):  # innermost last-first: a nested one is gone before its parent moves
        for label in el.findall(_LABEL):
            _unwrap(label, keep_children=False)
        _unwrap(el)
    return len(found)


def _after_breaks_only(el: etree._Element) -> bool:
    """True for a field that opens its paragraph after line breaks only:
    LibreOffice moved the answer's own line breaks there when it saved
    the .odt. It is left a field, so that the reader of its .docx export
    (formkit.docx.repeats) reads it once and says the breaks were lost."""
    parent = el.getparent()
    if parent is None or parent.tag != _PARAGRAPH or (parent.text or "").strip():
        return False
    before = []
    for sibling in parent:
        if sibling is el:
            break
        before.append(sibling)
    return bool(before) and all(s.tag == _LINE_BREAK and not (s.tail or "").strip() for s in before)


def _unwrap(el: etree._Element, keep_children: bool = True) -> None:
    """``el`` replaced by its text and children (or by nothing), its tail kept."""
    parent = el.getparent()
    if parent is None:
        return
    prev = el.getprevious()
    text = (el.text or "") if keep_children else ""
    children = list(el) if keep_children else []
    at = parent.index(el)
    for n, child in enumerate(children):
        parent.insert(at + n, child)  # moves it out of ``el``, its tail with it
    _append(parent, prev, text)
    last = children[-1] if children else prev
    _append(parent, last, el.tail or "")
    parent.remove(el)


def _append(parent: etree._Element, after: etree._Element | None, text: str) -> None:
    """Add ``text`` right after ``after`` (at the start of ``parent`` when None)."""
    if not text:
        return
    if after is None:
        parent.text = (parent.text or "") + text
    else:
        after.tail = (after.tail or "") + text
