"""What learn makes of forms from other hands (formkit/learn/blocks.py,
tables.py, draft.py, verify.py): date blanks, signature blocks, grids,
operator cells, colons of other scripts, repeated labels, the page header,
and a draft it cannot place."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from formkit import forms
from formkit.cli import main
from tests.docxbuild import make_docx, p, r
from tests.otherforms import BOLD, _cell, _table


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def learned(tmp_path: Path, body: str, name: str = "f", **kw: Any) -> forms.FormDef:
    (tmp_path / f"{name}.docx").write_bytes(make_docx(body, **kw))
    result = run("learn", str(tmp_path / f"{name}.docx"), "--id", name, "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    check = run("check", str(tmp_path / name), "--roundtrip", "8")
    assert check.exit_code == 0, check.output
    return forms.load(str(tmp_path / name))


def test_thai_date_and_signature_block_are_one_field_each(tmp_path: Path) -> None:
    form = learned(tmp_path, "".join([
        p("แบบรายงานผลการดำเนินงานประจำปี"), p("ชื่อโครงการ ........................................"),
        p("วันที่.........เดือน.....................พ.ศ............"),
        p("ลงชื่อ..................................ผู้รายงาน"), p("(..................................)"),
        p("ตำแหน่ง.................................."), p("วันที่ ......../......../........"),
    ]))
    kinds = {f.name: f for f in form.fields}
    assert kinds["date"].kind == "date" and kinds["date"].between == ("เดือน", "พ.ศ.")
    sig = next(f for f in form.fields if f.kind == "signature")
    assert sig.label == "ลงชื่อ" and [(s.name, s.kind, s.label) for s in sig.fields] == [
        ("name", "value", "("), ("position", "value", "ตำแหน่ง"), ("date", "date", "วันที่")]
    assert sig.fields[2].between == ("/", "/")
    (tmp_path / "r.json").write_text(json.dumps({
        "date": "๕ มีนาคม ๒๕๖๗", sig.name: {"name": "นางสาว ข", "position": "ครู", "date": "5/3/2567"}}), "utf-8")
    assert run("fill", str(tmp_path / "f"), str(tmp_path / "r.json"), "-o", str(tmp_path / "o.docx")).exit_code == 0
    got = json.loads(run("parse", str(tmp_path / "o.docx"), "--form", str(tmp_path / "f")).stdout)["record"]
    assert got["date"] == "๕ มีนาคม ๒๕๖๗" and got[sig.name] == {"name": "นางสาว ข", "position": "ครู", "date": "5/3/2567"}


def test_english_signature_block_and_slash_date(tmp_path: Path) -> None:
    form = learned(tmp_path, "".join([
        p("Equipment Loan Request"), p("Full name: ...................................."),
        p("Date of birth: ..../..../......"), p("Signature: ..............................."),
        p("Name: ..............................."), p("Position: ..............................."),
        p("Date: ..............................."),
    ]))
    by_kind = {f.kind: f for f in form.fields}
    assert by_kind["date"].label == "Date of birth" and by_kind["date"].between == ("/", "/")
    assert [s.name for s in by_kind["signature"].fields] == ["name", "position", "date"]
    assert not any(f.kind == "value" and f.label in ("Name", "Position", "Date") for f in form.fields)


def test_grid_with_operator_columns_and_yaml_keys(tmp_path: Path) -> None:
    head = [_cell(p(r(t, props=BOLD))) for t in ("No.", "Subtotal", "+", "VAT", "=", "Total")]
    row = [_cell(), _cell(), _cell(p("+")), _cell(), _cell(p("=")), _cell()]
    form = learned(tmp_path, p("Purchase Order Form") + p("Supplier: ..........................") + _table([head, row, row]))
    [grid] = [f for f in form.fields if f.kind == "grid"]
    assert [(c.name, c.label) for c in grid.fields] == [("no", "No."), ("subtotal", "Subtotal"), ("vat", "VAT"),
                                                          ("total", "Total")]
    text = (tmp_path / "f" / "form.yaml").read_text("utf-8")
    assert '"no": "No."' in text  # a key YAML would read as false is quoted
    assert yaml.safe_load(text)["fields"]["rows"]["columns"]["no"] == "No."
    assert not any(f.label in ("+", "=") or f.title in ("+", "=") for f in form.fields)


def test_an_operator_cell_beside_an_empty_cell_is_no_label(tmp_path: Path) -> None:
    rows = [[_cell(p("Amount")), _cell()], [_cell(p("+")), _cell()], [_cell(p("…")), _cell()]]
    form = learned(tmp_path, p("Expense claim") + _table(rows))
    assert [f.label for f in form.fields if f.kind == "value"] == ["Amount"]


@pytest.mark.parametrize("colon", ["：", "∶", ":"])
def test_blanks_after_other_colons_are_learned_and_filled(tmp_path: Path, colon: str) -> None:
    form = learned(tmp_path, p("会员登记表") + p(f"姓名{colon}________________") + p(f"电话{colon}________________"))
    assert [f.label for f in form.fields if f.kind == "value"] == ["姓名", "电话"]
    (tmp_path / "r.json").write_text(json.dumps({"name": "王小明"}, ensure_ascii=False), "utf-8")
    assert run("fill", str(tmp_path / "f"), str(tmp_path / "r.json"), "-o", str(tmp_path / "o.docx")).exit_code == 0
    got = json.loads(run("parse", str(tmp_path / "o.docx"), "--form", str(tmp_path / "f")).stdout)["record"]
    assert got["name"] == "王小明"
    from formkit.read.parse import read_model

    first = read_model(str(tmp_path / "o.docx"), "o").body[1]
    assert "王小明" in first.text and "____" not in first.text  # written over the blank, not after it


def test_labels_repeated_under_two_headings_take_the_heading_as_context(tmp_path: Path) -> None:
    body = p("Membership Registration")
    for heading in ("Applicant", "Guarantor"):
        body += p(r(heading, props=BOLD)) + p("Name: ......................") + p("Phone: ......................")
    form = learned(tmp_path, body)
    assert [f.name for f in form.fields if f.kind == "value"] == [
        "applicant_name", "applicant_phone", "guarantor_name", "guarantor_phone"]
    assert forms.load(str(tmp_path / "f")).field("guarantor_phone").title == "Guarantor: Phone"


def test_labels_repeated_down_a_table_take_their_column_header(tmp_path: Path) -> None:
    rows = [[_cell(p(r("Applicant", props=BOLD))), _cell(p(r("Guarantor", props=BOLD)))],
            [_cell(p("Name: ..................")), _cell(p("Name: .................."))]]
    form = learned(tmp_path, p("Loan application") + _table(rows))
    assert [f.name for f in form.fields if f.kind == "value"] == ["applicant_name", "guarantor_name"]


def test_office_header_field_only_where_the_header_is_empty(tmp_path: Path) -> None:
    body = p("Leave request form") + p("Full name: ....................") + p("Department: ....................")
    plain = learned(tmp_path, body, "plain")
    assert [f.kind for f in plain.fields].count("header") == 1
    printed = learned(tmp_path, body, "printed", headers={"header1.xml": p("Form HR-12, 1 January 2024")})
    assert "header" not in [f.kind for f in printed.fields]
    assert "no office field is added" in (tmp_path / "printed" / "form.yaml").read_text("utf-8")


def test_a_draft_that_does_not_come_back_is_refused_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from formkit.learn import verify

    monkeypatch.setattr(verify, "_roundtrip", lambda form: {f.name: "read back differently" for f in form.fields})
    (tmp_path / "f.docx").write_bytes(make_docx(p("Leave request") + p("Full name: ....................")))
    result = run("learn", str(tmp_path / "f.docx"), "--id", "f", "-o", str(tmp_path / "out" / "f"))
    assert result.exit_code == 1
    assert "[cannot-learn]" in result.output and "full_name (value): read back differently" in result.output
    assert not (tmp_path / "out").exists()


def test_a_field_that_cannot_be_placed_is_left_out_and_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from formkit.learn import verify

    real = verify._roundtrip
    monkeypatch.setattr(verify, "_roundtrip",
                        lambda form: {"phone": "read back differently"} if "phone" in [f.name for f in form.fields]
                        else real(form))
    (tmp_path / "f.docx").write_bytes(make_docx(p("Leave request") + p("Full name: ..........") + p("Phone: ..........")))
    result = run("learn", str(tmp_path / "f.docx"), "--id", "f", "-o", str(tmp_path / "f"))
    assert result.exit_code == 0, result.output
    assert "left out phone (value): read back differently" in result.output
    assert [f.name for f in forms.load(str(tmp_path / "f")).fields if f.kind == "value"] == ["full_name"]


def test_label_and_dotted_answer_cell_is_learned_and_filled_over_the_dots(tmp_path: Path) -> None:
    rows = [[_cell(p("ชื่อ-สกุล")), _cell(p("." * 40))],
            [_cell(p("ที่อยู่")), _cell(p("." * 40), p("." * 40), p("." * 40))]]
    form = learned(tmp_path, p("แบบคำขออนุญาตไปราชการ") + _table(rows))
    assert [(f.name, f.kind) for f in form.fields if f.kind != "header"] == [("name", "value"), ("address", "section")]
    (tmp_path / "r.json").write_text(json.dumps({"name": "ก ข", "address": "บรรทัด 1\nบรรทัด 2"}), "utf-8")
    assert run("fill", str(tmp_path / "f"), str(tmp_path / "r.json"), "-o", str(tmp_path / "o.docx")).exit_code == 0
    got = json.loads(run("parse", str(tmp_path / "o.docx"), "--form", str(tmp_path / "f")).stdout)["record"]
    assert got["name"] == "ก ข" and got["address"] == "บรรทัด 1\nบรรทัด 2"
    from formkit.read.parse import read_model

    doc = read_model(str(tmp_path / "o.docx"), "o")
    cells = ["".join(par.text for par in cell.blocks) for row in doc.body[1].rows for cell in row.cells]  # type: ignore[union-attr]
    assert cells == ["ชื่อ-สกุล", "ก ข", "ที่อยู่", "บรรทัด 1บรรทัด 2"]  # the dots are gone


def test_a_grid_with_printed_row_numbers_reads_the_other_columns(tmp_path: Path) -> None:
    head = [_cell(p(r(t, props=BOLD))) for t in ("ลำดับ", "รายการ", "จำนวนเงิน")]
    rows = [[_cell(p(n)), _cell(), _cell()] for n in ("1.", "2.", "๓.")]
    form = learned(tmp_path, p("ใบเบิกค่าใช้จ่ายในการเดินทางไปราชการ") + _table([head, *rows]))
    [grid] = [f for f in form.fields if f.kind == "grid"]
    assert [c.label for c in grid.fields] == ["รายการ", "จำนวนเงิน"]
    (tmp_path / "r.json").write_text(json.dumps({grid.name: [{grid.fields[0].name: f"ค่า {n}"} for n in range(5)]}),
                                     "utf-8")
    assert run("fill", str(tmp_path / "f"), str(tmp_path / "r.json"), "-o", str(tmp_path / "o.docx")).exit_code == 0
    got = json.loads(run("parse", str(tmp_path / "o.docx"), "--form", str(tmp_path / "f")).stdout)["record"]
    assert [row[grid.fields[0].name] for row in got[grid.name]] == [f"ค่า {n}" for n in range(5)]
    from formkit.read.parse import read_model

    table = read_model(str(tmp_path / "o.docx"), "o").body[1]
    numbers = ["".join(par.text for par in row.cells[0].blocks) for row in table.rows]  # type: ignore[union-attr]
    assert numbers == ["ลำดับ", "1.", "2.", "๓.", "4.", "5."]  # added rows count on


def test_a_grid_over_a_printed_total_row_ends_there(tmp_path: Path) -> None:
    head = [_cell(p(r(t, props=BOLD))) for t in ("Description", "Amount")]
    rows = [[_cell(), _cell()] for _ in range(2)]
    total = [_cell(p("Total")), _cell()]
    form = learned(tmp_path, p("Expense report") + _table([head, *rows, total]) + p("Approved by: ............"))
    [grid] = [f for f in form.fields if f.kind == "grid"]
    assert grid.until == "Total" and [c.name for c in grid.fields] == ["description", "amount"]
    assert [f.name for f in form.fields if f.kind == "value"] == ["total", "approved_by"]
    record = {"rows": [{"description": f"taxi {n}", "amount": str(n)} for n in range(4)], "total": "6"}
    (tmp_path / "r.json").write_text(json.dumps(record), "utf-8")
    assert run("fill", str(tmp_path / "f"), str(tmp_path / "r.json"), "-o", str(tmp_path / "o.docx")).exit_code == 0
    got = json.loads(run("parse", str(tmp_path / "o.docx"), "--form", str(tmp_path / "f")).stdout)["record"]
    assert got["rows"] == record["rows"] and got["total"] == "6"
    from formkit.read.parse import read_model

    table = read_model(str(tmp_path / "o.docx"), "o").body[1]
    last = table.rows[-1]  # type: ignore[union-attr]
    assert ["".join(par.text for par in c.blocks) for c in last.cells] == ["Total", "6"]  # rows added above it
