"""Rebuild the two original ESAO self-assessment Word forms as .docx files.

What it makes
    forms/esao-1-2/original.docx  Standard 1, indicator 2 ("developing into a
                                  learning organisation")
    forms/esao-3-1/original.docx  Standard 3, indicator 1 ("works that show
                                  success"), with its best-practice attachment
    forms/<id>/original.sha256    "<hex>  original.docx", so a test can tell
                                  when the committed file was re-saved by hand

Why
    formkit fills and parses these forms, so it needs the blank originals as
    the offices receive them. They survive only as plain-text extractions (the
    seed files 000_e9340bea64336ab3.txt and 003_51fffb9f9655a985.txt). This
    script rebuilds them from that text as raw WordprocessingML, in the house
    style of a Thai government form: TH SarabunPSK 16 pt everywhere (also as
    the complex-script font and size, since Thai is complex-script text in
    Word), A4 portrait, the checkboxes and bullet as w:sym glyphs, dotted
    blanks as typed periods, and the quality table with its narrative and
    evidence cells merged down the five level rows.

    The output is byte-for-byte deterministic (fixed XML, fixed zip member
    order, fixed zip timestamps, fixed docProps dates), so running the script
    again reproduces the committed files exactly.

How the text maps to WordprocessingML
    Each seed line is one paragraph. Inside a text part, "\\t" becomes <w:tab/>
    (a seed body line that starts with a tab) and "\\n" becomes a soft line
    break <w:br/> (only used where an evidence-box label wraps, so the box and
    its whole label stay one paragraph). Glyphs are Sym parts, each emitted in
    its own run. The "[bookmark: _GoBack]" of the seed is dropped.

Usage
    python samples/tools/build_originals.py            # writes into forms/
    python samples/tools/build_originals.py --out DIR  # writes DIR/<id>/...
"""
from __future__ import annotations

import argparse
import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

# --------------------------------------------------------------------------
# House style and page geometry
# --------------------------------------------------------------------------

FONT = "TH SarabunPSK"
SIZE = "32"  # half-points: 16 pt
PAGE_W, PAGE_H = 11906, 16838  # A4 portrait, twips
MARGIN = {"top": 1134, "right": 1134, "bottom": 1134, "left": 1440}
TEXT_W = PAGE_W - MARGIN["left"] - MARGIN["right"]  # 9332 twips
INDENT = 720  # first-line indent of body prose, twips
FIXED_DATE = "2022-01-01T00:00:00Z"  # docProps dates (B.E. 2565 forms)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Sym:
    """A symbol-font glyph, stored by Word as <w:sym w:font=.. w:char=..>."""

    font: str
    char: str


LEVEL_BOX = Sym("Wingdings 2", "F0A3")  # empty box before each quality level
DOC_BOX = Sym("Wingdings", "F072")  # shadowed box before each evidence item
BULLET = Sym("Wingdings", "F06C")  # black circle; a bullet, never a box

Part = str | Sym


@dataclass(frozen=True)
class Para:
    """One paragraph: text parts and glyphs, plus its few layout switches."""

    parts: tuple[Part, ...] = ()
    bold: bool = False
    jc: str | None = None  # "center", "right", "thaiDistribute"
    indent: bool = False  # first-line indent (prose without a typed tab)
    page_break: bool = False  # w:pageBreakBefore


def P(*parts: Part, **layout: object) -> Para:
    """Shorthand: ``P("text", bold=True)``."""
    return Para(tuple(parts), **layout)  # type: ignore[arg-type]


def H(text: str) -> Para:
    """A bold heading line."""
    return P(text, bold=True)


def J(*parts: Part, indent: bool = False) -> Para:
    """A justified prose paragraph (Thai distributed)."""
    return P(*parts, jc="thaiDistribute", indent=indent)


def C(*parts: Part, bold: bool = False) -> Para:
    """A centered paragraph."""
    return P(*parts, jc="center", bold=bold)


EMPTY = P()


def dots(n: int) -> str:
    """A dotted blank of ``n`` typed periods, as long as in the seed."""
    return "." * n


@dataclass(frozen=True)
class QualityTable:
    """The 4-column quality table: header row, then levels 5..1.

    ``levels`` holds the description paragraphs of each level, 5 first. The
    narrative and evidence cells sit in the level-5 row and are merged down
    through the four rows below.
    """

    widths: tuple[int, int, int, int]
    header: tuple[tuple[str, ...], ...]
    levels: tuple[tuple[Para, ...], ...]
    narrative: tuple[Para, ...]
    evidence: tuple[Para, ...]


