"""The sample tools: each editing function writes what it says, and the samples are well formed.

These tests use the originals in forms/ and the samples in samples/; they never touch the
parser (formkit.read.parse), because the samples exist to check it independently.
"""
from __future__ import annotations

import hashlib
import io
import json
import struct
import sys
import unicodedata
import zipfile
import zlib
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree
from lxml.etree import _Element

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "samples" / "tools"))

import editing as ed
import make_samples as ms

FORMS = ("esao-1-2", "esao-3-1")
W14_CHECKED = ed.q("w14:checked")


def original(form: str) -> tuple[ed.Package, _Element]:
    pkg = ed.Package.open(str(REPO / "forms" / form / "original.docx"))
    return pkg, ed.load_document(pkg)


def syms(root: _Element) -> list[str]:
    """The level boxes' glyph chars, levels 5..1 (w:sym char, or the text if replaced)."""
    out = []
    for level in range(5, 0, -1):
        cell = _level_cell(root, level)
        sym = cell.find(".//" + ed.q("w:sym"))
        out.append(sym.get(ed.q("w:char")) if sym is not None else "")
    return out


def _level_cell(root: _Element, level: int) -> _Element:
    for tr in ed.quality_table(root).findall(ed.q("w:tr"))[1:]:
        tc = tr.find(ed.q("w:tc"))
        if any(ed.collapse(ed.paragraph_text(p)) == str(level) for p in tc.iter(ed.q("w:p"))):
            return tc
    raise LookupError(level)


def texts(node: _Element, tag: str = "w:t") -> str:
    return "".join(t.text or "" for t in node.iter(ed.q(tag)))


# --------------------------------------------------------------------------- ticks


@pytest.mark.parametrize("form", FORMS)
def test_tick_wingdings2_changes_only_the_chosen_box(form: str) -> None:
    _, root = original(form)
    ed.tick_wingdings2(ed.level_box(root, 4))
    assert syms(root) == ["F0A3", "F052", "F0A3", "F0A3", "F0A3"]
    sym = ed.level_box(root, 4).find(ed.q("w:sym"))
    assert sym.get(ed.q("w:font")) == "Wingdings 2"


def test_tick_wingdings_writes_f0fe() -> None:
    _, root = original("esao-1-2")
    box = ed.evidence_box(root, ed.ESAO_1_2_BOXES["km_plan"])
    ed.tick_wingdings(box)
    sym = box.find(ed.q("w:sym"))
    assert (sym.get(ed.q("w:font")), sym.get(ed.q("w:char"))) == ("Wingdings", "F0FE")
    assert ed.evidence_box(root, ed.ESAO_1_2_BOXES["action_plan"]).find(ed.q("w:sym")).get(ed.q("w:char")) == "F072"


@pytest.mark.parametrize(("name", "char", "font"), [
    ("unicode-☑", "☑", "Segoe UI Symbol"), ("unicode-☒", "☒", "MS Gothic"), ("unicode-✓", "✓", "Segoe UI Symbol"),
    ("wps-private-use", "\uf052", "Wingdings 2"), ("wps-letter-R", "R", "Wingdings 2"),
])
def test_text_ticks_replace_the_glyph_with_text_in_a_font(name: str, char: str, font: str) -> None:
    _, root = original("esao-1-2")
    box = ed.level_box(root, 3)
    ed.TICKS[name](box, checked=True)
    assert box.find(ed.q("w:sym")) is None
    assert texts(box) == char
    fonts = box.find(f"{ed.q('w:rPr')}/{ed.q('w:rFonts')}")
    assert {fonts.get(ed.q(k)) for k in ("w:ascii", "w:hAnsi", "w:cs")} == {font}
    assert syms(root) == ["F0A3", "F0A3", "", "F0A3", "F0A3"]


