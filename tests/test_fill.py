"""fill: the original filled from records, everything else left as printed,
and parse(fill(r)) == canonical(r)."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from formkit import forms
from formkit.learn.roundtrip import png
from formkit.cli import main
from formkit.fill.filler import Filler
from formkit.locate.stream import build
from formkit.docx.ns import qn
from formkit.read.parse import parse_file, read_model
from formkit.fill.records import read_record, validate as read_record_value
from tests.conftest import ROOT

RECORDS = sorted(p for p in (ROOT / "samples").glob("*/record-*") if p.suffix in (".json", ".yaml", ".yml"))
FORM_12, FORM_31 = forms.load("esao-1-2"), forms.load("esao-3-1")


def fill_bytes(filler: Filler, record: dict) -> tuple[bytes, dict]:
    buf = io.BytesIO()
    canon = filler.render(record, buf)
    return buf.getvalue(), canon


def static_texts(data: bytes) -> list[str]:
    return [p.text for p in build(read_model(data, "x").body).paras]


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_record_round_trips_through_the_cli(path: Path, tmp_path: Path) -> None:
    form = path.parent.name
    out = tmp_path / "filled.docx"
    result = CliRunner().invoke(main, ["fill", form, str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    record = read_record(path, forms.load(form))
    parsed = parse_file(out)
    assert parsed.error is None and parsed.form == form
    assert parsed.record == Filler(forms.load(form)).canonical(record)
    # what the record said comes back as said (photos as their digests)
    for key, value in record.items():
        if key != "works":
            assert parsed.record[key] == value, key
    for given, got in zip(record.get("works", []), parsed.record.get("works", [])):
        assert {k: v for k, v in got.items() if k != "photos"} == {k: v for k, v in given.items() if k != "photos"}
        assert len(got["photos"]) == len(given["photos"])


@pytest.mark.parametrize("form", [FORM_12, FORM_31], ids=lambda f: f.id)
def test_an_empty_record_changes_no_text(form: forms.FormDef) -> None:
    data, canon = fill_bytes(Filler(form), {})
    assert static_texts(data) == static_texts(form.original.read_bytes())
    assert parse_file(data, "x").record == canon


def test_answers_keep_everything_else_as_printed() -> None:
    record = {"level": 3, "process": "ก & ข\nค < ง", "problems": "\"อุปสรรค\"", "suggestions": "ข้อเสนอ",
              "evidence": {"km_plan": True}, "other_evidence": ["หนึ่ง", "สอง", "สาม"]}
    data, canon = fill_bytes(Filler(FORM_12), record)
    filled = static_texts(data)
    original = [t for t in static_texts(FORM_12.original.read_bytes()) if t.strip(" .")]
    answers = {"ก & ข", "ค < ง", "\"อุปสรรค\"", "ข้อเสนอ"}
    it = iter(filled)
    for text in original:  # every printed line is still there, in order (dots may carry an answer)
        head = text.split("....")[0].rstrip()
        assert any(t.startswith(head) for t in it), text
    assert answers <= set(filled)
    assert parse_file(data, "x").record == canon


def _document_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def test_ticks_use_the_box_family_and_runs_carry_complex_script_properties() -> None:
    data, _ = fill_bytes(Filler(FORM_12), {"level": 4, "evidence": {"action_plan": True, "other": True}, "process": "คำตอบ"})
    root = _document_xml(data)
    syms = [(s.get(qn("w:font")), s.get(qn("w:char"))) for s in root.iter(qn("w:sym"))]
    assert [c for f, c in syms if f == "Wingdings 2"] == ["F0A3", "F052", "F0A3", "F0A3", "F0A3"]
    assert [c for f, c in syms if f == "Wingdings" and c != "F06C"] == ["F0FE", "F072", "F072", "F0FE"]
    answer_runs = [t.getparent() for t in root.iter(qn("w:t")) if t.text == "คำตอบ"]
    assert answer_runs
    for run in answer_runs:
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None and fonts.get(qn("w:cs")) == "TH SarabunPSK"
        assert run.find(f"{qn('w:rPr')}/{qn('w:szCs')}") is not None
        assert run.find(f"{qn('w:rPr')}/{qn('w:b')}") is None


def test_multi_line_answers_become_paragraphs() -> None:
    data, _ = fill_bytes(Filler(FORM_12), {"process": "บรรทัดหนึ่ง\nบรรทัดสอง\n\nบรรทัดสาม"})
    texts = static_texts(data)
    at = texts.index("บรรทัดหนึ่ง")
    assert texts[at : at + 3] == ["บรรทัดหนึ่ง", "บรรทัดสอง", "บรรทัดสาม"]


def test_works_photos_in_a_grid_of_two_per_row_scaled_to_the_page(tmp_path: Path) -> None:
    photos = []
    for n in range(5):
        photos.append(tmp_path / f"p{n}.png")
        photos[-1].write_bytes(png(40 * n, 40, 30))
    work = {"title": "ระบบ", "group": "กลุ่มนิเทศ", "method": "ขั้นตอน", "photos": [str(p) for p in photos]}
    record = {"works": [work, {**work, "title": "ระบบสอง", "photos": []}], "office": "สพป.ทดสอบ", "fiscal_year": "2565 - 2566"}
    data, canon = fill_bytes(Filler(FORM_31), record)
    doc = read_model(data, "x")
    rows = [p for p in build(doc.body).paras if any(type(i).__name__ == "Image" for i in p.paragraph.inlines)]
    assert [(p.container[1:], len(p.images)) for p in rows] == [((0, 0), 1), ((0, 1), 1), ((1, 0), 1), ((1, 1), 1), ((2, 0), 1)]
    extents = [int(e.get("cx")) for e in _document_xml(data).iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")]
    assert len(extents) == 5 and len(set(extents)) == 1 and 2_000_000 < extents[0] < 3_100_000  # half of an A4 text width
    parsed = parse_file(data, "x").record
    assert parsed == canon
    assert [w["title"] for w in parsed["works"]] == ["ระบบ", "ระบบสอง"]
    assert parsed["office"] == "สพป.ทดสอบ" and parsed["fiscal_year"] == "2565 - 2566"
    texts = static_texts(data)
    assert [t for t in texts if t.startswith("ผลงานชิ้นที่")] == ["ผลงานชิ้นที่ 1", "ผลงานชิ้นที่ 2"]


def test_fill_reports_bad_data_naming_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"level": 9, "evidnce": {}}), "utf-8")
    result = CliRunner().invoke(main, ["fill", "esao-1-2", str(bad), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 1
    assert "level" in result.stderr and "evidnce" in result.stderr and "bad.json" in result.stderr
    assert not (tmp_path / "x.docx").exists()


def _with_paragraph(original: Path, text: str) -> bytes:
    """``original`` with a paragraph of ``text`` at the end of its body."""
    with zipfile.ZipFile(original) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    root = etree.fromstring(members["word/document.xml"])
    body = root.find(qn("w:body"))
    p = etree.SubElement(etree.Element(qn("w:p")), qn("w:r"))
    etree.SubElement(p, qn("w:t")).text = text
    body.find(qn("w:sectPr")).addprevious(p.getparent())
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("form, printed, year", [(FORM_12, "2565", "2566"), (FORM_31, "2563 - 2564", "2565 - 2566")])
def test_the_year_changes_in_the_labels_only(form: forms.FormDef, printed: str, year: str, tmp_path: Path) -> None:
    """An office's own note that happens to hold the printed year keeps it."""
    note = f"(คำสั่ง สพฐ. ที่ 12/{printed} และ พ.ศ. {printed})"
    copy = tmp_path / "copy.docx"
    copy.write_bytes(_with_paragraph(form.original, note))
    data, canon = fill_bytes(Filler(form, copy), {"fiscal_year": year})
    texts = static_texts(data)
    assert note in texts
    labels = [t for t in texts if year in t]
    assert labels and all(printed not in t for t in labels)
    assert parse_file(data, "x.docx").record["fiscal_year"] == canon["fiscal_year"] == year