Block = Para | QualityTable


@dataclass(frozen=True)
class Form:
    form_id: str
    title: str  # docProps title
    body: tuple[Block, ...] = field(default_factory=tuple)


# --------------------------------------------------------------------------
# esao-1-2: Standard 1, indicator 2 (seed 000_e9340bea64336ab3.txt)
# --------------------------------------------------------------------------

_LEVELS_1_2 = tuple(
    (P("1. มีการดำเนินการ ครบทั้ง 4 ประเด็น และ"), P(second))
    for second in (
        "2. มีความชัดเจน ครบทั้ง 4 ประเด็น",
        "2. มีความชัดเจน 3 ประเด็น",
        "2. มีความชัดเจน 2 ประเด็น",
        "2. มีความชัดเจน 1 ประเด็น",
    )
) + (
    (
        P("1. มีการดำเนินการไม่ครบทุกประเด็น หรือ"),
        P("2. มีการดำเนินการครบทั้ง 4 ประเด็น และ"),
        P("ไม่ชัดเจนทุกประเด็น"),
    ),
)

TABLE_1_2 = QualityTable(
    # Sums to TEXT_W. 1300 keeps "คุณภาพ" whole in the level column; the
    # evidence column is widest of the three text columns so the box labels
    # do not break mid-word.
    widths=(1300, 2700, 2600, 2732),
    header=(
        ("ระดับคุณภาพ",),
        ("คำอธิบายระดับคุณภาพ",),
        ("กระบวนการ วิธีการดำเนินงาน ปัญหา อุปสรรค ", "และข้อเสนอแนะเพื่อการพัฒนา"),
        ("เอกสาร/หลักฐานอ้างอิง",),
    ),
    levels=_LEVELS_1_2,
    narrative=(
        P(
            "1.  กระบวนการ วิธีการดำเนินงานเกี่ยวกับการพัฒนาสู่องค์การแห่งการเรียนรู้ "
            "ของสำนักงานเขตพื้นที่การศึกษา (ตามประเด็นในแนวทางการพิจารณา)"
        ),
        P(dots(126)),
        P("2.  ปัญหา อุปสรรค "),
        P(dots(126)),
        P("3.  ข้อเสนอแนะเพื่อการพัฒนา"),
        P(dots(126)),
        EMPTY,
    ),
    evidence=(
        P(BULLET, " ", "เอกสารที่ต้องนำส่งในระบบ"),
        P(DOC_BOX, " ", "แผนปฏิบัติการประจำปีงบประมาณ \nพ.ศ. 2565"),
        P(DOC_BOX, " ", "แผนการจัดการความรู้ประจำปีงบประมาณ พ.ศ. 2565"),
        P(DOC_BOX, " ", "รายงานสรุปผลการดำเนินงานจัดการความรู้ ประจำปีงบประมาณ พ.ศ. 2565"),
        P(DOC_BOX, " ", "หลักฐานอื่น ๆ ที่เกี่ยวข้อง (ถ้ามี) โปรดระบุ (เช่น โครงการ/กิจกรรม)"),
        P("1. " + dots(68)),
        P("2. " + dots(68)),
        P("ฯลฯ"),
    ),
)

