"""The committee report's content: one row per office, automatic proposals
kept apart from scores, Thai words and Buddhist Era dates, links to the
files, the works of esao-3-1, and a workbook whose rows are tall enough."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import urllib.parse
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import formkit
from formkit.cli import main
from formkit.score.report_model import office_key
from formkit.score.report_words import THAI_MONTHS, date_text
from formkit.score.report_xlsx import LINE_POINTS, text_lines

ROOT = Path(__file__).resolve().parent.parent
S12, S31 = ROOT / "samples" / "esao-1-2", ROOT / "samples" / "esao-3-1"
NO_OFFICE = "ไม่พบชื่อสำนักงานในไฟล์ ใช้ชื่อไฟล์แทน"


def report(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["report", *args])
    assert "Traceback" not in result.stderr, result.stderr
    return result.exit_code, result.stderr


def page(out: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / "report.html").read_bytes())


def expected(docx: Path) -> dict[str, object]:
    """The parse result a sample's expected JSON holds, naming the sample by its absolute path."""
    return {**json.loads(docx.with_suffix(".json").read_text("utf-8")), "file": str(docx)}


def with_office(result: dict[str, object], office: str | None) -> dict[str, object]:
    record = dict(result["record"])  # type: ignore[call-overload]
    record["office"] = office
    return {**result, "record": record}


# -- offices ----------------------------------------------------------------------

def test_office_names_compare_as_one_office_however_written() -> None:
    full = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1"
    assert office_key("สพป.ขอนแก่น เขต ๑") == office_key(full) == office_key(" สพป. ขอนแก่น  เขต 1 ")
    assert office_key("สพป.ขอนแก่น เขต 2") != office_key(full)
    assert office_key("สพม.เชียงใหม่") == office_key("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาเชียงใหม่")
    assert office_key("สพม.เชียงใหม่") != office_key("สพป.เชียงใหม่")


def test_one_row_per_office_with_its_forms(tmp_path: Path) -> None:
    """Two forms of one office (written two ways) are one row with both
    forms; files that name no office are a row each, named by the file,
    saying so, in the page and in the workbook."""
    results = [with_office(expected(S31 / "three-works.docx"), "สพป.ขอนแก่น เขต ๑"),
               expected(S31 / "one-work.docx"), expected(S12 / "office-copy.docx"), expected(S12 / "blank.docx")]
    source = tmp_path / "parsed.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), "utf-8")
    assert report(str(source), "-o", str(tmp_path / "out"))[0] == 0

    rows = page(tmp_path / "out").xpath('//table[@id="results"]/tbody/tr')
    offices = [r.xpath('string(th[@data-key="office"]/span[@class="name"])') for r in rows]
    assert offices == ["สพป.ขอนแก่น เขต ๑", "one-work.docx", "blank.docx"]
    assert [r.xpath('string(th//small[@class="note"])') for r in rows] == ["", NO_OFFICE, NO_OFFICE]
    assert rows[0].get("data-forms") == "esao-3-1 esao-1-2"
    both = {cell.get("data-form"): cell.xpath('string(.//span[@class="lv"])') for cell in rows[0].xpath("td[@data-form]")}
    assert both["esao-3-1"] == "ระดับ 2" and both["esao-1-2"].startswith("ข้อเสนอ ระดับ ")
    assert [len(r.xpath('.//section[@class="detail"]')) for r in rows] == [2, 1, 1]

    sheet = list(load_workbook(tmp_path / "out" / "report.xlsx").worksheets[0].iter_rows(values_only=True))
    assert sheet[0][:3] == ("สำนักงาน", "ไฟล์", "esao-1-2 ระดับที่ได้ (ตามเกณฑ์/คณะกรรมการ)")
    assert [r[0] for r in sheet[1:]] == ["สพป.ขอนแก่น เขต ๑", f"one-work.docx\n({NO_OFFICE})", f"blank.docx\n({NO_OFFICE})"]
    assert sheet[1][1] == "three-works.docx\noffice-copy.docx"
    assert sheet[1][2] is None and isinstance(sheet[1][3], int) and sheet[1][6] == 2   # esao-1-2 proposed; 3-1 scored


# -- proposals --------------------------------------------------------------------

