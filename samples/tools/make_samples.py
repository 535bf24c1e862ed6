#!/usr/bin/env python3
"""Write the filled sample documents and the records parsing must give back for them.

    python samples/tools/make_samples.py          (from the repository root)

Each sample starts from forms/<form>/original.docx, read at run time, and is filled the way
real offices fill the forms (see editing.py for each style). The table ``SAMPLES`` drives it:
one row per sample with the record it must parse to and the styles used to write it. For every
row this writes samples/<form>/<name>.docx, samples/<form>/<name>.json
(``{"file", "form", "record", "warnings", "error"}``) and finally samples/README.md.

Output is deterministic (fixed zip dates, fixed part order, fixed colours and ids). The two
"libreoffice" samples are filled and then converted docx -> docx by LibreOffice; they are only
regenerated when ``soffice`` is available, otherwise the files already there are kept.
"""
from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml.etree import _Element

sys.path.insert(0, str(Path(__file__).resolve().parent))
import editing as ed

REPO = Path(__file__).resolve().parents[2]
Record = dict[str, Any]


# --------------------------------------------------------------------------- the table's vocabulary


@dataclass(frozen=True)
class Place:
    """How one answer is written.

    how: "over" (typed over the dots), "before" (typed before them), "below" (new paragraphs
    under the prompt), "same-line" (after the label on the prompt line). Fields the form prints
    no dotted line for are written "below" unless "same-line" is asked.
    typist: "plain", "split" (many runs, rsids, proofErr), "control" (plain-text content
    control) or "tracked" (w:ins / w:del).
    """

    how: str = "over"
    typist: str = "plain"
    keep_dots: bool = True
    soft_breaks: bool = False
    retract: str | None = None
    comment: str | None = None
    blank_after: bool = False

    def describe(self) -> str:
        bits = [self.how]
        if self.how == "below" and not self.keep_dots:
            bits.append("dots deleted")
        if self.typist != "plain":
            bits.append({"split": "split runs", "control": "content control", "tracked": "tracked"}[self.typist])
        if self.soft_breaks:
            bits.append("soft breaks")
        if self.retract:
            bits.append("deleted wrong answer")
        if self.comment:
            bits.append("comment")
        if self.blank_after:
            bits.append("extra empty paragraph")
        return ", ".join(bits)


@dataclass(frozen=True)
class Sample:
    """One sample: its expected record and the styles that write it.

    places: Place per record field ("process", "other_evidence", "method@2" for work 2 only,
    "*" for the rest). level_tick / evidence_tick: names from ``editing.TICKS`` (evidence_tick
    may map box keys to names). ticked_levels overrides the boxes ticked (several -> level null).
    photos: "paragraphs", "table" or "vml". blocks: attachment blocks in the document (default:
    one per work, at least one). convert: "libreoffice" to round-trip the filled file.
    """

    name: str
    form: str
    about: str
    record: Record
    places: Mapping[str, Place] = field(default_factory=dict)
    level_tick: str = "wingdings2-F052"
    evidence_tick: str | Mapping[str, str] = "wingdings2-F052"
    ticked_levels: tuple[int, ...] | None = None
    empty_row: bool = False
    photos: str = "paragraphs"
    blocks: int | None = None
    convert: str | None = None
    untouched: bool = False

    def place(self, key: str, work: int | None = None) -> Place:
        for candidate in ([f"{key}@{work}"] if work else []) + [key, "*"]:
            if candidate in self.places:
                return self.places[candidate]
        return Place()

    def levels(self) -> tuple[int, ...]:
        if self.ticked_levels is not None:
            return self.ticked_levels
        return (self.record["level"],) if self.record["level"] else ()

    def box_tick(self, key: str) -> str:
        if isinstance(self.evidence_tick, str):
            return self.evidence_tick
        return self.evidence_tick.get(key, "wingdings2-F052")


def evidence_1_2(flags: str) -> dict[str, bool]:
    """"1101" -> action_plan, km_plan, other ticked (the four ❒ boxes in printed order)."""
    return {key: flag == "1" for key, flag in zip(ed.ESAO_1_2_BOXES, flags, strict=True)}


def record_1_2(level: int | None, process: str, problems: str, suggestions: str, evidence: str = "0000",
               other: Sequence[str] = (), fiscal_year: str = "2565", office: str | None = None) -> Record:
    record: Record = {
        "level": level, "process": process, "problems": problems, "suggestions": suggestions,
        "evidence": evidence_1_2(evidence), "other_evidence": list(other), "fiscal_year": fiscal_year,
    }
    if office is not None:
        record["office"] = office
    return record


WORK_FIELDS = tuple(f.key for f in ed.ESAO_3_1_WORK)


def work(title: str, group: str, background: str, method: str, technique: str, quantitative: str,
         qualitative: str, success_factors: str, dissemination: str, photos: int = 4) -> Record:
    """A work as the table states it; ``photos`` is a count, replaced by hashes when built."""
    return dict(zip(WORK_FIELDS, (title, group, background, method, technique, quantitative, qualitative,
                                  success_factors, dissemination)), photos=photos)


def record_3_1(level: int | None, works_detail: bool, works: Sequence[Record], office: str | None = None) -> Record:
    record: Record = {"level": level, "evidence": {"works_detail": works_detail}, "fiscal_year": "2563 - 2564"}
    if office is not None:
        record["office"] = office
    record["works"] = list(works)
    return record


def altered(base: Record, **changes: Any) -> Record:
    return {**base, **changes}


