"""The grid, date and signature kinds (formkit/locate/grid.py,
thaidate.py, the signature in locate/__init__.py; fill/kinds.py): a
definition written by hand, filled and parsed back, through the CLI and CSV."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from formkit import forms
from formkit.cli import main
from formkit.fill.schema import fill_schema
from formkit.forms.schema import form_schema
from formkit.locate import thaidate
from tests.docxbuild import make_docx, p, r
from tests.otherforms import BOLD, _cell, _table

DEFINITION = """\
id: borrow
title: "แบบขอยืมพัสดุ"
recognize:
  phrases: ["แบบขอยืมพัสดุ ประจำสำนักงาน"]
fields:
  borrower:
    kind: value
    label: "ชื่อผู้ยืม"
  items:
    kind: grid
    title: "รายการ"
    columns: {"no": "ที่", item: "รายการ", qty: "จำนวน"}
  when:
    kind: date
    label: "วันที่"
    between: ["เดือน", "พ.ศ."]
  reporter:
    kind: signature
    label: "ลงชื่อ"
    fields:
      name: {kind: value, label: "("}
      position: {kind: value, label: "ตำแหน่ง"}
      date: {kind: date, label: "วันที่", between: ["/", "/"]}
"""


def original() -> bytes:
    font = BOLD + '<w:rFonts w:ascii="TH SarabunPSK" w:hAnsi="TH SarabunPSK"/><w:sz w:val="32"/>'
    head = [_cell(p(r(t, props=font))) for t in ("ที่", "รายการ", "=", "จำนวน")]
    rows = [[_cell(), _cell(), _cell(p("=")), _cell()] for _ in range(3)]
    return make_docx("".join([
        p("แบบขอยืมพัสดุ ประจำสำนักงาน"), p("ชื่อผู้ยืม ........................................"),
        _table([head, *rows]), p("วันที่..........เดือน....................พ.ศ.........."),
        p("ลงชื่อ.............................ผู้รายงาน"), p("(.............................)"),
        p("ตำแหน่ง............................."), p("วันที่ ......../......../........"),
    ]))


@pytest.fixture()
def form_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "borrow"
    folder.mkdir()
    (folder / "form.yaml").write_text(DEFINITION, "utf-8")
    (folder / "original.docx").write_bytes(original())
    return folder


RECORD: dict[str, Any] = {
    "borrower": "นางสาว ก & ข",
    "items": [{"no": "1", "item": "โต๊ะ <พับ>", "qty": "2"}, {"no": "2", "item": "เก้าอี้", "qty": "๔"},
              {}, {"no": "3", "item": "จอ", "qty": "1"}, {"no": "4", "item": "ลำโพง", "qty": ""},
              {"no": "5", "item": "สาย", "qty": "3"}],
    "when": "๑๒ มกราคม ๒๕๖๗",
    "reporter": {"name": "สมชาย ใจดี", "position": "ครู", "date": "1/2/2567"},
}


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def parsed(path: Path, form_dir: Path) -> dict[str, Any]:
    result = run("parse", str(path), "--form", str(form_dir))
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_grid_date_and_signature_fill_and_read_back(form_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text(json.dumps(RECORD, ensure_ascii=False), "utf-8")
    assert run("fill", str(form_dir), str(tmp_path / "r.json"), "-o", str(tmp_path / "out.docx")).exit_code == 0
    got = parsed(tmp_path / "out.docx", form_dir)
    assert got["warnings"] == []
    rec = got["record"]
    # the empty row is dropped; five rows where three are printed: two rows added
    assert [row["item"] for row in rec["items"]] == ["โต๊ะ <พับ>", "เก้าอี้", "จอ", "ลำโพง", "สาย"]
    assert rec["items"][1] == {"no": "2", "item": "เก้าอี้", "qty": "๔"}
    assert rec["when"] == "๑๒ มกราคม ๒๕๖๗"  # Thai digits kept, the printed order
    assert rec["reporter"] == {"name": "สมชาย ใจดี", "position": "ครู", "date": "1/2/2567"}
    xml = zipfile.ZipFile(tmp_path / "out.docx").read("word/document.xml").decode("utf-8")
    assert xml.count("<w:tr") == 6 and xml.count(">=<") == 6  # rows added as copies: the "=" cell kept
    assert "ลงชื่อ.............................ผู้รายงาน" in xml  # the signature is never filled
    # answers in empty cells take the header's font and size, plain, with the complex-script ones Thai needs
    answer = xml[xml.index("โต๊ะ &lt;พับ&gt;") - 400 : xml.index("โต๊ะ &lt;พับ&gt;")]
    assert 'w:cs="TH SarabunPSK"' in answer and '<w:szCs w:val="32"/>' in answer and "<w:b/>" not in answer
    jsonschema.Draft202012Validator(form_schema(forms.load(str(form_dir)))).validate(rec)
    jsonschema.Draft202012Validator(fill_schema(forms.load(str(form_dir)))).validate(RECORD)


def test_an_empty_record_leaves_the_blanks_as_printed(form_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text("{}", "utf-8")
    assert run("fill", str(form_dir), str(tmp_path / "r.json"), "-o", str(tmp_path / "out.docx")).exit_code == 0
    rec = parsed(tmp_path / "out.docx", form_dir)["record"]
    assert rec["items"] == [] and rec["when"] == ""
    assert rec["reporter"] == {"name": "", "position": "", "date": ""}


def test_check_finds_every_part_and_generated_records_come_back(form_dir: Path) -> None:
    result = run("check", str(form_dir), "--roundtrip", "12", "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "ok      items (grid): 3 row(s) to fill" in result.output
    assert "ok      reporter.date (date)" in result.output
    assert "12 of 12 generated records came back unchanged" in result.output


def test_csv_columns_of_the_new_kinds_fill_the_same_documents_again(form_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text(json.dumps(RECORD, ensure_ascii=False), "utf-8")
    run("fill", str(form_dir), str(tmp_path / "r.json"), "-o", str(tmp_path / "out.docx"))
    csv = tmp_path / "parsed.csv"
    assert run("parse", str(tmp_path / "out.docx"), "--form", str(form_dir), "--format", "csv",
               "-o", str(csv)).exit_code == 0
    header = csv.read_text("utf-8-sig").splitlines()[0]
    assert "items.5.item" in header and "reporter.name" in header and ",when," in header
    result = run("bulk", str(form_dir), str(csv), "-o", str(tmp_path / "again"), "--name", "{row}.docx")
    assert result.exit_code == 0, result.output
    [again] = sorted((tmp_path / "again").glob("*.docx"))
    assert parsed(again, form_dir)["record"] == parsed(tmp_path / "out.docx", form_dir)["record"]


@pytest.mark.parametrize(("value", "between", "pieces", "read"), [
    ("12 มกราคม 2567", ("เดือน", "พ.ศ."), ["12", "มกราคม", "2567"], "12 มกราคม 2567"),
    ("๑ ม.ค. ๒๕๖๗", ("เดือน", "พ.ศ."), ["๑", "ม.ค.", "๒๕๖๗"], "๑ ม.ค. ๒๕๖๗"),
    ("12 1 ม.ค. 2567", ("เดือน", "พ.ศ."), ["12", "1 ม.ค.", "2567"], "12 1 ม.ค. 2567"),
    ("12/01/2567", ("/", "/"), ["12", "01", "2567"], "12/01/2567"),
    ("/01/2567", ("/", "/"), ["", "01", "2567"], "/01/2567"),
    ("2567", ("เดือน", "พ.ศ."), ["2567", "", ""], "2567"),
    ("", ("/", "/"), ["", "", ""], ""),
])
def test_date_pieces_and_what_is_read_back(value: str, between: tuple[str, ...], pieces: list[str], read: str) -> None:
    assert thaidate.pieces(value, between) == pieces
    assert thaidate.canonical(value, between) == read


@pytest.mark.parametrize(("line", "between", "value"), [
    ("......เดือน........พ.ศ.........", ("เดือน", "พ.ศ."), ""),
    (" 5 เดือน มีนาคม พ. ศ. 2566", ("เดือน", "พ.ศ."), "5 มีนาคม 2566"),  # an office's "พ. ศ." still splits
    (" 5 ..../ 3 /....", ("/", "/"), "5/3/"),
])
def test_a_date_line_is_read_in_its_printed_order(line: str, between: tuple[str, ...], value: str) -> None:
    assert thaidate.read(line, between) == value


def test_a_grid_definition_needs_named_columns(tmp_path: Path) -> None:
    (tmp_path / "form.yaml").write_text(DEFINITION.replace('columns: {"no": "ที่",', 'columns: {no: "ที่",'), "utf-8")
    with pytest.raises(forms.FormkitError) as info:
        forms.load_path(tmp_path)
    assert info.value.code == "bad-form-definition" and "column of field 'items' False" in str(info.value)


def test_the_docxtpl_view_of_a_grid_template_is_a_table_row_tag(form_dir: Path) -> None:
    from lxml import etree

    from formkit.fill.template import derive

    data = derive(forms.load(str(form_dir))).docx()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    root = etree.fromstring(xml)  # well-formed
    rows = [el for el in root.iter("{*}tr") if "".join(el.itertext()).startswith("{%tr")]
    assert [("".join(el.itertext())) for el in rows] == ["{%tr for row in f['items'][3:] %}", "{%tr endfor %}"]


def test_a_filled_copy_is_refused_as_an_original(form_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text(json.dumps(RECORD, ensure_ascii=False), "utf-8")
    run("fill", str(form_dir), str(tmp_path / "r.json"), "-o", str(tmp_path / "out.docx"))
    result = run("fill", str(form_dir), str(tmp_path / "r.json"), "-o", str(tmp_path / "again.docx"),
                 "--original", str(tmp_path / "out.docx"))
    assert result.exit_code == 1 and "[original-has-answers]" in result.output
    assert "items" in result.output and "when" in result.output and "reporter" in result.output


@pytest.mark.parametrize(("label", "between", "text"), [
    ("วันที่", ("เดือน", "พ.ศ."), "12 มกราคม 2567"),
    ("วันที่", ("เดือน", "ค.ศ."), "12 มกราคม 2024"),
    ("วันที่", ("/", "/"), "12/1/2567"),
    ("Date", ("/", "/"), "12/1/2024"),
    ("Date", ("month", "year"), "12 January 2024"),
])
def test_a_spreadsheet_date_cell_is_written_as_the_form_prints_dates(label: str, between: tuple[str, ...],
                                                                      text: str) -> None:
    import datetime as dt

    from formkit.fill.tabular import _text
    from formkit.forms import FieldDef

    field = FieldDef("when", "date", "when", label=label, between=between)
    assert _text(dt.date(2024, 1, 12), field) == text
    assert thaidate.canonical(text, between) == text  # and it is read back as written


TWO_GRIDS = """\
id: two
title: "two"
recognize:
  phrases: []
