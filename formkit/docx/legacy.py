"""What LibreOffice can turn into .docx, sniffed by content as its own type
detection does (never by the file's name), and whether such a file is
password-protected, so it is reported ``encrypted`` before LibreOffice is
asked (it would stop at its password prompt and fail).
"""
from __future__ import annotations

import re
import struct
import zipfile
from typing import BinaryIO

from formkit.docx.sniff import F_ENCRYPTED, OLE_MAGIC, fib_encrypted, ole_streams
from formkit.docx.zipread import Limits, directory_names, open_zip
from formkit.errors import FormkitError

_ODT_MIME = b"application/vnd.oasis.opendocument.text"
# Compiled on first use (re's cache), as the manifest's pattern: most files are neither.
_WORD_XML = rb"<w:wordDocument\b|schemas\.microsoft\.com/office/word/2003/wordml|progid=.Word\.Document"
_WORD2 = (b"\xdb\xa5", b"\x9b\xa5")  # Word for Windows 2.0 and 1.x: the FIB's wIdent
_WORDPERFECT = b"\xffWPC"
_MAX_MANIFEST = 1024 * 1024


def legacy_kind(head: bytes, stream: BinaryIO | None = None) -> str | None:
    """The format LibreOffice can turn into .docx, from a file's content (its
    first bytes ``head``, and the open ``stream`` when given), as LibreOffice's
    type detection sees it:

    * "doc": Word 97-2003 (an OLE2 file with a WordDocument stream, any case,
      and not a password-protected OOXML package), Word for Windows 1.x/2.0,
      or Word 2003 XML (``w:wordDocument``, however the file is named);
    * "wpd": WordPerfect (``\\xffWPC``);
    * "rtf";
    * "odt": an ODF text package, whether or not its ``mimetype`` member comes
      first (ODF 1.2 Part 3 §3.3 asks for it first, uncompressed, so the media
      type usually stands at byte 38; LibreOffice reads it anywhere, or the
      manifest's media type for the package).

    None for anything else (a .docx among them). A password-protected one is
    still its kind: :func:`legacy_encrypted` tells it apart."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(OLE_MAGIC):
        if stream is None:
            return "doc"
        found = ole_streams(stream, ("EncryptedPackage", "EncryptionInfo", "WordDocument"))
        return "doc" if found == {"WordDocument"} else None
    if text.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_WORD2):
        return "doc"
    if head.startswith(_WORDPERFECT):
        return "wpd"
    if is_word_xml(head):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        if head[30:38] == b"mimetype" and head[38:38 + len(_ODT_MIME)] == _ODT_MIME:
            return "odt"
        if stream is not None and _odf_text(stream):
            return "odt"
    return None


def is_word_xml(head: bytes) -> bool:
    """Whether ``head`` begins a Word 2003 XML document."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(b"<?xml") and bool(re.search(_WORD_XML, head))


def _zip_member(stream: BinaryIO, names: tuple[str, ...]) -> bytes | None:
    """The first of ``names`` present in the zip open in ``stream`` (at most
    1 MiB, read only within the zip limits), or None."""
    return next((data for data in _zip_members(stream, names) if data is not None), None)


def _zip_members(stream: BinaryIO, names: tuple[str, ...]) -> list[bytes | None]:
    """Each of ``names`` from the zip open in ``stream``, the zip's directory
    read once (at most 1 MiB each, read only within the zip limits; None for
    a member that is not there or too big); all None for no readable zip."""
    out: list[bytes | None] = [None] * len(names)
    try:
        stream.seek(0)
        zf = open_zip(stream, "", Limits())
        for n, name in enumerate(names):
            try:
                info = zf.getinfo(name)
            except KeyError:
                continue
            if info.file_size > _MAX_MANIFEST or info.flag_bits & 0x41:
                return [None] * len(names)
            with zf.open(info) as fh:
                out[n] = fh.read(_MAX_MANIFEST + 1)[:_MAX_MANIFEST]
                if n == 0:
                    break  # the first name decides alone
        return out
    except (FormkitError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return [None] * len(names)
    finally:
        stream.seek(0)


_MANIFEST_ROOT = (rb"<manifest:file-entry\b[^>]*?manifest:full-path=\"/\"[^>]*>|"
                  rb"<manifest:file-entry\b[^>]*?manifest:media-type=\"[^\"]*\"[^>]*"
                  rb"manifest:full-path=\"/\"[^>]*>")


def _odf_text(stream: BinaryIO) -> bool:
    """An ODF text package whose ``mimetype`` is not its first member, or
    which has none but a manifest naming the package's media type. A zip
    whose directory names neither member (every .docx) is not opened."""
    try:
        stream.seek(0)
        names = directory_names(stream)
        stream.seek(0)
    except OSError:
        names = None
    if names is not None and b"mimetype" not in names and b"META-INF/manifest.xml" not in names:
        return False
    mime, manifest = _zip_members(stream, ("mimetype", "META-INF/manifest.xml"))
    if mime is not None:
        return mime.strip() == _ODT_MIME
    root = re.search(_MANIFEST_ROOT, manifest or b"")
    return root is not None and b'manifest:media-type="' + _ODT_MIME + b'"' in root.group()


def legacy_encrypted(head: bytes, stream: BinaryIO) -> bool:
    """Whether a legacy file LibreOffice would convert is password-protected:
    a .doc whose FIB has fEncrypted set (MS-DOC 2.5.2), a Word 2 file with
    the same bit, a WordPerfect file with an encryption key (its header's
    bytes 12-13), or an ODF package whose ``META-INF/manifest.xml`` holds
    ``manifest:encryption-data`` (ODF 1.2 Part 3 §4.8)."""
    try:
        if head.startswith(OLE_MAGIC):
            return fib_encrypted(stream)
        if head.startswith(_WORD2):
            return len(head) >= 12 and bool(struct.unpack_from("<H", head, 0x0A)[0] & F_ENCRYPTED)
        if head.startswith(_WORDPERFECT):
            return len(head) >= 14 and struct.unpack_from("<H", head, 12)[0] != 0
        if head.startswith(b"PK\x03\x04"):
            manifest = _zip_member(stream, ("META-INF/manifest.xml",))
            return manifest is not None and b"encryption-data" in manifest
    finally:
        stream.seek(0)
    return False


