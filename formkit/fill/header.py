"""The page header of a fill template: where ``office`` is written.

Word's default header of the last section (ECMA-376 Part 1, 17.10.5
headerReference) gets a run ``{{ f.office }}``; an original without one gets
a header part of its own (a relationship, a content-type override and a
w:headerReference in the final w:sectPr).
"""
from __future__ import annotations

import copy
import posixpath

from lxml import etree

from formkit.docx.ns import NS, qn
from formkit.docx.package import rels_part, resolve_target
from formkit.fill.members import add_override, add_relationship, new_name
from formkit.fill.tags import Tags
from formkit.fill.edit import W_P, first_text_run, pieces, text_run
from formkit.docx.xmlsafe import parse_xml

_REL_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_HEADER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_NEW_HEADER = "word/header-formkit.xml"
_HOUSE_PROPS = (
    '<w:rFonts w:ascii="TH SarabunPSK" w:hAnsi="TH SarabunPSK" w:cs="TH SarabunPSK"/>'
    '<w:sz w:val="32"/><w:szCs w:val="32"/>'
)
_HOUSE_RPR = f'<w:rPr xmlns:w="{NS["w"]}">{_HOUSE_PROPS}</w:rPr>'


def header_part(members: dict[str, bytes], main: str, root: etree._Element) -> str | None:
    """The default header part of the document's last section, if any
    (``root`` is the main part's tree)."""
    sect = root.find(f"{qn('w:body')}/{qn('w:sectPr')}")
    if sect is None:
        return None
    rid = None
    for ref in sect.iter(qn("w:headerReference")):
        if ref.get(qn("w:type"), "default") == "default":
            rid = ref.get(qn("r:id"))
    rels_name = rels_part(main)
    if rid is None or rels_name not in members:
        return None
    for rel in parse_xml(members[rels_name], rels_name):
        if rel.get("Id") == rid and rel.get("TargetMode") != "External":
            target = resolve_target(main, rel.get("Target", ""))
            return target if target in members else None
    return None


def prepare_header(members: dict[str, bytes], main: str, root: etree._Element, expr: str,
                   tags: Tags) -> tuple[str, etree._Element]:
    """Tag the default header with ``expr`` (creating the header if needed,
    which changes the main part's tree ``root``); returns the header's part
    name and its tagged tree."""
    part = header_part(members, main, root) or _add_header(members, main, root)
    head = parse_xml(members[part], part)
    p = head.find(W_P)
    if p is None:
        p = etree.SubElement(head, W_P)
    like = first_text_run(p)
    if like is not None:
        first, last = _span(p, [pc.run for pc in pieces(p)])
        first.addprevious(text_run(tags.inline(f"{{% if {expr} %}}{{{{ {expr} }}}}{{% else %}}"), like))
        last.addnext(text_run(tags.inline("{% endif %}"), like))
    else:
        model = etree.fromstring(f'<w:r xmlns:w="{NS["w"]}">{_HOUSE_RPR}</w:r>')
        mark = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
        if mark is not None:
            model.replace(model[0], _run_props(mark))
        p.append(text_run(tags.inline(f"{{% if {expr} %}}{{{{ {expr} }}}}{{% endif %}}"), model))
    return part, head


def _span(p: etree._Element, runs: list[etree._Element]) -> tuple[etree._Element, etree._Element]:
    """The first and last child of ``p`` that the printed header text takes
    (the office's text goes in their place). A run inside a hyperlink, a
    simple field or a content control counts as its whole container (a tag
    inside one and its partner outside would cut the XML in two when a
    branch is left out), and the span grows until every complex field it
    opens also closes in it (17.16.18 fldChar: begin ... end), so no field
    end is left without its begin."""
    kids = list(p)
    index = {id(kid): n for n, kid in enumerate(kids)}
    tops = []
    for run in runs:
        while run.getparent() is not p:
            run = run.getparent()
        tops.append(index[id(run)])
    depth = [0]  # complex-field depth before each child
    for kid in kids:
        marks = [f.get(qn("w:fldCharType")) for f in kid.iter(qn("w:fldChar"))]
        depth.append(depth[-1] + marks.count("begin") - marks.count("end"))
    lo, hi = min(tops), max(tops)
    while lo > 0 and min(depth[lo:hi + 2]) < depth[lo]:
        lo -= 1
    while hi + 1 < len(kids) and depth[hi + 1] > depth[lo]:
        hi += 1
    return kids[lo], kids[hi]


def _run_props(mark: etree._Element) -> etree._Element:
    """A paragraph mark's run properties as a run's (same content, w:rPr)."""
    rpr = etree.Element(qn("w:rPr"))
    for child in mark:
        if child.tag not in (qn("w:ins"), qn("w:del"), qn("w:rPrChange")):
            rpr.append(copy.deepcopy(child))
    return rpr


def _add_header(members: dict[str, bytes], main: str, root: etree._Element) -> str:
    """A header part of formkit's own, related from the main part and
    referenced as the default header of its last section."""
    part = new_name(members, _NEW_HEADER)
    members[part] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:hdr xmlns:w="{NS["w"]}" xmlns:r="{NS["r"]}"><w:p><w:pPr><w:jc w:val="right"/>'
        f"<w:rPr>{_HOUSE_PROPS}</w:rPr></w:pPr></w:p></w:hdr>"
    ).encode()
    rid = add_relationship(members, main, _REL_HEADER, posixpath.relpath(part, posixpath.dirname(main)))
    add_override(members, part, _HEADER_CT)
    body = root.find(qn("w:body"))
    if body is None:
        body = etree.SubElement(root, qn("w:body"))
    sect = body.find(qn("w:sectPr"))
    if sect is None:
        sect = etree.SubElement(body, qn("w:sectPr"))
    sect.insert(0, etree.Element(qn("w:headerReference"), {qn("w:type"): "default", qn("r:id"): rid}))
    return part