# --------------------------------------------------------------------------- what offices wrote

WORK_BUDGET = work(
    "ระบบติดตามการใช้งบประมาณออนไลน์ (e-Budget Tracking)", "นโยบายและแผน",
    "การติดตามการใช้งบประมาณของสถานศึกษาใช้เอกสารกระดาษ ทำให้ข้อมูลล่าช้าและคลาดเคลื่อน",
    "1. วิเคราะห์ปัญหาและความต้องการของสถานศึกษา\n2. พัฒนาระบบด้วย Google Sheets และ Looker Studio\n"
    "3. อบรมเจ้าหน้าที่การเงินของสถานศึกษา\n4. ติดตามและปรับปรุงระบบทุกไตรมาส",
    "ใช้วงจรคุณภาพ PDCA ร่วมกับการสื่อสารผ่านกลุ่มไลน์ของสถานศึกษา",
    "สถานศึกษา 128 แห่ง คิดเป็นร้อยละ 100 รายงานผลการใช้งบประมาณผ่านระบบ",
    "ผู้บริหารได้ข้อมูลเป็นปัจจุบันและตัดสินใจได้รวดเร็วขึ้น",
    "ผู้บริหารให้การสนับสนุนและบุคลากรมีความมุ่งมั่น",
    "เผยแพร่ทางเว็บไซต์ของสำนักงานและนำเสนอในการประชุมผู้บริหารสถานศึกษา",
)
WORK_COACHING = work(
    "การนิเทศออนไลน์แบบ Coaching & Mentoring", "นิเทศ ติดตามและประเมินผลการจัดการศึกษา",
    "ศึกษานิเทศก์มีจำนวนน้อยเมื่อเทียบกับจำนวนโรงเรียน และโรงเรียนอยู่ห่างไกล",
    "จัดทีมนิเทศร่วมกับครูแกนนำ\nนิเทศผ่าน Google Meet เดือนละ 2 ครั้ง\nสะท้อนผลการนิเทศรายโรงเรียน",
    "รูปแบบ 3C: Connect Coach Continue",
    "ครู 642 คน ได้รับการนิเทศอย่างน้อยภาคเรียนละ 2 ครั้ง",
    "ครูนำผลการนิเทศไปปรับการจัดการเรียนรู้ และมีเครือข่ายช่วยเหลือกัน",
    "ความร่วมมือของผู้บริหารสถานศึกษาและครูแกนนำ",
    "นำเสนอในเวทีแลกเปลี่ยนเรียนรู้ระดับภูมิภาค มี สพท. 3 แห่งมาศึกษาดูงาน",
)
WORK_OFFICE = work(
    "ระบบสารบรรณอิเล็กทรอนิกส์ลดกระดาษ (Smart Office)", "อำนวยการ",
    "หนังสือราชการมีปริมาณมาก การส่งด้วยกระดาษทำให้สิ้นเปลืองและล่าช้า",
    "ปรับกระบวนการรับส่งหนังสือทั้งหมดเป็นระบบอิเล็กทรอนิกส์",
    "ใช้ลายมือชื่ออิเล็กทรอนิกส์และแจ้งเตือนผ่านไลน์",
    "ลดการใช้กระดาษได้ร้อยละ 85 ภายใน 1 ปี",
    "ผู้รับหนังสือได้รับภายในวันเดียวกัน ติดตามสถานะได้ทุกขั้นตอน",
    "ทีมงานมีทักษะด้านเทคโนโลยีและผู้บริหารเป็นแบบอย่างในการใช้",
    "สพท. ใกล้เคียงขอนำระบบไปใช้ 4 แห่ง",
)
WORK_MORAL = work(
    "โรงเรียนคุณธรรมวิถีพอเพียง", "ส่งเสริมการจัดการศึกษา",
    "ต้องการปลูกฝังคุณธรรมพื้นฐานให้นักเรียนอย่างเป็นระบบและต่อเนื่อง",
    "1) ประกาศนโยบายโรงเรียนคุณธรรม\n2) อบรมครูแกนนำ\n3) ประเมินและยกย่องโรงเรียนต้นแบบ",
    "เทคนิคบันได 5 ขั้นสู่โรงเรียนคุณธรรม",
    "โรงเรียนผ่านการประเมินโรงเรียนคุณธรรมระดับ 2 ดาว จำนวน 57 โรง",
    "นักเรียนมีพฤติกรรมที่พึงประสงค์เพิ่มขึ้น ชุมชนมีส่วนร่วมมากขึ้น",
    "ความร่วมมือของบ้าน วัด โรงเรียน",
    "เผยแพร่ผ่านเพจเฟซบุ๊กของสำนักงานและวารสารประชาสัมพันธ์",
)
WORK_PORTFOLIO = work(
    "แฟ้มสะสมงานดิจิทัลเพื่อการเลื่อนวิทยฐานะ", "บริหารงานบุคคล",
    "ครูจัดทำเอกสารประกอบการขอเลื่อนวิทยฐานะเป็นจำนวนมาก",
    "พัฒนาแม่แบบแฟ้มสะสมงานดิจิทัลและอบรมครู",
    "ใช้คิวอาร์โค้ดเชื่อมหลักฐานแต่ละตัวชี้วัด",
    "ครู 214 คน ใช้แฟ้มสะสมงานดิจิทัล",
    "ลดเวลาการตรวจสอบเอกสารของคณะกรรมการลงครึ่งหนึ่ง",
    "การสนับสนุนจากผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
    "นำเสนอในการประชุมเครือข่ายกลุ่มบริหารงานบุคคลระดับจังหวัด",
)
WORK_PROCUREMENT = work(
    "ติดตามสถานะการจัดซื้อจัดจ้างแบบเรียลไทม์", "บริหารงานการเงินและสินทรัพย์",
    "สถานศึกษาสอบถามสถานะการเบิกจ่ายทางโทรศัพท์เป็นจำนวนมาก",
    "จัดทำแดชบอร์ดสถานะการเบิกจ่ายและเปิดให้สถานศึกษาตรวจสอบได้",
    "ใช้หลัก Open Data และการแจ้งเตือนอัตโนมัติ",
    "การเบิกจ่ายเป็นไปตามเป้าหมายร้อยละ 98.5",
    "สถานศึกษามีความพึงพอใจและความโปร่งใสเพิ่มขึ้น",
    "บุคลากรกลุ่มการเงินทำงานเป็นทีม",
    "ได้รับรางวัลหน่วยงานที่มีการบริหารการเงินดีเด่น",
)
WORK_DMC = work(
    "ศูนย์ข้อมูลสารสนเทศเพื่อการตัดสินใจ (DMC Dashboard)",
    "ส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร",
    "ข้อมูลนักเรียนกระจายอยู่หลายระบบ ผู้บริหารเรียกดูได้ยาก",
    "รวบรวมข้อมูลจากระบบ DMC\nสร้างแดชบอร์ดรายอำเภอ\nอบรมผู้ใช้งาน",
    "เทคนิค Single Source of Truth",
    "แดชบอร์ด 12 ชุด ครอบคลุมสถานศึกษาทุกแห่ง",
    "ใช้ข้อมูลวางแผนจัดสรรครูและงบประมาณได้แม่นยำขึ้น",
    "ข้อมูลที่ถูกต้องและเป็นปัจจุบันจากสถานศึกษา",
    "เผยแพร่ผ่านเว็บไซต์และเปิดให้หน่วยงานภายนอกเข้าชม",
)
WORK_EQUITY = work(
    "ลดความเหลื่อมล้ำด้วยทุนเสมอภาค", "ส่งเสริมการจัดการศึกษา",
    "นักเรียนยากจนพิเศษบางส่วนยังไม่ได้รับการช่วยเหลือ",
    "คัดกรองนักเรียนร่วมกับ กสศ. และติดตามการมาเรียนรายเดือน",
    "การเยี่ยมบ้านร่วมกับภาคีเครือข่ายในชุมชน",
    "นักเรียน 3,412 คน ได้รับทุน",
    "อัตราการออกกลางคันลดลง",
    "ภาคีเครือข่ายและผู้ปกครองให้ความร่วมมือ",
    "นำเสนอผลงานในงานมหกรรมการศึกษาระดับจังหวัด",
)

