"""formkit.office.unlink: the copy LibreOffice converts keeps nothing that points
outside the file, and everything else as it was."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from formkit.learn.roundtrip import png
from formkit.errors import FormkitError
from formkit.docx.ns import NS
from formkit.read.parse import parse_file
from formkit.office.unlink import copy_unlinked, strip_rtf_fields
from tests.conftest import expected_samples
from tests.docxbuild import RelSpec, make_docx, p, r
from tests.linkbuild import ODF_NS, field, linked_documents, make_odt, odt_picture, picture

URL = "http://127.0.0.1:9"
W = f"{{{NS['w']}}}"


def unlinked(data: bytes, tmp_path: Path) -> zipfile.ZipFile:
    dest = tmp_path / "out"
    copy_unlinked(io.BytesIO(data), dest, "in.docx")
    return zipfile.ZipFile(dest)


def xml(zf: zipfile.ZipFile, member: str) -> etree._Element:
    return etree.fromstring(zf.read(member))


def rels(zf: zipfile.ZipFile, member: str = "word/_rels/document.xml.rels") -> dict[str, str]:
    return {el.get("Id"): el.get("Target") for el in xml(zf, member)}


@pytest.mark.parametrize("name", [n for n in linked_documents(URL) if not n.endswith(".rtf")])
def test_no_link_to_the_listener_is_left(name: str, tmp_path: Path) -> None:
    """Every kind of link in the test catalogue is gone from every member."""
    data = linked_documents(URL)[name]
    original = zipfile.ZipFile(io.BytesIO(data))
    assert any(URL.encode() in original.read(member) for member in original.namelist())
    zf = unlinked(data, tmp_path)
    for member in zf.namelist():
        assert URL.encode() not in zf.read(member), member


def test_external_image_goes_hyperlink_and_package_parts_stay(tmp_path: Path) -> None:
    body = p(picture('r:link="rIdOut"'), picture('r:embed="rId_photo"'),
             f'<w:hyperlink r:id="rIdClick">{r("click")}</w:hyperlink>', picture('r:link="rIdSneaky"'),
             picture('r:embed="rIdMissing"'))
    data = make_docx(body, media={"photo.png": png(7)}, extra_rels=[
        RelSpec("rIdOut", "image", f"{URL}/a.png", external=True),
        RelSpec("rIdClick", "hyperlink", "https://example.org/", external=True),
        RelSpec("rIdSneaky", "hyperlink", "file:///etc/passwd", external=True),  # a hyperlink loaded as a picture
        RelSpec("rIdMissing", "image", "../../etc/passwd")])
    zf = unlinked(data, tmp_path)
    kept = rels(zf)
    assert kept["rIdClick"] == "https://example.org/" and kept["rId_photo"] == "media/photo.png"
    assert not {"rIdOut", "rIdSneaky", "rIdMissing"} & set(kept)
    blips = [b.attrib for b in xml(zf, "word/document.xml").iter(f"{{{NS['a']}}}blip")]
    assert [dict(b) for b in blips] == [{}, {f"{{{NS['r']}}}embed": "rId_photo"}, {}, {}]
    assert zf.read("word/media/photo.png") == png(7)


def test_package_relationships_and_other_parts(tmp_path: Path) -> None:
    """The package's own relationships (_rels/.rels) and any part's (a
    header's) are checked too; untouched members are copied byte for byte."""
    data = make_docx(p("x"), headers={"header1.xml": p(picture('r:link="rIdH"'))}, parts={
        "_rels/.rels": ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        'relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rT" '
                        'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" '
                        f'Target="{URL}/thumb.png" TargetMode="External"/></Relationships>'),
        "word/_rels/header1.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
            f'Target="{URL}/h.png" TargetMode="external"/></Relationships>')})
    zf = unlinked(data, tmp_path)
    assert rels(zf, "_rels/.rels") == {"rId1": "word/document.xml"}
    assert rels(zf, "word/_rels/header1.xml.rels") == {}
    original = zipfile.ZipFile(io.BytesIO(data))
    assert zf.namelist() == original.namelist()
    assert zf.read("word/document.xml") == original.read("word/document.xml")  # nothing to change there