def test_content_control_checkbox_checked_and_unchecked() -> None:
    _, root = original("esao-1-2")
    cells = {n: _level_cell(root, n) for n in (4, 3)}
    ed.tick_content_control(ed.level_box(root, 4), checked=True)
    ed.tick_content_control(ed.level_box(root, 3), checked=False)
    found = {}
    for level, cell in cells.items():
        sdt = cell.find(".//" + ed.q("w:sdt"))
        checked = sdt.find(".//" + W14_CHECKED).get(f"{{{ed.NS['w14']}}}val")
        states = {etree.QName(s).localname: s.get(f"{{{ed.NS['w14']}}}val")
                  for s in sdt.iter(f"{{{ed.NS['w14']}}}checkedState", f"{{{ed.NS['w14']}}}uncheckedState")}
        found[level] = (checked, texts(sdt.find(ed.q("w:sdtContent"))), states)
    assert found[4] == ("1", "☒", {"checkedState": "2612", "uncheckedState": "2610"})
    assert found[3] == ("0", "☐", {"checkedState": "2612", "uncheckedState": "2610"})
    assert "w14" in root.get(ed.q("mc:Ignorable")).split()
    assert root.nsmap["w14"] == ed.NS["w14"]
    ids = root.xpath("//w:sdtPr/w:id/@w:val", namespaces=ed.NS)
    assert len(ids) == len(set(ids)) == 2


def test_form_field_checkbox() -> None:
    _, root = original("esao-1-2")
    cell4, cell3 = _level_cell(root, 4), _level_cell(root, 3)
    ed.tick_form_field(ed.level_box(root, 4), checked=True)
    ed.tick_form_field(ed.level_box(root, 3), checked=False)
    for cell, checked in ((cell4, True), (cell3, False)):
        chars = [f.get(ed.q("w:fldCharType")) for f in cell.iter(ed.q("w:fldChar"))]
        assert chars == ["begin", "end"]
        assert texts(cell, "w:instrText") == " FORMCHECKBOX "
        box = cell.find(".//" + ed.q("w:checkBox"))
        assert box.find(ed.q("w:default")).get(ed.q("w:val")) == "0"
        assert (box.find(ed.q("w:checked")) is not None) is checked
        assert cell.find(".//" + ed.q("w:calcOnExit")).get(ed.q("w:val")) == "0"
    names = [n.get(ed.q("w:val")) for n in root.iter(ed.q("w:name"))]
    assert names == ["Check1", "Check2"]


@pytest.mark.parametrize(("name", "mark", "after"), [("mark-✓-after", "✓", True), ("mark-/-before", "/", False),
                                                      ("mark-X-after", "X", True)])
def test_typed_marks_leave_the_box_and_add_a_run(name: str, mark: str, after: bool) -> None:
    _, root = original("esao-1-2")
    box = ed.evidence_box(root, ed.ESAO_1_2_BOXES["other"])
    ed.TICKS[name](box, checked=True)
    neighbour = box.getnext() if after else box.getprevious()
    assert neighbour.tag == ed.q("w:r") and texts(neighbour) == mark
    assert box.find(ed.q("w:sym")).get(ed.q("w:char")) == "F072"


@pytest.mark.parametrize("name", sorted(set(ed.TICKS) - {"content-control", "form-field"}))
def test_unchecked_glyph_styles_leave_the_box_as_printed(name: str) -> None:
    _, root = original("esao-3-1")
    before = etree.tostring(root)
    ed.TICKS[name](ed.level_box(root, 2), checked=False)
    ed.TICKS[name](ed.evidence_box(root, ed.ESAO_3_1_BOXES["works_detail"]), checked=False)
    assert etree.tostring(root) == before


def test_esao_3_1_evidence_box_is_the_one_with_a_glyph() -> None:
    _, root = original("esao-3-1")
    box = ed.evidence_box(root, ed.ESAO_3_1_BOXES["works_detail"])
    assert box.find(ed.q("w:sym")).get(ed.q("w:char")) == "F072"
    assert ed.cell_of(box.getparent()) is not ed.cell_of(ed.find_paragraph(root, "รายละเอียดของผลงานหรือชิ้นงาน"))


# --------------------------------------------------------------------------- placements


def field_anchor(form: str, key: str) -> tuple[ed.Package, _Element, _Element, _Element | None]:
    pkg, root = original(form)
    fields = ed.ESAO_1_2_TEXT if form == "esao-1-2" else ed.ESAO_3_1_WORK
    prompt, dots = ed.resolve_field(root, next(f for f in fields if f.key == key))
    return pkg, root, prompt, dots


def dotted_anchor(form: str, key: str) -> tuple[ed.Package, _Element, _Element, _Element]:
    """Like field_anchor, for a field the form prints a dotted line for."""
    pkg, root, prompt, dots = field_anchor(form, key)
    assert dots is not None
    return pkg, root, prompt, dots