OFFICE_COPY_1_2 = record_1_2(
    4,
    "๑) ส่งเสริมให้บุคลากรทุกคนพัฒนาตนเองผ่านหลักสูตรออนไลน์ อย่างน้อยคนละ ๒๐ ชั่วโมง/ปี\n"
    "๒) จัดกิจกรรม KM & PLC ทุกกลุ่มงาน เดือนละ ๑ ครั้ง\n๓) จัดตั้ง \"ห้องสมุดมีชีวิต\" เป็นแหล่งเรียนรู้",
    "งบประมาณ < ๕๐% ของที่เสนอขอ และบุคลากรย้ายบ่อย > ๕ คน/ปี",
    "ควรจัดทำคลังความรู้ออนไลน์ & เชื่อมโยงกับ สพท. อื่น",
    "1111",
    ["โครงการพัฒนาบุคลากร \"เรียนรู้ไม่หยุดนิ่ง\" ปีงบประมาณ ๒๕๖๖", "รายงานผล PLC <กลุ่มนิเทศ>",
     "คำสั่งแต่งตั้งคณะทำงาน KM & PLC ที่ ๑๒/๒๕๖๖"],
    fiscal_year="2566",
    office="สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1",
)

SAMPLES: tuple[Sample, ...] = (
    # ------------------------------------------------------------------ esao-1-2
    Sample("blank", "esao-1-2", "The original form, untouched.",
           record_1_2(None, "", "", ""), untouched=True),
    Sample(
        "over-dots", "esao-1-2", "Every answer typed over its dotted line; the process answer continues on new paragraphs.",
        record_1_2(
            4,
            "สพท. ส่งเสริมให้บุคลากรพัฒนาตนเองผ่านการอบรมออนไลน์ทุกไตรมาส\n"
            "จัดทำแผนการจัดการความรู้และตั้งชุมชนการเรียนรู้ทางวิชาชีพ (PLC) ทุกกลุ่มงาน\n"
            "จัดมุมความรู้และคลังความรู้ออนไลน์ให้บุคลากรใช้ได้ตลอดเวลา",
            "บุคลากรบางส่วนมีภาระงานมาก ไม่สามารถเข้าร่วม PLC ได้ครบทุกครั้ง",
            "ควรกำหนดวันแลกเปลี่ยนเรียนรู้ประจำเดือนให้ชัดเจน",
            "1111", ["โครงการพัฒนาบุคลากรสู่องค์การแห่งการเรียนรู้", "กิจกรรมมหกรรมการจัดการความรู้ (KM Day)"],
        ),
        places={"*": Place("over")},
    ),
    Sample(
        "before-dots", "esao-1-2", "Answers typed at the start of the dotted lines, the dots left after them; Enter splits the line for a multi-line answer.",
        record_1_2(
            5,
            "1) จัดทำแผนพัฒนาบุคลากรรายบุคคล (ID Plan) ครบทุกคน\n"
            "2) ทุกกลุ่มจัดกิจกรรม KM และ PLC เดือนละ 1 ครั้ง และสรุปองค์ความรู้เผยแพร่บนเว็บไซต์\n"
            "3) พัฒนาห้องสมุดดิจิทัลของสำนักงานเป็นแหล่งเรียนรู้\n4) ส่งเสริมการทำวิจัยในงานประจำ (R2R) ทุกกลุ่ม",
            "งบประมาณสำหรับการพัฒนาแหล่งเรียนรู้มีจำกัด",
            "ควรสร้างเครือข่ายการเรียนรู้ร่วมกับ สพท. ใกล้เคียง",
            "1111", ["โครงการ R2R สำนักงานเขตพื้นที่การศึกษา"],
        ),
        places={"*": Place("before")},
        level_tick="wingdings-F0FE", evidence_tick="wingdings-F0FE",
    ),
    Sample(
        "below-prompt", "esao-1-2", "Multi-paragraph answers on new lines under each prompt; two dotted lines deleted, one left under the answer; an extra empty paragraph.",
        record_1_2(
            3,
            "ดำเนินการส่งเสริมการเรียนรู้ของบุคลากรครบทั้ง 4 ประเด็น ดังนี้\n"
            "ประเด็นที่ 1 จัดอบรมเชิงปฏิบัติการการคิดเชิงระบบ\n"
            "ประเด็นที่ 2 จัดกิจกรรม PLC ระดับกลุ่มและระดับองค์การ",
            "ขาดผู้เชี่ยวชาญด้านการวิจัย\nเวลาในการดำเนินงานไม่เพียงพอ",
            "ควรเชิญมหาวิทยาลัยในพื้นที่เป็นพี่เลี้ยงด้านการวิจัย\nควรบูรณาการกิจกรรม KM กับการประชุมประจำเดือน",
            "1101", ["รายงานการประชุม PLC ของกลุ่มส่งเสริมการจัดการศึกษา"],
        ),
        places={
            "process": Place("below", keep_dots=False, blank_after=True),
            "problems": Place("below", keep_dots=False),
            "suggestions": Place("below", keep_dots=True),
            "other_evidence": Place("over"),
        },
        level_tick="unicode-☑", evidence_tick="unicode-☑",
    ),
    Sample(
        "same-line", "esao-1-2", "Answers typed on the prompt line right after the label; a second line with Shift+Enter (soft break).",
        record_1_2(
            2,
            "จัดอบรมบุคลากรและจัดกิจกรรม KM ทุกกลุ่ม\nแต่ยังไม่ได้นำกระบวนการวิจัยมาใช้",
            "ขาดงบประมาณ",
            "ควรจัดสรรงบประมาณสำหรับการวิจัยในปีถัดไป",
            "1000",
        ),
        places={"*": Place("same-line", soft_breaks=True)},
        level_tick="mark-/-before", evidence_tick="wingdings2-F052",
    ),
    Sample(
        "split-runs", "esao-1-2", "Word's many-runs text: answers cut mid-word into runs with w:rsidR and w:proofErr between them.",
        record_1_2(
            4,
            "บุคลากรทุกคนจัดทำแผนพัฒนาตนเอง\nทุกกลุ่มงานจัดกิจกรรมแลกเปลี่ยนเรียนรู้และสรุปองค์ความรู้",
            "การสรุปองค์ความรู้ยังไม่เป็นระบบ",
            "ควรจัดทำแม่แบบการสรุปองค์ความรู้ให้ทุกกลุ่มใช้ร่วมกัน",
            "1110", [],
        ),
        places={
            "process": Place("over", typist="split"),
            "problems": Place("below", typist="split", keep_dots=False),
            "suggestions": Place("before", typist="split"),
        },
        level_tick="unicode-✓", evidence_tick="unicode-✓",
    ),
    Sample(
        "content-controls", "esao-1-2", "Answers in plain-text content controls (multi-line control with soft breaks); boxes replaced by checkbox content controls.",
        record_1_2(
            5,
            "ส่งเสริมการเรียนรู้ด้วยตนเองผ่านแพลตฟอร์มออนไลน์\nจัด PLC ข้ามกลุ่มงานทุกเดือน\nใช้ผลการวิจัยปรับปรุงงานบริการ",
            "ระบบอินเทอร์เน็ตของสำนักงานไม่เสถียร",
            "ควรปรับปรุงโครงข่ายอินเทอร์เน็ต",
            "1110", [],
        ),
        places={"*": Place("over", typist="control", soft_breaks=True)},
        level_tick="content-control", evidence_tick="content-control",
    ),
    Sample(
        "form-fields", "esao-1-2", "Boxes replaced by legacy FORMCHECKBOX fields (checked and unchecked); answers typed before the dots.",
        record_1_2(
            3,
            "จัดกิจกรรมส่งเสริมการเรียนรู้ครบ 4 ประเด็น",
            "บุคลากรใหม่ยังไม่คุ้นเคยกับกระบวนการ KM",
            "ควรจัดปฐมนิเทศบุคลากรใหม่เรื่องการจัดการความรู้",
            "1101", ["โครงการปฐมนิเทศบุคลากรใหม่", "ภาพกิจกรรม PLC"],
        ),
        places={"*": Place("before"), "other_evidence": Place("over")},
        level_tick="form-field", evidence_tick="form-field",
    ),
    Sample(
        "typed-marks", "esao-1-2", "Boxes left printed, a mark typed beside them (✓ after, / before, X after); answers below the prompts, dots kept.",
        record_1_2(
            4,
            "จัดทำแผนการจัดการความรู้และดำเนินการตามแผน\nสรุปองค์ความรู้เผยแพร่ทางเว็บไซต์",
            "บางกลุ่มงานส่งสรุปองค์ความรู้ล่าช้า",
            "ควรกำหนดปฏิทินการส่งงานให้ชัดเจน",
            "1101", ["เว็บไซต์คลังความรู้ของสำนักงาน"],
        ),
        places={"*": Place("below", keep_dots=True), "other_evidence": Place("over")},
        level_tick="mark-✓-after",
        evidence_tick={"action_plan": "mark-/-before", "km_plan": "mark-X-after", "other": "mark-✓-after"},
    ),
    Sample(
        "tracked-changes-comments", "esao-1-2", "Track Changes on: dots deleted and answers inserted as revisions, a wrong answer deleted, an unused dotted paragraph deleted; two reviewer comments.",
        record_1_2(
            1,
            "มีการดำเนินการเพียงบางประเด็น\nยังไม่ได้จัดทำแผนการจัดการความรู้",
            "ผู้รับผิดชอบงานย้ายระหว่างปีงบประมาณ",
            "ควรมอบหมายผู้รับผิดชอบสำรอง",
            "1000",
        ),
        places={
            "process": Place("over", typist="tracked", comment="ขอให้ระบุรายละเอียดเพิ่มเติม"),
            "problems": Place("before", typist="tracked"),
            "suggestions": Place("below", typist="tracked", keep_dots=False,
                                 retract="ไม่มีข้อเสนอแนะ", comment="ตรวจแล้ว"),
        },
        level_tick="mark-X-after", evidence_tick="wingdings2-F052",
    ),
    Sample(
        "wps-glyphs", "esao-1-2", "Saved by WPS/LibreOffice: ticks as private-use U+F052 text and as the letter R, both in Wingdings 2 runs.",
        record_1_2(
            2,
            "จัดกิจกรรม KM ระดับองค์การปีละ 1 ครั้ง",
            "กิจกรรม PLC ยังไม่ครอบคลุมทุกกลุ่ม",
            "ควรขยายกิจกรรม PLC ให้ครบทุกกลุ่มงาน",
            "1101", ["บันทึกกิจกรรม KM ระดับองค์การ"],
        ),
        places={"*": Place("over")},
        level_tick="wps-private-use",
        evidence_tick={"action_plan": "wps-private-use", "km_plan": "wps-letter-R", "other": "wps-letter-R"},
    ),
    Sample(
        "unicode-ticks", "esao-1-2", "Boxes replaced by Unicode ☒ (MS Gothic) for the level and ☑ ☒ ✓ for the evidence; answers below the prompts, dots deleted.",
        record_1_2(
            5,
            "ดำเนินการครบทั้ง 4 ประเด็นและมีความชัดเจนทุกประเด็น\nมีรายงานสรุปองค์ความรู้ทุกกลุ่มงาน",
            "ไม่มี",
            "ควรต่อยอดเป็นนวัตกรรมของสำนักงาน",
            "1110",
        ),
        places={"*": Place("below", keep_dots=False)},
        level_tick="unicode-☒",
        evidence_tick={"action_plan": "unicode-☑", "km_plan": "unicode-☒", "km_report": "unicode-✓"},
    ),
    Sample(
        "multiple-levels", "esao-1-2", "Two level boxes ticked (5 and 4): level null with a warning.",
        record_1_2(
            None,
            "ดำเนินการตามแนวทางการพิจารณาครบทุกประเด็น",
            "ไม่มี",
            "ไม่มี",
            "1100",
        ),
        places={"*": Place("over")},
        ticked_levels=(5, 4),
    ),
    Sample(
        "office-copy", "esao-1-2", "An office's working copy: its name in the header, the year retyped 2565 -> 2566, Thai digits, & < > \" in answers, a third evidence line added, an empty row added to the table.",
        OFFICE_COPY_1_2,
        places={
            "process": Place("over"),
            "problems": Place("same-line"),
            "suggestions": Place("below", keep_dots=False),
            "other_evidence": Place("before"),
        },
        level_tick="wps-letter-R", evidence_tick="wps-letter-R", empty_row=True,
    ),
    Sample(
        "libreoffice", "esao-1-2", "Filled, then converted docx -> docx by LibreOffice (soffice --convert-to docx:\"MS Word 2007 XML\").",
        record_1_2(
            2,
            "จัดกิจกรรมพัฒนาบุคลากรและ PLC\nยังไม่มีการสรุปองค์ความรู้ที่ชัดเจน",
            "บุคลากรไม่เพียงพอ",
            "ควรจัดทำแผนอัตรากำลังให้สอดคล้องกับภารกิจ",
            "1110", ["โครงการพัฒนาบุคลากร"],
        ),
        places={"process": Place("over"), "problems": Place("before"), "suggestions": Place("below"),
                "other_evidence": Place("over")},
        convert="libreoffice",
    ),
    # ------------------------------------------------------------------ esao-3-1
    Sample("blank", "esao-3-1", "The original form, untouched: no works.",
           record_3_1(None, False, []), untouched=True),
    Sample(
        "one-work", "esao-3-1", "One work: title and group over the dots, method below the prompt, four photos two per paragraph.",
        record_3_1(1, True, [WORK_BUDGET]),
        places={"title": Place("over"), "group": Place("over"), "method": Place("below", keep_dots=False),
                "success_factors": Place("before"), "*": Place("over")},
    ),
    Sample(
        "three-works", "esao-3-1", "Three copies of the attachment block with various placements; level ticked with Wingdings 2 \"R\", the evidence box with Wingdings 0xFE; photos in two-column tables, one work with two photos and one field left empty.",
        record_3_1(3, True, [WORK_COACHING, altered(WORK_OFFICE, photos=2), altered(WORK_MORAL, qualitative="")]),
        places={
            "*": Place("over"),
            "title@2": Place("before"), "group@2": Place("before"), "method@2": Place("below", keep_dots=True),
            "technique@2": Place("below", keep_dots=False), "quantitative@2": Place("before"),
            "background@3": Place("same-line"), "method@3": Place("same-line", soft_breaks=False),
            "dissemination@3": Place("below", keep_dots=False),
        },
        level_tick="wps-letter-R", evidence_tick="wingdings-F0FE", photos="table",
    ),
    Sample(
        "five-works-vml", "esao-3-1", "Five works with VML pictures, checkbox content controls, the office name in the header.",
        record_3_1(5, True, [WORK_PORTFOLIO, WORK_PROCUREMENT, WORK_DMC, WORK_EQUITY, WORK_BUDGET],
                   office="สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาเชียงใหม่"),
        places={"*": Place("over"), "method": Place("below", keep_dots=False), "background@4": Place("same-line")},
        level_tick="content-control", evidence_tick="content-control", photos="vml",
    ),
    Sample(
        "partly-filled", "esao-3-1", "Two attachment blocks; the second left untouched, so only one work; evidence box not ticked.",
        record_3_1(1, False, [WORK_COACHING]),
        places={"*": Place("before"), "background": Place("below"), "qualitative": Place("below")},
        level_tick="unicode-☑", blocks=2,
    ),
    Sample(
        "libreoffice", "esao-3-1", "Two works filled, then converted docx -> docx by LibreOffice.",
        record_3_1(2, True, [WORK_OFFICE, WORK_PORTFOLIO]),
        places={"*": Place("over"), "method": Place("below")},
        convert="libreoffice",
    ),
)


