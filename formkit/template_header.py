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

from .ns import NS, qn
from .template_xml import W_P, first_text_run, pieces, text_run, wrap
from .xmlsafe import parse_xml

_REL_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_HEADER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_NEW_HEADER = "word/header-formkit.xml"
_HOUSE_PROPS = (
    '<w:rFonts w:ascii="TH SarabunPSK" w:hAnsi="TH SarabunPSK" w:cs="TH SarabunPSK"/>'
    '<w:sz w:val="32"/><w:szCs w:val="32"/>'
)
_HOUSE_RPR = f'<w:rPr xmlns:w="{NS["w"]}">{_HOUSE_PROPS}</w:rPr>'


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def header_part(members: dict[str, bytes], main: str) -> str | None:
    """The default header part of the document's last section, if any."""
    root = parse_xml(members[main], main)
    sect = root.find(f"{qn('w:body')}/{qn('w:sectPr')}")
    if sect is None:
        return None
    rid = None
    for ref in sect.iter(qn("w:headerReference")):
        if ref.get(qn("w:type"), "default") == "default":
            rid = ref.get(qn("r:id"))
    rels_name = _rels_name(main)
    if rid is None or rels_name not in members:
        return None
    for rel in parse_xml(members[rels_name], rels_name):
        if rel.get("Id") == rid and rel.get("TargetMode") != "External":
            target = posixpath.normpath(posixpath.join(posixpath.dirname(main), rel.get("Target", "")))
            return target.lstrip("/") if target.lstrip("/") in members else None
    return None


def prepare_header(members: dict[str, bytes], main: str, expr: str) -> str:
    """Tag the default header with ``expr`` (creating the header if needed);
    returns the header's part name."""
    part = header_part(members, main) or _add_header(members, main)
    root = parse_xml(members[part], part)
    p = root.find(W_P)
    if p is None:
        p = etree.SubElement(root, W_P)
    like = first_text_run(p)
    if like is not None:
        runs = list(dict.fromkeys(pc.run for pc in pieces(p)))
        wrap(runs, f"{{% if {expr} %}}{{{{ {expr} }}}}{{% else %}}", "{% endif %}")
    else:
        model = etree.fromstring(f'<w:r xmlns:w="{NS["w"]}">{_HOUSE_RPR}</w:r>')
        mark = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
        if mark is not None:
            model.replace(model[0], _run_props(mark))
        p.append(text_run(f"{{% if {expr} %}}{{{{ {expr} }}}}{{% endif %}}", model))
    members[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return part


def _run_props(mark: etree._Element) -> etree._Element:
    """A paragraph mark's run properties as a run's (same content, w:rPr)."""
    rpr = etree.Element(qn("w:rPr"))
    for child in mark:
        if child.tag not in (qn("w:ins"), qn("w:del"), qn("w:rPrChange")):
            rpr.append(copy.deepcopy(child))
    return rpr


def _add_header(members: dict[str, bytes], main: str) -> str:
    members[_NEW_HEADER] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:hdr xmlns:w="{NS["w"]}" xmlns:r="{NS["r"]}"><w:p><w:pPr><w:jc w:val="right"/>'
        f"<w:rPr>{_HOUSE_PROPS}</w:rPr></w:pPr></w:p></w:hdr>"
    ).encode()
    rels_name = _rels_name(main)
    rels = members.get(rels_name, b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
    rel = f'<Relationship Id="rIdFormkitHeader" Type="{_REL_HEADER}" Target="{posixpath.relpath(_NEW_HEADER, posixpath.dirname(main))}"/>'
    members[rels_name] = rels.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    override = f'<Override PartName="/{_NEW_HEADER}" ContentType="{_HEADER_CT}"/>'
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(b"</Types>", override.encode() + b"</Types>")
    root = parse_xml(members[main], main)
    body = root.find(qn("w:body"))
    assert body is not None
    sect = body.find(qn("w:sectPr"))
    if sect is None:
        sect = etree.SubElement(body, qn("w:sectPr"))
    ref = etree.Element(qn("w:headerReference"), {qn("w:type"): "default", qn("r:id"): "rIdFormkitHeader"})
    sect.insert(0, ref)
    members[main] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _NEW_HEADER
