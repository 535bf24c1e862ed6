"""The committee's judgments template (``score --judgments-template``): one row
per file of a form the committee judges (from the rubric data), the columns
``--judgments`` reads, UTF-8 with a BOM, cells neutralised; filled in and
given back unchanged in its header, it is read, and its unmarked rows stay
proposals."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import formkit
from formkit.cli import main
from formkit.score.judgments_template import template_rows
from formkit.score.scoring import Score
from tests.conftest import ROOT

S12 = ROOT / "samples" / "esao-1-2"
HEADER = ["file", "done1", "done2", "done3", "done4", "clear1", "clear2", "clear3", "clear4", "note"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def read_sheet(path: Path) -> tuple[list[str], list[list[str]]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    return header, rows


def write_sheet(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """As a spreadsheet saves "CSV UTF-8": the header as it came, a BOM."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows([header, *rows])


def test_a_row_per_judged_file_filled_in_and_given_back(tmp_path: Path) -> None:
    sheet = tmp_path / "judgments.csv"
    code, _, err = run("score", str(S12), str(ROOT / "samples" / "esao-3-1"), "--judgments-template", str(sheet),
                       "-o", str(tmp_path / "scores.jsonl"))
    header, rows = read_sheet(sheet)
    expected = sorted(str(p) for p in S12.glob("*.docx"))
    assert code == 0 and f"wrote {sheet}: {len(expected)} row(s)" in err
    assert header == HEADER and [r[0] for r in rows] == expected
    assert all(cell == "" for r in rows for cell in r[1:])
    by_name = {Path(r[0]).name: r for r in rows}
    by_name["over-dots.docx"][1:] = ["x", "x", "x", "x", "x", "x", "x", "", "ตรวจแล้ว: =ชัดเจน 3 ข้อ"]
    by_name["before-dots.docx"][1:] = ["ใช่", "ใช่", "ใช่", "", "✓", "", "", "", ""]
    write_sheet(sheet, header, rows)
    code, out, err = run("score", str(S12), "--judgments", str(sheet), "--format", "jsonl")
    scores = {Path(s.file).name: s for s in (Score(**json.loads(line)) for line in out.splitlines())}
    over, before = scores["over-dots.docx"], scores["before-dots.docx"]
    assert code == 0 and (over.basis, over.level) == ("judgments", 4) and (before.basis, before.level) == ("judgments", 1)
    assert "committee note: ตรวจแล้ว: =ชัดเจน 3 ข้อ" in over.reasons
    unmarked = scores["typed-marks.docx"]
    assert unmarked.basis == "auto" and "has no mark, not judged yet" in unmarked.reasons[0]
    assert f"{len(expected)} record(s): 2 scored (0 by rubric, 2 by judgments), {len(expected) - 2} automatic proposal(s)" in err


def test_file_names_a_spreadsheet_would_run_are_quoted_and_matched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("=HYPERLINK(1).docx", "-draft.docx", "@office.docx", "สพป.ก.docx"):
        shutil.copy(S12 / "over-dots.docx", tmp_path / name)
    monkeypatch.chdir(tmp_path)
    code, _, _ = run("score", ".", "--judgments-template", "t.csv")
    header, rows = read_sheet(tmp_path / "t.csv")
    assert code == 0 and sorted(r[0] for r in rows) == ["'-draft.docx", "'=HYPERLINK(1).docx", "'@office.docx", "สพป.ก.docx"]
    for row in rows:
        row[1:9] = ["1"] * 8
    write_sheet(tmp_path / "t.csv", header, rows)
    code, out, _ = run("score", ".", "--judgments", "t.csv", "--format", "csv")
    scored = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert code == 0 and len(scored) == 4 and {(r["basis"], r["level"]) for r in scored} == {("judgments", "5")}


def test_judged_forms_come_from_the_rubric_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A form of another id whose rubric has three considerations gets rows
    with three of each column; a works rubric and an unknown form none."""
    definition = yaml.safe_load((ROOT / "forms" / "esao-1-2" / "form.yaml").read_text("utf-8"))
    definition["id"] = "panel-judged"
    definition["rubric"]["considerations"] = definition["rubric"]["considerations"][:3]
    (tmp_path / "panel-judged").mkdir()
    (tmp_path / "panel-judged" / "form.yaml").write_text(yaml.safe_dump(definition, allow_unicode=True), "utf-8")
    shutil.copy(ROOT / "forms" / "esao-1-2" / "original.docx", tmp_path / "panel-judged" / "original.docx")
    monkeypatch.setenv("FORMKIT_FORMS", str(tmp_path))
    scores = [Score("a.docx", "panel-judged"), Score("b.docx", "esao-3-1"), Score("c.docx"), Score("d.docx", "nowhere")]
    header, rows = template_rows(scores)
    assert header == ["file", "done1", "done2", "done3", "clear1", "clear2", "clear3", "note"]
    assert rows == [["a.docx", "", "", "", "", "", "", ""]]
    assert formkit.write_judgments_template(scores, tmp_path / "t.csv") == 1
    assert read_sheet(tmp_path / "t.csv") == (header, rows)