# --------------------------------------------------------------------------- filling


@dataclass
class Filling:
    """One document being filled: its package, its body and the bookkeeping shared by edits."""

    pkg: ed.Package
    root: _Element
    revisions: ed.Revisions = field(default_factory=ed.Revisions)
    comments: list[tuple[list[_Element], str]] = field(default_factory=list)
    split_typist: ed.SplitRunsTypist = field(default_factory=ed.SplitRunsTypist)
    split_used: bool = False

    def typist(self, place: Place, alias: str, tag: str) -> ed.Typist:
        if place.typist == "split":
            self.split_used = True
            return self.split_typist
        if place.typist == "control":
            return ed.ContentControlTypist(alias=alias, tag=tag)
        if place.typist == "tracked":
            return ed.TrackedTypist(self.revisions, retract=place.retract)
        return ed.Typist()

    def finish(self) -> None:
        """Comments go in after all typing (their ids follow the revisions'), rsids into settings."""
        for anchored, text in self.comments:
            ed.add_comment(self.pkg, self.root, anchored, text)
        if self.split_used:
            ed.register_rsids(self.pkg, self.split_typist.rsids)
        ed.save_document(self.pkg, self.root)


def write_answer(filling: Filling, prompt: _Element, dots: _Element | None, lines: Sequence[str],
                 place: Place, alias: str, tag: str) -> list[_Element]:
    """Put one answer in the document in the place's style; returns its paragraphs."""
    typist = filling.typist(place, alias, tag)
    how = place.how if dots is not None or place.how == "same-line" else "below"
    if how == "same-line" and dots is prompt:
        raise ValueError(f"{tag}: the label and its dots share a line; use 'before'")
    if how == "over":
        made = ed.type_over_dots(dots, lines, typist, soft_breaks=place.soft_breaks)
    elif how == "before":
        made = ed.type_before_dots(dots, lines, typist, soft_breaks=place.soft_breaks)
    elif how == "below":
        made = ed.type_below_prompt(prompt, lines, typist, dots, keep_dots=place.keep_dots, soft_breaks=place.soft_breaks)
    elif how == "same-line":
        made = ed.type_on_prompt_line(prompt, lines, typist, soft_breaks=place.soft_breaks)
    else:
        raise ValueError(f"unknown placement {place.how!r}")
    if place.blank_after:
        ed.insert_empty_paragraph_after(made[-1])
    if place.comment:
        filling.comments.append((made, place.comment))
    return made


