"""Small parts shared between the packages of a batch (Package.derived).

What is built from a small part (content types, relationships, styles) is
kept by the part's exact bytes, so the next document holding the same bytes
skips the XML parse. These tests check that sharing happens only where the
result cannot differ: same bytes, same part, same context; that a part that
fails to parse fails in every document; and that the cache stays bounded.
"""
from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from formkit.docx import package as package_module
from formkit.docx.package import open_package
from formkit.docx.reader import read_document
from formkit.errors import FormkitError
from tests.docxbuild import make_docx, p, r

STYLES = (
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:rPr>'
    '<w:rFonts w:ascii="Wingdings 2" w:hAnsi="Wingdings 2"/></w:rPr></w:style>'
)


class Counting:
    """A build function that counts its calls and returns what it saw."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, root: etree._Element, context: str) -> tuple[str, str, int]:
        self.calls += 1
        return (etree.QName(root).localname, context, len(root))


def test_same_bytes_are_built_once_across_packages() -> None:
    data = make_docx(p(r("a")))
    build = Counting()
    with open_package(data, "one.docx") as one, open_package(data, "two.docx") as two:
        first = one.derived("word/_rels/document.xml.rels", build)
        again = two.derived("word/_rels/document.xml.rels", build)
    assert build.calls == 1
    assert again is first and first[0] == "Relationships"


def test_other_bytes_or_context_are_built_again() -> None:
    build = Counting()
    with open_package(make_docx(p(r("a"))), "a.docx") as a, \
            open_package(make_docx(p(r("a")), media={"x.png": b"png"}), "b.docx") as b:
        first = a.derived("word/_rels/document.xml.rels", build)
        other_bytes = b.derived("word/_rels/document.xml.rels", build)
        other_context = a.derived("word/_rels/document.xml.rels", build, "word/other.xml")
    assert build.calls == 3
    assert first[2] == 0 and other_bytes[2] == 1  # the second package's rels name its picture
    assert other_context[1] == "word/other.xml"


def test_relationships_resolve_against_their_own_source_when_bytes_repeat() -> None:
    """The same relationships bytes from two source parts in different folders
    resolve to different targets: the source is part of what is shared."""
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
            '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
            'Target="media/a.png"/></Relationships>')
    data = make_docx(p(r("a")), parts={"word/_rels/x.xml.rels": rels, "word/sub/_rels/x.xml.rels": rels})
    with open_package(data) as pkg:
        top = pkg.rels("word/x.xml")["rId9"].target
        sub = pkg.rels("word/sub/x.xml")["rId9"].target
    assert (top, sub) == ("word/media/a.png", "word/sub/media/a.png")


def test_styles_shared_by_identical_styles_parts_read_the_same() -> None:
    body = p(r("\uf0a3"))
    data = make_docx(body, styles_xml=STYLES)
    with open_package(data, "one.docx") as one:
        first = read_document(one)
    with open_package(data, "two.docx") as two:
        second = read_document(two)
    with open_package(make_docx(body), "plain.docx") as plain:  # no styles part: a text font
        third = read_document(plain)
    assert first == second
    assert first != third  # the style's symbol font made the glyph a symbol


def test_a_part_that_does_not_parse_fails_in_every_package() -> None:
    data = make_docx(p(r("a")), parts={"word/_rels/document.xml.rels": "<Relationships"})
    for name in ("one.docx", "two.docx"):
        with open_package(data, name) as pkg, pytest.raises(FormkitError) as err:
            pkg.rels(pkg.main_part)
        assert err.value.code == "bad-xml" and name in str(err.value)


def test_large_parts_are_not_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_module, "_SHARED_MAX_PART", 10)
    data = make_docx(p(r("a")))
    build = Counting()
    for _ in range(2):
        with open_package(data) as pkg:
            pkg.derived("word/_rels/document.xml.rels", build)
    assert build.calls == 2


def test_the_shared_values_stay_bounded() -> None:
    build = Counting()
    limit: Any = package_module._SHARED_MAX_ENTRIES
    for n in range(limit + 5):
        with open_package(make_docx(p(r(f"paragraph {n}")))) as pkg:
            pkg.derived("word/document.xml", build)
    assert build.calls == limit + 5
    assert 0 < len(package_module._shared) <= limit
