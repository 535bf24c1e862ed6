"""How a filled attachment is laid out on the page: works on pages of their
own, prompts kept with what follows them, photos in a grid of equal cells.

The template builder (:mod:`formkit.fill.build`) calls these on the
original's XML tree; what changes per document (whether works start a new
page, the photos and their captions) is left to the render, as tags.

- A prompt (a paragraph the locators anchored a field or a printed heading
  to) keeps with the next paragraph and keeps its own lines together
  (``w:keepNext``, ``w:keepLines``: ECMA-376 Part 1, 17.3.1.15 and
  17.3.1.14), so it is never left at the foot of a page with its answer on
  the next.
- A repeated block after the first starts a new page
  (``w:pageBreakBefore``, 17.3.1.23) when the render's ``page_breaks`` is on.
- Photos go in a borderless two-column table whose cells all have the size
  :func:`photo_cell` gives; each row is kept on one page (``w:cantSplit``,
  17.4.6), a photo with its caption under it.
"""
from __future__ import annotations

from lxml import etree

from formkit.docx.ns import qn
from formkit.fill.edit import W_P, W_PPR, W_R, W_T, first_text_run, text_run
from formkit.fill.tags import Tags

# The paragraph properties that come first in w:pPr, in schema order
# (CT_PPrBase, ECMA-376 Part 1, 17.3.1.26): each is inserted in its place.
_HEAD = tuple(qn(f"w:{t}") for t in ("pStyle", "keepNext", "keepLines", "pageBreakBefore"))
_VAL = qn("w:val")
_TC = qn("w:tc")

CELL_MARGIN = 85  # twips (0.15 cm) left and right inside a photo cell
CELL_ASPECT = (4, 3)  # width : height of a photo cell, a camera's landscape frame
_COLUMNS = 2


def photo_cell(text_width_twips: int) -> tuple[int, int]:
    """The size (EMU, twips x 635) of every photo of a grid: half the text
    width less the cell's margins, at :data:`CELL_ASPECT`."""
    column = text_width_twips // _COLUMNS
    cx = max(column - 2 * CELL_MARGIN, 144) * 635
    return cx, cx * CELL_ASPECT[1] // CELL_ASPECT[0]


def text_width_twips(root: etree._Element) -> int:
    """The text width of the body's last section (page width less the left
    and right margins, ``w:pgSz``/``w:pgMar``: 17.6.13 and 17.6.11), in
    twips; A4 with 1-inch margins when unreadable."""
    sect = root.find(f"{qn('w:body')}/{qn('w:sectPr')}")
    width, left, right = 11906, 1440, 1440
    if sect is not None:
        size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
        if size is not None:
            width = _twips(size.get(qn("w:w")), width)
        if margins is not None:
            left = _twips(margins.get(qn("w:left")), left)
            right = _twips(margins.get(qn("w:right")), right)
    return max(width - left - right, 2880)


def _twips(value: str | None, default: int) -> int:
    """A measure in twentieths of a point (ST_TwipsMeasure); the default when unreadable."""
    try:
        return int(float(value)) if value is not None else default
    except ValueError:
        return default


def set_property(p: etree._Element, name: str, value: str | None = None) -> etree._Element:
    """Turn on the head property ``name`` ("keepNext", "keepLines",
    "pageBreakBefore") of paragraph ``p``, or set its ``w:val`` to ``value``
    (a tag's token); inserted in schema order. Returns the element."""
    tag = qn(f"w:{name}")
    ppr = p.find(W_PPR)
    if ppr is None:
        ppr = etree.Element(W_PPR)
        p.insert(0, ppr)
    el = ppr.find(tag)
    if el is None:
        before = _HEAD[: _HEAD.index(tag)]
        at = 0
        while at < len(ppr) and ppr[at].tag in before:
            at += 1
        el = etree.Element(tag)
        ppr.insert(at, el)
    if value is None:
        el.attrib.pop(_VAL, None)
    else:
        el.set(_VAL, value)
    return el


def is_on(p: etree._Element, name: str) -> bool:
    """Whether paragraph ``p`` sets the head property ``name`` on itself."""
    el = p.find(f"{W_PPR}/{qn(f'w:{name}')}")
    return el is not None and el.get(_VAL, "1").lower() not in ("0", "false", "off")


def keep_with_next(p: etree._Element) -> None:
    """A prompt: kept with the next paragraph, its lines together."""
    set_property(p, "keepNext")
    set_property(p, "keepLines")