def fill_fields(filling: Filling, sample: Sample, scope: _Element | Sequence[_Element],
                fields: Sequence[ed.TextField], values: Mapping[str, str], work_no: int | None = None) -> None:
    """Answer each non-empty field; anchors are all found before typing starts."""
    anchors = {f.key: ed.resolve_field(scope, f) for f in fields}
    for text_field in fields:
        text = values[text_field.key]
        if text:
            prompt, dots = anchors[text_field.key]
            write_answer(filling, prompt, dots, text.split("\n"), sample.place(text_field.key, work_no),
                         alias=ed.collapse(text_field.prompt), tag=text_field.key)


def tick_boxes(sample: Sample, root: _Element, boxes: Mapping[str, str], evidence: Mapping[str, bool]) -> None:
    """Tick the level boxes and evidence boxes named by the record (and the sample's styles)."""
    runs = {n: ed.level_box(root, n) for n in range(1, 6)}
    for level, run in runs.items():
        ed.TICKS[sample.level_tick](run, checked=level in sample.levels())
    for key, label in boxes.items():
        ed.TICKS[sample.box_tick(key)](ed.evidence_box(root, label), checked=evidence[key])


def printed_year(root: _Element) -> str:
    match = re.search(r"พ\.ศ\.\s*(\d{4})", "".join(ed.paragraph_text(p) for p in ed.evidence_cell(root).iter(ed.q("w:p"))))
    if match is None:
        raise LookupError("no printed year in the evidence cell")
    return match.group(1)