def test_over_dots_keeps_the_label_and_replaces_the_dots() -> None:
    _, _, prompt, dots = dotted_anchor("esao-3-1", "group")
    assert dots is prompt
    made = ed.type_over_dots(dots, ["นโยบายและแผน"], ed.Typist())
    assert made == [prompt]
    assert [texts(r) for r in prompt.findall(ed.q("w:r"))] == ["กลุ่ม", "นโยบายและแผน"]
    assert not ed.LEADER.search(ed.paragraph_text(prompt))


def test_over_dots_multi_line_adds_paragraphs_with_the_same_properties() -> None:
    _, _, prompt, dots = field_anchor("esao-1-2", "process")
    made = ed.type_over_dots(dots, ["ก", "ข", "ค"], ed.Typist())
    assert [ed.paragraph_text(p) for p in made] == ["ก", "ข", "ค"]
    assert [p.getprevious() for p in made] == [prompt, made[0], made[1]]
    ppr = [etree.tostring(p.find(ed.q("w:pPr"))) for p in made]
    assert len(set(ppr)) == 1
    assert etree.tostring(made[2].find(f"{ed.q('w:r')}/{ed.q('w:rPr')}")) == \
        etree.tostring(made[0].find(f"{ed.q('w:r')}/{ed.q('w:rPr')}"))


def test_before_dots_leaves_the_dots_in_their_own_run() -> None:
    _, _, _prompt, dots = dotted_anchor("esao-1-2", "problems")
    ed.type_before_dots(dots, ["ขาดงบประมาณ"], ed.Typist())
    runs = [texts(r) for r in dots.findall(ed.q("w:r"))]
    assert runs[0] == "ขาดงบประมาณ" and ed.LEADER.fullmatch(runs[1]) and len(runs) == 2


def test_before_dots_with_enter_splits_the_line() -> None:
    _, _, _prompt, dots = field_anchor("esao-3-1", "title")
    made = ed.type_before_dots(dots, ["หนึ่ง", "สอง"], ed.Typist())
    assert [ed.paragraph_text(p).rstrip(".") for p in made] == ["ชื่อผลงานหนึ่ง", "สอง"]
    assert made[-1] is dots and ed.LEADER.search(ed.paragraph_text(dots))


@pytest.mark.parametrize("keep", [True, False])
def test_below_prompt_keeps_or_deletes_the_dotted_line(keep: bool) -> None:
    _, _root, prompt, dots = dotted_anchor("esao-1-2", "suggestions")
    made = ed.type_below_prompt(prompt, ["บรรทัดหนึ่ง", "บรรทัดสอง"], ed.Typist(), dots, keep_dots=keep)
    assert [p.getprevious() for p in made] == [prompt, made[0]]
    assert (dots.getparent() is not None) is keep
    if keep:
        assert made[-1].getnext() is dots


def test_below_prompt_without_dots_unbolds() -> None:
    _, _, prompt, dots = field_anchor("esao-3-1", "background")
    assert dots is None
    made = ed.type_below_prompt(prompt, ["ที่มา"], ed.Typist())
    assert made[0].find(".//" + ed.q("w:b")) is None
    assert prompt.find(".//" + ed.q("w:b")) is not None


def test_on_prompt_line_appends_after_the_label() -> None:
    _, _, prompt, _ = field_anchor("esao-1-2", "suggestions")
    ed.type_on_prompt_line(prompt, ["ควรทำ", "ต่อ"], ed.Typist())
    assert ed.paragraph_text(prompt) == "3.  ข้อเสนอแนะเพื่อการพัฒนา ควรทำ\nต่อ"
    _, _, prompt2, _ = field_anchor("esao-1-2", "problems")
    ed.type_on_prompt_line(prompt2, ["ขาดงบประมาณ"], ed.Typist())
    assert ed.collapse(ed.paragraph_text(prompt2)) == "2. ปัญหา อุปสรรค ขาดงบประมาณ"


# --------------------------------------------------------------------------- typists


def test_split_runs_cut_text_with_rsids_and_proof_errors() -> None:
    text = "การพัฒนาสู่องค์การแห่งการเรียนรู้"
    nodes = ed.SplitRunsTypist().runs([text], None)
    runs = [n for n in nodes if n.tag == ed.q("w:r")]
    assert "".join(texts(r) for r in runs) == text
    assert len(runs) > 4 and all(r.get(ed.q("w:rsidR")) for r in runs)
    assert any(n.tag == ed.q("w:proofErr") for n in nodes)


