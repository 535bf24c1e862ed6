"""The copy of a document LibreOffice is given: everything it links to removed.

LibreOffice loads, while it opens or renders a document, whatever the
document points to outside itself: a picture named by a URL (http://,
file://, smb:// ...), a linked OLE object, the text or picture of an
INCLUDETEXT / INCLUDEPICTURE field, a linked section. A returned form is
never trusted, so the copy LibreOffice converts keeps only what is inside the
file (formkit.office.sandbox also takes the network away from it):

* **OOXML packages** (.docx, .docm, .dotx ...). Relationships (ECMA-376
  Part 2 §9.3): one with ``TargetMode="External"`` is dropped unless it is a
  hyperlink that is only ever clicked (``w:hyperlink``, ``a:hlinkClick`` ...);
  an internal one must name a part of the package (resolved as in §9.3.2.2).
  Every attribute that named a dropped relationship goes too (``a:blip``
  ``r:link``/``r:embed``, ``v:imagedata`` ``r:id``/``o:relid``,
  ``o:OLEObject``, ``w:attachedTemplate``, ``w:subDoc``, ``w:altChunk``,
  frames). Fields that load content (Part 1 §17.16.5: INCLUDEPICTURE,
  INCLUDETEXT, LINK, DDE, DDEAUTO, DATABASE, RD, and Word's older IMPORT and
  INCLUDE) lose their instruction, in complex fields (``w:instrText``,
  §17.16.18, split over any number of runs) and simple ones
  (``w:fldSimple/@w:instr``); so does a field whose name is itself computed
  by a nested field. The field's last result stays, as text. VML pictures
  lose their own URLs (``src``, ``o:href``, ``o:althref``) and settings lose
  ``w:mailMerge`` (its data source).
* **ODF packages** (.odt, ODF 1.2). Every ``xlink:href`` (and SVG ``href``)
  except on a link the reader clicks (``text:a``, ``draw:a``) must be a
  relative reference to a member of the package (Part 3: a sub-document's
  references are relative to its folder), a fragment or a ``data:`` URI;
  DDE sources (``office:dde-source``, ``text:dde-connection-decls``,
  ``table:dde-links``) go, and so does a document's own ``LinkUpdateMode``
  setting, so LibreOffice's (never) applies.
* **RTF.** A ``\\fldinst`` that loads content is emptied (same field names;
  also any instruction holding a nested field or ``\\'hh`` / ``\\uN``
  escapes, which could spell a field name past this check).
* **.doc** (Word 97 binary) cannot be rewritten safely: it is copied as it
  is, and only formkit.office.sandbox guards it.

XML parts are parsed with :func:`formkit.docx.xmlsafe.parse_xml`; parts that do not
change are copied byte for byte into the new zip, the others serialised again.
A caller may change a package's members further before they are zipped (a
preview redraws symbol-font glyphs: :mod:`formkit.office.symbols`).
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from lxml import etree

from formkit.errors import FormkitError
from formkit.files import size_text
from formkit.docx.ns import NS
from formkit.docx.package import Limits, read_members, resolve_target
from formkit.docx.sniff import OLE_MAGIC, RESEND, file_error
from formkit.office.odf_flat import copy_flat, is_flat_odt
from formkit.office.unlink_rtf import FIELD_NAME, LOADING_FIELDS, strip_rtf_fields
from formkit.docx.xmlsafe import parse_xml

__all__ = ["LOADING_FIELDS", "Rewrite", "copy_unlinked", "strip_rtf_fields"]

#: A last change to a package's members (name, bytes) before they are zipped.
Rewrite = Callable[[list[tuple[str, bytes]]], list[tuple[str, bytes]]]

# Transitional and Strict (ISO/IEC 29500 Strict) namespaces of the same vocabularies.
_W = (NS["w"], "http://purl.oclc.org/ooxml/wordprocessingml/main")
_R = (NS["r"], "http://purl.oclc.org/ooxml/officeDocument/relationships")
_A = (NS["a"], "http://purl.oclc.org/ooxml/drawingml/main")
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_SVG = "http://www.w3.org/2000/svg"
_ODF = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
        "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0"}
_RELATIONSHIPS = f"{{{NS['pr']}}}Relationships"
_CLICKED = frozenset({f"{{{ns}}}hyperlink" for ns in _W}
                     | {f"{{{ns}}}{name}" for ns in _A for name in ("hlinkClick", "hlinkHover", "hlinkMouseOver")}
                     | {f"{{{_ODF['text']}}}a", f"{{{_ODF['draw']}}}a"})
_REL_REFS = etree.XPath("//@*[namespace-uri()=$r1 or namespace-uri()=$r2 or "
                        "(namespace-uri()=$o and local-name()='relid')]")
_VML_SOURCES = etree.XPath("//v:*/@src | //@o:href | //@o:althref", namespaces={"v": NS["v"], "o": NS["o"]})
_HREFS = etree.XPath("//@xlink:href | //svg:*/@href",
                     namespaces={"xlink": "http://www.w3.org/1999/xlink", "svg": _SVG})
_ODF_DDE = tuple(f"{{{_ODF[ns]}}}{name}" for ns, name in (
    ("office", "dde-source"), ("text", "dde-connection-decls"), ("table", "dde-links")))
_LINK_UPDATE_MODE = etree.XPath("//config:config-item[@config:name='LinkUpdateMode']",
                                namespaces={"config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0"})
_MAIL_MERGE = tuple(f"{{{ns}}}mailMerge" for ns in _W)
_INSTR = tuple(f"{{{ns}}}{name}" for ns in _W for name in ("instrText", "delInstrText"))
_FLDCHAR = tuple(f"{{{ns}}}fldChar" for ns in _W)
_FLDSIMPLE = tuple(f"{{{ns}}}fldSimple" for ns in _W)
_RELS_PART = re.compile(r"(?:^|/)_rels/[^/]*\.rels$", re.IGNORECASE)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_NOT_A_PACKAGE = "this zip archive is neither a Word (.docx) nor an OpenDocument (.odt) document"


def copy_unlinked(src: BinaryIO, dest: Path, name: str, limits: Limits = Limits(),
                  rewrite: Rewrite | None = None) -> None:
    """Write to ``dest`` the document open in ``src`` (a regular file within
    ``limits.max_file_bytes``), less everything LibreOffice would load from
    outside it, and a package's members passed through ``rewrite`` when
    given. ``name`` is how errors refer to the file; they are
    :class:`FormkitError` (``corrupt``, ``too-large``, ``bad-xml``,
    ``unsafe-xml``, ``conversion-failed``)."""
    head = src.read(16)
    src.seek(0)
    try:
        if head.startswith(b"PK\x03\x04"):
            members = _strip_package(read_members(src, name, limits), name)
            _write_zip(rewrite(members) if rewrite is not None else members, dest)
        elif head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
            dest.write_bytes(strip_rtf_fields(_read_all(src, limits.max_file_bytes, name)))
        elif head.startswith(OLE_MAGIC):
            dest.write_bytes(_read_all(src, limits.max_file_bytes, name))
        elif is_flat_odt(src.read(4096)):  # .fodt: formkit.office.odf_flat
            src.seek(0)
            copy_flat(_read_all(src, limits.max_file_bytes, name), dest, name, strip_odf_part)
        else:
            raise file_error("conversion-failed", name, "this is not a Word, OpenDocument or RTF document", RESEND)
    except FormkitError as exc:
        raise exc.with_file(name) from None


def _read_all(src: BinaryIO, max_bytes: int, name: str) -> bytes:
    data = src.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew since it was checked
        raise file_error("too-large", name, f"the file is over the limit of {size_text(max_bytes)}", "")
    return data


def _write_zip(members: list[tuple[str, bytes]], dest: Path) -> None:
    """A new zip of ``members`` in order; an ODF ``mimetype`` stays stored
    uncompressed (ODF 1.2 Part 3 §3.3), everything else is deflated at the
    fastest level (a throw-away copy: deflating took most of the time)."""
    with zipfile.ZipFile(dest, "w") as zf:
        for member, data in members:
            method = zipfile.ZIP_STORED if member == "mimetype" else zipfile.ZIP_DEFLATED
            zf.writestr(zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=method,
                        compresslevel=1)


# -- packages ---------------------------------------------------------------------

def _strip_package(members: list[tuple[str, bytes]], name: str) -> list[tuple[str, bytes]]:
    """The members of an OOXML or ODF package with every outside link removed."""
    names = {member for member, _ in members}
    odf = dict(members).get("mimetype", b"").startswith(b"application/vnd.oasis.opendocument")
    if not odf and not any(m.lower() == "[content_types].xml" for m in names):
        raise file_error("conversion-failed", name, _NOT_A_PACKAGE, RESEND)
    paths = names | {folder for n in names for folder in _folders(n)}
    trees = {member: root for member, data in members if (root := _parse(member, data)) is not None}
    changed = {member for member, root in trees.items() if _strip_part(root, member, paths, odf)}
    if not odf:
        changed |= _strip_relationships(trees, names)
    return [(m, _serialise(trees[m]) if m in changed else data) for m, data in members]


def _folders(member: str) -> list[str]:
    """``Object 1/Pictures/a.png`` -> ``["Object 1/Pictures", "Object 1"]``."""
    parts = member.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _parse(member: str, data: bytes) -> etree._Element | None:
    """The parsed member when it is XML (it starts with ``<`` or a UTF-16
    byte-order mark); None for anything else. A member named .xml or .rels
    that does not parse is an error; another (an HTML chunk) is left as is."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not (text.startswith(b"<") or data[:2] in (b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        return parse_xml(data, member)
    except FormkitError:
        if member.lower().endswith((".xml", ".rels")):
            raise
        return None