ESAO_1_2 = Form(
    form_id="esao-1-2",
    title="มาตรฐานที่ 1 ตัวบ่งชี้ที่ 2 การพัฒนาสู่องค์การแห่งการเรียนรู้",
    body=(
        H(" มาตรฐานที่ 1 การบริหารจัดการองค์การสู่ความเป็นเลิศ "),
        J(
            "การบริหารจัดการองค์การสู่ความเป็นเลิศ หมายถึง การดำเนินงานของสำนักงานเขตพื้นที่การศึกษา"
            "เพื่อให้บรรลุตามเป้าหมาย โดยมุ่งเน้นหลักการสร้างและพัฒนากระบวนการบริหารจัดการที่ดี "
            "ยึดหลักธรรมาภิบาลอย่างเป็นรูปธรรม ด้วยการพัฒนาให้เป็นองค์การแห่งการเรียนรู้ "
            "การกระจายอำนาจและการเปิดโอกาสให้ผู้ที่มีส่วนเกี่ยวข้อง "
            "ได้มีส่วนร่วมในการบริหารและจัดการศึกษาขั้นพื้นฐานไปสู่เป้าหมาย",
            indent=True,
        ),
        H("ตัวบ่งชี้ที่ 2 การพัฒนาสู่องค์การแห่งการเรียนรู้"),
        J(
            "\tการพัฒนาสู่องค์การแห่งการเรียนรู้ หมายถึง สำนักงานเขตพื้นที่การศึกษามีกระบวนการ "
            "พัฒนาคน พัฒนางาน เป็นองค์การแห่งการเรียนรู้สมัยใหม่ (Modern Learning Organization) "
            "ที่ทันต่อการเปลี่ยนแปลงเพื่อพัฒนาองค์การ โดยการส่งเสริมให้เกิดการจัดการความรู้ "
            "เพื่อทำให้บุคลากร มีความรู้ มีความสามารถในการคิดเชิงระบบ "
            "สามารถรับรู้และปรับเปลี่ยนกรอบความคิด "
            "มีการบริหารองค์การที่มุ่งสร้างบรรยากาศในการสร้างจิตสำนึกให้บุคลากรเกิดการพัฒนาตนเอง "
            "พัฒนางาน และพัฒนาองค์การ "
        ),
        J("มีการเรียนรู้ร่วมกันเป็นทีมสู่เป้าหมายความสำเร็จที่ต้องการ"),
        H("แนวทางการพิจารณา"),
        J(
            "พิจารณาจาก กระบวนการดำเนินงานส่งเสริมให้เกิดการจัดการความรู้ที่สอดคล้องกับความต้องการ "
            "ความจำเป็นของบุคลากรและองค์กร อย่างเป็นระบบ ชัดเจน ต่อเนื่อง และมีประสิทธิภาพ "
            "รวมทั้งเอกสารร่องรอยประกอบมีความชัดเจนตรงตามสภาพจริง โดยพิจารณา ดังนี้",
            indent=True,
        ),
        J(
            "1) มีการส่งเสริมให้บุคลากรทุกคน มีความกระตือรือร้นในการศึกษา ค้นหาความรู้ "
            "มีความคิดเชิงระบบ มีความสามารถรับรู้ เรียนรู้ และนำไปใช้ ก้าวทันการเปลี่ยนแปลง ",
            indent=True,
        ),
        J(
            "2) มีการส่งเสริมให้เกิดการจัดการความรู้ (Knowledge Management : KM) "
            "และมีการสร้างชุมชนการเรียนรู้ทางวิชาชีพ (Professional Learning Community : PLC) "
            "ระดับกลุ่ม ระดับองค์การ และระหว่างระดับองค์การ จากนั้น "
            "มีการสรุปองค์ความรู้ที่ได้จากการทำ KM/PLC อย่างชัดเจน พร้อมทั้ง "
            "นำผลการดำเนินงานที่ได้จากการทำ KM/PLC ไปใช้ในการพัฒนาองค์การ",
            indent=True,
        ),
        J(
            "\t3) มีการส่งเสริม สนับสนุนให้มีแหล่งเรียนรู้ ด้วยรูปแบบและวิธีการที่หลากหลาย "
            "เพื่อให้บุคลากรมีโอกาสได้เรียนรู้ตามบริบทของเขตพื้นที่การศึกษา และมีการใช้"
        ),
        J("แหล่งเรียนรู้อย่างต่อเนื่อง"),
        J(
            "\t4) มีการนำกระบวนการวิจัย หรือเทคนิคการวิจัยมาประยุกต์ใช้เพื่อการพัฒนาตนเอง "
            "พัฒนางานภายในกลุ่ม พัฒนางานระหว่างกลุ่ม และภายในองค์กร "
        ),
        EMPTY,
        EMPTY,
        H("ระดับคุณภาพ"),
        TABLE_1_2,
        EMPTY,
        H("หมายเหตุ : "),
        J(
            "1. ความชัดเจน พิจารณาจากแนวทางการพิจารณาของตัวบ่งชี้"
            "ที่สอดคล้องและมีรายละเอียดที่สะท้อนถึงการปฏิบัติจริง"
        ),
        J(
            "2. รายละเอียดตัวบ่งชี้ท่านสามารถศึกษาได้เพิ่มเติมจาก"
            "มาตรฐานสำนักงานเขตพื้นที่การศึกษา พ.ศ. 2560 "
        ),
    ),
)

# --------------------------------------------------------------------------
# esao-3-1: Standard 3, indicator 1 (seed 003_51fffb9f9655a985.txt)
# --------------------------------------------------------------------------

