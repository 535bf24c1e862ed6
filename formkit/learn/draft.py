"""The last step of ``formkit learn``: the scanned proposals made a draft.

The scan (:mod:`formkit.learn.learner`) gives the fields in document order; here the
level, the printed year and the office (in the page header) are added, and
the recognition phrases and the title are chosen from the printed lines
before the first field.
"""
from __future__ import annotations

import re
from typing import Protocol

from formkit.learn.model import Draft, Proposal, label_text, unique, walk
from formkit.locate.stream import Para
from formkit.text import match_key


class Scan(Protocol):
    """What the draft needs of the scan (:class:`formkit.learn.learner.Learner`)."""

    paras: list[Para]
    kinds: list[str]
    title_words: list[str]
    notes: list[str]
    level: Proposal | None

    def scan(self, lo: int, hi: int, in_block: bool) -> tuple[list[Proposal], list[str]]: ...

    def is_bold(self, p: Para) -> bool: ...

_YEAR = re.compile(r"(?:พ\s*\.\s*ศ\s*\.|ปีงบประมาณ|ปีการศึกษา|B\.E\.)\s*([0-9๐-๙]{4})")


def assemble(learner: Scan, form_id: str, source: str) -> Draft:
    """The whole draft: the scanned fields, the level, the year and the
    office, recognition phrases and a title."""
    fields, headings = learner.scan(0, len(learner.paras), in_block=False)
    if learner.level is not None:
        fields.append(learner.level)
    year = _year(learner)
    if year is not None:
        fields.append(year)
    fields.sort(key=lambda f: f.at)
    office = Proposal("header", "สำนักงานเขตพื้นที่การศึกษา", len(learner.paras), "page header")
    office.spec["optional"] = True
    office.name = "office"
    office.notes.append("offices write their name in the page header; remove this field if the form has no such place")
    fields.append(office)
    phrases = _phrases(learner, fields)
    title = next((t for t in phrases if match_key(t).startswith(learner.title_words[1])), "") or (
        phrases[0] if phrases else form_id
    )
    if len(phrases) < 3:
        learner.notes.append("fewer than three recognition phrases: add printed lines only this form has")
    return Draft(form_id, title, source, phrases, fields, unique(headings), learner.notes)


def _year(learner: Scan) -> Proposal | None:
    """The first printed year ("พ.ศ. 2566") as a year field."""
    for p in learner.paras:
        text = " ".join(p.text.split("\n"))
        m = _YEAR.search(text)
        if m and len(text[: m.start(1)]) <= 100:
            label = label_text(text[: m.start(1)])
            name = "fiscal_year" if "ปีงบประมาณ" in label else "year"
            words = re.search(r"(?:ปีงบประมาณ|ปีการศึกษา|พ\s*\.\s*ศ\s*\.|B\.E\.).*$", label)
            title = words.group() if words else label
            prop = Proposal("year", title, p.index, p.where, {"label": label, "optional": True}, name=name)
            return prop
    return None


def _phrases(learner: Scan, fields: list[Proposal]) -> list[str]:
    """Up to six printed lines only this form has: titles, a bold line, labels."""
    first = min((f.at for f in fields if f.kind not in ("year", "header")), default=len(learner.paras))
    lines = [p for p in learner.paras[:first] if learner.kinds[p.index] == "text" and 4 <= len(p.key) <= 80]
    titles = [label_text(p.text) for p in lines]
    ranked = [t for t in titles if any(match_key(t).startswith(w) for w in learner.title_words)][:3]
    ranked += [label_text(p.text) for p in lines if learner.is_bold(p) and label_text(p.text) not in ranked][:1]
    labels = [str(f.spec.get("label") or f.spec.get("start") or "") for f in walk(fields)]
    out: list[str] = []
    for text in ranked + labels:
        key = match_key(text)
        if len(key) >= 6 and not any(key in match_key(o) or match_key(o) in key for o in out):
            out.append(text)
        if len(out) == 6:
            break
    return out


