"""Locator kinds over hand-built document models (no XML): label drift,
text placement, box groups, the level column and repeated blocks."""
from __future__ import annotations

from pathlib import Path

import pytest

from formkit import forms
from formkit.docx.checkboxes import convert_document
from formkit.locate import locate
from formkit.locate.labels import make_label, match_start
from formkit.locate.stream import build
from formkit.docx.model import Break, Cell, Checkbox, Document, Image, Paragraph, Row, Symbol, Table, Text

DOTS = "." * 60
ROOT = Path(__file__).resolve().parent.parent


def P(*items: object) -> Paragraph:
    return Paragraph(tuple(Text(i) if isinstance(i, str) else i for i in items))  # type: ignore[misc]


def box(checked: bool = False) -> Checkbox:
    return Checkbox(checked, "symbol", "□", "Wingdings 2", 0xA3)


def cell(col: int, *paras: Paragraph, merged: bool = False) -> Cell:
    return Cell(tuple(paras), col, merged=merged)


def quality_table(ticks: dict[int, bool], narrative: tuple[Paragraph, ...], evidence: tuple[Paragraph, ...]) -> Table:
    header = Row((cell(0, P("ระดับคุณภาพ")), cell(1, P("คำอธิบายระดับคุณภาพ")),
                  cell(2, P("กระบวนการ วิธีการดำเนินงาน ปัญหา อุปสรรค")), cell(3, P("เอกสาร/หลักฐานอ้างอิง"))))
    rows = [header]
    for n, level in enumerate((5, 4, 3, 2, 1)):
        first = n == 0
        rows.append(Row((
            cell(0, P(box(ticks.get(level, False))), P(str(level))),
            cell(1, P(f"คำอธิบาย {level}")),
            cell(2, *narrative) if first else cell(2, P(""), merged=True),
            cell(3, *evidence) if first else cell(3, P(""), merged=True),
        )))
    return Table(tuple(rows))


NARRATIVE_LABELS = (
    "1.  กระบวนการ วิธีการดำเนินงานเกี่ยวกับการพัฒนาสู่องค์การแห่งการเรียนรู้ ของสำนักงานเขตพื้นที่การศึกษา (ตามประเด็นในแนวทางการพิจารณา)",
    "2.  ปัญหา อุปสรรค ",
    "3.  ข้อเสนอแนะเพื่อการพัฒนา",
)


def evidence_cell(ticks: tuple[bool, ...] = (False,) * 4, lines: tuple[str, ...] = ("1. " + DOTS, "2. " + DOTS)) -> tuple[Paragraph, ...]:
    labels = ("แผนปฏิบัติการประจำปีงบประมาณ ", "แผนการจัดการความรู้ประจำปีงบประมาณ พ.ศ. 2565",
              "รายงานสรุปผลการดำเนินงานจัดการความรู้ ประจำปีงบประมาณ พ.ศ. 2565",
              "หลักฐานอื่น ๆ ที่เกี่ยวข้อง (ถ้ามี) โปรดระบุ (เช่น โครงการ/กิจกรรม)")
    paras = [P(Symbol("Wingdings", 0x6C), " เอกสารที่ต้องนำส่งในระบบ")]
    for n, (label, tick) in enumerate(zip(labels, ticks)):
        extra = (Break(), "พ.ศ. 2565") if n == 0 else ()
        paras.append(P(Checkbox(tick, "symbol", "❒", "Wingdings", 0x72), " " + label, *extra))
    paras.extend(P(line) for line in lines)
    paras.append(P("ฯลฯ"))
    return tuple(paras)


def narrative(answers: tuple[str, str, str], label_drift: bool = False) -> tuple[Paragraph, ...]:
    out = []
    for label, answer in zip(NARRATIVE_LABELS, answers):
        if label_drift:
            label = label.replace(" (ตามประเด็นในแนวทางการพิจารณา)", "").replace("1.  ", "")
        out.append(P(label))
        out.append(P(answer or DOTS))
    out.append(P(""))
    return tuple(out)