def test_content_control_typist_wraps_runs_in_sdt() -> None:
    (sdt,) = ed.ContentControlTypist(alias="ปัญหา อุปสรรค", tag="problems").runs(["ก", "ข"], None)
    props = sdt.find(ed.q("w:sdtPr"))
    assert props.find(ed.q("w:alias")).get(ed.q("w:val")) == "ปัญหา อุปสรรค"
    assert props.find(ed.q("w:text")).get(ed.q("w:multiLine")) == "1"
    content = sdt.find(ed.q("w:sdtContent"))
    assert texts(content) == "กข" and content.find(".//" + ed.q("w:br")) is not None


def test_tracked_typing_inserts_answer_and_deletes_dots_and_wrong_answer() -> None:
    _, root, _prompt, dots = dotted_anchor("esao-1-2", "problems")
    typist = ed.TrackedTypist(ed.Revisions(), retract="คำตอบผิด")
    ed.type_over_dots(dots, ["คำตอบจริง", "บรรทัดสอง"], typist)
    inserted = "".join(texts(i) for i in root.iter(ed.q("w:ins")))
    deleted = "".join(texts(d, "w:delText") for d in root.iter(ed.q("w:del")))
    assert inserted == "คำตอบจริงบรรทัดสอง"
    assert "คำตอบผิด" in deleted and ed.LEADER.search(deleted)
    assert "คำตอบผิด" not in texts(root)
    for node in [*root.iter(ed.q("w:ins")), *root.iter(ed.q("w:del"))]:
        assert node.get(ed.q("w:author")) and node.get(ed.q("w:date")) and node.get(ed.q("w:id"))
    new_p = dots.getnext()
    assert new_p.find(f"{ed.q('w:pPr')}/{ed.q('w:rPr')}/{ed.q('w:ins')}") is not None
    ids = [n.get(ed.q("w:id")) for n in root.iter(ed.q("w:ins"), ed.q("w:del"))]
    assert len(ids) == len(set(ids))
    assert ed.has_revisions(root)


def test_tracked_paragraph_deletion_keeps_it_as_deleted_text() -> None:
    _, _root, prompt, dots = dotted_anchor("esao-1-2", "process")
    ed.type_below_prompt(prompt, ["ก"], ed.TrackedTypist(ed.Revisions()), dots, keep_dots=False)
    assert dots.getparent() is not None and texts(dots) == ""
    assert ed.LEADER.search(texts(dots, "w:delText"))
    assert dots.find(f"{ed.q('w:pPr')}/{ed.q('w:rPr')}/{ed.q('w:del')}") is not None


# --------------------------------------------------------------------------- package-level edits


def test_comment_part_relationship_and_anchors() -> None:
    pkg, root, _prompt, dots = field_anchor("esao-1-2", "process")
    made = ed.type_over_dots(dots, ["ก"], ed.Typist())
    cid = str(ed.add_comment(pkg, root, made, "ความเห็น"))
    ed.save_document(pkg, root)
    assert root.find(".//" + ed.q("w:commentRangeStart")).get(ed.q("w:id")) == cid
    assert root.find(".//" + ed.q("w:commentRangeEnd")).get(ed.q("w:id")) == cid
    assert root.find(".//" + ed.q("w:commentReference")).get(ed.q("w:id")) == cid
    comments = pkg.xml("word/comments.xml")
    assert comments.find(ed.q("w:comment")).get(ed.q("w:id")) == cid and "ความเห็น" in texts(comments)
    assert b"comments.xml" in pkg.parts["word/_rels/document.xml.rels"]
    assert b"/word/comments.xml" in pkg.parts["[Content_Types].xml"]
    assert ed.has_comments(pkg, root)
    assert docx.Document(io.BytesIO(pkg.to_bytes()))


def test_header_text() -> None:
    pkg, _ = original("esao-3-1")
    ed.set_header_text(pkg, "สพม.เชียงใหม่")
    header = pkg.xml("word/header1.xml")
    assert texts(header) == "สพม.เชียงใหม่" and len(header.findall(f".//{ed.q('w:r')}")) == 1


def test_year_retyped_in_the_evidence_cell_only() -> None:
    _, root = original("esao-1-2")
    assert ed.replace_printed_text(ed.evidence_cell(root), "2565", "2566") == 3
    assert "2565" not in texts(root) and "พ.ศ. 2560" in texts(root)


