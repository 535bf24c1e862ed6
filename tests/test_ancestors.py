"""formkit.docx.ancestors.Nearest: the nearest ancestor of a tag, each
element of the tree passed once however many elements are asked about (a
hostile document's deep nesting made the walk up from every content
control quadratic: tests/fuzz_regressions/parse-slow-03fe0508.docx)."""
from __future__ import annotations

import random

from lxml import etree

from formkit.docx.ancestors import Nearest

TAGS = ("p", "sdt", "r", "tbl", "tc")


def _naive(el: etree._Element, tag: str) -> etree._Element | None:
    node = el.getparent()
    while node is not None and node.tag != tag:
        node = node.getparent()
    return node


def _random_tree(rng: random.Random, size: int) -> etree._Element:
    root = etree.Element("body")
    nodes = [root]
    for _ in range(size):
        parent = rng.choice(nodes[-20:]) if rng.random() < 0.8 else rng.choice(nodes)
        nodes.append(etree.SubElement(parent, rng.choice(TAGS)))
    return root


def test_answers_as_a_walk_up_would() -> None:
    rng = random.Random(5)
    for _ in range(30):
        root = _random_tree(rng, 300)
        nearest = Nearest("p")
        elements = list(root.iter())
        rng.shuffle(elements)  # asked in any order, deepest or shallowest first
        for el in elements:
            assert nearest.of(el) is _naive(el, "p")


def test_each_element_is_remembered_once() -> None:
    root = etree.Element("body")
    p = etree.SubElement(root, "p")
    chain = [p]
    for _ in range(1000):
        chain.append(etree.SubElement(chain[-1], "sdt"))
    nearest = Nearest("p")
    assert nearest.of(chain[-1]) is p
    remembered = dict(nearest._known)
    assert len(remembered) == 999  # every sdt passed on the way up, but the one asked about
    for el in chain[1:]:
        assert nearest.of(el) is p
    assert nearest._known == remembered  # every later answer came from memory: nothing walked again
    assert nearest.of(p) is None and Nearest("p").of(root) is None
