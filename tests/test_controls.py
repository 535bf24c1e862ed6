"""Word's form controls as fields: reading them (formkit.docx.controls), the
``control`` kind of a definition (formkit.forms.controls), locating
(formkit.locate.controls), and filling each type then parsing it back
(formkit.fill.controls), on documents in the XML Word 2016+ writes
(tests/controlsdoc.py)."""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from formkit import forms
from formkit.docx.model import Control
from formkit.docx.package import open_package
from formkit.docx.reader import read_document
from formkit.errors import FormkitError
from formkit.fill.filler import Filler
from formkit.fill.records import validate
from formkit.read.parse import parse_file
from tests import controlsdoc as cd
from tests.docxbuild import make_docx

FORM_YAML = """\
id: staff-controls
title: Staff record
original: original.docx
recognize:
  phrases: ["Staff Record"]
fields:
  full_name: {kind: control, control: text, tag: full_name}
  notes: {kind: control, control: richtext, alias: Notes}
  start_date: {kind: control, control: date, tag: start_date}
  report_date: {kind: control, control: date, tag: report_date}
  grade: {kind: control, control: dropdown, tag: grade, choices: [Excellent, Good, Fair]}
  unit: {kind: control, control: combobox, tag: unit, choices: [Primary, Secondary]}
  agree: {kind: control, control: checkbox, tag: agree}
  trained: {kind: control, control: checkbox, tag: trained}
  photo: {kind: control, control: picture, tag: photo}
  members:
    kind: control
    control: repeating
    tag: members
    fields:
      name: {kind: control, control: text, tag: member_name}
      position: {kind: control, control: text, alias: Position}
  bound_name: {kind: control, control: text, tag: bound_name}
  bound_start: {kind: control, control: date, tag: bound_start}
  office: {kind: control, control: formtext, bookmark: Office}
  phone: {kind: control, control: formtext, bookmark: Phone}
  full_time: {kind: control, control: formcheckbox, bookmark: FullTime}
  part_time: {kind: control, control: formcheckbox, bookmark: PartTime}
  shift: {kind: control, control: formdropdown, bookmark: Shift, choices: [Morning, Afternoon, Night]}
"""

RECORD: dict[str, Any] = {
    "full_name": "สมชาย ใจดี & <Co> {{ 7*7 }}", "notes": "ทำงาน \"ดี\" ๆ", "start_date": "2024-03-05",
    "report_date": "2023-11-30", "grade": "Good", "unit": "Tertiary (typed)", "agree": True, "trained": False,
    "members": [{"name": "Ann", "position": "Teacher"}, {"name": "", "position": ""}, {"name": "Bob", "position": ""}],
    "bound_name": "Bound Person", "bound_start": "2022-01-02", "office": "สพป. ทดสอบ", "phone": "02-123-4567",
    "full_time": True, "part_time": False, "shift": "Night",
}
BLANK: dict[str, Any] = {
    "full_name": "", "notes": "", "start_date": "", "report_date": "", "grade": "", "unit": "", "agree": False,
    "trained": True, "photo": None, "members": [], "bound_name": "", "bound_start": "", "office": "", "phone": "",
    "full_time": False, "part_time": True, "shift": "Morning",
}


@pytest.fixture(scope="module")
def form_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("controls") / "staff-controls"
    folder.mkdir()
    (folder / "form.yaml").write_text(FORM_YAML, "utf-8")
    (folder / "original.docx").write_bytes(cd.form_docx())
    return folder


def _controls(data: bytes) -> tuple[Control, ...]:
    with open_package(data, "t.docx") as pkg:
        return read_document(pkg).controls


