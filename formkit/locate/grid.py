"""Grids: a table with a header row over rows to fill ("No. | Item |
Quantity" over empty rows). The field is a list of row objects keyed by
column (the definition's ``columns``: name -> printed header); rows whose
cells are all empty are dropped. Only the paragraphs right in a cell count
(a nested table is not part of its cell's answer).
"""
from __future__ import annotations

from typing import Any

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


def _header(cells: Cells, f: FieldDef) -> tuple[int, dict[str, int], bool] | None:
    """The header row and each column's index, when one row holds every
    header; and whether that row holds no other header (an exact fit)."""
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
            others = [k for c, k in rows[r].items() if c not in cols.values() and any(ch.isalnum() for ch in k)]
            return r, cols, not others
    return None


def grid(stream: Stream, f: FieldDef, lo: int, hi: int, path: str, taken: set[tuple[int, ...]] | None = None) -> Found:
    """The rows of the first table in paragraphs [lo, hi) headed by exactly
    ``f``'s columns (else by them and more), leaving out the tables of
    ``taken`` (grids found before this one); the table is added to ``taken``."""
    every = _all_cells(stream)
    taken = taken if taken is not None else set()
    fits: list[tuple[bool, int, Any, tuple[int, ...], str, Cells, tuple[int, dict[str, int], bool]]] = []
    for table, tpath, where in stream.tables:
        cells = table_cells(every, tpath)
        first = min((ps[0].index for ps in cells.values()), default=-1)
        if tpath in taken or not lo <= first < hi:
            continue
        head = _header(cells, f)
        if head is not None:
            fits.append((not head[2], len(fits), table, tpath, where, cells, head))
    if not fits:
        heads = " | ".join(c.label for c in f.fields)
        return Found([], "", [Warning.of("field-not-found", path, f"no table headed {heads!r}")])
    _, _, table, tpath, where, cells, (row, cols, _exact) = min(fits, key=lambda t: (t[0], t[1]))
    taken.add(tpath)
    found = Found([], f"{where}, row {row + 1}", hit=Hit(cells[(row, cols[f.fields[0].name])][0].index, 0, 0))
    found.cells.append({name: cells[(row, c)][0].index for name, c in cols.items()})  # the header row first
    until = make_label(f.until).key if f.until else ""
    for r in range(row + 1, len(table.rows)):
        if until and any("".join(p.key for p in ps).startswith(until) for (rr, _c), ps in cells.items() if rr == r):
            break  # the printed row the grid ends at ("Total")
        at = {name: cells[(r, c)][0].index for name, c in cols.items() if (r, c) in cells}
        if len(at) < len(cols):
            continue
        found.cells.append(at)
        item = {name: value_value("\n".join(p.text for p in cells[(r, c)])) for name, c in cols.items()}
        if any(item.values()):
            found.value.append(item)
    found.end = max(i for at in found.cells for i in at.values()) + 1
    return found
