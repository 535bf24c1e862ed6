"""What ``score`` and ``report`` take: the documents ``parse`` takes (.docx and,
converted by LibreOffice, .doc/.rtf/.odt), results files, and nothing else
silently. A returned folder of mixed formats is scored file by file; a PDF
or a workbook is one error naming it; what an input is comes from its bytes."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from formkit.cli import main
from formkit.office import convert as convert_module
from tests.conftest import ROOT, convert

S12 = ROOT / "samples" / "esao-1-2"
S31 = ROOT / "samples" / "esao-3-1"
# name in the mixed folder -> (the sample it comes from, its form); legacy ones made by LibreOffice
WORD = {
    "a-over-dots.docx": (S12 / "over-dots.docx", "esao-1-2"),
    "b-three-works.docx": (S31 / "three-works.docx", "esao-3-1"),
    "c-before-dots.doc": (S12 / "before-dots.docx", "esao-1-2"),
    "d-one-work.rtf": (S31 / "one-work.docx", "esao-3-1"),
    "e-below-prompt.odt": (S12 / "below-prompt.docx", "esao-1-2"),
}
FOREIGN = {"f-returned.pdf": "a PDF file", "g-returned.xlsx": "an Excel workbook"}
LEGACY = {"doc": "doc:MS Word 97", "rtf": "rtf", "odt": "odt"}


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def rows(out: str) -> dict[str, dict[str, Any]]:
    """Score JSON Lines by file name."""
    return {Path(r["file"]).name: r for r in map(json.loads, out.splitlines())}


def _workbook(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["สำนักงานเขตพื้นที่การศึกษา", "ระดับคุณภาพ"])
    sheet.append(["สพป. ตัวอย่าง เขต 1", 4])
    book.save(path)


def _scan(path: Path) -> None:
    """A PDF as an office's scanner writes it: a page image (Pillow)."""
    from PIL import Image

    Image.new("RGB", (620, 877), "white").save(path, "PDF", resolution=75.0)


