"""Writing filled documents: the template package is held in memory once per
batch, and each document is written as a copy of it with the rendered parts
replaced and its photos added (ECMA-376 Part 2: one media part, one image
relationship of the document part, a Default content type per extension).

The zip is written here rather than by :mod:`zipfile` (PKWARE APPNOTE 4.3:
local header and data per member, then the central directory and its end
record): the members a document does not change are deflated once per batch
and their compressed bytes copied into every document; only the rendered
parts and the pictures' relationships are deflated per document. Every
member is dated with the time the document is written (local time, as the
zip format stores it: APPNOTE 4.4.6, MS-DOS date and time) or the time a
batch gives.
"""
from __future__ import annotations

import re
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

_REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
DateTime = tuple[int, int, int, int, int, int]  # year, month, day, hour, minute, second (local time)
IMAGE_DEFAULTS = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp"}


@dataclass(frozen=True, slots=True)
class Media:
    """A picture added to one document: part name, bytes and relationship id."""

    part: str
    data: bytes
    rid: str


@dataclass(frozen=True, slots=True)
class PhotoNames:
    """Names for the pictures of one document that no member or relationship
    of the template already has (an office copy filled by formkit last year
    holds ``formkit-photo-1.png`` and ``rIdFormkitPhoto1`` already)."""

    folder: str  # the media folder beside the main part, e.g. "word/media/"
    stem: str
    rid: str

    def name(self, n: int, ext: str) -> tuple[str, str]:
        """Part name and relationship id of the ``n``-th picture."""
        return f"{self.folder}{self.stem}{n}.{ext}", f"{self.rid}{n}"

    @classmethod
    def free(cls, members: dict[str, bytes], rels: bytes, main_part: str) -> PhotoNames:
        folder = main_part.rsplit("/", 1)[0] + "/media/" if "/" in main_part else "media/"
        names = "\n".join(members).lower()
        k = 0
        while True:
            stem, rid = (f"formkit-photo-{k}-", f"rIdFormkitPhoto{k}x") if k else ("formkit-photo-", "rIdFormkitPhoto")
            if f"{folder}{stem}".lower() not in names and f'"{rid}'.encode() not in rels:
                return cls(folder, stem, rid)
            k += 1


class TemplatePackage:
    """The members of a template .docx, with the main part's relationships
    kept as text so each document can append its pictures' relationships."""

    def __init__(self, members: dict[str, bytes], main_part: str) -> None:
        self.members = members
        self.main_part = main_part
        folder, base = main_part.rsplit("/", 1) if "/" in main_part else ("", main_part)
        self.rels_part = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        self.members[self.rels_part] = members.get(self.rels_part) or _EMPTY_RELS
        self.photo_names = PhotoNames.free(members, self.members[self.rels_part], main_part)
        types = members.get("[Content_Types].xml") or _MINIMAL_TYPES
        self.members["[Content_Types].xml"] = _with_image_defaults(types)
        self._packed: dict[str, _Member] = {}
        self._crcs: dict[bytes, int] = {}

    def write(self, out: IO[bytes], rendered: dict[str, bytes], media: list[Media], when: DateTime | None = None) -> None:
        """Write one document to ``out``: members in template order (a rendered
        part in its place), then the pictures, stored; dated ``when``
        (default: now)."""
        stamp = zip_time(when)
        members: list[_Member] = []
        for name, data in self.members.items():
            if name in rendered:
                members.append(_Member.deflate(name, rendered[name]))
            elif name == self.rels_part and media:
                members.append(_Member.deflate(name, _add_rels(data, media, self.main_part)))
            else:
                packed = self._packed.get(name)
                if packed is None:
                    packed = self._packed[name] = _Member.deflate(name, data)
                members.append(packed)
        for item in media:
            members.append(_Member.store(item.part, item.data, self._crc(item.data)))
        if sum(_LOCAL.size + len(m.local[-1]) + len(m.data) for m in members) >= 0x7FFFFFFF:
            self._write_zipfile(out, rendered, media, stamp)  # ZIP64 territory: leave it to zipfile
            return
        _write_zip(out, members, _dos(stamp))

    def _crc(self, data: bytes) -> int:
        """CRC-32 of a picture, once per picture per batch (a bytes object
        caches its hash, so the lookup is cheap)."""
        crc = self._crcs.get(data)
        if crc is None:
            if len(self._crcs) >= 512:
                self._crcs.clear()
            crc = self._crcs[data] = zlib.crc32(data)
        return crc

    def _write_zipfile(self, out: IO[bytes], rendered: dict[str, bytes], media: list[Media], stamp: DateTime) -> None:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for name, data in self.members.items():
                if name == self.rels_part and media:
                    data = _add_rels(data, media, self.main_part)
                _put(zf, name, rendered.get(name, data), zipfile.ZIP_DEFLATED, stamp)
            for item in media:
                _put(zf, item.part, item.data, zipfile.ZIP_STORED, stamp)


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


