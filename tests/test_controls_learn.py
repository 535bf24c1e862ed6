"""``formkit learn`` on forms made of Word's form controls, then ``formkit
check`` and ``check --roundtrip`` on what it wrote (formkit.learn.controls),
and the date formats fill writes (formkit.fill.dates)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from jinja2.sandbox import ImmutableSandboxedEnvironment

from formkit import forms
from formkit.cli import main
from formkit.fill.dates import date_expression
from formkit.learn.controls import slug
from tests import controlsdoc as cd
from tests.docxbuild import make_docx


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def learned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("learn-controls")
    (tmp / "staff.docx").write_bytes(cd.form_docx())
    result = run("learn", str(tmp / "staff.docx"), "--id", "staff", "-o", str(tmp / "staff"))
    assert result.exit_code == 0, result.output
    return tmp / "staff"


def test_learn_gives_a_control_field_per_named_control(learned: Path) -> None:
    data = yaml.safe_load((learned / "form.yaml").read_text("utf-8"))
    controls = {name: spec for name, spec in data["fields"].items() if spec["kind"] == "control"}
    assert set(controls) == {
        "full_name", "notes", "start_date", "report_date", "grade", "unit", "agree", "trained", "photo",
        "members", "bound_name", "bound_start", "office", "phone", "full_time", "part_time", "shift",
    }
    assert controls["grade"]["choices"] == ["Excellent", "Good", "Fair"]  # not Word's "Choose an item."
    assert controls["shift"] == {"kind": "control", "title": "Shift", "control": "formdropdown",
                                 "bookmark": "Shift", "label": "Shift", "choices": ["Morning", "Afternoon", "Night"]}
    assert controls["report_date"]["title"] == "วันที่รายงาน" and controls["report_date"]["tag"] == "report_date"
    assert controls["part_time"]["label"] == "Part time"  # what stands after the field before it
    assert set(controls["members"]["fields"]) == {"member_name", "position"}
    assert not [f for f in data["fields"].values() if f["kind"] == "boxes"]  # control boxes are not box groups
    assert "Staff Record แบบบันทึกข้อมูลบุคลากร" in data["recognize"]["phrases"]
    forms.load_path(learned)  # it loads


def test_check_and_roundtrip_pass_on_the_learned_form(learned: Path) -> None:
    result = run("check", str(learned))
    assert result.exit_code == 0, result.output
    assert "ok      shift (control): formdropdown control with the bookmark 'Shift'" in result.output
    result = run("check", str(learned), "--roundtrip", "5")
    assert result.exit_code == 0, result.output
    assert "5 of 5 generated records came back unchanged" in result.output


def test_thai_names_come_from_the_title(tmp_path: Path) -> None:
    body = cd.para("แบบสำรวจโรงเรียน ประจำปี") + cd.para("ชื่อโรงเรียน ", cd.plain_text("ชื่อโรงเรียน", "ชื่อโรงเรียน"))
    body += cd.para("ที่อยู่ ", cd.plain_text("ที่อยู่", "ที่อยู่"))
    (tmp_path / "th.docx").write_bytes(make_docx(body))
    result = run("learn", str(tmp_path / "th.docx"), "--id", "th", "-o", str(tmp_path / "th"))
    assert result.exit_code == 0, result.output
    fields = yaml.safe_load((tmp_path / "th" / "form.yaml").read_text("utf-8"))["fields"]
    controls = {n: f for n, f in fields.items() if f["kind"] == "control"}
    assert len(controls) == 2 and all(n.isascii() for n in controls)
    assert {f["tag"] for f in controls.values()} == {"ชื่อโรงเรียน", "ที่อยู่"}
    assert run("check", str(tmp_path / "th"), "--roundtrip", "5").exit_code == 0


def test_a_control_without_tag_or_title_is_named_in_a_check_note(tmp_path: Path) -> None:
    body = cd.para("Form of anonymous controls") + cd.para(
        "Name: ", '<w:sdt><w:sdtPr><w:id w:val="1"/><w:text/></w:sdtPr><w:sdtContent><w:r><w:t>x</w:t></w:r>'
        "</w:sdtContent></w:sdt>") + cd.para("Unit: ", cd.plain_text("Unit", "unit"))
    (tmp_path / "a.docx").write_bytes(make_docx(body))
    result = run("learn", str(tmp_path / "a.docx"), "--id", "a", "-o", str(tmp_path / "a"))
    text = (tmp_path / "a" / "form.yaml").read_text("utf-8")
    assert result.exit_code == 0 and "a text control has neither a tag nor a title" in text
    assert "unit:" in text


@pytest.mark.parametrize("text, name", [
    ("FullTime", "full_time"), ("Full name", "full_name"), ("2nd-visit", "field_2nd_visit"),
    ("ชื่อโรงเรียน", ""), ("Text1", "text1"),
])
def test_slug(text: str, name: str) -> None:
    assert slug(text) == name


_ENV = ImmutableSandboxedEnvironment(autoescape=False)


@pytest.mark.parametrize("picture, lid, calendar, iso, shown", [
    ("d/M/yyyy", "en-GB", "gregorian", "2024-03-05", "5/3/2024"),
    ("dd/MM/yy", "en-US", "", "2024-03-05", "05/03/24"),
    ("dd MMMM yyyy", "en-GB", "", "2023-11-30", "30 November 2023"),
    ("d MMM yyyy", "en-US", "", "2023-01-09", "9 Jan 2023"),
    ("d MMMM yyyy", "th-TH", "thai", "2023-11-30", "30 พฤศจิกายน 2566"),
    ("d MMM yy", "th-TH", "thai", "2024-02-01", "1 ก.พ. 67"),
    ("'Day' d 'of' M", "en-US", "", "2024-12-25", "Day 25 of 12"),
    ("dddd, MMMM d, yyyy", "en-US", "", "2024-12-25", "2024-12-25"),  # a weekday: the ISO date
])
def test_date_formats(picture: str, lid: str, calendar: str, iso: str, shown: str) -> None:
    expr = date_expression(picture, "v", lid, calendar)
    assert _ENV.from_string("{{ " + expr + " }}").render(v=iso) == shown


def test_a_grid_of_repeating_rows_and_a_cell_control(tmp_path: Path) -> None:
    (tmp_path / "grid.docx").write_bytes(cd.table_form_docx())
    result = run("learn", str(tmp_path / "grid.docx"), "--id", "grid", "-o", str(tmp_path / "grid"))
    assert result.exit_code == 0, result.output
    fields = yaml.safe_load((tmp_path / "grid" / "form.yaml").read_text("utf-8"))["fields"]
    assert fields["courses"]["control"] == "repeating"
    assert set(fields["courses"]["fields"]) == {"course", "finished", "passed"}
    assert fields["remark"]["control"] == "richtext"
    assert [f["kind"] for f in fields.values()] == ["control", "control", "header"]  # no "Remark" value beside it
    result = run("check", str(tmp_path / "grid"), "--roundtrip", "10")
    assert result.exit_code == 0 and "10 of 10 generated records came back unchanged" in result.output, result.output


def test_bulk_rows_fill_controls_and_a_row_off_the_list_fails_alone(learned: Path, tmp_path: Path) -> None:
    from formkit.read.parse import parse_file

    (tmp_path / "rows.csv").write_text(
        "full_name,agree,start_date,members.1.member_name,members.1.position,members.2.member_name,grade,shift\n"
        "Ann,x,2024-01-31,Bob,Teacher,Cat,Fair,Night\n"
        "Ben,,,,,,Superb,\n", "utf-8")
    result = CliRunner().invoke(main, ["bulk", str(learned), str(tmp_path / "rows.csv"), "-o", str(tmp_path / "out"),
                                       "--name", "{full_name}.docx", "--jobs", "1"])
    assert result.exit_code == 1
    assert "row 3: grade: 'Superb' is not in the dropdown list (allowed: 'Excellent', 'Good', 'Fair')" in result.output
    filled = parse_file((tmp_path / "out" / "Ann.docx").read_bytes(), "Ann.docx", str(learned))
    record = filled.record or {}
    assert record["agree"] is True and record["start_date"] == "2024-01-31" and record["shift"] == "Night"
    assert record["members"] == [{"member_name": "Bob", "position": "Teacher"}, {"member_name": "Cat", "position": ""}]
    assert not (tmp_path / "out" / "Ben.docx").exists()
