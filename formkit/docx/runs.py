"""Run content (ECMA-376 Part 1 §17.3.3) for :class:`formkit.docx.story.StoryReader`.

The handlers of the leaves a run holds: text (split into symbols when the
run's font is a symbol font or the text holds private-use glyphs), tabs,
hyphens, breaks, ``w:sym``, pictures and the text boxes they anchor, and
complex-field characters (§17.16.18): a field's begin opens its instruction,
whose content is dropped until its separate (or its end, for a field without
a result); a legacy form-field checkbox is emitted at its begin, unless the
run is hidden.
"""
from __future__ import annotations

from typing import Protocol

from lxml import etree

from formkit.docx.model import Break, Image, Inline, Text
from formkit.docx.ns import qn
from formkit.docx.inline import (
    ParagraphBuilder,
    find_private_use,
    form_field_checkbox,
    scan_drawing,
    split_text,
    sym_inline,
)

_TYPE, _FLD_CHAR_TYPE = qn("w:type"), qn("w:fldCharType")
_BREAK_KINDS = {"page": "page", "column": "column"}


class ImageSource(Protocol):
    """Resolves a picture relationship of a part (see :class:`formkit.docx.reader.ImageCache`)."""

    def resolve(self, part: str, rid: str) -> Image | None: ...


class RunContent:
    """The run-content handlers; the state they share is the story reader's."""

    part: str
    _images: ImageSource
    _para: ParagraphBuilder | None
    _font: str | None  # of the current run
    _text_font: bool  # the current run's font is not a symbol font
    _fields: list[bool]  # open complex fields: True once past their separate
    _in_instruction: int  # how many open fields are still in their instruction
    controls: bool  # a form control was seen (formkit.docx.controls reads them)

    def _emit(self, item: Inline) -> None:
        if self._para is not None and not self._in_instruction:
            self._para.add(item)

    def _text(self, el: etree._Element, table: object) -> None:
        text = el.text
        para = self._para
        if not text or para is None or self._in_instruction:
            return
        if self._text_font and not find_private_use(text):
            para.text.append(text)  # the common case: plain text, no glyphs
        else:
            for item in split_text(text, self._font):
                para.add(item)

    def _tab(self, el: etree._Element, table: object) -> None:
        self._emit(Text("\t"))

    def _hyphen(self, el: etree._Element, table: object) -> None:
        self._emit(Text("-"))

    def _break(self, el: etree._Element, table: object) -> None:
        self._emit(Break(_BREAK_KINDS.get(el.get(_TYPE) or "", "line")))

    def _carriage_return(self, el: etree._Element, table: object) -> None:
        self._emit(Break("line"))

    def _symbol(self, el: etree._Element, table: object) -> None:
        item = sym_inline(el)
        if item is not None:
            self._emit(item)

    def _drawing(self, el: etree._Element, table: object) -> None:
        if self._para is None or self._in_instruction:
            return
        rids, boxes = scan_drawing(el)
        for rid in rids:
            image: Image | None = self._images.resolve(self.part, rid)
            if image is not None:
                self._para.add(image)
        self._para.textboxes.extend(boxes)

    def _field_char(self, el: etree._Element, table: object) -> None:
        if el.get(_FLD_CHAR_TYPE) == "begin":
            box = form_field_checkbox(el)
            if box is not None:
                self._emit(box)
        self._hidden_field_char(el, table)

    def _hidden_field_char(self, el: etree._Element, table: object) -> None:
        """A field character in a hidden run: the field's state still counts."""
        kind = el.get(_FLD_CHAR_TYPE)
        if kind == "begin":
            self.controls = self.controls or len(el) > 0  # w:ffData: a legacy form field
            self._fields.append(False)
            self._in_instruction += 1
        elif kind == "separate":
            if self._fields and not self._fields[-1]:
                self._fields[-1] = True
                self._in_instruction -= 1
        elif kind == "end" and self._fields and not self._fields.pop():
            self._in_instruction -= 1  # it ended without a result
