"""formkit.read.recognize: recognition that survives what offices delete
(a form recognised from what remains, with a warning naming what is
missing), and only against the forms in play: a broken definition beside
them is left out and named once, never breaking another form."""
from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from formkit import forms
from formkit.cli import main
from formkit.errors import FormkitError
from formkit.read.parse import parse_file
from formkit.read.recognize import recognize_key
from tests.conftest import ROOT
from tests.docxbuild import make_docx, p, r

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S31 = ROOT / "samples" / "esao-3-1"
S12 = ROOT / "samples" / "esao-1-2"


def edited(data: bytes, edit: Callable[[etree._Element], None]) -> bytes:
    """``data`` (a .docx) with ``edit`` applied to its body."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(zin.read("word/document.xml"))
    body = root.find(f"{W}body")
    assert body is not None
    edit(body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, etree.tostring(root) if info.filename == "word/document.xml" else zin.read(info))
    return out.getvalue()


def without(data: bytes, keep: Callable[[int, etree._Element], bool]) -> bytes:
    """``data`` with the body's blocks for which ``keep`` is false removed."""
    def edit(body: etree._Element) -> None:
        for n, el in enumerate(list(body)):
            if el.tag != f"{W}sectPr" and not keep(n, el):
                body.remove(el)
    return edited(data, edit)


def without_attachment(data: bytes) -> bytes:
    """An esao-3-1 return as an office with no best-practice work sends it:
    everything from the paragraph "เอกสารแนบ" on deleted."""
    body = list(etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find(f"{W}body"))
    start = next(n for n, el in enumerate(body) if el.tag == f"{W}p" and "".join(el.itertext()).strip() == "เอกสารแนบ")
    return without(data, lambda n, el: n < start)


@pytest.mark.parametrize("sample", ["three-works.docx", "blank.docx", "libreoffice.docx"])
def test_esao_3_1_without_its_attachment_is_recognised_with_a_warning(sample: str, tmp_path: Path) -> None:
    whole = parse_file(S31 / sample)
    doc = tmp_path / "returned.docx"
    doc.write_bytes(without_attachment((S31 / sample).read_bytes()))
    result = parse_file(doc)
    assert result.error is None and result.form == "esao-3-1"
    assert result.record is not None and whole.record is not None
    assert result.record["level"] == whole.record["level"] and result.record["evidence"] == whole.record["evidence"]
    assert result.record["works"] == []
    incomplete = [w for w in result.warnings if w.code == "form-incomplete"]
    assert len(incomplete) == 1
    assert "ผลงานชิ้นที่" in incomplete[0].message and "ตัวอย่างภาพกิจกรรม" in incomplete[0].message
    assert "มาตรฐานที่ 3" not in incomplete[0].message  # what was found is not named missing
    assert result.recognition is not None and result.recognition.partial is not None


def test_the_whole_form_carries_no_such_warning() -> None:
    result = parse_file(S31 / "three-works.docx")
    assert result.form == "esao-3-1" and all(w.code != "form-incomplete" for w in result.warnings)


def test_parse_with_form_takes_a_form_recognised_from_what_remains(tmp_path: Path) -> None:
    doc = tmp_path / "returned.docx"
    doc.write_bytes(without_attachment((S31 / "three-works.docx").read_bytes()))
    assert parse_file(doc, form="esao-3-1").form == "esao-3-1"
    assert parse_file(doc, form="esao-1-2").error.code == "form-mismatch"  # type: ignore[union-attr]


def test_esao_1_2_with_its_sections_removed_is_still_recognised(tmp_path: Path) -> None:
    """Title, definitions, guidelines and notes deleted, and the three
    answer sections taken out of the quality table's third column: the
    table, its level column and the evidence remain (2 of 6 phrases)."""
    data = (S12 / "over-dots.docx").read_bytes()

    def edit(body: etree._Element) -> None:
        for el in list(body):
            if el.tag not in (f"{W}tbl", f"{W}sectPr"):
                body.remove(el)
        sections = body.find(f"{W}tbl").findall(f"{W}tr")[1].findall(f"{W}tc")[2]
        for par in sections.findall(f"{W}p"):
            sections.remove(par)
        etree.SubElement(sections, f"{W}p")

    doc = tmp_path / "returned.docx"
    doc.write_bytes(edited(data, edit))
    result = parse_file(doc)
    assert result.error is None and result.form == "esao-1-2"
    whole = parse_file(S12 / "over-dots.docx").record
    assert result.record is not None and whole is not None
    assert result.record["level"] == whole["level"] and result.record["evidence"] == whole["evidence"]
    assert result.record["process"] == "" and result.record["other_evidence"] == whole["other_evidence"]
    incomplete = [w.message for w in result.warnings if w.code == "form-incomplete"]
    assert len(incomplete) == 1 and "2 of 6 recognition phrases" in incomplete[0]
    assert "2. ปัญหา อุปสรรค" in incomplete[0] and "แนวทางการพิจารณา" in incomplete[0]


