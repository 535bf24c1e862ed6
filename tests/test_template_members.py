"""What a filled document carries from its original (formkit.fill.members)."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from formkit import forms
from formkit.fill.filler import Filler
from formkit.read.parse import parse_file
from formkit.fill.members import MAIN_CONTENT_TYPE, safe_name
from formkit.docx.ns import qn
from tests.conftest import ROOT

ORIGINAL = ROOT / "forms" / "esao-1-2" / "original.docx"
_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
_VBA_DATA = "http://schemas.microsoft.com/office/2006/relationships/wordVbaData"
_DOCM = "application/vnd.ms-word.document.macroEnabled.main+xml"


@pytest.mark.parametrize("name, ok", [
    ("word/document.xml", True), ("[Content_Types].xml", True), ("word/media/image%201.png", True),
    ("../../x", False), ("/abs/x", False), ("word/../x", False), ("word//x", False), ("word/./x", False),
    ("word\\x", False), ("C:/x", False), ("word/x\x01", False), ("word/x.", False), ("", False),
])
def test_safe_part_names(name: str, ok: bool) -> None:
    assert safe_name(name) is ok


def _macro_original() -> bytes:
    """The real original turned into a macro-enabled document with members a
    zip may hold but a .docx must not carry."""
    with zipfile.ZipFile(ORIGINAL) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    rels = members["word/_rels/document.xml.rels"].decode()
    rels = rels.replace("</Relationships>", f'<Relationship Id="rIdVba" Type="{_VBA}" Target="vbaProject.bin"/>'
                        '<Relationship Id="rIdGone" Type="http://schemas.openxmlformats.org/officeDocument/'
                        '2006/relationships/image" Target="media/missing.png"/></Relationships>')
    members["word/_rels/document.xml.rels"] = rels.encode()
    members["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 pretend macros"
    members["word/_rels/vbaProject.bin.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="r1" Type="{_VBA_DATA}" Target="vbaData.xml"/>'
        "</Relationships>").encode()
    members["word/vbaData.xml"] = b"<wne:vbaSuppData xmlns:wne='http://schemas.microsoft.com/office/word/2006/wordml'/>"
    types = members["[Content_Types].xml"].decode()
    types = types.replace("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", _DOCM)
    types = types.replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                          '<Override PartName="/word/vbaData.xml" ContentType="application/vnd.ms-word.vbaData+xml"/>'
                          "</Types>")
    members["[Content_Types].xml"] = types.encode()
    members["../../escape.txt"] = b"outside"
    members["/abs/escape.txt"] = b"absolute"
    members["junk/unreferenced.bin"] = b"nobody points here"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data)
    return buf.getvalue()


def test_a_filled_document_carries_only_what_a_docx_needs(tmp_path: Path) -> None:
    (tmp_path / "macro.docm").write_bytes(_macro_original())
    out = tmp_path / "out.docx"
    Filler(forms.load("esao-1-2"), tmp_path / "macro.docm").fill({"process": "ทดสอบ"}, out)
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        types = etree.fromstring(zf.read("[Content_Types].xml"))
        rels = zf.read("word/_rels/document.xml.rels").decode()
    with zipfile.ZipFile(ORIGINAL) as zf:
        assert names == set(zf.namelist())  # exactly the original's parts
    overrides = {el.get("PartName"): el.get("ContentType") for el in types if el.get("PartName")}
    assert overrides["/word/document.xml"] == MAIN_CONTENT_TYPE
    assert "vbaData" not in json.dumps(overrides) and _DOCM not in json.dumps(overrides)
    assert "rIdVba" not in rels and "missing.png" not in rels and "rId4" in rels
    result = parse_file(str(out))
    assert result.error is None and result.record is not None
    assert result.record["process"] == "ทดสอบ"


def _photo_record(tmp_path: Path, n: int) -> dict[str, Any]:
    photos = sorted((ROOT / "samples" / "esao-3-1" / "photos").glob("*.png"))[:n]
    return {"works": [{"title": "ผลงาน", "group": "กลุ่ม", "photos": [str(p) for p in photos]}]}


def _pictures_to_the_top(path: Path) -> None:
    """Move the paragraphs holding pictures to the start of the body (out of
    any answer: they stay when the copy's answers are cleared)."""
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    root = etree.fromstring(members["word/document.xml"])
    body = root.find(qn("w:body"))
    for p in [p for p in body.iter(qn("w:p")) if p.find(f".//{qn('w:drawing')}") is not None][::-1]:
        body.insert(0, p)
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_an_office_copy_filled_before_keeps_its_photos_and_gets_new_ones(tmp_path: Path) -> None:
    """Last year's filled form used as this year's original (its answers
    cleared, its pictures kept outside them) already holds formkit-photo-N
    parts and rIdFormkitPhotoN relationships."""
    form = forms.load("esao-3-1")
    last_year = tmp_path / "last-year.docx"
    Filler(form).fill(_photo_record(tmp_path, 2), last_year)
    _pictures_to_the_top(last_year)
    out = tmp_path / "this-year.docx"
    Filler(form, last_year, clear=True).fill(_photo_record(tmp_path, 4), out)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        rels = etree.fromstring(zf.read("word/_rels/document.xml.rels"))
    assert len(names) == len(set(n.lower() for n in names))
    ids = [el.get("Id") for el in rels]
    assert len(ids) == len(set(ids))
    assert len([n for n in names if n.startswith("word/media/")]) == 6
    assert zipfile.ZipFile(out).testzip() is None
    result = parse_file(str(out))
    assert result.error is None and result.record is not None
    parsed = {p["sha256"] for w in result.record["works"] for p in w["photos"]}
    new = {hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in _photo_record(tmp_path, 4)["works"][0]["photos"]}
    assert new <= parsed