def fill_esao_1_2(filling: Filling, sample: Sample) -> Record:
    record, root = sample.record, filling.root
    year = printed_year(root)
    if record["fiscal_year"] != year:
        ed.replace_printed_text(ed.evidence_cell(root), year, record["fiscal_year"])
    lines = ed.other_evidence_lines(root)
    while len(lines) < len(record["other_evidence"]):
        lines.append(ed.add_numbered_line(lines[-1], len(lines) + 1))
    fill_fields(filling, sample, root, ed.ESAO_1_2_TEXT, record)
    for item, line in zip(record["other_evidence"], lines):
        write_answer(filling, line, line, [item], sample.place("other_evidence"), "หลักฐานอื่น", "other_evidence")
    tick_boxes(sample, root, ed.ESAO_1_2_BOXES, record["evidence"])
    if sample.empty_row:
        ed.append_empty_row(ed.quality_table(root))
    return copy.deepcopy(record)


def photo_bytes(sample: Sample, work_no: int, count: int) -> list[bytes]:
    """Distinct solid-colour PNGs, their colours fixed by sample, work and position."""
    pngs = []
    for index in range(count):
        digest = hashlib.sha256(f"{sample.form}/{sample.name}/{work_no}/{index}".encode()).digest()
        pngs.append(ed.solid_png((digest[0], digest[1], digest[2])))
    return pngs


