"""Blank forms "from other hands", generated: the corpus ``formkit learn``
is measured on.

Each form is made the way a Word user makes one, from a seed: a title, then
a few of the usual parts in a random order and wording: "Label: ......"
lines (dots, underscores, a full-width colon, a tab to a dotted leader), a
label | answer table, a grid (a header row over empty rows), a date blank,
a signature block, a check-box list, a nested table, a text box, sections
that repeat their labels ("Name" under "Applicant" and under "Guarantor"),
a table of sums with "+" and "=" cells, a label | answer | label | answer
table, comment lines, numbered lines, a box "Other (please specify) ....",
an instruction line, blanks of underlined spaces, a page header that prints
the form's number. English, Chinese, Slovak and Thai;
.docx, .dotx, and a .doc made by LibreOffice from one of them.

    python3 tests/otherforms.py [DIR]     # build the corpus, learn and check each form, print the pass rate
"""
from __future__ import annotations

import random
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.append(str(Path(__file__).resolve().parent.parent))

from tests.docxbuild import make_docx, p, r  # noqa: E402

BOLD = "<w:b/><w:bCs/>"

WORDS: dict[str, dict[str, list[str] | str]] = {
    "en": {
        "titles": ["Application Form", "Request for Leave", "Membership Registration", "Incident Report",
                   "Equipment Loan Request", "Course Enrolment Form"],
        "labels": ["Full name", "Address", "Telephone", "E-mail", "Department", "Employee number",
                   "Date of birth", "Nationality", "Reason for request", "Project title", "Postcode",
                   "Company", "Supervisor"],
        "grid": ["No.", "Item", "Quantity", "Unit price", "Remarks", "Description", "Hours"],
        "boxes_q": ["Type of request:", "Payment method:", "Status:"],
        "boxes": ["Yes", "No", "New", "Renewal", "Cash", "Card", "Other"],
        "sections": ["Applicant", "Guarantor", "Emergency contact"],
        "repeat": ["Name", "Phone"],
        "sign": ["Signature", "Name", "Position", "Date"],
        "date": "Date",
        "colon": ":",
        "comments": ["Comments", "Remarks", "Description of the incident", "Additional information"],
        "goals": ["Objectives", "Expected outcomes", "Items requested"],
        "other": "Other (please specify)",
        "note": "Please complete all fields in block capitals and return the form to the office.",
        "header": "Form HR-12 rev. 2024",
    },
    "zh": {
        "titles": ["申请表", "请假申请单", "会员登记表", "设备借用单"],
        "labels": ["姓名", "地址", "电话", "电子邮件", "部门", "工号", "出生日期", "国籍", "申请理由", "项目名称"],
        "grid": ["序号", "项目", "数量", "单价", "备注"],
        "boxes_q": ["申请类型：", "付款方式："],
        "boxes": ["是", "否", "新办", "续办", "现金", "其他"],
        "sections": ["申请人", "担保人"],
        "repeat": ["姓名", "电话"],
        "sign": ["签名", "姓名", "职务", "日期"],
        "date": "日期",
        "colon": "：",
        "comments": ["备注", "情况说明", "其他说明"],
        "goals": ["工作目标", "预期成果"],
        "other": "其他（请注明）",
        "note": "请用正楷填写，并交回办公室。",
        "header": "表格编号 A-03",
    },
    "sk": {
        "titles": ["Žiadosť o dovolenku", "Prihláška na kurz", "Registračný formulár", "Hlásenie udalosti"],
        "labels": ["Meno a priezvisko", "Adresa", "Telefón", "E-mail", "Oddelenie", "Osobné číslo",
                   "Dátum narodenia", "Štátna príslušnosť", "Dôvod žiadosti", "Názov projektu"],
        "grid": ["P. č.", "Položka", "Množstvo", "Cena", "Poznámka"],
        "boxes_q": ["Typ žiadosti:", "Spôsob platby:"],
        "boxes": ["Áno", "Nie", "Nová", "Obnovenie", "Hotovosť", "Karta"],
        "sections": ["Žiadateľ", "Ručiteľ"],
        "repeat": ["Meno", "Telefón"],
        "sign": ["Podpis", "Meno", "Funkcia", "Dátum"],
        "date": "Dátum",
        "colon": ":",
        "comments": ["Poznámky", "Popis udalosti", "Doplňujúce informácie"],
        "goals": ["Ciele", "Očakávané výsledky"],
        "other": "Iné (uveďte)",
        "note": "Vyplňte paličkovým písmom a odovzdajte na sekretariáte.",
        "header": "Tlačivo č. 7/2024",
    },
    "th": {
        "titles": ["แบบคำขออนุญาตไปราชการ", "แบบรายงานผลการดำเนินงาน", "แบบขอยืมพัสดุ", "ใบสมัครเข้ารับการอบรม"],
        "labels": ["ชื่อ-สกุล", "ตำแหน่ง", "สังกัด", "โทรศัพท์", "ที่อยู่", "อีเมล", "เรื่อง", "เหตุผลความจำเป็น",
                   "ชื่อโครงการ", "หน่วยงาน"],
        "grid": ["ที่", "รายการ", "จำนวน", "ราคา", "หมายเหตุ"],
        "boxes_q": ["ประเภทคำขอ", "สถานะ"],
        "boxes": ["เคย", "ไม่เคย", "ข้าราชการ", "ลูกจ้าง", "อื่น ๆ"],
        "sections": ["ผู้ขอ", "ผู้รับรอง"],
        "repeat": ["ชื่อ", "โทรศัพท์"],
        "sign": ["ลงชื่อ", "", "ตำแหน่ง", "วันที่"],
        "date": "วันที่",
        "colon": "",
        "comments": ["ความคิดเห็น", "รายละเอียดเพิ่มเติม", "ปัญหาและอุปสรรค"],
        "goals": ["วัตถุประสงค์", "ผลที่คาดว่าจะได้รับ"],
        "other": "อื่น ๆ (โปรดระบุ)",
        "note": "โปรดกรอกข้อมูลให้ครบถ้วนและส่งคืนที่งานธุรการ",
        "header": "แบบ สพท. 01",
    },
}