def _filled(form_dir: Path, record: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
    form = forms.load_path(form_dir)
    filler = Filler(form)
    buf = io.BytesIO()
    canon = filler.render(validate(form, record), buf)
    return buf.getvalue(), canon


def _parsed(form_dir: Path, data: bytes) -> dict[str, Any]:
    result = parse_file(data, "filled.docx", str(form_dir))
    assert result.error is None, result.error
    return result.record or {}


def _document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("word/document.xml").decode("utf-8")


def _sdt(xml: str, tag: str) -> etree._Element:
    root = etree.fromstring(xml.encode("utf-8"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    found = root.xpath(f"//w:sdt[w:sdtPr/w:tag/@w:val='{tag}']", namespaces=ns)
    assert len(found) == 1, f"{len(found)} controls tagged {tag}"
    return found[0]


# -- reading ----------------------------------------------------------------------------

def test_every_control_of_the_blank_form_is_read_with_its_type_and_name() -> None:
    got = {(c.type, c.tag or c.bookmark) for c in _controls(cd.form_docx())}
    assert got == {
        ("text", "full_name"), ("richtext", "notes"), ("date", "start_date"), ("date", "report_date"),
        ("dropdown", "grade"), ("combobox", "unit"), ("checkbox", "agree"), ("checkbox", "trained"),
        ("picture", "photo"), ("repeating", "members"), ("text", "bound_name"), ("date", "bound_start"),
        ("formtext", "Office"), ("formtext", "Phone"), ("formcheckbox", "FullTime"),
        ("formcheckbox", "PartTime"), ("formdropdown", "Shift"),
    }


def test_placeholders_and_legacy_defaults_are_blanks() -> None:
    by_name = {c.tag or c.bookmark: c for c in _controls(cd.form_docx())}
    for name in ("full_name", "notes", "start_date", "grade", "unit", "Office", "Phone"):
        assert by_name[name].text == "" and by_name[name].placeholder, name
    assert by_name["trained"].checked and not by_name["agree"].checked
    assert by_name["PartTime"].checked and not by_name["FullTime"].checked  # w:default
    assert by_name["Shift"].text == "Morning"  # no w:result: the first entry
    assert by_name["grade"].items[1:] == (("Excellent", "Excellent"), ("Good", "Good"), ("Fair", "Fair"))
    assert by_name["start_date"].date_format == "d/M/yyyy"
    assert by_name["bound_name"].bound and not by_name["full_name"].bound
    assert [[c.tag for c in item] for item in by_name["members"].repeats] == [["member_name", "position"]]
    assert by_name["Phone"].before == "Phone: " and by_name["PartTime"].before == " Part time "


def test_placeholder_text_is_not_read_as_document_text() -> None:
    data = make_docx(cd.para("Full name: ", cd.plain_text("Full name", "n")))
    with open_package(data, "t.docx") as pkg:
        doc = read_document(pkg)
    assert "Click" not in doc.body[0].text  # type: ignore[union-attr]


@pytest.mark.parametrize("xml, expected", [
    ('<w:sdt><w:sdtPr><w:tag w:val="d"/><w:date w:fullDate="2024-02-29T00:00:00Z"><w:dateFormat w:val="d/M/yyyy"/>'
     '</w:date></w:sdtPr><w:sdtContent><w:r><w:t>29/2/2024</w:t></w:r></w:sdtContent></w:sdt>',
     {"type": "date", "date": "2024-02-29", "text": "29/2/2024", "placeholder": False}),
    ('<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Dd"/><w:ddList><w:result w:val="2"/>'
     '<w:default w:val="1"/><w:listEntry w:val="a"/><w:listEntry w:val="b"/><w:listEntry w:val="c"/></w:ddList>'
     '</w:ffData></w:fldChar></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
     {"type": "formdropdown", "text": "c"}),
    ('<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Dd"/><w:ddList><w:default w:val="1"/>'
     '<w:listEntry w:val="a"/><w:listEntry w:val="b"/></w:ddList></w:ffData></w:fldChar></w:r>'
     '<w:r><w:fldChar w:fldCharType="end"/></w:r>', {"type": "formdropdown", "text": "b"}),
    ('<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="C"/><w:checkBox><w:default w:val="1"/>'
     '<w:checked w:val="0"/></w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
     {"type": "formcheckbox", "checked": False}),
    ('<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="T"/><w:textInput/></w:ffData></w:fldChar>'
     '</w:r><w:r><w:instrText> FORMTEXT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
     '<w:r><w:t>typed</w:t></w:r><w:r><w:t xml:space="preserve"> here</w:t></w:r>'
     '<w:r><w:fldChar w:fldCharType="end"/></w:r>', {"type": "formtext", "text": "typed here"}),
    ('<w:sdt><w:sdtPr><w:tag w:val="x"/><w:placeholder><w:docPart w:val="D"/></w:placeholder><w:text/></w:sdtPr>'
     '<w:sdtContent><w:r><w:t>Click or tap here to enter text.</w:t></w:r></w:sdtContent></w:sdt>',
     {"type": "text", "text": "", "placeholder": True}),
])
def test_control_snippets(xml: str, expected: dict[str, Any]) -> None:
    (control,) = _controls(make_docx(f"<w:p>{xml}</w:p>"))
    assert {k: getattr(control, k) for k in expected} == expected


def test_a_rich_text_control_around_other_controls_is_not_a_field() -> None:
    inner = cd.para(cd.plain_text("Inner", "inner"))
    xml = ('<w:sdt><w:sdtPr><w:tag w:val="group"/></w:sdtPr><w:sdtContent>' + inner + "</w:sdtContent></w:sdt>")
    assert [c.tag for c in _controls(make_docx(xml))] == ["inner"]


# -- definitions --------------------------------------------------------------------------

@pytest.mark.parametrize("spec, message", [
    ("{kind: control, control: slider, tag: a}", "is not one of"),
    ("{kind: control, control: text}", "exactly one of tag, alias or bookmark"),
    ("{kind: control, control: text, tag: a, alias: b}", "exactly one of tag, alias or bookmark"),
    ("{kind: control, control: dropdown, tag: a}", "needs its choices"),
    ("{kind: control, control: repeating, tag: a, fields: {x: {kind: value, label: L}}}", "are controls"),
    ("{kind: control, control: text, tag: a, fields: {x: {kind: control, control: text, tag: b}}}",
     "only a repeating section has fields"),
])
def test_bad_control_definitions_are_refused(tmp_path: Path, spec: str, message: str) -> None:
    (tmp_path / "form.yaml").write_text(f"id: t\nfields:\n  a: {spec}\n", "utf-8")
    with pytest.raises(FormkitError) as err:
        forms.load_path(tmp_path)
    assert err.value.code == "bad-form-definition" and message in str(err.value)


def test_a_control_that_is_not_there_is_field_not_found(form_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "form.yaml").write_text(FORM_YAML.replace("tag: grade", "tag: no_such"), "utf-8")
    (folder / "original.docx").write_bytes(cd.form_docx())
    result = parse_file(cd.form_docx(), "blank.docx", str(folder))
    assert [w.code for w in result.warnings] == ["field-not-found"]
    assert "grade" in result.warnings[0].message and "no_such" in result.warnings[0].message


# -- fill and parse -----------------------------------------------------------------------

def test_the_blank_form_parses_to_blanks(form_dir: Path) -> None:
    assert _parsed(form_dir, cd.form_docx()) == BLANK


def test_every_control_type_round_trips(form_dir: Path) -> None:
    data, canon = _filled(form_dir, RECORD)
    got = _parsed(form_dir, data)
    assert got == canon
    assert got["members"] == [{"name": "Ann", "position": "Teacher"}, {"name": "Bob", "position": ""}]
    assert got["full_name"] == RECORD["full_name"] and got["unit"] == "Tertiary (typed)"
    assert got["trained"] is False and got["part_time"] is False  # pre-ticked boxes unticked


def test_an_empty_record_keeps_the_blank_form(form_dir: Path) -> None:
    data, canon = _filled(form_dir, {})
    assert canon == BLANK | {"trained": False, "part_time": False}  # a box left out is unticked
    assert _parsed(form_dir, data) == canon
    xml = _document_xml(data)
    assert xml.count("Click or tap here to enter text.") == 5  # the placeholders stay, as Word shows them
    assert _sdt(xml, "full_name").find(".//{*}showingPlcHdr") is not None


def test_fill_clears_the_placeholder_and_writes_the_controls_properties(form_dir: Path) -> None:
    xml = _document_xml(_filled(form_dir, RECORD)[0])
    name = _sdt(xml, "full_name")
    assert name.find(".//{*}showingPlcHdr") is None
    runs = name.findall("{*}sdtContent/{*}r")
    assert len(runs) == 1 and runs[0].findtext("{*}t") == RECORD["full_name"]
    fonts = runs[0].find("{*}rPr/{*}rFonts")
    assert fonts is not None and fonts.get(f"{{{cd.NAMESPACES_W}}}cs") == "TH SarabunPSK"
    assert runs[0].find("{*}rPr/{*}rStyle") is None  # not in the PlaceholderText style
    assert "{{ 7*7 }}" in xml and ">49<" not in xml  # the record's template syntax is text


def test_dates_are_written_in_the_controls_format(form_dir: Path) -> None:
    xml = _document_xml(_filled(form_dir, RECORD)[0])
    start, report = _sdt(xml, "start_date"), _sdt(xml, "report_date")
    assert start.find(".//{*}date").get(f"{{{cd.NAMESPACES_W}}}fullDate") == "2024-03-05T00:00:00Z"
    assert start.findtext(".//{*}sdtContent//{*}t") == "5/3/2024"
    assert report.findtext(".//{*}sdtContent//{*}t") == "30 November 2023"


def test_check_boxes_show_their_declared_glyphs(form_dir: Path) -> None:
    xml = _document_xml(_filled(form_dir, {"agree": True, "trained": True})[0])
    w14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
    agree, trained = _sdt(xml, "agree"), _sdt(xml, "trained")
    assert agree.find(f".//{w14}checked").get(f"{w14}val") == "1"
    assert agree.findtext(".//{*}sdtContent//{*}t") == "☒"
    assert trained.findtext(".//{*}sdtContent//{*}t") == "\uf0fe"  # Wingdings 0xFE, as declared
    fonts = trained.find(".//{*}sdtContent//{*}rFonts")
    assert fonts is not None and fonts.get(f"{{{cd.NAMESPACES_W}}}ascii") == "Wingdings"
    xml = _document_xml(_filled(form_dir, {"trained": False})[0])
    assert _sdt(xml, "trained").findtext(".//{*}sdtContent//{*}t") == "\uf0a8"


def test_legacy_fields_are_changed(form_dir: Path) -> None:
    xml = _document_xml(_filled(form_dir, RECORD)[0])
    assert re.search(r'<w:name w:val="FullTime"/>.*?<w:checked w:val="1"/>', xml)
    assert re.search(r'<w:name w:val="PartTime"/>.*?<w:default w:val="1"/><w:checked w:val="0"/>', xml)
    assert re.search(r'<w:name w:val="Shift"/>.*?<w:ddList><w:result w:val="2"/>', xml)
    assert ">02-123-4567<" in xml and ">0-0000-0000<" not in xml


def test_a_bound_control_writes_its_custom_xml_part(form_dir: Path) -> None:
    data, _ = _filled(form_dir, RECORD)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        item = etree.fromstring(zf.read("customXml/item1.xml"))
    ns = {"s": cd.CUSTOM_NS}
    assert item.findtext("s:name", namespaces=ns) == "Bound Person"
    assert item.findtext("s:started", namespaces=ns) == "2022-01-02T00:00:00"
    assert item.findtext("s:member", namespaces=ns) == "false"  # not bound: untouched


def test_a_value_not_in_a_dropdown_is_a_row_error_naming_the_list(form_dir: Path) -> None:
    form = forms.load_path(form_dir)
    with pytest.raises(FormkitError) as err:
        validate(form, {"grade": "Superb", "shift": "Evening", "start_date": "2024-02-30", "agree": "yes"})
    text = str(err.value)
    assert "'Superb' is not in the dropdown list (allowed: 'Excellent', 'Good', 'Fair')" in text
    assert "'Evening' is not in the formdropdown list (allowed: 'Morning', 'Afternoon', 'Night')" in text
    assert "start_date" in text and "year-month-day" in text and "expected true or false" in text


def test_list_entries_holding_template_syntax_stay_text(tmp_path: Path) -> None:
    entries = ["{{ 7*7 }}", "{% raw %}'\"", "ก & ข"]
    body = cd.para("Pick: ", cd.formdropdown("Pick", entries)) + cd.para(
        "Tag: ", cd.dropdown("{{x}}", "t{{y}}", entries[2:]))
    (tmp_path / "original.docx").write_bytes(make_docx(body))
    (tmp_path / "form.yaml").write_text(
        "id: t\nfields:\n  pick: {kind: control, control: formdropdown, bookmark: Pick, choices: "
        + json.dumps(entries) + "}\n  tagged: {kind: control, control: dropdown, tag: 't{{y}}', choices: ['ก & ข']}\n",
        "utf-8")
    for entry in entries:
        data, canon = _filled(tmp_path, {"pick": entry, "tagged": "ก & ข"})
        assert _parsed(tmp_path, data) == canon == {"pick": entry, "tagged": "ก & ข"}


def test_schemas_describe_control_values(form_dir: Path) -> None:
    from formkit.fill.schema import fill_schema
    from formkit.forms.schema import form_schema

    form = forms.load_path(form_dir)
    parse_props = form_schema(form)["properties"]
    assert parse_props["grade"]["enum"] == ["Excellent", "Good", "Fair", ""]
    assert parse_props["agree"]["type"] == "boolean"
    assert parse_props["members"]["items"]["required"] == ["name", "position"]
    fill_props = fill_schema(form)["properties"]
    assert {"type": "null"} in fill_props["shift"]["anyOf"]
    assert fill_props["start_date"]["anyOf"][0]["pattern"].startswith("^([0-9]{4}-")


def test_a_picture_control_takes_the_records_photo_fitted_to_its_frame(form_dir: Path, tmp_path: Path) -> None:
    from formkit.learn.roundtrip import png

    (tmp_path / "wide.png").write_bytes(png(90, 40, 30))
    form = forms.load_path(form_dir)
    buf = io.BytesIO()
    canon = Filler(form).render(validate(form, {"photo": "wide.png"}, tmp_path), buf)
    assert canon["photo"]["media_type"] == "image/png" and len(canon["photo"]["sha256"]) == 64
    assert _parsed(form_dir, buf.getvalue())["photo"] == canon["photo"]
    photo = _sdt(_document_xml(buf.getvalue()), "photo")
    assert photo.find(".//{*}showingPlcHdr") is None
    extent = photo.find(".//{*}extent")
    assert extent is not None and (extent.get("cx"), extent.get("cy")) == ("1905000", "1428750")  # 4:3 in 2"x2"
    with pytest.raises(FormkitError, match="photo"):
        validate(form, {"photo": "missing.png"}, tmp_path)


def test_a_control_around_a_cell_keeps_the_grid() -> None:
    from formkit.docx.model import Table

    with open_package(cd.table_form_docx(), "grid.docx") as pkg:
        doc = read_document(pkg)
    table = doc.body[1]
    assert isinstance(table, Table)
    assert [len(row.cells) for row in table.rows] == [3, 3, 3]  # header, the repeated row, the remark row
    assert [c.col for c in table.rows[2].cells] == [0, 1, 2]
    remark = next(c for c in doc.controls if c.tag == "remark")
    assert remark.placeholder and remark.text == ""


def test_an_office_copy_holding_answers_in_controls_is_filled_over(tmp_path: Path) -> None:
    typed = cd.formtext("Office").replace("<w:t>\u2002</w:t>", "<w:t>old</w:t>")
    body = (cd.para("Office: ", typed) + cd.para("Agree: ", cd.checkbox("Agree", "agree", checked=True))
            + cd.para("Name: ", '<w:sdt><w:sdtPr><w:tag w:val="name"/><w:text/></w:sdtPr><w:sdtContent><w:r>'
                      "<w:t>Old Name</w:t></w:r></w:sdtContent></w:sdt>"))
    (tmp_path / "original.docx").write_bytes(make_docx(body))
    (tmp_path / "form.yaml").write_text(
        "id: t\nfields:\n  office: {kind: control, control: formtext, bookmark: Office}\n"
        "  agree: {kind: control, control: checkbox, tag: agree}\n"
        "  name: {kind: control, control: text, tag: name}\n", "utf-8")
    assert _parsed(tmp_path, (tmp_path / "original.docx").read_bytes()) == {
        "office": "oldoldoldoldold", "agree": True, "name": "Old Name"}
    data, canon = _filled(tmp_path, {})
    assert _parsed(tmp_path, data) == canon == {"office": "", "agree": False, "name": ""}
    data, canon = _filled(tmp_path, {"office": "New", "name": "New Name"})
    assert _parsed(tmp_path, data) == canon == {"office": "New", "agree": False, "name": "New Name"}


def test_a_definition_naming_a_control_of_another_kind_finds_none(tmp_path: Path) -> None:
    body = cd.para("Office: ", cd.formtext("Office")) + cd.para("Agree: ", cd.checkbox("Agree", "agree"))
    (tmp_path / "original.docx").write_bytes(make_docx(body))
    (tmp_path / "form.yaml").write_text(
        "id: t\nfields:\n  office: {kind: control, control: formcheckbox, bookmark: Office}\n"
        "  agree: {kind: control, control: text, tag: agree}\n", "utf-8")
    form = forms.load_path(tmp_path)
    filler = Filler(form)
    assert len(filler.template.notes) == 2 and "no legacy formcheckbox field named 'Office'" in filler.template.notes[0]
    buf = io.BytesIO()
    filler.render({"office": True, "agree": "x"}, buf)
    result = parse_file(buf.getvalue(), "t.docx", str(tmp_path))
    assert result.record == {"office": False, "agree": ""}
    assert [w.code for w in result.warnings] == ["field-not-found", "field-not-found"]


def test_repeat_items_are_the_outermost_items_in_any_nest() -> None:
    """Each item not inside another, in document order, as walking up from
    every control would find them (without the walk: a hostile nest made it
    quadratic)."""
    import random

    from formkit.docx import controls as cx

    def naive(content: etree._Element) -> list[etree._Element]:
        items = [s for s in content.iter(cx.SDT) if s.find(f"{cx.SDT_PR}/{cx.REPEATING_ITEM}") is not None]
        return [s for s in items if not any(a in items for a in s.iterancestors(cx.SDT))]

    rng = random.Random(11)
    for _ in range(40):
        content = etree.Element(cx.SDT_CONTENT)
        nodes = [content]
        for _ in range(120):
            sdt = etree.SubElement(rng.choice(nodes[-10:]), cx.SDT)
            props = etree.SubElement(sdt, cx.SDT_PR)
            if rng.random() < 0.4:
                etree.SubElement(props, cx.REPEATING_ITEM)
            nodes.append(etree.SubElement(sdt, cx.SDT_CONTENT))
        found = cx.repeat_items(content)
        assert found == naive(content) and len(found) >= 1
