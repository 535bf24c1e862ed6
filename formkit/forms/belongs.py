"""Fields that detail a box: an answer there while the box is unticked.

A form may print a box with lines that specify it ("❒ หลักฐานอื่น ๆ ที่เกี่ยวข้อง
(ถ้ามี) โปรดระบุ" and the numbered lines below it). The definition says so with
``belongs_to: group.key`` on the lines field (checked when the form is
loaded). Lines written while their box is left unticked contradict each
other, so both directions say it: ``fill`` for the record it is given (it
never ticks the box itself: a tick is the office's own claim) and ``parse``
for the document it reads. The warning is ``answer-without-box``.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from formkit.forms import FieldDef
from formkit.warnings import Warning

Answered = Callable[[FieldDef, Any], bool]


def answers_without_box(
    fields: tuple[FieldDef, ...], record: Mapping[str, Any], answered: Answered, path: str = ""
) -> list[Warning]:
    """One ``answer-without-box`` warning per field of ``record`` that
    ``answered`` says holds an answer while the box it belongs to is not
    ticked; items of repeated blocks are checked with their own fields."""
    out: list[Warning] = []
    for f in fields:
        value = record.get(f.name)
        if f.kind == "repeat" and isinstance(value, list):
            for n, item in enumerate(value):
                if isinstance(item, Mapping):
                    out += answers_without_box(f.fields, item, answered, f"{path}{f.name}[{n}].")
        if not f.belongs_to or not answered(f, value):
            continue
        group, _, key = f.belongs_to.partition(".")
        boxes = record.get(group)
        if isinstance(boxes, Mapping) and boxes.get(key):
            continue
        label = _box_label(fields, group, key)
        out.append(Warning.of(
            "answer-without-box", f"{path}{f.name}",
            f"holds an answer, but the box it details, {path}{f.belongs_to} ({label}), is not ticked: "
            f"tick that box, or leave {f.name} empty",
        ))
    return out


def _box_label(fields: tuple[FieldDef, ...], group: str, key: str) -> str:
    for f in fields:
        if f.name == group:
            return next((text for k, text in f.items if k == key), key)
    return key


def has_answer(f: FieldDef, value: Any) -> bool:
    """A parsed value holds an answer: text, or a list with an item."""
    return bool(value)
