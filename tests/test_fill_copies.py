"""fill with an office's copy as the original: a copy that already holds
answers is refused (``original-has-answers``) by fill, bulk and the Python
API; with ``--clear`` its answers are emptied first, and the result then
equals a fill of the blank original (the parsed record and the document's
text); a copy that only carries the office's name and year is filled as
before."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import formkit
from formkit import forms
from formkit.cli import main
from formkit.errors import FormkitError
from formkit.fill.filler import Filler
from formkit.fill.records import read_record, validate
from formkit.read.parse import parse_file
from tests.conftest import ROOT

S12, S31 = ROOT / "samples" / "esao-1-2", ROOT / "samples" / "esao-3-1"
OFFICE = "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาทดสอบ"
PHOTOS = sorted((S31 / "photos").glob("*.png"))


def _record(form_id: str) -> dict[str, Any]:
    """The record filled into every cleared copy (with the office, so that
    the header of a copy and of the blank say the same)."""
    if form_id == "esao-1-2":
        record = read_record(S12 / "record-2.yaml", forms.load(form_id))
    else:
        record = read_record(S31 / "record-1.json", forms.load(form_id))
    return {**record, "office": OFFICE}


def _fill(form_id: str, record: dict[str, Any], original: Path | None = None, clear: bool = False) -> bytes:
    buf = io.BytesIO()
    Filler(forms.load(form_id), original, clear).render(record, buf)
    return buf.getvalue()


def _texts(data: bytes) -> list[str]:
    """The document's paragraph text (white space collapsed, empty paragraphs left out)."""
    located = parse_file(data).located
    assert located is not None and located.stream is not None
    return [" ".join(p.text.split()) for p in located.stream.paras if p.text.strip()]


def _copy(tmp_path: Path, form_id: str, record: dict[str, Any], name: str = "copy.docx") -> Path:
    """A copy filled by formkit itself (last year's return)."""
    path = tmp_path / name
    path.write_bytes(_fill(form_id, record))
    return path


def _refused(form_id: str, original: Path, **kwargs: Any) -> FormkitError:
    with pytest.raises(FormkitError) as caught:
        Filler(forms.load(form_id), original, **kwargs)
    assert caught.value.code == "original-has-answers"
    return caught.value


# -- refused ---------------------------------------------------------------------------

