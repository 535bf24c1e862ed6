"""The proposal read from an answer's text, for a rubric the committee judges.

Without the committee's judgment, each consideration of a ``judgments``
rubric is looked for in the answer (the rubric's ``auto.passages`` fields):
the passage addressing it is a line naming one of its keywords with no
negation just before it, taken as clear when that line is specific (a
number, or a frequency word) and supported (one of its boxes ticked, or a
named document naming a keyword). Every word list is the form's data
(forms/<id>/form.yaml); only the reading is here.

Offices number their answer by the considerations ("1) ... 2) ...",
"(1)", "๓.", "ข้อ 3"), so the item numbered k is the evidence for
consideration k first: a keyword of consideration 3 in an office's line
about its knowledge store (item 2) does not outrank its own item 3. Only
when item k names none of its keywords is every line searched.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from formkit.score.reasons import Reason
from formkit.text import LIST_NUMBER, clean_chars, fold_digits

_QUOTE = 70  # characters of a passage quoted in a reason
Line = tuple[str, int, str]  # a passage's field, the line's number in it (from 1), its text
_DIGIT = re.compile(r"\d")
# A list number spelled as a word: "ประเด็นที่ 3" (point 3), "ข้อที่ 3", "ข้อ 3" (item 3).
_ITEM_WORD = re.compile(r"^\s*(ประเด็นที่|ข้อที่|ข้อ)\s*([0-9๐-๙]{1,3})(?![0-9๐-๙])")
# The line's own list number, which says nothing about how much or how often.
_ENUMERATOR = re.compile(r"^\s*(?:(?:ประเด็นที่|ข้อที่|ข้อ)\s*\d+|\(?\d+[.)])\s*")


@dataclass(frozen=True, slots=True)
class Finding:
    """What the text says about one consideration."""

    done: bool
    clear: bool
    reason: Reason


def quote(text: str) -> str:
    """A passage as a reason quotes it: one line, cut short."""
    text = text.replace("\n", " ")
    return text if len(text) <= _QUOTE else text[: _QUOTE - 1] + "…"


def read(auto: Mapping[str, Any], considerations: Sequence[Mapping[str, Any]], record: Mapping[str, Any],
         ticked: Mapping[str, Any], labels: Mapping[str, str]) -> list[Finding]:
    """One finding per consideration, from the ``auto.passages`` fields of
    ``record``; ``ticked`` boxes (of ``labels``) and ``auto.documents`` support."""
    lines: list[Line] = []
    items: dict[int, list[Line]] = {}
    for name in auto["passages"]:
        text = str(record.get(name) or "")
        field_lines = [(name, n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
        items = {**numbered_items(field_lines, len(considerations)), **items}  # an earlier field's item k first
        lines += field_lines
    documents = [str(d) for d in record.get(str(auto.get("documents", ""))) or ()]
    auto = {**auto, "negations": [_fold(w) for w in auto.get("negations", ())]}  # folded once, not per line
    return [_consider(n, c, auto, (items.get(n, []), lines), documents, ticked, labels)
            for n, c in enumerate(considerations, 1)]


def list_mark(line: str) -> tuple[int, str] | None:
    """The number a line starts with as a list item (Thai or Arabic digits,
    :data:`formkit.text.LIST_NUMBER`, or a word: "ข้อ 3") and the list's
    style ("1)", "(1)", "1." and "ข้อ" are four), or None: "1.1" and "2.5"
    open no item."""
    match = LIST_NUMBER.match(line)
    if match:
        mark = match.group().strip()
        if match.group().endswith(".") and line[match.end():match.end() + 1].isdigit():
            return None
        style = ("(" if mark.startswith("(") else "") + mark[-1]
        return int(fold_digits(mark.strip("(.) "))), style
    word = _ITEM_WORD.match(line)
    return (int(fold_digits(word.group(2))), word.group(1)) if word else None


def numbered_items(lines: Sequence[Line], count: int) -> dict[int, list[Line]]:
    """An answer numbered by the considerations: k -> its item, the line
    numbered k and the lines after it up to the next item. Items are the
    lines in the style of the first numbered line whose numbers rise, so a
    sub-list in another style, or numbered again from 1, stays inside its
    item. Empty when an item is numbered beyond the ``count`` considerations:
    the list is of steps, not of considerations."""
    heads: list[tuple[int, int]] = []  # (index in lines, number)
    first = ""
    for i, (_, _, line) in enumerate(lines):
        mark = list_mark(line)
        if mark is None or (first and mark[1] != first) or (heads and mark[0] <= heads[-1][1]):
            continue
        if mark[0] > count:
            return {}
        first = mark[1]
        heads.append((i, mark[0]))
    ends = [i for i, _ in heads[1:]] + [len(lines)]
    return {number: list(lines[start:end]) for (start, number), end in zip(heads, ends)}


def _fold(text: str) -> str:
    return fold_digits(clean_chars(text)).casefold()


def _consider(n: int, item: Mapping[str, Any], auto: Mapping[str, Any], passages: tuple[list[Line], list[Line]],
              documents: list[str], ticked: Mapping[str, Any], labels: Mapping[str, str]) -> Finding:
    """Find the passage addressing consideration ``n`` (in its numbered item
    first, then in every line) and judge it as the committee would at a
    glance: addressed, specific, supported."""
    keywords = [_fold(k) for k in item["keywords"]]
    said: dict[str, Any] = {"number": n, "name": str(item["name"])}
    found = _find(passages[0], keywords, auto) or _find(passages[1], keywords, auto)
    if found is None:
        return Finding(False, False, Reason("not-addressed", said))
    (name, number, line), addressed = found
    said.update(field=name, line=number, quote=quote(line))
    if not addressed:
        return Finding(False, False, Reason("said-not-done", said))
    specific = _specific(_fold(line), auto)
    boxes = [b for b in item.get("boxes", ()) if ticked.get(b) and b in labels]
    named = [quote(d) for d in documents if _mentions(_fold(d), keywords, auto) == "yes"]
    clear = specific and bool(boxes or named)
    said.update(clear=clear, specific=specific, boxes=boxes, documents=named)
    return Finding(True, clear, Reason("addressed", said))


def _find(lines: Sequence[Line], keywords: Sequence[str], auto: Mapping[str, Any]) -> tuple[Line, bool] | None:
    """The first line naming a keyword (True), else the first naming one
    only after a negation (False), else None."""
    negated: Line | None = None
    for line in lines:
        state = _mentions(_fold(line[2]), keywords, auto)
        if state == "yes":
            return line, True
        if state == "negated" and negated is None:
            negated = line
    return (negated, False) if negated is not None else None


def _mentions(folded: str, keywords: Sequence[str], auto: Mapping[str, Any]) -> str:
    """"yes" when a keyword occurs with no negation just before it,
    "negated" when every occurrence is negated, "" when none occurs."""
    window = int(auto.get("negation_window", 30))
    negations = auto.get("negations", ())
    seen = False
    for keyword in keywords:
        for match in re.finditer(re.escape(keyword), folded):
            seen = True
            before = folded[max(0, match.start() - window): match.start()]
            if not any(neg in before for neg in negations):
                return "yes"
    return "negated" if seen else ""


def _specific(folded: str, auto: Mapping[str, Any]) -> bool:
    """A number (not the line's own "1)" or "ประเด็นที่ 1") or a frequency
    word: the passage says how much or how often, not only what."""
    folded = _ENUMERATOR.sub("", folded)
    return bool(_DIGIT.search(folded)) or any(_fold(w) in folded for w in auto.get("specific", ()))
