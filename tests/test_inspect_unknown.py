"""``formkit inspect`` of a document that is none of the known forms
(formkit/read/inspect_unknown.py): the recognition score of every known form,
the text, tables, boxes and drafted fields as formkit sees them."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from formkit import forms
from formkit.cli import main
from tests.conftest import ROOT
from tests.docxbuild import make_docx, p, r

TABLE = ("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>ลำดับ</w:t></w:r></w:p></w:tc>"
         "<w:tc><w:p><w:r><w:t>รายการ</w:t></w:r></w:p></w:tc></w:tr>"
         "<w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>")
BODY = (p(r("แบบสำรวจความพึงพอใจ")) + p(r("โปรดทำเครื่องหมาย √ ลงในช่อง ☐")) + p(r("☐ พอใจ   ☑ ไม่พอใจ"))
        + p(r("ชื่อผู้ตอบ ......................")) + TABLE + p(r("■ หมายเหตุ")))


def inspect(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["inspect", *args])
    return result.exit_code, result.stdout


def test_an_unknown_document_is_shown_as_formkit_sees_it(tmp_path: Path) -> None:
    doc = tmp_path / "survey.docx"
    doc.write_bytes(make_docx(BODY))
    code, out = inspect(str(doc))
    assert code == 1
    lines = out.splitlines()
    assert lines[1].startswith("error: unknown-form:")
    for form_id in forms.available():  # every known form, with its score and minimum
        assert any(line.startswith(f"  {form_id}: 0.00 (needs 0.50): 0 of ") for line in lines), form_id
    assert "  body, paragraph 2: โปรดทำเครื่องหมาย √ ลงในช่อง ☐" in lines  # glyphs of an instruction as printed
    assert "  body, paragraph 3: [ ] พอใจ [x] ไม่พอใจ" in lines  # boxes of the form, with their state
    assert "  body, paragraph 5: ■ หมายเหตุ" in lines  # a heading bullet is no ticked box
    assert "  table 1: 2 row(s) x 2 column(s); first row: ลำดับ | รายการ" in lines
    boxes = lines[lines.index("boxes:") + 1 : next(n for n, line in enumerate(lines) if line.startswith("fields"))]
    assert len(boxes) == 5
    assert sum("not a box of the form" in b for b in boxes) == 3
    assert any(b.startswith("  ticked (unicode ☑) at body, paragraph 3:") for b in boxes)
    fields = lines[next(n for n, line in enumerate(lines) if line.startswith("fields")):]
    assert fields[1:] == ["  box empty: 'พอใจ' at body, paragraph 3", "  box ticked: 'ไม่พอใจ' at body, paragraph 3",
                          "  blank after 'ชื่อผู้ตอบ' at body, paragraph 4"]


def test_a_document_of_another_form_shows_every_score(tmp_path: Path) -> None:
    sample = ROOT / "samples" / "esao-1-2" / "blank.docx"
    code, out = inspect(str(sample), "--form", "esao-3-1")
    assert code == 1
    lines = out.splitlines()
    assert lines[1].startswith("error: form-mismatch:")
    scores = [line for line in lines if line.startswith("  esao-")]
    assert scores[0].startswith("  esao-1-2: 1.00") and scores[1].startswith("  esao-3-1: ")
    assert "text:" in lines and "boxes:" in lines


def test_a_file_that_is_no_document_shows_only_the_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"plain text, not a Word file")
    code, out = inspect(str(bad))
    assert code == 1
    assert out.splitlines()[1].startswith("error: not-docx:") and "recognition scores" not in out
