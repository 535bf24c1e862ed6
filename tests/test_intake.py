"""Intake of what LibreOffice reads (formkit.docx.legacy, formkit.docx.ole,
formkit.office.legacy_copy, formkit.office.convert): files sniffed by
content as LibreOffice does, password-protected legacy files reported as
`encrypted`, LibreOffice's own output bounded by the size of the file sent
rather than the returned-file ratio, and relative paths in the Python API.
Every file is built here, from a sample through LibreOffice or by hand."""
from __future__ import annotations

import io
import json
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from formkit.docx import ole
from formkit.docx.legacy import legacy_encrypted, legacy_kind
from formkit.docx.zipread import CONVERTED_FLOOR, converted_limits
from formkit.office.convert import Converter, check_input
from formkit.office.legacy_copy import strip_word_xml
from formkit.docx.xmlsafe import parse_xml
from formkit.read.parse import parse_file, read_model
from tests.conftest import ROOT
from tests.conftest import convert as lo_convert

SAMPLE = ROOT / "samples" / "esao-1-2" / "over-dots.docx"
EXPECTED = json.loads(SAMPLE.with_suffix(".json").read_text("utf-8"))["record"]
UTF16 = "utf-16-le"


@pytest.fixture(scope="module")
def made(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample as .doc, .odt and Word 2003 XML, written by LibreOffice."""
    tmp = tmp_path_factory.mktemp("intake")
    src = tmp / "form.docx"
    shutil.copy(SAMPLE, src)
    for target in ("doc:MS Word 97", "odt", "xml:MS Word 2003 XML"):
        lo_convert(soffice, [src], target, tmp, tmp / "profile")
    return tmp


def _head(path: Path) -> tuple[bytes, io.BytesIO]:
    data = path.read_bytes()
    return data[:4096], io.BytesIO(data)


# ---- sniffed by content ------------------------------------------------------------------

def test_an_odt_whose_mimetype_is_not_first_is_read(made: Path, tmp_path: Path) -> None:
    late = tmp_path / "late.odt"
    with zipfile.ZipFile(made / "form.odt") as zin, zipfile.ZipFile(late, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != "mimetype":
                zout.writestr(info.filename, zin.read(info))
        zout.writestr("mimetype", zin.read("mimetype"))
    assert zipfile.ZipFile(late).namelist()[0] != "mimetype"
    assert legacy_kind(*_head(late)) == "odt"
    result = parse_file(late)
    assert result.error is None and result.record == EXPECTED
    assert [w.code for w in result.warnings] == ["converted-from-odt"]


def test_a_doc_with_a_lower_case_stream_name_is_read(made: Path, tmp_path: Path) -> None:
    data = (made / "form.doc").read_bytes()
    assert data.count("WordDocument".encode(UTF16)) == 1
    lower = tmp_path / "lower.doc"
    lower.write_bytes(data.replace("WordDocument".encode(UTF16), "worddocument".encode(UTF16)))
    entries = ole.directory(io.BytesIO(lower.read_bytes()))
    assert entries is not None and "worddocument" in {e.name for e in entries}
    assert legacy_kind(*_head(lower)) == "doc"
    result = parse_file(lower)
    assert result.error is None and result.record == EXPECTED
    assert [w.code for w in result.warnings] == ["converted-from-doc"]


def test_word_2003_xml_saved_as_doc_is_read(made: Path, tmp_path: Path) -> None:
    xml_doc = tmp_path / "saved-as.doc"
    shutil.copy(made / "form.xml", xml_doc)
    assert xml_doc.read_bytes()[:5] == b"<?xml" and b"w:wordDocument" in xml_doc.read_bytes()[:4096]
    assert legacy_kind(*_head(xml_doc)) == "doc"
    result = parse_file(xml_doc)
    assert result.error is None and result.form == "esao-1-2"
    assert result.warnings[0].code == "converted-from-doc"
    assert result.record is not None
    for name in ("process", "problems", "suggestions"):  # LibreOffice's Word 2003 XML keeps the text
        assert result.record[name] == EXPECTED[name]


def test_word_2003_xml_loses_what_would_load_from_outside() -> None:
    w = "http://schemas.microsoft.com/office/word/2003/wordml"
    xml = (f'<?xml version="1.0"?><w:wordDocument xmlns:w="{w}" xmlns:v="urn:schemas-microsoft-com:vml" '
           'xmlns:o="urn:schemas-microsoft-com:office:office"><w:docPr><w:attachedTemplate w:val="http://x/t.dot"/>'
           '</w:docPr><w:body><w:p><w:r><w:instrText> INCLUDETEXT "/etc/passwd" </w:instrText></w:r>'
           '<w:r><w:instrText> PAGE </w:instrText></w:r><w:fldSimple w:instr=" INCLUDEPICTURE http://x/a.png "/>'
           '<w:hlink w:dest="http://example.org/"><w:r><w:t>link</w:t></w:r></w:hlink>'
           '<w:r><w:pict><v:imagedata src="file:///etc/x.png"/><v:imagedata src="wordml://1.png"/></w:pict></w:r>'
           '</w:p></w:body></w:wordDocument>').encode()
    root = parse_xml(xml, "x")
    strip_word_xml(root)
    out = etree.tostring(root).decode()
    assert "passwd" not in out and "INCLUDEPICTURE" not in out and "file:///" not in out and "t.dot" not in out
    assert " PAGE " in out and 'w:dest="http://example.org/"' in out and "wordml://1.png" in out


def _wordperfect(text: str, key: int = 0) -> bytes:
    """A WordPerfect 5.1 file: the 16-byte header (\\xffWPC, where the
    document starts, product 1, file type 10, version 0.1, encryption key)
    and the text."""
    return b"\xffWPC" + struct.pack("<I", 16) + bytes([1, 10, 0, 1]) + struct.pack("<HH", key, 0) + text.encode()


def test_wordperfect_goes_to_libreoffice_with_a_relative_output_folder(
        soffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wpd = tmp_path / "memo.wpd"
    wpd.write_bytes(_wordperfect("Hello from WordPerfect"))
    assert legacy_kind(*_head(wpd)) == "wpd" and check_input(wpd) is None
    monkeypatch.chdir(tmp_path)
    with Converter() as converter:
        out = converter.convert([Path("memo.wpd")], "docx", Path("out"))[Path("memo.wpd")]
    assert isinstance(out, Path) and (tmp_path / "out" / "memo.docx").is_file()
    texts = [b.text for b in read_model(str(tmp_path / "out" / "memo.docx"), "memo").body if hasattr(b, "text")]
    assert any("Hello from WordPerfect" in t for t in texts)
    result = parse_file(wpd)  # converted, read, and no form
    assert result.error is not None and result.error.code == "unknown-form"


def test_word_2_is_routed_to_libreoffice(tmp_path: Path) -> None:
    word2 = tmp_path / "old.doc"
    word2.write_bytes(b"\xdb\xa5\x2d\x00" + bytes(28) + b"text")
    assert legacy_kind(*_head(word2)) == "doc" and check_input(word2) is None


# ---- encrypted ----------------------------------------------------------------------------

def _fib_encrypted(data: bytes) -> bytes:
    """``data`` (a .doc) with its FIB's fEncrypted bit set."""
    entries = ole.directory(io.BytesIO(data))
    assert entries is not None
    word = next(e for e in entries if e.name == "worddocument")
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    at = (word.start + 1) * (1 << shift)
    assert struct.unpack_from("<H", data, at)[0] == 0xA5EC  # the FIB's wIdent
    flags = struct.unpack_from("<H", data, at + 0x0A)[0]
    return data[: at + 0x0A] + struct.pack("<H", flags | 0x0100) + data[at + 0x0C :]


def test_a_doc_with_fencrypted_is_encrypted(made: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked.doc"
    locked.write_bytes(_fib_encrypted((made / "form.doc").read_bytes()))
    assert legacy_encrypted(*_head(locked)) and not legacy_encrypted(*_head(made / "form.doc"))
    for convert in (True, False):  # through LibreOffice, or refused as a legacy file
        result = parse_file(locked, convert=convert)
        assert result.error is not None and result.error.code == "encrypted", result.error
        assert "password" in result.error.message


def test_an_odt_with_encryption_data_is_encrypted(made: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked.odt"
    with zipfile.ZipFile(made / "form.odt") as zin, zipfile.ZipFile(locked, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "META-INF/manifest.xml":
                entry = b'manifest:full-path="content.xml"'
                assert entry in data
                start = data.index(entry)
                end = data.index(b"/>", start)
                data = (data[:end] + b'><manifest:encryption-data manifest:checksum-type="SHA1/1K" '
                        b'manifest:checksum="AAAA"/></manifest:file-entry>' + data[end + 2 :])
            zout.writestr(info, data)
    assert legacy_kind(*_head(locked)) == "odt" and legacy_encrypted(*_head(locked))
    assert not legacy_encrypted(*_head(made / "form.odt"))
    result = parse_file(locked)
    assert result.error is not None and result.error.code == "encrypted"


@pytest.mark.parametrize(("data", "locked"), [
    (_wordperfect("x", key=0x1234), True), (_wordperfect("x"), False),
    (b"\xdb\xa5\x2d\x00" + bytes(6) + struct.pack("<H", 0x0100) + bytes(20), True),
    (b"\xdb\xa5\x2d\x00" + bytes(28), False),
])
def test_other_legacy_files_say_when_they_are_locked(data: bytes, locked: bool) -> None:
    assert legacy_encrypted(data[:4096], io.BytesIO(data)) is locked


# ---- LibreOffice's own output is bounded by the file sent -----------------------------------

def _compressible_docx(tmp_path: Path, megabytes: int) -> Path:
    """A sample .docx with an extra part of zeros (~1000:1), as LibreOffice
    writes what it expands (an embedded PDF's data)."""
    out = tmp_path / "out.docx"
    with zipfile.ZipFile(SAMPLE) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("word/embeddings/oleObject1.bin", bytes(megabytes * 2**20))
    return out


def test_libreoffice_output_is_not_judged_by_the_returned_file_ratio(tmp_path: Path) -> None:
    output = _compressible_docx(tmp_path, 4)
    original = tmp_path / "sent.doc"
    original.write_bytes(bytes(60 * 1024))  # what the office sent: its size bounds the output
    assert parse_file(output).error.code == "too-large"  # type: ignore[union-attr]  # a returned .docx
    result = parse_file(output, str(original), converted_from="doc")
    assert result.error is None and result.record == EXPECTED


def test_libreoffice_output_is_bounded_by_the_size_of_the_file_sent(tmp_path: Path) -> None:
    output = _compressible_docx(tmp_path, 20)  # over the floor, and over 200 x a 60 KiB file
    original = tmp_path / "sent.doc"
    original.write_bytes(bytes(60 * 1024))
    result = parse_file(output, str(original), converted_from="doc")
    assert result.error is not None and result.error.code == "too-large"
    original.write_bytes(bytes(200 * 1024))  # 200 x 200 KiB = 40 MiB: room for it
    assert parse_file(output, str(original), converted_from="doc").error is None


def test_converted_limits() -> None:
    assert converted_limits(0).max_total_bytes == CONVERTED_FLOOR
    assert converted_limits(1 << 20).max_total_bytes == 200 << 20
    assert converted_limits(100 << 20).max_total_bytes == 256 << 20  # never over the usual total


def test_a_folder_walk_takes_wordperfect_files_when_converting(tmp_path: Path) -> None:
    from formkit.read.inputs import document_head, expand_inputs

    (tmp_path / "memo.wpd").write_bytes(_wordperfect("x"))
    (tmp_path / "notes.txt").write_text("x", "utf-8")
    assert list(expand_inputs([tmp_path], legacy=True)) == [str(tmp_path / "memo.wpd")]
    assert list(expand_inputs([tmp_path])) == []
    assert document_head(_wordperfect("x")) and document_head(b"\xdb\xa5\x2d\x00")
