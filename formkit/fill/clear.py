"""Clearing an office's copy back to the blank form (``fill --clear``).

Both the copy and the form's own blank original are located by the same
locators parse uses (:class:`Side`); every answer the copy holds is then
replaced by what the blank has in the same place, so the cleared copy fills
exactly as the blank original does, while everything outside the answers
(the office's header, its retyped year, its formatting) stays as the copy
has it:

* a ticked level: the row's level cell becomes the blank's cell (box and
  digit, whatever way the copy ticked it: a symbol, a Unicode box, a typed
  mark, a content control or a legacy form field);
* a ticked box: what stands before its printed label (the box and any mark
  typed beside it) becomes the blank's; a paragraph holding several boxes,
  or whose label cannot be matched again, becomes the blank's paragraph;
* a text answer (section, value, lines, photos): the rest of the label's line
  after the first label on it, and the paragraphs (or photo tables) between
  the label and the next one, become the blank's (its dotted lines);
* repeated blocks: the first is cleared field by field, the others dropped.

Paragraphs are edited at raw offsets (:mod:`formkit.fill.edit`): a range of a
paragraph is cut at run boundaries, and every run, content control, field,
hyperlink or revision inside it goes, including those without text (a
``w:sym`` box, a form field's ``w:fldChar`` runs). What comes from the blank
is a copy without what would point into the blank's package (relationship
ids, bookmarks, comments, section properties). The cleared main part is
packed again (image relationships nothing refers to any more are dropped, so
the old photos leave with them) and derived as any original.
"""
from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from formkit.docx.ns import NS, qn
from formkit.docx.package import rels_part
from formkit.docx.xmlsafe import parse_xml
from formkit.errors import FormkitError
from formkit.forms import FieldDef, FormDef
from formkit.locate.kinds import Found
from formkit.locate.labels import make_label, match_inside, match_start
from formkit.locate.stream import Stream
from formkit.fill.answers import ticked_at
from formkit.fill.build import pseudo_para
from formkit.fill.edit import W_P, W_PPR, W_R, pieces, raw_text, split_at, visible

_TEXT_KINDS = ("section", "value", "lines", "images")
_W_TC, _W_TCPR, _W_BODY, _W_SECTPR = qn("w:tc"), qn("w:tcPr"), qn("w:body"), qn("w:sectPr")
# what may stand in a paragraph and show something; markers (bookmarks,
# proofing, comment ranges) are left where they are
_CONTENT = frozenset(qn(f"w:{t}") for t in (
    "r", "sdt", "fldSimple", "ins", "del", "moveTo", "moveFrom", "hyperlink", "smartTag", "customXml"))
# containers runs nest in, entered when a range only partly covers them
_NESTING = frozenset(qn(f"w:{t}") for t in ("sdt", "sdtContent", "fldSimple", "ins", "moveTo", "hyperlink",
                                            "smartTag", "customXml"))
_NOT_PORTABLE = frozenset(qn(f"w:{t}") for t in (
    "sectPr", "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "commentReference",
    "footnoteReference", "endnoteReference", "permStart", "permEnd"))
_MAX_NESTING = 64  # containers (content controls, fields, revisions ...) around a run, far past Word's own
_R = NS["r"]
_W14_IDS = (qn("w14:paraId"), qn("w14:textId"))


@dataclass(slots=True)
class Side:
    """One document as clearing sees it: its paragraph stream, where each
    field was located, and its paragraph elements (by the reader's refs)."""

    stream: Stream
    where: dict[str, Found]
    elements: list[etree._Element]

    def element(self, index: int) -> etree._Element:
        ref = self.stream.paras[index].paragraph.ref
        if ref < 0 or ref >= len(self.elements):
            raise FormkitError("internal-error", f"paragraph {index} has no place in the document")
        return self.elements[ref]


@dataclass(frozen=True, slots=True)
class _Range:
    """Raw offsets [a, b) of a paragraph; ``whole`` covers every child."""

    a: int = 0
    b: int = 0
    whole: bool = False


@dataclass(slots=True)
class _Edits:
    """Everything to change, gathered before the tree is touched."""

    ranges: dict[etree._Element, list[tuple[_Range, etree._Element, _Range]]] = field(default_factory=dict)
    tails: dict[etree._Element, tuple[int, str, etree._Element]] = field(default_factory=dict)
    swaps: list[tuple[list[etree._Element], list[etree._Element], etree._Element]] = field(default_factory=list)
    drops: list[etree._Element] = field(default_factory=list)


