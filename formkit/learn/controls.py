"""``formkit learn`` on a form built of Word's form controls.

Each content control with a tag or a title (Word's Properties dialog) and
each legacy form field (named by its bookmark) becomes a ``control`` field:
its name from the tag, title or bookmark (ASCII snake_case; Thai words
through formkit/data/learn.yaml, as labels are named), its title the
control's title as written, its type and list from the control. The scan of
printed text (:mod:`formkit.learn.learner`) does not see the controls'
check boxes, and its fields standing on a control's line are dropped: the
control is the field there. Also the ``control`` kind's generated values for
``formkit check --roundtrip`` (:func:`example`).
"""
from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from formkit.docx.model import Block, Checkbox, Control, Document, Paragraph, Table
from formkit.forms import FieldDef
from formkit.forms.controls import value_type
from formkit.learn.model import Draft, Proposal, label_text
from formkit.locate.stream import Stream
from formkit.text import match_key

_LIST_TYPES = ("dropdown", "combobox", "formdropdown")
_NOT_ASCII_WORD = re.compile(r"[^A-Za-z0-9]+")
_CAMEL_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CONTROL_BOXES = ("content-control", "form-field")


def without_control_boxes(doc: Document) -> Document:
    """``doc`` without the check boxes that are controls, for the scan of
    printed text: a control check box is a field of its own."""
    if not doc.controls:
        return doc
    return doc._replace(body=_blocks(doc.body))


