"""A value that begins with its field's printed label is written once after
the label ("กลุ่ม บริหารงานบุคคล", never "กลุ่ม กลุ่มบริหารงานบุคคล"), and
parse(fill(r)) == canonical(r) holds: the canonical value is without the label."""
from __future__ import annotations

import io
from typing import Any

import pytest

from formkit import forms
from formkit.fill.filler import Filler
from formkit.read.parse import parse_file
from tests.test_fill_copies import _texts

FORM_31 = forms.load("esao-3-1")

CASES = [
    ({"group": "กลุ่มบริหารงานบุคคล"}, "group", "บริหารงานบุคคล", "กลุ่ม บริหารงานบุคคล"),
    ({"group": "กลุ่ม: นโยบายและแผน"}, "group", "นโยบายและแผน", "กลุ่ม นโยบายและแผน"),
    ({"group": "กลุ่ม  ส่งเสริมการจัดการศึกษา"}, "group", "ส่งเสริมการจัดการศึกษา", "กลุ่ม ส่งเสริมการจัดการศึกษา"),
    ({"title": "ชื่อผลงาน ระบบติดตามงบประมาณ"}, "title", "ระบบติดตามงบประมาณ", "ชื่อผลงาน ระบบติดตามงบประมาณ"),
]


@pytest.mark.parametrize("work, name, value, line", CASES, ids=[c[1] + str(n) for n, c in enumerate(CASES)])
def test_the_label_is_written_once(work: dict[str, Any], name: str, value: str, line: str) -> None:
    filler = Filler(FORM_31)
    record = {"works": [work]}
    buf = io.BytesIO()
    canon = filler.render(record, buf)
    assert canon["works"][0][name] == value
    assert parse_file(buf.getvalue()).record == canon
    texts = _texts(buf.getvalue())
    assert line in texts
    assert not [t for t in texts if t.startswith("กลุ่ม กลุ่ม") or t.startswith("ชื่อผลงาน ชื่อผลงาน")]


def test_a_value_that_is_only_the_label_leaves_the_blank_and_others_stay_as_given() -> None:
    buf = io.BytesIO()
    works = [{"title": "ผลงาน", "group": "กลุ่ม"}, {"title": "ผลงานสอง", "group": "นโยบายและแผน"}]
    canon = Filler(FORM_31).render({"works": works}, buf)
    assert [w["group"] for w in canon["works"]] == ["", "นโยบายและแผน"]
    assert parse_file(buf.getvalue()).record == canon