def test_proposals_are_never_counted_as_scored_levels(tmp_path: Path) -> None:
    """esao-1-2 without judgments: every level is a proposal. The chart's
    scored bars are all zero and its proposal bars count every file; the
    summary counts no scored file; no proposal is said to differ, even
    where the proposal is not the level the office ticked."""
    run = formkit.score_results([str(S12)])
    assert {s.basis for s in run} == {"auto"} and any(s.agrees is False for s in run)   # the check could fail
    assert report(str(S12), "-o", str(tmp_path / "out"))[0] == 0
    tree = page(tmp_path / "out")

    def bars(cls: str) -> list[int]:
        return [int(t.rpartition(": ")[2]) for t in tree.xpath(f'//figure[@data-form="esao-1-2"]//*[@class="{cls}"]/title/text()')]

    assert bars("final") == [0] * 5 and sum(bars("proposed")) == len(run)
    assert sum(bars("ticked")) == sum(1 for s in run if s.self_assessed is not None)
    summary = tree.xpath('string(//p[@class="summary"][@data-form=""])')
    assert "ประเมินตามเกณฑ์ 0" in summary and f"ข้อเสนออัตโนมัติ (ไม่นับเป็นผลการประเมิน) {len(run)}" in summary
    assert "ระดับที่ได้ต่างจากที่ประเมินตนเอง 0" in summary
    assert not tree.xpath('//*[contains(@class, "differs")]') and not tree.xpath('//tr[@data-differs!=""]')
    entries = tree.xpath('//div[contains(@class, "entry")]')
    assert len(entries) == len(run) and all(e.get("class") == "entry proposal" for e in entries)
    assert set(tree.xpath('//td[@data-form="esao-1-2"]/@data-sort')) == {""}   # a sort by level leaves them out

    book = load_workbook(tmp_path / "out" / "report.xlsx")
    levels = list(book.worksheets[3].iter_rows(min_row=2, values_only=True))
    assert sum(r[1] for r in levels) == 0 and sum(r[2] for r in levels) == len(run)
    files = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [r[4] for r in files] == [None] * len(run) and [r[5] for r in files] == [s.level for s in run]
    assert {r[7] for r in files} == {"รอคณะกรรมการพิจารณา"}


# -- words and dates --------------------------------------------------------------

def test_thai_dates_are_buddhist_era_with_thai_month_names() -> None:
    assert date_text(dt.datetime(2026, 12, 7, 8, 5), "th") == "7 ธันวาคม พ.ศ. 2569 เวลา 08:05 น."
    assert date_text(dt.datetime(2024, 1, 31, 23, 59), "th") == "31 มกราคม พ.ศ. 2567 เวลา 23:59 น."
    assert date_text(dt.datetime(2024, 1, 31, 23, 59), "en") == "31 January 2024, 23:59"


def test_the_report_is_thai_first_and_english_on_request(tmp_path: Path) -> None:
    before = dt.datetime.now()
    assert report(str(S31 / "three-works.docx"), "-o", str(tmp_path / "th"))[0] == 0
    assert report(str(S31 / "three-works.docx"), "-o", str(tmp_path / "en"), "--lang", "en")[0] == 0
    after = dt.datetime.now()
    th, en = page(tmp_path / "th"), page(tmp_path / "en")
    assert th.get("lang") == "th" and th.xpath("string(//h1)") == "รายงานผลการประเมินสำหรับคณะกรรมการ"
    made = th.xpath('string(//p[@class="meta"])')
    assert any(f"{THAI_MONTHS[d.month - 1]} พ.ศ. {d.year + 543}" in made for d in (before, after)), made
    reasons = th.xpath('//ul[@class="reasons"]/li/text()')
    assert reasons[0].startswith("นับได้ 2 จาก 3 ผลงาน จาก 2 กลุ่มที่ไม่ซ้ำกัน: ระดับ 2")
    assert en.get("lang") == "en" and en.xpath("string(//h1)") == "Committee report"
    assert str(before.year) in en.xpath('string(//p[@class="meta"])')
    assert en.xpath('//ul[@class="reasons"]/li/text()')[0].startswith("2 of 3 work(s) count")
    heads = {lang: next(load_workbook(tmp_path / lang / "report.xlsx").worksheets[1].iter_rows(values_only=True))
             for lang in ("th", "en")}
    assert heads["th"][:3] == ("ไฟล์", "สำนักงาน", "แบบ") and heads["en"][:3] == ("File", "Office", "Form")


# -- links ------------------------------------------------------------------------

