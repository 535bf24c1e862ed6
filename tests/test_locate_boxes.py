"""formkit.locate.boxes: the one decision on which glyphs are boxes of the
form, shared by parse (box groups) and fill (the box it ticks)."""
from __future__ import annotations

from pathlib import Path

import pytest

from formkit import forms
from formkit.docx.checkboxes import convert_document
from formkit.docx.package import open_package
from formkit.docx.reader import read_document
from formkit.fill.filler import Filler
from formkit.locate.boxes import form_boxes
from formkit.locate.kinds import boxes_in
from formkit.locate.stream import Stream, build
from formkit.read.parse import parse_file
from tests.docxbuild import make_docx, p, r

INSTRUCTION = "โปรดทำเครื่องหมาย √ ลงในช่อง ☐"


def stream_of(body: str) -> Stream:
    with open_package(make_docx(body), "t.docx") as pkg:
        return build(convert_document(read_document(pkg)).body)


def _table(*cells: str) -> str:
    row = "".join(f"<w:tc><w:tcPr><w:tcW w:w='2000' w:type='dxa'/></w:tcPr>{c}</w:tc>" for c in cells)
    grid = "<w:gridCol w:w='2000'/>" * len(cells)
    return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid><w:tr>{row}</w:tr></w:tbl>"


@pytest.mark.parametrize(
    ("line", "boxes"),
    [
        (INSTRUCTION, []),  # the instruction names its glyphs: neither is a box
        ("โปรดทำเครื่องหมาย ✓ ในช่อง ☐ ที่ตรงกับ แล้ว ☐", []),
        ("☐ เคย ☐ ไม่เคย", [0, 1]),
        ("☐ เคย   ☐ ไม่เคย", [0, 1]),
        ("เพศ ☐ ชาย ☐ หญิง", [0, 1]),  # a prompt, then boxes between labels
        ("เคย ☐   ไม่เคย ☐", [0, 1]),  # labels first, each box ends its column
        ("เคย ☐\tไม่เคย ☐", [0, 1]),
        ("5 ☐", [0]),  # a level cell's digit is no running text
        ("1. ☐ แผนปฏิบัติการ", [0]),
        ("√ เคย   ☐ ไม่เคย", [0, 1]),  # a mark where a box was printed is still a box
    ],
)
def test_glyphs_in_running_text_are_not_boxes(line: str, boxes: list[int]) -> None:
    stream = stream_of(p(r("หัวข้อ")) + p(r(line)) + p(r("ท้าย")))
    assert form_boxes(stream, 1) == boxes


def test_an_instruction_on_its_own_line_of_a_paragraph_leaves_the_boxes_below_it() -> None:
    body = p(r(INSTRUCTION), "<w:r><w:br/></w:r>", r("☐ เคย ☐ ไม่เคย"))
    stream = stream_of(body)
    assert form_boxes(stream, 0) == [2, 3]  # ordinals among the paragraph's glyphs


def test_a_heading_bullet_square_is_not_a_ticked_box() -> None:
    body = p(r("☐ เคย ☐ ไม่เคย")) + p(r("■ ข้อมูลทั่วไป")) + p(r("ชื่อ ........"))
    stream = stream_of(body)
    assert form_boxes(stream, 1) == []
    found = boxes_in(stream, 0, len(stream.paras))
    assert [b.at for b in found] == [(0, 0), (0, 1)] and not any(b.box.checked for b in found)


@pytest.mark.parametrize(
    "body",
    [
        p(r("☐ แผนปฏิบัติการ")) + p(r("■ รายงานสรุปผล")) + p(r("☐ อื่น ๆ")),  # a list of one-box lines
        p(r("■ เคย   ☐ ไม่เคย")),  # beside another box on its line
        _table(p(r("■ ผ่าน"))),  # inside a table
    ],
)
def test_a_solid_square_among_boxes_is_a_ticked_box(body: str) -> None:
    stream = stream_of(body)
    squares = [(b.at, b.box.checked) for b in boxes_in(stream, 0, len(stream.paras)) if b.box.glyph == "■"]
    assert len(squares) == 1 and squares[0][1]