def doc_12(levels: dict[int, bool], answers: tuple[str, str, str] = ("", "", ""), drift: bool = False, **evidence: object) -> Document:
    table = quality_table(levels, narrative(answers, drift), evidence_cell(**evidence))  # type: ignore[arg-type]
    body = (P("มาตรฐานที่ 1 การบริหารจัดการองค์การสู่ความเป็นเลิศ"),
            P("ตัวบ่งชี้ที่ 2 การพัฒนาสู่องค์การแห่งการเรียนรู้"), P("แนวทางการพิจารณา"), table)
    return convert_document(Document(body))


FORM_12 = forms.load("esao-1-2")
FORM_31 = forms.load("esao-3-1")


@pytest.mark.parametrize(
    "ticks, level, warned",
    [({}, None, False), ({4: True}, 4, False), ({1: True}, 1, False), ({5: True, 2: True}, None, True)],
)
def test_level_column(ticks: dict[int, bool], level: int | None, warned: bool) -> None:
    located = locate(FORM_12, doc_12(ticks))
    assert located.record["level"] == level
    assert any(w.code == "multiple-levels-ticked" for w in located.warnings) is warned


def test_sections_over_and_below_the_dots() -> None:
    answers = ("ส่งเสริม KM" + DOTS, "งบประมาณน้อย", "ควรเพิ่ม & ขยาย <PLC>")
    rec = locate(FORM_12, doc_12({3: True}, answers)).record
    assert (rec["process"], rec["problems"], rec["suggestions"]) == ("ส่งเสริม KM", "งบประมาณน้อย", "ควรเพิ่ม & ขยาย <PLC>")


def test_section_label_drift_auto_numbering_and_missing_trailing_words() -> None:
    rec = locate(FORM_12, doc_12({}, ("ก", "ข", "ค"), drift=True)).record
    assert (rec["process"], rec["problems"], rec["suggestions"]) == ("ก", "ข", "ค")


def test_boxes_lines_and_year() -> None:
    d = doc_12({}, ticks=(True, False, True, True), lines=("1. โครงการ ก" + DOTS, "2. " + DOTS, "3. กิจกรรม ข"))
    rec = locate(FORM_12, d).record
    assert rec["evidence"] == {"action_plan": True, "km_plan": False, "km_report": True, "other": True}
    assert rec["other_evidence"] == ["โครงการ ก", "กิจกรรม ข"]
    assert rec["fiscal_year"] == "2565"


def test_value_on_the_label_line() -> None:
    para = build((P("กลุ่มนโยบายและแผน" + DOTS),)).paras[0]
    hit = match_start(make_label("กลุ่ม"), para)
    assert hit is not None and para.text[hit.end:].rstrip(".") == "นโยบายและแผน"


@pytest.mark.parametrize(
    "label, text, matches",
    [
        ("2. ปัญหา อุปสรรค", "2.ปัญหาอุปสรรค", True),
        ("2. ปัญหา อุปสรรค", "ปัญหาที่พบคือ", False),  # an answer that starts like a label
        ("แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2565", "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๖", True),
        ("ชื่อผลงาน", "ชื่อ", False),
        ("เชิงปริมาณ", "เชิงคุณภาพ", False),
    ],
)
def test_label_matching(label: str, text: str, matches: bool) -> None:
    para = build((P(text),)).paras[0]
    assert (match_start(make_label(label), para) is not None) is matches


def _work(n: int, title: str, group: str, photos: int, method_lines: tuple[str, ...] = ()) -> list[Paragraph]:
    pics = [Image(f"{n}{i}".ljust(64, "0"), "image/png", f"word/media/{n}{i}.png") for i in range(photos)]
    return [
        P(f"ผลงานชิ้นที่ {n}"), P("ชื่อผลงาน" + (title or DOTS)), P("กลุ่ม" + (group or DOTS)),
        P("ความเป็นมา"), P(" วิธีการดำเนินงาน/กระบวนการ "), *(P(m) for m in method_lines or (DOTS,)),
        P("รูปแบบ/เทคนิค ที่ทำให้เกิดความสำเร็จ"), P(DOTS), P(""), P("ผลสำเร็จ"), P("เชิงปริมาณ"), P(DOTS),
        P("เชิงคุณภาพ"), P(" ปัจจัยส่งผลให้เกิดความสำเร็จ"), P(DOTS),
        P("การเผยแพร่/ประชาสัมพันธ์/หน่วยงานที่มาศึกษาดูงาน"), P(DOTS),
        P("ตัวอย่างภาพกิจกรรม (อย่างน้อย 4 ภาพกิจกรรม)"), P(*pics[:2]), P(*pics[2:]), P(" "),
    ]


