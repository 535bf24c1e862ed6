"""The last step of ``formkit learn``: the scanned proposals made a draft.

The scan (:mod:`formkit.learn.learner`) gives the fields in document order; here the
level, the printed year and the office (in the page header) are added, and
the recognition phrases and the title are chosen from the printed lines
before the first field.
"""
from __future__ import annotations

import re
from typing import Protocol

from formkit.learn.tables import wordy
from formkit.learn.model import Draft, Proposal, label_text, name_from, unique, walk
from formkit.locate.stream import Para
from formkit.text import match_key


class Scan(Protocol):
    """What the draft needs of the scan (:class:`formkit.learn.learner.Learner`)."""

    paras: list[Para]
    kinds: list[str]
    title_words: list[str]
    notes: list[str]
    level: Proposal | None
    grids: list[Proposal]
    header_text: str

    def scan(self, lo: int, hi: int, in_block: bool) -> tuple[list[Proposal], list[str]]: ...

    def is_bold(self, p: Para) -> bool: ...

_YEAR = re.compile(r"(?:พ\s*\.\s*ศ\s*\.|ปีงบประมาณ|ปีการศึกษา|B\.E\.)\s*([0-9๐-๙]{4})")


def assemble(learner: Scan, form_id: str, source: str) -> Draft:
    """The whole draft: the scanned fields, the level, the year and the
    office, recognition phrases and a title."""
    fields, headings = learner.scan(0, len(learner.paras), in_block=False)
    if learner.level is not None:
        fields.append(learner.level)
    fields.extend(learner.grids)
    year = _year(learner)
    if year is not None:
        fields.append(year)
    fields.sort(key=lambda f: f.at)
    if not learner.header_text:
        office = Proposal("header", "สำนักงานเขตพื้นที่การศึกษา", len(learner.paras), "page header")
        office.spec["optional"] = True
        office.name = "office"
        office.notes.append("offices write their name in the page header; remove this field if the form has no such place")
        fields.append(office)
    else:
        learner.notes.append(f"the page header prints {learner.header_text[:60]!r}: no office field is added there")
    with_context(learner, fields)
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
    lines = [p for p in learner.paras[:first] if learner.kinds[p.index] == "text" and 4 <= width(p.key) <= 80]
    titles = [label_text(p.text) for p in lines]
    ranked = [t for t in titles if any(match_key(t).startswith(w) for w in learner.title_words)][:3]
    ranked += [label_text(p.text) for p in lines if learner.is_bold(p) and label_text(p.text) not in ranked][:1]
    labels = [str(f.spec.get("label") or f.spec.get("start") or f.spec.get("after") or "") for f in walk(fields)]
    labels += [t for t in titles if t not in ranked]  # any printed line before the first field, last
    out: list[str] = []
    for least in (6, 3):  # short labels only when nothing longer is printed
        for text in ranked + labels:
            key = match_key(text)
            if width(key) >= least and not any(key in match_key(o) or match_key(o) in key for o in out):
                out.append(text)
            if len(out) == 6:
                break
        if out:
            break
    return out




def width(key: str) -> int:
    """A key's length with each Chinese, Japanese or Korean character counted
    twice: "申请表" says as much as a ten-letter English title."""
    return sum(2 if "\u2e80" <= ch <= "\ud7ff" or "\uf900" <= ch <= "\ufaff" else 1 for ch in key)


_CONTEXT_LINES = 30


def with_context(learner: Scan, fields: list[Proposal]) -> None:
    """Labels printed more than once ("Name" under "Applicant" and again
    under "Guarantor", "Date" down a table) take the column header of their
    cell, or else the printed line above them that is no label, as context
    in the field's name and title, instead of being told apart by a number."""
    labelled = [f for f in fields if f.spec.get("label") and f.kind not in ("year", "header")]
    keys = [match_key(str(f.spec["label"])) for f in labelled]
    label_keys = set(keys)
    contexts = [_context(learner, f.at, label_keys) if keys.count(key) > 1 else "" for f, key in zip(labelled, keys)]
    for f, key, context in zip(labelled, keys, contexts):
        same = [c for k, c in zip(keys, contexts) if k == key and c == context]
        if not context or len(same) > 1:  # a context that does not tell them apart is no help
            continue
        f.title = f"{context}: {f.title}"
        own = name_from(str(f.spec["label"]))
        prefix = name_from(context)
        if prefix and own:
            f.name = f"{prefix}_{own}"


def _context(learner: Scan, at: int, label_keys: set[str]) -> str:
    paras = learner.paras
    p = paras[at]
    if p.container:
        tpath, col = p.container[:-2], p.container[-1]
        head = [q for q in paras if q.container == (*tpath, 0, col)]
        text = label_text(" ".join(q.text for q in head))
        if head and head[0].index != at and wordy(match_key(text)) and match_key(text) not in label_keys:
            return text
    lines = [paras[k] for k in range(at - 1, max(at - _CONTEXT_LINES, -1), -1)
             if learner.kinds[k] == "text" and wordy(paras[k].key)
             and not any(paras[k].key.startswith(lk) for lk in label_keys)]
    heading = next((q for q in lines if learner.is_bold(q)), lines[0] if lines else None)  # a bold heading first
    return label_text(heading.text) if heading is not None else ""
