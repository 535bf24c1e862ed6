"""Template transforms of the grid, date and signature kinds (the
:class:`formkit.fill.build.Builder` hands these fields here).

* grid: each printed row's column cells show the record's row of that
  number; rows past the printed ones are copies of the last printed row (its
  formatting, its printed cells such as "+" kept) in a ``{%tr for %}`` loop;
* date: each blank after the label shows its piece of the date
  (:func:`formkit.locate.thaidate.pieces`), the printed words between them
  stay; an empty piece keeps its dots;
* signature: its parts are value and date fields, filled as such inside the
  block; the signature line itself is left to the pen.
"""
from __future__ import annotations

import copy
import re
from typing import Any, Callable, Protocol

from lxml import etree

from formkit.docx.ns import qn
from formkit.fill.edit import W_P, W_R, W_RPR, W_T, raw_text, runs_between, text_run, visible
from formkit.fill.tags import Tags
from formkit.forms import FieldDef
from formkit.locate import thaidate
from formkit.locate.kinds import Found, value_value
from formkit.locate.labels import make_label, match_inside, match_start
from formkit.docx.model import Paragraph
from formkit.locate.stream import Para
from formkit.text import LEADER, clean_chars, clean_key



class Builder(Protocol):
    """What these transforms need of :class:`formkit.fill.build.Builder`."""

    tags: Tags
    notes: list[str]

    def element(self, index: int) -> etree._Element: ...

    def wrap(self, runs: list[etree._Element], before: str, after: str) -> None: ...

    def fields(self, fields: tuple[FieldDef, ...], where: dict[str, Found], var: str) -> None: ...

W_TR, W_TC = qn("w:tr"), qn("w:tc")


def canonical(f: FieldDef, value: Any) -> Any:
    """The canonical value of a grid or a date (what parse reads back)."""
    if f.kind == "date":
        return thaidate.canonical(str(value or ""), f.between)
    rows = []
    for row in value or []:
        given = row if isinstance(row, dict) else {}
        item = {c.name: value_value(str(given.get(c.name) or "")) for c in f.fields}
        if any(item.values()):
            rows.append(item)
    return rows


# -- grid --------------------------------------------------------------------------------

def _ancestor(el: etree._Element, tag: str) -> etree._Element | None:
    return next(el.iterancestors(tag), None)


def _like_run(b: Builder, index: int, head: int) -> etree._Element | None:
    """A run whose properties an answer in a cell takes: the cell's own first
    run, else its paragraph mark's properties, else its header cell's run
    (made plain by the caller): the form's font and size, so the answer gets
    the complex-script ones Thai needs."""
    p = b.element(index)
    run = p.find(f".//{W_R}")
    if run is not None:
        return run
    rpr = p.find(f"{qn('w:pPr')}/{W_RPR}")
    if rpr is None:
        return b.element(head).find(f".//{W_R}")
    like = etree.Element(W_R)
    like.append(copy.deepcopy(rpr))
    return like


def _grid(b: Builder, f: FieldDef, found: Found, expr: str) -> None:
    if len(found.cells) < 2:
        b.notes.append(f"the {f.name} grid has no row to fill")
        return
    head, rows = found.cells[0], found.cells[1:]
    last = rows[-1]
    last_tr = _ancestor(b.element(next(iter(last.values()))), W_TR)
    spare = copy.deepcopy(last_tr) if last_tr is not None else None
    places = {name: _cell_place(last_tr, b.element(i)) for name, i in last.items()} if last_tr is not None else {}
    likes = {name: _like_run(b, index, head[name]) for name, index in last.items()}
    for n, row in enumerate(rows):
        for name, index in row.items():
            code = f"{{% if {expr}|length > {n} %}}{{{{ {expr}[{n}][{name!r}] }}}}{{% endif %}}"
            b.element(index).append(text_run(b.tags.inline(code), _like_run(b, index, head[name]), plain=True))
    if spare is None or last_tr is None or None in places.values():
        b.notes.append(f"the {f.name} grid cannot grow: only its printed rows are filled")
        return
    for name, place in places.items():
        assert place is not None
        p = _paragraph_at(spare, place)
        p.append(text_run(b.tags.inline(f"{{{{ row[{name!r}] }}}}"), likes[name], plain=True))
    count = len(rows)
    _renumber(b, spare, set(places.values()), count)
    last_tr.addnext(_row_tag(b, "{% endfor %}"))
    last_tr.addnext(spare)
    last_tr.addnext(_row_tag(b, f"{{% for row in {expr}[{count}:] %}}"))


_ROW_NUMBER = re.compile(r"^\s*\(?([0-9๐-๙]+)[.)]?\s*$")


