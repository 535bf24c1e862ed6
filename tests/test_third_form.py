"""A third form nobody tuned formkit on: esao-1-3, saved in Word's own XML
style (samples/tools/build_third.py), with a hand-written definition outside
the shipped forms folder (samples/learn/esao-1-3/form.yaml).

The builder is deterministic; fill and parse through the CLI give every
record back in its canonical form: inline boxes, box-then-digit level cells in
ascending order, two label/blank pairs on one tabbed line, underscore blanks,
style-bold headings, Word's split runs, proofErr marks and bookmarks.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from formkit import forms
from formkit.cli import main
from formkit.fill.filler import Filler
from formkit.fill.records import read_record
from tests.conftest import ROOT

FOLDER = ROOT / "samples" / "learn" / "esao-1-3"
ORIGINAL = FOLDER / "original.docx"
RECORDS = sorted((FOLDER / "records").iterdir())
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FORM = forms.load(str(FOLDER))


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout if result.exit_code == 0 else result.output


def test_builder_reproduces_the_original_byte_for_byte(tmp_path: Path) -> None:
    builder = ROOT / "samples" / "tools" / "build_third.py"
    subprocess.run([sys.executable, str(builder), "--out", str(tmp_path)], check=True, capture_output=True)
    built = (tmp_path / "esao-1-3" / "original.docx").read_bytes()
    assert built == ORIGINAL.read_bytes()
    recorded = (FOLDER / "original.sha256").read_text("ascii").split()
    assert recorded == [hashlib.sha256(built).hexdigest(), "original.docx"]


def test_the_original_is_in_words_xml_style() -> None:
    with zipfile.ZipFile(ORIGINAL) as zf:
        doc = etree.fromstring(zf.read("word/document.xml"))
        settings = etree.fromstring(zf.read("word/settings.xml"))
        styles = etree.fromstring(zf.read("word/styles.xml"))
        names = zf.namelist()
    assert {"word/fontTable.xml", "word/webSettings.xml", "docProps/app.xml", "docProps/core.xml"} <= set(names)
    assert len(settings.findall(f"{W}rsids/{W}rsid")) >= 4
    assert doc.findall(f".//{W}proofErr") and doc.find(f".//{W}bookmarkStart[@{W}name='_GoBack']") is not None
    assert doc.findall(f".//{W}r[@{W}rsidRPr]") and doc.findall(f".//{W}lang[@{W}bidi='th-TH']")
    runs = doc.findall(f".//{W}r")
    assert all(r.find(f"{W}rPr/{W}rFonts").get(f"{W}cs") and r.find(f"{W}rPr/{W}szCs") is not None for r in runs)
    headings = [p for p in doc.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle[@{W}val='Heading1']") is not None]
    assert len(headings) >= 8 and not any(p.find(f"{W}r/{W}rPr/{W}b") is not None for p in headings)
    assert styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}szCs").get(f"{W}val") == "32"
    boxes = [p for p in doc.iter(f"{W}p") if len(p.findall(f".//{W}sym")) == 4]
    assert len(boxes) == 1  # the four system boxes share one paragraph
    assert any(p.find(f".//{W}tab") is not None and "ตำแหน่ง" in "".join(p.itertext()) for p in doc.iter(f"{W}p"))


def test_the_blank_original_reads_as_an_empty_record() -> None:
    code, out = run("parse", "--form", str(FOLDER), str(ORIGINAL))
    assert code == 0, out
    result = json.loads(out)
    assert result["warnings"] == []
    assert result["record"] == Filler(FORM).canonical({})
    assert result["record"]["fiscal_year"] == "2566" and result["record"]["innovations"] == []


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_fill_then_parse_gives_the_record_back(path: Path, tmp_path: Path) -> None:
    out = tmp_path / f"{path.stem}.docx"
    code, message = run("fill", str(FOLDER), str(path), "-o", str(out))
    assert code == 0, message
    given = read_record(path, FORM)
    want = Filler(FORM).canonical(given)
    # recognized from its own text when the forms folder is samples/learn
    code, message = run("parse", str(out), env={"FORMKIT_FORMS": str(FOLDER.parent)})
    assert code == 0, message
    got = json.loads(message)
    assert got["form"] == "esao-1-3" and got["warnings"] == [] and got["error"] is None
    assert got["record"] == want
    for name, value in given.items():  # what the record said comes back as said
        if name == "innovations":
            for mine, back in zip(value, got["record"][name]):
                assert {k: v for k, v in back.items() if k != "photos"} == {k: v for k, v in mine.items() if k != "photos"}
                digests = [hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in mine["photos"]]
                assert [p["sha256"] for p in back["photos"]] == digests
        elif name == "systems":
            assert got["record"][name] == {k: bool(value.get(k)) for k, _ in FORM.field("systems").items}
        else:
            assert got["record"][name] == value, name


def test_the_records_cover_the_shapes() -> None:
    records = [read_record(p, FORM) for p in RECORDS]
    blocks = {len(r.get("innovations", [])) for r in records}
    photos = {len(w["photos"]) for r in records for w in r.get("innovations", [])}
    assert {0, 2, 3} <= blocks and {0, 1, 2, 3} <= photos
    assert any(sum(r.get("systems", {}).values()) >= 3 for r in records)
    text = json.dumps(records, ensure_ascii=False)
    assert all(ch in text for ch in "&<>") and '\\"' in text and "\\n" in text
