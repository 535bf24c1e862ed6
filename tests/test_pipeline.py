"""End to end over real .docx files: the shipped original, edited the way
offices tick boxes and place answers, through the whole parse pipeline."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from formkit.docx.ns import NS, qn
from formkit.read.parse import parse_file

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL_12 = ROOT / "forms" / "esao-1-2" / "original.docx"
W = NS["w"]
RPR = '<w:rPr><w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:cs="{f}"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>'


def _run(body: str, font: str = "TH SarabunPSK") -> str:
    return f'<w:r xmlns:w="{W}">{RPR.format(f=font)}{body}</w:r>'


CONTENT_CONTROL = (
    f'<w:sdt xmlns:w="{W}" xmlns:w14="{NS["w14"]}"><w:sdtPr><w14:checkbox><w14:checked w14:val="{{v}}"/>'
    '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/><w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/>'
    '</w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:hAnsi="MS Gothic"/></w:rPr>'
    "<w:t>{g}</w:t></w:r></w:sdtContent></w:sdt>"
)


def _form_field(checked: str) -> list[str]:
    return [
        f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:enabled/>'
        f'<w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/>{checked}</w:checkBox></w:ffData></w:fldChar></w:r>',
        _run('<w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText>'),
        f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="end"/></w:r>',
    ]


EMPTY_LEVEL_BOX = _run('<w:sym w:font="Wingdings 2" w:char="F0A3"/>')
EMPTY_EVIDENCE_BOX = _run('<w:sym w:font="Wingdings" w:char="F072"/>')

# encoding -> (runs replacing the printed box, is the box ticked)
ENCODINGS: dict[str, tuple[list[str], bool]] = {
    "wingdings2-sym-F052": ([_run('<w:sym w:font="Wingdings 2" w:char="F052"/>')], True),
    "wingdings2-sym-0052": ([_run('<w:sym w:font="Wingdings 2" w:char="0052"/>')], True),
    "wingdings-sym-F0FE": ([_run('<w:sym w:font="Wingdings" w:char="F0FE"/>')], True),
    "wingdings-sym-F0FD": ([_run('<w:sym w:font="Wingdings" w:char="F0FD"/>')], True),
    "wingdings2-pua-run": ([_run("<w:t>\uf052</w:t>", "Wingdings 2")], True),
    "wingdings2-letter-R": ([_run("<w:t>R</w:t>", "Wingdings 2")], True),
    "unicode-ballot-check": ([_run("<w:t>☑</w:t>", "Segoe UI Symbol")], True),
    "unicode-ballot-x": ([_run("<w:t>☒</w:t>", "Segoe UI Symbol")], True),
    "unicode-check": ([_run("<w:t>✓</w:t>")], True),
    "unicode-heavy-check": ([_run("<w:t>✔</w:t>")], True),
    "unicode-black-square": ([_run("<w:t>■</w:t>")], True),
    "unicode-empty": ([_run("<w:t>☐</w:t>")], False),
    "content-control-checked": ([CONTENT_CONTROL.format(v="1", g="☒")], True),
    "content-control-true": ([CONTENT_CONTROL.format(v="true", g="☒")], True),
    "content-control-unchecked": ([CONTENT_CONTROL.format(v="0", g="☐")], False),
    "form-field-checked": (_form_field('<w:default w:val="0"/><w:checked/>'), True),
    "form-field-checked-0": (_form_field('<w:default w:val="1"/><w:checked w:val="0"/>'), False),
    "form-field-default-1": (_form_field('<w:default w:val="1"/>'), True),
    "form-field-unchecked": (_form_field('<w:default w:val="0"/>'), False),
    "typed-check-after": ([EMPTY_LEVEL_BOX, _run('<w:t xml:space="preserve"> ✓</w:t>')], True),
    "typed-X-after": ([EMPTY_LEVEL_BOX, _run('<w:t xml:space="preserve"> X</w:t>')], True),
    "typed-slash-before": ([_run("<w:t>/</w:t>"), EMPTY_LEVEL_BOX], True),
}


def _docx_with(doc_xml: bytes, source: Path = ORIGINAL_12) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = doc_xml if item.filename == "word/document.xml" else zin.read(item)
            zout.writestr(item, data)
    return out.getvalue()


def _document(source: Path = ORIGINAL_12) -> etree._Element:
    with zipfile.ZipFile(source) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _replace_box_run(root: etree._Element, font: str, code: str, nth: int, runs: list[str]) -> None:
    syms = [s for s in root.iter(qn("w:sym")) if s.get(qn("w:font")) == font and s.get(qn("w:char")) == code]
    run = syms[nth].getparent()
    parent = run.getparent()
    at = parent.index(run)
    parent.remove(run)
    for offset, xml in enumerate(runs):
        parent.insert(at + offset, etree.fromstring(xml))


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_level_box_encodings(name: str, tmp_path: Path) -> None:
    runs, ticked = ENCODINGS[name]
    root = _document()
    _replace_box_run(root, "Wingdings 2", "F0A3", 1, runs)  # the level-4 box
    path = tmp_path / f"{name}.docx"
    path.write_bytes(_docx_with(etree.tostring(root)))
    result = parse_file(path)
    assert result.error is None and result.form == "esao-1-2"
    assert result.record is not None and result.record["level"] == (4 if ticked else None)


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_evidence_box_encodings(name: str, tmp_path: Path) -> None:
    runs, ticked = ENCODINGS[name]
    runs = [EMPTY_EVIDENCE_BOX if r == EMPTY_LEVEL_BOX else r for r in runs]
    root = _document()
    _replace_box_run(root, "Wingdings", "F072", 1, runs)  # km_plan
    path = tmp_path / f"{name}.docx"
    path.write_bytes(_docx_with(etree.tostring(root)))
    result = parse_file(path)
    assert result.record is not None
    assert result.record["evidence"] == {
        "action_plan": False, "km_plan": ticked, "km_report": False, "other": False
    }


def _dotted_paragraph_after(root: etree._Element, label_start: str) -> etree._Element:
    paras = list(root.iter(qn("w:p")))
    for n, p in enumerate(paras):
        text = "".join(p.itertext())
        if text.strip().startswith(label_start):
            return paras[n + 1]
    raise AssertionError(f"no paragraph starts with {label_start!r}")


def _set_text(par: etree._Element, text: str) -> None:
    (t,) = par.iter(qn("w:t"))
    t.text = text


@pytest.mark.parametrize(
    "placement, edit, expected",
    [
        ("over the dots", lambda p: _set_text(p, "ขาดงบประมาณ & บุคลากร"), "ขาดงบประมาณ & บุคลากร"),
        ("before the dots", lambda p: _set_text(p, "ขาดงบประมาณ" + "." * 40), "ขาดงบประมาณ"),
        ("between dots", lambda p: _set_text(p, "....ขาด งบ...." + "." * 40), "ขาด งบ"),
    ],
)
def test_text_placements(placement: str, edit, expected: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = _document()
    edit(_dotted_paragraph_after(root, "2.  ปัญหา"))
    path = tmp_path / "answer.docx"
    path.write_bytes(_docx_with(etree.tostring(root)))
    record = parse_file(path).record
    assert record is not None and record["problems"] == expected and record["process"] == ""


def test_text_below_the_prompt_keeps_paragraphs(tmp_path: Path) -> None:
    root = _document()
    dotted = _dotted_paragraph_after(root, "3.  ข้อเสนอแนะ")
    for n, line in enumerate(["ข้อที่ ๑ ควรขยายผล", "ข้อที่ ๒ ควรติดตาม"]):
        new = etree.fromstring(etree.tostring(dotted))
        _set_text(new, line)
        dotted.addprevious(new)
    path = tmp_path / "below.docx"
    path.write_bytes(_docx_with(etree.tostring(root)))
    record = parse_file(path).record
    assert record is not None and record["suggestions"] == "ข้อที่ ๑ ควรขยายผล\nข้อที่ ๒ ควรติดตาม"


def test_every_form_recognized_from_its_original() -> None:
    for form in ("esao-1-2", "esao-3-1"):
        result = parse_file(ROOT / "forms" / form / "original.docx")
        assert result.form == form, result.error