fields:
  first:
    kind: grid
    columns: {item: "Item", remarks: "Remarks"}
  second:
    kind: grid
    columns: {item: "Item", remarks: "Remarks"}
  remarks:
    kind: section
    label: "Remarks"
"""


def test_two_grids_with_one_header_and_a_label_printed_as_a_header_cell(tmp_path: Path) -> None:
    """Each grid reads its own table, and the label "Remarks" is not taken
    from a grid's header cell "Remarks"."""
    head = [_cell(p("Item")), _cell(p("Remarks"))]
    blank = [_cell(), _cell()]
    body = _table([head, blank]) + p() + _table([head, blank, blank]) + p("Remarks:") + p("." * 60) + p("." * 60)
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "form.yaml").write_text(TWO_GRIDS, "utf-8")
    (folder / "original.docx").write_bytes(make_docx(body))
    record = {"first": [{"item": "a", "remarks": "b"}, {"item": "c"}], "second": [{"remarks": "d"}],
              "remarks": "สรุป\nบรรทัดสอง"}
    (tmp_path / "r.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    assert run("fill", str(folder), str(tmp_path / "r.json"), "-o", str(tmp_path / "o.docx")).exit_code == 0
    got = parsed(tmp_path / "o.docx", folder)["record"]
    assert got == {"first": [{"item": "a", "remarks": "b"}, {"item": "c", "remarks": ""}],
                   "second": [{"item": "", "remarks": "d"}], "remarks": "สรุป\nบรรทัดสอง"}
    assert run("check", str(folder), "--roundtrip", "6").exit_code == 0


def test_a_signature_part_is_a_value_or_a_date(tmp_path: Path) -> None:
    (tmp_path / "form.yaml").write_text(DEFINITION.replace('position: {kind: value, label: "ตำแหน่ง"}',
                                                           'position: {kind: lines, label: "ตำแหน่ง"}'), "utf-8")
    with pytest.raises(forms.FormkitError) as info:
        forms.load_path(tmp_path)
    assert info.value.code == "bad-form-definition" and "position must be value or date fields" in str(info.value)


def test_a_signature_not_printed_reads_as_empty_parts(form_dir: Path, tmp_path: Path) -> None:
    from formkit.locate import locate
    from formkit.read.parse import read_model

    (tmp_path / "other.docx").write_bytes(make_docx(p("แบบขอยืมพัสดุ ประจำสำนักงาน") + p("ชื่อผู้ยืม ......")))
    located = locate(forms.load(str(form_dir)), read_model(str(tmp_path / "other.docx"), "other"))
    assert located.record["reporter"] == {"name": "", "position": "", "date": ""}
    assert {w.code for w in located.warnings} == {"field-not-found"}