# PKWARE APPNOTE 4.3.7 local file header, 4.3.12 central directory header,
# 4.3.16 end of central directory record (the layouts zipfile uses).
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # 2.0: deflate
_UNIX = 3
_MODE = 0o644 << 16
_UTF8_NAME = 0x800


def zip_time(when: DateTime | None = None) -> DateTime:
    """``when`` (default: the local time now) as a zip member's date can
    hold it: 1980 to 2107, to the second."""
    year, month, day, hour, minute, second = when if when is not None else time.localtime()[:6]
    if year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    if year > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (year, month, day, hour, minute, min(second, 59))


def _dos(stamp: DateTime) -> tuple[int, int]:
    """MS-DOS date and time words (APPNOTE 4.4.6): seconds in steps of two."""
    year, month, day, hour, minute, second = stamp
    return (year - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2


@dataclass(frozen=True, slots=True)
class _Member:
    """One zip member ready to copy: its local header without the date,
    (compressed) data, and its central directory record without the date
    and the offset."""

    local: tuple[int, int, int, int, int, bytes]  # flags, method, crc, packed, size, name
    data: bytes
    central: tuple[int, int, int, int, int, int, bytes]  # flags, method, crc, packed, size, name len, name

    @classmethod
    def deflate(cls, name: str, data: bytes) -> _Member:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = packer.compress(data) + packer.flush()
        return cls.make(name, packed, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data))

    @classmethod
    def store(cls, name: str, data: bytes, crc: int) -> _Member:
        return cls.make(name, data, zipfile.ZIP_STORED, crc, len(data))

    @classmethod
    def make(cls, name: str, packed: bytes, method: int, crc: int, size: int) -> _Member:
        raw = name.encode("ascii", "ignore")
        flags = 0
        if raw.decode("ascii") != name:
            raw, flags = name.encode("utf-8"), _UTF8_NAME
        local = (flags, method, crc, len(packed), size, raw)
        return cls(local, packed, (flags, method, crc, len(packed), size, len(raw), raw))

    def header(self, dos_date: int, dos_time: int) -> bytes:
        flags, method, crc, packed, size, raw = self.local
        return _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, method, dos_time, dos_date,
                           crc, packed, size, len(raw), 0) + raw


def _write_zip(out: IO[bytes], members: list[_Member], dos: tuple[int, int]) -> None:
    """Local headers and data, then the central directory and its end record,
    written as one buffer; every member dated ``dos`` (date, time)."""
    dos_date, dos_time = dos
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for m in members:
        local = m.header(dos_date, dos_time)
        chunks.append(local)
        chunks.append(m.data)
        flags, method, crc, packed, size, name_len, raw = m.central
        directory.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, flags, method,
                                       dos_time, dos_date, crc, packed, size, name_len, 0, 0, 0, 0,
                                       _MODE, offset) + raw)
        offset += len(local) + len(m.data)
    central = b"".join(directory)
    chunks.append(central)
    chunks.append(_END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(central), offset, 0))
    out.write(b"".join(chunks))


def _put(zf: zipfile.ZipFile, name: str, data: bytes, compression: int, stamp: DateTime) -> None:
    info = zipfile.ZipInfo(name, stamp)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def _add_rels(rels: bytes, media: list[Media], main_part: str) -> bytes:
    folder = main_part.rsplit("/", 1)[0] + "/" if "/" in main_part else ""
    extra = "".join(
        f'<Relationship Id="{m.rid}" Type="{_REL_IMAGE}" Target="{m.part[len(folder):]}"/>' for m in media
    ).encode()
    head, sep, tail = rels.rpartition(b"</Relationships>")
    if sep:
        return head + extra + sep + tail
    empty = _EMPTY_ROOT.search(rels)  # <Relationships .../>: a part without relationships, as lxml writes it
    if empty is None:
        raise ValueError("relationships part without a closing tag")
    return rels[: empty.start(1)] + b">" + extra + b"</Relationships>" + rels[empty.end(1) :]


_EMPTY_ROOT = re.compile(rb"<Relationships\b[^>]*?(\s*/>)")


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
