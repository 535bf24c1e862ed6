"""The tables ``formkit learn`` reads: the quality-level column (an empty box
and a digit 1..5 in each row), grids to fill row by row (a header row over
empty rows) and vertically merged cells (no answer cell of their own).
"""
from __future__ import annotations

from collections.abc import Iterable

from formkit.learn.model import Proposal, label_text
from formkit.locate.kinds import _all_cells, _box_digit_column
from formkit.locate.grid import table_cells
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


def wordy(key: str) -> bool:
    """True when a key holds a letter or digit: an operator or punctuation
    cell ("+", "=", "-", "/", "…") is never a label."""
    return any(ch.isalnum() for ch in key)


def find_grids(stream: Stream, empty: set[int], consumed: set[int]) -> tuple[list[Proposal], set[int]]:
    """Tables whose first row holds headers and whose other rows are empty
    (``empty``: indexes of empty paragraphs): grids to fill row by row. A
    column headed by an operator ("+", "=") is printed, not filled: its
    cells may repeat it. Also the stream indexes of the grids' paragraphs."""
    every = _all_cells(stream)
    out: list[Proposal] = []
    taken: set[int] = set()
    for _table, tpath, where in stream.tables:
        cells = table_cells(every, tpath)
        rows = sorted({r for r, _c in cells})
        if len(rows) < 2 or any(p.index in consumed or p.checkboxes for ps in cells.values() for p in ps):
            continue
        head = {c: cell_text(ps) for (r, c), ps in sorted(cells.items()) if r == rows[0]}
        until, last = _foot(cells, rows)
        body = [(c, ps) for (r, c), ps in cells.items() if rows[0] < r <= last]
        numbered = {c for c in head if _numbers(ps for col, ps in body if col == c)}
        named = {c: text for c, text in head.items() if wordy(match_key(text)) and c not in numbered}
        if len(named) < 2 or any(not text for text in head.values()):
            continue
        if not all(all(p.index in empty for p in ps) if c in named else
                   (c in numbered or not wordy("".join(p.key for p in ps))) for c, ps in body):
            continue
        first = cells[(rows[0], min(named))][0]
        prop = Proposal("grid", " | ".join(named.values()), first.index, where, {"columns": list(named.values())})
        printed = len([r for r in rows if rows[0] < r <= last])
        prop.notes.append(f"a grid: each record holds a list of rows ({printed} printed, more are added)")
        if until:
            prop.spec["until"] = until
            prop.notes.append(f"the rows end at the printed row {until!r}")
        if len(named) < len(head):
            prop.notes.append("columns holding only an operator, punctuation or printed row numbers are printed, not filled")
        out.append(prop)
        taken |= {p.index for (r, _c), ps in cells.items() if r <= last for p in ps}
    return out, taken


def _foot(cells: dict[tuple[int, int], list[Para]], rows: list[int]) -> tuple[str, int]:
    """A printed row under a grid's empty rows ("Total" | | ): its first
    text, which ends the grid, and the last row of the grid; ("", last row)
    when there is none. The rows from it on are not the grid's: a label in
    them is learned as any label in a table is."""
    for n, r in enumerate(rows[2:], 2):
        texts = [cell_text(ps) for (row, _c), ps in sorted(cells.items()) if row == r]
        text = next((t for t in texts if wordy(match_key(t))), "")
        if text:
            return text, rows[n - 1]
    return "", rows[-1]


def _numbers(cells: Iterable[list[Para]]) -> bool:
    """True when every cell holds a printed row number ("1", "2." ...): a
    numbered column is printed, not filled."""
    keys = ["".join(p.key for p in ps) for ps in cells]
    return bool(keys) and all(k.strip("#.()") == "" and "#" in k for k in keys)


def continues_merge(stream: Stream, container: tuple[int, ...]) -> bool:
    """True when the cell at ``container`` continues a vertical merge from
    the row above (its text, if any, stands in the first cell)."""
    table = next((t for t, path, _w in stream.tables if path == container[:-2]), None)
    if table is None:
        return False
    row, col = container[-2], container[-1]
    cell = next((c for c in table.rows[row].cells if c.col == col), None)
    return cell is not None and cell.merged
