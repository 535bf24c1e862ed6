#!/usr/bin/env python3
"""Generated filled forms: random records written in the editing styles people use.

    python samples/tools/generate.py FORM N OUTDIR [--seed S]     (FORM: esao-1-2, esao-3-1 or all)

writes N documents ``OUTDIR/<form>-<i>.docx``, each with the JSON parsing must return beside it
(``<form>-<i>.json``: file, form, record, warnings, error, as in samples/) and one line per
document in ``OUTDIR/styles.jsonl`` naming its seed and the styles it was written in
(``make_case(form, seed)`` rebuilds it). The same seed gives the same bytes.

As a library (tests/test_editing_scale.py):

* :func:`random_record` -- a record as an office would type it, from a small Thai vocabulary
  (so printed labels never appear inside answers by accident); esao-3-1 photos are PNG bytes;
* :func:`choose_styles` -- per document and per field: where the text lands (over, before or
  after the dots, below the prompt with the dots kept or deleted, on the label's own line),
  how it is stored (one run, runs split mid-word, a plain-text content control, a tracked
  insertion with a deleted wrong answer), comments, extra empty paragraphs and table rows,
  every tick encoding of ``editing.TICKS``, the office in the header, a retyped year, and a
  form "re-typed in a new document" (:func:`retyped_original`), its esao-3-1 attachment as
  printed or as a label | answer table;
* :func:`generate` -- the .docx bytes; :func:`expected` -- the record and warning codes
  parsing must give back: ``Filler(form).canonical(record)`` of what was typed, with the
  fiscal year as printed in the document; :func:`make_case` -- all of it from one seed.

Like make_samples.py, the generator is written from the forms' printed layout and the record
contract only (the editing functions in editing.py), never from the parser, so it checks the
parser independently. ``Filler.canonical`` is the contract's own statement of normalization.
"""
from __future__ import annotations

import argparse
import atexit
import hashlib
import io
import json
import random
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml.etree import _Element

sys.path.insert(0, str(Path(__file__).resolve().parent))
import editing as ed
import make_samples as ms

if TYPE_CHECKING:
    from formkit.fill.filler import Filler

REPO = Path(__file__).resolve().parents[2]
FORMS = ("esao-1-2", "esao-3-1")
Record = dict[str, Any]

# --------------------------------------------------------------------------- vocabulary

OPENERS = (
    "จัดทำ", "ส่งเสริม", "พัฒนา", "ดำเนินการ", "สนับสนุน", "ติดตาม", "จัดอบรม", "จัดประชุม",
    "บุคลากร", "สำนักงาน", "ครู", "นักเรียน", "ผู้บริหาร", "งบประมาณ", "ควร", "ขาด", "มีการ",
    "ใช้", "นำ", "สร้าง", "ปรับปรุง", "เผยแพร่", "ประเมิน", "วิเคราะห์", "รวบรวม", "แต่งตั้ง",
    "ลด", "เพิ่ม", "โรงเรียน", "สถานศึกษา", "ชุมชน", "เครือข่าย", "ระบบ", "ทุกกลุ่มงาน",
    "เจ้าหน้าที่", "ศึกษานิเทศก์", "การอบรม", "ดําเนินงาน",  # the last: sara am typed as U+0E4D U+0E32
)
"""Words a line of an answer starts with: none begins like a printed label."""

WORDS = (
    "การเรียนรู้", "อย่างต่อเนื่อง", "ทุกไตรมาส", "ผ่านระบบออนไลน์", "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)",
    "KM", "PLC", "R2R", "PDCA", "DMC", "Google Meet", "ต่าง ๆ", "เรื่อย ๆ", "มากขึ้น", "กรุงเทพฯ",
    "ฯลฯ", "KM & PLC", "R&D", "งบประมาณ < ๕๐%", "ผู้เข้าร่วม > 100 คน", "\"ห้องสมุดมีชีวิต\"",
    "ระดับจังหวัด", "ของสำนักงาน", "บุคลากรทุกคน", "กลุ่มงาน", "ความรู้", "แผนพัฒนาตนเอง", "วิจัย",
    "แหล่งเรียนรู้", "คลังความรู้", "ครูแกนนำ", "ภาคีเครือข่าย", "ผู้ปกครอง", "และ", "เพื่อ", "ให้",
    "ได้", "ร่วมกับ", "ทุกคน", "ทุกเดือน", "ภาคเรียนละ", "ครั้ง", "ปีละ", "อย่างเป็นระบบ", "e-Learning",
    "การ\u200bนิเทศ", "ร้อยละ\u00a085", "คุณภาพ", "ประสิทธิภาพ", "ความร่วมมือ", "ออนไลน์", "เว็บไซต์", "แดชบอร์ด",
)
"""Words for the rest of a line: realistic, with & < > " ฯ ๆ, a zero-width and a no-break space."""

