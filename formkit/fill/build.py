"""The template builder: each located field's blank or box turned into tags.

:class:`Builder` applies one transform per locator kind (``_level``,
``_section``, ``_value`` ...) to the original's XML tree, addressing
paragraphs by the stream index the locators found them at. Tags are Jinja
code made tokens by :class:`formkit.fill.tags.Tags`; the XML edits are
:mod:`formkit.fill.edit`'s.
"""
from __future__ import annotations

import re
from typing import Any

from lxml import etree

from formkit.errors import FormkitError
from formkit.forms import FieldDef
from formkit.locate import Located, heading_hits
from formkit.locate.kinds import Found, beside
from formkit.locate.labels import COLONS
from formkit.locate.labels import make_label, match_inside, match_start
from formkit.locate.stream import Para, Stream
from formkit.docx.ns import qn
from formkit.fill import layout
from formkit.fill.boxes import tick_box
from formkit.fill.tags import Tags
from formkit.fill.edit import (
    W_P,
    answer_paragraph,
    first_text_run,
    raw_text,
    runs_between,
    tag_paragraph,
    text_run,
    visible,
    wrap,
)
from formkit.text import LEADER, numbered_blank
from formkit.fill import kinds
from formkit.fill.kinds import gap_after


class Builder:
    """Applies each field's transform to the original's XML tree."""

    def __init__(self, root: etree._Element, located: Located, tags: Tags) -> None:
        assert located.stream is not None
        self.stream: Stream = located.stream
        self.elements = list(root.iter(W_P))
        self.tags = tags
        self.notes: list[str] = []
        self.anchors = _anchors(located.where)

    def wrap(self, runs: list[etree._Element], before: str, after: str) -> None:
        """Tags ``before`` and ``after`` around ``runs`` (Jinja code, tokenized)."""
        wrap(runs, self.tags.inline(before), self.tags.inline(after))

    def paragraph(self, code: str) -> etree._Element:
        return tag_paragraph(self.tags, code)

    def element(self, index: int) -> etree._Element:
        ref = self.stream.paras[index].paragraph.ref
        if ref < 0 or ref >= len(self.elements):
            raise FormkitError("internal-error", f"paragraph {index} has no place in the original")
        return self.elements[ref]

    def fields(self, fields: tuple[FieldDef, ...], where: dict[str, Found], var: str) -> None:
        for f in fields:
            found = where.get(f.name)
            if found is None:
                continue
            expr = f"{var}[{f.name!r}]"  # by item: a field named items or keys is not the dict's method
            handler = getattr(self, f"_{f.kind}", None)
            if handler is not None:
                handler(f, found, expr)
            elif f.kind in kinds.HANDLERS:  # grid, date, signature: formkit.fill.kinds
                kinds.HANDLERS[f.kind](self, f, found, expr)

    # -- boxes ------------------------------------------------------------------------
    def _level(self, f: FieldDef, found: Found, expr: str) -> None:
        for level, (index, ordinal) in _last_first(found.boxes):
            self._tick(index, ordinal, f"{expr} == {int(level)}")

    def _boxes(self, f: FieldDef, found: Found, expr: str) -> None:
        for key, (index, ordinal) in _last_first(found.boxes):
            self._tick(index, ordinal, f"{expr}[{key!r}]")

    def _tick(self, index: int, ordinal: int, condition: str) -> None:
        if not tick_box(self.stream, index, self.element(index), ordinal, condition, self.tags):
            self.notes.append(f"box {ordinal + 1} of {self.stream.paras[index].where} cannot be ticked")

    # -- text -------------------------------------------------------------------------
    def _section(self, f: FieldDef, found: Found, expr: str) -> None:
        if found.hit is None:
            return
        label_p = self.element(found.hit.index)
        dotted = [self.element(i) for i in range(found.hit.index + 1, found.end) if _blank(self.stream.paras[i])]
        if dotted:
            self._loop_over(dotted[0], expr, dotted[0])
            for extra in dotted[1:]:
                extra.addprevious(self.paragraph(f"{{% if not {expr} %}}"))
                extra.addnext(self.paragraph("{% endif %}"))
            return
        at = _leader_after_label(label_p, f.label, found)
        if at is not None:
            runs = runs_between(label_p, *at)
            self.wrap(runs, f"{{% if {expr} %}}{{{{ {expr}[0] }}}}{{% else %}}", "{% endif %}")
            self._insert_lines(label_p, label_p, f"{expr}[1:]")
            return
        cell = self._answer_cell(found)
        if cell is not None:
            self._loop_over(cell, expr, label_p)
            self._hide_dots(found, expr)
            return
        self._insert_lines(label_p, label_p, expr)

    def _answer_cell(self, found: Found) -> etree._Element | None:
        """The first paragraph of the empty cell right of a label that fills its
        own cell (a form laid out as a label | answer table), or None."""
        assert found.hit is not None
        cell = beside(self.stream, found.hit, None)
        if cell is None:
            return None
        paras = self.stream.paras[cell[0] : cell[1]]
        if any((p.text.strip() and not _blank(p)) or p.checkboxes or p.images for p in paras):
            return None  # an answer cell is empty, or holds only dotted lines
        return self.element(cell[0])

    def _hide_dots(self, found: Found, expr: str) -> None:
        """The dotted lines of an answer cell after its first (which the
        answer replaces) stay only while the answer is empty."""
        assert found.hit is not None
        cell = beside(self.stream, found.hit, None)
        for index in range(cell[0] + 1, cell[1]) if cell else ():
            if _blank(self.stream.paras[index]):
                p = self.element(index)
                p.addprevious(self.paragraph(f"{{% if not {expr} %}}"))
                p.addnext(self.paragraph("{% endif %}"))

    def _value(self, f: FieldDef, found: Found, expr: str) -> None:
        if found.hit is None:
            return
        label_p = self.element(found.hit.index)
        at = _leader_after_label(label_p, f.label, found)
        if at is not None:
            runs = runs_between(label_p, *at)
            self.wrap(runs, f"{{% if {expr} %}} {{{{ {expr} }}}}{{% else %}}", "{% endif %}")
            if raw_text(label_p)[at[1] :].strip():  # another label follows on the line: a tab keeps them apart
                gap_after(runs[-1].getnext(), self.tags, expr)
            return
        drawn = _leader_after_label(label_p, f.label, found, _DRAWN)
        answer = self.tags.inline(f"{{% if {expr} %}} {{{{ {expr} }}}}{{% endif %}}")
        if drawn is not None:  # a blank drawn by a tab leader or underlined spaces: answer before it
            runs = runs_between(label_p, drawn[0], drawn[0] + 1)
            runs[0].addprevious(text_run(answer, runs[0], plain=True))
            return
        dotted = [self.element(i) for i in range(found.hit.index + 1, found.end) if _blank(self.stream.paras[i])]
        cell = None if dotted else self._answer_cell(found)
        if dotted:
            self._fill_leader(dotted[0], expr)
        elif cell is not None:
            self._loop_over(cell, f"([{expr}] if {expr} else [])", label_p)
            self._hide_dots(found, expr)
        else:
            label_p.append(text_run(answer, first_text_run(label_p)))

    def _lines(self, f: FieldDef, found: Found, expr: str) -> None:
        if found.hit is None:
            return
        paras = [
            self.stream.paras[i]
            for i in range(found.hit.index + 1, found.end)
            if numbered_blank(self.stream.paras[i].text)
            or (self.stream.paras[i].paragraph.numbered and _blank(self.stream.paras[i]))
        ]
        numbered = [self.element(para.index) for para in paras]
        for n, p in enumerate(numbered):
            self._fill_leader(p, f"{expr}[{n}]", guard=f"{expr}|length > {n}")
        anchor = numbered[-1] if numbered else self.element(found.hit.index)
        first = len(numbered)
        like = anchor if numbered else self.element(found.hit.index)
        tag = self.tags.inline
        body = answer_paragraph(like, first_text_run(like), f"{tag(f'{{{{ loop.index + {first} }}}}')}. {tag('{{ item }}')}")
        anchor.addnext(self.paragraph("{% endfor %}"))
        anchor.addnext(body)
        anchor.addnext(self.paragraph(f"{{% for item in {expr}[{first}:] %}}"))

    def _year(self, f: FieldDef, found: Found, expr: str) -> None:
        printed = found.value
        if not isinstance(printed, str):
            return
        pattern = _year_pattern(printed)
        for index in sorted(self.anchors):
            p = self.element(index)
            text = raw_text(p)
            for m in reversed(list(pattern.finditer(text))):
                runs = runs_between(p, m.start(), m.end())
                if runs:
                    self.wrap(runs, f"{{% if {expr} %}}{{{{ {expr} }}}}{{% else %}}", "{% endif %}")

    def _images(self, f: FieldDef, found: Found, expr: str) -> None:
        """The photos in a grid of equal cells after their prompt, which is
        kept with them (:mod:`formkit.fill.layout`)."""
        if found.hit is None:
            return
        label_p = self.element(found.hit.index)
        layout.keep_with_next(label_p)
        layout.photo_grid(label_p, self.tags, expr, layout.text_width_twips(label_p.getroottree().getroot()))

    def _repeat(self, f: FieldDef, found: Found, expr: str) -> None:
        """The first block becomes a loop over the items; each item after the
        first starts a new page (the render's ``page_breaks``), and the
        block's prompts (its start, its fields' labels, its printed headings)
        keep with what follows them (:mod:`formkit.fill.layout`)."""
        if not found.blocks:
            return
        start, end, sub = found.blocks[0]
        first, last = self._top(start), self._top(end - 1)
        if first.getparent() is None or first.getparent() is not last.getparent():
            self.notes.append(f"the {f.name} block is not a run of body paragraphs; it is left as printed")
            return
        prompts = [start, *(s.hit.index for s in sub.values() if s.hit is not None)]
        prompts += [h.index for h in heading_hits(f.headings, self.stream, start + 1, end)]
        self.fields(f.fields, sub, "w")
        for index in sorted(set(prompts)):
            layout.keep_with_next(self.element(index))
        _number_block(self.element(start), self.tags.inline("{{ loop.index }}"))
        if first.tag == W_P:
            layout.break_before(first, self.tags, "page_breaks and not loop.first")
        first.addprevious(self.paragraph(f"{{% for w in {expr} %}}"))
        last.addnext(self.paragraph("{% endfor %}"))

    def _top(self, index: int) -> etree._Element:
        """The body-level element (paragraph or table) holding stream paragraph ``index``."""
        el = self.element(index)
        while el.getparent() is not None and el.getparent().tag != qn("w:body"):
            el = el.getparent()
        return el

    def _loop_over(self, dotted: etree._Element, expr: str, like: etree._Element) -> None:
        """Replace a dotted paragraph by one paragraph per answer line (the dots
        kept for an empty answer)."""
        line = answer_paragraph(like, first_text_run(like), self.tags.inline("{{ line }}"))
        for p in (
            self.paragraph(f"{{% if {expr} %}}"),
            self.paragraph(f"{{% for line in {expr} %}}"),
            line,
            self.paragraph("{% endfor %}"),
            self.paragraph("{% else %}"),
        ):
            dotted.addprevious(p)
        dotted.addnext(self.paragraph("{% endif %}"))

    def _insert_lines(self, after: etree._Element, like: etree._Element, expr: str) -> None:
        """Answer paragraphs right after ``after`` (no printed blank to replace)."""
        line = answer_paragraph(like, first_text_run(like), self.tags.inline("{{ line }}"))
        after.addnext(self.paragraph("{% endfor %}"))
        after.addnext(line)
        after.addnext(self.paragraph(f"{{% for line in {expr} %}}"))

    def _fill_leader(self, p: etree._Element, expr: str, guard: str | None = None) -> None:
        """The first leader run of ``p`` shows ``expr`` when it has a value."""
        m = LEADER.search(raw_text(p))
        if m is None:
            return
        runs = runs_between(p, m.start(), len(raw_text(p)))
        cond = guard or expr
        self.wrap(runs, f"{{% if {cond} and {expr} %}}{{{{ {expr} }}}}{{% else %}}", "{% endif %}")


