"""The reasons behind a score as data (formkit/score/reasons.py): every
sentence ``score`` writes is told from its detail, the committee report
tells the same values in Thai, and a score file's details are checked, never
trusted."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from formkit.cli import main
from formkit.score import reasons
from formkit.score.reasons import Reason, from_dict
from formkit.score.judgments import judgment_rows
from formkit.score.scoring import score_items
from tests.conftest import expected_samples

JUDGMENT = {"file": "", "done": [True, True, False, True], "clear": [True, False, False, True], "note": "ดูอีกครั้ง"}


def _scores(judged: bool) -> list[dict[str, Any]]:
    items = [json.loads(p.read_text("utf-8")) for p in expected_samples()]
    rows = [{**JUDGMENT, "file": i["file"]} for i in items if i["form"] == "esao-1-2"] if judged else None
    return [s.as_dict() for s in score_items(items, judgment_rows(rows) if rows is not None else None)]


@pytest.mark.parametrize("judged", [False, True])
def test_every_reason_is_told_from_its_detail(judged: bool) -> None:
    scores = _scores(judged)
    codes = {d["code"] for s in scores for d in s["details"]}
    told = {"judged", "note"} if judged else {"proposal", "addressed", "supporting-documents"}
    assert {"works-summary", "work", "work-short", "warning"} | told <= codes
    assert ("judged" in codes) == judged and ("proposal" in codes) != judged
    for score in scores:
        assert len(score["details"]) == len(score["reasons"]) > 0
        for detail, sentence in zip(score["details"], score["reasons"]):
            back = from_dict(json.loads(json.dumps(detail)))  # through JSON, as a score file holds it
            assert back is not None and back.code != "text"
            assert back.sentence() == sentence


def test_every_code_is_told_in_both_languages() -> None:
    assert set(reasons._EN) == set(reasons._TH)


def test_a_work_short_of_photos_says_so_in_thai_from_its_values() -> None:
    work = Reason("work", {"number": 2, "title": "ระบบ", "group": "กลุ่ม ก", "counted": False, "same_as": None,
                           "problems": [Reason("too-few", {"have": 3, "field": "photos", "need": 4})]})
    names = {"photos": "ตัวอย่างภาพกิจกรรม"}
    assert work.text() == "work 2 «ระบบ» does not count: 3 photos, at least 4 needed"
    assert work.text("th", names) == "ผลงานที่ 2 «ระบบ» ไม่นับ: มีตัวอย่างภาพกิจกรรม 3 รายการ ต้องมีอย่างน้อย 4"
    assert reasons.why(work, "th", names) == "มีตัวอย่างภาพกิจกรรม 3 รายการ ต้องมีอย่างน้อย 4"


@pytest.mark.parametrize("detail", [
    {"code": "work", "args": {"number": "2", "counted": False, "problems": "many"}},
    {"code": "work", "args": {"number": 1, "title": "t", "group": "g", "counted": False,
                              "problems": [{"code": "too-few", "args": {"have": "x"}}]}},
    {"code": "works-summary", "args": {"counted": 1}},
    {"code": "unknown-code", "args": {"a": [1, 2]}},
    {"code": "work", "args": {"problems": [{"code": "work", "args": {"problems": [{"code": "work", "args": {
        "problems": [{"code": "work", "args": {"problems": [{"code": "x"}]}}]}}]}}]}},
    {"code": 7},
])
def test_a_hand_made_detail_never_breaks_a_report(tmp_path: Path, detail: Any) -> None:
    """A detail of the wrong shape is dropped (the reasons are then shown as
    written) or told plainly: the report is written, the reason is there."""
    score = {"file": "x.docx", "form": "esao-3-1", "office": None, "self_assessed": None, "level": 1,
             "basis": "rubric", "reasons": ["as written"], "agrees": None, "details": [detail]}
    (tmp_path / "s.jsonl").write_text(json.dumps(score) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["report", str(tmp_path / "s.jsonl"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "as written" in (tmp_path / "out" / "report.html").read_text("utf-8")


def test_details_that_are_not_objects_are_bad_input(tmp_path: Path) -> None:
    score = {"file": "x.docx", "form": "esao-3-1", "office": None, "self_assessed": None, "level": 1,
             "basis": "rubric", "reasons": ["as written"], "agrees": None, "details": ["a sentence"]}
    (tmp_path / "s.jsonl").write_text(json.dumps(score) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["score", str(tmp_path / "s.jsonl")])
    assert result.exit_code == 1
    assert "field 'details': expected a list of {\"code\", \"args\"}" in json.loads(result.stdout)["reasons"][0]


def test_the_report_tells_score_output_in_thai_and_without_details_in_english(tmp_path: Path) -> None:
    scores = [s for s in _scores(False) if s["form"] == "esao-3-1" and s["level"] is not None]
    with_details = tmp_path / "with.jsonl"
    with_details.write_text("".join(json.dumps(s) + "\n" for s in scores), "utf-8")
    without = tmp_path / "without.jsonl"
    without.write_text("".join(json.dumps({k: v for k, v in s.items() if k != "details"}) + "\n" for s in scores), "utf-8")
    for source, out in ((with_details, "a"), (without, "b")):
        assert CliRunner().invoke(main, ["report", str(source), "-o", str(tmp_path / out)]).exit_code == 0
    sheets = [load_workbook(tmp_path / out / "report.xlsx").worksheets for out in "ab"]
    told = [" ".join(str(c) for row in s[1].iter_rows(values_only=True) for c in row) for s in sheets]
    assert "นับได้" in told[0] and "work(s) count" not in told[0]
    assert "work(s) count" in told[1]  # no details: the sentences as score wrote them
    assert sheets[0][2].max_row > 1 and sheets[1][2].max_row == 1  # the works sheet comes from the details