TITLE_HEADS = ("โครงการ", "ระบบ", "การพัฒนา", "นวัตกรรม", "แนวทาง", "โรงเรียน", "ศูนย์")
TITLE_WORDS = WORDS
"""Words of a work's title. Without "กลุ่ม": the parser reads "กลุ่ม" inside a title as the
group label printed on the next line (tests/test_editing_scale.py, the xfail case)."""
GROUPS = (
    "นโยบายและแผน", "อำนวยการ", "บริหารงานบุคคล", "ส่งเสริมการจัดการศึกษา",
    "นิเทศ ติดตามและประเมินผลการจัดการศึกษา", "บริหารงานการเงินและสินทรัพย์",
    "ส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร", "พัฒนาครูและบุคลากรทางการศึกษา",
    "ตรวจสอบภายใน", "กฎหมายและคดี", "หน่วยตรวจสอบภายใน", "ศูนย์เทคโนโลยีสารสนเทศ",
    "กลุ่มนโยบายและแผน", "กลุ่มส่งเสริมการจัดการศึกษา",  # the printed "กลุ่ม" typed again
)
EVIDENCE_HEADS = ("โครงการ", "คำสั่งแต่งตั้งคณะทำงาน", "บันทึกการประชุม", "ภาพกิจกรรม", "สรุปผลการอบรม",
                  "เว็บไซต์คลังความรู้", "คู่มือ", "ประกาศ")
PROVINCES = ("ขอนแก่น", "เชียงใหม่", "นครราชสีมา", "สงขลา", "อุบลราชธานี", "ลำปาง", "ชลบุรี", "ตรัง")
COMMENTS = ("ขอให้ระบุรายละเอียดเพิ่มเติม", "ตรวจแล้ว", "โปรดแนบหลักฐาน", "ถูกต้อง")
FISCAL_YEARS = {
    "esao-1-2": ("2565", "2566", "2567", "๒๕๖๖"),
    "esao-3-1": ("2563 - 2564", "2564 - 2565", "๒๕๖๔ - ๒๕๖๕", "2565-2566"),
}
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

PRINTED_LABELS = (
    *(f.prompt for f in ed.ESAO_1_2_TEXT), *(f.prompt for f in ed.ESAO_3_1_WORK),
    *ed.ESAO_1_2_BOXES.values(), *ed.ESAO_3_1_BOXES.values(), ed.PHOTOS_PROMPT, ed.ESAO_1_2_EVIDENCE_CELL,
    "ผลงานชิ้นที่", "ผลสำเร็จ", "หมายเหตุ", "เอกสารแนบ", "ระดับคุณภาพ", "ผลงาน Best Practice ประจำปีงบประมาณ",
)
"""The printed labels and headings of both forms: no answer line may start like one."""

_KEY_DROP = re.compile(r"[\s.…_:()\-–—/]+")
_ENUMERATION = re.compile(r"^\(?[0-9๐-๙]+[.)]?")


def label_key(text: str) -> str:
    """Text compared as a reader compares labels: no spacing or punctuation, no leading number."""
    return _KEY_DROP.sub("", _ENUMERATION.sub("", text.strip())).casefold()


