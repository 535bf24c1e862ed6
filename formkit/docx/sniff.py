"""What a returned file is, from its first bytes, when it is not a .docx
package: the words of the ``not-docx`` and ``encrypted`` messages.

An OLE2 compound file (magic D0 CF 11 E0) is either a password-protected
OOXML document (MS-OFFCRYPTO: streams ``EncryptionInfo`` and
``EncryptedPackage``) or a legacy binary Office file.

What LibreOffice can turn into .docx, and whether such a file is
password-protected, is :mod:`formkit.docx.legacy`'s.
"""
from __future__ import annotations

import codecs
import struct
from typing import BinaryIO

from formkit.docx import ole
from formkit.errors import FormkitError

_CHUNK = 256 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAGICS = (  # what a non-ZIP file is, from its first bytes (lower-cased)
    (b"{\\rtf", "a Rich Text Format (.rtf) file"), (b"%pdf-", "a PDF file"),
    (b"<!doctype html", "a web page (HTML)"), (b"<html", "a web page (HTML)"),
    (b"mime-version:", "a single-file web page (.mht)"), (b"\x89png", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"), (b"gif8", "a GIF image"), (b"rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"), (b"\x1f\x8b", "a gzip archive"),
)
# What a document (or a file sent instead of one) begins with: a ZIP package,
# an OLE2 compound file, XML, and the non-ZIP kinds above that are no picture.
_DOCUMENT_MAGICS = (b"pk\x03\x04", OLE_MAGIC, b"<?xml", b"\xffwpc", b"\xdb\xa5", b"\x9b\xa5",  # + WordPerfect, Word 1/2
                    *(m for m, what in _MAGICS if "image" not in what))
RESAVE = "open it in Word and save it as Word Document (.docx)"
RESEND = "ask the sender to send the original .docx again"


def file_error(code: str, name: str, message: str, hint: str = RESEND) -> FormkitError:
    """An error about file ``name``: what is wrong, then what to do."""
    return FormkitError(code, f"{message}; {hint}" if hint else message, file=name)


def is_document(head: bytes) -> bool:
    """Whether a file's first bytes ``head`` show a document or what an office
    sends instead of one (a package, a .doc, RTF, a PDF, a web page, XML, an
    archive): neither a picture nor plain text such as a results file."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(_DOCUMENT_MAGICS)


def describe(head: bytes) -> str:
    """Say what a non-ZIP file looks like, for the ``not-docx`` message."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for magic, what in _MAGICS:
        if text.startswith(magic):
            return what
    if text.startswith(b"<?xml"):
        word = any(m in text for m in (b"word.document", b"pkg:package", b"w:worddocument"))
        return "a Word XML document (Word 2003 XML or Flat XML)" if word else "an XML file"
    try:  # incremental: a character cut at the end of ``head`` is not an error
        decoded = codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        decoded = "\x00"
    if all(c.isprintable() or c in "\t\r\n\f" for c in decoded):
        return "a plain text file"
    return "a file of unknown type (not a zip package)"


def ole_streams(stream: BinaryIO, names: tuple[str, ...]) -> set[str]:
    """Which of ``names`` are streams of an OLE2 compound file, compared
    without regard to case as LibreOffice opens them ("worddocument" is
    Word's "WordDocument"): from its directory, or, when that cannot be
    read, by a search for the (UTF-16LE) names in overlapping chunks, so
    memory stays bounded."""
    entries = ole.directory(stream)
    if entries is not None:
        present = {e.name for e in entries}
        return {n for n in names if n.casefold() in present}
    patterns = {n: n.casefold().encode("utf-16-le") for n in names}
    overlap = max(len(p) for p in patterns.values())
    found: set[str] = set()
    stream.seek(0)
    carry = b""
    while chunk := stream.read(_CHUNK):
        window = carry + chunk.lower()  # ASCII letters of UTF-16LE names fold byte by byte
        found.update(n for n, p in patterns.items() if p in window)
        carry = window[-overlap:]
    return found


F_ENCRYPTED = 0x0100  # FibBase bit fEncrypted (MS-DOC 2.5.2; Word 2's FIB has it at the same place)


def fib_encrypted(stream: BinaryIO) -> bool:
    """Whether the .doc open in ``stream`` says it is password-protected:
    the fEncrypted bit of the FIB at the start of its WordDocument stream."""
    entries = ole.directory(stream)
    word = next((e for e in entries or () if e.name == "worddocument" and e.kind == 2), None)
    fib = ole.stream_head(stream, word, 12) if word is not None else None
    return fib is not None and bool(struct.unpack_from("<H", fib, 0x0A)[0] & F_ENCRYPTED)


def encrypted_error(name: str) -> FormkitError:
    return file_error("encrypted", name, "the document is password-protected",
                      "remove the password in Word (File > Info > Protect Document > "
                      "Encrypt with Password, clear it) or LibreOffice (File > Properties > "
                      "Security), save it and send it again")


def refuse_ole(stream: BinaryIO, name: str) -> FormkitError:
    """An OLE2 compound file is either a password-protected OOXML document
    (MS-OFFCRYPTO: streams ``EncryptionInfo`` and ``EncryptedPackage``) or a
    legacy binary Office file (Word's has a ``WordDocument`` stream, whose
    FIB may say it is password-protected)."""
    found = ole_streams(stream, ("EncryptedPackage", "EncryptionInfo", "WordDocument"))
    if found & {"EncryptedPackage", "EncryptionInfo"} or ("WordDocument" in found and fib_encrypted(stream)):
        return encrypted_error(name)
    what = ("a legacy Word 97-2003 document (.doc)" if "WordDocument" in found
            else "a legacy Office 97-2003 file (.doc/.xls/.ppt)")
    return file_error("not-docx", name, f"this is {what}, not a .docx", RESAVE)