def test_repeated_blocks() -> None:
    body = [P("มาตรฐานที่ 3 สัมฤทธิผลการบริหารและการจัดการศึกษา"), P("ผลงาน Best Practice ประจำปีงบประมาณ พ.ศ. 2563 - 2564")]
    body += _work(1, "ระบบ A", "นโยบายและแผน", 4, ("ขั้นที่ 1", "ขั้นที่ 2"))
    body += _work(2, "", "", 0)  # untouched: not a work
    body += _work(3, "ระบบ C", "", 1)
    rec = locate(FORM_31, convert_document(Document(tuple(body)))).record
    assert [w["title"] for w in rec["works"]] == ["ระบบ A", "ระบบ C"]
    first = rec["works"][0]
    assert first["group"] == "นโยบายและแผน" and first["method"] == "ขั้นที่ 1\nขั้นที่ 2"
    assert first["background"] == "" and first["technique"] == ""
    assert len(first["photos"]) == 4 and first["photos"][0]["media_type"] == "image/png"
    assert len(rec["works"][1]["photos"]) == 1
    assert rec["fiscal_year"] == "2563 - 2564"


def test_level_table_without_its_header_row() -> None:
    table = quality_table({2: True}, narrative(("", "", "")), evidence_cell())
    headerless = Table(table.rows[1:])
    doc = convert_document(Document((P("มาตรฐานที่ 1 การบริหารจัดการองค์การสู่ความเป็นเลิศ"), headerless)))
    assert locate(FORM_12, doc).record["level"] == 2


def test_work_retyped_as_a_label_answer_table() -> None:
    def row(r: int, label: str, answer: str) -> Row:
        return Row((cell(0, P(label)), cell(1, P(answer) if answer else P(""))))

    rows = [row(0, "ชื่อผลงาน", "ระบบ A"), row(1, "กลุ่ม", "นโยบายและแผน"), row(2, "ความเป็นมา", ""),
            row(3, "วิธีการดำเนินงาน/กระบวนการ", "ขั้นที่ 1"), row(4, "รูปแบบ/เทคนิค ที่ทำให้เกิดความสำเร็จ", "3C")]
    body = (P("มาตรฐานที่ 3 สัมฤทธิผลการบริหารและการจัดการศึกษา"), P("ผลงานชิ้นที่ 1"), Table(tuple(rows)))
    (work,) = locate(FORM_31, convert_document(Document(body))).record["works"]
    assert (work["title"], work["group"], work["background"], work["method"], work["technique"]) == (
        "ระบบ A", "นโยบายและแผน", "", "ขั้นที่ 1", "3C")


def test_label_after_a_heading_on_the_same_line() -> None:
    body = [P("มาตรฐานที่ 3 สัมฤทธิผลการบริหารและการจัดการศึกษา"), P("ผลงานชิ้นที่ 1"), P("ชื่อผลงานระบบ A"),
            P("กลุ่มบริหารงานบุคคล"), P("รูปแบบ/เทคนิค ที่ทำให้เกิดความสำเร็จ"), P("เทคนิค 3C"),
            P("ผลสำเร็จ เชิงปริมาณ"), P("ครู 600 คน"), P("เชิงคุณภาพ"), P("ครูพึงพอใจ")]
    (work,) = locate(FORM_31, convert_document(Document(tuple(body)))).record["works"]
    assert (work["technique"], work["quantitative"], work["qualitative"]) == ("เทคนิค 3C", "ครู 600 คน", "ครูพึงพอใจ")
    assert work["group"] == "บริหารงานบุคคล"


# ---- the first-character index finds what a scan of every paragraph finds -------------

def _scan(label_text: str, exact: bool, stream, lo: int, hi: int) -> list:  # type: ignore[no-untyped-def]
    label = make_label(label_text, exact)
    return [h for p in stream.paras[lo:hi] if (h := match_start(label, p))]


