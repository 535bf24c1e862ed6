"""The immutable document model every stage above the reader works on.

The reader (:mod:`formkit.docx.reader`) turns WordprocessingML into these values;
nothing above it sees lxml elements or XML names. Inlines are what a person
sees in a paragraph (text, a symbol-font glyph, a checkbox, an image, a line
break); blocks are paragraphs and tables, in document order.

Tables have their merges resolved: every cell knows its grid column, its
horizontal span (``w:gridSpan``) and vertical span (``w:vMerge``); a cell that
only continues a vertical merge is kept with ``merged=True`` and no content of
its own, so row/column positions stay true to the printed grid.

The values are named tuples (one C call to make, which matters when a
document has thousands of runs, and cheap to define at start-up) that
compare by type as well as by value: ``Text("line") != Break("line")``, and
no value equals a plain tuple. A field that takes no part in comparisons
says so in its class's docstring.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Union

from formkit.values import NamedTuple, compare_by_type


class Text(NamedTuple):
    """Characters of one run (or part of one) in a text font."""

    text: str


class Symbol(NamedTuple):
    """One glyph of a symbol font (Wingdings, Wingdings 2, Symbol ...).

    ``code`` is the byte in the font's own code page (0x00-0xFF): ``w:sym``
    writes it as ``F0xx`` or ``00xx``, a run in a symbol font writes it as the
    private-use character U+F0xx or as the plain letter (``R`` in Wingdings 2).
    ``font`` is the font name as written, or ``""`` when the run named none.
    """

    font: str
    code: int


class Checkbox(NamedTuple):
    """A box with a state, whatever way Word stored it.

    ``encoding`` says how it was written: ``symbol`` (a symbol-font glyph),
    ``unicode`` (a Unicode box or mark character), ``content-control`` (Word
    2010 ``w14:checkbox``), ``form-field`` (legacy FORMCHECKBOX) or
    ``typed-mark`` (an empty box with a mark typed beside it).
    ``glyph`` is the character shown (for symbols, the font's Unicode
    equivalent), ``font`` and ``code`` the symbol font and byte when any.
    """

    checked: bool
    encoding: str
    glyph: str = ""
    font: str | None = None
    code: int | None = None


class Image(NamedTuple):
    """A picture placed inline or anchored in a run (DrawingML or VML)."""

    sha256: str
    media_type: str
    part: str


class Break(NamedTuple):
    """A break inside a paragraph: ``line`` (soft return) or ``page``/``column``."""

    kind: str = "line"


Inline = Union[Text, Symbol, Checkbox, Image, Break]


class Paragraph(NamedTuple):
    """A paragraph: its inlines in order, its style id and list numbering.

    ``numbered`` is True when Word numbers the paragraph itself (``w:numPr``):
    the printed "1." is then not part of the text. ``ref`` is the paragraph's
    position among its part's paragraphs in XML order, kept only when the
    reader is asked for it (fill needs it to find the paragraph again); it
    takes no part in comparisons.
    """

    inlines: tuple[Inline, ...]
    style: str | None = None
    numbered: bool = False
    ref: int = -1

    @property
    def text(self) -> str:
        """Plain text: text and line breaks only (symbols, boxes, images dropped)."""
        parts: list[str] = []
        for item in self.inlines:
            if isinstance(item, Text):
                parts.append(item.text)
            elif isinstance(item, Break):
                parts.append("\n")
        return "".join(parts)


class Cell(NamedTuple):
    """A table cell placed on the table grid. A cell that continues a
    vertical merge has ``merged=True`` and keeps whatever blocks Word left in
    it (usually one empty paragraph)."""

    blocks: tuple[Block, ...]
    col: int
    span: int = 1
    row_span: int = 1
    merged: bool = False


class Row(NamedTuple):
    cells: tuple[Cell, ...]


class Table(NamedTuple):
    rows: tuple[Row, ...]

    def cell_at(self, row: int, col: int) -> Cell | None:
        """The cell covering grid position (row, col), following vertical merges up."""
        while row >= 0:
            for cell in self.rows[row].cells:
                if cell.col <= col < cell.col + cell.span:
                    if not cell.merged:
                        return cell
                    break
            else:
                return None
            row -= 1
        return None


Block = Union[Paragraph, Table]


class Story(NamedTuple):
    """A header or footer part: its kind (``default``, ``first``, ``even``) and blocks."""

    kind: str
    blocks: tuple[Block, ...]


class Doubt(NamedTuple):
    """Something the reader saw that a field's reading must answer for.

    ``kind`` is ``struck`` (text in struck-through runs, ``w:strike`` or
    ``w:dstrike``: deleted the way Calligra writes a tracked deletion and
    many people delete; ``text`` is the struck text, ``context`` its whole
    paragraph), ``struck-box`` (a struck-through box or mark, taken out:
    ``text`` is its glyph, ``context`` its paragraph) or ``moved-breaks``
    (LibreOffice moved the line breaks of the answer ``text`` out of it)."""

    kind: str
    text: str
    context: str = ""


class Document(NamedTuple):
    """A whole document: body blocks, header and footer stories, and facts
    about how it was edited (tracked changes, comments, struck-through text:
    ``doubts``) that may deserve a warning."""

    body: tuple[Block, ...]
    headers: tuple[Story, ...] = ()
    footers: tuple[Story, ...] = ()
    tracked_changes: bool = False
    comments: int = 0
    controls: tuple[Control, ...] = ()
    doubts: tuple[Doubt, ...] = ()


class Control(NamedTuple):
    """A form control of the body: a content control (``w:sdt``, ECMA-376
    §17.5.2) or a legacy form field (``w:ffData``, §17.16), as data.

    ``type`` is ``text``, ``richtext``, ``date``, ``dropdown``, ``combobox``,
    ``checkbox``, ``picture`` or ``repeating`` for a content control,
    ``formtext``, ``formcheckbox`` or ``formdropdown`` for a legacy field.
    ``tag`` and ``alias`` (Word's "Title") name a content control,
    ``bookmark`` a legacy field. ``text`` is what it shows, "" while it shows
    its placeholder (``placeholder``) or a legacy text field's default.
    ``items`` are a list's (display text, value) pairs, ``date`` the ISO
    date of a date control (``w:fullDate``), ``image`` a picture control's
    picture, ``repeats`` the controls of each item of a repeating section.
    ``paragraphs`` are the positions (as :attr:`Paragraph.ref`) of the
    paragraphs it stands in, when the reader was asked for them (no part in
    comparisons, like :attr:`Paragraph.ref`); ``before``
    the text printed before it on its line (its label, when it has one).
    """

    type: str
    tag: str = ""
    alias: str = ""
    bookmark: str = ""
    text: str = ""
    placeholder: bool = False
    checked: bool = False
    items: tuple[tuple[str, str], ...] = ()
    date_format: str = ""
    date: str = ""
    bound: bool = False
    image: Image | None = None
    repeats: tuple[tuple[Control, ...], ...] = ()
    paragraphs: tuple[int, ...] = ()
    before: str = ""


for _cls in (Text, Symbol, Checkbox, Image, Break, Cell, Row, Table, Story, Doubt, Document):
    compare_by_type(_cls)
compare_by_type(Paragraph, ignore=("ref",))
compare_by_type(Control, ignore=("paragraphs",))


def paragraphs_of(blocks: tuple[Block, ...]) -> Iterator[Paragraph]:
    """Every paragraph of ``blocks`` in document order, table cells (nested
    tables too) included."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block
        else:
            for row in block.rows:
                for cell in row.cells:
                    yield from paragraphs_of(cell.blocks)
