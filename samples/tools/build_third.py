"""Build a third form, esao-1-3, in the XML style Microsoft Word 2016+ saves.

What it makes
    samples/learn/esao-1-3/original.docx  "มาตรฐานที่ 1 ตัวบ่งชี้ที่ 3 การบริหารจัดการ
                                          ด้วยเทคโนโลยีดิจิทัล" (managing with digital
                                          technology): a report form with a reporter
                                          block, inline system boxes, a 3-column
                                          quality table, numbered and underscore
                                          blanks, and a repeated innovation block
    samples/learn/esao-1-3/original.sha256

Why
    formkit is about to draft form definitions from any Word original; that
    must be tried on a form nobody tuned formkit on, saved the way Word saves
    rather than the tidy XML of build_originals.py. THE WORDING IS FORMKIT'S
    OWN TEST FORM in the style of the ESAO indicator forms, NOT AN OFFICIAL
    TEXT: no such indicator is published with this text.

    What makes it "Word's XML": the full Word 2016 namespace set with
    mc:Ignorable, w14:paraId/textId and w:rsidR/w:rsidRPr/w:rsidP/w:rsidRDefault
    on paragraphs, rows and runs, the session rsids in settings.xml, text cut
    into runs where the rsid changes and around w:proofErr spellStart/spellEnd,
    w:lang w:bidi="th-TH", a _GoBack bookmark, headings bold by their paragraph
    style (heading 1) not by the run, docDefaults in TH SarabunPSK 16 pt,
    w:tab between two label/blank pairs on one line, fontTable, settings,
    webSettings and the Word-style docProps. Every run still names the
    complex-script font and size (w:rFonts/@w:cs, w:szCs): Thai needs them.
    The parts around document.xml come from word_parts.py beside this file.

    The shapes differ from the shipped forms on purpose: four boxes inline in
    one paragraph, level cells holding box and digit in one paragraph ("❒ 1"),
    levels in ascending order, one results cell merged down all level rows,
    underscore blanks, a page break run instead of pageBreakBefore, no page
    header part. The output is deterministic (fixed text, order and dates).

Usage
    python samples/tools/build_third.py            # writes samples/learn/esao-1-3/
    python samples/tools/build_third.py --out DIR  # writes DIR/esao-1-3/
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_originals import FONT, MARGIN, PAGE_H, PAGE_W, SIZE, TEXT_W, write_docx
from word_parts import ALL_NS, DECL, RSID_ROOT, RSIDS, package

FORM_ID = "esao-1-3"
TITLE = "มาตรฐานที่ 1 ตัวบ่งชี้ที่ 3 การบริหารจัดการด้วยเทคโนโลยีดิจิทัล"
DATE = "2023-01-09T02:15:00Z"  # docProps dates (B.E. 2566 form)
BOX = ("Wingdings 2", "F0A3")  # the empty box of the ESAO level column

# -- content ---------------------------------------------------------------
# In a paragraph's text: "|" starts a run of the next rsid (Word cuts
# runs where the editing session changes), "[" and "]" are w:proofErr
# spellStart/spellEnd (a run cut on each), "\t" a w:tab, "☐" the Wingdings 2
# box as a w:sym, "\f" a page break run, "^" the _GoBack bookmark.

@dataclass(frozen=True)
class P:
    text: str = ""
    style: str | None = None  # "Heading1": bold from the style
    jc: str | None = None
    indent: bool = False
    tab: int | None = None  # a left tab stop (twips)
    lang: bool = False  # runs carry <w:lang w:bidi="th-TH"/>
    bold: bool = False  # run bold (table header cells only)


def dots(n: int) -> str:
    return "." * n


H = "Heading1"
SYSTEMS = ("ระบบสารบรรณ[อิเล็กทรอนิกส์]", "ระบบประชุม|ออนไลน์", "ระบบสารสนเทศเพื่อการบริหาร", "อื่น ๆ")
CRITERIA = (
    "มีการใช้ระบบ[ดิจิทัล]ในการบริหารจัดการอย่างน้อย 1 ระบบ",
    "มีการใช้ระบบ[ดิจิทัล]ในการบริหารจัดการอย่างน้อย 2 ระบบ",
    "มีการใช้ระบบ[ดิจิทัล]อย่างน้อย 3 ระบบ |และมีการประเมินผลการใช้งาน",
    "มีการใช้ระบบ[ดิจิทัล]อย่างน้อย 3 ระบบ มีการประเมินผล |และนำผลไปปรับปรุงระบบ",
    "มีการใช้ระบบ[ดิจิทัล]อย่างน้อย 4 ระบบ |มีการปรับปรุงต่อเนื่อง และเป็นแบบอย่างได้",
)
WIDTHS = (1418, 3969, TEXT_W - 1418 - 3969)

BEFORE_TABLE = (
    P("มาตรฐานที่ 1 การบริหาร|จัดการองค์การสู่ความเป็นเลิศ", H),
    P("ตัวบ่งชี้ที่ 3 การบริหารจัดการด้วย|เทคโนโลยี[ดิจิทัล]", H),
    P("การบริหารจัดการด้วยเทคโนโลยี[ดิจิทัล] หมายถึง สำนักงานเขตพื้นที่การศึกษานำเทคโนโลยี[ดิจิทัล]"
      "มาใช้ในการบริหารงาน |การสื่อสาร และการให้บริการ เพื่อให้การดำเนินงานมีความรวดเร็ว ถูกต้อง "
      "|โปร่งใส และตรวจสอบได้ ทั้งภายในสำนักงานและกับสถานศึกษาในสังกัด", jc="thaiDistribute",
      indent=True, lang=True),
    P("แบบรายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. |2566", H, jc="center"),
    P("ข้อมูลผู้รายงาน", H),
    P("ชื่อผู้รายงาน |" + dots(34) + "\tตำแหน่ง |" + dots(30), tab=4820),
    P("โทรศัพท์ |" + dots(40) + "\t|E-mail " + dots(34), tab=4820),
    P("ระบบ[ดิจิทัล]ที่สำนักงานใช้ (เลือกได้มากกว่า 1 ข้อ)", H),
    P("  ".join(f"☐ {label}" for label in SYSTEMS), lang=True),
    P(),
)
HEADER_ROW = ("ระดับคุณภาพ", "เกณฑ์การพิจารณา", "ผลการดำเนินงาน")
RESULTS_CELL = (P("สรุปผลการดำเนินงาน"),) + tuple(P(dots(46)) for _ in range(4))
AFTER_TABLE = (
    P(),
    P("โครงการ/กิจกรรมที่ดำเนินการ", H),
    *(P(f"{n}. |" + dots(110)) for n in (1, 2, 3)),
    P("ปัญหา อุปสรรค", H),
    P("_" * 54),
    P("_" * 54),
    P("ข้อเสนอแนะ", H),
    P(dots(114)),
    P(dots(114)),
    P("\f^"),
    P("เอกสารแนบ", H, jc="right"),
    P("[นวัตกรรม]ชิ้นที่ 1", H),
    P("ชื่อ[นวัตกรรม] " + dots(96)),
    P("ผู้รับผิดชอบ |" + dots(98)),
    P("รายละเอียดโดยย่อ", H),
    *(P(dots(114)) for _ in range(3)),
    P("ภาพประกอบ (อย่างน้อย 2 ภาพ)", H),
    P(),
)


# -- document.xml ----------------------------------------------------------

class Writer:
    """Emits paragraphs with Word's ids: w14:paraId counts up, rsids cycle."""

    def __init__(self) -> None:
        self.paras = 0
        self.turn = 0

    def para_attrs(self) -> str:
        self.paras += 1
        para_id = f"{0x1B2C0000 + self.paras * 0x2F1:08X}"
        rsid = RSIDS[self.paras % 3]
        return (f' w14:paraId="{para_id}" w14:textId="77777777" w:rsidR="{rsid}"'
                f' w:rsidRDefault="{RSID_ROOT}" w:rsidP="{RSIDS[3 if self.paras % 4 else 4]}"')

    def next_rsid(self) -> str:
        self.turn += 1
        return RSIDS[self.turn % len(RSIDS)]


