"""The zip directory read without zipfile (formkit.docx.zipread.directory_names)
and the ODF sniffing it lets skip the zip (formkit.docx.legacy)."""
from __future__ import annotations

import io
import zipfile

import pytest

from formkit.docx.legacy import legacy_kind
from formkit.docx.zipread import directory_names
from tests.conftest import ROOT

ODT = b"application/vnd.oasis.opendocument.text"
MANIFEST = (b'<manifest:manifest><manifest:file-entry manifest:full-path="/" '
            b'manifest:media-type="application/vnd.oasis.opendocument.text"/></manifest:manifest>')


def _zip(members: list[tuple[str, bytes]], comment: bytes = b"") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
        zf.comment = comment
    return buf.getvalue()


def _kind(data: bytes) -> str | None:
    return legacy_kind(data[:4096], io.BytesIO(data))


def test_the_directory_holds_every_member_name() -> None:
    data = _zip([("word/document.xml", b"<x/>"), ("Media/Image1.PNG", b"\x89PNG")], comment=b"a comment")
    names = directory_names(io.BytesIO(data))
    assert names is not None and names.startswith(b"PK\x01\x02")
    assert b"word/document.xml" in names and b"Media/Image1.PNG" in names
    assert b"a comment" not in names and b"mimetype" not in names


def test_an_empty_zip_has_an_empty_directory() -> None:
    assert directory_names(io.BytesIO(_zip([]))) == b""


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 not a zip", b"PK\x05\x06" + b"\xff" * 18])
def test_no_directory_where_there_is_none(data: bytes) -> None:
    assert directory_names(io.BytesIO(data)) is None


def test_odf_members_anywhere_are_still_found() -> None:
    late = _zip([("content.xml", b"<x/>"), ("mimetype", ODT)])
    manifest_only = _zip([("content.xml", b"<x/>"), ("META-INF/manifest.xml", MANIFEST)])
    assert _kind(late) == "odt" and _kind(manifest_only) == "odt"


def test_a_docx_is_no_legacy_file() -> None:
    data = (ROOT / "samples" / "esao-1-2" / "over-dots.docx").read_bytes()
    assert _kind(data) is None
    assert _kind(_zip([("word/document.xml", b"<x/>"), ("mimetypes.txt", b"text")])) is None