def test_loading_fields_lose_their_instruction_others_keep_it(tmp_path: Path) -> None:
    body = "".join([
        field(" INCL", "UDEPIC", f'TURE "{URL}/x.png" \\d '),          # split over runs
        field(f' includetext "{URL}/t.docx" '),                         # names are case-insensitive
        field(" FORMCHECKBOX "), field(" PAGE "), field(' HYPERLINK "https://example.org/" '),
        p(f'<w:fldSimple w:instr=\' LINK Word.Document.12 "{URL}/l.docx" "" \\a \'>{r("simple")}</w:fldSimple>'),
        p('<w:fldSimple w:instr=" NUMPAGES ">' + r("4") + "</w:fldSimple>"),
    ])
    root = xml(unlinked(make_docx(body), tmp_path), "word/document.xml")
    instructions = ["".join(el.text or "" for el in par.iter(f"{W}instrText")) for par in root.iter(f"{W}p")]
    assert instructions[:5] == ["", "", " FORMCHECKBOX ", " PAGE ", ' HYPERLINK "https://example.org/" ']
    assert [el.get(f"{W}instr") for el in root.iter(f"{W}fldSimple")] == ["", " NUMPAGES "]
    texts = "".join(t.text or "" for t in root.iter(f"{W}t"))
    assert texts.count("cached result") == 5 and "simple" in texts  # results stay


def test_a_field_named_by_a_nested_field_is_emptied(tmp_path: Path) -> None:
    """{ { QUOTE "INCLUDEPICTURE" } "url" }: Word computes the outer name."""
    body = p(r(content='<w:fldChar w:fldCharType="begin"/>'), r(content='<w:fldChar w:fldCharType="begin"/>'),
             r(content='<w:instrText> QUOTE "INCLUDEPICTURE" </w:instrText>'),
             r(content='<w:fldChar w:fldCharType="end"/>'),
             r(content=f'<w:instrText> "{URL}/n.png" </w:instrText>'),
             r(content='<w:fldChar w:fldCharType="separate"/>'), r("shown"), r(content='<w:fldChar w:fldCharType="end"/>'))
    root = xml(unlinked(make_docx(body), tmp_path), "word/document.xml")
    assert [el.text for el in root.iter(f"{W}instrText")] == [None, None]
    assert "shown" in "".join(t.text or "" for t in root.iter(f"{W}t"))


def test_vml_sources_and_mail_merge_go(tmp_path: Path) -> None:
    settings = (f'<w:settings xmlns:w="{NS["w"]}"><w:mailMerge><w:mainDocumentType w:val="formLetters"/>'
                f'<w:connectString w:val="Provider=x;Data Source={URL}/db"/></w:mailMerge><w:zoom w:percent="100"/>'
                "</w:settings>")
    data = make_docx(p(r(content=f'<w:pict><v:shape style="width:5pt"><v:fill src="{URL}/f.png"/>'
                                 f'<v:imagedata src="{URL}/s.png" o:href="{URL}/h.png" o:title="t"/></v:shape></w:pict>')),
                     parts={"word/settings.xml": settings})
    zf = unlinked(data, tmp_path)
    shape = xml(zf, "word/document.xml").find(f".//{{{NS['v']}}}shape")
    assert shape is not None and [dict(el.attrib) for el in shape] == [{}, {f"{{{NS['o']}}}title": "t"}]
    assert [el.tag for el in xml(zf, "word/settings.xml")] == [f"{W}zoom"]


def test_thai_text_survives_the_rewrite(tmp_path: Path) -> None:
    body = p("ผลงานชิ้นที่ 1 กลุ่มนโยบายและแผน") + field(f' INCLUDEPICTURE "{URL}/x.png" ')
    root = xml(unlinked(make_docx(body), tmp_path), "word/document.xml")
    assert "ผลงานชิ้นที่ 1 กลุ่มนโยบายและแผน" in "".join(t.text or "" for t in root.iter(f"{W}t"))


@pytest.mark.parametrize("expected", expected_samples(), ids=lambda e: f"{e.parent.name}/{e.stem}")
def test_returned_samples_read_the_same_after_unlinking(expected: Path, tmp_path: Path) -> None:
    """No collateral damage: every sample, unlinked, parses to its record."""
    with open(expected.with_suffix(".docx"), "rb") as fh:
        copy_unlinked(fh, tmp_path / "copy.docx", str(expected))
    want = json.loads(expected.read_text("utf-8"))
    got = parse_file(tmp_path / "copy.docx")
    assert got.error is None and (got.form, got.record) == (want["form"], want["record"])


def _odt_members(zf: zipfile.ZipFile) -> list[tuple[str, int]]:
    return [(i.filename, i.compress_type) for i in zf.infolist()]