def looks_like_label(line: str) -> bool:
    """True when ``line`` starts with a printed label, or with half or more of a long one."""
    key = label_key(line)
    for label in map(label_key, PRINTED_LABELS):
        shared = next((i for i, (a, b) in enumerate(zip(key, label)) if a != b), min(len(key), len(label)))
        if shared == len(label) or (len(label) >= 8 and shared >= len(label) // 2):
            return True
    return False


def number(rng: random.Random, low: int, high: int) -> str:
    """A number as offices write them: Arabic or Thai digits."""
    text = str(rng.randint(low, high))
    return text.translate(THAI_DIGITS) if rng.random() < 0.3 else text


def thai_line(rng: random.Random, openers: Sequence[str] = OPENERS, words: int = 6,
              vocabulary: Sequence[str] = WORDS) -> str:
    """One line of an answer: an opener, then words and now and then a number."""
    tokens = [rng.choice(openers)]
    for _ in range(rng.randint(1, words)):
        tokens.append(f"{number(rng, 1, 500)} คน" if rng.random() < 0.1 else rng.choice(vocabulary))
    line = " ".join(tokens)
    if looks_like_label(line):
        raise ValueError(f"the vocabulary made a line that reads as a printed label: {line!r}")
    return line


def thai_text(rng: random.Random, max_lines: int = 4) -> str:
    """A multi-line answer (now and then empty), its lines sometimes numbered: 1) 1. (1) or Thai digits."""
    count = rng.choice([0, *range(1, max_lines + 1)]) if rng.random() < 0.9 else 0
    numbered = rng.random() < 0.3
    style = rng.choice(["{}) ", "{}. ", "({}) "])
    lines = []
    for n in range(1, count + 1):
        prefix = style.format(str(n).translate(THAI_DIGITS) if rng.random() < 0.3 else n) if numbered else ""
        lines.append(prefix + thai_line(rng))
    return "\n".join(lines)


def office_name(rng: random.Random) -> str:
    level = rng.choice(["ประถมศึกษา", "มัธยมศึกษา"])
    return f"สำนักงานเขตพื้นที่การศึกษา{level}{rng.choice(PROVINCES)} เขต {number(rng, 1, 5)}"


def solid_pngs(rng: random.Random, count: int, taken: set[bytes]) -> list[bytes]:
    """``count`` small solid-colour PNGs (random size and colour), none equal to one in ``taken``."""
    out: list[bytes] = []
    while len(out) < count:
        png = ed.solid_png((rng.randrange(256), rng.randrange(256), rng.randrange(256)),
                           rng.randint(8, 40), rng.randint(6, 30))
        if png not in taken:
            taken.add(png)
            out.append(png)
    return out


def random_record_1_2(rng: random.Random) -> Record:
    """An esao-1-2 record as an office types it (optional office and fiscal_year)."""
    record: Record = {
        "level": rng.choice([None, 1, 2, 3, 4, 5]),
        "process": thai_text(rng, 5), "problems": thai_text(rng, 3), "suggestions": thai_text(rng, 3),
        "evidence": {key: rng.random() < 0.6 for key in ed.ESAO_1_2_BOXES},
        "other_evidence": [thai_line(rng, EVIDENCE_HEADS, 4) for _ in range(rng.randint(0, 4))],
    }
    _optional_fields(rng, record, "esao-1-2")
    return record


def random_work(rng: random.Random, taken: set[bytes]) -> Record:
    """One attachment block's answers; now and then left empty, or with photos only."""
    work: Record = {
        "title": thai_line(rng, TITLE_HEADS, 4, TITLE_WORDS) if rng.random() < 0.9 else "",
        "group": rng.choice(GROUPS) if rng.random() < 0.9 else "",
    }
    for key in ("background", "method", "technique", "quantitative", "qualitative", "success_factors", "dissemination"):
        work[key] = thai_text(rng, 4)
    work["photos"] = solid_pngs(rng, rng.randint(0, 6), taken)
    if rng.random() < 0.05:
        work = {**{key: "" for key in work}, "photos": work["photos"] if rng.random() < 0.5 else []}
    return work


def random_record_3_1(rng: random.Random) -> Record:
    """An esao-3-1 record: 0-7 works with every sub-field, 0-6 distinct PNG photos each."""
    taken: set[bytes] = set()
    record: Record = {
        "level": rng.choice([None, 1, 2, 3, 4, 5]),
        "evidence": {"works_detail": rng.random() < 0.6},
        "works": [random_work(rng, taken) for _ in range(rng.randint(0, 7))],
    }
    _optional_fields(rng, record, "esao-3-1")
    return record


def _optional_fields(rng: random.Random, record: Record, form_id: str) -> None:
    if rng.random() < 0.4:
        record["office"] = office_name(rng)
    if rng.random() < 0.5:
        record["fiscal_year"] = rng.choice(FISCAL_YEARS[form_id])


def random_record(form_id: str, rng: random.Random) -> Record:
    """A record of ``form_id`` as an office types it."""
    return {"esao-1-2": random_record_1_2, "esao-3-1": random_record_3_1}[form_id](rng)


# --------------------------------------------------------------------------- styles

TYPISTS = ("plain", "plain", "plain", "split", "control", "tracked")
PHOTO_LAYOUTS = ("paragraphs", "table", "vml")
PLACEMENTS: dict[str | None, tuple[str, ...]] = {
    "next": ("over", "before", "after", "below", "below-dots-deleted", "same-line"),
    "same": ("over", "before", "after", "below"),
    None: ("below", "same-line"),
    "lines": ("over", "before", "after", "below", "below-dots-deleted"),
    "cell": ("answer-cell", "below", "same-line"),
}
"""Where text may land, by the field's dotted line: on the next paragraph, on the label's own
line ("ชื่อผลงาน......"), none printed, numbered lines ("1. ......"; "below": a list typed
under the label, the first dotted line kept or deleted), or a label | answer table ("cell":
typed in the answer cell, or in the label's own cell below or after the label)."""
RETYPED_LAYOUTS = ("paragraphs", "label-table", "label-table-photos")
"""How a re-typed esao-3-1 lays out its attachment block: as printed (paragraphs), as a
label | answer table with the photos below it, or with the photos in the table's last row
(a layout the parser gets wrong: the xfail case in tests/test_editing_scale.py)."""


@dataclass(frozen=True)
class Styles:
    """How one document is written. ``places`` maps a field ("process", "other_evidence",
    "method@2" for work 2) to its :class:`make_samples.Place`; ``year`` is the year retyped
    into the printed labels (None: left as printed); ``retyped``: None for the original, else
    a layout of :data:`RETYPED_LAYOUTS` for a form re-typed in a new document."""

    places: Mapping[str, ms.Place]
    level_tick: str
    evidence_ticks: Mapping[str, str]
    retyped: str | None = None
    retyped_merged: bool = True
    retyped_glued: bool = False
    numbered_items: bool = True
    year: str | None = None
    empty_row: bool = False
    photos: Mapping[int, str] = field(default_factory=dict)
    extra_blocks: int = 0
    split_sizes: tuple[int, ...] = (5, 2, 9, 3, 7, 1, 11, 4)

    def place(self, key: str, work: int | None = None) -> ms.Place:
        return self.places.get(f"{key}@{work}") or self.places.get(key) or ms.Place()

    @property
    def tracked(self) -> bool:
        return any(p.typist == "tracked" for p in self.places.values())

    @property
    def commented(self) -> bool:
        return any(p.comment for p in self.places.values())


def random_place(rng: random.Random, dots: str | None, lines: int, typists: Sequence[str] = TYPISTS) -> ms.Place:
    """One field's style; a tracked answer sometimes replaces a deleted wrong one."""
    how = rng.choice(PLACEMENTS[dots])
    typist = rng.choice(typists)
    return ms.Place(
        how="below" if how == "below-dots-deleted" else how,
        typist=typist,
        keep_dots=how != "below-dots-deleted",
        soft_breaks=lines > 1 and rng.random() < 0.35,
        retract=thai_line(rng, words=3) if typist == "tracked" and rng.random() < 0.5 else None,
        comment=rng.choice(COMMENTS) if rng.random() < 0.06 else None,
        blank_after=rng.random() < 0.08 and dots != "lines",
    )


def field_places(rng: random.Random, form_id: str, record: Record, typists: Sequence[str] = TYPISTS,
                 in_cells: bool = False) -> dict[str, ms.Place]:
    """A place for each field the record answers (``in_cells``: esao-3-1 re-typed as a
    label | answer table)."""
    places: dict[str, ms.Place] = {}
    if form_id == "esao-1-2":
        for text_field in ed.ESAO_1_2_TEXT:
            if record[text_field.key]:
                places[text_field.key] = random_place(rng, text_field.dots, record[text_field.key].count("\n") + 1, typists)
        if record["other_evidence"]:
            places["other_evidence"] = random_place(rng, "lines", len(record["other_evidence"]), typists)
        return places
    for n, work in enumerate(record["works"], start=1):
        for text_field in ed.ESAO_3_1_WORK:
            if work[text_field.key]:
                lines = work[text_field.key].count("\n") + 1
                dots = "cell" if in_cells else text_field.dots
                places[f"{text_field.key}@{n}"] = random_place(rng, dots, lines, typists)
    return places


def choose_styles(form_id: str, record: Record, rng: random.Random, typists: Sequence[str] = TYPISTS) -> Styles:
    """Styles picked per document and per field, from ``rng`` only (answers stored only by
    ``typists``)."""
    ticks = sorted(ed.TICKS)
    level_tick = rng.choice(ticks)
    boxes = ed.ESAO_1_2_BOXES if form_id == "esao-1-2" else ed.ESAO_3_1_BOXES
    year = record.get("fiscal_year") if rng.random() < 0.7 else None
    layouts = RETYPED_LAYOUTS[:2] if form_id == "esao-3-1" else RETYPED_LAYOUTS[:1]
    retyped = rng.choice(layouts) if rng.random() < 0.15 else None
    glued = rng.random() < 0.5
    box_ticks = list(ticks)
    return Styles(
        places=field_places(rng, form_id, record, typists, in_cells=retyped == "label-table"),
        level_tick=level_tick,
        evidence_ticks={key: level_tick if rng.random() < 0.3 and level_tick in box_ticks else rng.choice(box_ticks)
                        for key in boxes},
        retyped=retyped,
        retyped_merged=rng.random() < 0.5,
        retyped_glued=glued,
        numbered_items=rng.random() < 0.5,
        year=year if year and year != printed_year(form_id) else None,
        empty_row=rng.random() < 0.1,
        photos={n: rng.choice(PHOTO_LAYOUTS) for n, w in enumerate(record.get("works", []), 1) if w["photos"]},
        extra_blocks=1 if form_id == "esao-3-1" and rng.random() < 0.1 else 0,
        split_sizes=tuple(rng.randint(1, 9) for _ in range(rng.randint(3, 8))),
    )


STYLE_NAMES = (
    *(f"place:{how}" for how in ("over", "before", "after", "below", "below-dots-deleted", "same-line", "answer-cell")),
    "soft-breaks", *(f"typist:{name}" for name in sorted(set(TYPISTS))), "tracked:deleted-wrong-answer",
    "comment", "extra-empty-paragraph", "extra-empty-row", *(f"tick:{name}" for name in ed.TICKS),
    *(f"photos:{layout}" for layout in PHOTO_LAYOUTS), "retyped-document", "retyped-label-table", "year-retyped",
    "office-in-header", "untouched-block",
)
"""Every style :func:`style_names` reports."""


def style_names(record: Record, styles: Styles) -> set[str]:
    """The named styles (of :data:`STYLE_NAMES`) a document was written in; a tick style
    counts when it ticks a box."""
    names: set[str] = set()
    for place in styles.places.values():
        names.add("place:" + ("below-dots-deleted" if place.how == "below" and not place.keep_dots else place.how))
        names.add(f"typist:{place.typist}")
        names.update(name for name, used in (("tracked:deleted-wrong-answer", place.retract),
                                              ("comment", place.comment),
                                              ("extra-empty-paragraph", place.blank_after),
                                              ("soft-breaks", place.soft_breaks)) if used)
    ticked = [styles.level_tick] if record["level"] else []
    ticked += [styles.evidence_ticks[k] for k, on in record["evidence"].items() if on]
    names.update(f"tick:{name}" for name in ticked)
    names.update(f"photos:{layout}" for layout in styles.photos.values())
    if styles.retyped:
        names.add("retyped-document" if styles.retyped == "paragraphs" else "retyped-label-table")
    for name, used in (("year-retyped", styles.year),
                       ("extra-empty-row", styles.empty_row), ("office-in-header", record.get("office")),
                       ("untouched-block", styles.extra_blocks)):
        if used:
            names.add(name)
    return names


# --------------------------------------------------------------------------- the base document


@cache
def original_bytes(form_id: str) -> bytes:
    return (REPO / "forms" / form_id / "original.docx").read_bytes()


@cache
def printed_year(form_id: str) -> str:
    """The year the original prints in its labels ("2565", "2563 - 2564")."""
    root = ed.load_document(ed.Package.from_bytes(original_bytes(form_id)))
    text = " ".join(ed.collapse(ed.paragraph_text(p)) for p in root.iter(ed.q("w:p")))
    match = re.search(r"พ\.ศ\.\s*(\d{4}(?:\s*-\s*\d{4})?)", text)
    if match is None:
        raise LookupError(f"{form_id}: no printed year")
    return match.group(1)


Inline = tuple[str, str, str]
"""A piece of a paragraph's content: ("text", text, "") or ("sym", font, char)."""


def inlines(p: _Element, glued: bool = False) -> list[Inline]:
    """What a person sees in a printed paragraph, in order: text (tabs, breaks and runs of
    spaces as one space, none at the ends) and symbol glyphs (boxes, bullets); ``glued``:
    no space between a glyph and the text after it ("❒แผนปฏิบัติการ...")."""
    out: list[Inline] = []
    for node in p.iter(ed.q("w:t"), ed.q("w:tab"), ed.q("w:br"), ed.q("w:sym")):
        if node.tag == ed.q("w:sym"):
            out.append(("sym", node.get(ed.q("w:font"), ""), node.get(ed.q("w:char"), "")))
        elif node.getparent().tag == ed.q("w:r"):
            text = (node.text or "") if node.tag == ed.q("w:t") else " "
            if out and out[-1][0] == "text":
                out[-1] = ("text", out[-1][1] + text, "")
            else:
                out.append(("text", text, ""))
    pieces = [(kind, re.sub(r"\s+", " ", a) if kind == "text" else a, b) for kind, a, b in out]
    if glued:
        pieces = [(k, a.lstrip() if k == "text" and n and pieces[n - 1][0] == "sym" else a, b)
                  for n, (k, a, b) in enumerate(pieces)]
    if pieces and pieces[0][0] == "text":
        pieces[0] = ("text", pieces[0][1].lstrip(), "")
    if pieces and pieces[-1][0] == "text":
        pieces[-1] = ("text", pieces[-1][1].rstrip(), "")
    return [piece for piece in pieces if piece[0] == "sym" or piece[1]]


def _type_paragraph(paragraph: Any, pieces: Sequence[Inline]) -> None:
    """Retype one paragraph into a python-docx paragraph: text runs and Insert > Symbol glyphs."""
    for kind, a, b in pieces:
        run = paragraph.add_run(a if kind == "text" else None)
        if kind == "sym":
            sym = OxmlElement("w:sym")
            sym.set(qn("w:font"), a)
            sym.set(qn("w:char"), b)
            run._r.append(sym)


def _continues_merge(tc: _Element) -> bool:
    """A cell that continues a vertical merge (``w:vMerge`` without val="restart")."""
    vmerge = tc.find(f"{ed.q('w:tcPr')}/{ed.q('w:vMerge')}")
    return vmerge is not None and vmerge.get(ed.q("w:val")) != "restart"


def _retype_table(doc: Any, tbl: _Element, merged: bool, glued: bool) -> None:
    """The quality table retyped: same rows, columns and cell text; the cells the original
    merges down the rows (narrative, evidence) merged again (``merged``) or left as separate
    empty cells."""
    rows = [tr.findall(ed.q("w:tc")) for tr in tbl.findall(ed.q("w:tr"))]
    table = doc.add_table(rows=len(rows), cols=max(map(len, rows)))
    table.style = "Table Grid"
    continued = {(r, c) for r, tcs in enumerate(rows) for c, tc in enumerate(tcs) if _continues_merge(tc)}
    for r, tcs in enumerate(rows):
        for c, tc in enumerate(tcs):
            if (r, c) not in continued:
                cell = table.cell(r, c)
                for index, p in enumerate(tc.findall(ed.q("w:p"))):
                    _type_paragraph(cell.paragraphs[0] if index == 0 else cell.add_paragraph(), inlines(p, glued))
    for r, c in sorted(continued) if merged else ():
        start = max(row for row in range(r) if (row, c) not in continued)
        table.cell(start, c).merge(table.cell(r, c))


def _retype_block_as_table(doc: Any, block: Sequence[_Element]) -> None:
    """An attachment block's labels as a two-column table: the label (dots dropped) and an
    empty cell to answer in, one row per printed label."""
    labels = [ed.LEADER.sub("", ed.collapse(ed.paragraph_text(p))).strip() for p in block]
    labels = [label for label in labels if label]
    table = doc.add_table(rows=len(labels), cols=2)
    table.style = "Table Grid"
    for row, label in zip(table.rows, labels):
        row.cells[0].paragraphs[0].add_run(label)


def _block_span(body: Sequence[_Element], layout: str) -> range:
    """The body children a label-table layout types as a table: after "ผลงานชิ้นที่ 1" up to
    the photo prompt (included with "label-table-photos"); empty for "paragraphs"."""
    if layout == "paragraphs":
        return range(0)
    texts = [ed.collapse(ed.paragraph_text(child)) for child in body]
    heading = next(i for i, text in enumerate(texts) if ed.WORK_HEADING.match(text))
    photos = next(i for i, text in enumerate(texts) if text.startswith(ed.PHOTOS_PROMPT))
    return range(heading + 1, photos + (layout == "label-table-photos"))


@cache
def retyped_original(form_id: str, merged: bool = True, glued: bool = False, layout: str = "paragraphs") -> bytes:
    """The form re-typed by an office in a new Word document (python-docx's blank document):
    the same paragraphs and labels in the same order, boxes inserted as symbols (``glued``:
    right against their labels), the quality table as a plain table (``merged``: narrative
    and evidence cells merged down the rows), the esao-3-1 attachment block laid out as
    ``layout`` (:data:`RETYPED_LAYOUTS`), an empty page header; none of the original's XML or
    formatting."""
    source = ed.load_document(ed.Package.from_bytes(original_bytes(form_id)))
    doc = docx.Document()
    doc.sections[0].header.is_linked_to_previous = False
    body = [child for child in source.find(ed.q("w:body")) if child.tag in (ed.q("w:p"), ed.q("w:tbl"))]
    span = _block_span(body, layout)
    for index, child in enumerate(body):
        if index in span:
            if index == span.start:
                _retype_block_as_table(doc, body[span.start:span.stop])
        elif child.tag == ed.q("w:p"):
            _type_paragraph(doc.add_paragraph(), inlines(child, glued))
        elif child.tag == ed.q("w:tbl"):
            _retype_table(doc, child, merged, glued)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- writing answers


def write_answer(filling: ms.Filling, prompt: _Element, dots: _Element | None, lines: Sequence[str],
                 place: ms.Place, alias: str, tag: str) -> list[_Element]:
    """One answer in ``place``'s style. "after" is typed at the end of the dotted line, and
    "answer-cell" into the (empty) answer cell ``dots`` of a label | answer table: both are
    the label's own-line style applied to that paragraph."""
    if place.how in ("after", "answer-cell"):
        assert dots is not None
        return ms.write_answer(filling, dots, None, lines, replace(place, how="same-line"), alias, tag)
    return ms.write_answer(filling, prompt, dots, lines, place, alias, tag)


def answer_cell(label: _Element) -> _Element:
    """The first paragraph of the cell right of ``label``'s cell (a label | answer table)."""
    right = ed.cell_of(label).getnext()
    first = right.find(ed.q("w:p")) if right is not None and right.tag == ed.q("w:tc") else None
    if first is None:
        raise LookupError(f"no answer cell right of {ed.paragraph_text(label)[:40]!r}")
    return first


def resolve(scope: _Element | Sequence[_Element], text_field: ed.TextField,
            in_cells: bool) -> tuple[_Element, _Element | None]:
    """(prompt, the paragraph its answer line is) of a field: the dotted line as printed, or
    the answer cell of a label | answer table (``in_cells``)."""
    if not in_cells:
        return ed.resolve_field(scope, text_field)
    prompt = ed.find_paragraph(scope, text_field.prompt)
    return prompt, answer_cell(prompt)


def answer_fields(filling: ms.Filling, styles: Styles, scope: _Element | Sequence[_Element],
                  fields: Sequence[ed.TextField], values: Mapping[str, Any], work: int | None = None) -> None:
    """Type each non-empty field; every anchor is found before typing starts. In a label |
    answer table the answer cell is the field's line only when typed in; the label's own cell
    takes the other placements."""
    in_cells = styles.retyped in ("label-table", "label-table-photos")
    anchors = {f.key: resolve(scope, f, in_cells) for f in fields}
    for text_field in fields:
        if values[text_field.key]:
            prompt, dots = anchors[text_field.key]
            place = styles.place(text_field.key, work)
            if in_cells and place.how != "answer-cell":
                dots = None
            write_answer(filling, prompt, dots, values[text_field.key].split("\n"), place,
                         ed.collapse(text_field.prompt), text_field.key)


def tick_boxes(root: _Element, styles: Styles, level: int | None, boxes: Mapping[str, str],
               evidence: Mapping[str, bool]) -> None:
    """The level box of ``level`` and the evidence boxes, each in its tick style."""
    runs = {n: ed.level_box(root, n) for n in range(1, 6)}
    for n, run in runs.items():
        ed.TICKS[styles.level_tick](run, checked=n == level)
    found = {key: ed.evidence_box(root, label) for key, label in boxes.items()}
    for key, run in found.items():
        ed.TICKS[styles.evidence_ticks[key]](run, checked=evidence[key])


def other_evidence(filling: ms.Filling, items: Sequence[str], place: ms.Place, numbered: bool) -> None:
    """The documents listed under "หลักฐานอื่น ๆ": one per numbered dotted line (lines added
    when the two printed ones are not enough), or as a list typed under the label (numbered
    "1. " or not) with the first dotted line kept or deleted."""
    root = filling.root
    lines = ed.other_evidence_lines(root)
    if place.how == "below":
        label = ed.evidence_box(root, ed.ESAO_1_2_BOXES["other"]).getparent()
        typed = [f"{n}. {item}" if numbered else item for n, item in enumerate(items, start=1)]
        write_answer(filling, label, lines[0], typed, place, "หลักฐานอื่น", "other_evidence")
        return
    while len(lines) < len(items):
        lines.append(ed.add_numbered_line(lines[-1], len(lines) + 1))
    for item, line in zip(items, lines):
        write_answer(filling, line, line, [item], place, "หลักฐานอื่น", "other_evidence")


def fill_esao_1_2(filling: ms.Filling, record: Record, styles: Styles) -> None:
    root = filling.root
    answer_fields(filling, styles, root, ed.ESAO_1_2_TEXT, record)
    if record["other_evidence"]:
        other_evidence(filling, record["other_evidence"], styles.place("other_evidence"), styles.numbered_items)
    tick_boxes(root, styles, record["level"], ed.ESAO_1_2_BOXES, record["evidence"])


def add_photos(filling: ms.Filling, block: Sequence[_Element], pngs: Sequence[bytes], layout: str,
               in_cell: bool = False) -> None:
    """Pictures under the block's photo prompt (``in_cell``: in the answer cell right of it):
    two per paragraph, in a table, or as VML."""
    prompt = ed.find_paragraph(block, ed.PHOTOS_PROMPT)
    if in_cell:
        prompt = answer_cell(prompt)
    runs = ed.picture_runs(filling.pkg, filling.root, pngs, kind="vml" if layout == "vml" else "drawing")
    if layout == "table":
        ed.photos_in_table(prompt, runs)
    else:
        ed.photos_in_paragraphs(prompt, runs)


def fill_esao_3_1(filling: ms.Filling, record: Record, styles: Styles) -> None:
    root = filling.root
    ed.duplicate_work_block(root, max(1, len(record["works"])) + styles.extra_blocks)
    for n, (block, work) in enumerate(zip(ed.work_blocks(root), record["works"]), start=1):
        answer_fields(filling, styles, block, ed.ESAO_3_1_WORK, work, n)
        if work["photos"]:
            add_photos(filling, block, work["photos"], styles.photos[n], styles.retyped == "label-table-photos")
    tick_boxes(root, styles, record["level"], ed.ESAO_3_1_BOXES, record["evidence"])


FILLERS: dict[str, Callable[[ms.Filling, Record, Styles], None]] = {
    "esao-1-2": fill_esao_1_2, "esao-3-1": fill_esao_3_1,
}


def generate(form_id: str, record: Record, styles: Styles | None = None, seed: int | str = 0) -> bytes:
    """The .docx an office returns for ``record``, written in ``styles`` (picked from ``seed``
    when not given): the original (or a re-typed copy) with the year retyped first, then the
    answers, boxes, extra table row, header and the comments and rsids Word adds on save."""
    styles = styles or choose_styles(form_id, record, random.Random(seed))
    base = retyped_original(form_id, styles.retyped_merged, styles.retyped_glued, styles.retyped) \
        if styles.retyped else original_bytes(form_id)
    pkg = ed.Package.from_bytes(base)
    filling = ms.Filling(pkg, ed.load_document(pkg), split_typist=ed.SplitRunsTypist(sizes=styles.split_sizes))
    if styles.year:
        ed.replace_printed_text(filling.root, printed_year(form_id), styles.year)
    FILLERS[form_id](filling, record, styles)
    if styles.empty_row:
        ed.append_empty_row(ed.quality_table(filling.root))
    if record.get("office"):
        ed.set_header_text(pkg, record["office"])
    filling.finish()
    return pkg.to_bytes()


# --------------------------------------------------------------------------- what parsing must return

_PHOTO_DIR: list[Path] = []


def photo_path(png: bytes) -> str:
    """A file holding ``png`` (the fill contract names photos by path), in a temporary folder
    removed at exit."""
    if not _PHOTO_DIR:
        _PHOTO_DIR.append(Path(tempfile.mkdtemp(prefix="formkit-generate-")))
        atexit.register(shutil.rmtree, _PHOTO_DIR[0], True)
    path = _PHOTO_DIR[0] / f"{hashlib.sha256(png).hexdigest()}.png"
    if not path.exists():
        path.write_bytes(png)
    return str(path)


@cache
def _filler(form_id: str) -> Filler:
    """The form's filler, whose ``canonical`` states what parse returns for a typed record."""
    from formkit import forms
    from formkit.fill.filler import Filler

    return Filler(forms.load(form_id))


def expected(form_id: str, record: Record, styles: Styles) -> tuple[Record, list[str]]:
    """The record parsing must return (``Filler.canonical`` of what was typed, the fiscal year
    as printed) and the sorted warning codes (tracked changes, comments, and lines typed under
    a box left unticked: ``fill_warnings`` of what was typed)."""
    from formkit.fill.filler import fill_warnings

    typed = {key: value for key, value in record.items() if key != "fiscal_year"}
    if styles.year:
        typed["fiscal_year"] = styles.year
    if "works" in typed:
        # canonical drops one printed label a value repeats (fill writes the label once); what was
        # typed after the printed label is read as typed, so it is given with the label once more
        labels = {f.name: f.label for f in _filler(form_id).form.field("works").fields if f.kind == "value"}
        typed["works"] = [{**w, **{k: labels[k] + w[k] for k in labels if w.get(k)},
                           "photos": [photo_path(p) for p in w["photos"]]} for w in typed["works"]]
    codes = [code for code, on in (("comments-ignored", styles.commented), ("tracked-changes", styles.tracked)) if on]
    codes += [w.code for w in fill_warnings(_filler(form_id).form, typed)]
    return _filler(form_id).canonical(typed), sorted(codes)


@dataclass(frozen=True)
class Case:
    """One generated document and what parsing it must give."""

    form: str
    seed: str
    record: Record
    styles: Styles
    data: bytes
    want: Record
    warnings: list[str]

    @property
    def names(self) -> set[str]:
        return style_names(self.record, self.styles)


def case_of(form_id: str, name: str, record: Record, styles: Styles) -> Case:
    """The document ``record`` written in ``styles``, and what parsing it must give."""
    want, warnings = expected(form_id, record, styles)
    return Case(form_id, name, record, styles, generate(form_id, record, styles), want, warnings)


def make_case(form_id: str, seed: str, typists: Sequence[str] = TYPISTS) -> Case:
    """Record, styles, document and expectation, all from one seed."""
    rng = random.Random(f"{form_id}/{seed}")
    record = random_record(form_id, rng)
    return case_of(form_id, seed, record, choose_styles(form_id, record, rng, typists))


def cases(form_id: str, count: int, seed: int | str = 0, typists: Sequence[str] = TYPISTS) -> Iterator[Case]:
    """``count`` documents of ``form_id``; document i is made from seed ``"<seed>:<i>"``."""
    for index in range(count):
        yield make_case(form_id, f"{seed}:{index}", typists)


# --------------------------------------------------------------------------- command line


def write_cases(form_id: str, count: int, outdir: Path, seed: int | str, index: IO[str]) -> int:
    """Write ``count`` documents of ``form_id`` with their expected JSON, and a line per
    document to ``index``; returns how many."""
    for n, case in enumerate(cases(form_id, count, seed)):
        path = outdir / f"{form_id}-{n}.docx"
        path.write_bytes(case.data)
        document = {"file": str(path), "form": form_id, "record": case.want, "warnings": case.warnings, "error": None}
        path.with_suffix(".json").write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")
        line = {"file": str(path), "form": form_id, "seed": case.seed, "styles": sorted(case.names)}
        index.write(json.dumps(line, ensure_ascii=False) + "\n")
    return count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("form", choices=[*FORMS, "all"])
    parser.add_argument("count", type=int, help="documents per form")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", default="0", help="the same seed writes the same documents")
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    with (args.outdir / "styles.jsonl").open("w", encoding="utf-8") as index:
        written = sum(write_cases(form, args.count, args.outdir, args.seed, index)
                      for form in (FORMS if args.form == "all" else (args.form,)))
    print(f"wrote {written} document(s) and their expected JSON to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
