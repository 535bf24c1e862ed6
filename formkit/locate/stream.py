"""The paragraph stream locators search: every paragraph of a story in
document order (table cells row by row, nested tables inside their cell),
each with its container path and a readable location.

A container path is ``()`` for the story itself and grows by
``(table, row, col)`` for each table cell entered, so "paragraph p is inside
the container of paragraph q" is a prefix test.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from formkit.docx.model import Block, Checkbox, Image, Paragraph, Table, Text
from formkit.text import clean_chars, clean_key, for_short_texts, key_ends

Container = tuple[int, ...]
_V = TypeVar("_V")


class Para:
    """One paragraph of the stream, with what locators ask of it: its
    ``index`` in the stream, the ``container`` (table cell path) it stands
    in, ``where`` in words, its clean ``text`` and matching ``key`` (derived
    from the paragraph, so left out of comparisons). Made once per paragraph
    and never changed."""

    __slots__ = ("index", "paragraph", "container", "where", "text", "key")

    def __init__(self, index: int, paragraph: Paragraph, container: Container, where: str, text: str,
                 key: str) -> None:
        self.index = index
        self.paragraph = paragraph
        self.container = container
        self.where = where
        self.text = text
        self.key = key

    def _compared(self) -> tuple[int, Paragraph, Container, str]:
        return self.index, self.paragraph, self.container, self.where

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Para) and self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        return f"Para({self.index}, {self.where!r}, {self.text!r})"

    @property
    def key_ends(self) -> tuple[int, ...]:
        """Where each key character ends in ``text`` (see :func:`key_ends`)."""
        return key_ends(self.text)

    @property
    def checkboxes(self) -> list[Checkbox]:
        return [i for i in self.paragraph.inlines if isinstance(i, Checkbox)]

    @property
    def images(self) -> list[Image]:
        return [i for i in self.paragraph.inlines if isinstance(i, Image)]

    @property
    def with_tabs(self) -> str:
        """``text`` with its tabs kept (the stream reads a tab as a space, as
        words are compared): a tab can be all that separates an answer from
        the next label on a line, or a blank Word draws to a leader tab stop.
        Same offsets as ``text``."""
        raw = self.paragraph.text
        if "\t" not in raw:
            return self.text
        return clean_chars(raw.replace("\t", "\0")).replace("\0", "\t")

    def inside(self, container: Container) -> bool:
        return self.container[: len(container)] == container


def paragraph_text(par: Paragraph) -> str:
    """Character-clean text of a paragraph: text and line breaks; boxes,
    symbols and images left out."""
    return clean_chars(par.text)


# A typed list number at the start of a key: "1." keys as "#", "(1)" as "(#)".
ENUM = re.compile(r"^\(?#\)?")


class Stream:
    """All paragraphs of one story, plus the tables with their positions."""

    __slots__ = ("paras", "tables", "_ends", "_firsts", "_derived")

    def __init__(self, paras: list[Para], tables: list[tuple[Table, Container, str]]) -> None:
        self.paras = paras
        self.tables = tables
        self._ends: dict[int, int] = {}
        self._firsts: dict[tuple[bool, str], list[int]] | None = None
        #: What locators derive from the whole stream and ask for more than once
        #: (a repeated block's starts), by a key of their own; see :meth:`derived`.
        self._derived: dict[tuple[object, ...], object] = {}

    def derived(self, key: tuple[object, ...], make: Callable[[], _V]) -> _V:
        """``make()``, computed once per stream and ``key`` (which must name
        everything ``make`` reads besides the stream); the value is shared,
        so it must not be changed by its users."""
        try:
            return self._derived[key]  # type: ignore[return-value]
        except KeyError:
            value = self._derived[key] = make()
            return value

    def starting(self, char: str, after_number: bool) -> list[int]:
        """Indexes (ascending) of the paragraphs whose key starts with
        ``char``: at its very start, or (``after_number``) after a typed list
        number (:data:`ENUM`) when one opens a longer key. A label can only
        start a paragraph listed under its first key character, so a search
        for it visits those alone, not the whole stream again for every label
        (the index is built once per stream, in one pass)."""
        if self._firsts is None:
            firsts: dict[tuple[bool, str], list[int]] = {}
            for para in self.paras:
                key = para.key
                if not key:
                    continue
                firsts.setdefault((False, key[0]), []).append(para.index)
                skip = 0
                if key[0] in "#(":
                    m = ENUM.match(key)
                    skip = m.end() if m and m.end() < len(key) else 0
                firsts.setdefault((True, key[skip]), []).append(para.index)
            self._firsts = firsts
        return self._firsts.get((after_number, char), [])

    def container_end(self, start: int) -> int:
        """Index one past the last paragraph inside the container of ``start``.

        One scan answers every paragraph of the same container it passes (the
        scan from any of them ends at the same paragraph), so repeated calls
        cost nothing and all calls together scan each paragraph once per
        nesting level."""
        end = self._ends.get(start)
        if end is not None:
            return end
        paras = self.paras
        container = paras[start].container
        depth = len(container)
        same = [start]
        end = start + 1
        while end < len(paras):
            other = paras[end].container
            if other[:depth] != container:
                break
            if len(other) == depth:
                same.append(end)
            end += 1
        for k in same:
            self._ends[k] = end
        return end


def build(blocks: tuple[Block, ...], story: str = "body") -> Stream:
    """Flatten ``blocks`` into a :class:`Stream`."""
    stream = Stream([], [])
    _walk(blocks, (), story, stream)
    return stream


def _walk(blocks: tuple[Block, ...], container: Container, where: str, out: Stream) -> None:
    table_no = 0
    par_no = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            par_no += 1
            _add(out, block, container, f"{where}, paragraph {par_no}")
            continue
        table_no += 1
        label = f"{where}, table {table_no}" if where != "body" else f"table {len(out.tables) + 1}"
        out.tables.append((block, container + (table_no,), label))
        for r, row in enumerate(block.rows):
            for cell in row.cells:
                cell_where = f"{label}, row {r + 1}, cell {cell.col + 1}"
                _walk(cell.blocks, container + (table_no, r, cell.col), cell_where, out)


def _add(out: Stream, par: Paragraph, container: Container, where: str) -> None:
    inlines = par.inlines
    if len(inlines) == 1 and type(inlines[0]) is Text:
        raw = inlines[0].text  # most paragraphs: one text (Paragraph.text without the walk)
    else:
        raw = par.text
    text, key = _text_key(raw)
    out.paras.append(Para(len(out.paras), par, container, where, text, key))


@for_short_texts(4096)
def _text_key(raw: str) -> tuple[str, str]:
    """A paragraph's clean text and its key (a printed line's, once per batch)."""
    text = clean_chars(raw)
    return text, clean_key(text)