def test_empty_row_and_numbered_line() -> None:
    _, root = original("esao-1-2")
    table = ed.quality_table(root)
    rows = len(table.findall(ed.q("w:tr")))
    row = ed.append_empty_row(table)
    assert len(table.findall(ed.q("w:tr"))) == rows + 1
    assert texts(row) == "" and row.find(".//" + ed.q("w:vMerge")) is None
    lines = ed.other_evidence_lines(root)
    assert [ed.paragraph_text(p)[:3] for p in lines] == ["1. ", "2. "]
    third = ed.add_numbered_line(lines[-1], 3)
    assert ed.other_evidence_lines(root) == [*lines, third]


def test_duplicate_work_blocks_are_renumbered() -> None:
    _, root = original("esao-3-1")
    ed.duplicate_work_block(root, 3)
    blocks = ed.work_blocks(root)
    assert [ed.paragraph_text(b[0]) for b in blocks] == [f"ผลงานชิ้นที่ {n}" for n in (1, 2, 3)]
    assert len({len(b) for b in blocks}) == 1
    assert blocks[-1][-1].getnext().tag == ed.q("w:sectPr")
    for block in blocks:
        for text_field in ed.ESAO_3_1_WORK:
            ed.resolve_field(block, text_field)


def test_solid_png_is_a_valid_distinct_image() -> None:
    red, blue = ed.solid_png((200, 0, 0)), ed.solid_png((0, 0, 200))
    assert red != blue and red.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", red[16:24])
    assert (width, height) == (64, 48)
    idat_len = struct.unpack(">I", red[33:37])[0]
    raw = zlib.decompress(red[41:41 + idat_len])
    assert raw[:4] == b"\x00\xc8\x00\x00" and len(raw) == 48 * (1 + 64 * 3)


@pytest.mark.parametrize("kind", ["drawing", "vml"])
def test_pictures_are_stored_related_and_placed(kind: str) -> None:
    pkg, root = original("esao-3-1")
    prompt = ed.find_paragraph(root, ed.PHOTOS_PROMPT)
    pngs = [ed.solid_png((n, 10, 20)) for n in range(3)]
    runs = ed.picture_runs(pkg, root, pngs, kind=kind)
    made = ed.photos_in_paragraphs(prompt, runs)
    ed.save_document(pkg, root)
    assert [len(p.findall(ed.q("w:r"))) for p in made] == [3, 1]
    rels = pkg.xml("word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    refs = root.xpath("//a:blip/@r:embed | //v:imagedata/@r:id", namespaces=ed.NS)
    assert [pkg.parts["word/" + targets[r]] for r in refs] == pngs
    assert b'Extension="png"' in pkg.parts["[Content_Types].xml"]
    if kind == "drawing":
        ids = root.xpath("//wp:docPr/@id", namespaces=ed.NS)
        assert len(ids) == len(set(ids)) == 3
    else:
        assert len(root.xpath("//v:shapetype", namespaces=ed.NS)) == 1
    assert docx.Document(io.BytesIO(pkg.to_bytes()))


def test_photos_table_is_borderless_two_columns() -> None:
    pkg, root = original("esao-3-1")
    prompt = ed.find_paragraph(root, ed.PHOTOS_PROMPT)
    tbl = ed.photos_in_table(prompt, ed.picture_runs(pkg, root, [ed.solid_png((1, 2, n)) for n in range(3)]))
    assert prompt.getnext() is tbl
    assert [len(tr.findall(ed.q("w:tc"))) for tr in tbl.findall(ed.q("w:tr"))] == [2, 2]
    assert {b.get(ed.q("w:val")) for b in tbl.find(f"{ed.q('w:tblPr')}/{ed.q('w:tblBorders')}")} == {"nil"}


def test_package_bytes_are_deterministic() -> None:
    pkg, root = original("esao-1-2")
    ed.save_document(pkg, root)
    data = pkg.to_bytes()
    assert data == ed.Package.from_bytes(data).to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
        assert {i.date_time for i in archive.infolist()} == {ed.ZIP_DATE}


# --------------------------------------------------------------------------- the sample table


def test_every_tick_style_is_used_for_a_level_and_for_an_evidence_box() -> None:
    level_styles = {s.level_tick for s in ms.SAMPLES if not s.untouched and s.levels()}
    evidence_styles = set()
    for sample in ms.SAMPLES:
        if sample.untouched:
            continue
        for key, ticked in sample.record["evidence"].items():
            if ticked:
                evidence_styles.add(sample.box_tick(key))
    assert level_styles == set(ed.TICKS)
    assert evidence_styles == set(ed.TICKS)


def test_every_placement_and_typist_is_used() -> None:
    places = [p for s in ms.SAMPLES for p in s.places.values()]
    assert {p.how for p in places} == {"over", "before", "below", "same-line"}
    assert {p.typist for p in places} == {"plain", "split", "control", "tracked"}
    assert {p.keep_dots for p in places if p.how == "below"} == {True, False}
    assert any(p.retract for p in places) and any(p.comment for p in places) and any(p.blank_after for p in places)
    assert {s.photos for s in ms.SAMPLES if s.form == "esao-3-1" and not s.untouched} == {"paragraphs", "table", "vml"}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("sample", ms.SAMPLES, ids=lambda s: f"{s.form}/{s.name}")
def test_table_answers_are_already_normalized(sample: ms.Sample) -> None:
    for text in _strings(sample.record):
        assert unicodedata.normalize("NFC", text) == text and "\u0e4d\u0e32" not in text
        for line in text.split("\n") if text else []:
            assert line == " ".join(line.split()) and line and not ed.LEADER.search(line)


# --------------------------------------------------------------------------- the written samples

RECORD_1_2 = ["level", "process", "problems", "suggestions", "evidence", "other_evidence", "fiscal_year"]
RECORD_3_1 = ["level", "evidence", "fiscal_year", "works"]
WORK_KEYS = [*ms.WORK_FIELDS, "photos"]
WARNINGS = {"tracked-changes", "comments-ignored", "multiple-levels-ticked", "answer-without-box"}


@pytest.mark.parametrize("sample", ms.SAMPLES, ids=lambda s: f"{s.form}/{s.name}")
def test_sample_docx_is_a_valid_word_file(sample: ms.Sample) -> None:
    path = ms.sample_path(sample, ".docx")
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name))
    assert docx.Document(str(path)).paragraphs