def _serialise(root: etree._Element) -> bytes:
    standalone = root.getroottree().docinfo.standalone
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=standalone))


def _strip_part(root: etree._Element, member: str, paths: set[str], odf: bool) -> bool:
    """Apply the rules of one XML part (``paths``: the members and their
    folders); True when it changed."""
    changed = _strip_hrefs(root, posixpath.dirname(member), paths)
    if odf:
        return _remove_all(root, _ODF_DDE) | _remove_elements(_LINK_UPDATE_MODE(root)) | changed
    changed |= _strip_fields(root)
    changed |= _remove_attributes(_VML_SOURCES(root))
    return _remove_all(root, _MAIL_MERGE) | changed


def strip_odf_part(root: etree._Element) -> bool:
    """The ODF rules for a flat document: no member to refer to."""
    return _strip_part(root, "content.xml", set(), True)


def _remove_attributes(attributes: list[etree._ElementUnicodeResult]) -> bool:
    for attribute in attributes:
        del attribute.getparent().attrib[attribute.attrname]
    return bool(attributes)


def _remove_all(root: etree._Element, tags: tuple[str, ...]) -> bool:
    return _remove_elements(list(root.iter(*tags)))


def _remove_elements(elements: list[etree._Element]) -> bool:
    for el in elements:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)
    return bool(elements)