def test_each_file_links_relative_to_the_report_and_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Names with spaces, #, ?, %, & and < and a name that looks like a
    scheme: each link is relative (works from file://, names no host and no
    scheme) and leads back to the very file."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "ส่ง ปี 2567"
    folder.mkdir()
    odd = folder / "เขต #1 ?&%<ร่าง>.docx"
    scheme = tmp_path / "out" / "javascript:alert(1).docx"
    scheme.parent.mkdir()
    for target in (odd, scheme):
        shutil.copy(S31 / "three-works.docx", target)
    code, _ = report("ส่ง ปี 2567", str(scheme), "-o", "out")
    assert code == 0
    tree = page(tmp_path / "out")
    links = tree.xpath('//div[contains(@class, "entry")]/a/@href')
    assert links == [f"../{urllib.parse.quote(folder.name)}/{urllib.parse.quote(odd.name)}", "javascript%3Aalert%281%29.docx"]
    assert "%20%231%20%3F%26%25%3C" in links[0]
    base = (tmp_path / "out" / "report.html").as_uri()
    opened = [Path(urllib.parse.unquote(urllib.parse.urlsplit(urllib.parse.urljoin(base, h)).path)) for h in links]
    assert opened == [odd, scheme] and all(urllib.parse.urlsplit(urllib.parse.urljoin(base, h)).scheme == "file"
                                           for h in links)
    assert '<ร่าง>' not in (tmp_path / "out" / "report.html").read_text("utf-8")


# -- works --------------------------------------------------------------------------

def _counts(work: dict[str, object]) -> bool:
    """esao-3-1's rubric (forms/esao-3-1/form.yaml): title, group and method filled, at least 4 photos."""
    return all(str(work.get(k) or "").strip() for k in ("title", "group", "method")) and len(work["photos"]) >= 4  # type: ignore[arg-type]


@pytest.mark.parametrize("sample", ["three-works", "five-works-vml", "partly-filled"])
def test_works_are_listed_with_counted_why_and_photos(tmp_path: Path, sample: str) -> None:
    works = expected(S31 / f"{sample}.docx")["record"]["works"]  # type: ignore[index]
    assert report(str(S31 / f"{sample}.docx"), "-o", str(tmp_path / "out"))[0] == 0
    rows = page(tmp_path / "out").xpath('//table[@class="works"]/tbody/tr')
    shown = [(r.xpath("string(td[2])"), r.xpath("string(td[3])"), r.xpath("string(td[4])").startswith("นับ"),
              r.xpath("string(td[5])")) for r in rows]
    assert shown == [(w["title"], w["group"], _counts(w), str(len(w["photos"]))) for w in works]
    for row, work in zip(rows, works):
        if len(work["photos"]) < 4:
            assert f"มีตัวอย่างภาพกิจกรรม {len(work['photos'])} รายการ ต้องมีอย่างน้อย 4" in row.xpath("string(td[4]/small)")
    sheet = list(load_workbook(tmp_path / "out" / "report.xlsx").worksheets[2].iter_rows(min_row=2, values_only=True))
    assert [(r[4], r[5], r[6] == "นับ", r[8]) for r in sheet] == [
        (w["title"], w["group"], _counts(w), len(w["photos"])) for w in works]


# -- workbook -----------------------------------------------------------------------

def test_text_lines_count_spacing_characters_only() -> None:
    assert text_lines("ก" * 8, 10) == 1 and text_lines("ก" * 9, 10) == 2
    assert text_lines("กิ่" * 8, 10) == 1            # the vowel and tone marks above take no width
    assert text_lines("ก\nข\nค", 10) == 3 and text_lines("", 10) == 1


def test_workbook_rows_wrap_and_are_tall_enough(tmp_path: Path) -> None:
    """Each reason on a line of its own, every cell wrapping, every row's
    height stored and at least its line count (Calc draws a taller cell's
    lines over the next row otherwise)."""
    assert report(str(S12), str(S31), "-o", str(tmp_path / "out"))[0] == 0
    book = load_workbook(tmp_path / "out" / "report.xlsx")
    run = formkit.score_results([str(S12), str(S31)])
    files = book.worksheets[1]
    for number, score in enumerate(run, 2):
        reasons = files.cell(number, 11)
        assert reasons.value.count("\n") == sum(1 for r in score.reasons if not re.match(r"(missing evidence|parse warning|not scored): ", r)) - 1
        height = files.row_dimensions[number].height
        assert height >= (reasons.value.count("\n") + 1) * LINE_POINTS and files.row_dimensions[number].customHeight
    for sheet in book.worksheets:
        cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
        assert cells and all(c.alignment.wrap_text for c in cells), sheet.title
        assert all(sheet.row_dimensions[n].height for n in range(1, sheet.max_row + 1)), sheet.title
