"""The one namespace table. Only the XML layer (package, reader, template)
uses it; everything above the reader speaks in domain terms."""
from __future__ import annotations

NS: dict[str, str] = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}

# Relationship types (ECMA-376 Part 1, 11.3 / 15.2); "strict" variants share the tail.
REL_OFFICE_DOCUMENT = "/officeDocument"
REL_HEADER = "/header"
REL_FOOTER = "/footer"
REL_IMAGE = "/image"
REL_STYLES = "/styles"
REL_COMMENTS = "/comments"


def qn(tag: str) -> str:
    """Clark notation for a prefixed name: ``qn("w:p")`` -> ``{...main}p``."""
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"
