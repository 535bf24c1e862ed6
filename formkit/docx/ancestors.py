"""The nearest ancestor of a given tag, asked of many elements of one tree.

Walking up from each element on its own costs the element's depth every
time: in a hostile document nesting a thousand content controls and
repeating them, that is hundreds of millions of steps. :class:`Nearest`
remembers the answer for every element it passes on the way up, so each
element of the tree is looked at once however many are asked about.
"""
from __future__ import annotations

from lxml import etree

__all__ = ["Nearest"]


class Nearest:
    """``Nearest(tag).of(el)``: the closest proper ancestor of ``el`` whose
    tag is ``tag``, or None; for the elements of one tree, which must not
    change between questions."""

    __slots__ = ("_tag", "_known")

    def __init__(self, tag: str) -> None:
        self._tag = tag
        self._known: dict[etree._Element, etree._Element | None] = {}

    def of(self, el: etree._Element) -> etree._Element | None:
        passed: list[etree._Element] = []
        node = el.getparent()
        while True:
            if node is None or node.tag == self._tag:
                found = node
                break
            if node in self._known:
                found = self._known[node]
                break
            passed.append(node)
            node = node.getparent()
        for step in passed:
            self._known[step] = found
        return found