def rpr(p: P, symbol: bool = False) -> str:
    fonts = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>'
    bold = "<w:b/><w:bCs/>" if p.bold and not symbol else ""
    lang = '<w:lang w:bidi="th-TH"/>' if p.lang and not symbol else ""
    return f'<w:rPr>{fonts}{bold}<w:sz w:val="{SIZE}"/><w:szCs w:val="{SIZE}"/>{lang}</w:rPr>'


def runs(p: P, w: Writer) -> str:
    """The runs of ``p``, cut Word's way at each mark (see "Content" above)."""
    marks = {"[": '<w:proofErr w:type="spellStart"/>', "]": '<w:proofErr w:type="spellEnd"/>', "|": "",
             "\t": f"<w:r>{rpr(p)}<w:tab/></w:r>", "\f": f'<w:r>{rpr(p)}<w:br w:type="page"/></w:r>',
             "☐": f'<w:r>{rpr(p, True)}<w:sym w:font="{BOX[0]}" w:char="{BOX[1]}"/></w:r>',
             "^": '<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>'}
    out: list[str] = []
    rsid = ""
    for piece in re.split("([][|\t\f☐^])", p.text):
        if piece in marks:
            out.append(marks[piece])
            rsid = w.next_rsid() if piece == "|" else rsid
        elif piece:
            space = ' xml:space="preserve"' if piece != piece.strip() else ""
            attr = f' w:rsidRPr="{rsid}"' if rsid else ""
            out.append(f"<w:r{attr}>{rpr(p)}<w:t{space}>{escape(piece)}</w:t></w:r>")
    return "".join(out)