def break_before(p: etree._Element, tags: Tags, condition: str) -> None:
    """``p`` starts a new page when the render's ``condition`` holds (a
    paragraph the original already starts a page with keeps doing so)."""
    if not is_on(p, "pageBreakBefore"):
        set_property(p, "pageBreakBefore", tags.inline(f"{{% if {condition} %}}1{{% else %}}0{{% endif %}}"))


def photo_grid(label: etree._Element, tags: Tags, expr: str, width: int) -> None:
    """After the prompt ``label``: the photos of ``expr`` (rows of two
    cells, each ``{"picture": run XML, "caption": text}``) in a borderless
    table ``width`` twips wide, left out when there is none. A table cell
    must end with a paragraph (17.4.65), so a prompt that ends its cell gets
    an empty one after the grid."""
    if label.getparent() is not None and label.getparent().tag == _TC and label.getnext() is None:
        label.addnext(etree.Element(W_P))
    like = first_text_run(label)
    table = _table(width)
    row = etree.SubElement(table, qn("w:tr"))
    etree.SubElement(etree.SubElement(row, qn("w:trPr")), qn("w:cantSplit"))
    row.append(_statement(tags, "{% for cell in row %}"))
    cell = etree.SubElement(row, _TC)
    tcpr = etree.SubElement(cell, qn("w:tcPr"))
    etree.SubElement(tcpr, qn("w:tcW"), {qn("w:w"): str(width // _COLUMNS), qn("w:type"): "dxa"})
    picture = _centred(cell, before="120", after="0")
    placeholder = etree.SubElement(picture, W_R)
    tags.block(placeholder, etree.SubElement(placeholder, W_T), "{{ cell.picture }}", "r")
    cell.append(_statement(tags, "{% if cell.caption %}"))
    caption = _centred(cell, before="0", after="120")
    caption.append(text_run(tags.inline("{{ cell.caption }}"), like, plain=True))
    cell.append(_statement(tags, "{% endif %}"))
    row.append(_statement(tags, "{% endfor %}"))
    row.addprevious(_statement(tags, f"{{% for row in {expr} %}}"))
    row.addnext(_statement(tags, "{% endfor %}"))
    label.addnext(_statement(tags, "{% endif %}"))
    label.addnext(table)
    label.addnext(_statement(tags, f"{{% if {expr} %}}"))


def _table(width: int) -> etree._Element:
    """A borderless fixed-layout table of two equal columns (17.4.38 tblPr,
    17.4.48 tblGrid), centred, without a style of the document's."""
    table = etree.Element(qn("w:tbl"))
    tblpr = etree.SubElement(table, qn("w:tblPr"))
    etree.SubElement(tblpr, qn("w:tblW"), {qn("w:w"): str(width), qn("w:type"): "dxa"})
    etree.SubElement(tblpr, qn("w:jc"), {_VAL: "center"})
    borders = etree.SubElement(tblpr, qn("w:tblBorders"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        etree.SubElement(borders, qn(f"w:{side}"), {_VAL: "nil"})
    etree.SubElement(tblpr, qn("w:tblLayout"), {qn("w:type"): "fixed"})
    margins = etree.SubElement(tblpr, qn("w:tblCellMar"))
    for side, size in (("top", 0), ("left", CELL_MARGIN), ("bottom", 0), ("right", CELL_MARGIN)):
        etree.SubElement(margins, qn(f"w:{side}"), {qn("w:w"): str(size), qn("w:type"): "dxa"})
    grid = etree.SubElement(table, qn("w:tblGrid"))
    for _ in range(_COLUMNS):
        etree.SubElement(grid, qn("w:gridCol"), {qn("w:w"): str(width // _COLUMNS)})
    return table


def _centred(cell: etree._Element, before: str, after: str) -> etree._Element:
    """A centred paragraph at the end of ``cell``, single-spaced (a picture
    in a paragraph of exact line spacing is cut to the line's height)."""
    p = etree.SubElement(cell, W_P)
    ppr = etree.SubElement(p, W_PPR)
    etree.SubElement(ppr, qn("w:spacing"), {qn("w:before"): before, qn("w:after"): after,
                                            qn("w:line"): "240", qn("w:lineRule"): "auto"})
    etree.SubElement(ppr, qn("w:jc"), {_VAL: "center"})
    return p


def _statement(tags: Tags, code: str) -> etree._Element:
    """An element that gives way to the Jinja statement ``code`` when
    compiled, wherever it stands (between rows, cells or paragraphs)."""
    holder = etree.Element(W_P)
    run = etree.SubElement(holder, W_R)
    return tags.block(holder, etree.SubElement(run, W_T), code, "p")
