"""Writing filled documents: the template package is held in memory once per
batch, and each document is written as a copy of it with the rendered parts
replaced and its photos added (ECMA-376 Part 2: one media part, one image
relationship of the document part, a Default content type per extension).
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

_REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
IMAGE_DEFAULTS = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp"}


@dataclass(frozen=True, slots=True)
class Media:
    """A picture added to one document: part name, bytes and relationship id."""

    part: str
    data: bytes
    rid: str


class TemplatePackage:
    """The members of a template .docx, with the main part's relationships
    kept as text so each document can append its pictures' relationships."""

    def __init__(self, members: dict[str, bytes], main_part: str) -> None:
        self.members = members
        self.main_part = main_part
        folder, base = main_part.rsplit("/", 1) if "/" in main_part else ("", main_part)
        self.rels_part = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        self.members[self.rels_part] = members.get(self.rels_part) or _EMPTY_RELS
        types = members.get("[Content_Types].xml") or _MINIMAL_TYPES
        self.members["[Content_Types].xml"] = _with_image_defaults(types)

    def write(self, out: IO[bytes], rendered: dict[str, bytes], media: list[Media]) -> None:
        """Write one document to ``out``."""
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for name, data in self.members.items():
                if name == self.rels_part and media:
                    data = _add_rels(data, media, self.main_part)
                _put(zf, name, rendered.get(name, data), zipfile.ZIP_DEFLATED)
            for item in media:
                _put(zf, item.part, item.data, zipfile.ZIP_STORED)


_EMPTY_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
)


_MINIMAL_TYPES = (  # a package that came without one (ECMA-376 Part 2, 10.1.2.1)
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)


def _put(zf: zipfile.ZipFile, name: str, data: bytes, compression: int) -> None:
    info = zipfile.ZipInfo(name, _FIXED_TIME)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def _add_rels(rels: bytes, media: list[Media], main_part: str) -> bytes:
    folder = main_part.rsplit("/", 1)[0] + "/" if "/" in main_part else ""
    extra = "".join(
        f'<Relationship Id="{m.rid}" Type="{_REL_IMAGE}" Target="{m.part[len(folder):]}"/>' for m in media
    ).encode()
    head, sep, tail = rels.rpartition(b"</Relationships>")
    if not sep:
        raise ValueError("relationships part without a closing tag")
    return head + extra + sep + tail


def _with_image_defaults(types: bytes) -> bytes:
    """Content types with a Default for every picture format fill may add."""
    lower = types.lower()
    extra = "".join(
        f'<Default Extension="{ext}" ContentType="{media}"/>'
        for ext, media in IMAGE_DEFAULTS.items()
        if f'extension="{ext}"'.encode() not in lower
    ).encode()
    head, sep, tail = types.rpartition(b"</Types>")
    return head + extra + sep + tail if sep else types
