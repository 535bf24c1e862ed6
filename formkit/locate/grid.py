"""Grids: a table with a header row over rows to fill ("No. | Item |
Quantity" over empty rows). The field is a list of row objects keyed by
column (the definition's ``columns``: name -> printed header); rows whose
cells are all empty are dropped. Only the paragraphs right in a cell count
(a nested table is not part of its cell's answer).
"""
from __future__ import annotations

from formkit.forms import FieldDef
from formkit.locate.kinds import Found, _all_cells, value_value
from formkit.locate.labels import Hit, make_label
from formkit.locate.stream import Para, Stream
from formkit.warnings import Warning

Cells = dict[tuple[int, int], list[Para]]


def table_cells(every: dict[tuple[int, ...], Cells], tpath: tuple[int, ...]) -> Cells:
    """(row, column) -> the paragraphs directly in that cell of the table at
    ``tpath`` (``every``: :func:`formkit.locate.kinds._all_cells`)."""
    depth = len(tpath) + 2
    return {rc: ps for rc, paras in every.get(tpath, {}).items() if (ps := [p for p in paras if len(p.container) == depth])}


def _header(cells: Cells, f: FieldDef) -> tuple[int, dict[str, int]] | None:
    """The header row and each column's index, when one row holds every header."""
    rows: dict[int, dict[int, str]] = {}
    for (r, c), paras in cells.items():
        rows.setdefault(r, {})[c] = "".join(p.key for p in paras)
    for r in sorted(rows):
        cols: dict[str, int] = {}
        for column in f.fields:
            key = make_label(column.label).key
            at = next((c for c, k in sorted(rows[r].items()) if k == key and c not in cols.values()), None)
            if at is None:
                break
            cols[column.name] = at
        if len(cols) == len(f.fields):
            return r, cols
    return None


def grid(stream: Stream, f: FieldDef, lo: int, hi: int, path: str) -> Found:
    """The rows of the first table in paragraphs [lo, hi) headed by ``f``'s columns."""
    every = _all_cells(stream)
    for table, tpath, where in stream.tables:
        cells = table_cells(every, tpath)
        first = min((ps[0].index for ps in cells.values()), default=-1)
        if not lo <= first < hi:
            continue
        head = _header(cells, f)
        if head is None:
            continue
        row, cols = head
        found = Found([], f"{where}, row {row + 1}", hit=Hit(cells[(row, cols[f.fields[0].name])][0].index, 0, 0))
        found.cells.append({name: cells[(row, c)][0].index for name, c in cols.items()})  # the header row first
        for r in range(row + 1, len(table.rows)):
            at = {name: cells[(r, c)][0].index for name, c in cols.items() if (r, c) in cells}
            if len(at) < len(cols):
                continue
            found.cells.append(at)
            item = {name: value_value("\n".join(p.text for p in cells[(r, c)])) for name, c in cols.items()}
            if any(item.values()):
                found.value.append(item)
        found.end = max((i for at in found.cells for i in at.values()), default=found.hit.index if found.hit else 0) + 1
        return found
    heads = " | ".join(c.label for c in f.fields)
    return Found([], "", [Warning.of("field-not-found", path, f"no table headed {heads!r}")])
