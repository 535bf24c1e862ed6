"""The tables ``formkit learn`` reads: the quality-level column (an empty box
and a digit 1..5 in each row), grids to fill row by row (reported, not
learned) and vertically merged cells (no answer cell of their own).
"""
from __future__ import annotations

from formkit.learn.model import Proposal, label_text
from formkit.locate.kinds import _all_cells, _box_digit_column
from formkit.locate.stream import Para, Stream
from formkit.text import match_key


def cell_text(paras: list[Para]) -> str:
    return label_text(" ".join(p.text for p in paras))


def find_level(stream: Stream) -> tuple[Proposal | None, set[int], set[tuple[int, ...]]]:
    """The level field, the stream indexes of the level column's paragraphs,
    and the container path of the level table (empty when there is none)."""
    for tpath, cells in _all_cells(stream).items():
        col = _box_digit_column(cells)
        if col is None:
            continue
        rows = sorted(r for (r, c), ps in cells.items() if c == col and any(p.checkboxes for p in ps))
        consumed = {p.index for (r, c), ps in cells.items() if c == col and r in rows for p in ps}
        header_row = min(r for (r, c) in cells if c == col)
        head = cell_text(cells.get((header_row, col), []))
        where = next(w for _t, path, w in stream.tables if path == tpath)
        first = cells[(rows[0], col)][0].index
        prop = Proposal("level", head or "ระดับคุณภาพ", first, f"{where}, column {col + 1}")
        others = sorted((cell_text(ps) for (r, c), ps in cells.items() if r == header_row and c != col), key=len)
        if header_row in rows or not head:
            prop.notes.append("the level column has no header cell: the column is found by its boxes and digits")
            head = head or "ระดับคุณภาพ"
        prop.spec = {"header": head, "table": [t for t in others if t and len(match_key(t)) <= 40][:2]}
        return prop, consumed, {tpath}
    return None, set(), set()


def grid_notes(stream: Stream, empty: set[int], consumed: set[int]) -> list[str]:
    """A table whose first row holds headers and whose other rows are all
    empty (``empty``: indexes of empty paragraphs) is a grid to fill row by
    row: not a kind formkit reads (yet)."""
    notes = []
    for tpath, cells in _all_cells(stream).items():
        rows = sorted({r for r, _c in cells})
        if len(rows) < 2 or any(p.index in consumed for ps in cells.values() for p in ps):
            continue
        head = [cell_text(cells[(r, c)]) for (r, c) in sorted(cells) if r == rows[0]]
        body = [p for (r, _c), ps in cells.items() if r != rows[0] for p in ps]
        if len(head) >= 2 and all(head) and all(p.index in empty for p in body):
            where = next(w for _t, path, w in stream.tables if path == tpath)
            notes.append(f"{where} is a grid to fill row by row ({' | '.join(head)}): formkit has no kind "
                         "for it, so its rows are neither filled nor read")
    return notes


def continues_merge(stream: Stream, container: tuple[int, ...]) -> bool:
    """True when the cell at ``container`` continues a vertical merge from
    the row above (its text, if any, stands in the first cell)."""
    table = next((t for t, path, _w in stream.tables if path == container[:-2]), None)
    if table is None:
        return False
    row, col = container[-2], container[-1]
    cell = next((c for c in table.rows[row].cells if c.col == col), None)
    return cell is not None and cell.merged
