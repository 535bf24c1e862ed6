"""Which members of an original a filled document carries, and how.

A filled document is a .docx, whatever the original was (.docx, .docm,
.dotx, an office's copy, a hostile file). It carries only the parts the
package reaches through its relationships (ECMA-376 Part 2, 9.3: from the
package's own ``_rels/.rels``, part by part), their Relationships parts and
``[Content_Types].xml``, and never:

* a member no relationship reaches (anything may be stored in a zip);
* a member whose name is not a valid part name (Part 2, 9.1.1: no empty,
  ``.`` or ``..`` segment, no backslash, no leading slash, no control
  character), such as ``../../x`` or ``/abs/x``, which an unzip tool would
  write outside its folder;
* macros and what only a macro-enabled document holds: the VBA project and
  its data (``vbaProject``, ``wordVbaData``), key-map customizations and
  attached toolbars. Their relationships go with them.

The main part's content type becomes the .docx one (a .docm's or a .dotx's
would make Word refuse a file named .docx), and Override entries of parts
not carried are dropped.
"""
from __future__ import annotations

import posixpath
import re

from lxml import etree

from formkit.docx.ns import NS, qn
from formkit.docx.package import CONTENT_TYPES_PART, Package, rels_part, resolve_target
from formkit.docx.xmlsafe import parse_xml

MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MACRO_RELS = ("/vbaProject", "/wordVbaData", "/keyMapCustomizations", "/attachedToolbars")
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f\\:]")


def safe_name(name: str) -> bool:
    """Whether ``name`` is a part name a zip member may carry (Part 2, 9.1.1)."""
    if not name or name.startswith("/") or _BAD_NAME.search(name):
        return False
    return all(seg not in ("", ".", "..") and not seg.endswith(".") for seg in name.split("/"))


def _macro(rel_type: str) -> bool:
    return rel_type.endswith(_MACRO_RELS)


def carried(pkg: Package) -> dict[str, bytes]:
    """The members a filled document keeps, by member name, with their
    Relationships parts and content types cleaned as the module says."""
    parts: dict[str, str] = {}  # part name, case-folded -> member name
    todo = [""]
    main = pkg.member_name(pkg.main_part)
    if main is not None and safe_name(main):  # found by its default name, without a relationship
        parts[pkg.main_part.lower()] = main
        todo.append(pkg.main_part)
    while todo:
        source = todo.pop()
        for rel in pkg.rels(source).values():
            key = rel.target.lower()
            if rel.external or _macro(rel.type) or key in parts or not pkg.has(rel.target):
                continue
            member = pkg.member_name(rel.target)
            if member is not None and safe_name(member):
                parts[key] = member
                todo.append(rel.target)
    out: dict[str, bytes] = {CONTENT_TYPES_PART: b""}  # first in the zip, as Word writes it
    for source in ["", *parts.values()]:
        rels = rels_part(source)
        member = pkg.member_name(rels)
        if member is not None and safe_name(member):
            out[member] = _kept_rels(pkg.read(rels), rels, source, parts)
    for member in parts.values():
        out.setdefault(member, pkg.read(member))
    out[CONTENT_TYPES_PART] = _content_types(pkg, parts)
    return out


def _kept_rels(data: bytes, name: str, source: str, parts: dict[str, str]) -> bytes:
    """A Relationships part without the relationships to parts not carried."""
    root = parse_xml(data, name)
    for rel in list(root.iterchildren(qn("pr:Relationship"))):
        external = rel.get("TargetMode", "Internal").lower() == "external"
        if external:
            continue
        target = resolve_target(source, rel.get("Target", "")).lower()
        if _macro(rel.get("Type", "")) or target not in parts:
            root.remove(rel)
    return _bytes(root)


def _content_types(pkg: Package, parts: dict[str, str]) -> bytes:
    """``[Content_Types].xml`` for the parts carried, the main part a .docx's."""
    if pkg.has(CONTENT_TYPES_PART):
        root = parse_xml(pkg.read(CONTENT_TYPES_PART), CONTENT_TYPES_PART)
    else:
        root = etree.Element(qn("ct:Types"), nsmap={None: NS["ct"]})
    kept = set(parts)
    main = pkg.main_part.lower()
    for el in list(root.iterchildren(qn("ct:Override"))):
        name = el.get("PartName", "").lstrip("/").lower()
        if name not in kept or name == main:
            root.remove(el)
    for ext, media in (("rels", "application/vnd.openxmlformats-package.relationships+xml"),
                       ("xml", "application/xml")):
        if not any(el.get("Extension", "").lower() == ext for el in root.iterchildren(qn("ct:Default"))):
            root.insert(0, etree.Element(qn("ct:Default"), {"Extension": ext, "ContentType": media}))
    root.append(etree.Element(qn("ct:Override"), {"PartName": f"/{parts.get(main, pkg.main_part)}",
                                                  "ContentType": MAIN_CONTENT_TYPE}))
    return _bytes(root)


def _bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def new_name(members: dict[str, bytes], wanted: str) -> str:
    """``wanted``, or ``stem-2.ext``, ``stem-3.ext`` ... when a member (compared
    case-insensitively, as part names are) already has that name."""
    taken = {m.lower() for m in members}
    stem, ext = posixpath.splitext(wanted)
    name, n = wanted, 1
    while name.lower() in taken:
        n += 1
        name = f"{stem}-{n}{ext}"
    return name


def add_relationship(members: dict[str, bytes], source: str, rel_type: str, target: str) -> str:
    """Relate ``source`` to ``target`` (relative to the source's folder);
    returns the new relationship's Id, unused in that Relationships part."""
    name = rels_part(source)
    if name in members:
        root = parse_xml(members[name], name)
    else:
        root = etree.Element(qn("pr:Relationships"), nsmap={None: NS["pr"]})
    ids = {el.get("Id") for el in root.iterchildren(qn("pr:Relationship"))}
    rid, n = "rIdFormkit", 1
    while rid in ids:
        n += 1
        rid = f"rIdFormkit{n}"
    root.append(etree.Element(qn("pr:Relationship"), {"Id": rid, "Type": rel_type, "Target": target}))
    members[name] = _bytes(root)
    return rid


def add_override(members: dict[str, bytes], part: str, content_type: str) -> None:
    """Give ``part`` its content type in ``[Content_Types].xml``."""
    root = parse_xml(members[CONTENT_TYPES_PART], CONTENT_TYPES_PART)
    root.append(etree.Element(qn("ct:Override"), {"PartName": f"/{part}", "ContentType": content_type}))
    members[CONTENT_TYPES_PART] = _bytes(root)