DICT_NAMES_FORM = """id: dict-names
title: "Dict names"
original: original.docx
recognize:
  min_score: 0.5
  phrases: ["Report of things", "Choices"]
headings: ["Choices"]
fields:
  items: {kind: value, title: "Items", label: "Items"}
  keys:
    kind: boxes
    title: "Choices"
    after: "Choices"
    items:
      copy: "Copy"
      pop: "Pop"
  values:
    kind: repeat
    title: "Entries"
    start: "Entry"
    fields:
      get: {kind: value, title: "Get", label: "Get"}
"""


def test_field_names_that_are_dict_methods_fill_and_read_back(tmp_path: Path) -> None:
    """Fields and box keys named like a dict's methods (items, keys, values,
    get, copy, pop) are filled with their values, never with the method."""
    from tests.docxbuild import make_docx

    lines = ["Report of things", "Items ..........", "Choices", "\u2610 Copy", "\u2610 Pop",
             "Entry 1", "Get .........."]
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>' for line in lines)
    folder = tmp_path / "dict-names"
    folder.mkdir()
    (folder / "original.docx").write_bytes(make_docx(body))
    (folder / "form.yaml").write_text(DICT_NAMES_FORM, "utf-8")
    form = forms.load(str(folder))
    record = {"items": "ของ ๓ ชิ้น", "keys": {"copy": False, "pop": True}, "values": [{"get": "หนึ่ง"}, {"get": "สอง"}]}
    buf = io.BytesIO()
    canon = Filler(form).render(read_record_value(form, record), buf)
    text = "".join(etree.fromstring(zipfile.ZipFile(buf).read("word/document.xml")).itertext())
    assert "built-in method" not in text and "ของ ๓ ชิ้น" in text
    parsed = parse_file(buf.getvalue(), "x.docx", form="dict-names", forms_root=tmp_path).record
    assert parsed == canon
    assert parsed["items"] == "ของ ๓ ชิ้น" and parsed["keys"] == {"copy": False, "pop": True}
    assert [w["get"] for w in parsed["values"]] == ["หนึ่ง", "สอง"]