def _blank(rng: random.Random) -> str:
    return rng.choice(["." * rng.randint(20, 50), "_" * rng.randint(15, 30), "…" * rng.randint(10, 20)])


def _cell(*paras: str, width: int = 3000) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{"".join(paras) or p()}</w:tc>'


def _table(rows: list[list[str]]) -> str:
    border = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                     for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    body = "".join(f"<w:tr>{''.join(row)}</w:tr>" for row in rows)
    return f"<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblBorders>{border}</w:tblBorders></w:tblPr>{body}</w:tbl>"


@dataclass
class Maker:
    """One form being made: its language's words, the random source and the body."""

    lang: str
    rng: random.Random
    body: list[str]

    def w(self, key: str) -> list[str]:
        value = WORDS[self.lang][key]
        assert isinstance(value, list)
        return value

    def s(self, key: str) -> str:
        value = WORDS[self.lang][key]
        assert isinstance(value, str)
        return value

    def labels(self, n: int) -> list[str]:
        return self.rng.sample(self.w("labels"), min(n, len(self.w("labels"))))

    # ---- parts of a form -------------------------------------------------------------
    def colon_lines(self) -> None:
        colon = self.s("colon")
        for label in self.labels(self.rng.randint(2, 4)):
            style = self.rng.random()
            if style < 0.2 and self.lang != "th":
                tabs = '<w:tabs><w:tab w:val="left" w:leader="dot" w:pos="8500"/></w:tabs>'
                self.body.append(p(f"{label}{colon} ", r(content="<w:tab/>"), ppr=tabs))
            elif style < 0.35 and self.lang in ("en", "sk"):
                self.body.append(p(f"{label}\uff1a{_blank(self.rng)}"))
            else:
                self.body.append(p(f"{label}{colon} {_blank(self.rng)}"))

    def pair_line(self) -> None:
        a, b = self.labels(2)
        colon = self.s("colon")
        self.body.append(p(f"{a}{colon} {_blank(self.rng)} {b}{colon} {_blank(self.rng)}"))

    def label_table(self) -> None:
        rows = [[_cell(p(label)), _cell(width=6000)] for label in self.labels(self.rng.randint(2, 4))]
        self.body.append(_table(rows))
        self.body.append(p())

    def grid(self) -> None:
        heads = self.rng.sample(self.w("grid"), self.rng.randint(3, 4))
        rows = [[_cell(p(r(h, props=BOLD))) for h in heads]]
        rows += [[_cell() for _ in heads] for _ in range(self.rng.randint(2, 4))]
        self.body.append(p(r(self.rng.choice(self.w("titles")) if self.lang == "zz" else heads[1], props=BOLD)))
        self.body.append(_table(rows))
        self.body.append(p())

    def date(self) -> None:
        rng = self.rng
        if self.lang == "th":
            form = rng.choice(["วันที่{0}เดือน{1}พ.ศ.{2}", "วันที่ {0} / {1} / {2}"])
            self.body.append(p(form.format("." * rng.randint(6, 10), "." * rng.randint(12, 20), "." * rng.randint(6, 10))))
        else:
            self.body.append(p(f"{self.s('date')}{self.s('colon')} {_blank(rng)}"))

    def signature(self) -> None:
        sign, name, position, date = self.w("sign")
        blank = "." * self.rng.randint(20, 30)
        center = '<w:jc w:val="center"/>'
        self.body.append(p())
        if self.lang == "th":
            self.body.append(p(f"{sign}{blank}ผู้รายงาน", ppr=center))
            self.body.append(p(f"({blank})", ppr=center))
            self.body.append(p(f"{position}{blank}", ppr=center))
            if self.rng.random() < 0.5:
                self.body.append(p(f"{date}{'.' * 8}/{'.' * 8}/{'.' * 8}", ppr=center))
        else:
            colon = self.s("colon")
            for word in (sign, name, position, date)[: self.rng.randint(3, 4)]:
                self.body.append(p(f"{word}{colon} {blank}"))

    def boxes(self) -> None:
        rng = self.rng
        self.body.append(p(rng.choice(self.w("boxes_q"))))
        items = rng.sample(self.w("boxes"), rng.randint(2, 4))
        if rng.random() < 0.5:
            self.body.append(p(*[part for item in items for part in ("\u2610 ", f"{item}   ")]))
        else:
            for item in items:
                sym = r(content='<w:sym w:font="Wingdings" w:char="F06F"/>')
                self.body.append(p(sym, f" {item}"))

    def nested(self) -> None:
        inner = _table([[_cell(p(label)), _cell(width=4000)] for label in self.labels(2)])
        self.body.append(_table([[_cell(p(r(self.rng.choice(self.w("sections")), props=BOLD)), inner, width=8000)]]))
        self.body.append(p())

    def text_box(self) -> None:
        label = self.labels(1)[0]
        inside = p(f"{label}{self.s('colon')} {_blank(self.rng)}")
        box = (
            '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
            'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
            '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            '<wp:extent cx="3000000" cy="400000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
            '<wp:docPr id="7" name="Text Box 7"/><a:graphic><a:graphicData '
            'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/>'
            '<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="3000000" cy="400000"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx><w:txbxContent>'
            f'{inside}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>'
            '</a:graphicData></a:graphic></wp:anchor></w:drawing>'
        )
        self.body.append(p(r(content=box)))

    def repeated_sections(self) -> None:
        colon = self.s("colon")
        for section in self.w("sections")[:2]:
            self.body.append(p(r(section, props=BOLD)))
            for label in self.w("repeat"):
                self.body.append(p(f"{label}{colon} {_blank(self.rng)}"))

    def sums(self) -> None:
        heads = self.rng.sample(self.w("grid")[1:], 3)
        rows = [[_cell(p(heads[0])), _cell(p("+"), width=500), _cell(p(heads[1])), _cell(p("="), width=500),
                 _cell(p(heads[2]))],
                [_cell(), _cell(p("+"), width=500), _cell(), _cell(p("="), width=500), _cell()]]
        self.body.append(_table(rows))
        self.body.append(p())


    def four_columns(self) -> None:
        labels = self.labels(4)
        rows = [[_cell(p(labels[k])), _cell(width=3000), _cell(p(labels[k + 1])), _cell(width=3000)] for k in (0, 2)]
        self.body.append(_table(rows))
        self.body.append(p())

    def comments(self) -> None:
        colon = self.s("colon")
        self.body.append(p(f"{self.rng.choice(self.w('comments'))}{colon}"))
        for _ in range(self.rng.randint(2, 4)):
            self.body.append(p("." * 90 if self.rng.random() < 0.6 else "_" * 70))

    def numbered(self) -> None:
        colon = self.s("colon")
        self.body.append(p(f"{self.rng.choice(self.w('goals'))}{colon}"))
        for n in range(1, self.rng.randint(3, 5)):
            self.body.append(p(f"{n}. {'.' * 80}"))

    def other_box(self) -> None:
        rng = self.rng
        self.body.append(p(rng.choice(self.w("boxes_q"))))
        for item in rng.sample(self.w("boxes"), 2):
            self.body.append(p("\u2610 ", item))
        self.body.append(p("\u2610 ", f"{self.s('other')} {'.' * 40}"))

    def instructions(self) -> None:
        self.body.append(p(r(self.s("note"), props="<w:i/><w:iCs/>")))

    def underlined(self) -> None:
        colon = self.s("colon")
        for label in self.labels(2):
            blank = r(" " * 40, props='<w:u w:val="single"/>')
            self.body.append(p(f"{label}{colon} ", blank))


