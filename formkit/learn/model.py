"""The values ``formkit learn`` works with: proposed fields and the draft,
the words it knows (formkit/data/learn.yaml), and the text helpers shared by
the scan (:mod:`formkit.learn.learner`), the table readers (:mod:`formkit.learn.tables`)
and the YAML writer (:mod:`formkit.learn.write`).
"""
from __future__ import annotations

import re
from importlib import resources

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from formkit.locate.labels import COLONS
from formkit.text import LEADER, LIST_NUMBER, normalize_line


@dataclass(slots=True)
class Proposal:
    """One proposed field: its kind, anchors (``spec``: the form.yaml keys
    besides kind and title) and the doubts a person should check."""

    kind: str
    title: str
    at: int
    where: str
    spec: dict[str, Any] = field(default_factory=dict)
    fields: list[Proposal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    name: str = ""


@dataclass(slots=True)
class Draft:
    """A whole proposed definition."""

    form_id: str
    title: str
    source: str
    phrases: list[str]
    fields: list[Proposal]
    headings: list[str]
    notes: list[str]
    left_out: list[str] = field(default_factory=list)  # fields learn could not place, and why


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """formkit/data/learn.yaml: the words learn knows."""
    path = resources.files("formkit").joinpath("data/learn.yaml")
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


def label_text(text: str) -> str:
    """A printed label as written in form.yaml: one line, no leaders, no
    trailing colon."""
    return normalize_line(" ".join(text.split("\n"))).rstrip(" " + COLONS)


def title_of(text: str) -> str:
    """A field's title: its label without a leading "1." or "1)"."""
    return LIST_NUMBER.sub("", label_text(text)) or label_text(text)


def text_before_box(inlines: tuple[Any, ...]) -> bool:
    """True when printed text comes before the first box of a paragraph."""
    from formkit.docx.model import Checkbox, Text

    for item in inlines:
        if isinstance(item, Checkbox):
            return False
        if isinstance(item, Text) and item.text.strip():
            return True
    return False


def label_pairs(text: str) -> tuple[list[str], str]:
    """The labels of a line of label + blank pairs, and any text after the last blank."""
    labels: list[str] = []
    pos = 0
    for m in LEADER.finditer(text):
        segment = label_text(text[pos : m.start()])
        if segment:
            labels.append(segment)
        pos = m.end()
    return labels, label_text(text[pos:])


def split_leader(text: str) -> tuple[str, str]:
    m = LEADER.search(text)
    if not m:
        return label_text(text), ""
    return label_text(text[: m.start()]), label_text(text[m.end() :])


def walk(fields: list[Proposal]) -> list[Proposal]:
    out: list[Proposal] = []
    for f in fields:
        out.append(f)
        out.extend(walk(f.fields))
    return out


def unique(texts: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for t in texts:
        if t and t not in seen:
            seen.add(t)
            out.append(t)
    return out


_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def name_from(label: str) -> str:
    """An ASCII snake_case name for a printed label, or "" when none is clear."""
    words = [w.lower() for w in _ASCII_WORD.findall(_ascii(label))]
    thai = sum(1 for ch in label if "\u0e00" <= ch <= "\u0e7f")
    if words and thai < 3:
        return "_".join(words[:3])
    names: dict[str, str] = vocabulary()["names"]
    found: list[tuple[int, str]] = []
    taken = [False] * len(label)
    for word in sorted(names, key=len, reverse=True):
        at = label.find(word)
        while at >= 0:
            if not any(taken[at : at + len(word)]):
                for k in range(at, at + len(word)):
                    taken[k] = True
                found.append((at, names[word]))
            at = label.find(word, at + len(word))
    parts: list[str] = []
    for _at, part in sorted(found):
        if part not in parts:
            parts.append(part)
    return "_".join(parts[:2])


def _ascii(text: str) -> str:
    """Latin letters without their accents ("Množstvo" -> "Mnozstvo"), other scripts kept."""
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