def test_what_remains_must_hold_the_quality_table_and_a_phrase(tmp_path: Path) -> None:
    title = "มาตรฐานที่ 3 สัมฤทธิผลการบริหารและการจัดการศึกษา"
    only_title = make_docx(p(r(title)) + p(r("เอกสารที่ต้องนำส่งในระบบ")))
    assert parse_file(only_title).error.code == "unknown-form"  # type: ignore[union-attr]
    data = (S31 / "blank.docx").read_bytes()
    body = list(etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find(f"{W}body"))
    table = next(n for n, el in enumerate(body) if el.tag == f"{W}tbl")
    only_table = without(data, lambda n, el: n == table)  # the table both ESAO forms share, no title
    assert parse_file(only_table).error.code == "unknown-form"  # type: ignore[union-attr]


def test_two_forms_placed_equally_from_what_remains_are_no_recognition() -> None:
    form = forms.load("esao-3-1")
    twin = form._replace(id="twin")
    key = "".join(["มาตรฐานที่3สัมฤทธิผลการบริหารและการจัดการศึกษา", "ระดับคุณภาพ", "คำอธิบายระดับคุณภาพ",
                   "เอกสาร/หลักฐานอ้างอิง", "เอกสารที่ต้องนำส่งในระบบ"])
    from formkit.text import match_key

    key = match_key(key)
    assert recognize_key(key, [form]).partial is not None
    with pytest.raises(FormkitError) as info:
        recognize_key(key, [form, twin])
    assert info.value.code == "unknown-form"


# ---- broken definitions beside the forms in play ---------------------------------------

def _office(tmp_path: Path) -> Path:
    """A forms folder with a good learned copy of esao-1-2 and a broken sibling."""
    office = tmp_path / "office"
    good = office / "office-a"
    shutil.copytree(ROOT / "forms" / "esao-1-2", good)
    (good / "form.yaml").write_text((good / "form.yaml").read_text("utf-8").replace("id: esao-1-2", "id: office-a", 1),
                                    "utf-8")
    bad = office / "broken-one"
    bad.mkdir()
    (bad / "form.yaml").write_text("id: broken-one\nfields:\n  x:\n    kind: votes\n", "utf-8")
    return office


def test_a_broken_sibling_is_left_out_and_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMKIT_FORMS", str(_office(tmp_path)))
    assert [f.id for f in forms.load_all()] == ["esao-1-2", "esao-3-1", "office-a"]
    problems = forms.broken()
    assert len(problems) == 1 and "broken-one" in problems[0].message and problems[0].code == "bad-form-definition"
    with pytest.raises(FormkitError) as info:
        forms.load("broken-one")
    assert info.value.code == "bad-form-definition"


def test_a_broken_sibling_never_breaks_fill_or_parse_of_another_form(tmp_path: Path) -> None:
    env = {"FORMKIT_FORMS": str(_office(tmp_path))}
    out = tmp_path / "filled.docx"
    runner = CliRunner()
    filled = runner.invoke(main, ["fill", "esao-3-1", str(S31 / "record-1.json"), "-o", str(out)], env=env)
    assert filled.exit_code == 0, filled.output
    assert filled.stderr.count("broken-one") == 1 and "bad-form-definition" in filled.stderr
    parsed = runner.invoke(main, ["parse", str(out)], env=env)
    assert parsed.exit_code == 0, parsed.output
    assert json.loads(parsed.stdout)["form"] == "esao-3-1"
    assert parsed.stderr.count("broken-one") == 1
    listed = runner.invoke(main, ["forms"], env=env)
    assert listed.exit_code == 0 and "office-a" in listed.stdout and "broken-one" not in listed.stdout
    own = runner.invoke(main, ["fill", "broken-one", str(S31 / "record-1.json"), "-o", str(tmp_path / "x.docx")], env=env)
    assert own.exit_code == 2 and "votes" in own.output  # the broken form itself says what is wrong


def test_no_notice_without_a_broken_definition() -> None:
    env = {k: v for k, v in os.environ.items() if k != "FORMKIT_FORMS"}
    result = CliRunner().invoke(main, ["forms"], env={**env, "FORMKIT_FORMS": ""})
    assert result.exit_code == 0 and "warning" not in result.stderr