FORM_YAML = '''id: survey
title: "แบบสำรวจการอบรม"
original: original.docx
recognize:
  min_score: 0.5
  phrases: ["แบบสำรวจการอบรม ประจำปี"]
fields:
  trained:
    kind: boxes
    title: "เคยอบรม"
    after: "ท่านเคยเข้ารับการอบรมหรือไม่"
    items:
      ever: "เคย"
      never: "ไม่เคย"
  name:
    kind: value
    title: "ชื่อ"
    label: "ชื่อ"
'''


@pytest.fixture()
def survey(tmp_path: Path) -> Path:
    body = (p(r("แบบสำรวจการอบรม ประจำปี")) + p(r(INSTRUCTION))
            + p(r("ท่านเคยเข้ารับการอบรมหรือไม่")) + p(r("☐ เคย ☐ ไม่เคย"))
            + p(r("■ ข้อมูลทั่วไป")) + p(r("ชื่อ ..........")))
    folder = tmp_path / "survey"
    folder.mkdir()
    (folder / "original.docx").write_bytes(make_docx(body))
    (folder / "form.yaml").write_text(FORM_YAML, "utf-8")
    return folder


def test_the_blank_form_reads_no_tick(survey: Path) -> None:
    result = parse_file(str(survey / "original.docx"), form=str(survey))
    assert result.record == {"trained": {"ever": False, "never": False}, "name": ""}
    assert result.warnings == []


@pytest.mark.parametrize("ticked", [{"ever": True, "never": False}, {"ever": False, "never": True},
                                    {"ever": True, "never": True}, {"ever": False, "never": False}])
def test_fill_ticks_the_box_parse_reads_after_an_instruction(survey: Path, tmp_path: Path,
                                                             ticked: dict[str, bool]) -> None:
    record = {"trained": ticked, "name": "สมชาย"}
    out = tmp_path / "filled.docx"
    Filler(forms.load(str(survey))).fill(record, out)
    result = parse_file(str(out), form=str(survey))
    assert result.record == record
    stream = build(result.document.body) if result.document is not None else None
    assert stream is not None
    # the instruction's glyphs are printed as they were, never ticked
    assert [(b.glyph, b.checked) for b in stream.paras[1].checkboxes] == [("√", True), ("☐", False)]
    assert form_boxes(stream, 1) == [] and form_boxes(stream, 4) == []


def test_learn_takes_no_instruction_glyph_for_a_box_group(tmp_path: Path) -> None:
    """learn decides with the same function: the instruction line is text, the
    one box group is the line of boxes under the question, and the learned
    form fills and reads back."""
    from click.testing import CliRunner

    from formkit.cli import main

    body = (p(r("แบบสำรวจการอบรม ประจำปี")) + p(r(INSTRUCTION))
            + p(r("ท่านเคยเข้ารับการอบรมหรือไม่")) + p(r("☐ เคย ☐ ไม่เคย")) + p(r("ชื่อ ..........")))
    (tmp_path / "survey.docx").write_bytes(make_docx(body))
    runner = CliRunner()
    learned = runner.invoke(main, ["learn", str(tmp_path / "survey.docx"), "--id", "survey", "-o", str(tmp_path / "s")])
    assert learned.exit_code == 0, learned.output
    form = forms.load(str(tmp_path / "s"))
    groups = [f for f in form.fields if f.kind == "boxes"]
    assert len(groups) == 1 and [label for _, label in groups[0].items] == ["เคย", "ไม่เคย"]
    checked = runner.invoke(main, ["check", str(tmp_path / "s"), "--roundtrip", "5"])
    assert checked.exit_code == 0, checked.output
