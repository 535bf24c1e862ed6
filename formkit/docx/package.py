"""Open a returned .docx package safely and give access to its parts.

A .docx is an OPC package (ECMA-376 Part 2, Open Packaging Conventions; section
numbers are those of the 2nd edition, ISO/IEC 29500-2:2008) stored as a ZIP
archive (§10.2). A returned file is never trusted: before any member is
inflated, the ZIP directory is checked against :class:`Limits` (entry count,
declared sizes, total, compression ratio), and every read is bounded by the
size the headers declared, so neither a zip bomb nor a header that lies about
its size gets expanded. Every failure is a :class:`FormkitError` that names the
file and tells its holder what to do.

Part names (§9.1.1) are written without the leading slash
(``word/document.xml``) and compared ASCII case-insensitively after
percent-decoding, as OPC requires and Word does: a relationship target
``Media/Image1.PNG`` finds the ZIP item ``word/media/image1.png``.
"""
from __future__ import annotations

import io
import os
import posixpath
import threading
import zipfile
from collections.abc import Callable
from types import TracebackType
from typing import BinaryIO, TypeVar
from urllib.parse import unquote

from lxml import etree

from formkit.errors import FormkitError
from formkit.files import open_regular, size_text
from formkit.docx.ns import REL_OFFICE_DOCUMENT, qn
from formkit.docx.sniff import OLE_MAGIC, RESAVE, RESEND, describe, file_error, refuse_ole
from formkit.docx.xmlsafe import parse_xml
from formkit.docx.zipread import Limits, index_members, open_zip, part_key, read_member, read_members
from formkit.values import NamedTuple, compare_by_type

__all__ = ["Limits", "Package", "Rel", "open_package", "read_members", "rels_part", "resolve_target"]

CONTENT_TYPES_PART = "[Content_Types].xml"
DEFAULT_MAIN_PART = "word/document.xml"
_CHUNK = 256 * 1024
_GUESSED_TYPES = {
    "png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif",
    "bmp": "image/bmp", "tiff": "image/tiff", "tif": "image/tiff", "emf": "image/x-emf",
    "wmf": "image/x-wmf", "svg": "image/svg+xml",
}
# Small parts that repeat from document to document of a batch (content
# types, relationships, styles) are read into the same values every time:
# what is built from them is kept, keyed by the part's exact bytes, so the
# next document with the same bytes skips the XML parse. Bounded in entries
# and in bytes per part, so a batch of any size holds at most this much.
_SHARED_MAX_PART = 64 * 1024
_SHARED_MAX_ENTRIES = 64
_shared: dict[tuple[object, str, str, bytes], object] = {}
_T = TypeVar("_T")
_OTHER_OFFICE = (("spreadsheetml", "an Excel workbook (.xlsx)"),
                 ("presentationml", "a PowerPoint presentation (.pptx)"),
                 ("ms-excel", "an Excel workbook"), ("ms-powerpoint", "a PowerPoint presentation"))


class Rel(NamedTuple):
    """One relationship (§9.3.2): ``target`` is the resolved part name, or the
    URI as written when ``external`` (``TargetMode="External"``)."""

    id: str
    type: str
    target: str
    external: bool


_size = size_text  # the messages' byte counts


def rels_part(part: str) -> str:
    """The Relationships part of ``part`` (§9.3.1): ``a/_rels/b.xml.rels``; the
    package's own relationships (``part == ""``) are in ``_rels/.rels``."""
    folder, base = posixpath.split(part.lstrip("/"))
    return posixpath.join(folder, "_rels", f"{base}.rels")


def resolve_target(source: str, target: str) -> str:
    """Resolve an internal relationship target against its source part (§9.2.1,
    RFC 3986 §5.2): relative to the source's folder, from the package root when
    it starts with ``/``, ``..`` never above the root; fragment dropped,
    %-escapes decoded."""
    target = unquote(target.split("#", 1)[0].replace("\\", "/"))
    if not target.startswith("/"):
        target = posixpath.join("/", posixpath.dirname(source.lstrip("/")), target)
    return posixpath.normpath(target).lstrip("/")


def _open_path(path: str, name: str, limits: Limits) -> BinaryIO:
    """Open a file after os.stat showed a regular file within the size limit
    (a FIFO or a device would block or never end); fstat again once open."""
    return open_regular(path, limits.max_file_bytes, name, "max_file_bytes")


# -- the package ------------------------------------------------------------------