def clear_document(form: FormDef, copy_side: Side, blank: Side) -> None:
    """Replace every answer of ``copy_side`` (its tree is changed in place)
    by what ``blank`` has there."""
    edits = _Edits()
    _fields(form.fields, copy_side.where, blank.where, copy_side, blank, edits)
    for p, (_, label, source) in edits.tails.items():
        _add_tail(edits, p, label, source)
    for p, ranges in edits.ranges.items():
        for mine, source, theirs in _disjoint(ranges):
            _replace_range(p, mine, source, theirs)
    for old, new, anchor in edits.swaps:
        _swap(old, new, anchor)
    for el in edits.drops:
        _remove(el)


def _fields(fields: tuple[FieldDef, ...], mine: dict[str, Found], theirs: dict[str, Found],
            copy_side: Side, blank: Side, edits: _Edits) -> None:
    for f in fields:
        c, b = mine.get(f.name), theirs.get(f.name)
        if c is None or b is None:
            continue
        if f.kind == "level":
            for level, at in c.boxes.items():
                if ticked_at(copy_side.stream, at, True) and level in b.boxes:
                    _level_cell(edits, copy_side, at[0], blank, b.boxes[level][0])
        elif f.kind == "boxes":
            labels = dict(f.items)
            for key, at in c.boxes.items():
                if ticked_at(copy_side.stream, at) and key in b.boxes:
                    _box(edits, copy_side, at[0], blank, b.boxes[key][0], labels[str(key)])
        elif f.kind in _TEXT_KINDS and c.hit is not None and b.hit is not None:
            _text(edits, f, c, b, copy_side, blank)
        elif f.kind == "repeat" and c.blocks and b.blocks:
            _fields(f.fields, c.blocks[0][2], b.blocks[0][2], copy_side, blank, edits)
            first, last = c.blocks[1:2], c.blocks[-1]
            if first:
                paras = range(first[0][0], last[1])
                edits.drops += _unique(_top(copy_side.element(i)) for i in paras)


def _level_cell(edits: _Edits, copy_side: Side, index: int, blank: Side, blank_index: int) -> None:
    """A ticked level: its cell becomes the blank's (box and digit)."""
    mine, theirs = copy_side.element(index), blank.element(blank_index)
    cell, source = _ancestor(mine, _W_TC), _ancestor(theirs, _W_TC)
    if cell is None or source is None:
        _whole(edits, mine, theirs)
        return
    old = [c for c in cell if c.tag != _W_TCPR]
    new = [c for c in source if c.tag != _W_TCPR]
    edits.swaps.append((old, new, old[0] if old else cell))


def _box(edits: _Edits, copy_side: Side, index: int, blank: Side, blank_index: int, label: str) -> None:
    """A ticked box: the part of its paragraph before its label."""
    mine, theirs = copy_side.element(index), blank.element(blank_index)
    alone = len(copy_side.stream.paras[index].checkboxes) == 1
    at, source_at = _label_span(mine, label), _label_span(theirs, label)
    if not alone or at is None or source_at is None:
        _whole(edits, mine, theirs)
        return
    edits.ranges.setdefault(mine, []).append((_Range(0, at[0]), theirs, _Range(0, source_at[0])))


def _whole(edits: _Edits, mine: etree._Element, theirs: etree._Element) -> None:
    edits.ranges.setdefault(mine, []).append((_Range(whole=True), theirs, _Range(whole=True)))


def _text(edits: _Edits, f: FieldDef, c: Found, b: Found, copy_side: Side, blank: Side) -> None:
    """A text answer: the rest of the label's line, and the paragraphs up to the next label."""
    assert c.hit is not None and b.hit is not None
    mine, theirs = copy_side.element(c.hit.index), blank.element(b.hit.index)
    held = edits.tails.get(mine)
    if held is None or c.hit.start < held[0]:  # the first label on the line keeps its line's tail
        edits.tails[mine] = (c.hit.start, f.label, theirs)
    anchor, old = _span(copy_side, c.hit.index, c.end)
    _, new = _span(blank, b.hit.index, b.end)
    if old or new:
        edits.swaps.append((old, new, anchor))