def test_the_office_copy_of_the_issue_is_refused_naming_its_answers(tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(main, ["fill", "esao-1-2", str(S12 / "record-2.yaml"), "-o", str(out),
                                       "--original", str(S12 / "office-copy.docx")])
    assert result.exit_code == 1 and not out.exists()
    err = result.stderr
    assert "[original-has-answers]" in err and "office-copy.docx" in err
    for named in ("level (4 ticked)", "process", "problems", "suggestions",
                  "evidence (action_plan, km_plan, km_report, other ticked)", "and 1 more"):
        assert named in err, named
    assert "--clear" in err and "formkit forms" in err


def test_bulk_and_the_python_api_refuse_it_too(tmp_path: Path) -> None:
    copy = S12 / "office-copy.docx"
    for call in (
        lambda: formkit.fill_bytes("esao-1-2", {"level": 2}, original=copy),
        lambda: formkit.fill_to(tmp_path / "x.docx", "esao-1-2", {"level": 2}, original=copy),
        lambda: formkit.bulk_fill("esao-1-2", S12 / "bulk.csv", out_dir=tmp_path / "b", original=copy).finish(),
    ):
        with pytest.raises(FormkitError) as caught:
            call()
        assert caught.value.code == "original-has-answers" and "office-copy.docx" in str(caught.value)
    assert not (tmp_path / "x.docx").exists() and not (tmp_path / "b").exists()
    result = CliRunner().invoke(main, ["bulk", "esao-1-2", str(S12 / "bulk.csv"), "-o", str(tmp_path / "c"),
                                       "--original", str(copy)])
    assert result.exit_code == 1 and "[original-has-answers]" in result.stderr


# one answer of each kind, filled by formkit into the blank, then used as the original
ONE_ANSWER = [
    ("esao-1-2", {"level": 3}, ["level (3 ticked)"]),
    ("esao-1-2", {"evidence": {"km_report": True}}, ["evidence (km_report ticked)"]),
    ("esao-1-2", {"problems": "งบประมาณไม่พอ"}, ["problems"]),
    ("esao-1-2", {"other_evidence": ["โครงการ ก"]}, ["other_evidence"]),
    ("esao-3-1", {"works": [{"group": "นโยบายและแผน"}]}, ["works[0].group"]),
    ("esao-3-1", {"works": [{"photos": [str(PHOTOS[0])]}]}, ["works[0].photos"]),
    ("esao-3-1", {"works": [{"title": "ก"}, {"method": "ข"}]}, ["works[0].title", "works[1].method"]),
]


@pytest.mark.parametrize("form_id, answer, named", ONE_ANSWER, ids=lambda v: str(v)[:40])
def test_each_kind_of_answer_is_seen(form_id: str, answer: dict[str, Any], named: list[str],
                                     tmp_path: Path) -> None:
    copy = _copy(tmp_path, form_id, answer)
    error = _refused(form_id, copy)
    listed = error.message.split("holds answers: ", 1)[1].split(". Filling", 1)[0]
    assert listed == ", ".join(named)


@pytest.mark.parametrize("form_id", ["esao-1-2", "esao-3-1"])
def test_a_copy_with_only_the_office_name_and_year_is_filled_as_before(form_id: str, tmp_path: Path) -> None:
    year = "2566" if form_id == "esao-1-2" else "2564 - 2565"
    copy = _copy(tmp_path, form_id, {"office": OFFICE, "fiscal_year": year})
    assert parse_file(copy).record["office"] == OFFICE  # the copy is an office's own
    record = {k: v for k, v in _record(form_id).items() if k not in ("office", "fiscal_year")}
    filler = Filler(forms.load(form_id), copy)
    canon = filler.fill(record, tmp_path / "out.docx")
    parsed = parse_file(tmp_path / "out.docx").record
    assert parsed == canon and parsed["office"] == OFFICE and parsed["fiscal_year"] == year
    blank = (S12 if form_id == "esao-1-2" else S31) / "blank.docx"  # the untouched form is no copy with answers
    assert Filler(forms.load(form_id), blank).canonical(record) == Filler(forms.load(form_id)).canonical(record)


# -- cleared ---------------------------------------------------------------------------

FILLED_SAMPLES = sorted(p for folder in (S12, S31) for p in folder.glob("*.docx") if p.stem != "blank")


@pytest.mark.parametrize("copy", FILLED_SAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_filled_sample_cleared_fills_as_the_blank_original(copy: Path) -> None:
    """The office copy and the partly filled esao-3-1 copy of the issue, and
    every other way the samples tick and type (symbols, Unicode, typed marks,
    content controls, form fields, tracked changes, LibreOffice, WPS)."""
    form_id = copy.parent.name
    _refused(form_id, copy)
    record = _record(form_id)
    blank = _fill(form_id, record)
    cleared = _fill(form_id, record, copy, clear=True)
    expected = parse_file(blank).record
    assert expected == Filler(forms.load(form_id)).canonical(record)
    assert parse_file(cleared).record == expected
    assert _texts(cleared) == _texts(blank)


@pytest.mark.parametrize("form_id, last_year", [
    ("esao-1-2", S12 / "record-1.json"),
    ("esao-3-1", S31 / "record-1.json"),
])
def test_last_years_return_as_the_start_of_this_years(form_id: str, last_year: Path, tmp_path: Path) -> None:
    form = forms.load(form_id)
    old = read_record(last_year, form)
    if form_id == "esao-3-1":  # three works, photos in each
        work = dict(old["works"][0])
        old["works"] = [{**work, "title": f"ผลงานเก่า {n}", "photos": [str(p) for p in PHOTOS[:4]]} for n in (1, 2, 3)]
    copy = _copy(tmp_path, form_id, old, "last-year.docx")
    _refused(form_id, copy)
    new: dict[str, Any] = {"office": OFFICE, "level": 1, "evidence": {}}
    if form_id == "esao-3-1":
        new["works"] = [{"title": "ผลงานใหม่", "group": "บริหารงานบุคคล"}]
    else:
        new["process"] = "บรรทัดใหม่"
    new = validate(form, new)
    out = tmp_path / "this-year.docx"
    result = CliRunner().invoke(main, ["fill", form_id, str(_json(tmp_path, new)), "-o", str(out),
                                       "--original", str(copy), "--clear"])
    assert result.exit_code == 0, result.output
    blank = _fill(form_id, new)
    assert parse_file(out).record == parse_file(blank).record == Filler(form).canonical(new)
    assert _texts(out.read_bytes()) == _texts(blank)
    with zipfile.ZipFile(out) as zf:
        assert not [n for n in zf.namelist() if n.startswith("word/media/")]  # last year's photos left with them


def _json(tmp_path: Path, record: dict[str, Any]) -> Path:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    return path


def test_clear_keeps_the_office_header_and_its_year() -> None:
    data = formkit.fill_bytes("esao-1-2", {"level": 5}, original=S12 / "office-copy.docx", clear=True)
    record = parse_file(data).record
    assert record["level"] == 5 and record["fiscal_year"] == "2566"
    assert record["office"] == "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1"
    assert record["process"] == "" and record["other_evidence"] == [] and not any(record["evidence"].values())


def test_bulk_clears_the_copy_once_for_every_row(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["bulk", "esao-3-1", str(S31 / "bulk.jsonl"), "-o", str(out),
                                       "--original", str(S31 / "partly-filled.docx"), "--clear", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    plain = tmp_path / "plain"
    run = formkit.bulk_fill("esao-3-1", S31 / "bulk.jsonl", out_dir=plain, name="{office}-{form}.docx").finish()
    assert run.written == len(list(out.iterdir())) > 0
    for doc in sorted(out.iterdir()):
        assert parse_file(doc).record == parse_file(plain / doc.name).record
        assert _texts(doc.read_bytes()) == _texts((plain / doc.name).read_bytes())


def test_clear_with_a_copy_that_holds_no_answers_changes_nothing() -> None:
    record = _record("esao-1-2")
    cleared = _fill("esao-1-2", record, S12 / "blank.docx", clear=True)
    assert _texts(cleared) == _texts(_fill("esao-1-2", record))
    assert parse_file(cleared).record == Filler(forms.load("esao-1-2")).canonical(record)


def test_a_hostile_answer_is_refused_and_cleared_never_evaluated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Template code typed as an answer (before a blank's dots) in a copy that
    also holds it in static text: refused; cleared, the answer is gone and the
    static payloads print literally; nothing runs."""
    from tests.test_hostile_originals import PAYLOADS, PWNED, RECORD, _check_output, _hostile_original, _marked, _text

    monkeypatch.chdir(tmp_path)
    data, expected = _hostile_original(2, answer=True)
    (tmp_path / "evil.docx").write_bytes(data)
    error = _refused("esao-1-2", tmp_path / "evil.docx")
    assert "process" in error.message
    buf = io.BytesIO()
    record = {key: value for key, value in RECORD.items() if key != "office"}
    Filler(forms.load("esao-1-2"), tmp_path / "evil.docx", clear=True).render(record, buf)
    answer = _marked(300, PAYLOADS[0])
    _check_output(buf.getvalue(), [e for e in expected if e != answer], tmp_path)
    with zipfile.ZipFile(buf) as zf:
        assert answer not in _text(zf.read("word/document.xml"))
    assert not (tmp_path / PWNED).exists()


@pytest.mark.parametrize("sample", ["content-controls", "form-fields"])
def test_boxes_kept_as_content_controls_or_form_fields_are_ticked(sample: str) -> None:
    """A cleared copy keeps the boxes it did not tick the way the office
    made them (Word 2010 content controls, legacy form fields): fill ticks
    them by their checked state, the state Word and parse read."""
    for level in range(1, 6):
        record = {"level": level, "evidence": {"km_report": True}}
        data = formkit.fill_bytes("esao-1-2", record, original=S12 / f"{sample}.docx", clear=True)
        parsed = parse_file(data).record
        assert parsed["level"] == level
        assert parsed["evidence"] == {"action_plan": False, "km_plan": False, "km_report": True, "other": False}


def test_a_label_moved_into_a_ticked_level_cell_is_a_clear_error(tmp_path: Path) -> None:
    """Found by fuzzing --clear: a copy whose "หลักฐานอื่น ๆ" line was moved into
    the ticked level's cell (clearing that cell takes the label along)."""
    from lxml import etree

    from formkit.docx.ns import qn

    with zipfile.ZipFile(S12 / "before-dots.docx") as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    root = etree.fromstring(members["word/document.xml"])
    paragraphs = list(root.iter(qn("w:p")))
    label = next(r for r in root.iter(qn("w:r")) if "หลักฐานอื่น" in "".join(r.itertext()))
    five = next(p for p in paragraphs if "".join(p.itertext()).strip() == "5")
    five.insert(0, label)  # the whole label, first in the paragraph of the digit 5
    members["word/document.xml"] = etree.tostring(root)
    copy = tmp_path / "moved.docx"
    with zipfile.ZipFile(copy, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    assert parse_file(copy).record["level"] == 5
    error = _refused("esao-1-2", copy, clear=True)
    assert "--clear could not empty" in error.message and "moved.docx" in str(error)


def test_a_run_nested_very_deep_is_a_clear_error(tmp_path: Path) -> None:
    """Found by fuzzing --clear: an answer's run inside a thousand nested
    w:customXml elements was RecursionError."""
    from lxml import etree

    from formkit.docx.ns import qn

    with zipfile.ZipFile(S12 / "office-copy.docx") as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    root = etree.fromstring(members["word/document.xml"])
    line = next(p for p in root.iter(qn("w:p")) if "ปัญหา อุปสรรค งบ" in "".join(p.itertext()))  # label, answer
    inner = etree.SubElement(line, qn("w:customXml"))
    for _ in range(999):
        inner = etree.SubElement(inner, qn("w:customXml"))
    for run in line.findall(qn("w:r")):
        inner.append(run)
    members["word/document.xml"] = etree.tostring(root)
    copy = tmp_path / "deep.docx"
    with zipfile.ZipFile(copy, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(FormkitError) as caught:
        Filler(forms.load("esao-1-2"), copy, clear=True)
    assert caught.value.code == "bad-original" and "levels deep" in caught.value.message
    assert "deep.docx" in str(caught.value)