class Package:
    """An opened .docx. Members are read only when asked; XML parts are parsed
    at most once and the trees shared, so callers must not modify them. Reads
    are serialised by a lock."""

    def __init__(self, stream: BinaryIO, zf: zipfile.ZipFile,
                 index: dict[str, zipfile.ZipInfo], name: str) -> None:
        self.name = name
        self._stream, self._zip, self._index = stream, zf, index
        self._lock = threading.Lock()
        self._closed = False
        self._xml: dict[str, etree._Element] = {}
        self._rels: dict[str, dict[str, Rel]] = {}
        self._types: tuple[dict[str, str], dict[str, str]] | None = None
        self.main_part = self._find_main_part()

    def __repr__(self) -> str:
        return f"<Package {self.name!r} main_part={self.main_part!r}>"

    def __enter__(self) -> Package:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the archive and its file; later reads raise ValueError."""
        with self._lock:
            self._closed = True
            self._zip.close()
            self._stream.close()

    def has(self, part: str) -> bool:
        """Whether the package holds ``part`` (compared as in §9.1.1)."""
        return part_key(part) in self._index

    def member_name(self, part: str) -> str | None:
        """The zip member name that holds ``part`` as the zip spells it, or None."""
        info = self._index.get(part_key(part))
        return info.filename if info is not None else None

    def read(self, part: str) -> bytes:
        """The bytes of ``part``, never more than its declared size."""
        info = self._index.get(part_key(part))
        if info is None:
            raise file_error("missing-part", self.name, f"the document has no part {part}; it is "
                       "incomplete or damaged")
        with self._lock:
            if self._closed:
                raise ValueError(f"package {self.name!r} is closed")
            return read_member(self._stream, info, self.name)

    def xml(self, part: str) -> etree._Element:
        """The root element of ``part``, parsed by :func:`parse_xml`, cached."""
        key = part_key(part)
        if key not in self._xml:
            return self._parse(part, self.read(part))
        return self._xml[key]

    def derived(self, part: str, build: Callable[[etree._Element, str], _T], context: str = "") -> _T:
        """``build(root, context)`` over the parsed ``part``, where ``build`` is
        a pure function of the tree and ``context`` whose result is never
        changed by its users. The result is shared with every package whose
        ``part`` holds the same bytes (up to 64 KiB), which are then not parsed
        again: a batch's documents share their small parts byte for byte."""
        data = self.read(part)
        if len(data) > _SHARED_MAX_PART:
            return build(self._parse(part, data), context)  # the bytes just read, not read again
        key = (build, context, part, data)
        try:
            return _shared[key]  # type: ignore[return-value]
        except KeyError:
            pass
        value = build(self._parse(part, data), context)
        if len(_shared) >= _SHARED_MAX_ENTRIES:
            _shared.clear()
        _shared[key] = value
        return value

    def _parse(self, part: str, data: bytes) -> etree._Element:
        key = part_key(part)
        if key not in self._xml:
            try:
                self._xml[key] = parse_xml(data, part)
            except FormkitError as exc:
                raise exc.with_file(self.name) from None
        return self._xml[key]

    def rels(self, part: str) -> dict[str, Rel]:
        """Relationships from ``part`` ("" for the package) by Id, read from its
        Relationships part (§9.3.1); ``{}`` when it has none. Cached."""
        key = part_key(part)
        if key not in self._rels:
            source = rels_part(part)
            self._rels[key] = self.derived(source, _rels_from, part) if self.has(source) else {}
        return dict(self._rels[key])

    def content_type(self, part: str) -> str:
        """Media type of ``part`` from the Content Types stream (§10.1.2.2): an
        Override for the part name wins over a Default for its extension;
        without either, guessed from the extension for images."""
        overrides, defaults = self._content_types()
        key = part_key(part)
        if key in overrides:
            return overrides[key]
        ext = posixpath.splitext(key)[1].lstrip(".")
        return defaults.get(ext) or _GUESSED_TYPES.get(ext, "application/octet-stream")

    def _content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        if self._types is None:
            if self.has(CONTENT_TYPES_PART):
                self._types = self.derived(CONTENT_TYPES_PART, _content_types_of)
            else:
                self._types = ({}, {})
        return self._types

    def _find_main_part(self) -> str:
        """The target of the package's officeDocument relationship (ECMA-376
        Part 1 §15.2.4; transitional and strict type URIs share the tail),
        else ``word/document.xml`` when present."""
        for rel in self.rels("").values():
            if not rel.external and rel.type.endswith(REL_OFFICE_DOCUMENT) and self.has(rel.target):
                media = self.content_type(rel.target)
                for marker, what in _OTHER_OFFICE:
                    if marker in media:
                        raise file_error("not-docx", self.name, f"this is {what}, not a Word "
                                   "document", "send the Word form (.docx)")
                return rel.target
        if self.has(DEFAULT_MAIN_PART):
            return DEFAULT_MAIN_PART
        self._refuse_foreign_zip()
        raise file_error("missing-part", self.name, "the package has no main document part "
                   "(word/document.xml); it is incomplete or damaged")

    def _refuse_foreign_zip(self) -> None:
        """A ZIP without ``[Content_Types].xml`` is no OPC package (§10.1.2.1);
        an ODF file says what it is in its ``mimetype`` member (ODF 1.2 Part 3
        §3.3)."""
        if self.has(CONTENT_TYPES_PART):
            return
        info = self._index.get("mimetype")
        if info is not None and info.file_size <= 200:
            mime = self.read("mimetype").decode("ascii", "replace")
            if mime.startswith("application/vnd.oasis.opendocument"):
                kinds = {"text": ".odt", "spreadsheet": ".ods", "presentation": ".odp"}
                ext = kinds.get(mime.rsplit(".", 1)[-1], ".odt/.ods/.odp")
                raise file_error("not-docx", self.name, f"this is an OpenDocument file ({ext}), not "
                           "a .docx", RESAVE)
        raise file_error("not-docx", self.name, "this is a zip archive but not a Word document (it "
                   "has no [Content_Types].xml and no word/document.xml)")