def _blocks(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            inlines = tuple(i for i in block.inlines
                            if not (isinstance(i, Checkbox) and i.encoding in _CONTROL_BOXES))
            out.append(block if len(inlines) == len(block.inlines) else block._replace(inlines=inlines))
        else:
            rows = tuple(row._replace(cells=tuple(c._replace(blocks=_blocks(c.blocks)) for c in row.cells))
                         for row in block.rows)
            out.append(Table(rows))
    return tuple(out)


def add_controls(draft: Draft, doc: Document, stream: Stream) -> Draft:
    """``draft`` with a field per named control, in document order; the
    scanned fields standing where a control stands are dropped."""
    if not doc.controls:
        return draft
    index = {p.paragraph.ref: p.index for p in stream.paras if p.paragraph.ref >= 0}
    taken = {index[ref] for c in doc.controls for ref in c.paragraphs if ref in index}
    proposals = _proposals(doc.controls, index, draft.notes)
    taken |= {p.at for p in proposals}  # a control the reader shows no paragraph of stands at the one before
    kept = [f for f in draft.fields if not _on_control(f, taken)]
    order = len(stream.paras)
    fields = sorted(kept + proposals, key=lambda f: (f.at if f.kind != "header" else order, f.kind != "control"))
    phrases = draft.phrases
    if len(phrases) < 3:
        labels = [label_text(c.before) for c in doc.controls]
        phrases = _phrases(stream, phrases, min(taken, default=len(stream.paras)), labels)
    title = draft.title if draft.title != draft.form_id or not phrases else phrases[0]
    notes = [n for n in draft.notes if len(phrases) < 3 or not n.startswith("fewer than three recognition")]
    return replace(draft, fields=fields, phrases=phrases, title=title, notes=notes)


def _phrases(stream: Stream, known: list[str], first: int, labels: list[str]) -> list[str]:
    """Recognition phrases for a form of controls: the printed lines before
    its first control, then the labels printed before the controls (never a
    whole line holding controls: filled, their values stand between its words)."""
    out = list(known)
    for text in [label_text(stream.paras[i].text) for i in range(first)] + labels:
        key = match_key(text)
        if 6 <= len(key) <= 80 and not any(key in match_key(o) or match_key(o) in key for o in out):
            out.append(text)
        if len(out) == 6:
            break
    return out


def _on_control(f: Proposal, taken: set[int]) -> bool:
    if f.kind in ("header", "year", "control"):
        return False
    return f.at in taken or (f.kind in ("section", "lines", "images") and f.at + 1 in taken)


def _proposals(controls: tuple[Control, ...], index: dict[int, int], notes: list[str]) -> list[Proposal]:
    tags = Counter(c.tag for c in controls if c.tag)
    aliases = Counter(c.alias for c in controls if c.alias)
    out = []
    for control in controls:
        prop = _proposal(control, tags, aliases, notes)
        if prop is None:
            continue
        at = next((index[r] for r in control.paragraphs if r in index), None)
        if at is None:  # a paragraph not read (a placeholder's): the one before it
            before = [i for r, i in index.items() if control.paragraphs and r < control.paragraphs[0]]
            at = max(before, default=0)
        prop.at = at
        out.append(prop)
    return out


def _proposal(control: Control, tags: Counter[str], aliases: Counter[str], notes: list[str]) -> Proposal | None:
    key, selector = _selector(control, tags, aliases)
    if not key:
        notes.append(f"a {control.type} control has neither a tag nor a title: give it one in Word "
                     "(Developer > Properties) and learn again to read it")
        return None
    spec: dict[str, Any] = {"control": control.type, key: selector}
    label = label_text(control.before)
    if match_key(label):
        spec["label"] = label  # finds it again where a program dropped its name
    prop = Proposal("control", control.alias or selector, 0, f"{control.type} control", spec,
                    name=slug(selector) or slug(control.alias))
    if (key == "tag" and tags[selector] > 1) or (key == "alias" and aliases[selector] > 1):
        prop.notes.append(f"several controls have the {key} {selector!r}: the first is read")
    if control.type in _LIST_TYPES:
        spec["choices"] = [shown for shown, value in control.items if value or control.type == "formdropdown"]
        if not spec["choices"] and control.type != "combobox":
            notes.append(f"the {control.type} {selector!r} has an empty list and is left out")
            return None
    if control.type == "repeating":
        inner = control.repeats[0] if control.repeats else ()
        itags = Counter(c.tag for c in inner if c.tag)
        ialiases = Counter(c.alias for c in inner if c.alias)
        prop.fields = [p for c in inner if c.type != "repeating" and (p := _proposal(c, itags, ialiases, notes))]
        if not prop.fields:
            notes.append(f"the repeating section {selector!r} holds no named control and is left out")
            return None
    return prop


def _selector(control: Control, tags: Counter[str], aliases: Counter[str]) -> tuple[str, str]:
    """How the definition finds the control: a tag (unless only the title is
    unique), a title, or a legacy field's bookmark."""
    if control.bookmark:
        return "bookmark", control.bookmark
    if control.tag and (tags[control.tag] == 1 or not control.alias or aliases[control.alias] > 1):
        return "tag", control.tag
    if control.alias:
        return "alias", control.alias
    return "", ""


def slug(text: str) -> str:
    """A field name from a tag, title or bookmark in ASCII snake_case, or
    "" for a Thai one: learn then names it from the title by the Thai words
    it knows, else numbers it."""
    words = [w for w in _NOT_ASCII_WORD.split(text) if w]
    thai = sum(1 for ch in text if "\u0e00" <= ch <= "\u0e7f")
    if words and thai < 3:
        name = "_".join(_snake(w) for w in words)[:64].strip("_")
        return name if not name[:1].isdigit() else f"field_{name}"[:64]
    return ""  # learn names it from its title, as it names a label (formkit.learn.write)


def _snake(word: str) -> str:
    """CamelCase as camel_case ("FullTime" -> "full_time")."""
    return _CAMEL_BREAK.sub("_", word).lower()


def example(f: FieldDef, rng: random.Random, line: Callable[[random.Random], str], photos: list[str]) -> Any:
    """A generated value of control field ``f`` for ``check --roundtrip``
    (``photos``: image files to put in picture controls)."""
    kind = value_type(f.control)
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "picture":
        return rng.choice([None, *photos])
    if kind == "date":
        return rng.choice(["", f"{rng.randint(1990, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])
    if kind == "choice":
        return rng.choice(["", *f.choices])
    if kind == "list":
        return [{sub.name: example(sub, rng, line, photos) for sub in f.fields} for _ in range(rng.randint(0, 3))]
    if f.control == "combobox" and f.choices and rng.random() < 0.3:
        return rng.choice(f.choices)
    return rng.choice(["", line(rng)])
