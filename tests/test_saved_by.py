"""The envelope's ``saved_by``: the program a file itself says last saved it
(docProps/app.xml, ODF meta:generator, RTF \\generator), cleaned, and
carried to JSON, CSV and the score's input check."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from formkit.cli import main
from formkit.docx import savedby
from formkit.read.parse import parse_file
from formkit.score.fields import parse_problem
from tests.conftest import ROOT

SAMPLE = ROOT / "samples" / "esao-1-2" / "typed-marks.docx"
_APP = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>{app}</Application>{version}</Properties>")


def _with_app(tmp_path: Path, app: str, version: str = "") -> Path:
    """The sample with its docProps/app.xml saying ``app`` (and AppVersion)."""
    out = tmp_path / "saved.docx"
    ver = f"<AppVersion>{version}</AppVersion>" if version else ""
    with zipfile.ZipFile(SAMPLE) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        assert "docProps/app.xml" in names  # the relationship to it is the sample's own
        for name in names:
            data = src.read(name)
            dst.writestr(name, _APP.format(app=app, version=ver).encode() if name == "docProps/app.xml" else data)
    return out


def test_docx_application_and_version(tmp_path: Path) -> None:
    got = parse_file(_with_app(tmp_path, "Microsoft Office Word", "16.0000"))
    assert got.error is None
    assert got.saved_by == "Microsoft Office Word 16.0000"
    assert list(got.as_dict())[:3] == ["file", "form", "saved_by"]


def test_a_version_already_in_the_name_is_not_repeated(tmp_path: Path) -> None:
    got = parse_file(_with_app(tmp_path, "LibreOffice/7.4.7.2$Linux_X86_64", "7.4.7.2"))
    assert got.saved_by == "LibreOffice/7.4.7.2$Linux_X86_64"


def test_untrusted_names_are_one_short_line(tmp_path: Path) -> None:
    got = parse_file(_with_app(tmp_path, "Evil&#x0A;Writer\u202e&#x09;" + "x" * 500))
    assert got.saved_by is not None
    assert got.saved_by.startswith("Evil Writer x") and len(got.saved_by) == savedby.MAX_CHARS
    assert "\n" not in got.saved_by and "\u202e" not in got.saved_by


def test_a_package_without_properties_says_nothing(tmp_path: Path) -> None:
    out = tmp_path / "bare.docx"
    with zipfile.ZipFile(SAMPLE) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            if name != "docProps/app.xml":
                dst.writestr(name, src.read(name))
    got = parse_file(out)
    assert got.error is None and got.saved_by is None


def test_odt_fodt_and_rtf_generators(tmp_path: Path) -> None:
    odt = tmp_path / "a.odt"
    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("meta.xml", '<?xml version="1.0"?><office:document-meta '
                    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"><office:meta>'
                    "<meta:generator>calligrawords/3.2.1</meta:generator></office:meta></office:document-meta>")
    fodt = tmp_path / "a.fodt"
    fodt.write_text('<?xml version="1.0"?><office:document><office:meta>'
                    "<meta:generator>LibreOffice/7.4 &amp; friends</meta:generator></office:meta>", "utf-8")
    rtf = tmp_path / "a.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi{\\fonttbl{\\f0 Times;}}{\\*\\generator Riched20 10.0.19041}\\viewkind4 hi}")
    assert savedby.from_file(odt, "odt") == "calligrawords/3.2.1"
    assert savedby.from_file(fodt, "fodt") == "LibreOffice/7.4 & friends"
    assert savedby.from_file(rtf, "rtf") == "Riched20 10.0.19041"
    assert savedby.from_file(tmp_path / "missing.rtf", "rtf") is None
    damaged = tmp_path / "damaged.odt"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    assert savedby.from_file(damaged, "odt") is None


def test_a_failed_file_has_no_saved_by(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 broken")
    got = parse_file(bad).as_dict()
    assert got["error"] is not None and got["saved_by"] is None


def test_csv_column_after_form_and_json_key(tmp_path: Path) -> None:
    doc = _with_app(tmp_path, "WPS Writer", "12.1")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["parse", str(doc), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_bytes().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header[:3] == ["file", "form", "saved_by"]
    assert next(csv.DictReader(io.StringIO(text)))["saved_by"] == "WPS Writer 12.1"
    result = CliRunner().invoke(main, ["parse", str(doc)])
    assert json.loads(result.stdout)["saved_by"] == "WPS Writer 12.1"


def test_score_input_check_accepts_text_or_null_only() -> None:
    base = {"file": "a.docx", "form": None, "record": None, "warnings": [], "error": None}
    assert parse_problem({**base, "saved_by": "LibreOffice"}, None) == ""
    assert parse_problem({**base, "saved_by": None}, None) == ""
    assert parse_problem(base, None) == ""  # results written before the key existed
    assert "saved_by" in parse_problem({**base, "saved_by": 7}, None)


def test_the_same_properties_bytes_are_parsed_once_and_read_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from formkit.docx import package

    calls: list[str] = []
    real = package.parse_xml

    def counting(data: bytes, part: str) -> etree._Element:
        calls.append(part)
        return real(data, part)

    monkeypatch.setattr(package, "parse_xml", counting)
    monkeypatch.setattr(package, "_shared", {})
    first = _with_app(tmp_path, "Calligra Words", "3.2")
    assert [parse_file(first).saved_by for _ in range(3)] == ["Calligra Words 3.2"] * 3
    assert calls.count("docProps/app.xml") == 1
    other = tmp_path / "other"
    other.mkdir()
    assert parse_file(_with_app(other, "WPS Writer")).saved_by == "WPS Writer"
    assert calls.count("docProps/app.xml") == 2
