"""One pass over one story (the body, a header, a footer) into model blocks.

The walk is iterative: an explicit stack of frames, each an iterator over an
element's children plus the dispatch table for that level (block, table row,
cell, paragraph, run) and an optional action when the frame is done. Deep
nesting therefore never meets Python's recursion limit, every element is
visited once, and an element the table does not name is skipped with its
whole subtree. Which containers are descended, and which dropped, is the
reading of WordprocessingML the tables below encode (ECMA-376 Part 1):

* blocks (§17.2, §17.3.1, §17.4): ``w:p``, ``w:tbl``; block-level ``w:sdt``
  (§17.5.2) and ``w:customXml`` are descended; ``w:sectPr`` gives header and
  footer references (§17.10); anything else (bookmarks, proofing marks,
  permissions, ``w:altChunk``) is skipped.
* paragraph content (§17.3.2): runs, hyperlinks, smart tags, custom XML,
  content controls, ``w:fldSimple`` (its content is the field result),
  ``w:dir``/``w:bdo`` and insertions (``w:ins``, ``w:moveTo``, §17.13.5) are
  descended; deletions (``w:del``, ``w:moveFrom``) are dropped whole.
* run content (§17.3.3): the ``_RUN`` table at the end of this module, its
  handlers in :mod:`formkit.docx.runs`; a hidden run (``w:vanish``) keeps
  only its field characters.
* ``mc:AlternateContent`` (Part 3 §10.2) anywhere: first ``mc:Choice`` only.
* complex fields (§17.16.13 fldChar): a stack per story; content between a
  field's begin and separate is its instruction and is dropped, content
  between separate and end is its result and is kept, nested fields included.

A paragraph that is only runs of text is read without the walk, to the same
result (:mod:`formkit.docx.plain`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain
from lxml import etree

from formkit.errors import FormkitError
from formkit.docx.model import Block, Paragraph, Text
from formkit.docx.ns import qn
from formkit.docx.inline import (
    ALTERNATE_CONTENT,
    W_VAL,
    ParagraphBuilder,
    choose_alternate,
    content_control_checkbox,
    lead,
    run_properties,
    symbol_font,
)
from formkit.docx.checkboxes import convert_paragraph, holds_whole_box, paragraph_boxes
from formkit.docx.controls import placeholder_hidden
from formkit.docx.glyphs import box_chars
from formkit.docx.plain import plain_text
from formkit.docx.runs import ImageSource, RunContent
from formkit.docx.styles import Styles, numbering_of
from formkit.docx.tables import CONTINUE, RESTART, TableBuilder


_Handler = Callable[["StoryReader", etree._Element, "_Table"], None]
_Table = dict[object, _Handler]
_Frame = tuple[Iterator[etree._Element], _Table, Callable[[], None] | None]

# --- XML names -------------------------------------------------------------
_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_PPR, _RPR, _TRPR, _TCPR = qn("w:pPr"), qn("w:rPr"), qn("w:trPr"), qn("w:tcPr")
_PSTYLE, _RSTYLE = qn("w:pStyle"), qn("w:rStyle")
_SECTPR = qn("w:sectPr")
_HEADER_REF, _FOOTER_REF = qn("w:headerReference"), qn("w:footerReference")
_TYPE, _R_ID, _ID = qn("w:type"), qn("r:id"), qn("w:id")
_R, _T = qn("w:r"), qn("w:t")
_SDT, _SDT_PR, _SDT_CONTENT = qn("w:sdt"), qn("w:sdtPr"), qn("w:sdtContent")
_W14_CHECKBOX = qn("w14:checkbox")
_CUSTOM_XML, _SMART_TAG = qn("w:customXml"), qn("w:smartTag")
_HYPERLINK, _FLD_SIMPLE = qn("w:hyperlink"), qn("w:fldSimple")
_DIR, _BDO = qn("w:dir"), qn("w:bdo")
_INS, _DEL = qn("w:ins"), qn("w:del")
_MOVE_TO, _MOVE_FROM = qn("w:moveTo"), qn("w:moveFrom")
_RUBY, _RUBY_BASE = qn("w:ruby"), qn("w:rubyBase")
_TAB, _PTAB, _BR, _CR = qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")
_NO_BREAK_HYPHEN, _SYM = qn("w:noBreakHyphen"), qn("w:sym")
_DRAWING, _PICT, _OBJECT = qn("w:drawing"), qn("w:pict"), qn("w:object")
_FLD_CHAR = qn("w:fldChar")
_COMMENT_REF, _COMMENT_START = qn("w:commentReference"), qn("w:commentRangeStart")
_VANISH, _RFONTS, _NUMPR = qn("w:vanish"), qn("w:rFonts"), qn("w:numPr")
_GRID_BEFORE, _GRID_SPAN = qn("w:gridBefore"), qn("w:gridSpan")
_VMERGE, _HMERGE = qn("w:vMerge"), qn("w:hMerge")

# Word's own user interface stops far earlier; every stage above the reader
# walks tables recursively, so a hostile depth is refused here.
MAX_TABLE_DEPTH = 64

_STORY_TYPES = frozenset(("default", "first", "even"))


class StoryReader(RunContent):
    """Reads one story of the part ``part`` (whose rels resolve its pictures).

    After :meth:`read`: ``tracked`` (a revision mark was seen), ``comment_ids``
    (ids of comment anchors) and ``section_refs`` ((``"header"``/``"footer"``,
    type, relationship id) in document order).
    """

    def __init__(
        self, part: str, styles: Styles, images: ImageSource, refs: dict[etree._Element, int] | None = None,
        boxes: bool = False,
    ) -> None:
        self.part = part
        # With ``boxes``, each paragraph's glyph boxes are decided as it is
        # read (formkit.docx.checkboxes), and ``whole_box`` says whether any
        # box showed its glyph whole.
        self._box_chars = box_chars().search if boxes else None
        self.whole_box = False
        self._refs = refs
        self.tracked = False
        self.comment_ids: set[object] = set()
        self.section_refs: list[tuple[str, str, str]] = []
        self._styles = styles
        self._images = images
        self._stack: list[_Frame] = []
        self._containers: list[list[Block]] = []
        self._tables: list[TableBuilder] = []
        self._para: ParagraphBuilder | None = None
        self._para_style: str | None = None
        self._font: str | None = None  # of the current run
        self._text_font = True  # the current run's font is not a symbol font
        # Complex-field stack: True once the field reached its result; and
        # how many open fields are still in their instruction.
        self._fields: list[bool] = []
        self._in_instruction = 0
        self._saved_fields: list[tuple[list[bool], int]] = []
        self._hidden_runs = self._revisions = False
        self.controls = False

    def read(self, story: etree._Element | None) -> tuple[Block, ...]:
        """The blocks of a story container's children (``w:body``, ``w:hdr``, ...)."""
        if story is None:
            return ()
        # Whether the story holds these at all: lxml answers at once when the
        # part never names them, and most paragraphs then need no look for them.
        self._hidden_runs = next(story.iter(_VANISH), None) is not None
        self._revisions = next(story.iter(_INS, _DEL), None) is not None
        self._containers = [[]]
        self._stack = [(iter(story), _BLOCK, None)]
        stack = self._stack
        while stack:
            children, table, done = stack[-1]
            for child in children:
                handler = table.get(child.tag)
                if handler is not None:
                    handler(self, child, table)
                    if stack[-1][0] is not children:
                        break  # the handler opened a frame: walk it first
            else:
                stack.pop()
                if done is not None:
                    done()
        return tuple(self._containers[0])

    def _push(self, children: Iterator[etree._Element], table: _Table,
              done: Callable[[], None] | None = None) -> None:
        self._stack.append((children, table, done))

    # --- generic containers ---------------------------------------------------
    def _descend(self, el: etree._Element, table: _Table) -> None:
        self._push(iter(el), table)

    def _alternate(self, el: etree._Element, table: _Table) -> None:
        branch = choose_alternate(el)
        if branch is not None:
            self._push(iter(branch), table)

    def _sdt(self, el: etree._Element, table: _Table) -> None:
        self.controls = True
        content = el.find(_SDT_CONTENT)
        if content is not None and not placeholder_hidden(el):  # a placeholder is a blank
            self._push(iter(content), table)

    def _insertion(self, el: etree._Element, table: _Table) -> None:
        self.tracked = True
        self._push(iter(el), table)

    def _deletion(self, el: etree._Element, table: _Table) -> None:
        self.tracked = True

    def _comment(self, el: etree._Element, table: _Table) -> None:
        self.comment_ids.add(el.get(_ID) or object())

    # --- blocks ---------------------------------------------------------------
    def _paragraph(self, el: etree._Element, table: _Table) -> None:
        # The most frequent handler: its lookups are local and ``w:pPr`` is
        # looked for where the schema puts it (first) before :func:`lead`.
        style: str | None = None
        numbered: bool | None = None
        count = len(el)
        ppr = None
        if count:
            first = el[0]
            ppr = first if first.tag == _PPR else lead(el, _PPR) if count > 1 else None
        if ppr is not None:
            for prop in ppr:
                tag = prop.tag
                if tag == _PSTYLE:
                    style = prop.get(W_VAL)
                elif tag == _NUMPR:
                    numbered = numbering_of(prop)
                elif tag == _RPR:
                    if self._revisions and any(mark.tag == _INS or mark.tag == _DEL for mark in prop):
                        self.tracked = True  # the paragraph mark's revisions
                elif tag == _SECTPR:
                    self._section(prop, table)
        if numbered is None:
            numbered = self._styles.numbered(style)
        refs = self._refs
        ref = refs.get(el, -1) if refs is not None else -1
        self._para_style = style
        if not self._in_instruction:
            text = plain_text(el, _WALKED, self._plain_run, self._hidden_runs)
            if text is not None:
                par = Paragraph((Text(text),) if text else (), style, numbered, ref)
                if self._box_chars is not None and self._box_chars(text) is not None:
                    par = self._boxes_of(convert_paragraph(par))
                self._containers[-1].append(par)
                return
        self._para = ParagraphBuilder(style, numbered, ref)
        self._push(iter(el), _PARAGRAPH, self._end_paragraph)

    def _end_paragraph(self) -> None:
        para = self._para
        if para is None:
            return
        self._para = None
        built = para.build()
        self._containers[-1].append(self._boxes_of(paragraph_boxes(built)) if self._box_chars else built)
        if para.textboxes:
            # Text-box contents are their own story: fields do not cross into them.
            self._saved_fields.append((self._fields, self._in_instruction))
            self._fields, self._in_instruction = [], 0
            self._push(chain.from_iterable(para.textboxes), _BLOCK, self._end_textboxes)

    def _boxes_of(self, par: Paragraph) -> Paragraph:
        """``par`` (its boxes decided), noted when it holds a whole box."""
        if not self.whole_box and holds_whole_box(par):
            self.whole_box = True
        return par

    def _end_textboxes(self) -> None:
        self._fields, self._in_instruction = self._saved_fields.pop()

    def _section(self, el: etree._Element, table: _Table) -> None:
        for ref in el:
            kind = "header" if ref.tag == _HEADER_REF else "footer" if ref.tag == _FOOTER_REF else None
            rid = ref.get(_R_ID)
            if kind is None or not rid:
                continue
            story_type = ref.get(_TYPE) or "default"
            self.section_refs.append(
                (kind, story_type if story_type in _STORY_TYPES else "default", rid)
            )

    # --- tables ---------------------------------------------------------------
    def _table(self, el: etree._Element, table: _Table) -> None:
        if len(self._tables) >= MAX_TABLE_DEPTH:
            raise FormkitError(
                "too-large", f"tables are nested more than {MAX_TABLE_DEPTH} deep; no real form is"
            )
        self._tables.append(TableBuilder())
        self._push(iter(el), _TABLE, self._end_table)

    def _end_table(self) -> None:
        self._containers[-1].append(self._tables.pop().build())

    def _row(self, el: etree._Element, table: _Table) -> None:
        grid_before = 0
        trpr = lead(el, _TRPR)  # after w:tblPrEx when there is one
        for prop in trpr if trpr is not None else ():
            tag = prop.tag
            if tag == _DEL:
                self.tracked = True  # a deleted row (§17.13.5) is not read
                return
            if tag == _INS:
                self.tracked = True
            elif tag == _GRID_BEFORE:
                grid_before = _int_val(prop, 0)
        self._tables[-1].start_row(grid_before)
        self._push(iter(el), _ROW, self._tables[-1].end_row)

    def _cell(self, el: etree._Element, table: _Table) -> None:
        span, vmerge, hmerge = 1, None, None
        tcpr = lead(el, _TCPR)
        for prop in tcpr if tcpr is not None else ():
            tag = prop.tag
            if tag == _GRID_SPAN:
                span = _int_val(prop, 1)
            elif tag == _VMERGE:
                vmerge = _merge_val(prop)
            elif tag == _HMERGE:
                hmerge = _merge_val(prop)
        self._tables[-1].open_cell(span, vmerge, hmerge)
        self._containers.append([])
        self._push(iter(el), _BLOCK, self._end_cell)

    def _end_cell(self) -> None:
        self._tables[-1].close_cell(tuple(self._containers.pop()))

    # --- paragraph content ----------------------------------------------------
    def _run(self, el: etree._Element, table: _Table) -> None:
        font, char_style, hidden = run_properties(lead(el, _RPR))
        if hidden:
            # Hidden text (§17.3.2.41) is not shown; its field marks still count.
            self._push(iter(el), _HIDDEN_RUN)
            return
        self._font = font or self._styles.run_font(char_style, self._para_style)
        self._text_font = not symbol_font(self._font)
        self._run_content(iter(el))

    def _plain_run(self, run: etree._Element) -> bool:
        """For :func:`formkit.docx.plain.plain_text`: the run is shown and
        in a text font, so its text is read as it is written."""
        font, char_style, hidden = run_properties(lead(run, _RPR))
        return not hidden and not symbol_font(font or self._styles.run_font(char_style, self._para_style))

    def _run_content(self, children: Iterator[etree._Element]) -> None:
        """Run content dispatched here rather than in a frame of its own: runs
        are the most numerous containers and their content is leaves, plain
        ``w:t`` above all. A handler that opens a frame (``mc:AlternateContent``)
        gets the rest of the run queued behind it, so order is kept."""
        stack = self._stack
        depth = len(stack)
        for child in children:
            tag = child.tag
            if tag == _T:
                self._text(child, _RUN)
                continue
            handler = _RUN.get(tag)
            if handler is not None:
                handler(self, child, _RUN)
                if len(stack) > depth:
                    stack.insert(depth, (children, _RUN, None))
                    return

    def _inline_sdt(self, el: etree._Element, table: _Table) -> None:
        self.controls = True
        props = lead(el, _SDT_PR)
        box = props.find(_W14_CHECKBOX) if props is not None else None
        if box is None:
            self._sdt(el, table)
            return
        self._emit(content_control_checkbox(box, el.find(_SDT_CONTENT)))

    def _ruby(self, el: etree._Element, table: _Table) -> None:
        base = el.find(_RUBY_BASE)  # the ruby text above (w:rt) is an annotation
        if base is not None:
            self._push(iter(base), _PARAGRAPH)