_LEVEL_3_1_LEAD = (
    P("สำนักงานเขตพื้นที่การศึกษามีผลงานที่แสดงให้เห็น"),
    P("ถึงผลการดำเนินงานที่บรรลุเป้าหมาย ประสบความสำเร็จตามภารกิจ แสดงถึงประสิทธิภาพ"),
    P("ในการบริหารจัดการและเป็นแบบอย่างได้"),
)

TABLE_3_1 = QualityTable(
    # Here the description column carries the long text (four lines per level)
    # while the merged cells hold only a few short lines.
    widths=(1300, 4100, 2132, 1800),
    header=(
        ("ระดับคุณภาพ",),
        ("คำอธิบายระดับคุณภาพ",),
        ("ผลการดำเนินงาน วิธีการดำเนินงาน ปัญหาอุปสรรค", "และข้อเสนอแนะเพื่อการพัฒนา"),
        ("เอกสาร/หลักฐานอ้างอิง",),
    ),
    levels=tuple(
        _LEVEL_3_1_LEAD + (P(f"อย่างน้อย {n} ชิ้นงาน {n} กลุ่ม/หน่วย/ศูนย์"),)
        for n in (5, 4, 3, 2)
    )
    + (
        _LEVEL_3_1_LEAD
        + (
            P("น้อยกว่า 2 ชิ้นงาน 2 กลุ่ม/หน่วย/ศูนย์ หรือ"),
            P("ขาดความชัดเจนในแนวทางการดำเนินงาน"),
        ),
    ),
    narrative=(
        C("รายละเอียดของผลงานหรือชิ้นงานที่เสนอตามแบบที่กำหนด"),
        C("(ผลงานปีงบประมาณ พ.ศ. 2563 - 2564)"),
        C("- รายละเอียดการกรอกข้อมูลดังเอกสารแนบ \u2013"),
    ),
    evidence=(
        # The seed shows no glyph before this label (unlike esao-1-2).
        P("เอกสารที่ต้องนำส่งในระบบ"),
        P(
            DOC_BOX,
            " ",
            "รายละเอียดของผลงาน\nหรือชิ้นงานที่เสนอตามแบบ\nที่กำหนด (ผลงานปีงบประมาณ \nพ.ศ. 2563 - 2564)",
        ),
    ),
)

_ATTACHMENT_3_1 = (
    P(" เอกสารแนบ", bold=True, jc="right", page_break=True),
    C("ผลงาน Best Practice ประจำปีงบประมาณ พ.ศ. 2563 - 2564", bold=True),
    H("ผลงานชิ้นที่ 1"),
    P("ชื่อผลงาน" + dots(163)),
    P("กลุ่ม" + dots(172)),
    H("ความเป็นมา"),
    H(" วิธีการดำเนินงาน/กระบวนการ "),
    P(dots(550)),
    H("รูปแบบ/เทคนิค ที่ทำให้เกิดความสำเร็จ"),
    P(dots(372)),
    EMPTY,
    H("ผลสำเร็จ"),
    P("เชิงปริมาณ"),
    P(dots(550)),
    P("เชิงคุณภาพ"),
    H(" ปัจจัยส่งผลให้เกิดความสำเร็จ"),
    P(dots(550)),
    H("การเผยแพร่/ประชาสัมพันธ์/หน่วยงานที่มาศึกษาดูงาน"),
    P(dots(550)),
    H("ตัวอย่างภาพกิจกรรม (อย่างน้อย 4 ภาพกิจกรรม)"),
    P(" "),  # the seed ends on a paragraph holding one space
)

