"""The date blanks and signature blocks ``formkit learn`` recognises on a
line of label + blank pairs (:meth:`formkit.learn.learner.Learner._labelled`).

* "วันที่......เดือน.........พ.ศ........", "Date ..../..../....": a ``date``
  field, its printed words (or "/") between the blanks as ``between``;
* "ลงชื่อ..........ผู้รายงาน" / "(..........)" / "ตำแหน่ง.........." / a date,
  "Signature ..... / Name ..... / Position ..... / Date .....": one
  ``signature`` field whose parts (name, position, date) are the lines under
  it; the signature's own blank is never filled.

The words come from formkit/data/learn.yaml (``date_words``,
``date_parts``, ``signature_words``, ``signature_parts``).
"""
from __future__ import annotations

from typing import Protocol

from formkit.learn.model import Proposal, label_pairs, title_of, vocabulary
from formkit.locate.stream import Para
from formkit.locate.thaidate import separator
from formkit.text import match_key

_SIGNATURE_LINES = 5


class Lines(Protocol):
    paras: list[Para]
    kinds: list[str]

    def text(self, p: Para) -> str: ...


def _words(key: str) -> list[str]:
    return [match_key(w) for w in vocabulary()[key]]


def _between(pairs: list[str]) -> list[str]:
    """The printed pieces between a date's blanks, an abbreviation's last dot
    given back ("พ.ศ" cut before the dots of its blank is "พ.ศ.")."""
    return [p + "." if "." in p and not p.endswith(".") else p for p in pairs]


def date_of(pairs: list[str], at: int, where: str) -> Proposal | None:
    """A date field for a line whose labels are ``pairs``: a date word then
    month and year words, or any label then blanks separated by "/"."""
    if len(pairs) < 2:
        return None
    rest = tuple(_between(pairs[1:]))
    parts = _words("date_parts")
    slashed = separator(rest) is not None
    words = match_key(pairs[0]) in _words("date_words") and all(match_key(w) in parts for w in rest)
    if not (slashed or words) or not match_key(pairs[0]):
        return None
    prop = Proposal("date", title_of(pairs[0]), at, where, {"label": pairs[0], "between": list(rest)})
    shape = "12/01/2567" if slashed else " ".join(["12", *rest[:1], "มกราคม", *rest[1:2], "2567"][: 2 * len(rest) + 1])
    prop.notes.append(f"a date blank: written and read as one value in the printed order (\"{shape}\" fills it)")
    return prop


def is_signature(label: str) -> bool:
    key = match_key(label)
    return bool(key) and any(key == w or key.startswith(w) for w in _words("signature_words"))


def _role(label: str) -> str | None:
    key = match_key(label)
    for role, words in vocabulary()["signature_parts"].items():
        if any(key == match_key(w) for w in words):
            return str(role)
    return None


def signature(lines: Lines, i: int, hi: int, label: str, trailing: str) -> tuple[Proposal | None, int, str]:
    """The signature block opened at paragraph ``i``: the field (None when
    no part is printed under it), one past its last line, and a note."""
    p = lines.paras[i]
    parts: list[Proposal] = []
    end = i + 1
    j = i + 1
    while j < min(hi, i + 1 + _SIGNATURE_LINES) and lines.paras[j].container == p.container:
        kind = lines.kinds[j]
        if kind == "empty":
            j += 1
            continue
        if kind != "labelled":
            break
        q = lines.paras[j]
        pairs, _rest = label_pairs(lines.text(q))
        part = _part(pairs, q, {x.name for x in parts})
        if part is None:
            break
        parts.append(part)
        end = j = j + 1
    if not parts:
        return None, i + 1, f"a signature line at {p.where} with no name or position under it: not a field"
    title = f"{label} {trailing}".strip() if trailing else label
    prop = Proposal("signature", title_of(title), i, p.where, {"label": label}, fields=parts)
    prop.notes.append("a signature block: name, position and date are filled, the signature is left to the pen")
    return prop, end, ""


def _part(pairs: list[str], q: Para, taken: set[str]) -> Proposal | None:
    if not pairs:
        return None
    role = "name" if pairs[0] == "(" else _role(pairs[0])
    if role is None or role in taken:
        return None
    date = date_of(pairs, q.index, q.where) if role == "date" else None
    if date is not None:
        date.name = role
        date.notes.clear()
        return date
    if len(pairs) > 1:
        return None
    return Proposal("value", title_of(pairs[0]) if pairs[0] != "(" else "ชื่อ", q.index, q.where,
                    {"label": pairs[0]}, name=role)
