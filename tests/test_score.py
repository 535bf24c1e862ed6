"""Scoring: every rubric row of both forms, the work-counting rules, the
committee's judgments (reading, matching, mismatches), the text proposal,
``agrees``, and the ``score`` command's inputs, formats and exit codes."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from formkit import forms
from formkit.score import rubric
from formkit.cli import main
from formkit.errors import FormkitError
from formkit.score.judgments import JudgmentRow, JudgmentsError, match_judgments, parse_bool, read_judgments
from formkit.score.reasons import Reason
from formkit.score.scoring import score_items, score_result
from tests.conftest import sample_dirs

ROOT = Path(__file__).resolve().parent.parent
S12 = ROOT / "samples" / "esao-1-2"
S31 = ROOT / "samples" / "esao-3-1"
PHOTO = {"sha256": "0" * 64, "media_type": "image/png"}
ALL = (True, True, True, True)


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def work(title: str = "ผลงาน", group: str = "อำนวยการ", method: str = "วิธีการ", photos: int = 4) -> dict[str, Any]:
    return {"title": title, "group": group, "method": method, "background": "", "photos": [PHOTO] * photos}


def envelope(form: str, record: dict[str, Any], file: str = "x.docx") -> dict[str, Any]:
    return {"file": file, "form": form, "record": record, "warnings": [], "error": None}


def told(reasons: list[Reason]) -> list[str]:
    """Reasons as ``formkit score`` writes them (without their section's prefix)."""
    return [r.text() for r in reasons]


def without_details(score: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in score.items() if k != "details"}


def works_record(works: list[dict[str, Any]], level: int | None = None, ticked: bool = True) -> dict[str, Any]:
    return {"level": level, "evidence": {"works_detail": ticked}, "works": works}


def esao12(process: str = "", level: int | None = None, **boxes: bool) -> dict[str, Any]:
    evidence = {"action_plan": False, "km_plan": False, "km_report": False, "other": False, **boxes}
    return {"level": level, "process": process, "problems": "", "suggestions": "", "evidence": evidence,
            "other_evidence": []}


# -- esao-3-1: works ----------------------------------------------------------

GROUPS = ["อำนวยการ", "นโยบายและแผน", "บริหารงานบุคคล", "ส่งเสริมการจัดการศึกษา", "นิเทศ ติดตามและประเมินผล"]


@pytest.mark.parametrize("n, level", [(5, 5), (4, 4), (3, 3), (2, 2), (1, 1), (0, 1)])
def test_every_works_row(n: int, level: int) -> None:
    record = works_record([work(f"ผลงาน {i}", GROUPS[i]) for i in range(n)])
    outcome = rubric.evaluate(forms.load("esao-3-1"), record)
    assert (outcome.level, outcome.basis) == (level, "rubric")
    assert told(outcome.reasons)[0].startswith(f"{n} of {n} work(s) count, from {n} distinct group(s): level {level}")


def test_more_works_than_groups_is_capped_by_the_groups() -> None:
    record = works_record([work(f"w{i}", GROUPS[i % 3]) for i in range(6)])
    outcome = rubric.evaluate(forms.load("esao-3-1"), record)
    assert outcome.level == 3
    assert any("same as work 1's" in r for r in told(outcome.reasons))


def test_prefixed_group_names_are_one_group() -> None:
    names = ["กลุ่มนโยบายและแผน", "นโยบายและแผน", "หน่วย นโยบาย และแผน", "ศูนย์นโยบายและแผน", "กลุ่ม  นโยบายและแผน"]
    record = works_record([work(f"w{i}", g) for i, g in enumerate(names)])
    outcome = rubric.evaluate(forms.load("esao-3-1"), record)
    assert outcome.level == 1 and "from 1 distinct group(s)" in told(outcome.reasons)[0]


@pytest.mark.parametrize("a, b, same", [
    ("กลุ่มอำนวยการ", "อำนวยการ", True),
    ("หน่วยตรวจสอบภายใน", "ตรวจสอบภายใน", True),
    ("ศูนย์ ICT", "ict", True),
    ("กลุ่ม ๑", "กลุ่ม 1", True),
    ("กลุ่ม 1", "กลุ่ม 2", False),
    ("งานนโยบาย", "นโยบาย", False),          # only the three prefixes are dropped
])
def test_group_key(a: str, b: str, same: bool) -> None:
    prefixes = forms.load("esao-3-1").rubric["group_prefixes"]
    assert (rubric.group_key(a, prefixes) == rubric.group_key(b, prefixes)) is same


@pytest.mark.parametrize("broken, why", [
    (work(photos=3), "3 photos, at least 4 needed"),
    (work(photos=0), "0 photos, at least 4 needed"),
    (work(title=""), "no title"),
    (work(group=""), "no group"),
    (work(method="  "), "no method"),
    (work(group="กลุ่ม"), "names no group"),
])
def test_a_work_that_does_not_count_says_why(broken: dict[str, Any], why: str) -> None:
    record = works_record([work("a", GROUPS[0]), work("b", GROUPS[1]), broken])
    outcome = rubric.evaluate(forms.load("esao-3-1"), record)
    assert outcome.level == 2
    assert any(r.startswith("work 3") and "does not count" in r and why in r for r in told(outcome.reasons))


def test_photo_shortfall_and_unticked_box_are_missing_evidence() -> None:
    record = works_record([work("a", photos=2)], ticked=False)
    outcome = rubric.evaluate(forms.load("esao-3-1"), record)
    assert any("2 of 4 photos" in m for m in told(outcome.missing))
    assert any("(works_detail) not ticked" in m for m in told(outcome.missing))


def test_the_samples_score_as_their_works_say() -> None:
    levels = {p.stem: score_result(json.loads(p.read_text("utf-8"))).level
              for p in S31.glob("*.json") if p.with_suffix(".docx").exists()}
    # three-works ticks 3, but work 2 has only 2 photos: level 2
    assert levels == {"blank": 1, "five-works-vml": 5, "libreoffice": 2, "one-work": 1, "partly-filled": 1,
                      "three-works": 2}


# -- esao-1-2: judgments ------------------------------------------------------

@pytest.mark.parametrize("done, clear, level", [
    (ALL, (True, True, True, True), 5),
    (ALL, (True, True, True, False), 4),
    (ALL, (False, True, False, True), 3),
    (ALL, (False, False, True, False), 2),
    (ALL, (False, False, False, False), 1),
    ((True, True, False, True), (True, True, True, True), 1),
    ((False, False, False, False), (False, False, False, False), 1),
])
def test_every_judgments_row(done: tuple[bool, ...], clear: tuple[bool, ...], level: int) -> None:
    outcome = rubric.evaluate(forms.load("esao-1-2"), esao12(), rubric.Judgment(done, clear))
    assert (outcome.level, outcome.basis) == (level, "judgments")
    if not all(done):
        assert any("not carried out" in r for r in told(outcome.reasons)[1:])


def test_a_clear_mark_on_a_consideration_not_carried_out_does_not_count() -> None:
    outcome = rubric.evaluate(forms.load("esao-1-2"), esao12(),
                              rubric.Judgment((True, True, True, True), (True, False, False, False)))
    assert outcome.level == 2


# -- esao-1-2: the proposal from the text --------------------------------------

FULL = ("1) จัดทำแผนพัฒนาบุคลากรรายบุคคล (ID Plan) ครบทุกคน\n"
        "2) ทุกกลุ่มจัดกิจกรรม KM และ PLC เดือนละ 1 ครั้ง\n"
        "3) พัฒนาห้องสมุดดิจิทัลเป็นแหล่งเรียนรู้ ใช้ต่อเนื่องทุกวัน\n"
        "4) ส่งเสริมการทำวิจัยในงานประจำ (R2R) ทุกกลุ่ม")


def test_auto_proposes_from_passages_and_ticked_boxes() -> None:
    record = esao12(FULL, action_plan=True, km_plan=True, km_report=True)
    outcome = rubric.evaluate(forms.load("esao-1-2"), record)
    assert (outcome.level, outcome.basis) == (5, "auto")
    assert told(outcome.reasons)[0].startswith("PROPOSAL, not a committee judgment: level 5")
    assert "process line 4 «4) ส่งเสริมการทำวิจัย" in told(outcome.reasons)[4]
    assert "km_plan ticked" in told(outcome.reasons)[2]
    assert told(outcome.reasons)[-1].startswith("supporting documents: action_plan ticked")


def test_auto_without_supporting_boxes_finds_nothing_clear() -> None:
    outcome = rubric.evaluate(forms.load("esao-1-2"), esao12(FULL))
    assert outcome.level == 1
    assert all("addressed, not clear" in r for r in told(outcome.reasons)[1:5])
    assert len(outcome.missing) == 3


def test_auto_counts_a_named_document_as_support_and_reads_negations() -> None:
    record = esao12(FULL.replace("4) ส่งเสริมการทำวิจัยในงานประจำ (R2R) ทุกกลุ่ม", "4) ยังไม่ได้นำกระบวนการวิจัยมาใช้"),
                    km_plan=True)
    record["other_evidence"] = ["บันทึกการใช้ห้องสมุดดิจิทัล"]
    outcome = rubric.evaluate(forms.load("esao-1-2"), record)
    assert "not done: process line 4" in told(outcome.reasons)[4] and "says it was not" in told(outcome.reasons)[4]
    assert "document «บันทึกการใช้ห้องสมุดดิจิทัล»" in told(outcome.reasons)[3]
    assert outcome.level == 1


def test_auto_with_three_clear_proposes_four() -> None:
    vague = FULL.replace("ใช้ต่อเนื่องทุกวัน", "")           # consideration 3: no number, no frequency
    outcome = rubric.evaluate(forms.load("esao-1-2"), esao12(vague, action_plan=True, km_plan=True, km_report=True))
    assert outcome.level == 4 and "not specific" in told(outcome.reasons)[3]


# -- rubric data: checked, and generic -------------------------------------------

def test_shipped_rubrics_are_valid() -> None:
    for form in forms.load_all():
        rubric.check(form)


@pytest.mark.parametrize("change, message", [
    ({"kind": "votes"}, "rubric kind 'votes'"),
    ({"levels": [{"level": 5, "min_photos": 3}, {"level": 1, "otherwise": True}]}, "unknown condition 'min_photos'"),
    ({"levels": [{"level": 5, "min_works": 5}]}, "exactly one row needs otherwise"),
    ({"field": "pictures"}, "'pictures' is not a field"),
    ({"evidence": {"field": "evidence", "required": ["nope"]}}, "no box 'nope'"),
])
def test_a_wrong_rubric_fails_loudly(change: dict[str, Any], message: str) -> None:
    form = forms.load("esao-3-1")
    broken = form._replace(rubric={**form.rubric, **change})
    with pytest.raises(FormkitError, match=message) as info:
        rubric.check(broken)
    assert info.value.code == "bad-form-definition"


@pytest.mark.parametrize("change, message", [
    ({"considerations": [{"name": "x", "keywords": ["k"], "boxes": ["km_plann"]}]}, "no box 'km_plann'"),
    ({"considerations": [{"name": "x"}]}, "needs name and keywords"),
    ({"auto": {"passages": ["proces"]}}, "'proces' is not a field"),
    ({"auto": {}}, "auto: needs passages"),
])
def test_a_wrong_judgments_rubric_fails_loudly(change: dict[str, Any], message: str) -> None:
    form = forms.load("esao-1-2")
    with pytest.raises(FormkitError, match=message):
        rubric.check(form._replace(rubric={**form.rubric, **change}))


def test_a_new_rubric_of_the_same_kind_needs_no_python() -> None:
    form = forms.load("esao-3-1")
    lenient = form._replace(rubric={
        **form.rubric, "counts_when": {"filled": ["title"], "at_least": {"photos": 1}},
        "levels": [{"level": 3, "min_works": 2}, {"level": 1, "otherwise": True}]})
    rubric.check(lenient)
    record = works_record([work("a", group="", photos=1), work("b", method="", photos=1)])
    assert rubric.evaluate(lenient, record).level == 3
    assert rubric.evaluate(form, record).level == 1


def test_a_form_without_rubric_is_not_scored() -> None:
    form = forms.load("esao-3-1")
    with pytest.raises(FormkitError) as info:
        rubric.evaluate(form._replace(rubric={}), works_record([]))
    assert info.value.code == "no-rubric"


# -- agrees, failed results --------------------------------------------------------

@pytest.mark.parametrize("ticked, agrees", [(2, True), (4, False), (None, None)])
def test_agrees(ticked: int | None, agrees: bool | None) -> None:
    record = works_record([work("a", GROUPS[0]), work("b", GROUPS[1])], level=ticked)
    score = score_result(envelope("esao-3-1", record)).as_dict()
    assert (score["self_assessed"], score["level"], score["agrees"]) == (ticked, 2, agrees)
    assert list(score) == ["file", "form", "office", "self_assessed", "level", "basis", "reasons", "agrees", "details"]


def test_a_failed_parse_is_listed_not_scored() -> None:
    failed = {"file": "bad.docx", "form": None, "record": None, "warnings": [],
              "error": {"code": "corrupt", "message": "bad.docx: the zip is damaged"}}
    score = score_result(failed).as_dict()
    assert score["level"] is None and score["basis"] is None and score["agrees"] is None
    assert score["reasons"] == ["not scored: the file could not be parsed: bad.docx: the zip is damaged [corrupt]"]


def test_parse_warnings_are_kept_in_the_reasons() -> None:
    result = json.loads((S12 / "multiple-levels.json").read_text("utf-8"))
    score = score_result(result)
    assert score.self_assessed is None and score.agrees is None
    assert any(r.startswith("parse warning: ") and "[multiple-levels-ticked]" in r for r in score.reasons)


# -- judgments files and matching --------------------------------------------------

@pytest.mark.parametrize("spelled, value", [
    ("true", True), ("TRUE", True), ("1", True), ("x", True), ("X", True), ("✓", True), ("ใช่", True), ("yes", True),
    ("false", False), ("0", False), ("no", False), ("", False), (False, False)])
def test_booleans(spelled: Any, value: bool) -> None:
    assert parse_bool(spelled, "here") is value


def test_an_unknown_boolean_is_a_usage_error() -> None:
    with pytest.raises(JudgmentsError, match="maybe"):
        parse_bool("maybe", "j.csv line 2, done1")


def test_csv_and_jsonl_judgments(tmp_path: Path) -> None:
    csv_file = tmp_path / "j.csv"
    csv_file.write_text("file,done1,done2,done3,done4,clear1,clear2,clear3,clear4\n"
                        "a.docx,x,x,✓,ใช่,yes,,0,false\n", "utf-8-sig")
    jsonl = tmp_path / "j.jsonl"
    jsonl.write_text(json.dumps({"file": "a.docx", "done": [True] * 4, "clear": [True, False, False, False]}) + "\n")
    for path in (csv_file, jsonl):
        [row] = read_judgments(str(path))
        assert row.file == "a.docx" and row.judgment == rubric.Judgment(ALL, (True, False, False, False))


def test_a_csv_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.csv"
    path.write_text("file,done1,clear2\na.docx,1,1\n")
    with pytest.raises(JudgmentsError, match="clear1"):
        read_judgments(str(path))


def _row(file: str) -> JudgmentRow:
    return JudgmentRow(file, rubric.Judgment(ALL, ALL), f"j line {file}")


def test_matching_by_path_then_by_unique_base_name() -> None:
    files = ["in/a.docx", "in/b.docx", "old/b.docx"]
    matched, orphans = match_judgments(files, [_row("./in/a.docx"), _row("b.docx"), _row("c.docx")])
    assert list(matched) == ["in/a.docx"] and matched["in/a.docx"].file == "./in/a.docx"
    assert "matches 2 files" in orphans[0] and "'c.docx'" in orphans[1] and "names no parsed file" in orphans[1]
    matched, orphans = match_judgments(files, [_row("C:\\returned\\a.docx"), _row("old/b.docx")])
    assert sorted(matched) == ["in/a.docx", "old/b.docx"] and not orphans


def test_two_judgments_for_one_file_are_an_error() -> None:
    with pytest.raises(JudgmentsError, match="a second judgment"):
        match_judgments(["in/a.docx"], [_row("in/a.docx"), _row("a.docx")])


def test_mismatches_are_reported_in_reasons_and_notes() -> None:
    items = [envelope("esao-1-2", esao12(FULL), "in/judged.docx"), envelope("esao-1-2", esao12(FULL), "in/unjudged.docx"),
             envelope("esao-3-1", works_record([]), "in/works.docx")]
    run = score_items(items, [_row("judged.docx"), _row("typo.docx"), _row("works.docx")], "j.csv")
    judged, unjudged, works = run.scores
    assert (judged.basis, judged.level) == ("judgments", 5)
    assert unjudged.basis == "auto" and unjudged.reasons[0].startswith("no committee judgment for in/unjudged.docx in j.csv")
    assert "'typo.docx'" in unjudged.reasons[0]
    assert works.basis == "rubric" and "was not used" in works.reasons[0]
    assert any("typo.docx" in n and "names no parsed file" in n for n in run.notes)
    assert len(run.notes) == 3


# -- the command ---------------------------------------------------------------

def test_parse_then_score_through_stdin() -> None:
    code, parsed, _ = run("parse", *map(str, sample_dirs()))
    assert code == 0
    code, out, err = run("score", "-", stdin=parsed)
    scores = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(scores) == len(parsed.splitlines()) == 21
    assert {s["basis"] for s in scores} == {"rubric", "auto"}
    assert "21 record(s): 6 scored (6 by rubric, 0 by judgments), 15 automatic proposal(s) for the committee" in err
    assert "15 record(s) have no committee judgment (no --judgments given)" in err


def test_score_reads_word_files_and_writes_each_format(tmp_path: Path) -> None:
    code, out, _ = run("score", str(S31 / "three-works.docx"))
    assert code == 0 and json.loads(out)["level"] == 2
    code, out, _ = run("score", str(S31), "--format", "json")
    assert code == 0 and len(json.loads(out)) == 6
    target = tmp_path / "s.csv"
    code, _, _ = run("score", str(S31), "--format", "csv", "-o", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8-sig"))))
    assert code == 0 and target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert [r["level"] for r in rows if r["file"].endswith("three-works.docx")] == ["2"]
    assert rows[0]["agrees"] == "" and " | " in rows[-1]["reasons"]


def test_judgments_on_the_command_line(tmp_path: Path) -> None:
    judgments = tmp_path / "j.jsonl"
    judgments.write_text(json.dumps({"file": "over-dots.docx", "done": [1, 1, 1, 1], "clear": [1, 1, 1, 0]}) + "\n"
                         + json.dumps({"file": "nowhere.docx", "done": [1] * 4, "clear": [1] * 4}) + "\n")
    code, out, err = run("score", str(S12 / "over-dots.json"), str(S12 / "before-dots.json"), "--judgments", str(judgments))
    over, before = (json.loads(line) for line in out.splitlines())
    assert code == 0
    assert (over["basis"], over["level"], over["agrees"]) == ("judgments", 4, True)
    assert before["basis"] == "auto" and "nowhere.docx" in before["reasons"][0]
    assert "'nowhere.docx'" in err and "no committee judgment for" in err


def test_bad_inputs_exit_1_and_usage_errors_exit_2(tmp_path: Path) -> None:
    code, out, err = run("score", "-", stdin=(S31 / "one-work.json").read_text("utf-8").replace("\n", " ")
                         + "\nnot json\n{\"file\": \"x\"}\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and len(lines) == 3 and lines[0]["level"] == 1
    assert [l["basis"] for l in lines[1:]] == [None, None]
    assert "[bad-input]" in lines[1]["reasons"][0] and "not scored" in err
    bad = tmp_path / "j.csv"
    bad.write_text("file,done1,clear1\na.docx,perhaps,1\n")
    assert run("score", str(S12 / "over-dots.json"), "--judgments", str(bad))[0] == 2
    assert run("score", str(tmp_path / "absent.jsonl"))[0] == 2


def test_score_output_passes_through() -> None:
    code, first, _ = run("score", str(S31), "--format", "jsonl")
    code2, again, _ = run("score", "-", stdin=first)
    assert code == code2 == 0 and again == first


# -- results given back: checked field by field -------------------------------------

SCORED = {"file": "in/a.docx", "form": "esao-3-1", "office": "สพป. ก", "self_assessed": 2, "level": 2,
          "basis": "rubric", "reasons": ["2 of 2 work(s) count"], "agrees": True}


def _jsonl(*values: object) -> str:
    return "".join(json.dumps(v, ensure_ascii=False) + "\n" for v in values)


def _score_lines(stdin: str) -> tuple[int, list[dict[str, Any]], str]:
    code, out, err = run("score", "-", "--format", "jsonl", stdin=stdin)
    return code, [json.loads(line) for line in out.splitlines()], err


@pytest.mark.parametrize("key, value, said", [
    ("office", {}, "field 'office': expected text or null, got an object"),
    ("form", [], "field 'form': expected text or null, got a list"),
    ("level", "<script>alert(1)</script>", 'field \'level\': expected a level 1..5 or null, got "<script>alert(1)</script>"'),
    ("level", 7, "field 'level': expected a level 1..5 or null, got 7"),
    ("level", True, "field 'level': expected a level 1..5 or null, got true"),
    ("self_assessed", "3", "field 'self_assessed': expected a level 1..5 or null, got \"3\""),
    ("agrees", "<img src=x onerror=alert(1)>", "field 'agrees': expected true, false or null"),
    ("reasons", "one reason", "field 'reasons': expected a list of text"),
    ("reasons", [1], "field 'reasons': expected a list of text, got a list"),
    ("basis", "magic", "field 'basis': expected one of rubric, judgments, auto or null"),
    ("basis", None, "fields 'level' and 'basis': both null (not scored) or both set"),
])
def test_a_score_result_with_a_wrong_field_is_bad_input(key: str, value: object, said: str) -> None:
    """The entry is listed, not scored, naming the input, the line and the
    field; the entries around it pass through unchanged."""
    other = {**SCORED, "file": "in/c.docx", "agrees": None, "self_assessed": None}
    code, lines, err = _score_lines(_jsonl(SCORED, {**SCORED, "file": "in/b.docx", key: value}, other))
    assert code == 1 and [line["file"] for line in lines] == ["in/a.docx", "in/b.docx", "in/c.docx"]
    assert [without_details(lines[0]), without_details(lines[2])] == [SCORED, other]
    assert lines[0]["details"] == [{"code": "text", "args": {"text": r}} for r in SCORED["reasons"]]  # no details given
    bad = lines[1]
    assert (bad["level"], bad["basis"], bad["agrees"]) == (None, None, None)
    [reason] = bad["reasons"]
    assert reason.startswith(f"not scored: <stdin> line 2: {said}") and reason.endswith(" [bad-input]")
    assert "1 not scored" in err


def _three_works() -> dict[str, Any]:
    return json.loads((S31 / "three-works.json").read_text("utf-8"))


@pytest.mark.parametrize("change, field", [
    (lambda r: r.update(record="a record"), "field 'record': expected an object or null"),
    (lambda r: r.update(warnings="careful"), "field 'warnings': expected a list of {\"code\", \"message\"}"),
    (lambda r: r.update(warnings=[{"code": 1, "message": "m"}]), "field 'warnings'"),
    (lambda r: r.update(error="boom"), "field 'error': expected {\"code\", \"message\"} or null"),
    (lambda r: r.update(form="../../tmp/elsewhere"), "field 'form': expected a form id or null"),
    (lambda r: r["record"].update(works="many"), "field 'record.works': expected a list of objects, got \"many\""),
    (lambda r: r["record"]["works"].append("fourth"), "field 'record.works': expected a list of objects, got a list"),
    (lambda r: r["record"]["works"][1].update(photos=3), "field 'record.works[1].photos': expected a list of photos"),
    (lambda r: r["record"]["works"][0].update(title=["a"]), "field 'record.works[0].title': expected text, got a list"),
    (lambda r: r["record"].update(evidence=[]), "field 'record.evidence': expected an object of true/false"),
    (lambda r: r["record"].update(evidence={"works_detail": "yes"}), "field 'record.evidence'"),
    (lambda r: r["record"].update(office={}), "field 'record.office': expected text, got an object"),
    (lambda r: r["record"].update(level="5"), "field 'record.level': expected a level 1..5 or null, got \"5\""),
])
def test_a_parse_result_with_a_wrong_field_is_bad_input(change: Any, field: str) -> None:
    good = _three_works()
    bad = _three_works()
    change(bad)
    code, lines, _ = _score_lines(_jsonl(good, bad, good))
    assert code == 1 and len(lines) == 3
    assert lines[0] == lines[2] and (lines[0]["level"], lines[0]["basis"]) == (2, "rubric")
    assert lines[1]["file"] == good["file"] and lines[1]["basis"] is None
    [reason] = lines[1]["reasons"]
    assert reason.startswith(f"not scored: <stdin> line 2: {field}") and reason.endswith("[bad-input]")


@pytest.mark.parametrize("line, said", [
    ('{"file": "a.docx", "form": "esao-3-1", "record": {"office": "\\ud800"}, "error": null}',
     "<stdin> line 2: field 'record.office': holds a lone surrogate"),
    ('{"file": "\\udfff.docx", "form": "esao-3-1", "record": {}, "error": null}',
     "<stdin> line 2: field 'file': holds a lone surrogate"),
    ('{"file": "a.docx", "level": ' + "9" * 5000 + "}", "<stdin> line 2: not JSON this program reads (a number"),
    ("[" * 100_000 + "]" * 100_000, "<stdin> line 2: not JSON this program reads (nested too deeply)"),
])
def test_json_no_output_can_hold_is_bad_input(line: str, said: str) -> None:
    """Lone surrogates (which \\u escapes allow and UTF-8 cannot write), huge
    numbers and deep nesting: listed as bad input, the rest still scored."""
    good = json.dumps(_three_works(), ensure_ascii=False)
    code, lines, _ = _score_lines(f"{good}\n{line}\n{good}\n")
    assert code == 1 and [l["level"] for l in lines] == [2, None, 2]
    assert lines[1]["reasons"][0].startswith(f"not scored: {said}")
    assert "\ud800" not in lines[1]["file"] and "\udfff" not in lines[1]["file"]


def test_unreadable_inputs_are_usage_errors(tmp_path: Path) -> None:
    """A FIFO (which would block an open for ever) or a folder of no Word
    files given as RESULTS, and judgments that are a FIFO, a huge number or
    not text in their encoding: exit 2 with the file named, at once."""
    import os

    fifo = tmp_path / "results.jsonl"
    os.mkfifo(fifo)
    code, _, err = run("score", str(fifo))
    assert code == 2 and "named pipe" in err and str(fifo) in err
    code, _, err = run("score", str(S12 / "over-dots.json"), "--judgments", str(fifo))
    assert code == 2 and "named pipe" in err
    huge = tmp_path / "j.jsonl"
    huge.write_text('{"file": "a.docx", "done": [' + "1" * 5000 + '], "clear": [1]}\n')
    code, _, err = run("score", str(S12 / "over-dots.json"), "--judgments", str(huge))
    assert code == 2 and "j.jsonl: not JSON this program reads (a number of thousands of digits)" in err
    odd = tmp_path / "j.csv"
    odd.write_bytes(b"\xff\xfef\x00i\x00l")   # UTF-16 by its BOM, cut mid-character
    code, _, err = run("score", str(S12 / "over-dots.json"), "--judgments", str(odd))
    assert code == 2 and "j.csv" in err and "utf-16" in err


def test_csv_output_never_holds_a_formula(tmp_path: Path) -> None:
    """Score CSV read back with the csv module: text beginning with = + - @
    (or a tab) starts with a single quote; levels stay plain numbers."""
    hostile = {**SCORED, "file": "=HYPERLINK(\"http://example.invalid\",\"x\").docx", "office": "=cmd|' /C calc'!A0",
               "form": "@form", "reasons": ["-2+3", "\t=1+1"]}
    target = tmp_path / "scores.csv"
    code, _, _ = run("score", "-", "--format", "csv", "-o", str(target), stdin=_jsonl(hostile, SCORED))
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8-sig"))))
    assert code == 0 and len(rows) == 2
    assert rows[0]["file"] == "'" + hostile["file"] and rows[0]["office"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["form"] == "'@form" and rows[0]["reasons"] == "'-2+3 | \t=1+1"
    assert (rows[0]["level"], rows[0]["agrees"]) == ("2", "true") and rows[1]["office"] == "สพป. ก"


def test_stdin_that_is_not_utf8_is_bad_input_not_a_traceback() -> None:
    good = json.dumps(_three_works(), ensure_ascii=False).encode("utf-8")
    result = CliRunner().invoke(main, ["score", "-", "--format", "jsonl"], input=b"\xef\xbb\xbf" + good + b"\n\xff\xfe{\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 1 and (result.exception is None or isinstance(result.exception, SystemExit))
    assert [l["level"] for l in lines] == [2, None] and "<stdin> line 2: not JSON" in lines[1]["reasons"][0]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (ENOSPC on every write)")
def test_a_full_stdout_is_one_line() -> None:
    import os
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "formkit", "score", str(S12 / "over-dots.json")], stdout=full,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "Error: <stdout>: cannot be written: no space left on the device; free some space" in proc.stderr
