"""formkit.docx.plain: a plain paragraph read by the short way is the
paragraph the walk reads, and every paragraph that is not plain is walked.

Each document is read twice, once as the reader does and once with the short
way switched off (every paragraph walked); the two models must be equal, over
snippets made to sit on each edge of "plain", every sample and original, and
seeded mutants of them (benchmarks/fuzz.py's XML mutations).
"""
from __future__ import annotations

import importlib.util
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from formkit.docx import story as reader_story
from formkit.errors import FormkitError
from formkit.docx.model import Document, Paragraph, Symbol, Text
from formkit.docx.package import open_package
from formkit.docx.reader import read_document
from tests.docxbuild import make_docx, p, r

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
STYLES = """
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="character" w:styleId="Box"><w:rPr><w:rFonts w:ascii="Wingdings 2" w:hAnsi="Wingdings 2"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Boxes"><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr></w:style>
"""


def _both(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[Document, Document, list[bool]]:
    """(as read, all walked, for each paragraph the short way was offered:
    whether it took it)."""
    taken: list[bool] = []
    real = reader_story.plain_text

    def spy(*args):  # type: ignore[no-untyped-def]
        text = real(*args)
        taken.append(text is not None)
        return text

    with open_package(data, "test.docx") as pkg:
        monkeypatch.setattr(reader_story, "plain_text", spy)
        fast = read_document(pkg)
        monkeypatch.setattr(reader_story, "plain_text", lambda *args: None)
        walked = read_document(pkg)
    monkeypatch.setattr(reader_story, "plain_text", real)
    return fast, walked, taken


HIDDEN = '<w:vanish/>'
FIELD_BEGIN = '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC </w:instrText></w:r>'
FIELD_END = '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>result</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
TEXT_BOX = ('<w:r><w:pict><v:shape><v:textbox><w:txbxContent>' + p("กล่อง") + '</w:txbxContent></v:textbox>'
            '</v:shape></w:pict></w:r>')

# (id, body, styles, expected route of each paragraph offered the short way)
CASES = [
    ("Thai runs", p("สวัสดี", r(" ครับ", props="<w:b/><w:sz w:val='32'/>")), None, [True]),
    ("empty paragraph and empty text", p() + p(r("")), None, [True, True]),
    ("ASCII in a text font", p(r("1. ....", font="TH SarabunPSK")), None, [True]),
    ("ASCII in a symbol font", p(r("R", font="Wingdings 2")), None, [False]),
    ("Thai in a symbol font reads as text", p(r("ก", font="Wingdings")), None, [True]),
    ("symbol font named oddly", p(r("R", font="  wingdings   2 ")), None, [False]),
    ("symbol font through a character style", p(r("R", props='<w:rStyle w:val="Box"/>')), STYLES, [False]),
    ("symbol font through the paragraph style", p(r("v"), style="Boxes"), STYLES, [False]),
    ("private-use glyph in a text font", p(r("\uf0a3 ข้อ")), None, [False]),
    ("hidden run", p(r("ลับ", props=HIDDEN), "เห็น"), None, [False]),
    ("vanish off", p(r("เห็น", props='<w:vanish w:val="0"/>')), None, [True]),
    ("hidden run elsewhere makes every run looked at", p(r("x", props=HIDDEN)) + p("ก"), None, [False, True]),
    ("tab and break", p(r(content="<w:t>a</w:t><w:tab/><w:br/><w:t>b</w:t>")), None, [False]),
    ("symbol element", p(r(content='<w:sym w:font="Wingdings 2" w:char="F0A3"/>')), None, [False]),
    ("deleted run", p("ก", '<w:del w:id="1"><w:r><w:delText>x</w:delText><w:t>y</w:t></w:r></w:del>'), None, [False]),
    ("equation skipped by both", p("ก", '<m:oMath><m:r><w:t>x</w:t></m:r></m:oMath>'), None, [True]),
    ("unknown container skipped by both", p("ก", "<w:foo><w:r><w:t>x</w:t></w:r></w:foo>"), None, [True]),
    ("unknown run child skipped by both", p(r(content="<w:foo><w:t>x</w:t></w:foo><w:t>y</w:t>")), None, [True]),
    ("paragraph in an unknown container", p("<w:foo>" + p("ใน") + "</w:foo>", "นอก"), None, [True]),
    ("comments and processing instructions", "<w:p><!-- c --><w:r><?pi x?><w:t>a</w:t></w:r></w:p>", None, [True]),
    ("hyperlink", p('<w:hyperlink w:anchor="x">' + r("ลิงก์") + "</w:hyperlink>"), None, [False]),
    ("comment anchor", p('<w:commentRangeStart w:id="3"/>', "ก"), None, [False]),
    ("inserted run", p('<w:ins w:id="2">' + r("เพิ่ม") + "</w:ins>"), None, [False]),
    ("paragraph mark revision", p("ก", ppr='<w:rPr><w:ins w:id="4"/></w:rPr>'), None, [True]),
    # inside a field's instruction (and where it ends) a paragraph is never offered the short way
    ("field over paragraphs", p(FIELD_BEGIN) + p("ในคำสั่ง") + p(FIELD_END) + p("หลัง"), None, [False, True]),
    ("text box paragraphs", p(TEXT_BOX, "ก"), None, [False, True]),
    ("table cell", "<w:tbl><w:tr><w:tc>" + p("ช่อง") + "</w:tc></w:tr></w:tbl>", None, [True]),
]


@pytest.mark.parametrize(("body", "styles", "route"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_plain_paragraphs_read_as_walked(body: str, styles: str | None, route: list[bool],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    fast, walked, taken = _both(make_docx(body, styles_xml=styles), monkeypatch)
    assert fast == walked
    assert taken == route


def test_the_short_way_reads_text_and_symbols_right(monkeypatch: pytest.MonkeyPatch) -> None:
    body = p("ก", r(" 1.", font="Angsana New")) + p(r("R", font="Wingdings 2"))
    fast, _, taken = _both(make_docx(body), monkeypatch)
    assert taken == [True, False]
    assert fast.body == (Paragraph((Text("ก 1."),)), Paragraph((Symbol("Wingdings 2", 0x52),)))


def _documents() -> list[Path]:
    return sorted([*ROOT.glob("forms/*/original.docx"), *ROOT.glob("samples/**/*.docx"),
                   *ROOT.glob("tests/fuzz_regressions/*.docx")])


@pytest.mark.parametrize("path", _documents(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_document_reads_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        fast, walked, taken = _both(path.read_bytes(), monkeypatch)
    except FormkitError:
        return  # a refused file is refused before either way reads it
    assert fast == walked


def _load_fuzz():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("formkit_fuzz", ROOT / "benchmarks" / "fuzz.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("formkit_fuzz", module)
    spec.loader.exec_module(module)
    return module


def read_mutants(seed: int, read: Callable[[bytes], T], count: int = 150) -> Iterator[tuple[list[str], T]]:
    """``read`` over ``count`` seeded XML mutants of the samples and
    originals (benchmarks/fuzz.py): each mutation's steps and what ``read``
    gave, for every mutant it did not refuse."""
    fuzz = _load_fuzz()
    rng = random.Random(seed)
    seeds = fuzz.corpus(ROOT)
    for _ in range(count):
        data, steps = fuzz.mutate_xml(rng, rng.choice(seeds).data)
        try:
            yield steps, read(data)
        except FormkitError:
            continue


def test_mutants_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    compared = shortcuts = 0
    for steps, (fast, walked, taken) in read_mutants(20240611, lambda data: _both(data, monkeypatch)):
        assert fast == walked, steps
        compared += 1
        shortcuts += sum(taken)
    assert compared > 100 and shortcuts > 1000  # the mutants were read, mostly the short way