ESAO_3_1 = Form(
    form_id="esao-3-1",
    title="มาตรฐานที่ 3 ตัวบ่งชี้ที่ 1 สำนักงานเขตพื้นที่การศึกษามีผลงานที่แสดงความสำเร็จและเป็นแบบอย่างได้",
    body=(
        H(" มาตรฐานที่ 3 สัมฤทธิผลการบริหารและการจัดการศึกษา"),
        H("ตัวบ่งชี้ที่ 1 สำนักงานเขตพื้นที่การศึกษามีผลงานที่แสดงความสำเร็จและเป็นแบบอย่างได้"),
        J(
            "ประเด็นการพิจารณา : ผลงานหรือผลการดำเนินงานของกลุ่ม/หน่วย "
            "ในสำนักงานเขตพื้นที่การศึกษาที่บรรลุเป้าหมายประสบความสำเร็จ ตามภารกิจของแต่ละกลุ่ม "
            "ทั้งนี้เป็นผลงานที่เกิดจากการดำเนินงานภายในสำนักงานเขตพื้นที่การศึกษา "
            "ที่เกิดประโยชน์ต่อการศึกษาและสถานศึกษา "
            "เพิ่มประสิทธิภาพในการบริหารจัดการทั้งภายในสำนักงานเขตพื้นที่การศึกษาและสถานศึกษา "
            "จนเกิดประสิทธิภาพเป็นที่ยอมรับและสามารถยึดเป็นแบบอย่างได้ ",
            indent=True,
        ),
        TABLE_3_1,
        EMPTY,
        P("\t"),
        P("\tหมายเหตุ : ", bold=True),
        J(
            "\t1) ผลงานการดำเนินงานของกลุ่ม/หน่วย/ศูนย์ ที่บรรลุเป้าหมาย "
            "เป็นผลสำเร็จเกิดประสิทธิภาพอย่างมาก หรือมีวิธีการ เทคนิค "
            "ทำให้เกิดโมเดลหรือรูปแบบที่บ่งบอกความเป็นเขต/อัตลักษณ์"
            "และสามารถขับเคลื่อนภารกิจได้อย่างยอดเยี่ยม (Best Practice)"
        ),
        J(
            "\t2) ผลงานหรือชิ้นงานที่เคยนำเสนอตามตัวบ่งชี้ในครั้งที่ผ่านมา "
            "สามารถนำมาเสนอเพื่อพิจารณาอีกครั้งได้ "
            "แต่ควรสะท้อนให้เห็นความแตกต่างและการพัฒนาต่อยอดจากเดิม"
        ),
        J(
            "\t3) ผลงานหรือชิ้นงานที่เคยนำเสนอตามตัวบ่งชี้ในครั้งที่ผ่านมา ซึ่งไม่ผ่านการพิจารณา "
            "สามารถนำมาเสนอเพื่อพิจารณาอีกครั้งได้ แต่ควรเสนอให้เห็นขั้นตอนการดำเนินงาน"
        ),
        J("ที่ชัดเจน สามารถนำไปขยายผลต่อได้"),
    )
    + _ATTACHMENT_3_1,
)

FORMS = (ESAO_1_2, ESAO_3_1)

# --------------------------------------------------------------------------
# XML helpers
# --------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
W_NSMAP = {"w": W_NS, "r": R_NS}
REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT_BASE = "application/vnd.openxmlformats-officedocument."


def _qn(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{W_NSMAP[prefix]}}}{local}"


def w(tag: str, attrs: dict[str, object] | None = None, *children: etree._Element) -> etree._Element:
    """A w: element; attribute names are prefixed ("w:val", "r:id")."""
    el = etree.Element(_qn(tag))
    for name, value in (attrs or {}).items():
        el.set(_qn(name), str(value))
    el.extend(children)
    return el


def sub(parent: etree._Element, tag: str, attrs: dict[str, object] | None = None) -> etree._Element:
    el = w(tag, attrs)
    parent.append(el)
    return el


XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def serialize(root: etree._Element) -> bytes:
    """UTF-8 XML with the declaration Word itself writes."""
    body: bytes = etree.tostring(root, encoding="UTF-8")
    return XML_DECLARATION + body


# --------------------------------------------------------------------------
# Runs, paragraphs, tables
# --------------------------------------------------------------------------


def run_props(bold: bool = False) -> etree._Element:
    """rPr in schema order: rFonts, b, bCs, sz, szCs."""
    rpr = w("w:rPr")
    sub(rpr, "w:rFonts", {"w:ascii": FONT, "w:hAnsi": FONT, "w:cs": FONT})
    if bold:
        sub(rpr, "w:b")
        sub(rpr, "w:bCs")
    sub(rpr, "w:sz", {"w:val": SIZE})
    sub(rpr, "w:szCs", {"w:val": SIZE})
    return rpr


def text_run(text: str, bold: bool) -> etree._Element:
    """One run; "\\t" becomes <w:tab/>, "\\n" a soft break <w:br/>."""
    run = w("w:r", None, run_props(bold))
    chunk = ""
    for ch in text + "\0":
        if ch in "\t\n\0":
            if chunk:
                sub(run, "w:t").text = chunk
                if chunk != chunk.strip() or "  " in chunk:
                    run[-1].set(XML_SPACE, "preserve")
            chunk = ""
            if ch != "\0":
                sub(run, "w:tab" if ch == "\t" else "w:br")
        else:
            chunk += ch
    return run


def sym_run(sym: Sym, bold: bool) -> etree._Element:
    run = w("w:r", None, run_props(bold))
    sub(run, "w:sym", {"w:font": sym.font, "w:char": sym.char})
    return run


