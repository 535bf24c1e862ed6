"""Flat ODF text documents (.fodt: ODF 1.2 Part 1 §2.1.2, one XML file whose
root is ``office:document``) made ready for LibreOffice's .docx export.

LibreOffice reads and writes .fodt; an office may return a form that way.
The copy it converts is written here, after the same rules as an .odt
package's parts (:mod:`formkit.office.unlink`: every link out of the file
and every DDE source removed) and with its text-input and drop-down fields
made plain text (:mod:`formkit.office.odf_fields`). The file is parsed by
the project's safe parser: no DTD, no entity, nothing fetched.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree

from formkit.docx.xmlsafe import parse_xml
from formkit.office.odf_fields import plain_fields

__all__ = ["copy_flat", "is_flat_odt"]

_MIME = b"application/vnd.oasis.opendocument.text"
_ROOT = b"office:document "


def is_flat_odt(head: bytes) -> bool:
    """Whether a file's first bytes (4 KiB or so) show a flat ODF text
    document: XML whose ``office:document`` root says the text media type."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"<?xml") and _ROOT in text and _MIME in text


def copy_flat(data: bytes, dest: Path, name: str, strip_links: Callable[[etree._Element], object]) -> None:
    """Write the flat ODF document ``data`` to ``dest`` without its links
    (``strip_links``: :func:`formkit.office.unlink.strip_odf_part`) and with
    its form fields made plain; errors are ``bad-xml`` / ``unsafe-xml``
    naming ``name``."""
    root = parse_xml(data, name)
    strip_links(root)
    plain_fields(root)
    dest.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