@pytest.fixture(scope="module")
def mixed(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A returned folder: two .docx, a .doc, an .rtf and an .odt (made from
    samples by LibreOffice, one run per format as ``--convert-to`` takes one
    target), a scanned PDF and an .xlsx workbook."""
    tmp = tmp_path_factory.mktemp("mixed")
    folder = tmp / "returned"
    folder.mkdir()
    for name, (source, _) in WORD.items():
        if name.endswith(".docx"):
            shutil.copy(source, folder / name)
            continue
        ext = Path(name).suffix[1:]
        (tmp / ext).mkdir()
        shutil.copy(source, tmp / ext / f"{Path(name).stem}.docx")
        convert(soffice, [tmp / ext / f"{Path(name).stem}.docx"], LEGACY[ext], folder, tmp / "profile")
    _scan(folder / "f-returned.pdf")
    _workbook(folder / "g-returned.xlsx")
    assert sorted(p.name for p in folder.iterdir()) == sorted([*WORD, *FOREIGN])
    return folder


def test_a_mixed_folder_is_scored_file_by_file(mixed: Path) -> None:
    """Every Word file scored (the legacy ones converted by ONE LibreOffice
    process), the PDF and the workbook one clear error each, nothing dropped,
    the counts right."""
    calls: list[list[str]] = []
    real = subprocess.Popen

    def spy(*args: Any, **kwargs: Any) -> Any:
        if "--convert-to" in args[0]:
            calls.append(args[0])
        return real(*args, **kwargs)

    mp = pytest.MonkeyPatch()
    mp.setattr(convert_module.subprocess, "Popen", spy)
    try:
        code, out, err = run("score", str(mixed), "--format", "jsonl")
    finally:
        mp.undo()
    scored = rows(out)
    assert sorted(scored) == sorted([*WORD, *FOREIGN]) and len(out.splitlines()) == 7
    for name, (_, form) in WORD.items():
        assert (scored[name]["form"], scored[name]["basis"] is not None) == (form, True), scored[name]["reasons"][0]
    for name, what in FOREIGN.items():
        [reason] = scored[name]["reasons"]
        assert scored[name]["basis"] is None and reason.startswith("not scored: the file could not be parsed: ")
        assert f"{mixed / name}: this is {what}" in reason and reason.endswith("[not-docx]")
    assert len(calls) == 1
    assert code == 1 and "7 record(s): 2 scored (2 by rubric, 0 by judgments), 3 automatic proposal(s) for the committee, 2 not scored" in err
    assert f"error: {mixed / 'f-returned.pdf'}: not scored" in err


def test_legacy_copies_score_as_their_originals(mixed: Path) -> None:
    """A .doc given by name is converted and read as parse reads it (not as
    JSON Lines): the same level and reasons as the .docx it was made from."""
    for name, (source, _) in WORD.items():
        code, out, _ = run("score", str(mixed / name))
        _, original, _ = run("score", str(source))
        got, want = json.loads(out), json.loads(original)
        converted = [r for r in got["reasons"] if "converted-from" in r]
        assert code == 0 and (got["level"], got["basis"]) == (want["level"], want["basis"])
        assert len(converted) == (0 if name.endswith(".docx") else 1)


def test_no_convert_refuses_legacy_files_one_row_each(mixed: Path) -> None:
    code, out, err = run("score", str(mixed), "--no-convert", "--format", "jsonl")
    scored = rows(out)
    assert code == 1 and len(scored) == 7
    assert all(scored[n]["basis"] is not None for n in WORD if n.endswith(".docx"))
    for name in ("c-before-dots.doc", "d-one-work.rtf", "e-below-prompt.odt"):
        assert scored[name]["basis"] is None and scored[name]["reasons"][0].endswith("[not-docx]")
    assert "7 record(s): " in err and ", 5 not scored;" in err


def test_report_lists_every_file_of_the_mixed_folder(mixed: Path, tmp_path: Path) -> None:
    code, out, err = run("report", str(mixed), "-o", str(tmp_path / "report"))
    page = (tmp_path / "report" / "report.html").read_text("utf-8")
    assert code == 1 and "7 record(s): " in err and ", 2 not scored;" in err
    assert all(name in page for name in [*WORD, *FOREIGN]) and "this is a PDF file" in page
    assert str(tmp_path / "report" / "report.xlsx") in out


def test_a_pdf_or_workbook_given_by_name_is_one_error_row(mixed: Path) -> None:
    """Given by name, next to a Word file: one row each, not a row per line
    of the binary file; the other file still scored; exit 1."""
    names = [mixed / "f-returned.pdf", mixed / "g-returned.xlsx", S12 / "over-dots.docx"]
    code, out, err = run("score", *map(str, names), "--format", "jsonl")
    pdf, xlsx, docx = map(json.loads, out.splitlines())
    assert code == 1 and len(out.splitlines()) == 3
    assert "this is a PDF file" in pdf["reasons"][0] and "Excel workbook" in xlsx["reasons"][0]
    assert docx["basis"] == "auto" and "3 record(s): 0 scored (0 by rubric, 0 by judgments), 1 automatic proposal(s)" in err


def test_what_a_file_is_comes_from_its_bytes(tmp_path: Path) -> None:
    """A .docx saved under another name is parsed; results under any name
    are read as results; a plain text file is one row, in input order."""
    shutil.copy(S12 / "over-dots.docx", tmp_path / "returned.json")
    (tmp_path / "parsed.txt").write_text((S31 / "three-works.json").read_text("utf-8"), "utf-8")
    (tmp_path / "notes.csv").write_text("ชื่อ,ระดับ\nสพป. ก,4\nสพป. ข,3\n", "utf-8")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    names = ["returned.json", "parsed.txt", "notes.csv", "empty.jsonl"]
    code, out, _ = run("score", *(str(tmp_path / n) for n in names), "--format", "jsonl")
    docx, parsed, notes, empty = map(json.loads, out.splitlines())
    assert code == 1 and len(out.splitlines()) == 4
    assert (docx["form"], docx["basis"]) == ("esao-1-2", "auto")
    assert (parsed["form"], parsed["level"]) == ("esao-3-1", 2)
    assert "notes.csv: this is a plain text file" in notes["reasons"][0]
    assert "empty.jsonl: the file is empty" in empty["reasons"][0]


def test_photos_and_text_in_a_folder_are_named_not_dropped_silently(tmp_path: Path) -> None:
    folder = tmp_path / "returned"
    (folder / "photos").mkdir(parents=True)
    shutil.copy(S12 / "over-dots.docx", folder / "over-dots.docx")
    shutil.copy(S31 / "photos" / "activity-1.png", folder / "photos" / "p1.png")
    (folder / "readme.txt").write_text("ส่งแบบประเมินแล้ว", "utf-8")
    (folder / "~$over-dots.docx").write_bytes(b"owner")
    code, out, err = run("score", str(folder), "--format", "jsonl")
    assert code == 0 and list(rows(out)) == ["over-dots.docx"]
    assert f"2 file(s) in {folder} are not documents and were not read" in err and "photos/p1.png" in err and "readme.txt" in err
    assert "~$" not in err
    code, _, err = run("score", str(folder / "photos"))
    assert code == 2 and "no Word documents found" in err and "p1.png" in err


def test_stdin_of_a_document_is_one_row() -> None:
    code, out, _ = run("score", "-", stdin=(S12 / "over-dots.docx").read_bytes())
    assert code == 0 and json.loads(out)["file"] == "<stdin>" and json.loads(out)["form"] == "esao-1-2"
    code, out, _ = run("score", "-", "--format", "csv", stdin=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    [row] = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert code == 1 and "<stdin>: this is a PDF file" in row["reasons"]
