"""formkit.docx.reader: WordprocessingML snippets -> document model.

Every rule of the reader has a row here: a snippet built into a real .docx by
tests/docxbuild.py, opened with formkit.docx.package.open_package, read with
read_document, compared with the model values expected.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import pytest

from formkit.errors import FormkitError
from formkit.docx.story import MAX_TABLE_DEPTH

from formkit.docx.model import (
    Break,
    Cell,
    Checkbox,
    Document,
    Image,
    Inline,
    Paragraph,
    Row,
    Story,
    Symbol,
    Table,
    Text,
)
from formkit.docx.package import open_package
from formkit.docx.reader import read_document
from tests.docxbuild import RelSpec, make_docx, p, r

# --- helpers -----------------------------------------------------------------


def read(body: str, **kw: Any) -> Document:
    with open_package(make_docx(body, **kw)) as pkg:
        return read_document(pkg)


def inlines(content: str, **kw: Any) -> tuple[Inline, ...]:
    """The inlines of the one paragraph whose content is ``content``."""
    doc = read(f"<w:p>{content}</w:p>", **kw)
    assert len(doc.body) == 1, doc.body
    par = doc.body[0]
    assert isinstance(par, Paragraph)
    return par.inlines


def fld(kind: str, inner: str = "") -> str:
    return f'<w:r><w:fldChar w:fldCharType="{kind}">{inner}</w:fldChar></w:r>'


def instr(code: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve">{code}</w:instrText></w:r>'


def field(code: str, result: str) -> str:
    return fld("begin") + instr(code) + fld("separate") + result + fld("end")


def cc_box(checked: str | None, shown: str = "☒", state: str = "") -> str:
    """A Word 2010 checkbox content control showing ``shown``."""
    flag = "" if checked is None else f'<w14:checked w14:val="{checked}"/>'
    return (
        f"<w:sdt><w:sdtPr><w:id w:val=\"1\"/><w14:checkbox>{flag}{state}</w14:checkbox></w:sdtPr>"
        f"<w:sdtContent>{r(shown, font='MS Gothic')}</w:sdtContent></w:sdt>"
    )


def form_box(props: str) -> str:
    """A legacy FORMCHECKBOX field as Word writes it (no separate character)."""
    data = (
        '<w:ffData><w:name w:val="Check1"/><w:enabled/><w:calcOnExit w:val="0"/>'
        f"<w:checkBox><w:sizeAuto/>{props}</w:checkBox></w:ffData>"
    )
    return fld("begin", data) + instr(" FORMCHECKBOX ") + fld("end")


def drawing(rid: str, anchor: bool = False) -> str:
    tag = "wp:anchor" if anchor else "wp:inline"
    return (
        f'<w:r><w:drawing><{tag}><wp:extent cx="9525" cy="9525"/><wp:docPr id="1" name="Picture 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:blipFill><a:blip r:embed="{rid}"/></pic:blipFill></pic:pic>'
        f"</a:graphicData></a:graphic></{tag}></w:drawing></w:r>"
    )


def vml(rid: str, wrapper: str = "w:pict") -> str:
    return (
        f'<w:r><{wrapper}><v:shape id="_x0000_i1025" style="width:10pt;height:10pt">'
        f'<v:imagedata r:id="{rid}" o:title=""/></v:shape></{wrapper}></w:r>'
    )


def text_box(text: str) -> str:
    """A DrawingML text box with its VML fallback, as Word 2010+ writes it."""
    content = f"<w:txbxContent>{p(text)}</w:txbxContent>"
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></mc:Choice>"
        f'<mc:Fallback><w:pict><v:rect><v:textbox>{content}</v:textbox></v:rect></w:pict>'
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


def tc(text: str = "", props: str = "", blocks: str | None = None) -> str:
    inner = blocks if blocks is not None else p(text)
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{inner}</w:tc>"


def tr(*cells: str, props: str = "") -> str:
    return f"<w:tr>{f'<w:trPr>{props}</w:trPr>' if props else ''}{''.join(cells)}</w:tr>"


def tbl(*rows: str) -> str:
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid/>{"".join(rows)}</w:tbl>'


def only_table(doc: Document) -> Table:
    assert len(doc.body) == 1 and isinstance(doc.body[0], Table), doc.body
    return doc.body[0]


def cell_texts(cell: Cell) -> list[str]:
    return [b.text for b in cell.blocks if isinstance(b, Paragraph)]


PNG = b"\x89PNG\r\n\x1a\n fake picture one"
GIF = b"GIF89a fake picture two"
PNG_IMAGE = Image(hashlib.sha256(PNG).hexdigest(), "image/png", "word/media/image1.png")
GIF_IMAGE = Image(hashlib.sha256(GIF).hexdigest(), "image/gif", "word/media/image2.gif")
MEDIA: Mapping[str, bytes] = {"image1.png": PNG, "image2.gif": GIF}

# --- paragraph content: containers, revisions, fields, run content ------------

CONTENT_CASES = [
    ("run", r("ab"), (Text("ab"),)),
    ("adjacent runs merge", r("a") + r("b") + r("c"), (Text("abc"),)),
    ("hyperlink", f'<w:hyperlink r:id="rIdX">{r("link")}</w:hyperlink>', (Text("link"),)),
    ("smartTag", f'<w:smartTag w:uri="u" w:element="place">{r("Bangkok")}</w:smartTag>', (Text("Bangkok"),)),
    ("customXml", f'<w:customXml w:element="x"><w:customXmlPr/>{r("c")}</w:customXml>', (Text("c"),)),
    ("plain content control", f'<w:sdt><w:sdtPr><w:alias w:val="name"/></w:sdtPr><w:sdtContent>{r("v")}</w:sdtContent></w:sdt>', (Text("v"),)),
    ("sdt properties never text", '<w:sdt><w:sdtPr><w:placeholder><w:docPart w:val="x"/></w:placeholder></w:sdtPr><w:sdtEndPr><w:rPr/></w:sdtEndPr><w:sdtContent/></w:sdt>', ()),
    ("fldSimple result", f'<w:fldSimple w:instr=" PAGE ">{r("3")}</w:fldSimple>', (Text("3"),)),
    ("ins kept", r("a") + f'<w:ins w:id="1" w:author="x">{r("b")}</w:ins>', (Text("ab"),)),
    ("moveTo kept", f'<w:moveTo w:id="1" w:author="x">{r("m")}</w:moveTo>', (Text("m"),)),
    ("del dropped", r("a") + '<w:del w:id="1" w:author="x"><w:r><w:delText>gone</w:delText></w:r></w:del>' + r("b"), (Text("ab"),)),
    ("moveFrom dropped", f'<w:moveFrom w:id="1" w:author="x">{r("old")}</w:moveFrom>' + r("new"), (Text("new"),)),
    ("delText outside del", "<w:r><w:delText>x</w:delText></w:r>", ()),
    ("dir", f'<w:dir w:val="rtl">{r("d")}</w:dir>', (Text("d"),)),
    ("bdo", f'<w:bdo w:val="ltr">{r("b")}</w:bdo>', (Text("b"),)),
    ("ruby base only", f"<w:ruby><w:rubyPr/><w:rt>{r('top')}</w:rt><w:rubyBase>{r('base')}</w:rubyBase></w:ruby>", (Text("base"),)),
    ("AlternateContent first Choice", f'<mc:AlternateContent><mc:Choice Requires="w14">{r("new")}</mc:Choice><mc:Choice Requires="w15">{r("newer")}</mc:Choice><mc:Fallback>{r("old")}</mc:Fallback></mc:AlternateContent>', (Text("new"),)),
    ("AlternateContent Fallback alone", f"<mc:AlternateContent><mc:Fallback>{r('old')}</mc:Fallback></mc:AlternateContent>", (Text("old"),)),
    ("unknown container skipped", f"<w:foo>{r('x')}</w:foo>" + r("y"), (Text("y"),)),
    ("bookmarks and proofing skipped", '<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:proofErr w:type="spellStart"/>' + r("t") + '<w:bookmarkEnd w:id="0"/>', (Text("t"),)),
    ("field instruction dropped, result kept", r("a") + field(" REF x \\h ", r("R")) + r("b"), (Text("aRb"),)),
    ("field without result", r("a") + fld("begin") + instr(" TC x ") + fld("end") + r("b"), (Text("ab"),)),
    ("nested field in instruction", fld("begin") + instr(" IF ") + field(" DATE ", r("2024")) + instr(" = 1 ") + fld("separate") + r("yes") + fld("end"), (Text("yes"),)),
    ("nested field in result", fld("begin") + instr(" A ") + fld("separate") + r("x") + field(" B ", r("y")) + r("z") + fld("end"), (Text("xyz"),)),
    ("field through hyperlink", fld("begin") + instr(' HYPERLINK "u" ') + fld("separate") + f"<w:hyperlink>{r('site')}</w:hyperlink>" + fld("end"), (Text("site"),)),
    ("field chars in one run", '<w:r><w:fldChar w:fldCharType="begin"/><w:instrText>PAGE</w:instrText><w:fldChar w:fldCharType="separate"/><w:t>7</w:t><w:fldChar w:fldCharType="end"/></w:r>', (Text("7"),)),
    ("stray separate and end ignored", fld("separate") + r("a") + fld("end") + r("b"), (Text("ab"),)),
    ("fldChar without type ignored", fld("") + r("a"), (Text("a"),)),
    ("tab", r("a") + '<w:r><w:tab/><w:t>b</w:t></w:r>', (Text("a\tb"),)),
    ("ptab", '<w:r><w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/></w:r>', (Text("\t"),)),
    ("br", r("a") + "<w:r><w:br/></w:r>" + r("b"), (Text("a"), Break("line"), Text("b"))),
    ("br textWrapping", '<w:r><w:br w:type="textWrapping" w:clear="all"/></w:r>', (Break("line"),)),
    ("br page", '<w:r><w:br w:type="page"/></w:r>', (Break("page"),)),
    ("br column", '<w:r><w:br w:type="column"/></w:r>', (Break("column"),)),
    ("br unknown type", '<w:r><w:br w:type="nonsense"/></w:r>', (Break("line"),)),
    ("cr", "<w:r><w:t>a</w:t><w:cr/><w:t>b</w:t></w:r>", (Text("a"), Break("line"), Text("b"))),
    ("noBreakHyphen", "<w:r><w:t>e</w:t><w:noBreakHyphen/><w:t>mail</w:t></w:r>", (Text("e-mail"),)),
    ("softHyphen", "<w:r><w:t>ab</w:t><w:softHyphen/><w:t>cd</w:t></w:r>", (Text("abcd"),)),
    ("instrText never text", "<w:r><w:instrText>PAGE</w:instrText><w:delInstrText>X</w:delInstrText></w:r>", ()),
    ("empty and textless w:t", "<w:r><w:t/><w:t></w:t></w:r>" + r("x"), (Text("x"),)),
    ("hidden run dropped", r("a") + r("secret", props="<w:vanish/>") + r("b"), (Text("ab"),)),
    ("vanish off is shown", r("seen", props='<w:vanish w:val="0"/>'), (Text("seen"),)),
    ("vanish false is shown", r("seen", props='<w:vanish w:val="false"/>'), (Text("seen"),)),
    ("specVanish is not hidden", r("seen", props="<w:specVanish/>"), (Text("seen"),)),
    ("hidden field begin still opens the field", '<w:r><w:rPr><w:vanish/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>' + instr("X") + fld("separate") + r("res") + fld("end"), (Text("res"),)),
    # symbols
    ("sym F0A3", '<w:r><w:sym w:font="Wingdings 2" w:char="F0A3"/></w:r>', (Symbol("Wingdings 2", 0xA3),)),
    ("sym 00A3", '<w:r><w:sym w:font="Wingdings 2" w:char="00A3"/></w:r>', (Symbol("Wingdings 2", 0xA3),)),
    ("sym lower-case hex", '<w:r><w:sym w:font="Wingdings" w:char="f072"/></w:r>', (Symbol("Wingdings", 0x72),)),
    ("sym beside text", r("5 ") + '<w:r><w:sym w:font="Wingdings 2" w:char="F052"/></w:r>' + r(" ok"), (Text("5 "), Symbol("Wingdings 2", 0x52), Text(" ok"))),
    ("sym without char skipped", '<w:r><w:sym w:font="Wingdings"/></w:r>' + r("x"), (Text("x"),)),
    ("sym bad hex skipped", '<w:r><w:sym w:font="Wingdings" w:char="ZZ"/></w:r>', ()),
    ("sym without font", '<w:r><w:sym w:char="F0FE"/></w:r>', (Symbol("", 0xFE),)),
    ("sym of a Unicode char is text", '<w:r><w:sym w:font="MS Gothic" w:char="2612"/></w:r>', (Text("☒"),)),
    ("sym of a surrogate skipped", '<w:r><w:sym w:font="X" w:char="D800"/></w:r>', ()),
    ("Wingdings 2 run R", r("R", font="Wingdings 2"), (Symbol("Wingdings 2", 0x52),)),
    ("Wingdings 2 run, PUA char", r("\uf0a3", font="Wingdings 2"), (Symbol("Wingdings 2", 0xA3),)),
    ("Wingdings run: glyph, space and Thai", r("\uf072 เอกสาร", font="Wingdings"), (Symbol("Wingdings", 0x72), Text(" เอกสาร"))),
    ("symbol font name matched loosely", r("R", font="wingdings  2"), (Symbol("wingdings  2", 0x52),)),
    ("symbol font in hAnsi only", r("", content="<w:t>R</w:t>", props='<w:rFonts w:hAnsi="Wingdings 2"/>'), (Symbol("Wingdings 2", 0x52),)),
    ("PUA char, no font", r("\uf0a3"), (Symbol("", 0xA3),)),
    ("PUA char in a text font", r("ก\uf0fe", font="TH SarabunPSK"), (Text("ก"), Symbol("TH SarabunPSK", 0xFE))),
    ("text font letters stay text", r("R", font="TH SarabunPSK"), (Text("R"),)),
    ("symbols never merge into text", r("\uf0a3", font="Wingdings 2") + r("5") + r("\uf0a3", font="Wingdings 2"), (Symbol("Wingdings 2", 0xA3), Text("5"), Symbol("Wingdings 2", 0xA3))),
    # content-control checkboxes
    ("content control checked 1", cc_box("1", "☒"), (Checkbox(True, "content-control", "☒"),)),
    ("content control checked true", cc_box("true", "☒"), (Checkbox(True, "content-control", "☒"),)),
    ("content control unchecked 0", cc_box("0", "☐"), (Checkbox(False, "content-control", "☐"),)),
    ("content control unchecked false", cc_box("false", "☐"), (Checkbox(False, "content-control", "☐"),)),
    ("content control without w14:checked", cc_box(None, "☐"), (Checkbox(False, "content-control", "☐"),)),
    ("content control in text", r("a ") + cc_box("1") + r(" b"), (Text("a "), Checkbox(True, "content-control", "☒"), Text(" b"))),
    ("content control symbol state", cc_box("1", "R", '<w14:checkedState w14:val="0052" w14:font="Wingdings 2"/><w14:uncheckedState w14:val="00A3" w14:font="Wingdings 2"/>'), (Checkbox(True, "content-control", "☑", "Wingdings 2", 0x52),)),
    ("content control unicode state, glyph as sym", '<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="0"/><w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:sym w:font="MS Gothic" w:char="2610"/></w:r></w:sdtContent></w:sdt>', (Checkbox(False, "content-control", "☐"),)),
    # legacy form-field checkboxes
    ("FORMCHECKBOX checked, no val", form_box("<w:checked/>"), (Checkbox(True, "form-field"),)),
    ("FORMCHECKBOX checked 1", form_box('<w:checked w:val="1"/>'), (Checkbox(True, "form-field"),)),
    ("FORMCHECKBOX checked 0 beats default", form_box('<w:default w:val="1"/><w:checked w:val="0"/>'), (Checkbox(False, "form-field"),)),
    ("FORMCHECKBOX checked off", form_box('<w:checked w:val="off"/>'), (Checkbox(False, "form-field"),)),
    ("FORMCHECKBOX default only", form_box('<w:default w:val="1"/>'), (Checkbox(True, "form-field"),)),
    ("FORMCHECKBOX default false", form_box('<w:default w:val="false"/>'), (Checkbox(False, "form-field"),)),
    ("FORMCHECKBOX no state", form_box(""), (Checkbox(False, "form-field"),)),
    ("FORMCHECKBOX among text", r("x ") + form_box("<w:checked/>") + r(" y"), (Text("x "), Checkbox(True, "form-field"), Text(" y"))),
    ("FORMTEXT is no checkbox", fld("begin", '<w:ffData><w:textInput/></w:ffData>') + instr(" FORMTEXT ") + fld("separate") + r("typed") + fld("end"), (Text("typed"),)),
    ("hidden FORMCHECKBOX is not shown", form_box("<w:checked/>").replace("<w:r>", "<w:r><w:rPr><w:vanish/></w:rPr>", 1) + r("z"), (Text("z"),)),
    ("checkbox inside an instruction is not shown", fld("begin") + instr(" IF ") + form_box("<w:checked/>") + fld("end") + r("z"), (Text("z"),)),
]


@pytest.mark.parametrize(("snippet", "expected"), [c[1:] for c in CONTENT_CASES], ids=[c[0] for c in CONTENT_CASES])
def test_paragraph_content(snippet: str, expected: tuple[Inline, ...]) -> None:
    assert inlines(snippet) == expected


# --- fonts from styles ----------------------------------------------------------

STYLES = """
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="TH SarabunPSK" w:hAnsi="TH SarabunPSK" w:cs="TH SarabunPSK"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="character" w:styleId="Box"><w:rPr><w:rFonts w:ascii="Wingdings 2" w:hAnsi="Wingdings 2"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="BoxChild"><w:basedOn w:val="Box"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Plain"><w:rPr><w:i/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Boxes"><w:basedOn w:val="Normal"/><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="List"><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="ListChild"><w:basedOn w:val="List"/></w:style>
<w:style w:type="paragraph" w:styleId="LoopA"><w:basedOn w:val="LoopB"/></w:style>
<w:style w:type="paragraph" w:styleId="LoopB"><w:basedOn w:val="LoopA"/></w:style>
"""

SYMBOL_STYLES = STYLES.replace(
    '<w:name w:val="Normal"/></w:style>',
    '<w:name w:val="Normal"/><w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/></w:rPr></w:style>',
)
WINGDINGS_DEFAULTS = STYLES.replace('w:ascii="TH SarabunPSK" w:hAnsi="TH SarabunPSK"', 'w:ascii="Wingdings" w:hAnsi="Wingdings"')


def styled(text: str, rstyle: str) -> str:
    return r(text, props=f'<w:rStyle w:val="{rstyle}"/>')


FONT_CASES = [
    ("character style font", STYLES, p(styled("R", "Box")), (Symbol("Wingdings 2", 0x52),)),
    ("character style basedOn chain", STYLES, p(styled("R", "BoxChild")), (Symbol("Wingdings 2", 0x52),)),
    ("character style without font falls to paragraph style", STYLES, p(styled("v", "Plain"), style="Boxes"), (Symbol("Wingdings", 0x76),)),
    ("paragraph style font", STYLES, p(r("\uf072"), style="Boxes"), (Symbol("Wingdings", 0x72),)),
    ("run font beats styles", STYLES, p(r("R", font="TH SarabunPSK"), style="Boxes"), (Text("R"),)),
    ("run cs font alone does not stop inheritance", STYLES, p(r("R", props='<w:rFonts w:cs="TH SarabunPSK"/><w:rStyle w:val="Box"/>')), (Symbol("Wingdings 2", 0x52),)),
    ("docDefaults text font", STYLES, p(r("R")), (Text("R"),)),
    ("docDefaults symbol font", WINGDINGS_DEFAULTS, p(r("l")), (Symbol("Wingdings", 0x6C),)),
    ("default paragraph style applies without pStyle", SYMBOL_STYLES, p(r("\u00b7")), (Symbol("Symbol", 0xB7),)),
    ("unknown style ids ignored", STYLES, p(styled("R", "Nope"), style="Missing"), (Text("R"),)),
    ("basedOn loop terminates", STYLES, p(r("R"), style="LoopA"), (Text("R"),)),
]


@pytest.mark.parametrize(("styles", "body", "expected"), [c[1:] for c in FONT_CASES], ids=[c[0] for c in FONT_CASES])
def test_font_from_styles(styles: str, body: str, expected: tuple[Inline, ...]) -> None:
    doc = read(body, styles_xml=styles)
    assert isinstance(doc.body[0], Paragraph)
    assert doc.body[0].inlines == expected


def test_character_style_without_styles_part_is_text() -> None:
    assert inlines(styled("R", "Box")) == (Text("R"),)


# --- paragraphs: style, numbering, block containers ---------------------------

NUMBERING_CASES = [
    ("no numbering", p("a"), None, False),
    ("own numPr", p("a", ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr>'), None, True),
    ("numId 0 removes numbering", p("a", ppr='<w:numPr><w:numId w:val="0"/></w:numPr>'), None, False),
    ("numbering from paragraph style", p("a", style="List"), STYLES, True),
    ("numbering through basedOn", p("a", style="ListChild"), STYLES, True),
    ("own numId 0 beats style", p("a", style="List", ppr='<w:numPr><w:numId w:val="0"/></w:numPr>'), STYLES, False),
    ("ilvl alone defers to style", p("a", style="List", ppr='<w:numPr><w:ilvl w:val="1"/></w:numPr>'), STYLES, True),
]


@pytest.mark.parametrize(("body", "styles", "numbered"), [c[1:] for c in NUMBERING_CASES], ids=[c[0] for c in NUMBERING_CASES])
def test_numbering(body: str, styles: str | None, numbered: bool) -> None:
    par = read(body, styles_xml=styles).body[0]
    assert isinstance(par, Paragraph)
    assert par.numbered is numbered


def test_paragraph_style_id_is_kept() -> None:
    doc = read(p("a", style="Heading1") + p("b"))
    assert [b.style for b in doc.body if isinstance(b, Paragraph)] == ["Heading1", None]


BLOCK_CASES = [
    ("paragraphs in order", p("1") + p("2") + p("3"), ["1", "2", "3"]),
    ("empty paragraph kept", p("a") + "<w:p/>" + p("b"), ["a", "", "b"]),
    ("block content control", p("a") + f"<w:sdt><w:sdtPr/><w:sdtContent>{p('b')}{p('c')}</w:sdtContent></w:sdt>", ["a", "b", "c"]),
    ("nested block content controls", f"<w:sdt><w:sdtContent><w:sdt><w:sdtContent>{p('deep')}</w:sdtContent></w:sdt></w:sdtContent></w:sdt>", ["deep"]),
    ("block customXml", f'<w:customXml w:element="form">{p("x")}</w:customXml>', ["x"]),
    ("sectPr and markers skipped", '<w:bookmarkStart w:id="1" w:name="b"/>' + p("a") + '<w:permStart w:id="1"/><w:proofErr w:type="gramStart"/>' + p("b") + "<w:sectPr><w:pgSz w:w=\"11906\"/></w:sectPr>", ["a", "b"]),
    ("block AlternateContent", f"<mc:AlternateContent><mc:Choice Requires=\"w14\">{p('c')}</mc:Choice><mc:Fallback>{p('f')}</mc:Fallback></mc:AlternateContent>", ["c"]),
    ("block-level deletion", p("a") + f'<w:del w:id="1">{p("gone")}</w:del>', ["a"]),
    ("unknown block skipped", f"<w:foo>{p('x')}</w:foo>" + p("y"), ["y"]),
    ("field spanning paragraphs", p(fld("begin") + instr(" TOC ") + fld("separate") + r("one")) + p(r("two") + fld("end")) + p("three"), ["one", "two", "three"]),
    ("instruction spanning paragraphs", p(r("a") + fld("begin") + instr(" X ")) + p(instr(" Y ") + fld("separate") + r("r") + fld("end") + r("b")), ["a", "rb"]),
]


@pytest.mark.parametrize(("body", "texts"), [c[1:] for c in BLOCK_CASES], ids=[c[0] for c in BLOCK_CASES])
def test_blocks(body: str, texts: list[str]) -> None:
    doc = read(body)
    assert all(isinstance(b, Paragraph) for b in doc.body)
    assert [b.text for b in doc.body if isinstance(b, Paragraph)] == texts


# --- tables -------------------------------------------------------------------


def test_simple_table() -> None:
    table = only_table(read(tbl(tr(tc("a"), tc("b")), tr(tc("c"), tc("d")))))
    assert table == Table((
        Row((Cell((Paragraph((Text("a"),)),), 0), Cell((Paragraph((Text("b"),)),), 1))),
        Row((Cell((Paragraph((Text("c"),)),), 0), Cell((Paragraph((Text("d"),)),), 1))),
    ))


def test_grid_span() -> None:
    table = only_table(read(tbl(tr(tc("wide", '<w:gridSpan w:val="2"/>'), tc("x")), tr(tc("a"), tc("b"), tc("c")))))
    assert [(c.col, c.span) for c in table.rows[0].cells] == [(0, 2), (2, 1)]
    assert [(c.col, c.span) for c in table.rows[1].cells] == [(0, 1), (1, 1), (2, 1)]
    assert table.cell_at(0, 1) is table.rows[0].cells[0]


def test_vertical_merge_restart_and_continue() -> None:
    body = tbl(
        tr(tc("L5"), tc("narrative", '<w:vMerge w:val="restart"/>')),
        tr(tc("L4"), tc("", "<w:vMerge/>")),
        tr(tc("L3"), tc("stray", '<w:vMerge w:val="continue"/>')),
        tr(tc("L2"), tc("own")),
    )
    table = only_table(read(body))
    owner = table.rows[0].cells[1]
    assert (owner.col, owner.row_span, owner.merged) == (1, 3, False)
    assert [(c.col, c.row_span, c.merged) for c in (table.rows[1].cells[1], table.rows[2].cells[1])] == [(1, 1, True), (1, 1, True)]
    assert cell_texts(table.rows[2].cells[1]) == ["stray"]  # continuation keeps its blocks
    assert table.rows[3].cells[1].merged is False and table.rows[3].cells[1].row_span == 1
    assert table.cell_at(2, 1) is owner
    assert cell_texts(table.cell_at(3, 1) or Cell((), 0)) == ["own"]


def test_vertical_merge_with_spans() -> None:
    body = tbl(
        tr(tc("a"), tc("merged", '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>')),
        tr(tc("b"), tc("", '<w:gridSpan w:val="2"/><w:vMerge/>')),
    )
    table = only_table(read(body))
    assert (table.rows[0].cells[1].row_span, table.rows[1].cells[1].merged) == (2, True)
    assert table.cell_at(1, 2) is table.rows[0].cells[1]


def test_continue_without_merge_above_starts_one() -> None:
    table = only_table(read(tbl(tr(tc("top")), tr(tc("x", "<w:vMerge/>")), tr(tc("", "<w:vMerge/>")))))
    assert [(c.row_span, c.merged) for row in table.rows for c in row.cells] == [(1, False), (2, False), (1, True)]


def test_vertical_merge_broken_by_a_row_without_it() -> None:
    body = tbl(
        tr(tc("a", '<w:vMerge w:val="restart"/>')),
        tr(tc("b")),
        tr(tc("c", "<w:vMerge/>")),
    )
    table = only_table(read(body))
    assert [(c.row_span, c.merged) for row in table.rows for c in row.cells] == [(1, False), (1, False), (1, False)]


def test_vertical_merge_needs_the_row_directly_above() -> None:
    body = tbl(
        tr(tc("a"), tc("top", '<w:vMerge w:val="restart"/>')),
        tr(tc("short row")),
        tr(tc("b"), tc("", "<w:vMerge/>")),
    )
    table = only_table(read(body))
    assert (table.rows[0].cells[1].row_span, table.rows[2].cells[1].merged) == (1, False)


def test_grid_before() -> None:
    table = only_table(read(tbl(tr(tc("a"), tc("b")), tr(tc("x"), props='<w:gridBefore w:val="1"/><w:wBefore w:w="500"/>'))))
    assert [c.col for c in table.rows[1].cells] == [1]
    assert table.cell_at(1, 0) is None


def test_row_properties_after_table_exceptions() -> None:
    row = '<w:tr><w:tblPrEx><w:tblBorders/></w:tblPrEx><w:trPr><w:gridBefore w:val="2"/></w:trPr>' + tc("x") + "</w:tr>"
    assert [c.col for c in only_table(read(tbl(row))).rows[0].cells] == [2]


def test_legacy_hmerge_widens_previous_cell() -> None:
    body = tbl(tr(tc("m", '<w:hMerge w:val="restart"/>'), tc("", "<w:hMerge/>"), tc("z")))
    cells = only_table(read(body)).rows[0].cells
    assert [(c.col, c.span) for c in cells] == [(0, 2), (2, 1)]
    assert cell_texts(cells[0]) == ["m"]


def test_bad_table_properties_fall_back() -> None:
    body = tbl(tr(tc("a", '<w:gridSpan w:val="x"/><w:vMerge w:val="bogus"/>'), tc("b", '<w:gridSpan/>'), props='<w:gridBefore w:val="-3"/>'))
    cells = only_table(read(body)).rows[0].cells
    assert [(c.col, c.span) for c in cells] == [(0, 1), (1, 1)]


def test_nested_table() -> None:
    inner = tbl(tr(tc("i1"), tc("i2")))
    table = only_table(read(tbl(tr(tc(blocks=p("before") + inner + p("after")), tc("o")))))
    blocks = table.rows[0].cells[0].blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Table", "Paragraph"]
    nested = blocks[1]
    assert isinstance(nested, Table)
    assert [cell_texts(c) for c in nested.rows[0].cells] == [["i1"], ["i2"]]
    assert cell_texts(table.rows[0].cells[1]) == ["o"]


def test_rows_and_cells_wrapped_in_containers() -> None:
    body = tbl(
        f"<w:sdt><w:sdtPr/><w:sdtContent>{tr(tc('r1'))}</w:sdtContent></w:sdt>",
        f'<w:customXml w:element="row">{tr(tc("r2"))}</w:customXml>',
        tr(tc("a"), f"<w:sdt><w:sdtContent>{tc('b')}</w:sdtContent></w:sdt>", f'<w:customXml w:element="c">{tc("c")}</w:customXml>'),
        tr(tc(blocks=f"<w:sdt><w:sdtContent>{p('in cell sdt')}</w:sdtContent></w:sdt>")),
    )
    table = only_table(read(body))
    assert [[cell_texts(c) for c in row.cells] for row in table.rows] == [
        [["r1"]], [["r2"]], [["a"], ["b"], ["c"]], [["in cell sdt"]]
    ]
    assert [c.col for c in table.rows[2].cells] == [0, 1, 2]


def test_deleted_row_dropped_and_flagged() -> None:
    doc = read(tbl(tr(tc("keep")), tr(tc("gone"), props='<w:del w:id="1" w:author="x"/>'), tr(tc("also"))))
    assert [cell_texts(row.cells[0]) for row in only_table(doc).rows] == [["keep"], ["also"]]
    assert doc.tracked_changes is True


def test_cell_without_paragraph() -> None:
    table = only_table(read(tbl(tr("<w:tc><w:tcPr/></w:tc>", tc("b")))))
    assert table.rows[0].cells[0].blocks == () and table.rows[0].cells[1].col == 1


def test_paragraph_and_table_order() -> None:
    doc = read(p("before") + tbl(tr(tc("x"))) + p("after"))
    assert [type(b).__name__ for b in doc.body] == ["Paragraph", "Table", "Paragraph"]


# --- images -------------------------------------------------------------------

IMAGE_CASES = [
    ("DrawingML inline", drawing("rId_image1"), (PNG_IMAGE,)),
    ("DrawingML anchor", drawing("rId_image2", anchor=True), (GIF_IMAGE,)),
    ("VML pict", vml("rId_image2"), (GIF_IMAGE,)),
    ("VML object", vml("rId_image1", "w:object"), (PNG_IMAGE,)),
    ("image among text", r("a") + drawing("rId_image1") + r("b"), (Text("a"), PNG_IMAGE, Text("b"))),
    ("DrawingML choice, VML fallback read once", f'<w:r><mc:AlternateContent><mc:Choice Requires="wps">{drawing("rId_image1")[5:-6]}</mc:Choice><mc:Fallback>{vml("rId_image1")[5:-6]}</mc:Fallback></mc:AlternateContent></w:r>', (PNG_IMAGE,)),
    ("unknown rel id skipped", drawing("rIdNope") + r("x"), (Text("x"),)),
    ("blip without embed skipped", '<w:r><w:drawing><wp:inline><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:link="rIdExt"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>', ()),
    ("external target skipped", drawing("rIdExt"), ()),
    ("missing target skipped", drawing("rIdMissing"), ()),
    ("image inside hidden run dropped", r(props="<w:vanish/>", content=drawing("rId_image1")[5:-6]), ()),
]

IMAGE_RELS = [
    RelSpec("rIdExt", "image", "http://example.com/pic.png", external=True),
    RelSpec("rIdMissing", "image", "media/nowhere.png"),
]


@pytest.mark.parametrize(("snippet", "expected"), [c[1:] for c in IMAGE_CASES], ids=[c[0] for c in IMAGE_CASES])
def test_images(snippet: str, expected: tuple[Inline, ...]) -> None:
    assert inlines(snippet, media=MEDIA, extra_rels=IMAGE_RELS) == expected


def test_same_picture_is_read_once() -> None:
    data = make_docx(p(drawing("rId_image1")) + p(vml("rId_image1")) + p(drawing("rIdAgain")),
                     media=MEDIA, extra_rels=[RelSpec("rIdAgain", "image", "media/image1.png")])
    with open_package(data) as pkg:
        reads: list[str] = []
        original = pkg.read

        def counting_read(part: str) -> bytes:
            reads.append(part)
            return original(part)

        pkg.read = counting_read  # type: ignore[method-assign]
        doc = read_document(pkg)
    assert [b.inlines for b in doc.body if isinstance(b, Paragraph)] == [(PNG_IMAGE,)] * 3
    assert reads.count("word/media/image1.png") == 1


# --- text boxes ---------------------------------------------------------------


def test_text_box_follows_its_paragraph_once() -> None:
    doc = read(p(r("anchor "), text_box("in box")) + p("next"))
    assert [b.text for b in doc.body if isinstance(b, Paragraph)] == ["anchor ", "in box", "next"]


def test_vml_only_text_box() -> None:
    box = f"<w:r><w:pict><v:shape><v:textbox><w:txbxContent>{p('a')}{p('b')}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    doc = read(p(box))
    assert [b.text for b in doc.body if isinstance(b, Paragraph)] == ["", "a", "b"]


def test_text_box_in_a_cell_stays_in_the_cell() -> None:
    table = only_table(read(tbl(tr(tc(blocks=p(text_box("boxed")))))))
    assert cell_texts(table.rows[0].cells[0]) == ["", "boxed"]


def test_text_box_is_its_own_field_story() -> None:
    # An open field result in the anchor paragraph neither hides nor swallows the box.
    body = p(fld("begin") + instr(" X ") + fld("separate") + r("res") + text_box("box")) + p(r("more") + fld("end"))
    doc = read(body)
    assert [b.text for b in doc.body if isinstance(b, Paragraph)] == ["res", "box", "more"]


def test_text_box_field_does_not_leak_into_the_body() -> None:
    unbalanced = text_box("x").replace(p("x"), p(r("in"), fld("begin"), instr(" X ")))
    # The body's field stays open (in its result) across the anchor paragraph.
    body = p(fld("begin"), instr(" A "), fld("separate"), r("res"), unbalanced) + p(r("more"), fld("end")) + p("after")
    doc = read(body)
    assert [b.text for b in doc.body if isinstance(b, Paragraph)] == ["res", "in", "more", "after"]


def test_picture_in_a_text_box_belongs_to_the_box() -> None:
    boxed = text_box("x").replace(p("x"), p(drawing("rId_image1")))
    doc = read(p(r("anchor"), boxed), media=MEDIA)
    assert [b.inlines for b in doc.body if isinstance(b, Paragraph)] == [(Text("anchor"),), (PNG_IMAGE,)]


def test_text_box_with_checkbox_symbol() -> None:
    box = text_box("x").replace(p("x"), p(r("\uf0a3", font="Wingdings 2"), r(" ระดับ 5")))
    doc = read(p(box))
    assert isinstance(doc.body[1], Paragraph)
    assert doc.body[1].inlines == (Symbol("Wingdings 2", 0xA3), Text(" ระดับ 5"))


# --- headers and footers ------------------------------------------------------


def test_header_and_footer_text() -> None:
    doc = read(p("body"), headers={"header1.xml": p("head"), "footer1.xml": p("foot")})
    assert doc.headers == (Story("default", (Paragraph((Text("head"),)),)),)
    assert doc.footers == (Story("default", (Paragraph((Text("foot"),)),)),)
    assert [b.text for b in doc.body if isinstance(b, Paragraph)] == ["body"]


def test_header_types_and_shared_parts() -> None:
    sections = (
        p("s1", ppr='<w:sectPr><w:headerReference w:type="first" r:id="rId_header1"/>'
                    '<w:headerReference w:type="even" r:id="rId_header2"/></w:sectPr>')
        + p("s2")
        + '<w:sectPr><w:headerReference r:id="rId_header1"/><w:footerReference w:type="default" r:id="rId_footer1"/>'
        '<w:headerReference w:type="default" r:id="rIdNone"/></w:sectPr>'
    )
    doc = read(sections, headers={"header1.xml": p("first"), "header2.xml": p("even"), "footer1.xml": p("f")})
    assert [(s.kind, [b.text for b in s.blocks if isinstance(b, Paragraph)]) for s in doc.headers] == [
        ("first", ["first"]), ("even", ["even"])
    ]
    assert [s.kind for s in doc.footers] == ["default"]


def test_header_reference_to_a_non_header_part_is_skipped() -> None:
    section = '<w:sectPr><w:headerReference w:type="default" r:id="rId_image1"/><w:footerReference r:id="rIdWeb"/></w:sectPr>'
    doc = read(p("b") + section, media=MEDIA, extra_rels=[RelSpec("rIdWeb", "footer", "http://example.com/f.xml", True)])
    assert (doc.headers, doc.footers) == ((), ())


def test_header_image_resolves_through_header_rels() -> None:
    doc = read(p("b"), headers={"header1.xml": p(drawing("rId_image2"))}, media=MEDIA)
    assert doc.headers[0].blocks == (Paragraph((GIF_IMAGE,)),)


def test_header_table_and_fields() -> None:
    header = tbl(tr(tc(blocks=p(r("page "), field(" PAGE ", r("1"))))))
    doc = read(p("b"), headers={"header1.xml": header})
    nested = doc.headers[0].blocks[0]
    assert isinstance(nested, Table) and cell_texts(nested.rows[0].cells[0]) == ["page 1"]


# --- document facts: revisions and comments -----------------------------------

TRACKED_CASES = [
    ("plain", p("a"), {}, False),
    ("insertion", p(f'<w:ins w:id="1" w:author="a">{r("x")}</w:ins>'), {}, True),
    ("deletion", p('<w:del w:id="1" w:author="a"><w:r><w:delText>x</w:delText></w:r></w:del>'), {}, True),
    ("moveFrom", p(f'<w:moveFrom w:id="1">{r("x")}</w:moveFrom>'), {}, True),
    ("moveTo", p(f'<w:moveTo w:id="1">{r("x")}</w:moveTo>'), {}, True),
    ("inserted paragraph mark", p("a", ppr='<w:rPr><w:ins w:id="1" w:author="a"/></w:rPr>'), {}, True),
    ("deleted paragraph mark", p("a", ppr='<w:rPr><w:del w:id="1" w:author="a"/></w:rPr>'), {}, True),
    ("inserted row", tbl(tr(tc("a"), props='<w:ins w:id="1" w:author="a"/>')), {}, True),
    ("in a header only", p("a"), {"header1.xml": p(f'<w:ins w:id="1">{r("x")}</w:ins>')}, True),
    ("in a table cell", tbl(tr(tc(blocks=p('<w:del w:id="1"><w:r><w:delText>x</w:delText></w:r></w:del>')))), {}, True),
]


@pytest.mark.parametrize(("body", "headers", "tracked"), [c[1:] for c in TRACKED_CASES], ids=[c[0] for c in TRACKED_CASES])
def test_tracked_changes(body: str, headers: dict[str, str], tracked: bool) -> None:
    assert read(body, headers=headers).tracked_changes is tracked


def comment(cid: str, text: str) -> str:
    return (f'<w:commentRangeStart w:id="{cid}"/>{r(text)}<w:commentRangeEnd w:id="{cid}"/>'
            f'<w:r><w:commentReference w:id="{cid}"/></w:r>')


COMMENT_CASES = [
    ("none", p("a"), 0),
    ("range and reference are one comment", p(comment("0", "a")), 1),
    ("two comments", p(comment("0", "a")) + p(comment("1", "b")), 2),
    ("reference alone", p(r("a"), '<w:r><w:commentReference w:id="5"/></w:r>'), 1),
    ("range spanning paragraphs", '<w:commentRangeStart w:id="3"/>' + p("a") + p(r("b"), '<w:commentRangeEnd w:id="3"/><w:r><w:commentReference w:id="3"/></w:r>'), 1),
    ("comment in a cell", tbl(tr(tc(blocks=p(comment("9", "c"))))), 1),
    ("reference without id", p('<w:r><w:commentReference/></w:r>'), 1),
    ("reference in a hidden run", p(r(props="<w:vanish/>", content='<w:commentReference w:id="2"/>')), 1),
]


@pytest.mark.parametrize(("body", "count"), [c[1:] for c in COMMENT_CASES], ids=[c[0] for c in COMMENT_CASES])
def test_comments(body: str, count: int) -> None:
    assert read(body).comments == count


def test_comment_text_stays_in_body() -> None:
    assert [b.text for b in read(p(comment("0", "note"))).body if isinstance(b, Paragraph)] == ["note"]


# --- robustness ---------------------------------------------------------------


def test_empty_body() -> None:
    assert read("") == Document(body=())


def test_document_without_body() -> None:
    bare = '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    with open_package(make_docx("", parts={"word/document.xml": bare})) as pkg:
        assert read_document(pkg) == Document(body=())


def test_deep_nesting_does_not_recurse() -> None:
    # 2 XML levels per content control: 2000 levels, past Python's recursion
    # limit, within libxml2's (2048 with huge_tree).
    depth = 1000
    body = "<w:sdt><w:sdtContent>" * depth + p("deep") + "</w:sdtContent></w:sdt>" * depth
    doc = read(body)
    assert [b.text for b in doc.body if isinstance(b, Paragraph)] == ["deep"]


def test_tables_nested_beyond_any_form_are_refused() -> None:
    body = p("x")
    for _ in range(MAX_TABLE_DEPTH + 1):
        body = tbl(tr(tc(blocks=body)))
    with pytest.raises(FormkitError) as err:
        read(body)
    assert err.value.code == "too-large"


def test_deeply_nested_tables() -> None:
    depth = MAX_TABLE_DEPTH
    body = p("x")
    for _ in range(depth):
        body = tbl(tr(tc(blocks=body)))
    block = read(body).body[0]
    for _ in range(depth):
        assert isinstance(block, Table)
        block = block.rows[0].cells[0].blocks[0]
    assert isinstance(block, Paragraph) and block.text == "x"


def test_missing_attributes_never_crash() -> None:
    body = p(
        "<w:r><w:sym/><w:br w:type=\"\"/><w:fldChar/></w:r>",
        '<w:hyperlink/><w:sdt/><w:sdt><w:sdtPr><w14:checkbox/></w:sdtPr></w:sdt>',
        "<mc:AlternateContent/>",
        "<w:r><w:drawing><wp:inline><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>",
        '<w:r><w:pict><v:shape><v:imagedata/></v:shape></w:pict></w:r>',
        r("end"),
        ppr="<w:pStyle/><w:numPr/>",
    ) + tbl("<w:tr><w:trPr><w:gridBefore/></w:trPr><w:tc><w:tcPr><w:gridSpan/><w:vMerge/><w:hMerge/></w:tcPr></w:tc></w:tr>")
    doc = read(body)
    par = doc.body[0]
    assert isinstance(par, Paragraph)
    assert par.inlines == (Break("line"), Checkbox(False, "content-control"), Text("end"))
    assert par.style is None and par.numbered is False
    table = doc.body[1]
    assert isinstance(table, Table)
    assert [(c.col, c.span, c.merged) for c in table.rows[0].cells] == [(0, 1, False)]


def test_comments_and_processing_instructions_skipped() -> None:
    assert inlines("<!-- note --><?pi x?>" + "<w:r><!-- c --><w:t>a</w:t></w:r>") == (Text("a"),)


def test_unbalanced_field_hides_only_its_story() -> None:
    doc = read(p(r("a") + fld("begin") + instr(" BROKEN ")) + p("hidden"), headers={"header1.xml": p("head")})
    assert [b.text for b in doc.body if isinstance(b, Paragraph)] == ["a", ""]
    assert doc.headers[0].blocks == (Paragraph((Text("head"),)),)


def test_form_row_as_the_office_returns_it() -> None:
    """A quality-level row of esao-1-2 with level 4 ticked the Thai office way."""
    levels = "".join(
        tr(tc(blocks=p(r(box, font="Wingdings 2"), r(f" {n}"))), tc(f"ระดับ {n}"))
        for n, box in ((5, "\uf0a3"), (4, "R"), (3, "\uf0a3"))
    )
    table = only_table(read(tbl(levels)))
    first_cells = [row.cells[0].blocks[0] for row in table.rows]
    assert [par.inlines for par in first_cells if isinstance(par, Paragraph)] == [
        (Symbol("Wingdings 2", 0xA3), Text(" 5")),
        (Symbol("Wingdings 2", 0x52), Text(" 4")),
        (Symbol("Wingdings 2", 0xA3), Text(" 3")),
    ]