def _content_types_of(root: etree._Element, context: str) -> tuple[dict[str, str], dict[str, str]]:
    """(overrides by part key, defaults by extension) of a Content Types stream."""
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for el in root.iterchildren(qn("ct:Override")):
        overrides.setdefault(part_key(el.get("PartName", "")), el.get("ContentType", ""))
    for el in root.iterchildren(qn("ct:Default")):
        ext = el.get("Extension", "").lower().lstrip(".")
        defaults.setdefault(ext, el.get("ContentType", ""))
    return overrides, defaults


def _rels_from(root: etree._Element, source: str) -> dict[str, Rel]:
    """The relationships of a Relationships part whose source is ``source``."""
    found: dict[str, Rel] = {}
    for el in root.iterchildren(qn("pr:Relationship")):
        rel = _make_rel(el, source)
        if rel is not None:
            found.setdefault(rel.id, rel)
    return found


def _make_rel(el: etree._Element, source: str) -> Rel | None:
    """One ``Relationship`` element (§9.3.2.2); None without Id or Target."""
    rid, target = el.get("Id"), el.get("Target")
    if not rid or target is None:
        return None
    external = el.get("TargetMode", "Internal").lower() == "external"
    resolved = target if external else resolve_target(source, target)
    return Rel(id=rid, type=el.get("Type", ""), target=resolved, external=external)


def open_package(source: str | os.PathLike[str] | bytes, name: str | None = None,
                 limits: Limits = Limits()) -> Package:
    """Open a .docx from a path or from its bytes. ``name`` is how messages
    refer to the file (default: the path as given, or ``<bytes>``)."""
    if isinstance(source, bytes):
        name = name or "<bytes>"
        if len(source) > limits.max_file_bytes:
            raise file_error("too-large", name, f"the file is {_size(len(source))}, over the limit "
                       f"of {_size(limits.max_file_bytes)} (max_file_bytes)")
        stream: BinaryIO = io.BytesIO(source)
    else:
        name = name or os.fspath(source)
        stream = _open_path(os.fspath(source), name, limits)
    try:
        head = stream.read(1024)
        stream.seek(0)
        if not head:
            raise file_error("not-docx", name, "the file is empty (0 bytes)")
        if head.startswith(OLE_MAGIC):
            raise refuse_ole(stream, name)
        if not head.startswith(b"PK"):
            raise file_error("not-docx", name, f"this is {describe(head)}, not a Word .docx file",
                       f"{RESAVE}, or {RESEND}")
        zf = open_zip(stream, name, limits)
    except BaseException:
        stream.close()
        raise
    try:
        return Package(stream, zf, index_members(zf, name, limits), name)
    except BaseException:
        zf.close()
        stream.close()
        raise


compare_by_type(Rel)