def _renumber(b: Builder, tr: etree._Element, columns: set[tuple[int, int] | None], count: int) -> None:
    """A printed row number ("3.") in an added row counts on (4., 5. ...)."""
    for n, tc in enumerate(tr.iterchildren(W_TC)):
        for k, p in enumerate(tc.iterchildren(W_P)):
            m = _ROW_NUMBER.match(raw_text(p))
            if (n, k) in columns or m is None:
                continue
            runs = runs_between(p, m.start(1), m.end(1))
            if runs:
                runs[0].addprevious(text_run(b.tags.inline(f"{{{{ loop.index + {count} }}}}"), runs[0]))
                for run in runs:
                    run.getparent().remove(run)


def _cell_place(tr: etree._Element, p: etree._Element) -> tuple[int, int] | None:
    """(cell, paragraph) position of paragraph ``p`` in row ``tr``."""
    tc = _ancestor(p, W_TC)
    if tc is None or tc.getparent() is not tr:
        return None
    return list(tr.iterchildren(W_TC)).index(tc), list(tc.iterchildren(W_P)).index(p)


def _paragraph_at(tr: etree._Element, place: tuple[int, int]) -> etree._Element:
    tc = list(tr.iterchildren(W_TC))[place[0]]
    return list(tc.iterchildren(W_P))[place[1]]


def _row_tag(b: Builder, code: str) -> etree._Element:
    """A table row that gives way to ``code`` when compiled (docxtpl's ``{%tr ... %}``)."""
    tr = etree.Element(W_TR)
    t = etree.SubElement(etree.SubElement(etree.SubElement(etree.SubElement(tr, W_TC), W_P), W_R), W_T)
    return b.tags.block(tr, t, code, "tr")


# -- date --------------------------------------------------------------------------------

def _date(b: Builder, f: FieldDef, found: Found, expr: str) -> None:
    if found.hit is None:
        return
    p = b.element(found.hit.index)
    regions = _blanks(p, f)
    if regions is None:
        b.notes.append(f"the blanks of {f.name} were not found on its line: it is left as printed")
        return
    sep = thaidate.separator(f.between)
    for n, (start, end) in reversed(list(enumerate(regions))):
        if start < 0:
            continue
        piece = f"{expr}[{n}]"
        shown = (f"' ' ~ {piece}" if not n else piece) if sep is not None else f"' ' ~ {piece} ~ ' '"
        runs = runs_between(p, start, end)
        if runs:
            b.wrap(runs, f"{{% if {piece} %}}{{{{ {shown} }}}}{{% else %}}", "{% endif %}")


def _blanks(p: etree._Element, f: FieldDef) -> list[tuple[int, int]] | None:
    """Raw spans of the date's blanks, one per piece ((-1, -1) for a piece
    whose blank is not printed), or None without the label."""
    text, where = visible(p)
    clean = clean_chars(text)
    para = Para(0, Paragraph(()), (), "", clean, clean_key(clean))
    label = make_label(f.label)
    hit = match_start(label, para) or match_inside(label, para, 0)
    if hit is None or hit.end == 0:
        return None
    raw = raw_text(p)
    pos = where[hit.end - 1] + 1
    sep = thaidate.separator(f.between)
    bounds: list[tuple[int, int]] = []
    for word in f.between:
        if sep is not None:
            at = raw.find(sep, pos)
            m = (at, at + 1) if at >= 0 else None
        else:
            found = thaidate._word(word).search(raw, pos)
            m = found.span() if found else None
        if m is None:
            break
        bounds.append((pos, m[0]))
        pos = m[1]
    bounds.append((pos, len(raw)))
    out = []
    for start, end in bounds:
        leader = LEADER.search(raw, start, end)
        out.append(leader.span() if leader else (-1, -1))
    out += [(-1, -1)] * (len(f.between) + 1 - len(out))
    return out


def gap_after(run: etree._Element, tags: Tags, expr: str) -> None:
    """A tab after ``run`` when ``expr`` has a value: an answer written
    over the dots of "Name ...... E-mail ......" stays apart from the next
    label, which is then read as a label (a blank stands before it)."""
    tab = etree.Element(W_R)
    rpr = run.find(W_RPR)
    if rpr is not None:
        tab.append(copy.deepcopy(rpr))
    etree.SubElement(tab, qn("w:tab"))
    run.addnext(text_run(tags.inline("{% endif %}"), run))
    run.addnext(tab)
    run.addnext(text_run(tags.inline(f"{{% if {expr} %}}"), run))


def _signature(b: Builder, f: FieldDef, found: Found, expr: str) -> None:
    if found.blocks:
        b.fields(f.fields, found.blocks[0][2], expr)


HANDLERS: dict[str, Callable[[Builder, FieldDef, Found, str], None]] = {
    "grid": _grid, "date": _date, "signature": _signature,
}
