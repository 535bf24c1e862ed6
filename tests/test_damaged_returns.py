"""Returns damaged by the program that saved them, read right or flagged:
struck-through text and ticks (formkit/docx/strike.py, formkit/read/doubts.py),
boxes whose symbol font name is gone, and marks or box letters left where
the box glyphs were dropped (formkit/docx/glyphs.py, checkboxes.py)."""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import pytest

import formkit
from formkit.docx.model import Checkbox, Paragraph, Symbol, Text
from formkit.read.parse import parse_file, read_model
from tests.docxbuild import make_docx, p, r

RECORD = {"level": 3, "problems": "ระบบล่ม", "suggestions": "ควรปรับปรุง", "office": "สพป.เชียงใหม่ เขต 1",
          "evidence": {"km_plan": True}}
STRIKE = "<w:strike/>"
_RUN_PROPS = '<w:rPr><w:rFonts w:ascii="TH SarabunPSK" w:hAnsi="TH SarabunPSK" w:cs="TH SarabunPSK"/>'


def _with_document(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """The .docx ``data`` with its word/document.xml replaced by ``change(part)``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            body = src.read(name)
            dst.writestr(name, change(body) if name == "word/document.xml" else body)
    return out.getvalue()


def _edited(edit: Callable[[str], str]) -> bytes:
    """RECORD filled into esao-1-2, its document part changed by ``edit``."""
    def change(body: bytes) -> bytes:
        text = body.decode("utf-8")
        changed = edit(text)
        assert changed != text, "the edit found nothing to change"
        return changed.encode("utf-8")

    return _with_document(formkit.fill_bytes("esao-1-2", RECORD), change)


def _parse(data: bytes) -> tuple[dict, dict[str, list[str]]]:
    got = parse_file(data, "returned.docx")
    assert got.error is None and got.record is not None
    codes: dict[str, list[str]] = {}
    for w in got.warnings:
        codes.setdefault(w.code, []).append(w.message)
    return got.record, codes


def test_struck_words_typed_in_an_answer_are_left_out_with_a_warning() -> None:
    def edit(xml: str) -> str:
        return xml.replace("ระบบล่ม</w:t></w:r>", "ระบบล่ม</w:t></w:r>"
                           f"<w:r>{_RUN_PROPS}{STRIKE}<w:color w:val=\"FF0000\"/></w:rPr>"
                           '<w:t xml:space="preserve"> และไฟดับบ่อย</w:t></w:r>', 1)

    record, codes = _parse(_edited(edit))
    assert record["problems"] == "ระบบล่ม"
    assert codes["struck-text"] == ["problems: struck-through text left out of the answer: 'และไฟดับบ่อย'"]
    assert record["suggestions"] == "ควรปรับปรุง" and record["level"] == 3


def _strike_run_of(text: str) -> Callable[[str], str]:
    """An edit striking through the run that holds ``text`` (its w:rPr gains w:strike)."""
    def edit(xml: str) -> str:
        run_start = xml.rindex("<w:rPr>", 0, xml.index(text))
        return xml[:run_start] + "<w:rPr>" + STRIKE + xml[run_start + len("<w:rPr>"):]

    return edit


def test_printed_text_struck_out_stays_as_it_is() -> None:
    record, codes = _parse(_edited(_strike_run_of("ปัญหา อุปสรรค")))
    clean, _ = _parse(formkit.fill_bytes("esao-1-2", RECORD))
    assert record == clean
    assert "struck-text" not in codes


def test_a_struck_tick_is_not_a_tick() -> None:
    record, codes = _parse(_edited(_strike_run_of('<w:sym w:font="Wingdings 2" w:char="F052"/>')))
    assert record["level"] is None  # the only ticked level was struck through
    assert len(codes["struck-box"]) == 1 and "☑" in codes["struck-box"][0]


def test_a_struck_box_beside_its_replacement_is_gone() -> None:
    # Calligra's tracked change of a box: the old one struck, the new one inserted
    body = p(r("☐", props=STRIKE), r("☑"), r(" แผนปฏิบัติการ"))
    par = read_model(make_docx(body), "t.docx").body[0]
    assert isinstance(par, Paragraph)
    boxes = [i for i in par.inlines if isinstance(i, Checkbox)]
    assert [b.checked for b in boxes] == [True]
    # a struck typed mark ticks nothing
    par = read_model(make_docx(p(r("☐ "), r("X", props=STRIKE), r(" แผน"))), "t.docx").body[0]
    assert isinstance(par, Paragraph)
    assert [b.checked for b in par.inlines if isinstance(b, Checkbox)] == [False]


@pytest.mark.parametrize(("char", "checked"), [("\uf052", True), ("\uf054", True), ("\uf0a3", False),
                                                ("\uf0fe", True), ("\uf06f", False), ("\uf0a8", False),
                                                ("\uf078", True), ("\uf072", False)])
def test_private_use_boxes_without_a_font_name(char: str, checked: bool) -> None:
    par = read_model(make_docx(p(r(char + " แผนปฏิบัติการ"))), "t.docx").body[0]
    assert isinstance(par, Paragraph)
    assert isinstance(par.inlines[0], Checkbox) and par.inlines[0].checked is checked
    assert par.inlines[0].font == ""


def test_a_private_use_bullet_without_a_font_stays_a_bullet() -> None:
    par = read_model(make_docx(p(r("\uf06c เอกสาร"))), "t.docx").body[0]
    assert isinstance(par, Paragraph)
    assert isinstance(par.inlines[0], Symbol) and not any(isinstance(i, Checkbox) for i in par.inlines)


def _first_inlines(body: str) -> list[list[object]]:
    doc = read_model(make_docx(body), "t.docx")
    return [list(b.inlines) for b in doc.body if isinstance(b, Paragraph)]


def test_lone_marks_and_box_letters_where_every_box_was_dropped() -> None:
    paras = _first_inlines(p("/ แผนปฏิบัติการ") + p("X แผนการจัดการ") + p("R รายงาน") + p("£ อื่น ๆ")
                           + p("Xerox ไม่ใช่เครื่องหมาย") + p("ก / ข"))
    first = [ps[0] for ps in paras]
    assert [(b.checked, b.encoding) for b in first[:4] if isinstance(b, Checkbox)] == [
        (True, "lone-mark"), (True, "lone-mark"), (True, "lone-mark"), (False, "lone-mark")]
    assert paras[0][1] == Text(" แผนปฏิบัติการ")
    assert first[4] == Text("Xerox ไม่ใช่เครื่องหมาย") and first[5] == Text("ก / ข")


def test_lone_marks_stay_text_where_boxes_are_whole() -> None:
    body = p(r("\uf072", font="Wingdings"), r(" แผน")) + p("/ แผนปฏิบัติการ") + p("R รายงาน")
    paras = _first_inlines(body)
    assert isinstance(paras[0][0], Checkbox) and paras[0][0].font == "Wingdings"
    assert paras[1] == [Text("/ แผนปฏิบัติการ")] and paras[2] == [Text("R รายงาน")]


def test_a_mark_left_where_abiword_dropped_the_box_is_a_tick_with_a_warning() -> None:
    def edit(xml: str) -> str:
        # AbiWord: every w:sym box gone, a "/" typed beside the ticked ones kept
        xml = xml.replace('<w:sym w:font="Wingdings" w:char="F0FE"/>', "<w:t>/</w:t>")
        xml = xml.replace('<w:sym w:font="Wingdings 2" w:char="F052"/>', "<w:t>/</w:t>")
        return re.sub(r'<w:sym w:font="Wingdings(?: 2)?" w:char="F0(?:A3|72)"/>', "", xml)

    record, codes = _parse(_edited(edit))
    assert record["level"] == 3 and record["evidence"]["km_plan"] is True
    warned = codes["box-glyph-dropped"]
    assert any(m.startswith("level:") for m in warned) and any(m.startswith("evidence.km_plan:") for m in warned)
    # the boxes that were empty are gone with nothing left: said, never guessed silently
    assert record["evidence"]["action_plan"] is False
    assert any(m.startswith("evidence.action_plan:") for m in codes["field-not-found"])


def test_rtf_check_boxes_without_their_state_are_said(tmp_path: object) -> None:
    from pathlib import Path

    from formkit.office.rtf_boxes import stateless_boxes

    folder = Path(str(tmp_path))
    lo = folder / "lo.rtf"
    lo.write_bytes(b"{\\rtf1{\\field{\\*\\fldinst{ FORMCHECKBOX }}{\\fldrslt {}}}"
                   b"{\\field{\\*\\fldinst{ FORMCHECKBOX }}{\\fldrslt {}}} x}")
    word = folder / "word.rtf"
    word.write_bytes(b"{\\rtf1{\\field{\\*\\fldinst {FORMCHECKBOX }{\\*\\formfield{\\fftype1\\ffres1\\ffdefres0}}}"
                     b"{\\fldrslt }} x}")
    assert stateless_boxes(lo, 1 << 20) == 2
    assert stateless_boxes(word, 1 << 20) == 0
    assert stateless_boxes(folder / "missing.rtf", 1 << 20) == 0


def _flattened(data: bytes) -> bytes:
    """A document with every table replaced by its paragraphs, in order (as
    a program that cannot keep tables leaves them)."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def flatten(body: bytes) -> bytes:
        root = etree.fromstring(body)
        for table in [t for t in root.iter(f"{w}tbl") if t.getparent() is not None]:
            parent = table.getparent()
            if parent is None:  # inside a table already flattened
                continue
            at = parent.index(table)
            for n, par in enumerate(list(table.iter(f"{w}p"))):
                parent.insert(at + n, par)
            parent.remove(table)
        assert next(root.iter(f"{w}tbl"), None) is None
        return bytes(etree.tostring(root))

    return _with_document(data, flatten)


@pytest.mark.parametrize("form_id", ["esao-1-2", "esao-3-1"])
def test_a_form_whose_tables_were_flattened_reads_no_answer_past_its_end(form_id: str, tmp_path: object) -> None:
    from pathlib import Path

    from formkit import forms
    from formkit.fill.filler import Filler
    from formkit.fill.records import read_record
    from tests.conftest import ROOT

    form = forms.load(form_id)
    record = RECORD | {"other_evidence": ["รายงานการประชุม"], "evidence": {"km_plan": True, "other": True}} \
        if form_id == "esao-1-2" else read_record(ROOT / "samples" / form_id / "record-1.json", form)
    target = Path(str(tmp_path)) / "filled.docx"
    truth = Filler(form).fill(record, target)
    got, codes = _parse(_flattened(target.read_bytes()))
    assert got == truth
    assert codes["table-gone"] == ["level: the document has no table: the level was read from its boxes and digits "
                                   "as paragraphs"]
    # the same document with its tables is read as before, without that warning
    again, codes = _parse(target.read_bytes())
    assert again == truth and "table-gone" not in codes


def test_a_return_whose_page_header_was_dropped_says_so() -> None:
    def edit(xml: str) -> str:  # pandoc: no header part referenced any more
        return re.sub(r"<w:headerReference [^>]*/>", "", xml)

    record, codes = _parse(_edited(edit))
    clean, _ = _parse(formkit.fill_bytes("esao-1-2", RECORD))
    assert "office" in clean and "office" not in record  # the filled header held the office's name
    assert codes["field-not-found"] == ["office: the document has no page header: the program that saved "
                                        "the file may have dropped it"]