PARTS: list[Callable[[Maker], None]] = [
    Maker.colon_lines, Maker.pair_line, Maker.label_table, Maker.grid, Maker.date, Maker.boxes,
    Maker.nested, Maker.text_box, Maker.repeated_sections, Maker.sums, Maker.four_columns, Maker.comments,
    Maker.numbered, Maker.other_box, Maker.instructions, Maker.underlined,
]
LANGS = ["en", "en", "zh", "sk", "th"]


def form(seed: int) -> tuple[str, bytes]:
    """The language and the .docx bytes of blank form number ``seed``."""
    rng = random.Random(seed)
    lang = LANGS[seed % len(LANGS)]
    maker = Maker(lang, rng, [])
    title = rng.choice(maker.w("titles"))
    maker.body.append(p(r(title, props=BOLD + '<w:sz w:val="32"/><w:szCs w:val="32"/>'), ppr='<w:jc w:val="center"/>'))
    for part in rng.sample(PARTS, rng.randint(4, 8)):
        part(maker)
    if rng.random() < 0.7:
        maker.signature()
    headers = {"header1.xml": p(maker.s("header"))} if rng.random() < 0.4 else {}
    refs = "".join(f'<w:headerReference w:type="default" r:id="rId_{n[:-4]}"/>' for n in headers)
    return lang, make_docx("".join(maker.body) + f'<w:sectPr>{refs}<w:pgSz w:w="11906" w:h="16838"/>'
                           '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/></w:sectPr>',
                           headers=headers)