def paragraph(para: Para) -> etree._Element:
    """pPr (pageBreakBefore, ind, jc, rPr of the mark), then the runs."""
    ppr = w("w:pPr")
    if para.page_break:
        sub(ppr, "w:pageBreakBefore")
    if para.indent:
        sub(ppr, "w:ind", {"w:firstLine": INDENT})
    if para.jc:
        sub(ppr, "w:jc", {"w:val": para.jc})
    ppr.append(run_props(para.bold))
    p = w("w:p", None, ppr)
    for part in para.parts:
        p.append(sym_run(part, para.bold) if isinstance(part, Sym) else text_run(part, para.bold))
    return p


def cell(width: int, paras: tuple[Para, ...], vmerge: str | None = None,
         valign: str | None = None) -> etree._Element:
    """A table cell; vmerge is "restart", "continue" or None."""
    tcpr = w("w:tcPr", None, w("w:tcW", {"w:w": width, "w:type": "dxa"}))
    if vmerge == "restart":
        sub(tcpr, "w:vMerge", {"w:val": "restart"})
    elif vmerge == "continue":
        sub(tcpr, "w:vMerge")
    if valign:
        sub(tcpr, "w:vAlign", {"w:val": valign})
    tc = w("w:tc", None, tcpr)
    tc.extend(paragraph(p) for p in (paras or (EMPTY,)))
    return tc


def borders() -> etree._Element:
    """tblBorders: a single 1/2 pt line on every edge and between cells."""
    el = w("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        sub(el, f"w:{edge}", {"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "auto"})
    return el


def table_props() -> etree._Element:
    """tblPr: style, width, borders on every edge, fixed layout, look."""
    return w(
        "w:tblPr", None,
        w("w:tblStyle", {"w:val": "TableGrid"}),
        w("w:tblW", {"w:w": TEXT_W, "w:type": "dxa"}),
        borders(),
        w("w:tblLayout", {"w:type": "fixed"}),
        w("w:tblLook", {"w:val": "04A0", "w:firstRow": 1, "w:lastRow": 0, "w:firstColumn": 1,
                        "w:lastColumn": 0, "w:noHBand": 0, "w:noVBand": 1}),
    )


def header_row(qt: QualityTable) -> etree._Element:
    tr = w("w:tr", None, w("w:trPr", None, w("w:tblHeader")))
    for width, lines in zip(qt.widths, qt.header):
        tr.append(cell(width, tuple(C(line, bold=True) for line in lines), valign="center"))
    return tr


def level_row(qt: QualityTable, index: int) -> etree._Element:
    """Row for level 5 - index: box + digit, description, merged cells.

    cantSplit keeps a level's box, digit and description on one page (at
    16 pt a level row can fill a third of the page; split rows left the box
    on one page and its digit on the next).
    """
    merge = "restart" if index == 0 else "continue"
    first = index == 0
    tr = w("w:tr", None, w("w:trPr", None, w("w:cantSplit")))
    tr.append(cell(qt.widths[0], (C(LEVEL_BOX), C(str(5 - index)))))
    tr.append(cell(qt.widths[1], qt.levels[index]))
    tr.append(cell(qt.widths[2], qt.narrative if first else (), vmerge=merge))
    tr.append(cell(qt.widths[3], qt.evidence if first else (), vmerge=merge))
    return tr


def table(qt: QualityTable) -> etree._Element:
    grid = w("w:tblGrid", None, *(w("w:gridCol", {"w:w": x}) for x in qt.widths))
    tbl = w("w:tbl", None, table_props(), grid, header_row(qt))
    tbl.extend(level_row(qt, i) for i in range(len(qt.levels)))
    return tbl


def section_props() -> etree._Element:
    return w(
        "w:sectPr", None,
        w("w:headerReference", {"w:type": "default", "r:id": "rId4"}),
        w("w:pgSz", {"w:w": PAGE_W, "w:h": PAGE_H}),
        w("w:pgMar", {**{f"w:{k}": v for k, v in MARGIN.items()},
                      "w:header": 709, "w:footer": 709, "w:gutter": 0}),
        w("w:cols", {"w:space": 708}),
        w("w:docGrid", {"w:linePitch": 360}),
    )


def document_xml(form: Form) -> bytes:
    body = w("w:body")
    for block in form.body:
        body.append(table(block) if isinstance(block, QualityTable) else paragraph(block))
    body.append(section_props())
    doc = etree.Element(_qn("w:document"), nsmap=W_NSMAP)
    doc.append(body)
    return serialize(doc)


