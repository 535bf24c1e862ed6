"""The copy LibreOffice is given of a legacy file that is neither a package
nor RTF (those are :mod:`formkit.office.unlink`'s):

* **Word 2003 XML** (``w:wordDocument``, often saved under a .doc name) is
  parsed with the project's safe parser (a DOCTYPE or entity is refused,
  never resolved) and written again without what would load content from
  outside the file: the instructions of fields that load content
  (INCLUDEPICTURE, INCLUDETEXT, LINK, DDE ...: in ``w:instrText`` and
  ``w:fldSimple/@w:instr``; the field's last result stays), every attribute
  naming a place outside the file (``src``, ``href``, ``o:althref`` ...
  holding a URL, an absolute or UNC path: a picture's ``v:imagedata/@src``)
  but not a hyperlink's target (``w:hlink/@w:dest``, only ever clicked),
  and ``w:attachedTemplate``, ``w:mailMerge`` and linked OLE objects.
* **Word for Windows 1.x/2.0 and WordPerfect** binaries cannot be rewritten
  safely: like a .doc they are copied as they are, and only
  :mod:`formkit.office.sandbox` guards them.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from formkit.docx.xmlsafe import parse_xml
from formkit.errors import FormkitError
from formkit.files import size_text
from formkit.docx.sniff import file_error
from formkit.office.unlink_rtf import FIELD_NAME, LOADING_FIELDS

_WML = "http://schemas.microsoft.com/office/word/2003/wordml"
_O = "urn:schemas-microsoft-com:office:office"
_REFERENCES = frozenset({"src", "href", "althref", "source", "link", "subdoc"})  # attributes naming a place
_OUTSIDE = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.-]{1,}:|\\\\|/|[A-Za-z]:[\\/])")
_INSIDE = ("wordml://", "#")  # a picture in w:binData, a place in the document
_GONE = (f"{{{_WML}}}attachedTemplate", f"{{{_WML}}}mailMerge")


def copy_binary(src: BinaryIO, dest: Path, name: str, max_bytes: int) -> None:
    """A Word 1.x/2.0 or WordPerfect file copied as it is (see the module's docstring)."""
    dest.write_bytes(_read_all(src, max_bytes, name))


def copy_word_xml(src: BinaryIO, dest: Path, name: str, max_bytes: int) -> None:
    """The Word 2003 XML document open in ``src`` written to ``dest`` without
    what would load content from outside it; ``unsafe-xml`` or ``bad-xml``
    when it cannot be parsed safely."""
    try:
        root = parse_xml(_read_all(src, max_bytes, name), "the Word XML document")
    except FormkitError as exc:
        raise exc.with_file(name) from None
    strip_word_xml(root)
    dest.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def strip_word_xml(root: etree._Element) -> None:
    """Remove from a Word 2003 XML tree whatever loads content from outside it."""
    for el in list(root.iter(*_GONE, f"{{{_O}}}OLEObject")):
        if el.tag != f"{{{_O}}}OLEObject" or el.get("Type") == "Link":
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
    for el in root.iter(f"{{{_WML}}}instrText"):
        if _loads(el.text or ""):
            el.text = ""
    for el in root.iter(f"{{{_WML}}}fldSimple"):
        if _loads(el.get(f"{{{_WML}}}instr", "")):
            el.set(f"{{{_WML}}}instr", "")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr, value in list(el.attrib.items()):
            local = etree.QName(attr).localname.lower()
            if local in _REFERENCES and _OUTSIDE.match(value) and not value.startswith(_INSIDE):
                del el.attrib[attr]


def _loads(instruction: str) -> bool:
    m = FIELD_NAME.match(instruction)
    return bool(m) and (m.group(1).upper() in LOADING_FIELDS if m else False)


def _read_all(src: BinaryIO, max_bytes: int, name: str) -> bytes:
    data = src.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew since it was checked
        raise file_error("too-large", name, f"the file is over the limit of {size_text(max_bytes)}", "")
    return data
