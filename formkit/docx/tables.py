"""Placing table cells on the grid and resolving merges (ECMA-376 Part 1, §17.4).

The reader walks ``w:tbl`` and feeds this builder one row and one cell at a
time with the properties it read from the XML; the builder knows no XML names.

* ``w:trPr/w:gridBefore`` (§17.4.15) skips grid columns before a row's first
  cell; each cell then takes ``w:gridSpan`` (§17.4.17) columns.
* ``w:vMerge`` (§17.4.84): ``restart`` opens a vertical merge, ``continue``
  (or no value) extends the merge open directly above at the same grid
  column. The opening cell gets ``row_span``; continuation cells are kept with
  ``merged=True`` (and whatever blocks they hold) so every row keeps its grid
  positions. A ``continue`` with no merge directly above starts a merge, as
  Word renders it.
* legacy ``w:hMerge`` (§17.4.22): a ``continue`` cell widens the cell before
  it and is not kept itself.
"""
from __future__ import annotations

from formkit.docx.model import Block, Cell, Row, Table

RESTART = "restart"
CONTINUE = "continue"


class _Draft:
    """A cell being placed: its grid column and span, its vertical merge."""

    __slots__ = ("col", "span", "vmerge", "blocks", "row_span", "merged")

    def __init__(self, col: int, span: int, vmerge: str | None) -> None:
        self.col = col
        self.span = span
        self.vmerge = vmerge
        self.blocks: tuple[Block, ...] = ()
        self.row_span = 1
        self.merged = False


class _Open:
    """A vertical merge open at some column: its first cell and last row."""

    __slots__ = ("owner", "last_row")

    def __init__(self, owner: _Draft, last_row: int) -> None:
        self.owner = owner
        self.last_row = last_row


class TableBuilder:
    """Collects rows and cells of one ``w:tbl`` and builds the :class:`Table`."""

    __slots__ = ("_rows", "_col", "_open", "_cell")

    def __init__(self) -> None:
        self._rows: list[list[_Draft]] = []
        self._col = 0
        self._open: dict[int, _Open] = {}
        self._cell: _Draft | None = None

    def start_row(self, grid_before: int = 0) -> None:
        """Begin a row whose first cell sits at grid column ``grid_before``."""
        self._rows.append([])
        self._col = max(grid_before, 0)

    def open_cell(self, span: int = 1, vmerge: str | None = None, hmerge: str | None = None) -> None:
        """Place the next cell of the current row; its blocks follow in :meth:`close_cell`."""
        span = max(span, 1)
        self._cell = None
        if not self._rows:
            return
        row = self._rows[-1]
        if hmerge == CONTINUE and row:
            row[-1].span += span
        else:
            self._cell = _Draft(col=self._col, span=span, vmerge=vmerge)
            row.append(self._cell)
        self._col += span

    def close_cell(self, blocks: tuple[Block, ...]) -> None:
        """Give the cell opened last its content (dropped for an hMerge continuation)."""
        if self._cell is not None:
            self._cell.blocks = blocks
            self._cell = None

    def end_row(self) -> None:
        """Resolve the vertical merges the current row opens, extends or ends."""
        if not self._rows:
            return
        index = len(self._rows) - 1
        for draft in self._rows[index]:
            if draft.vmerge is None:
                self._open.pop(draft.col, None)
                continue
            above = self._open.get(draft.col)
            if draft.vmerge != RESTART and above is not None and above.last_row == index - 1:
                draft.merged = True
                above.owner.row_span += 1
                above.last_row = index
            else:
                self._open[draft.col] = _Open(owner=draft, last_row=index)

    def build(self) -> Table:
        """The finished table, with merges resolved."""
        return Table(
            rows=tuple(
                Row(
                    cells=tuple(
                        Cell(
                            blocks=d.blocks,
                            col=d.col,
                            span=d.span,
                            row_span=d.row_span,
                            merged=d.merged,
                        )
                        for d in row
                    )
                )
                for row in self._rows
            )
        )