def _labels(form: forms.FormDef) -> list[str]:
    texts = [*form.phrases, *form.headings]
    for f in form.fields:
        texts += [t for t in (f.label, f.start, f.after, f.header, *f.headings, *f.table) if t]
        texts += [t for _, t in f.items]
        for sub in f.fields:
            texts += [t for t in (sub.label, sub.after, *sub.headings) if t]
    return texts


@pytest.mark.parametrize("form_id", ["esao-1-2", "esao-3-1"])
def test_label_search_by_index_equals_a_full_scan(form_id: str) -> None:
    import random

    from formkit.locate.labels import search, search_all
    from formkit.read.parse import read_model

    form = forms.load(form_id)
    rng = random.Random(7)
    paths = sorted(ROOT.glob(f"samples/{form_id}/*.docx")) + [ROOT / "forms" / form_id / "original.docx"]
    texts = _labels(form) + ["1. ", "(2) ข้อ", "#", "๑๒", "ก"]
    checked = 0
    for path in paths:
        stream = build(read_model(path, path.name).body)
        n = len(stream.paras)
        for text in texts:
            for exact in (False, True):
                for lo, hi in ((0, n), *((a, rng.randint(a, n)) for a in rng.sample(range(n), 3))):
                    expected = _scan(text, exact, stream, lo, hi)
                    label = make_label(text, exact)
                    assert search_all(label, stream, lo, hi) == expected, (path.name, text, lo, hi)
                    assert search(label, stream, lo, hi) == (expected[0] if expected else None)
                    checked += len(expected)
    assert checked > 50  # labels were found, not only missed


def test_key_start_is_the_start_of_the_whole_key() -> None:
    import random

    from formkit.locate.kinds import key_start
    from formkit.text import match_key

    # combining marks, Hangul jamo, sara am, digits, zero-width and case-folded
    # characters on both sides of spaces: nothing may join across the cut
    alphabet = "ab e\u0301\u0323ก\u0e4d\u0e32ำ๑2 3..:\u200b\u00a0\t\u1100\u1161ßİﬁ\u212a \u0301กข "
    rng = random.Random(3)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        want = rng.randint(0, 40)
        assert key_start(text, want) == match_key(text)[:want], (text, want)


def test_boxes_after_a_long_text_keep_their_labels() -> None:
    form = forms.load("esao-1-2")
    evidence = form.field("evidence")
    long_text = tuple(P(f"ย่อหน้าที่ {n} " + "ข้อความ " * 30) for n in range(3000))
    body = tuple(P(box(n % 2 == 0), " " + text) for n, (_, text) in enumerate(evidence.items)) + long_text
    found = locate(form, convert_document(Document(body)))
    assert found.record["evidence"] == {key: n % 2 == 0 for n, (key, _) in enumerate(evidence.items)}


def test_what_a_stream_derives_is_made_once_per_key() -> None:
    stream = build((Paragraph((Text("ผลงานชิ้นที่ 1"),)), Paragraph((Text("answer"),))))
    made: list[str] = []

    def make(name: str) -> tuple[int, ...]:
        made.append(name)
        return (len(stream.paras),)

    first = stream.derived(("count", "a"), lambda: make("a"))
    assert stream.derived(("count", "a"), lambda: make("a")) is first == (2,)
    assert stream.derived(("count", "b"), lambda: make("b")) == (2,)
    assert made == ["a", "b"]
    other = build(())
    assert other.derived(("count", "a"), lambda: make("c")) == (2,)
    assert made == ["a", "b", "c"]  # another stream derives its own


def test_a_label_opens_a_text_whole_or_mostly_when_long() -> None:
    from formkit.locate.labels import opening

    assert opening("ชื่อ", "ชื่อโรงเรียน") == 4
    assert opening("ชื่อ", "ชื่") == 0  # a short label must be there whole
    long = "abcdefghij"  # 10 characters: 6 shared are enough, 5 are not
    assert opening(long, "abcdefXXXX") == 6 and opening(long, "abcdeXXXXX") == 0
    assert opening(long, "abcdefghij and more") == 10 and opening(long, "") == 0