_HEADER_RUN = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
_FIELD_RUNS = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
               '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + _HEADER_RUN.format("3")
               + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
HEADER_PARAGRAPHS = {
    "simple field": _HEADER_RUN.format("สพป. เก่า ") + '<w:fldSimple w:instr=" PAGE ">'
                    + _HEADER_RUN.format("1") + "</w:fldSimple>",
    "hyperlink": '<w:hyperlink w:anchor="x">' + _HEADER_RUN.format("สพป. ลิงก์") + "</w:hyperlink>"
                 + _HEADER_RUN.format(" ท้าย"),
    "content control": "<w:sdt><w:sdtPr/><w:sdtContent>" + _HEADER_RUN.format("สพป. ในกล่อง")
                       + "</w:sdtContent></w:sdt>" + _HEADER_RUN.format(" หน้า"),
    "complex field": _HEADER_RUN.format("สพป. ก่อน ") + _FIELD_RUNS + _HEADER_RUN.format(" หลัง"),
    "text inside a complex field's result": _FIELD_RUNS.replace(">3<", ">สพป. ผล<"),
}


@pytest.mark.parametrize("paragraph", list(HEADER_PARAGRAPHS.values()), ids=list(HEADER_PARAGRAPHS))
@pytest.mark.parametrize("office", ["สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต 1", None])
def test_a_header_holding_fields_links_or_controls_fills_to_well_formed_xml(
        paragraph: str, office: str | None, tmp_path: Path) -> None:
    """The office goes where the header's printed text was; a tag never
    lands inside a hyperlink, a field or a content control with its partner
    outside (the part would not be XML), and no field end loses its begin."""
    src = ROOT / "forms" / "esao-1-2" / "original.docx"
    copy = tmp_path / "copy.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(copy, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/header1.xml":
                data = (b'<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                        + f"<w:p>{paragraph}</w:p>".encode() + b"</w:hdr>")
            zout.writestr(info, data)
    record = {"level": 3} | ({"office": office} if office else {})
    buf = io.BytesIO()
    Filler(forms.load("esao-1-2"), copy).render(read_record_value(forms.load("esao-1-2"), record), buf)
    header = etree.fromstring(zipfile.ZipFile(buf).read("word/header1.xml"))  # well-formed, or this raises
    kinds = [f.get(qn("w:fldCharType")) for f in header.iter(qn("w:fldChar"))]
    assert kinds.count("begin") == kinds.count("end")
    parsed = parse_file(buf.getvalue(), "x.docx")
    assert parsed.error is None and parsed.record["level"] == 3
    if office:
        assert parsed.record["office"] == office
    else:
        assert "สพป." in "".join(header.itertext())