# --------------------------------------------------------------------------
# The other package parts
# --------------------------------------------------------------------------


def header_xml() -> bytes:
    """The default header: one empty paragraph in the house font."""
    hdr = etree.Element(_qn("w:hdr"), nsmap=W_NSMAP)
    hdr.append(paragraph(EMPTY))
    return serialize(hdr)


def styles_xml() -> bytes:
    """docDefaults (house font, 16 pt, Thai bidi language), Normal, tables."""
    styles = etree.Element(_qn("w:styles"), nsmap=W_NSMAP)
    rpr = run_props()
    sub(rpr, "w:lang", {"w:val": "en-US", "w:bidi": "th-TH"})
    spacing = w("w:spacing", {"w:after": 0, "w:line": 240, "w:lineRule": "auto"})
    styles.append(w("w:docDefaults", None,
                    w("w:rPrDefault", None, rpr),
                    w("w:pPrDefault", None, w("w:pPr", None, spacing))))
    styles.append(w("w:style", {"w:type": "paragraph", "w:default": 1, "w:styleId": "Normal"},
                    w("w:name", {"w:val": "Normal"}), w("w:qFormat")))
    styles.append(_table_style("TableNormal", "Normal Table", default=True))
    styles.append(_table_style("TableGrid", "Table Grid", default=False))
    return serialize(styles)


def _table_style(style_id: str, name: str, default: bool) -> etree._Element:
    """TableNormal (the default: no borders) or TableGrid (single borders)."""
    attrs: dict[str, object] = {"w:type": "table", "w:default": 1} if default else {"w:type": "table"}
    style = w("w:style", {**attrs, "w:styleId": style_id}, w("w:name", {"w:val": name}))
    if not default:
        sub(style, "w:basedOn", {"w:val": "TableNormal"})
    sub(style, "w:uiPriority", {"w:val": 99 if default else 59})
    tblpr = sub(style, "w:tblPr")
    sub(tblpr, "w:tblInd", {"w:w": 0, "w:type": "dxa"})
    if not default:
        tblpr.append(borders())
    mar = sub(tblpr, "w:tblCellMar")
    for edge, width in (("top", 0), ("left", 108), ("bottom", 0), ("right", 108)):
        sub(mar, f"w:{edge}", {"w:w": width, "w:type": "dxa"})
    return style


def settings_xml() -> bytes:
    settings = etree.Element(_qn("w:settings"), nsmap=W_NSMAP)
    sub(settings, "w:zoom", {"w:percent": 100})
    sub(settings, "w:defaultTabStop", {"w:val": 720})
    sub(settings, "w:characterSpacingControl", {"w:val": "doNotCompress"})
    compat = sub(settings, "w:compat")
    sub(compat, "w:compatSetting", {"w:name": "compatibilityMode",
                                     "w:uri": "http://schemas.microsoft.com/office/word",
                                     "w:val": 15})
    sub(settings, "w:themeFontLang", {"w:val": "en-US", "w:bidi": "th-TH"})
    sub(settings, "w:decimalSymbol", {"w:val": "."})
    sub(settings, "w:listSeparator", {"w:val": ","})
    return serialize(settings)


# name, panose, charset, family, usb0, usb1, csb0
FONT_TABLE = (
    (FONT, "020B0500040200020003", "00", "swiss", "A100006F", "5000205A", "00010183"),
    ("Wingdings", "05000000000000000000", "02", "auto", "00000000", "10000000", "80000000"),
    ("Wingdings 2", "05020102010507070707", "02", "roman", "00000000", "10000000", "80000000"),
)


def font_table_xml() -> bytes:
    fonts = etree.Element(_qn("w:fonts"), nsmap=W_NSMAP)
    for name, panose, charset, family, usb0, usb1, csb0 in FONT_TABLE:
        font = sub(fonts, "w:font", {"w:name": name})
        sub(font, "w:panose1", {"w:val": panose})
        sub(font, "w:charset", {"w:val": charset})
        sub(font, "w:family", {"w:val": family})
        sub(font, "w:pitch", {"w:val": "variable"})
        sub(font, "w:sig", {"w:usb0": usb0, "w:usb1": usb1, "w:usb2": "00000000",
                            "w:usb3": "00000000", "w:csb0": csb0, "w:csb1": "00000000"})
    return serialize(fonts)


