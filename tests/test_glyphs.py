"""One test row per glyph-table entry, plus the checkbox stage's pairing rules."""
import pytest
import yaml
from importlib import resources

from formkit.docx import glyphs
from formkit.docx.checkboxes import convert_paragraph
from formkit.docx.model import Checkbox, Image, Paragraph, Symbol, Text

_DATA = yaml.safe_load(resources.files("formkit").joinpath("data/glyphs.yaml").read_text("utf-8"))


@pytest.mark.parametrize("entry", _DATA["symbols"], ids=lambda e: f"{e['font']}-{e['code']:02X}")
def test_symbol_entry(entry: dict) -> None:
    glyph = glyphs.symbol_glyph(entry["font"], entry["code"])
    assert glyph is not None and glyph.role == entry["role"]
    # w:sym writes F0xx: the private-use form must mean the same
    assert glyphs.symbol_glyph(entry["font"].upper(), 0xF000 | entry["code"]) == glyph
    par = convert_paragraph(Paragraph((Symbol(entry["font"], entry["code"]),)))
    (item,) = par.inlines
    if entry["role"] == "bullet":
        assert isinstance(item, Symbol)
    else:
        assert isinstance(item, Checkbox)
        assert item.checked == (entry["role"] == "mark" or entry["checked"])
        assert item.font == entry["font"] and item.code == entry["code"]


@pytest.mark.parametrize("entry", _DATA["unicode"], ids=lambda e: e["char"])
def test_unicode_entry(entry: dict) -> None:
    par = convert_paragraph(Paragraph((Text(f"{entry['char']} 5"),)))
    if entry["role"] == "bullet":
        assert par.inlines == (Text(f"{entry['char']} 5"),)
        return
    box, rest = par.inlines
    assert isinstance(box, Checkbox) and box.encoding == "unicode"
    assert box.checked == (entry["role"] == "mark" or entry["checked"])
    assert rest == Text(" 5")


@pytest.mark.parametrize("mark", _DATA["typed_marks"])
def test_typed_mark_after_empty_box(mark: str) -> None:
    par = convert_paragraph(Paragraph((Symbol("Wingdings", 0x72), Text(f" {mark} แผนงาน"))))
    box = par.inlines[0]
    assert isinstance(box, Checkbox) and box.checked and box.encoding == "typed-mark"
    assert "".join(i.text for i in par.inlines if isinstance(i, Text)).strip() == "แผนงาน"


@pytest.mark.parametrize("mark", ["✓", "X", "/"])
def test_typed_mark_before_empty_box(mark: str) -> None:
    par = convert_paragraph(Paragraph((Text(f"{mark} "), Symbol("Wingdings 2", 0xA3), Text(" 5"))))
    boxes = [i for i in par.inlines if isinstance(i, Checkbox)]
    assert len(boxes) == 1 and boxes[0].checked


@pytest.mark.parametrize(
    "inlines",
    [
        (Symbol("Wingdings", 0x72), Text(" X-ray")),  # a word starting with X is not a mark
        (Symbol("Wingdings", 0x72), Text(" xray แผน")),
        (Symbol("Wingdings", 0x72), Text(" แผน X")),  # a mark far from the box
        (Symbol("Wingdings", 0x72), Image("0" * 64, "image/png", "p"), Text("✓")),
    ],
)
def test_not_a_typed_mark(inlines: tuple) -> None:
    par = convert_paragraph(Paragraph(inlines))
    box = par.inlines[0]
    assert isinstance(box, Checkbox) and not box.checked


def test_mark_between_two_boxes_ticks_the_one_before() -> None:
    par = convert_paragraph(Paragraph((Text("☐ ✓ ☐ ข"),)))
    boxes = [i for i in par.inlines if isinstance(i, Checkbox)]
    assert [b.checked for b in boxes] == [True, False]


def test_lone_mark_is_a_ticked_box() -> None:
    par = convert_paragraph(Paragraph((Text("✓ 5"),)))
    assert isinstance(par.inlines[0], Checkbox) and par.inlines[0].checked


def test_bullet_is_never_a_box() -> None:
    par = convert_paragraph(Paragraph((Symbol("Wingdings", 0x6C), Text(" เอกสารที่ต้องนำส่งในระบบ"))))
    assert not any(isinstance(i, Checkbox) for i in par.inlines)


def test_symbol_font_names_are_case_and_space_insensitive() -> None:
    assert glyphs.is_symbol_font(" wingdings  2 ")
    assert not glyphs.is_symbol_font("TH SarabunPSK")
    assert not glyphs.is_symbol_font(None)
