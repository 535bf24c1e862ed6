"""formkit.docx.package: opening returned .docx files, and every way that can fail."""
from __future__ import annotations

import io
import os
import struct
import tracemalloc
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from lxml import etree

from formkit.docx import package as pkgmod
from formkit.errors import FormkitError
from formkit.docx.package import Limits, Package, Rel, open_package
from formkit.docx.xmlsafe import parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
T_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
S_OFFICE = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
T_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
T_LINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
NAME = "returned-form.docx"
DOC = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body/></w:document>'.encode()


def content_types(overrides: dict[str, str] | None = None, defaults: dict[str, str] | None = None) -> bytes:
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml",
                "xml": "application/xml", **(defaults or {})}
    overrides = {"/word/document.xml": DOCX_MAIN, **(overrides or {})}
    body = "".join(f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in defaults.items())
    body += "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides.items())
    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    return f'<?xml version="1.0"?><Types xmlns="{ns}">{body}</Types>'.encode()


def rels(*items: tuple[str, str, str] | tuple[str, str, str, str]) -> bytes:
    """Relationships part from (Id, Type, Target[, TargetMode])."""
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    body = ""
    for rid, rtype, target, *mode in items:
        extra = f' TargetMode="{mode[0]}"' if mode else ""
        body += f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"{extra}/>'
    return f'<?xml version="1.0"?><Relationships xmlns="{ns}">{body}</Relationships>'.encode()


def members(main: str = "word/document.xml", rel_type: str = T_OFFICE) -> dict[str, bytes]:
    """A minimal valid .docx: content types, package rels, the main part."""
    return {
        "[Content_Types].xml": content_types({"/" + main: DOCX_MAIN}),
        "_rels/.rels": rels(("rId1", rel_type, main)),
        main: DOC,
    }


def build_zip(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


@dataclass
class Raw:
    """A ZIP entry written byte by byte, so headers can say anything."""

    name: str
    data: bytes  # as stored in the archive
    file_size: int
    crc: int
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0


def stored(name: str, data: bytes) -> Raw:
    return Raw(name, data, len(data), zlib.crc32(data), zipfile.ZIP_STORED)


def raw_zip(entries: list[Raw]) -> bytes:
    out, central = io.BytesIO(), []
    for e in entries:
        offset, name = out.tell(), e.name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, e.flags, e.method, 0, 0x21,
                              e.crc, len(e.data), e.file_size, len(name), 0) + name + e.data)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, e.flags, e.method, 0,
                                   0x21, e.crc, len(e.data), e.file_size, len(name), 0, 0, 0, 0,
                                   0, offset) + name)
    directory, start = b"".join(central), out.tell()
    out.write(directory + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries),
                                      len(entries), len(directory), start, 0))
    return out.getvalue()


def docx_with(entry: Raw) -> bytes:
    """A valid minimal package plus one crafted entry."""
    return raw_zip([stored(n, d) for n, d in members().items()] + [entry])