def add_photos(filling: Filling, sample: Sample, block: Sequence[_Element], pngs: Sequence[bytes]) -> None:
    prompt = ed.find_paragraph(block, ed.PHOTOS_PROMPT)
    kind = "vml" if sample.photos == "vml" else "drawing"
    runs = ed.picture_runs(filling.pkg, filling.root, pngs, kind=kind)
    if sample.photos == "table":
        ed.photos_in_table(prompt, runs)
    else:
        ed.photos_in_paragraphs(prompt, runs)


def fill_esao_3_1(filling: Filling, sample: Sample) -> Record:
    record, root = copy.deepcopy(sample.record), filling.root
    ed.duplicate_work_block(root, sample.blocks or max(1, len(record["works"])))
    for work_no, (block, answer) in enumerate(zip(ed.work_blocks(root), record["works"]), start=1):
        fill_fields(filling, sample, block, ed.ESAO_3_1_WORK, answer, work_no)
        pngs = photo_bytes(sample, work_no, answer["photos"])
        if pngs:
            add_photos(filling, sample, block, pngs)
        answer["photos"] = [{"sha256": hashlib.sha256(png).hexdigest(), "media_type": ed.PNG} for png in pngs]
    tick_boxes(sample, root, ed.ESAO_3_1_BOXES, record["evidence"])
    return record


FILLERS = {"esao-1-2": fill_esao_1_2, "esao-3-1": fill_esao_3_1}


def build(sample: Sample) -> tuple[bytes, Record]:
    """The filled document's bytes and the record it must parse to."""
    original = REPO / "forms" / sample.form / "original.docx"
    if sample.untouched:
        return original.read_bytes(), copy.deepcopy(sample.record)
    pkg = ed.Package.open(str(original))
    filling = Filling(pkg, ed.load_document(pkg))
    record = FILLERS[sample.form](filling, sample)
    if "office" in record:
        ed.set_header_text(pkg, record["office"])
    filling.finish()
    return pkg.to_bytes(), record


def expected_warnings(sample: Sample, data: bytes) -> list[str]:
    """Warning codes by the contract: revisions, comments, several levels ticked, lines of a box left unticked."""
    pkg = ed.Package.from_bytes(data)
    root = pkg.xml(ed.DOCUMENT)
    codes = []
    if ed.has_revisions(root):
        codes.append("tracked-changes")
    if ed.has_comments(pkg, root):
        codes.append("comments-ignored")
    if len(sample.levels()) > 1:
        codes.append("multiple-levels-ticked")
    if sample.record.get("other_evidence") and not sample.record["evidence"].get("other"):
        codes.append("answer-without-box")  # other_evidence belongs_to evidence.other (form.yaml)
    return sorted(codes)


# --------------------------------------------------------------------------- LibreOffice round trip

SOFFICE_PROFILE = "file:///tmp/lo-samples-profile"


def convert_with_libreoffice(data: bytes) -> bytes:
    """docx -> docx through LibreOffice with a throw-away profile; parts re-zipped with fixed dates."""
    soffice = shutil.which("soffice")
    assert soffice is not None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in" / "filled.docx"
        source.parent.mkdir()
        source.write_bytes(data)
        out = Path(tmp) / "out"
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation={SOFFICE_PROFILE}", "--convert-to",
             "docx:MS Word 2007 XML", "--outdir", str(out), str(source)],
            check=True, capture_output=True, timeout=300,
        )
        return ed.Package.from_bytes((out / "filled.docx").read_bytes()).to_bytes()