_DOTX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml")


def as_dotx(data: bytes) -> bytes:
    """The same document as a Word template (.dotx): only its content type differs."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            raw = src.read(info)
            if info.filename == "[Content_Types].xml":
                raw = raw.replace(_DOTX[0].encode(), _DOTX[1].encode())
            zf.writestr(info.filename, raw)
    return out.getvalue()


COUNT = 25
DOTX = {3, 8, 14, 19, 23}
DOC = {11}


def build_corpus(folder: Path, soffice: str | None) -> list[Path]:
    """Write the corpus into ``folder``; with ``soffice`` (LibreOffice), form
    11 as a .doc saved by it, else as .docx."""
    from tests.conftest import convert

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for seed in range(1, COUNT + 1):
        lang, data = form(seed)
        stem = f"form-{seed:02d}-{lang}"
        if seed in DOTX:
            path = folder / f"{stem}.dotx"
            path.write_bytes(as_dotx(data))
        elif seed in DOC and soffice:
            with tempfile.TemporaryDirectory() as tmp:
                src = Path(tmp) / f"{stem}.docx"
                src.write_bytes(data)
                path = convert(soffice, [src], "doc", folder, Path(tmp) / "profile")[0]
        else:
            path = folder / f"{stem}.docx"
            path.write_bytes(data)
        out.append(path)
    return out


@dataclass
class Outcome:
    path: Path
    learned: bool
    loads: bool
    ok: bool
    detail: str


def measure(paths: list[Path], work: Path, roundtrip: int = 5) -> list[Outcome]:
    """``learn`` then ``check --roundtrip N`` on each form, through the Python API."""
    from formkit import api
    from formkit.errors import FormkitError
    from formkit.forms import load_path

    out = []
    for path in paths:
        folder = work / path.stem
        try:
            api.learn_form(path, path.stem.replace("-", "_"), folder, force=True)
        except FormkitError as exc:
            out.append(Outcome(path, False, not (folder / "form.yaml").exists(), False, f"learn: {exc}"))
            continue
        try:
            load_path(folder)
        except FormkitError as exc:
            out.append(Outcome(path, True, False, False, f"load: {exc}"))
            continue
        report = api.check_form(str(folder), roundtrip=roundtrip)
        detail = "; ".join(f.line() for f in report.missing)
        detail += "; ".join(f"{m.field}: {m.expected!r} -> {m.got!r}" for m in report.mismatches[:3])
        if report.roundtrip_error is not None:
            detail += str(report.roundtrip_error)
        out.append(Outcome(path, True, True, report.ok, detail))
    return out


if __name__ == "__main__":
    base = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="otherforms-"))
    files = build_corpus(base / "forms", shutil.which("soffice"))
    results = measure(files, base / "learned")
    for o in results:
        print(f"{'pass' if o.ok else 'FAIL'} {o.path.name}: {o.detail[:300]}")
    passed = sum(o.ok for o in results)
    print(f"{passed} of {len(results)} pass ({passed / len(results):.0%}); corpus in {base}")
