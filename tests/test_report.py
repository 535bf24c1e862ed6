"""The committee report: the workbook, the HTML page's content, and the page
in a real browser (headless Chromium from a file:// URL: every row shown,
sorting by a header, filtering, a screenshot)."""
from __future__ import annotations

import html
import json
import re
import subprocess
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