def _strip_hrefs(root: etree._Element, base: str, paths: set[str]) -> bool:
    """Remove every xlink:href / SVG href that leads out of the package,
    except on links that are only clicked."""
    outside = [a for a in _HREFS(root) if a.getparent().tag not in _CLICKED and not _inside(str(a), base, paths)]
    return _remove_attributes(outside)


def _inside(href: str, base: str, paths: set[str]) -> bool:
    """Whether ``href`` (relative to the folder ``base``) stays in the
    package: a fragment, a data: URI, or a relative path to a member or to a
    sub-document folder, never above the package root."""
    href = href.strip()
    if href.startswith("#") or href.lower().startswith("data:"):
        return True
    if _SCHEME.match(href) or href.startswith(("/", "\\")) or not href:
        return False
    path = posixpath.normpath(posixpath.join(base, unquote(href.split("#", 1)[0])))
    if path == ".." or path.startswith("../"):
        return False
    return path in paths


# -- OOXML relationships (ECMA-376 Part 2 §9.3) -----------------------------------

def _strip_relationships(trees: dict[str, etree._Element], names: set[str]) -> set[str]:
    """Drop outside relationships from every Relationships part, and the
    attributes of its source part that named them; the members changed."""
    keys = {_key(n) for n in names}
    parts = {_key(member): member for member in trees}
    changed: set[str] = set()
    for member, root in trees.items():
        if root.tag != _RELATIONSHIPS or not _RELS_PART.search(member):
            continue
        source = _source_part(member)
        source_member = parts.get(_key(source)) if source else None
        source_root = trees.get(source_member) if source_member else None
        dropped = _drop_relationships(root, source, keys, source_root)
        if dropped:
            changed.add(member)
            if source_root is not None and _remove_attributes([a for a in _refs(source_root) if str(a) in dropped]):
                changed.add(str(source_member))
    return changed