def content_types_xml() -> bytes:
    types = etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
    for ext, ctype in (("rels", "application/vnd.openxmlformats-package.relationships+xml"),
                       ("xml", "application/xml")):
        etree.SubElement(types, f"{{{CT_NS}}}Default", Extension=ext, ContentType=ctype)
    wml = CT_BASE + "wordprocessingml."
    for part, ctype in (
        ("/word/document.xml", wml + "document.main+xml"),
        ("/word/styles.xml", wml + "styles+xml"),
        ("/word/settings.xml", wml + "settings+xml"),
        ("/word/fontTable.xml", wml + "fontTable+xml"),
        ("/word/header1.xml", wml + "header+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", CT_BASE + "extended-properties+xml"),
    ):
        etree.SubElement(types, f"{{{CT_NS}}}Override", PartName=part, ContentType=ctype)
    return serialize(types)


def rels_xml(rels: tuple[tuple[str, str, str], ...]) -> bytes:
    root = etree.Element(f"{{{PR_NS}}}Relationships", nsmap={None: PR_NS})
    for rid, rtype, target in rels:
        etree.SubElement(root, f"{{{PR_NS}}}Relationship", Id=rid, Type=rtype, Target=target)
    return serialize(root)


PACKAGE_RELS = (
    ("rId1", REL_BASE + "officeDocument", "word/document.xml"),
    ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
     "docProps/core.xml"),
    ("rId3", REL_BASE + "extended-properties", "docProps/app.xml"),
)
DOCUMENT_RELS = (
    ("rId1", REL_BASE + "styles", "styles.xml"),
    ("rId2", REL_BASE + "settings", "settings.xml"),
    ("rId3", REL_BASE + "fontTable", "fontTable.xml"),
    ("rId4", REL_BASE + "header", "header1.xml"),
)


def core_xml(form: Form) -> bytes:
    cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    dc, dcterms = "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/"
    xsi = "http://www.w3.org/2001/XMLSchema-instance"
    root = etree.Element(f"{{{cp}}}coreProperties",
                         nsmap={"cp": cp, "dc": dc, "dcterms": dcterms, "xsi": xsi})
    for tag, text in ((f"{{{dc}}}title", form.title), (f"{{{dc}}}creator", "formkit"),
                      (f"{{{cp}}}lastModifiedBy", "formkit"), (f"{{{cp}}}revision", "1")):
        etree.SubElement(root, tag).text = text
    for tag in ("created", "modified"):
        el = etree.SubElement(root, f"{{{dcterms}}}{tag}", {f"{{{xsi}}}type": "dcterms:W3CDTF"})
        el.text = FIXED_DATE
    return serialize(root)


def app_xml() -> bytes:
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns})
    for tag, text in (("Template", "Normal.dotm"), ("Application", "formkit build_originals"),
                      ("DocSecurity", "0")):
        etree.SubElement(root, f"{{{ns}}}{tag}").text = text
    return serialize(root)


# --------------------------------------------------------------------------
# Package and command line
# --------------------------------------------------------------------------


def package(form: Form) -> list[tuple[str, bytes]]:
    """The zip members, in their fixed order."""
    return [
        ("[Content_Types].xml", content_types_xml()),
        ("_rels/.rels", rels_xml(PACKAGE_RELS)),
        ("word/document.xml", document_xml(form)),
        ("word/_rels/document.xml.rels", rels_xml(DOCUMENT_RELS)),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", settings_xml()),
        ("word/fontTable.xml", font_table_xml()),
        ("word/header1.xml", header_xml()),
        ("docProps/core.xml", core_xml(form)),
        ("docProps/app.xml", app_xml()),
    ]


def write_docx(path: Path, members: list[tuple[str, bytes]]) -> bytes:
    """Write the zip deterministically and return its bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, data, compresslevel=9)
    return path.read_bytes()


def build(out_dir: Path) -> dict[str, str]:
    """Write every form under ``out_dir``; return form id -> SHA-256."""
    digests = {}
    for form in FORMS:
        target = out_dir / form.form_id / "original.docx"
        digest = hashlib.sha256(write_docx(target, package(form))).hexdigest()
        (target.parent / "original.sha256").write_text(f"{digest}  original.docx\n", "ascii")
        digests[form.form_id] = digest
    return digests


def main(argv: list[str] | None = None) -> int:
    default_out = Path(__file__).resolve().parents[2] / "forms"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=default_out,
                        help="directory to write <form id>/original.docx into (default: forms/)")
    args = parser.parse_args(argv)
    for form_id, digest in build(args.out).items():
        print(f"{digest}  {args.out / form_id / 'original.docx'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
