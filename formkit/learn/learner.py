"""Draft a form definition from an original Word form (``formkit learn``).

The original is read by the same reader as parse and flattened into the same
paragraph stream; each paragraph is classed by what is printed in it (a
blank: a run of dots, "…" or underscores; numbered blanks; a label followed
by a blank; boxes; plain text), and the classes are read in document order
into the locator kinds the shipped forms use:

* a label followed by a blank on its line -> ``value`` (two on one line: two
  values); a prompt followed by blank lines -> ``section``, by numbered blank
  lines -> ``lines``; a photo prompt with room under it -> ``images``;
* the table column whose rows hold an empty box and a digit 1..5 -> ``level``;
* a run of boxes each followed by its label -> ``boxes`` (anchored at the line
  before them); a box followed by blank lines -> also a ``lines`` field;
* a line ending in a number ("ผลงานชิ้นที่ 1") that opens blanks and a photo
  prompt -> ``repeat``, its fields learned inside the block;
* the first "พ.ศ. 2566" -> ``year``; the office -> ``header`` (offices write it
  in the page header);
* printed lines that follow an answer area -> ``headings`` (they end it).

Whatever is a guess is returned as a note, written as a ``# CHECK:`` comment
by :mod:`formkit.learn.write`.
"""
from __future__ import annotations

import re
from pathlib import Path

from formkit.learn.controls import add_controls, without_control_boxes
from formkit.learn.draft import assemble
from formkit.learn.model import (
    Draft,
    Proposal,
    label_pairs,
    label_text,
    split_leader,
    text_before_box,
    title_of,
    vocabulary,
)
from formkit.learn.blocks import date_of, is_signature, signature
from formkit.learn.tables import continues_merge, find_grids, find_level, wordy
from formkit.locate.boxes import form_boxes
from formkit.locate.kinds import _next_cell, boxes_in, header_text
from formkit.locate.stream import Para, Stream, build
from formkit.text import LEADER, match_key, normalize, normalize_line, numbered_blank

_BLOCK_START = re.compile(r"^(.*?\D)\s*[0-9๐-๙]{1,2}\s*$")
_DRAWN = re.compile(r"\t+| {3,}")


def learn(source: str | Path | bytes, form_id: str, name: str | None = None) -> Draft:
    """Read the original at ``source`` (a path, or the bytes of a .docx;
    ``name`` is the file named in errors) and propose its definition."""
    from formkit.learn.looks import paragraph_looks
    from formkit.docx.package import open_package
    from formkit.docx.reader import read_document

    name = name or ("original.docx" if isinstance(source, bytes) else str(source))
    with open_package(source, name) as pkg:
        doc = read_document(pkg, refs=True, boxes=True)
        bold, drawn = paragraph_looks(pkg)
    stream = build(without_control_boxes(doc).body)
    learner = Learner(stream, bold, drawn)
    learner.header_text = header_text([build(s.blocks, "header") for s in doc.headers])
    return add_controls(assemble(learner, form_id, Path(name).name), doc, stream)