def ticked_glyphs(root: _Element) -> int:
    """Ticked Wingdings 2 boxes, whether kept as w:sym F052 or written as U+F052 text (LibreOffice)."""
    syms = sum(1 for s in root.iter(ed.q("w:sym")) if s.get(ed.q("w:char"), "").upper() == "F052")
    texts = sum((t.text or "").count("\uf052") for t in root.iter(ed.q("w:t")))
    return syms + texts


def check_conversion(sample: Sample, data: bytes, record: Record) -> None:
    """The converted file still holds every answer line, every tick and every photo's bytes."""
    pkg = ed.Package.from_bytes(data)
    root = pkg.xml(ed.DOCUMENT)
    text = "\n".join(ed.collapse(ed.paragraph_text(p)) for p in root.iter(ed.q("w:p")))
    answers: list[str] = []
    for key in ("process", "problems", "suggestions"):
        answers += record.get(key, "").split("\n")
    answers += record.get("other_evidence", [])
    for answer in record.get("works", []):
        answers += [line for key in WORK_FIELDS for line in answer[key].split("\n")]
    missing = [line for line in answers if line and line not in text]
    want_ticks = len(sample.levels()) + sum(record["evidence"].values())
    media = {hashlib.sha256(b).hexdigest() for n, b in pkg.parts.items() if n.startswith("word/media/")}
    lost = [p["sha256"] for w in record.get("works", []) for p in w["photos"] if p["sha256"] not in media]
    if missing or ticked_glyphs(root) != want_ticks or lost:
        raise RuntimeError(f"{sample.form}/{sample.name}: conversion lost text {missing}, "
                           f"ticks {ticked_glyphs(root)}/{want_ticks}, photos {lost}")


# --------------------------------------------------------------------------- output


def sample_path(sample: Sample, suffix: str) -> Path:
    return REPO / "samples" / sample.form / f"{sample.name}{suffix}"


def expected_document(sample: Sample, record: Record, warnings: list[str]) -> dict[str, Any]:
    return {
        "file": f"samples/{sample.form}/{sample.name}.docx",
        "form": sample.form,
        "record": record,
        "warnings": warnings,
        "error": None,
    }


def write_sample(sample: Sample) -> str:
    """Build, maybe convert, and write one sample; returns what was done."""
    data, record = build(sample)
    if sample.convert == "libreoffice":
        if shutil.which("soffice") is None:
            return "kept (no soffice)"
        data = convert_with_libreoffice(data)
        check_conversion(sample, data, record)
    docx = sample_path(sample, ".docx")
    docx.parent.mkdir(parents=True, exist_ok=True)
    docx.write_bytes(data)
    document = expected_document(sample, record, expected_warnings(sample, data))
    sample_path(sample, ".json").write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return "wrote"


def styles_of(sample: Sample) -> str:
    """A one-line summary of a sample's styles for the README, taken from its table row."""
    if sample.untouched:
        return "none"
    places = "; ".join(f"{key}: {place.describe()}" for key, place in sample.places.items())
    ticks = f"level {sample.level_tick}"
    if sample.levels():
        ticks += f" on {', '.join(map(str, sample.levels()))}"
    evidence = sample.evidence_tick if isinstance(sample.evidence_tick, str) else \
        ", ".join(f"{k} {v}" for k, v in sample.evidence_tick.items())
    extras = [f"evidence {evidence}"]
    if sample.form == "esao-3-1":
        extras.append(f"photos {sample.photos}")
    if sample.blocks:
        extras.append(f"{sample.blocks} blocks")
    if sample.empty_row:
        extras.append("empty table row")
    if "office" in sample.record:
        extras.append("office name in header")
    if sample.convert:
        extras.append(f"converted by {sample.convert}")
    return f"{places}. Ticks: {ticks}; {'; '.join(extras)}"


def write_readme() -> Path:
    lines = [
        "# Samples",
        "",
        "Filled copies of the two forms, made the way offices fill them, each with the record",
        "parsing must return (`<name>.json`: file, form, record, warnings, error). They are written by",
        "`python samples/tools/make_samples.py` from `forms/<form>/original.docx` and the table",
        "`SAMPLES` in that script; the editing styles live in `samples/tools/editing.py`.",
        "The samples are built from the record contract and the original XML only, not from the",
        "parser, so they check it independently. The `libreoffice` samples are regenerated only",
        "where `soffice` is installed.",
        "",
        "Placements: over = typed over the dots; before = typed before them (dots left); below = new",
        "paragraphs under the prompt (the dotted line left below the answer unless \"dots deleted\");",
        "same-line = after the label on the prompt line. `field@N` applies to work N only, `*` to the",
        "other fields. Tick names are the keys of `editing.TICKS`. If a `blank` sample differs from its",
        "original, the originals changed: run the script again.",
        "",
    ]
    for form in ("esao-1-2", "esao-3-1"):
        lines += [f"## {form}", "", "| sample | what it shows | styles |", "|---|---|---|"]
        for sample in (s for s in SAMPLES if s.form == form):
            lines.append(f"| `{sample.name}` | {sample.about} | {styles_of(sample)} |")
        lines.append("")
    path = REPO / "samples" / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main() -> None:
    for sample in SAMPLES:
        status = write_sample(sample)
        print(f"{status:>5}  samples/{sample.form}/{sample.name}.docx + .json")
    print(f"wrote  {write_readme().relative_to(REPO)}")


if __name__ == "__main__":
    main()