@pytest.mark.parametrize("sample", ms.SAMPLES, ids=lambda s: f"{s.form}/{s.name}")
def test_sample_json_follows_the_contract(sample: ms.Sample) -> None:
    expected = json.loads(ms.sample_path(sample, ".json").read_text(encoding="utf-8"))
    assert list(expected) == ["file", "form", "record", "warnings", "error"]
    assert expected["file"] == f"samples/{sample.form}/{sample.name}.docx" and (REPO / expected["file"]).exists()
    assert expected["form"] == sample.form and expected["error"] is None
    assert expected["warnings"] == sorted(expected["warnings"]) and set(expected["warnings"]) <= WARNINGS
    record = expected["record"]
    assert record["level"] is None or record["level"] in range(1, 6)
    optional = ["office"] if "office" in record else []
    if sample.form == "esao-1-2":
        assert list(record) == [*RECORD_1_2, *optional]
        assert list(record["evidence"]) == ["action_plan", "km_plan", "km_report", "other"]
        assert all(isinstance(record[k], str) for k in ("process", "problems", "suggestions"))
        assert all(isinstance(item, str) and item for item in record["other_evidence"])
        assert record["fiscal_year"].isdigit()
    else:
        assert sorted(record) == sorted([*RECORD_3_1, *optional])
        assert list(record["evidence"]) == ["works_detail"] and record["fiscal_year"] == "2563 - 2564"
        with zipfile.ZipFile(REPO / expected["file"]) as archive:
            media = {hashlib.sha256(archive.read(n)).hexdigest() for n in archive.namelist()
                     if n.startswith("word/media/")}
        for work in record["works"]:
            assert list(work) == WORK_KEYS
            assert all(isinstance(work[k], str) for k in ms.WORK_FIELDS)
            for photo in work["photos"]:
                assert photo["media_type"] == "image/png" and photo["sha256"] in media
    assert isinstance(record.get("office", ""), str)
    assert ("multiple-levels-ticked" in expected["warnings"]) is (record["level"] is None and len(sample.levels()) > 1)


def test_blank_samples_are_the_originals() -> None:
    for form in FORMS:
        blank = (REPO / "samples" / form / "blank.docx").read_bytes()
        assert blank == (REPO / "forms" / form / "original.docx").read_bytes(), \
            "the originals changed: run python samples/tools/make_samples.py"