def test_odt_links_out_go_links_in_stay(tmp_path: Path) -> None:
    body = (odt_picture(f"{URL}/a.png") + odt_picture("file:///tmp/secret.png") + odt_picture("Pictures/in.png")
            + odt_picture("../outside.png")
            + '<text:p><text:a xlink:href="https://example.org/">click</text:a></text:p>'
            + f'<text:section text:name="S"><text:section-source xlink:href="{URL}/s.odt"/></text:section>'
            + '<text:dde-connection-decls><text:dde-connection-decl office:name="d" office:dde-application="soffice" '
              f'office:dde-topic="{URL}/d.odt" office:dde-item="x"/></text:dde-connection-decls>')
    settings = ('<config:config-item-set config:name="ooo:configuration-settings"><config:config-item '
                'config:name="LinkUpdateMode" config:type="short">2</config:config-item></config:config-item-set>')
    data = make_odt(body, members={"Pictures/in.png": png(3)}, settings=settings)
    zf = unlinked(data, tmp_path)
    root = xml(zf, "content.xml")
    hrefs = [el.get(f"{{{ODF_NS['xlink']}}}href") for el in root.iter()
             if el.get(f"{{{ODF_NS['xlink']}}}href") is not None]
    assert hrefs == ["Pictures/in.png", "https://example.org/"]
    assert not list(root.iter(f"{{{ODF_NS['text']}}}dde-connection-decls"))
    assert b"LinkUpdateMode" not in zf.read("settings.xml")
    assert _odt_members(zf)[0] == ("mimetype", zipfile.ZIP_STORED)  # ODF 1.2 Part 3 §3.3
    assert zf.read("Pictures/in.png") == png(3)


def test_rtf_loading_fields_are_emptied() -> None:
    link = f'"{URL}/x.png"'
    empty = "{\\*\\fldinst }"
    instructions = [
        ("{\\*\\fldinst {\\rtlch INCLUDEPICTURE " + link + " \\\\d }}", True),
        ("{\\*\\fldinst { FORMCHECKBOX }{\\*\\datafield 6500}}", False),
        ("{\\*\\fldinst {INCLUDE\\'50ICTURE " + link + "}}", True),       # a hex escape inside the name
        ("{\\*\\fldinst LI{\\b0 NK} Word.Document.12 " + link + "}", True),  # a group inside the name
        ("{\\*\\fldinst INCLUDETEXT " + link + " {\\*\\datafield\\bin2 }}}}", True),  # braces as binary data
        ("{\\*\\fldinst PAGE {\\*\\datafield\\bin2 }{}}", False),
    ]
    fields = ["{\\field" + inst + "{\\fldrslt {shown}}}" for inst, _ in instructions]
    want = ["{\\field" + (empty if loads else inst) + "{\\fldrslt {shown}}}" for inst, loads in instructions]
    rtf = "{\\rtf1 " + " and ".join(fields) + "}"
    assert strip_rtf_fields(rtf.encode("latin-1")).decode("latin-1") == "{\\rtf1 " + " and ".join(want) + "}"
    assert strip_rtf_fields(b"{\\rtf1 plain}") == b"{\\rtf1 plain}"
    nested = "{\\field{\\*\\fldinst IF {\\field{\\*\\fldinst INCLUDETEXT " + link + "}{\\fldrslt 1}} = 1 }}"
    assert strip_rtf_fields(nested.encode()) == nested.replace("{\\*\\fldinst INCLUDETEXT " + link + "}", empty).encode()
    unclosed = "{\\rtf1 x{\\field{\\*\\fldinst INCLUDETEXT " + link + " and the rest"
    assert strip_rtf_fields(unclosed.encode()) == b"{\\rtf1 x{\\field" + empty.encode()


@pytest.mark.parametrize("members, code", [
    ({"a.txt": b"hello"}, "conversion-failed"),                                     # neither OOXML nor ODF
    ({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"}, "bad-xml"),
    ({"[Content_Types].xml": b'<!DOCTYPE x [<!ENTITY e "e">]><Types/>'}, "unsafe-xml"),
])
def test_packages_that_cannot_be_checked_are_refused(members: dict[str, bytes], code: str, tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(FormkitError) as caught:
        copy_unlinked(io.BytesIO(out.getvalue()), tmp_path / "x", "sent.docx")
    assert caught.value.code == code and caught.value.file == "sent.docx"
    assert not (tmp_path / "x").exists()
