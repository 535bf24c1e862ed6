"""``formkit preview`` draws the boxes, ticks and bullets people used.

Symbol-font glyphs (Wingdings ...) have no font on a Linux machine: LibreOffice
drew them as empty rectangles and WPS's ticked "R" as a letter. The preview's
copy has them redrawn as Unicode look-alikes (formkit.office.symbols).

The LibreOffice test renders one document holding every tick encoding parse
reads, ticked and empty, one per small page (one soffice run), and tells the
states apart by the pixels of each page: the drawn ink cropped and compared.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from PIL import Image, ImageChops

from formkit.cli import main
from formkit.docx.glyphs import symbol_glyph
from formkit.docx.model import Block, Checkbox, Inline, Paragraph, Symbol
from formkit.docx.zipread import read_members
from formkit.office.preview import page_name
from formkit.office.symbols import FONT, redraw_symbols
from formkit.read.parse import parse_file, read_model
from tests.conftest import ROOT, convert
from tests.docxbuild import RelSpec, make_docx, p, r

W2, WD, WEB, SYM, TEXT = "Wingdings 2", "Wingdings", "Webdings", "Symbol", "TH SarabunPSK"
FONT_TABLE = ('<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
              + "".join(f'<w:font w:name="{name}"><w:charset w:val="02"/></w:font>' for name in (W2, WD, WEB, SYM))
              + "</w:fonts>")


def docx(body: str, styles: str | None = None) -> bytes:
    """A package with ``body`` and the symbol fonts declared as Word declares
    them (``w:charset`` 02, symbol) in its font table."""
    return make_docx(body, styles_xml=styles, parts={"word/fontTable.xml": FONT_TABLE},
                     extra_rels=[RelSpec("rId_fonts", "fontTable", "fontTable.xml")])


def redrawn(data: bytes) -> bytes:
    members = redraw_symbols(read_members(io.BytesIO(data), "test.docx"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in members:
            zf.writestr(name, content)
    return out.getvalue()


def inlines(blocks: tuple[Block, ...]) -> Iterator[Inline]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield from block.inlines
        else:
            for row in block.rows:
                for cell in row.cells:
                    yield from inlines(cell.blocks)


def body_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")


# -- the substitution, without LibreOffice ----------------------------------------

SAMPLES = sorted((ROOT / "samples").glob("*/*.docx")) + sorted((ROOT / "forms").glob("*/original.docx"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_redrawn_copy_reads_as_the_document_does(path: Path) -> None:
    """Every box keeps its state: parse reads the redrawn copy as the file
    itself; and no symbol-font glyph the table knows is left in it."""
    data = path.read_bytes()
    copy = redrawn(data)
    before, after = parse_file(data, name=path.name), parse_file(copy, name=path.name)
    assert before.error is None and after.error is None
    assert (after.form, after.record, after.warnings) == (before.form, before.record, before.warnings)
    doc = read_model(copy, path.name)
    left = [i for i in inlines(doc.body) if isinstance(i, Symbol) and symbol_glyph(i.font, i.code)]
    assert left == []


def test_originals_boxes_are_redrawn() -> None:
    """The shipped forms print their boxes in Wingdings 2 / Wingdings: every
    one of them becomes a Unicode box in the copy."""
    for form in ("esao-1-2", "esao-3-1"):
        data = (ROOT / "forms" / form / "original.docx").read_bytes()
        before = [i for i in inlines(read_model(data, form).body) if isinstance(i, Checkbox)]
        after = [i for i in inlines(read_model(redrawn(data), form).body) if isinstance(i, Checkbox)]
        assert before and all(box.encoding == "symbol" for box in before)
        assert [box.encoding for box in after] == ["unicode"] * len(before)
        assert [box.checked for box in after] == [box.checked for box in before]


def test_a_run_is_split_around_its_glyphs() -> None:
    """Text, a tab and the run's other properties stay, in order; only the
    glyphs change font. A private-use character in a text font is no box for
    parse, so it stays as it is."""
    body = p(r(content='<w:t xml:space="preserve">\uf0a3 R</w:t><w:tab/><w:sym w:font="Wingdings" w:char="F0A8"/>'
               '<w:t>ก</w:t>', font=W2, props='<w:b/><w:color w:val="FF0000"/>'),
             r("ก \uf052 ข", font=TEXT, props="<w:b/>"))
    root = etree.fromstring(body_xml(redrawn(docx(body))).encode("utf-8"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    runs = root.findall(".//w:r", ns)
    shown = [("".join(run.xpath("w:t/text()", namespaces=ns)), len(run.findall("w:tab", ns)),
              run.find("w:rPr/w:rFonts", ns).get(f"{{{ns['w']}}}ascii")) for run in runs]
    assert shown == [("□", 0, FONT), (" ", 0, W2), ("☑", 0, FONT), ("", 1, W2), ("◻", 0, FONT), ("ก", 0, W2),
                     ("ก \uf052 ข", 0, TEXT)]
    assert all(run.find("w:rPr/w:b", ns) is not None for run in runs)
    assert all(run.find("w:rPr/w:color", ns) is not None for run in runs[:-1])


def test_a_style_font_makes_the_letter_a_glyph() -> None:
    """WPS's "R" ticks in a run whose font comes from its character style
    (ECMA-376 §17.7): redrawn, while an "R" in a text font stays a letter."""
    styles = ('<w:style w:type="character" w:styleId="Tick"><w:name w:val="Tick"/>'
              f'<w:rPr><w:rFonts w:ascii="{W2}" w:hAnsi="{W2}"/></w:rPr></w:style>')
    body = p(r("R", props='<w:rStyle w:val="Tick"/>'), r("R", font=TEXT))
    xml = body_xml(redrawn(docx(body, styles)))
    assert '<w:rStyle w:val="Tick"/><w:rFonts' in xml and ">☑</w:t>" in xml and ">R</w:t>" in xml


def test_a_damaged_styles_part_only_loses_inherited_fonts() -> None:
    """LibreOffice renders a file whose styles part is not XML; so does the
    preview, with the glyphs of runs that name their font redrawn."""
    data = make_docx(p(r("R", font=W2)), styles_xml="<w:style/>",
                     parts={"word/styles.xml": b"\x00\x01 not xml"})
    assert ">☑</w:t>" in body_xml(redrawn(data))


def test_a_document_without_known_glyphs_is_copied_byte_for_byte() -> None:
    data = docx(p(r("R", font=TEXT), r("\uf021", font=W2)))  # Wingdings 2 0x21: not a box
    members = read_members(io.BytesIO(data), "x.docx")
    assert redraw_symbols(members) == members


@pytest.mark.parametrize(("n", "pages", "name"), [
    (1, 1, "p-1.png"), (4, 9, "p-4.png"), (1, 10, "p-01.png"), (13, 13, "p-13.png"), (7, 120, "p-007.png")])
def test_page_names_are_padded_to_the_page_count(n: int, pages: int, name: str) -> None:
    assert page_name(Path("out/p.png"), n, pages) == Path("out") / name


# -- rendered by LibreOffice ------------------------------------------------------

SIZE = 'w:sz w:val="96"/><w:szCs w:val="96"'  # 48 pt: a glyph of about 70 px at 110 dpi
PAGE = '<w:sectPr><w:pgSz w:w="4320" w:h="2880"/><w:pgMar w:top="360" w:right="360" w:bottom="360" w:left="360" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr>'


def run(text: str = "", font: str | None = TEXT, style: str = "", content: str | None = None) -> str:
    return r(text, font=font, props=f"{style}<{SIZE}/>", content=content)


def sym(font: str, char: str) -> str:
    return run(content=f'<w:sym w:font="{font}" w:char="{char}"/>')


def look(char: str) -> str:
    """The look-alike typed as Unicode in the redrawing font: what the page must show."""
    return run(char, font=FONT)


def content_control(checked: bool, font: str, on: str, off: str, shown: str) -> str:
    return (f'<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="{int(checked)}"/>'
            f'<w14:checkedState w14:val="{on}" w14:font="{font}"/><w14:uncheckedState w14:val="{off}" w14:font="{font}"/>'
            f"</w14:checkbox></w:sdtPr><w:sdtContent>{run(shown, font=font)}</w:sdtContent></w:sdt>")


def form_field(state: str) -> str:
    begin = (f'<w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:enabled/>'
             f'<w:checkBox><w:size w:val="96"/>{state}</w:checkBox></w:ffData></w:fldChar>')
    return (run(content=begin) + run(content='<w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText>')
            + run(content='<w:fldChar w:fldCharType="end"/>'))


@dataclass(frozen=True)
class Case:
    """One tick encoding: its ticked and empty box, and (for the glyphs that
    are redrawn) the look-alikes each must be drawn as."""

    name: str
    ticked: str
    empty: str
    looks: tuple[str, str] | None = None


TICK_STYLE = ('<w:style w:type="character" w:styleId="Tick"><w:name w:val="Tick"/>'
              f'<w:rPr><w:rFonts w:ascii="{W2}" w:hAnsi="{W2}"/></w:rPr></w:style>')
CASES = [
    Case("w:sym Wingdings 2", sym(W2, "F052"), sym(W2, "F0A3"), (look("☑"), look("□"))),
    Case("w:sym Wingdings 2, byte", sym(W2, "0054"), sym(W2, "00A3"), (look("☒"), look("□"))),
    Case("w:sym Wingdings", sym(WD, "F0FE"), sym(WD, "F072"), (look("☑"), look("❒"))),
    Case("w:sym Wingdings, cross", sym(WD, "F078"), sym(WD, "F06F"), (look("☒"), look("□"))),
    Case("w:sym Webdings", sym(WEB, "F061"), sym(WEB, "F063"), (look("✓"), look("□"))),
    Case("w:sym Symbol beside a box", run("☐") + sym(SYM, "F0D6"), run("☐"), (run("☐") + look("√"), run("☐"))),
    Case("private use, Wingdings 2 run", run("\uf052", font=W2), run("\uf0a3", font=W2), (look("☑"), look("□"))),
    Case("private use, Wingdings run", run("\uf0fe", font=WD), run("\uf0a8", font=WD), (look("☑"), look("◻"))),
    Case("WPS R", run("R", font=W2), run("£", font=W2), (look("☑"), look("□"))),
    Case("WPS T", run("T", font=W2), run("0", font=W2), (look("☒"), look("□"))),
    Case("WPS S", run("S", font=W2), run("0", font=W2), (look("☒"), look("□"))),
    Case("WPS Q", run("Q", font=W2), run("0", font=W2), (look("☒"), look("□"))),
    Case("style font R", run("R", font=None, style='<w:rStyle w:val="Tick"/>'),
         run("£", font=None, style='<w:rStyle w:val="Tick"/>'), (look("☑"), look("□"))),
    Case("Unicode", run("☑"), run("☐")),
    Case("Unicode, MS Gothic", run("☒", font="MS Gothic"), run("☐", font="MS Gothic")),
    Case("content control, MS Gothic", content_control(True, "MS Gothic", "2612", "2610", "☒"),
         content_control(False, "MS Gothic", "2612", "2610", "☐")),
    Case("content control, Wingdings 2", content_control(True, W2, "F052", "F0A3", "\uf052"),
         content_control(False, W2, "F052", "F0A3", "\uf0a3"), (look("☑"), look("□"))),
    Case("FORMCHECKBOX default", form_field('<w:default w:val="1"/>'), form_field('<w:default w:val="0"/>')),
    Case("FORMCHECKBOX checked", form_field('<w:default w:val="0"/><w:checked/>'),
         form_field('<w:default w:val="1"/><w:checked w:val="0"/>')),
]
BULLETS = [("w:sym Wingdings bullet", sym(WD, "F06C")), ("private use bullet", run("\uf06c", font=WD))]
MISSING = run("\uf021", font=W2)  # Wingdings 2 0x21, no box: the empty rectangle of a glyph no font has


def page_list(cases: list[Case], bullets: bool = True) -> list[str]:
    """Every page's runs: each case ticked, empty, then its look-alikes; the
    bullets and their look-alike; the missing glyph last."""
    pages = []
    for case in cases:
        pages += [case.ticked, case.empty, *(case.looks or ())]
    if bullets:
        pages += [xml for _, xml in BULLETS] + [look("●")]
    return [*pages, MISSING]


def glyph_document(cases: list[Case], bullets: bool = True) -> bytes:
    paras = [p(xml, ppr="<w:pageBreakBefore/>" if n else "") for n, xml in enumerate(page_list(cases, bullets))]
    return docx("".join(paras) + PAGE, TICK_STYLE)


@dataclass(frozen=True)
class Ink:
    """The dark pixels of a rendered page (white on black), cropped to them."""

    mask: Image.Image
    dark: int


def ink(path: Path) -> Ink:
    with Image.open(path) as image:
        gray = image.convert("L")
    mask = gray.point(lambda v: 255 if v < 160 else 0)
    box = mask.getbbox()
    assert box is not None, f"{path.name} is blank"
    crop = mask.crop(box)
    return Ink(crop, crop.histogram()[255])


def alike(a: Ink, b: Ink) -> bool:
    """The same drawing: bounding boxes within 3 px, and at most 15 % of the
    ink differing once one is scaled onto the other."""
    (aw, ah), (bw, bh) = a.mask.size, b.mask.size
    if abs(aw - bw) > 3 or abs(ah - bh) > 3:
        return False
    other = b.mask.resize(a.mask.size, Image.Resampling.NEAREST)
    return ImageChops.difference(a.mask, other).histogram()[255] <= 0.15 * max(a.dark, b.dark)


def render(src: Path, pages: int) -> list[Ink]:
    """``formkit preview --all`` of ``src``: each page's ink. The file itself
    is left as it was, and the page names sort in page order."""
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    result = CliRunner().invoke(main, ["preview", str(src), "-o", str(src.parent / "p.png"), "--all"])
    assert result.exit_code == 0, result.stderr
    assert hashlib.sha256(src.read_bytes()).hexdigest() == digest
    names = sorted(path.name for path in src.parent.glob("p-*.png"))
    assert names == [f"p-{n:0{len(str(pages))}d}.png" for n in range(1, pages + 1)]
    return [ink(src.parent / name) for name in names]


@pytest.fixture(scope="module")
def rendered(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> list[Ink]:
    """Every case, in one document (70 pages: p-01.png ... p-70.png)."""
    src = tmp_path_factory.mktemp("glyphs") / "glyphs.docx"
    src.write_bytes(glyph_document(CASES))
    return render(src, len(page_list(CASES)))


def case_pages(cases: list[Case], rendered: list[Ink]) -> Iterator[tuple[Case, list[Ink]]]:
    """Each case with its pages: ticked, empty, then its look-alikes."""
    at = 0
    for case in cases:
        count = 2 + len(case.looks or ())
        yield case, rendered[at:at + count]
        at += count


@pytest.mark.parametrize("name", [case.name for case in CASES])
def test_ticked_and_empty_boxes_look_different(rendered: list[Ink], name: str) -> None:
    """In every encoding parse reads: a ticked box is not drawn like an empty
    one, neither is the empty rectangle of a missing glyph, and a redrawn
    glyph is its look-alike (not a rectangle, not the letter R)."""
    case, pages = next((c, pages) for c, pages in case_pages(CASES, rendered) if c.name == name)
    ticked, empty, *looks = pages
    missing = rendered[-1]
    assert not alike(ticked, empty)
    assert not alike(ticked, missing) and not alike(empty, missing)
    if looks:
        assert alike(ticked, looks[0]) and alike(empty, looks[1])


def test_bullets_are_drawn(rendered: list[Ink]) -> None:
    bullets, bullet, missing = rendered[-len(BULLETS) - 2:-2], rendered[-2], rendered[-1]
    assert all(alike(page, bullet) and not alike(page, missing) for page in bullets)


LEGACY = [case for case in CASES if case.name in ("w:sym Wingdings, cross", "private use, Wingdings 2 run", "WPS R")]


@pytest.mark.parametrize("target", ["doc", "odt", "rtf"])
def test_legacy_formats_are_drawn_as_parse_reads_them(soffice: str, tmp_path: Path, target: str) -> None:
    """A .doc, .odt or .rtf (here saved by LibreOffice from a .docx) keeps its boxes
    in symbol fonts too: the preview goes through .docx and redraws them."""
    built = tmp_path / "ticks.docx"
    built.write_bytes(glyph_document(LEGACY, bullets=False))
    (src,) = convert(soffice, [built], target, tmp_path / "legacy", tmp_path / "profile")
    rendered = render(src, len(page_list(LEGACY, bullets=False)))
    for _case, (ticked, empty, looks_ticked, looks_empty) in case_pages(LEGACY, rendered):
        assert alike(ticked, looks_ticked) and alike(empty, looks_empty) and not alike(ticked, empty)