def _add_tail(edits: _Edits, p: etree._Element, label: str, source: etree._Element) -> None:
    """The rest of a label's line; the whole line when the label cannot be matched again."""
    at, source_at = _label_span(p, label), _label_span(source, label)
    if at is None or source_at is None:
        _whole(edits, p, source)
        return
    mine = _Range(at[1], len(raw_text(p)))
    theirs = _Range(source_at[1], len(raw_text(source)))
    edits.ranges.setdefault(p, []).append((mine, source, theirs))


def _span(side: Side, hit: int, end: int) -> tuple[etree._Element, list[etree._Element]]:
    """The elements holding stream paragraphs (hit, end), as children of the
    label paragraph's container, and the element they follow."""
    label = side.element(hit)
    paras = [side.element(i) for i in range(hit + 1, max(end, hit + 1))]
    anchor, parent = label, label.getparent()
    while parent is not None and not all(_under(p, parent) for p in paras):
        anchor, parent = parent, parent.getparent()
    if parent is None:
        return label, []
    return anchor, [el for el in _unique(_child_of(p, parent) for p in paras) if el is not anchor]


def _label_span(p: etree._Element, label_text: str) -> tuple[int, int] | None:
    """Raw offsets of the label's first and past-last character in ``p``."""
    text, where = visible(p)
    para = pseudo_para(text)
    label = make_label(label_text)
    hit = match_start(label, para) or match_inside(label, para, 0)
    if hit is None or hit.end == 0 or hit.end > len(where):
        return None
    start = hit.start
    while start < hit.end and para.text[start] in " \t.…_:":
        start += 1
    return where[min(start, len(where) - 1)], where[hit.end - 1] + 1


def _disjoint(
    ranges: list[tuple[_Range, etree._Element, _Range]]
) -> list[tuple[_Range, etree._Element, _Range]]:
    """The ranges of one paragraph, last first (offsets before an edit stay
    true); overlapping ranges make the whole paragraph the blank's."""
    ordered = sorted(ranges, key=lambda r: (r[0].a, r[0].b))
    for (one, _, _), (two, _, _) in zip(ordered, ordered[1:]):
        if one.whole or two.whole or two.a < one.b:
            whole = next((r for r in ordered if r[0].whole), None)
            source = whole[1] if whole else ordered[0][1]
            return [(_Range(whole=True), source, _Range(whole=True))]
    return ordered[::-1]


# -- paragraph ranges ----------------------------------------------------------------------

def _replace_range(p: etree._Element, mine: _Range, source: etree._Element, theirs: _Range) -> None:
    """The content of ``p`` in ``mine`` becomes a copy of ``source``'s in ``theirs``."""
    donor = copy.deepcopy(source)
    new = [_portable(el) for el in _select(donor, theirs)]
    old = _select(p, mine)
    if old:
        parent, at = old[0].getparent(), old[0].getparent().index(old[0])
    else:
        parent, at = p, _insert_at(p, mine.a)
    for k, el in enumerate(new):
        parent.insert(at + k, el)
    for el in old:
        el.getparent().remove(el)


def _select(p: etree._Element, where: _Range) -> list[etree._Element]:
    """The children (or, inside a container only partly covered, the
    grandchildren) of ``p`` that lie in the range, runs split at its ends."""
    if where.whole:
        return [c for c in p if c.tag in _CONTENT]
    split_at(p, where.b)
    split_at(p, where.a)
    out: list[etree._Element] = []
    _walk(p, where.a, where.b, 0, out)
    return out


def _walk(container: etree._Element, a: int, b: int, pos: int, out: list[etree._Element], depth: int = 0) -> int:
    if depth > _MAX_NESTING:
        raise FormkitError("bad-original", f"a paragraph nests its runs more than {_MAX_NESTING} levels deep, "
                           "so its answer cannot be cleared; fill the blank form instead (leave out --original)")
    for child in container:
        n = _length(child)
        start, end = pos, pos + n
        if n == 0:
            if child.tag in _CONTENT and a <= start <= b:
                out.append(child)
        elif a <= start and end <= b:
            out.append(child)
        elif start < b and end > a and child.tag in _NESTING:
            _walk(child, a, b, start, out, depth + 1)
        pos = end
    return pos


