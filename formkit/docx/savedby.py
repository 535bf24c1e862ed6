"""Which program last saved a returned file: the envelope's ``saved_by``.

A reviewer distrusts a reading by where the file has been: a form re-saved
by pandoc or Calligra lost things Word keeps. The program is what the file
itself says, never guessed:

* OOXML: the extended properties part (``docProps/app.xml``, ECMA-376 Part 1
  §22.2.2.3 ``Application`` and §22.2.2.2 ``AppVersion``), found through the
  package relationships;
* ODF: ``meta:generator`` (ODF 1.2 Part 1 §4.3.2.1) of ``meta.xml``, or of
  the flat XML document's own ``office:meta``;
* RTF: the ``{\\*\\generator ...}`` group of the header.

The text is untrusted: control characters go, white space is folded and it
is cut to :data:`MAX_CHARS`. A file that says nothing gives None.
"""
from __future__ import annotations

import os
import re
from typing import BinaryIO

from lxml import etree

from formkit.docx.package import Package
from formkit.docx.xmlsafe import parse_xml
from formkit.errors import FormkitError

__all__ = ["MAX_CHARS", "clean", "from_file", "from_package"]

MAX_CHARS = 200
_HEAD = 64 * 1024  # the RTF header / flat ODF meta sit at the start
_META_BYTES = 1024 * 1024  # an ODF meta.xml larger than this is not read
_EXTENDED = "/extended-properties"
_EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}generator"
# Compiled on first use (re's cache): only files LibreOffice converts are searched.
_RTF_GENERATOR = rb"\{\\\*\\generator\s+([^;{}]{1,2000})"
_FLAT_GENERATOR = rb"<meta:generator>([^<]{1,2000})</meta:generator>"
# control, zero-width and direction characters, each read as a space
_CONTROL = dict.fromkeys(
    [*range(0x20), *range(0x7F, 0xA0), *range(0x200B, 0x2010), *range(0x2028, 0x202F), *range(0x2066, 0x206A), 0xFEFF],
    " ",
)
_XML_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&"))


def clean(text: str | None) -> str | None:
    """``text`` as one short line, or None when nothing printable is left."""
    if not text:
        return None
    line = " ".join(text.translate(_CONTROL).split())
    return line[:MAX_CHARS] or None


def from_package(pkg: Package) -> str | None:
    """The application an OOXML package names (``Application`` and, when
    it adds anything, ``AppVersion``); None when it names none. A missing or
    damaged properties part is no error: it only says nothing."""
    try:
        part = next((rel.target for rel in pkg.rels("").values()
                     if rel.type.endswith(_EXTENDED) and not rel.external and pkg.has(rel.target)), None)
        if part is None:
            return None
        return pkg.derived(part, _application)  # a batch's documents share these bytes: parsed once
    except FormkitError:
        return None


def _application(root: etree._Element, context: str) -> str | None:
    """The application an extended properties part names (see :func:`from_package`)."""
    app = (root.findtext(f"{_EP}Application") or "").strip()
    version = (root.findtext(f"{_EP}AppVersion") or "").strip()
    if not app:
        return None
    return clean(f"{app} {version}" if version and version not in app else app)


def from_file(path: str | os.PathLike[str], kind: str) -> str | None:
    """The program that saved a file LibreOffice converts first: ``kind`` is
    "odt", "fodt", "rtf" or "doc" (a .doc names none the reader trusts)."""
    try:
        with open(path, "rb") as fh:
            if kind == "odt":
                return _odt(fh, str(path))
            head = fh.read(_HEAD)
    except Exception:  # noqa: BLE001 - a file that says nothing readable names no program
        return None
    pattern = {"rtf": _RTF_GENERATOR, "fodt": _FLAT_GENERATOR}.get(kind)
    match = re.search(pattern, head) if pattern is not None else None
    if match is None:
        return None
    text = match.group(1).decode("utf-8", "replace") if kind == "fodt" else match.group(1).decode("latin-1")
    if kind == "fodt":
        for entity, char in _XML_ENTITIES:
            text = text.replace(entity, char)
    return clean(text)


def _odt(fh: BinaryIO, name: str) -> str | None:
    """``meta:generator`` of an ODF package's meta.xml, read within limits."""
    from formkit.docx.zipread import Limits, index_members, open_zip, read_member

    limits = Limits()
    with open_zip(fh, name, limits) as zf:
        info = index_members(zf, name, limits).get("meta.xml")
        if info is None or info.file_size > _META_BYTES:
            return None
        root = parse_xml(read_member(fh, info, name), "meta.xml")
    found = next(root.iter(_META), None)
    return clean(found.text) if found is not None else None