def _anchors(where: dict[str, Found]) -> set[int]:
    """Stream indexes of the paragraphs the definition's labels and boxes
    were found in: the printed year changes there (in the labels the form
    names), never in an office's own notes or in text nobody located."""
    out: set[int] = set()
    for found in where.values():
        if found.hit is not None:
            out.add(found.hit.index)
        out.update(index for index, _ in found.boxes.values())
        for _, _, sub in found.blocks:
            out |= _anchors(sub)
    return out


def _last_first(boxes: dict[Any, tuple[int, int]]) -> list[tuple[Any, tuple[int, int]]]:
    """Box targets (paragraph, ordinal) from the last box to the first: a box
    is found as the n-th of its paragraph, and a ticked box's tag (a w:char
    expression, or text holding both glyphs) no longer counts as one box, so
    several boxes in one paragraph ("❒ a  ❒ b  ❒ c") are tagged right to left."""
    return sorted(boxes.items(), key=lambda item: item[1], reverse=True)


def _blank(para: Para) -> bool:
    """A printed blank: a paragraph of leaders only."""
    text = para.text.strip()
    return bool(text) and not LEADER.sub("", text).strip()


_DRAWN = re.compile(r"\t| {3,}")


def _leader_after_label(
    p: etree._Element, label_text: str, found: Found, leader: re.Pattern[str] = LEADER
) -> tuple[int, int] | None:
    """Raw span of the dots (or another ``leader``) that follow the label on its own line."""
    text, where = visible(p)
    key_para = pseudo_para(text)
    label = make_label(label_text)
    hit = match_start(label, key_para) or match_inside(label, key_para, 0)
    if hit is None or hit.end == 0:
        return None
    raw = raw_text(p)
    after = where[hit.end - 1] + 1
    m = leader.search(raw, after)
    if m is None or raw[after : m.start()].strip(" \t" + COLONS):
        return None
    if leader is not LEADER:
        return m.start(), m.end()
    end = m.end()
    while (n := LEADER.match(raw, end)) or (end < len(raw) and raw[end] in " ."):
        end = n.end() if n else end + 1
    return m.start(), end


def pseudo_para(text: str) -> Para:
    """A stream paragraph for text read straight from the XML."""
    from formkit.docx.model import Paragraph
    from formkit.text import clean_chars, clean_key

    clean = clean_chars(text)
    return Para(0, Paragraph(()), (), "", clean, clean_key(clean))


def _year_pattern(printed: str) -> re.Pattern[str]:
    parts = []
    for ch in printed:
        if ch.isdigit():
            thai = "๐๑๒๓๔๕๖๗๘๙"[int(ch)] if ch in "0123456789" else ch
            parts.append(f"[{ch}{thai}]")
        elif ch in "-–":
            parts.append("[-–]")
        elif ch == " ":
            parts.append(r"\s*")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts))


def _number_block(p: etree._Element, index: str) -> None:
    """The printed number after "ผลงานชิ้นที่" becomes ``index`` (the loop's
    index, tokenized)."""
    raw = raw_text(p)
    m = re.search(r"[0-9๐-๙]+", raw)
    if m is None:
        p.append(text_run(f" {index}", first_text_run(p)))
        return
    runs = runs_between(p, m.start(), m.end())
    runs[0].addprevious(text_run(index, runs[0]))
    for run in runs:
        run.getparent().remove(run)
