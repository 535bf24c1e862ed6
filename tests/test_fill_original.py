"""--original: an office's own copy whose XML differs (runs split elsewhere,
saved by LibreOffice) gets the same blanks filled, and round-trips."""
from __future__ import annotations

import copy
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from formkit import forms
from formkit.cli import main
from formkit.fill.filler import Filler
from formkit.docx.ns import qn
from formkit.read.parse import parse_file
from tests.conftest import convert

RECORD_12 = {"level": 2, "process": "ก\nข & ค", "problems": "ปัญหา < น้อย", "suggestions": "เสนอ",
             "evidence": {"action_plan": True, "km_report": True}, "other_evidence": ["โครงการ ๑"],
             "office": "สพม.ทดสอบ", "fiscal_year": "2566"}
RECORD_31 = {"level": 5, "evidence": {"works_detail": True},
             "works": [{"title": "ผลงาน A", "group": "นโยบายและแผน", "background": "มา", "method": "ทำ",
                        "technique": "เทคนิค", "quantitative": "100", "qualitative": "ดี",
                        "success_factors": "ทีม", "dissemination": "เว็บ", "photos": []}]}


def split_runs(data: bytes) -> bytes:
    """The same document with every text run cut into runs of 1-3 characters
    (as Word leaves them after edits), properties copied."""
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        root = etree.fromstring(zin.read("word/document.xml"))
        for t in list(root.iter(qn("w:t"))):
            run, text = t.getparent(), t.text or ""
            if len(text) < 2 or len(run) > 2:
                continue
            pieces = _chunks(text)
            t.text = pieces[0]
            for piece in reversed(pieces[1:]):
                new = copy.deepcopy(run)
                new.find(qn("w:t")).text = piece
                run.addnext(new)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                body = etree.tostring(root) if item.filename == "word/document.xml" else zin.read(item)
                zout.writestr(item, body)
    return out.getvalue()


def _chunks(text: str) -> list[str]:
    out, i, n = [], 0, 1
    while i < len(text):
        out.append(text[i : i + n])
        i += n
        n = n % 3 + 1
    return out


@pytest.mark.parametrize("form_id, record", [("esao-1-2", RECORD_12), ("esao-3-1", RECORD_31)])
def test_split_runs_copy(form_id: str, record: dict, tmp_path: Path) -> None:
    form = forms.load(form_id)
    copy_path = tmp_path / "office-copy.docx"
    copy_path.write_bytes(split_runs(form.original.read_bytes()))
    with zipfile.ZipFile(copy_path) as split, zipfile.ZipFile(form.original) as printed:
        runs = [etree.fromstring(z.read("word/document.xml")).iter(qn("w:r")) for z in (split, printed)]
        assert len(list(runs[0])) > 3 * len(list(runs[1]))  # the copy's XML really differs
    filler = Filler(form, copy_path)
    out = tmp_path / "filled.docx"
    canon = filler.fill(record, out)
    assert parse_file(out).record == canon == Filler(form).canonical(record)


@pytest.mark.parametrize("form_id, record", [("esao-1-2", RECORD_12), ("esao-3-1", RECORD_31)])
def test_libreoffice_copy_through_the_cli(form_id: str, record: dict, soffice: str, tmp_path: Path) -> None:
    import json

    form = forms.load(form_id)
    src = tmp_path / "in" / f"{form_id}.docx"
    src.parent.mkdir()
    shutil.copy(form.original, src)
    (office_copy,) = convert(soffice, [src], "docx:MS Word 2007 XML", tmp_path / "lo", tmp_path / "profile")
    data = tmp_path / "record.json"
    data.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    out = tmp_path / "filled.docx"
    result = CliRunner().invoke(main, ["fill", form_id, str(data), "-o", str(out), "--original", str(office_copy)])
    assert result.exit_code == 0, result.output
    assert parse_file(out).record == Filler(form).canonical(record)


def test_original_of_another_form_is_refused(tmp_path: Path) -> None:
    import json

    data = tmp_path / "r.json"
    data.write_text(json.dumps({"level": 1}), "utf-8")
    original = forms.load("esao-3-1").original
    result = CliRunner().invoke(main, ["fill", "esao-1-2", str(data), "-o", str(tmp_path / "o.docx"), "--original", str(original)])
    assert result.exit_code == 1 and "form-mismatch" in result.stderr