class Learner:
    """Paragraphs classed and read, in document order, into proposals."""

    def __init__(self, stream: Stream, bold: list[bool], drawn: list[bool] | None = None) -> None:
        self.stream = stream
        self.paras = stream.paras
        self.bold = bold
        self.drawn = drawn or []
        self.header_text = ""  # what the page header prints (an office field goes there only when empty)
        words = vocabulary()
        self.photo_words = [w.casefold() for w in words["photo_words"]]
        self.fillers = {match_key(w) for w in words["fillers"]}
        self.title_words = [match_key(w) for w in words["title_words"]]
        self.kinds = [self._classify(p) for p in self.paras]
        self.level, self.consumed, self.level_tables = find_level(stream)
        empty = {p.index for p in self.paras if self.kinds[p.index] == "empty"}
        self.grids, in_grids = find_grids(stream, empty, self.consumed)
        self.consumed |= in_grids
        self.notes: list[str] = []

    # ---- classes of paragraphs -----------------------------------------------------

    def _classify(self, p: Para) -> str:
        if p.checkboxes and form_boxes(self.stream, p.index):  # an instruction's glyph is no box line
            return "boxes"
        text = self.text(p)
        has_leader = bool(LEADER.search(text))
        if not normalize(text):
            if has_leader and p.paragraph.numbered:
                return "numbered"  # Word numbers the line itself (w:numPr)
            return "blank" if has_leader else "empty"
        if numbered_blank(text):
            return "numbered"
        if has_leader:
            return "labelled"
        if p.key in self.fillers:
            return "filler"
        return "text"

    def text(self, p: Para) -> str:
        """The paragraph's text, a blank drawn by a leader tab or underlined
        spaces written as dots (so it is read like a typed blank)."""
        ref = p.paragraph.ref
        if 0 <= ref < len(self.drawn) and self.drawn[ref]:
            return _DRAWN.sub(" ..... ", p.with_tabs)
        return p.text

    def is_bold(self, p: Para) -> bool:
        ref = p.paragraph.ref
        return 0 <= ref < len(self.bold) and self.bold[ref]

    def _next(self, i: int, hi: int) -> int | None:
        """The next paragraph after ``i`` in [i+1, hi) with something printed, in
        the same container."""
        container = self.paras[i].container
        j = i + 1
        while j < hi and self.paras[j].container == container:
            if self.kinds[j] != "empty":
                return j
            j += 1
        return None

    def _blank_run(self, j: int, hi: int) -> int:
        """One past the run of blank lines (and fillers, empty lines) from ``j``."""
        container = self.paras[j].container
        end = j
        while end < hi and self.paras[end].container == container and self.kinds[end] in (
            "blank", "numbered", "empty", "filler"
        ):
            end += 1
        return end

    # ---- the level column --------------------------------------------------------------

    # ---- the scan ------------------------------------------------------------------------

    def scan(self, lo: int, hi: int, in_block: bool) -> tuple[list[Proposal], list[str]]:
        """Fields and headings of paragraphs [lo, hi)."""
        fields: list[Proposal] = []
        headings: list[str] = []
        open_c: tuple[int, ...] | None = None  # container of an answer area still open
        containers: set[tuple[int, ...]] = set()  # where fields were found so far
        seen = 0
        i = lo
        while i < hi:
            p, kind = self.paras[i], self.kinds[i]
            if i in self.consumed or kind == "empty":
                i += 1
                continue
            if open_c is not None and not p.inside(open_c):
                open_c = None
            if not in_block and kind == "text" and (block := self._block(i, hi)) is not None:
                fields.append(block[0])
                i = block[1]
                open_c = None
                continue
            if kind == "boxes":
                props, i = self._boxes(i, hi)
                fields.extend(props)
                open_c = p.container if props and props[-1].kind != "boxes" else None
                continue
            if kind in ("blank", "numbered"):
                end = self._blank_run(i, hi)
                self.notes.append(f"blank lines with no prompt before them at {p.where}: not learned")
                i = end
                continue
            if kind == "labelled":
                props, i = self._labelled(i, hi)
                fields.extend(props)
                open_c = p.container
                continue
            cell = self._answer_cell(i) if kind == "text" else None
            if cell is not None:
                fields.append(cell[0])
                open_c = None
                i = cell[1]
                continue
            homes = {self.paras[f.at].container for f in fields[seen:] if f.kind not in ("level", "year")}
            containers |= homes
            seen = len(fields)
            prop, end = self._text(i, hi, containers, open_c)
            if prop is not None:
                fields.append(prop)
                open_c = p.container
            elif open_c is not None and kind == "text":
                headings.append(label_text(p.text))
                open_c = None
            i = end
        return fields, headings

    def _text(
        self, i: int, hi: int, containers: set[tuple[int, ...]], open_c: tuple[int, ...] | None
    ) -> tuple[Proposal | None, int]:
        """A plain printed line: a prompt (of a section, lines or images), a
        heading, or static text."""
        p = self.paras[i]
        j = self._next(i, hi)
        label = label_text(p.text)
        if not wordy(p.key):
            return None, i + 1
        if j is not None and self.kinds[j] in ("blank", "numbered"):
            end = self._blank_run(j, hi)
            return self._blank_field(p, j, end, label), end
        if self._photo_prompt(p) and (j is None or j > i + 1):
            prop = Proposal("images", title_of(p.text), i, p.where, {"label": label})
            return prop, i + 1
        in_form = bool(containers) and (open_c is not None or p.container in containers)
        if in_form and j is not None and self._is_prompt(j, hi):
            if self.is_bold(p) and not self.is_bold(self.paras[j]):
                return None, i + 1  # a heading over less emphasized prompts
            prop = Proposal("section", title_of(p.text), i, p.where, {"label": label})
            prop.notes.append(
                "no blank is printed under this prompt; taken as a field (a heading would end the answer above)"
            )
            return prop, i + 1
        return None, i + 1

    def _answer_cell(self, i: int) -> tuple[Proposal, int] | None:
        """A label alone in its table cell with an empty cell to its right (a
        form laid out as a label | answer table): a value, or a section when the
        answer cell holds several empty paragraphs."""
        p = self.paras[i]
        if not p.container or not wordy(p.key) or self._next(i, len(self.paras)) is not None:
            return None
        k = i - 1
        while k >= 0 and self.paras[k].container == p.container:
            if self.kinds[k] != "empty":
                return None
            k -= 1
        cell = _next_cell(self.stream, i, None)
        if cell is None or any(self.kinds[k] not in ("empty", "blank") or self.paras[k].images for k in range(*cell)):
            return None  # an answer cell is empty, or holds only dotted lines
        where = self.paras[cell[0]].container
        if where[:-2] in self.level_tables or continues_merge(self.stream, where):
            return None
        label = label_text(p.text)
        kind = "section" if sum(self.kinds[k] == "blank" for k in range(*cell)) > 1 or (
            cell[1] - cell[0] > 1 and not any(self.kinds[k] == "blank" for k in range(*cell))) else "value"
        prop = Proposal(kind, title_of(p.text), i, p.where, {"label": label})
        prop.notes.append(
            f"the answer goes in the empty cell to the right: taken as a {kind} "
            f"({'several' if kind == 'section' else 'one'} line(s)); change the kind if needed"
        )
        return prop, cell[1]

    def _is_prompt(self, j: int, hi: int) -> bool:
        if self.kinds[j] == "labelled":
            return True
        if self.kinds[j] != "text":
            return False
        k = self._next(j, hi)
        return (k is not None and self.kinds[k] in ("blank", "numbered")) or self._photo_prompt(self.paras[j])

    def _photo_prompt(self, p: Para) -> bool:
        text = p.text.casefold()
        return any(w in text for w in self.photo_words)

    def _blank_field(self, p: Para, j: int, end: int, label: str) -> Proposal:
        run = range(j, end)
        numbered = sum(self.kinds[k] == "numbered" for k in run)
        plain = sum(self.kinds[k] == "blank" for k in run)
        kind = "lines" if numbered and numbered >= plain else "section"
        prop = Proposal(kind, title_of(p.text), p.index, p.where, {"label": label})
        fillers = [label_text(self.paras[k].text) for k in run if self.kinds[k] == "filler"]
        if kind == "lines" and fillers:
            prop.spec["ignore"] = fillers
        if numbered and plain:
            prop.notes.append(f"{numbered} numbered and {plain} plain blank lines: taken as {kind}")
        return prop

    def _labelled(self, i: int, hi: int) -> tuple[list[Proposal], int]:
        """A line holding label + blank pairs ("ชื่อ ...... กลุ่ม ......")."""
        p = self.paras[i]
        pairs, trailing = label_pairs(self.text(p))
        if pairs and is_signature(pairs[0]):
            block, end, note = signature(self, i, hi, pairs[0], trailing)
            if note:
                self.notes.append(note)
            return ([block] if block is not None else []), end
        date = date_of(pairs, i, p.where)
        if date is not None:
            return [date], i + 1
        pairs = [label for label in pairs if wordy(match_key(label))]
        j = self._next(i, hi)
        if len(pairs) == 1 and j is not None and self.kinds[j] in ("blank", "numbered"):
            end = self._blank_run(j, hi)
            return [self._blank_field(p, j, end, pairs[0])], end
        props = [Proposal("value", title_of(label), i, p.where, {"label": label}) for label in pairs]
        if not props:
            self.notes.append(f"a blank with no label at {p.where}: not learned")
        elif trailing:
            props[-1].notes.append(
                f"the line goes on after the blank ({trailing!r}): an answer is read up to the end of the line"
            )
        return props, i + 1

    # ---- boxes ----------------------------------------------------------------------------

    def _boxes(self, i: int, hi: int) -> tuple[list[Proposal], int]:
        """A run of box paragraphs from ``i`` (with the blank lines under a box)."""
        container = self.paras[i].container
        end = i
        while end < hi and self.paras[end].container == container and self.kinds[end] in (
            "boxes", "blank", "numbered", "empty", "filler"
        ):
            end += 1
        found = [b for k in range(i, end) if self.kinds[k] == "boxes" and k not in self.consumed
                 for b in boxes_in(self.stream, k, k + 1)]
        items = []
        extra: list[Proposal] = []
        for box in found:
            label, _rest = split_leader(box.text)
            items.append(label)
            if LEADER.search(box.text) and label:
                extra.append(Proposal("value", title_of(label), box.at[0], box.where, {"label": label},
                                      notes=["a blank follows this box's label: read as a value"]))
        for k in range(i, end):
            if self.kinds[k] != "boxes":
                continue
            j = self._next(k, end)
            if j is not None and self.kinds[j] in ("blank", "numbered"):
                last = [b for b in found if b.at[0] == k]
                if last:
                    label, _ = split_leader(last[-1].text)
                    extra.append(self._blank_field(self.paras[k], j, self._blank_run(j, end), label))
        prop = Proposal("boxes", "", i, self.paras[i].where)
        anchor = self._anchor(i)
        if anchor is not None:
            prop.spec["after"] = anchor
            prop.title = title_of(anchor)
        else:
            prop.notes.append("no printed line introduces these boxes: they are matched by their labels alone")
        prop.spec["items"] = items
        first = next((k for k in range(i, end) if self.kinds[k] == "boxes"), i)
        lead = self.paras[first].paragraph.inlines
        if found and not found[-1].text.strip() and text_before_box(lead):
            prop.notes.append("the labels seem to stand before their boxes: boxes are matched by order")
        if len({match_key(t) for t in items}) < len(items) or not all(items):
            prop.notes.append("some boxes have no label, or the same label: they are told apart by order only")
        return [prop, *extra], end

    def _anchor(self, i: int) -> str | None:
        container = self.paras[i].container
        k = i - 1
        while k >= 0 and self.paras[k].container == container:
            if self.kinds[k] == "text" and k not in self.consumed:
                return label_text(self.paras[k].text)
            if self.kinds[k] != "empty":
                return None
            k -= 1
        return None

    # ---- repeated blocks ------------------------------------------------------------------

    def _block(self, i: int, hi: int) -> tuple[Proposal, int] | None:
        """A numbered block ("ผลงานชิ้นที่ 1") with blanks and a photo prompt."""
        m = _BLOCK_START.match(normalize_line(self.paras[i].text))
        if not m or len(match_key(m.group(1))) < 2:
            return None
        start = m.group(1).strip()
        end = min(self.stream.container_end(i), hi)
        key = match_key(start)
        nxt = next((k for k in range(i + 1, end) if self.paras[k].key.startswith(key)
                    and _BLOCK_START.match(normalize_line(self.paras[k].text))), end)
        body = range(i + 1, nxt)
        if not any(self.kinds[k] in ("blank", "labelled", "numbered") for k in body):
            return None
        if not any(self.kinds[k] == "text" and self._photo_prompt(self.paras[k]) for k in body):
            return None
        fields, headings = self.scan(i + 1, nxt, in_block=True)
        prop = Proposal("repeat", start, i, self.paras[i].where, {"start": start})
        if headings:
            prop.spec["headings"] = headings
        prop.fields = fields
        if nxt < end:
            prop.notes.append("the form prints more than one block: the first is learned, the others are read as repeats")
        return prop, end