def _length(el: etree._Element) -> int:
    if el.tag not in _CONTENT and el.tag not in _NESTING:
        return 0
    return sum(len(pc.text) for pc in pieces(el))


def _insert_at(p: etree._Element, offset: int) -> int:
    """The child index of ``p`` where content at raw ``offset`` goes."""
    pos, at = 0, 0
    for k, child in enumerate(p):
        if child.tag == W_PPR:
            at = k + 1
            continue
        pos += _length(child)
        if pos > offset:
            break
        at = k + 1
    return at


def _portable(el: etree._Element) -> etree._Element:
    """``el`` (a copy from the blank) without what points into the blank's
    package or must be unique in a document: relationship ids (the run or
    element holding one goes), bookmarks, comments, notes, section
    properties, paragraph ids."""
    for node in list(el.iter(etree.Element)):
        if node.tag in _NOT_PORTABLE or any(k.startswith(f"{{{_R}}}") for k in node.attrib):
            victim = node if node.tag in _NOT_PORTABLE else (_ancestor(node, W_R) or node)
            if victim is not el and victim.getparent() is not None:
                victim.getparent().remove(victim)
        for key in _W14_IDS:
            node.attrib.pop(key, None)
    return el


# -- whole elements ------------------------------------------------------------------------

def _swap(old: list[etree._Element], new: list[etree._Element], anchor: etree._Element) -> None:
    """Copies of ``new`` where ``old`` stood (after ``anchor`` when ``old`` is empty)."""
    live = [el for el in old if el.getparent() is not None]
    if live:
        parent, at = live[0].getparent(), live[0].getparent().index(live[0])
    elif anchor.getparent() is not None:
        parent, at = anchor.getparent(), anchor.getparent().index(anchor) + 1
    else:  # the label went with another answer's edit: nothing to put back
        return
    for k, el in enumerate(new):
        parent.insert(at + k, _portable(copy.deepcopy(el)))
    for el in live:
        _remove(el)


def _remove(el: etree._Element) -> None:
    """Remove ``el``; a paragraph ending a section keeps its place and its
    section properties (ECMA-376 Part 1, 17.6.17), emptied."""
    parent = el.getparent()
    if parent is None:
        return
    holders = [p for p in el.iter(W_P) if p.find(f"{W_PPR}/{_W_SECTPR}") is not None]
    for p in holders:
        for child in [c for c in p if c.tag != W_PPR]:
            p.remove(child)
        if p is not el:
            el.addprevious(p)
    if el not in holders:
        parent.remove(el)


def _top(el: etree._Element) -> etree._Element:
    while el.getparent() is not None and el.getparent().tag != _W_BODY:
        el = el.getparent()
    return el


def _ancestor(el: etree._Element, tag: str) -> etree._Element | None:
    return next(el.iterancestors(tag), None)


def _under(el: etree._Element, parent: etree._Element) -> bool:
    return any(a is parent for a in el.iterancestors())


def _child_of(el: etree._Element, parent: etree._Element) -> etree._Element:
    while el.getparent() is not parent:
        el = el.getparent()
    return el


def _unique(items: Iterable[etree._Element]) -> list[etree._Element]:
    return list(dict.fromkeys(items))


# -- the package ---------------------------------------------------------------------------

def repack(members: dict[str, bytes], main: str, root: etree._Element) -> bytes:
    """The package again, with the cleared main part; image relationships
    of the main part that nothing refers to any more are dropped (their
    pictures then leave the filled document: :mod:`formkit.fill.members`)."""
    out = dict(members)
    out[main] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    rels = next((name for name in out if name.lower() == rels_part(main).lower()), None)
    if rels is not None:
        out[rels] = _pruned(out[rels], rels, _referenced(root))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:  # read back at once, then dropped
        for name, data in out.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _referenced(root: etree._Element) -> set[str]:
    """Every relationship id the part names (any attribute in the r: namespace)."""
    return {str(v) for v in root.xpath("//@*[namespace-uri() = $ns]", ns=_R)}


def _pruned(data: bytes, name: str, used: set[str]) -> bytes:
    rels = parse_xml(data, name)
    for rel in list(rels):
        if (rel.get("Type") or "").endswith("/image") and rel.get("Id") not in used:
            rels.remove(rel)
    return bytes(etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True))