def _int_val(el: etree._Element, default: int) -> int:
    """``w:val`` of a decimal-number property, or ``default`` when missing or bad."""
    try:
        return int(el.get(W_VAL) or "")
    except ValueError:
        return default


def _merge_val(el: etree._Element) -> str:
    """ST_Merge of ``w:vMerge``/``w:hMerge``: no value means continue."""
    return RESTART if el.get(W_VAL) == RESTART else CONTINUE


_S = StoryReader
_COMMON: _Table = {
    ALTERNATE_CONTENT: _S._alternate,
    _CUSTOM_XML: _S._descend,
    _INS: _S._insertion,
    _MOVE_TO: _S._insertion,
    _DEL: _S._deletion,
    _MOVE_FROM: _S._deletion,
    _COMMENT_START: _S._comment,
}
_BLOCK: _Table = {
    **_COMMON,
    _P: _S._paragraph,
    _TBL: _S._table,
    _SDT: _S._sdt,
    _SECTPR: _S._section,
}
_TABLE: _Table = {ALTERNATE_CONTENT: _S._alternate, _CUSTOM_XML: _S._descend,
                  _SDT: _S._sdt, _TR: _S._row}
_ROW: _Table = {ALTERNATE_CONTENT: _S._alternate, _CUSTOM_XML: _S._descend,
                _SDT: _S._sdt, _TC: _S._cell}