def deflate_zeros(size: int) -> tuple[bytes, int]:
    """``size`` zero bytes deflated, streamed so the test itself stays small."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunk, out = bytes(2**20), []
    for _ in range(size // len(chunk)):
        out.append(comp.compress(chunk))
    out.append(comp.compress(bytes(size % len(chunk))) + comp.flush())
    return b"".join(out), size


@pytest.fixture(scope="module")
def zeros_300mb() -> bytes:
    return deflate_zeros(300 * 2**20)[0]


def expect(code: str, source: str | Path | bytes, *words: str, name: str | None = NAME,
           limits: Limits = Limits(), part: str | None = None) -> FormkitError:
    """Assert opening (and reading ``part``) fails with ``code``, naming the file."""
    with pytest.raises(FormkitError) as info:
        with open_package(source, name=name, limits=limits) as pkg:
            if part is not None:
                pkg.read(part)
    exc = info.value
    assert exc.code == code, str(exc)
    assert exc.file == (name or str(source)) and str(exc).startswith(f"{exc.file}: ")
    for word in words:
        assert word in exc.message, (word, exc.message)
    return exc


def peak_memory(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        try:
            action()
        except FormkitError:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- a valid package --------------------------------------------------------------

@pytest.mark.parametrize("as_path", [True, False])
def test_minimal_docx_opens_and_reads(tmp_path: Path, as_path: bool) -> None:
    data = build_zip(members())
    path = tmp_path / "form.docx"
    path.write_bytes(data)
    with open_package(path if as_path else data) as pkg:
        assert pkg.name == (str(path) if as_path else "<bytes>")
        assert pkg.main_part == "word/document.xml"
        assert pkg.has("word/document.xml") and not pkg.has("word/styles.xml")
        assert pkg.read("word/document.xml") == DOC
        assert pkg.xml(pkg.main_part).tag == f"{{{W}}}document"
        assert pkg.content_type(pkg.main_part) == DOCX_MAIN
        assert pkg.rels("")["rId1"] == Rel("rId1", T_OFFICE, "word/document.xml", False)


def test_xml_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counting(data: bytes, part: str) -> etree._Element:
        calls.append(part)
        return parse_xml(data, part)

    monkeypatch.setattr(pkgmod, "parse_xml", counting)
    with open_package(build_zip(members())) as pkg:
        first = pkg.xml("word/document.xml")
        assert pkg.xml("/Word/Document.xml") is first
        assert calls.count("word/document.xml") == 1


def test_close_releases_the_file(tmp_path: Path) -> None:
    path = tmp_path / "f.docx"
    path.write_bytes(build_zip(members()))
    with open_package(path) as pkg:
        pass
    with pytest.raises(ValueError):
        pkg.read("word/document.xml")


@pytest.mark.parametrize(
    ("rel_type", "main"),
    [(T_OFFICE, "word/document2.xml"), (S_OFFICE, "word/document.xml"), (S_OFFICE, "doc/main.xml")],
)
def test_main_part_comes_from_the_office_document_relationship(rel_type: str, main: str) -> None:
    with open_package(build_zip(members(main=main, rel_type=rel_type))) as pkg:
        assert pkg.main_part == main
        assert pkg.xml(pkg.main_part).tag == f"{{{W}}}document"


def test_main_part_falls_back_to_word_document_xml() -> None:
    parts = members()
    del parts["_rels/.rels"]
    with open_package(build_zip(parts)) as pkg:
        assert pkg.main_part == "word/document.xml"


@pytest.mark.parametrize(
    ("target", "resolved"),
    [
        ("media/image1.png", "word/media/image1.png"),
        ("./media/image1.png", "word/media/image1.png"),
        ("../customXml/item1.xml", "customXml/item1.xml"),
        ("/word/media/image1.png", "word/media/image1.png"),
        ("media/image%201.png", "word/media/image 1.png"),
        ("media/a.png#frag", "word/media/a.png"),
        ("../../../../etc/passwd", "etc/passwd"),
    ],
)
def test_relationship_targets_resolve_against_the_source_folder(target: str, resolved: str) -> None:
    doc_rels = rels(("rId5", T_IMAGE, target), ("rId6", T_LINK, "https://x.example/a b?q=1", "External"))
    parts = members()
    parts["word/_rels/document.xml.rels"] = doc_rels
    with open_package(build_zip(parts)) as pkg:
        got = pkg.rels("word/document.xml")
        assert got["rId5"] == Rel("rId5", T_IMAGE, resolved, False)
        assert got["rId6"] == Rel("rId6", T_LINK, "https://x.example/a b?q=1", True)
        assert pkg.rels("word/styles.xml") == {}


def test_lookup_is_case_insensitive_and_percent_decoded() -> None:
    parts = members()
    parts["Word/Media/Image1.PNG"] = b"\x89PNG-1"
    parts["word/media/image 2.png"] = b"\x89PNG-2"
    parts["word/_rels/document.xml.rels"] = rels(("rId1", T_IMAGE, "media/image1.png"))
    with open_package(build_zip(parts)) as pkg:
        target = pkg.rels("WORD/document.xml")["rId1"].target
        assert pkg.has(target) and pkg.read(target) == b"\x89PNG-1"
        assert pkg.read("/word/media/image%202.png") == b"\x89PNG-2"
        assert pkg.has("[content_types].XML")


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        ("word/document.xml", DOCX_MAIN),  # Override
        ("/WORD/DOCUMENT.XML", DOCX_MAIN),  # Override, any case
        ("word/styles.xml", "application/xml"),  # Default by extension
        ("word/media/a.PNG", "image/x-custom-png"),  # Default, extension any case
        ("word/media/b.jpg", "image/jpeg"),  # guessed
        ("word/media/c.emf", "image/x-emf"),  # guessed
        ("word/embeddings/d.bin", "application/octet-stream"),
    ],
)
def test_content_types(part: str, expected: str) -> None:
    parts = members()
    parts["[Content_Types].xml"] = content_types(defaults={"png": "image/x-custom-png"})
    with open_package(build_zip(parts)) as pkg:
        assert pkg.content_type(part) == expected


def test_package_without_content_types_still_opens_and_guesses() -> None:
    parts = members()
    del parts["[Content_Types].xml"]
    with open_package(build_zip(parts)) as pkg:
        assert pkg.content_type("word/media/x.png") == "image/png"
        assert pkg.content_type("word/document.xml") == "application/octet-stream"


# -- files that are not .docx --------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole(*streams: str, at: int = 512) -> bytes:
    """A fake compound file with directory names placed at ``at`` (astride the
    scanner's chunk boundary when ``at`` is near 256 KiB)."""
    names = b"".join(s.encode("utf-16-le") for s in streams)
    return OLE + bytes(at - len(OLE)) + names + bytes(1024)


NON_DOCX = {
    "empty": (b"", "not-docx", ["empty"]),
    "ooxml-encrypted": (ole("EncryptionInfo", "EncryptedPackage"), "encrypted", ["password", "Word"]),
    "encrypted-astride-chunks": (ole("EncryptedPackage", at=256 * 1024 - 9), "encrypted", ["password"]),
    "doc": (ole("WordDocument", "1Table"), "not-docx", ["Word 97-2003", ".doc", "save"]),
    "xls": (ole("Workbook"), "not-docx", ["97-2003"]),
    "rtf": (b"{\\rtf1\\ansi hello}", "not-docx", ["Rich Text Format"]),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3", "not-docx", ["PDF"]),
    "html": (b"\n<!DOCTYPE html><html><body>form</body></html>", "not-docx", ["HTML"]),
    "mht": (b"MIME-Version: 1.0\r\nContent-Type: multipart/related", "not-docx", [".mht"]),
    "word-xml": (b'<?xml version="1.0"?><?mso-application progid="Word.Document"?>', "not-docx", ["Word XML"]),
    "text": (b"Dear office,\nplease find the form.\n", "not-docx", ["plain text"]),
    "binary": (b"\x00\x01\x02\x03binary", "not-docx", ["unknown type"]),
}


@pytest.mark.parametrize(("data", "code", "words"), NON_DOCX.values(), ids=NON_DOCX.keys())
def test_non_docx_inputs(tmp_path: Path, data: bytes, code: str, words: list[str]) -> None:
    path = tmp_path / NAME
    path.write_bytes(data)
    expect(code, path, *words)
    expect(code, data, *words)


def test_open_document_text_is_named(tmp_path: Path) -> None:
    odt = build_zip({"mimetype": b"application/vnd.oasis.opendocument.text",
                     "content.xml": b"<office:document-content/>", "META-INF/manifest.xml": b"<m/>"})
    expect("not-docx", odt, "OpenDocument", ".odt")


@pytest.mark.parametrize(
    ("parts", "code", "word"),
    [
        ({"notes.txt": b"hello"}, "not-docx", "zip archive"),
        ({"[Content_Types].xml": content_types(), "_rels/.rels": rels(("r", T_OFFICE, "word/missing.xml"))},
         "missing-part", "main document"),
        ({"[Content_Types].xml": content_types({"/xl/workbook.xml": "application/vnd.openxmlformats-"
                                                "officedocument.spreadsheetml.sheet.main+xml"}),
          "_rels/.rels": rels(("r", T_OFFICE, "xl/workbook.xml")), "xl/workbook.xml": b"<workbook/>"},
         "not-docx", "Excel"),
    ],
)
def test_zips_that_are_not_word_documents(parts: dict[str, bytes], code: str, word: str) -> None:
    expect(code, build_zip(parts), word)


def test_empty_zip_is_not_a_docx() -> None:
    expect("not-docx", build_zip({}), "zip archive")


# -- the path itself ------------------------------------------------------------------

def test_missing_path(tmp_path: Path) -> None:
    expect("not-found", tmp_path / "nope.docx", "does not exist", name=None)


def test_directory(tmp_path: Path) -> None:
    expect("not-found", tmp_path, "folder", name=None)


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    expect("not-found", fifo, "not a regular file", name=None)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / NAME
    path.write_bytes(build_zip(members()))

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", deny)  # we run as root: chmod would not do
    expect("not-found", path, "permission denied", name=None)


# -- damaged or encrypted zips ----------------------------------------------------------

def test_truncated_zip_is_corrupt() -> None:
    data = build_zip(members())
    expect("corrupt", data[: len(data) // 2], "damaged")
    expect("corrupt", b"PK\x03\x04" + bytes(200), "damaged")


def test_bad_crc_is_corrupt_on_read() -> None:
    data = bytearray(raw_zip([stored(n, d) for n, d in members().items()]))
    at = data.index(b"<w:body/>")
    data[at + 1] ^= 0x20  # "<W:body/>": still well-formed length, wrong checksum
    expect("corrupt", bytes(data), "damaged", "word/document.xml", part="word/document.xml")


@pytest.mark.parametrize("flags", [0x1, 0x41])
def test_encrypted_zip_entries(flags: int) -> None:
    entry = stored("word/secret.xml", b"x" * 40)
    entry.flags = flags
    expect("encrypted", docx_with(entry), "password")


def test_unusual_compression_method_is_corrupt() -> None:
    parts = members()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, d in parts.items():
            zf.writestr(n, d, zipfile.ZIP_BZIP2 if n == "word/document.xml" else zipfile.ZIP_STORED)
    expect("corrupt", buf.getvalue(), "compression method 12", part="word/document.xml")


def test_duplicate_part_names_differing_in_case_are_corrupt() -> None:
    parts = members()
    parts["WORD/document.xml"] = b"<evil/>"
    expect("corrupt", build_zip(parts), "two entries")


def test_unsafe_xml_inside_a_part_names_the_file() -> None:
    parts = members()
    parts["word/document.xml"] = b'<!DOCTYPE d [<!ENTITY x "y">]><d>&x;</d>'
    with open_package(build_zip(parts), name=NAME) as pkg:
        with pytest.raises(FormkitError) as info:
            pkg.xml(pkg.main_part)
    assert info.value.code == "unsafe-xml" and str(info.value).startswith(f"{NAME}: ")


def test_missing_part_on_read() -> None:
    with open_package(build_zip(members()), name=NAME) as pkg:
        with pytest.raises(FormkitError) as info:
            pkg.read("word/header1.xml")
    assert info.value.code == "missing-part" and "word/header1.xml" in str(info.value)


# -- limits -------------------------------------------------------------------------------

def test_file_size_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / NAME
    path.write_bytes(build_zip(members()))
    data = path.read_bytes()
    with monkeypatch.context() as patched:
        patched.setattr(os, "open", lambda *a, **k: pytest.fail("opened"))
        expect("too-large", path, "max_file_bytes", limits=Limits(max_file_bytes=100))
    expect("too-large", data, "max_file_bytes", limits=Limits(max_file_bytes=100))


def test_too_many_members() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members().items():
            zf.writestr(name, data)
        for i in range(3000):
            zf.writestr(f"word/media/i{i}.bin", b"")
    expect("too-large", buf.getvalue(), "3,003", "max_members")


def test_member_count_is_checked_before_zipfile_builds_its_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = build_zip({f"m{i}": b"" for i in range(50)})
    monkeypatch.setattr(zipfile, "ZipFile", lambda *a, **k: pytest.fail("directory parsed"))
    expect("too-large", data, "50 zip entries", limits=Limits(max_members=10))


@pytest.mark.parametrize(
    ("size", "limits", "word"),
    [
        (10 * 2**20, Limits(), "max_ratio"),  # 10 MiB of zeros: ~1000:1
        (2 * 2**20, Limits(max_member_bytes=2**20), "max_member_bytes"),
        (2 * 2**20, Limits(max_total_bytes=2**20, max_ratio=10**6), "max_total_bytes"),
    ],
)
def test_declared_sizes_are_checked_before_inflating(size: int, limits: Limits, word: str) -> None:
    data, _ = deflate_zeros(size)
    expect("too-large", docx_with(Raw("word/media/zeros.bin", data, size, 0)), word, limits=limits)


def test_deflate_bomb_is_refused_before_inflating(tmp_path: Path, zeros_300mb: bytes) -> None:
    path = tmp_path / NAME
    path.write_bytes(docx_with(Raw("word/media/bomb.bin", zeros_300mb, 300 * 2**20, 0)))
    for limits, word in [(Limits(), "max_member_bytes"),
                         (Limits(max_member_bytes=2**30, max_total_bytes=2**30), "max_ratio")]:
        peak = peak_memory(lambda: expect("too-large", path, word, "300.0 MiB", limits=limits))
        assert peak < 50 * 2**20


@pytest.mark.parametrize("declared", [1000, 2**20])
def test_member_that_lies_about_its_size(tmp_path: Path, zeros_300mb: bytes, declared: int) -> None:
    """The header says 1000 bytes; the data inflates to 300 MB. zipfile would
    stop at the declared size and, with a CRC forged for that prefix, return it
    silently; we refuse, having inflated no more than declared + 1 byte."""
    entry = Raw("word/media/liar.bin", zeros_300mb, declared, zlib.crc32(bytes(declared)))
    path = tmp_path / NAME
    path.write_bytes(docx_with(entry))

    def attempt() -> None:
        with open_package(path, name=NAME) as pkg:
            pkg.read(entry.name)

    with pytest.raises(FormkitError) as info:
        attempt()
    assert info.value.code == "too-large" and "more data than its header declares" in str(info.value)
    assert peak_memory(attempt) < 50 * 2**20


def test_stdlib_zipfile_is_fooled_by_a_lying_header() -> None:
    """Why package.py inflates members itself: zipfile returns the declared
    prefix (after inflating the whole real stream into memory) without error."""
    zeros, _ = deflate_zeros(2 * 2**20)
    entry = Raw("word/media/liar.bin", zeros, 1000, zlib.crc32(bytes(1000)))
    data = docx_with(entry)
    assert zipfile.ZipFile(io.BytesIO(data)).read(entry.name) == bytes(1000)
    expect("too-large", data, "more data", part=entry.name)


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_member_shorter_than_declared_is_corrupt(method: int) -> None:
    payload = b"abc" * 100
    data = zlib.compress(payload)[2:-4] if method == zipfile.ZIP_DEFLATED else payload
    entry = Raw("word/media/short.bin", data, len(payload) + 50, zlib.crc32(payload), method)
    expect("corrupt", docx_with(entry), "damaged", part=entry.name)


def test_stored_member_longer_than_declared_is_too_large() -> None:
    payload = b"abc" * 100
    entry = Raw("word/media/long.bin", payload, 10, zlib.crc32(payload[:10]), zipfile.ZIP_STORED)
    expect("too-large", docx_with(entry), "more data", part=entry.name)


def test_deflated_member_reads_back_exactly() -> None:
    payload = os.urandom(3 * 2**20) + bytes(2**20)
    parts = members()
    parts["word/media/big.bin"] = payload
    with open_package(build_zip(parts)) as pkg:
        assert pkg.read("word/media/big.bin") == payload


def test_limits_are_frozen_with_documented_defaults() -> None:
    assert Limits() == Limits(100 * 2**20, 2000, 64 * 2**20, 256 * 2**20, 200)
    with pytest.raises(AttributeError):
        Limits().max_members = 1  # type: ignore[misc]
    with open_package(build_zip(members())) as pkg:
        assert isinstance(pkg, Package)