def paragraph(p: P, w: Writer) -> str:
    ppr = f'<w:pStyle w:val="{p.style}"/>' if p.style else ""
    if p.tab is not None:
        ppr += f'<w:tabs><w:tab w:val="left" w:pos="{p.tab}"/></w:tabs>'
    if p.indent:
        ppr += '<w:ind w:firstLine="720"/>'
    if p.jc:
        ppr += f'<w:jc w:val="{p.jc}"/>'
    ppr += rpr(p)
    return f"<w:p{w.para_attrs()}><w:pPr>{ppr}</w:pPr>{runs(p, w)}</w:p>"


def cell(width: int, paras: tuple[P, ...], w: Writer, merge: str | None = None) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if merge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        props += "<w:vMerge/>"
    body = "".join(paragraph(p, w) for p in paras or (P(),))
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


def quality_table(w: Writer) -> str:
    grid = "".join(f'<w:gridCol w:w="{x}"/>' for x in WIDTHS)
    props = ('<w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
             '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0"'
             ' w:noHBand="0" w:noVBand="1"/></w:tblPr>')
    rows = []
    head = "".join(cell(x, (P(t, jc="center", bold=True),), w) for x, t in zip(WIDTHS, HEADER_ROW))
    rows.append(_row(w, "<w:trPr><w:tblHeader/></w:trPr>" + head))
    for level in range(1, 6):
        cells = cell(WIDTHS[0], (P(f"☐ {level}", jc="center"),), w)
        cells += cell(WIDTHS[1], (P(CRITERIA[level - 1], lang=True),), w)
        first = level == 1
        cells += cell(WIDTHS[2], RESULTS_CELL if first else (), w, "restart" if first else "continue")
        rows.append(_row(w, "<w:trPr><w:cantSplit/></w:trPr>" + cells))
    return f"<w:tbl>{props}<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def _row(w: Writer, content: str) -> str:
    w.paras += 1
    return (f'<w:tr w:rsidR="{RSIDS[1]}" w:rsidTr="{RSIDS[2]}"'
            f' w14:paraId="{0x2C3D0000 + w.paras * 0x1D7:08X}" w14:textId="77777777">{content}</w:tr>')


def document_xml() -> str:
    w = Writer()
    body = "".join(paragraph(p, w) for p in BEFORE_TABLE)
    body += quality_table(w)
    body += "".join(paragraph(p, w) for p in AFTER_TABLE)
    margins = " ".join(f'w:{k}="{v}"' for k, v in MARGIN.items())
    sect = (f'<w:sectPr w:rsidR="{RSIDS[0]}" w:rsidSect="{RSID_ROOT}"><w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
            f'<w:pgMar {margins} w:header="709" w:footer="709" w:gutter="0"/>'
            '<w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>')
    return f"{DECL}<w:document {ALL_NS}><w:body>{body}{sect}</w:body></w:document>"


def build(out_dir: Path) -> str:
    """Write ``out_dir/esao-1-3/original.docx`` and its .sha256; return the digest."""
    target = out_dir / FORM_ID / "original.docx"
    digest = hashlib.sha256(write_docx(target, package(document_xml(), TITLE, DATE))).hexdigest()
    (target.parent / "original.sha256").write_text(f"{digest}  original.docx\n", "ascii")
    return digest


def main(argv: list[str] | None = None) -> int:
    default_out = Path(__file__).resolve().parents[1] / "learn"
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=default_out,
                        help="directory to write esao-1-3/original.docx into (default: samples/learn/)")
    args = parser.parse_args(argv)
    print(f"{build(args.out)}  {args.out / FORM_ID / 'original.docx'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
