"""Boxes decided while reading: ``read_document(pkg, boxes=True)`` is the
checkbox stage applied to the document read without it
(``convert_document(read_document(pkg))``), in one pass.

Compared over snippets on each edge of the stage (glyph boxes in plain and
walked paragraphs, in tables, text boxes and page headers; marks beside
boxes; a document whose boxes were all dropped, where lone marks become
boxes, and one where a single whole box keeps them marks), every sample and
original, and seeded mutants of them (benchmarks/fuzz.py's XML mutations).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from formkit.docx.checkboxes import LONE_MARK, convert_document
from formkit.docx.model import Checkbox, Document, paragraphs_of
from formkit.docx.package import open_package
from formkit.errors import FormkitError
from formkit.docx.reader import read_document
from tests.docxbuild import make_docx, p, r
from tests.test_reader_plain import ROOT, _documents, read_mutants


def _both(data: bytes) -> tuple[Document, Document]:
    """(boxes decided while reading, the stage applied after)."""
    with open_package(data, "t.docx") as pkg:
        at_once = read_document(pkg, boxes=True)
    with open_package(data, "t.docx") as pkg:
        after = convert_document(read_document(pkg))
    return at_once, after


def _boxes(doc: Document) -> list[Checkbox]:
    return [i for par in paragraphs_of(doc.body) for i in par.inlines if isinstance(i, Checkbox)]


TEXTBOX = ('<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>'
           + p("☐ ในกล่อง") + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>")
CASES = {
    "plain boxes and marks": p("☐ มี ☑ ไม่มี") + p("☐✓ ระดับ 1") + p("ไม่มีกล่อง"),
    "symbol font, walked": p(r("R", font="Wingdings 2"), " ทำแล้ว") + p(r("£", font="Wingdings 2"), r("ü", font="Wingdings")),
    "in a table": "<w:tbl><w:tr><w:tc>" + p("☐ 1") + "</w:tc><w:tc>" + p("/ 2") + "</w:tc></w:tr></w:tbl>",
    "in a text box": p("ก่อน", TEXTBOX),
    "boxes dropped: lone marks": p("/ ระดับ 1") + p("X ระดับ 2") + p("ระดับ 3"),
    "one whole box keeps marks": p("/ ระดับ 1") + p("☐ ระดับ 2"),
}


@pytest.mark.parametrize("body", CASES.values(), ids=list(CASES))
def test_snippets_read_the_same(body: str) -> None:
    data = make_docx(body, headers={"header1.xml": p("☐ หัว ☒")})
    at_once, after = _both(data)
    assert at_once == after
    assert _boxes(at_once)  # each case has a box to decide


def test_lone_marks_only_where_no_box_is_whole() -> None:
    dropped, _ = _both(make_docx(CASES["boxes dropped: lone marks"]))
    kept, _ = _both(make_docx(CASES["one whole box keeps marks"]))
    assert [b.encoding for b in _boxes(dropped)] == [LONE_MARK, LONE_MARK]
    assert LONE_MARK not in [b.encoding for b in _boxes(kept)]


@pytest.mark.parametrize("path", _documents(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_document_reads_the_same(path: Path) -> None:
    try:
        at_once, after = _both(path.read_bytes())
    except FormkitError:
        return  # a refused file is refused before either way reads it
    assert at_once == after


def test_mutants_read_the_same() -> None:
    compared = with_boxes = 0
    for steps, (at_once, after) in read_mutants(20261207, _both):
        assert at_once == after, steps
        compared += 1
        with_boxes += bool(_boxes(at_once))
    assert compared > 100 and with_boxes > 50  # the mutants were read, most with boxes
