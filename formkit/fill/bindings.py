"""Filling a bound control's custom XML part (ECMA-376 Part 1 §22.5): the
value a ``w:dataBinding`` (§17.5.2.6) maps the control to, written where
its XPath points, as Word does when a bound control is edited (Word shows
the part's value when it opens the document, not the control's).

The XPath is walked step by step in the shape Word writes
(``/ns0:a[1]/ns0:b[1]``), never given to an XPath engine; a part is found by
the item id its properties part declares.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from formkit.docx.ns import qn
from formkit.docx.xmlsafe import parse_xml
from formkit.errors import FormkitError
from formkit.fill.tags import Tags
from formkit.forms import FieldDef
from formkit.forms.controls import value_type

_XPATH, _STORE, _PREFIXES = qn("w:xpath"), qn("w:storeItemID"), qn("w:prefixMappings")
_DS_ITEM_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/customXml}itemID"
_PROPS_REL = "/customXmlProps"


def bound_code(f: FieldDef, expr: str) -> str:
    """What a bound control's custom XML node holds for the value ``expr``
    (Word stores a date as xsd:dateTime, a check box as xsd:boolean)."""
    kind = value_type(f.control)
    if kind == "bool":
        return f"{{{{ 'true' if {expr} else 'false' }}}}"
    if kind == "date":
        return f"{{{{ ({expr} ~ 'T00:00:00') if {expr} else '' }}}}"
    return f"{{{{ {expr} }}}}"


_STEP = re.compile(r"/(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)(?:\[([1-9][0-9]{0,4})\])?")
_MAPPING = re.compile(r"xmlns:([A-Za-z_][\w.-]*)\s*=\s*(['\"])(.*?)\2")
_ITEM_RELS = re.compile(r"customXml/_rels/([^/]+\.xml)\.rels")


class Store:
    """The custom XML parts of the original (ECMA-376 Part 1 §22.5), by
    their item id, parsed when a bound control names one."""

    def __init__(self, members: dict[str, bytes]) -> None:
        self.members = members
        self.trees: dict[str, etree._Element] = {}
        self._ids: dict[str, str] | None = None

    def bind(self, binding: etree._Element, code: str, tags: Tags) -> None:
        part = self._part(binding.get(_STORE) or "")
        if part is None:
            return
        tree = self.trees.get(part)
        if tree is None:
            tree = self.trees[part] = parse_xml(self.members[part], part)
        node = _select(tree, binding.get(_XPATH) or "", dict(
            (m.group(1), m.group(3)) for m in _MAPPING.finditer(binding.get(_PREFIXES) or "")))
        if node is None:
            return
        for child in list(node):
            node.remove(child)
        node.text = tags.inline(code)

    def _part(self, item_id: str) -> str | None:
        if self._ids is None:
            self._ids = dict(self._items())
        return self._ids.get(item_id.upper())

    def _items(self) -> Iterator[tuple[str, str]]:
        """(item id, item part) of each custom XML item whose properties part says its id."""
        for name in self.members:
            m = _ITEM_RELS.fullmatch(name)
            if m is None or f"customXml/{m.group(1)}" not in self.members:
                continue
            try:
                rels = parse_xml(self.members[name], name)
                for rel in rels:
                    if (rel.get("Type") or "").endswith(_PROPS_REL):
                        props_part = "customXml/" + (rel.get("Target") or "").split("/")[-1]
                        if props_part in self.members:
                            props = parse_xml(self.members[props_part], props_part)
                            item_id = props.get(_DS_ITEM_ID) or ""
                            yield item_id.upper(), f"customXml/{m.group(1)}"
            except FormkitError:
                continue  # a custom XML part that does not parse binds nothing


def _select(root: etree._Element, xpath: str, prefixes: dict[str, str]) -> etree._Element | None:
    """The element an XPath of Word's shape (``/ns0:a[1]/ns0:b[1]``) names,
    walked step by step (no XPath engine runs on a document's expression)."""
    steps = list(_STEP.finditer(xpath))
    if not steps or "".join(s.group() for s in steps) != xpath:
        return None
    node: etree._Element | None = None
    for step in steps:
        prefix, local, index = step.groups()
        if prefix is not None and prefix not in prefixes:
            return None
        name = f"{{{prefixes[prefix]}}}{local}" if prefix is not None else local
        choices = [root] if node is None else [c for c in node if c.tag == name]
        if node is None and root.tag != name:
            return None
        n = int(index or 1) - 1
        if n >= len(choices):
            return None
        node = choices[n]
    return node