_PARAGRAPH: _Table = {
    **_COMMON,
    _R: _S._run,
    _SDT: _S._inline_sdt,
    _HYPERLINK: _S._descend,
    _SMART_TAG: _S._descend,
    _FLD_SIMPLE: _S._descend,
    _DIR: _S._descend,
    _BDO: _S._descend,
    _RUBY: _S._ruby,
}
# Run content (§17.3.3). Not listed, so never text: w:instrText and
# w:delInstrText (field instructions), w:delText, w:softHyphen (shown only at
# a line end), footnote/endnote marks, w:lastRenderedPageBreak.
_RUN: _Table = {
    ALTERNATE_CONTENT: _S._alternate,
    _T: _S._text,
    _TAB: _S._tab,
    _PTAB: _S._tab,
    _BR: _S._break,
    _CR: _S._carriage_return,
    _NO_BREAK_HYPHEN: _S._hyphen,
    _SYM: _S._symbol,
    _DRAWING: _S._drawing,
    _PICT: _S._drawing,
    _OBJECT: _S._drawing,
    _FLD_CHAR: _S._field_char,
    _COMMENT_REF: _S._comment,
}
_HIDDEN_RUN: _Table = {_FLD_CHAR: _S._hidden_field_char, _COMMENT_REF: _S._comment}
# What the walk acts on in a paragraph and in a run, but runs and their text:
# a paragraph holding none of it is read by :func:`formkit.docx.plain.plain_text`.
_WALKED = (frozenset(map(str, _PARAGRAPH)) - {_R}, frozenset(map(str, _RUN)) - {_T})
