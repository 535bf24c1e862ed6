"""The esao-1-2 proposal read from an answer numbered by the considerations:
the item numbered k is the evidence for consideration k first, whatever the
numbering style (1. 1) (1) Thai digits, ข้อ k); then the keyword match."""
from __future__ import annotations

from typing import Any

import pytest

from formkit import forms
from formkit.score import rubric
from formkit.score.proposal import list_mark, numbered_items

ITEMS = ["จัดทำแผนพัฒนาบุคลากรรายบุคคล (ID Plan) ครบทุกคน",
         "ทุกกลุ่มจัดกิจกรรม KM และ PLC เดือนละ 1 ครั้ง จัดเก็บองค์ความรู้ในคลังความรู้ของเขต",
         "พัฒนาห้องสมุดดิจิทัลเป็นแหล่งเรียนรู้ ใช้ต่อเนื่องทุกวัน",
         "ส่งเสริมการทำวิจัยในงานประจำ (R2R) ทุกกลุ่ม"]
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
STYLES = {"1.": "{n}. ", "1)": "{n}) ", "(1)": "({n}) ", "๑.": "{t}. ", "๓)": "{t}) ", "ข้อ 1": "ข้อ {n} "}


def esao12(process: str) -> dict[str, Any]:
    evidence = {"action_plan": True, "km_plan": True, "km_report": True, "other": False}
    return {"level": None, "process": process, "problems": "", "suggestions": "", "evidence": evidence,
            "other_evidence": []}


def reasons(process: str) -> list[str]:
    """The proposal's reason for each consideration, 1..4."""
    return [r.text() for r in rubric.evaluate(forms.load("esao-1-2"), esao12(process)).reasons[1:5]]


def numbered(style: str, items: list[str]) -> str:
    return "\n".join(STYLES[style].format(n=n, t=str(n).translate(THAI)) + text for n, text in enumerate(items, 1))


@pytest.mark.parametrize("style", STYLES)
def test_the_item_numbered_k_is_the_evidence_for_consideration_k(style: str) -> None:
    """Item 2 names a knowledge store (คลังความรู้, a keyword of
    consideration 3); consideration 3's evidence is still item 3."""
    said = reasons(numbered(style, ITEMS))
    for k in range(1, 5):
        assert f"process line {k} «" in said[k - 1] and ITEMS[k - 1][:20] in said[k - 1], said[k - 1]
    assert "addressed, clear" in said[2]


def test_a_line_under_an_item_belongs_to_it() -> None:
    """Item 3's keyword is on the line below its number (and its sub-points
    numbered 3.1, 3.2 open no item): still item 3's evidence."""
    process = "\n".join(["1) " + ITEMS[0], "2) " + ITEMS[1], "3) ด้านสื่อและช่องทาง",
                         "3.1 ห้องสมุดดิจิทัลเป็นแหล่งเรียนรู้ เปิดทุกวัน", "3.2 จัดมุมอ่านหนังสือ", "4) " + ITEMS[3]])
    said = reasons(process)
    assert "process line 4 «3.1 ห้องสมุดดิจิทัล" in said[2]
    assert "process line 6 «4) ส่งเสริมการทำวิจัย" in said[3]


def test_an_item_saying_it_was_not_done_is_not_outranked() -> None:
    """The office's own item 3 says there is no learning resource yet: not
    done, though item 2 names a knowledge store."""
    items = [*ITEMS[:2], "ยังไม่มีแหล่งเรียนรู้ในสำนักงาน", ITEMS[3]]
    said = reasons(numbered("1)", items))
    assert said[2].startswith("consideration 3 (") and "not done: process line 3 «3) ยังไม่มี" in said[2]
    assert "says it was not" in said[2]


def test_without_a_keyword_in_its_item_every_line_is_searched() -> None:
    """Item 3 names none of consideration 3's keywords: the keyword match of
    every line decides (the knowledge store of item 2), as for an answer
    that is not numbered; a list of six steps is no list of considerations."""
    items = [*ITEMS[:2], "จัดหาหนังสือใหม่ให้บุคลากร", ITEMS[3]]
    assert "process line 2 «2) ทุกกลุ่ม" in reasons(numbered("1)", items))[2]
    steps = [*ITEMS, "ติดตามผล", "สรุปรายงาน"]
    assert "process line 2 «2. ทุกกลุ่ม" in reasons(numbered("1.", steps))[2]
    assert "process line 3 «3) พัฒนาห้องสมุด" in reasons(numbered("1)", ITEMS))[2]


@pytest.mark.parametrize("line, mark", [
    ("1. ก", (1, ".")), ("3) ก", (3, ")")), ("(2) ก", (2, "()")), ("๓) ก", (3, ")")), ("๑.ก", (1, ".")),
    ("ข้อ 4 ก", (4, "ข้อ")), ("ประเด็นที่ ๒ ก", (2, "ประเด็นที่")), ("1.1 ก", None), ("2.5 ล้านบาท", None),
    ("2565 ปีงบประมาณ", None), ("ข้อมูล 3 ชุด", None), ("- ก", None)])
def test_list_marks(line: str, mark: tuple[int, str] | None) -> None:
    assert list_mark(line) == mark


def test_a_sub_list_in_another_style_stays_inside_its_item() -> None:
    lines = [("process", n, text) for n, text in enumerate(
        ["นำ", "1) ก", "(1) ย่อย", "(2) ย่อย", "2) ข", "1. ซ้ำ", "3) ค"], 1)]
    items = numbered_items(lines, 4)
    assert {k: [n for _, n, _ in v] for k, v in items.items()} == {1: [2, 3, 4], 2: [5, 6], 3: [7]}
    assert numbered_items(lines + [("process", 8, "5) ง")], 4) == {}