def _key(part: str) -> str:
    """Part names compare case-insensitively after %-decoding (Part 2 §9.1.1)."""
    return unquote(part.replace("\\", "/").lstrip("/")).lower()


def _source_part(rels_member: str) -> str:
    """``word/_rels/document.xml.rels`` -> ``word/document.xml``; the
    package's own ``_rels/.rels`` -> "" (§9.3.1)."""
    folder, base = posixpath.split(rels_member)
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")]) if base[:-5] else ""


def _refs(root: etree._Element) -> list[etree._ElementUnicodeResult]:
    """Every attribute of ``root``'s tree that names a relationship by Id."""
    return list(_REL_REFS(root, r1=_R[0], r2=_R[1], o=NS["o"]))


def _drop_relationships(root: etree._Element, source: str, keys: set[str],
                        source_root: etree._Element | None) -> set[str]:
    """Remove the relationships of ``root`` that lead out of the package; their Ids."""
    loaded = {str(a) for a in _refs(source_root)
              if a.getparent().tag not in _CLICKED} if source_root is not None else set()
    dropped: set[str] = set()
    for rel in list(root):
        if _outside(rel, source, keys, loaded):
            dropped.add(rel.get("Id", ""))
            root.remove(rel)
    return dropped


def _outside(rel: etree._Element, source: str, keys: set[str], loaded: set[str]) -> bool:
    """An external relationship other than a hyperlink only clicked, or an
    internal one whose target is no part of the package."""
    if str(rel.get("TargetMode", "")).lower() == "external":
        return not str(rel.get("Type", "")).endswith("/hyperlink") or rel.get("Id") in loaded
    return _key(resolve_target(source, str(rel.get("Target", "")))) not in keys


# -- fields (ECMA-376 Part 1 §17.16) ----------------------------------------------

@dataclass
class _Field:
    """A complex field being read: its own instruction text elements, every
    instruction element inside it (nested fields' too), and whether its name
    is computed by a nested field."""

    own: list[etree._Element] = field(default_factory=list)
    inner: list[etree._Element] = field(default_factory=list)
    separated: bool = False
    computed: bool = False


def _loads(instruction: str) -> bool:
    """Whether a field instruction names a field that loads outside content."""
    match = FIELD_NAME.match(instruction)
    return match is not None and match.group(1).upper() in LOADING_FIELDS


def _strip_fields(root: etree._Element) -> bool:
    """Empty the instructions of loading fields, complex and simple."""
    changed = False
    stack: list[_Field] = []
    for el in root.iter(*_INSTR, *_FLDCHAR):
        if el.tag in _FLDCHAR:
            kind = el.get(f"{{{etree.QName(el).namespace}}}fldCharType")
            if kind == "begin":
                if stack and not stack[-1].separated and not _text(stack[-1].own).strip():
                    stack[-1].computed = True
                stack.append(_Field())
            elif kind == "separate" and stack:
                stack[-1].separated = True
            elif kind == "end" and stack:
                changed |= _neutralise(stack.pop())
        elif stack and not stack[-1].separated:
            stack[-1].own.append(el)
            for open_field in stack:
                if not open_field.separated:
                    open_field.inner.append(el)
    for open_field in stack:
        changed |= _neutralise(open_field)
    for simple in root.iter(*_FLDSIMPLE):
        attribute = f"{{{etree.QName(simple).namespace}}}instr"
        if _loads(simple.get(attribute, "")):
            simple.set(attribute, "")
            changed = True
    return changed


def _text(elements: list[etree._Element]) -> str:
    return "".join(el.text or "" for el in elements)


def _neutralise(fld: _Field) -> bool:
    if not (fld.computed or _loads(_text(fld.own))) or not _text(fld.inner):
        return False
    for el in fld.inner:
        el.text = ""
    return True
