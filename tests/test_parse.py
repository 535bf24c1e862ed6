"""formkit.read.parse: inputs that are not regular files never block a command.

A FIFO given to ``parse`` or ``inspect`` must be refused after a stat, never
opened for reading (``open`` on a FIFO waits for a writer forever). Each
command runs in a subprocess with a timeout, so a regression fails here
instead of hanging the test run.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 10
FIFO_MESSAGE = "this is a named pipe (FIFO), not a regular file"


def _formkit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m formkit ARGS`` from this checkout; TimeoutExpired when it hangs."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FORMKIT_SOFFICE": str(cwd / "no-soffice")}
    return subprocess.run([sys.executable, "-m", "formkit", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=TIMEOUT, stdin=subprocess.DEVNULL)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "f.docx"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("convert", ["--convert", "--no-convert"])
def test_parse_refuses_a_fifo(fifo: Path, convert: str) -> None:
    proc = _formkit("parse", convert, str(fifo), cwd=fifo.parent)
    assert proc.returncode == 1, proc.stderr
    result = json.loads(proc.stdout)
    assert result["error"]["code"] == "not-found"
    assert FIFO_MESSAGE in result["error"]["message"]
    assert str(fifo) in result["error"]["message"]


def test_parse_batch_goes_on_past_a_fifo(fifo: Path) -> None:
    good = ROOT / "forms" / "esao-1-2" / "original.docx"
    proc = _formkit("parse", "--jobs", "2", str(fifo), str(good), cwd=fifo.parent)
    assert proc.returncode == 1, proc.stderr
    results = {r["file"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert results[str(fifo)]["error"]["code"] == "not-found"
    assert results[str(good)]["form"] == "esao-1-2"
    assert results[str(good)]["error"] is None


def test_inspect_refuses_a_fifo(fifo: Path) -> None:
    proc = _formkit("inspect", str(fifo), cwd=fifo.parent)
    assert proc.returncode == 1, proc.stderr
    assert f"error: not-found: {FIFO_MESSAGE}" in proc.stdout


def test_legacy_sniffing_never_opens_a_fifo(fifo: Path) -> None:
    code = "import sys; from formkit.read.parse import legacy_format; print(legacy_format(sys.argv[1]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True,
                          env=env, timeout=TIMEOUT)
    assert proc.stdout.strip() == "None", proc.stderr


def test_fill_refuses_an_original_that_is_a_fifo(fifo: Path) -> None:
    record = ROOT / "samples" / "esao-1-2" / "record-1.json"
    out = fifo.parent / "out.docx"
    proc = _formkit("fill", "esao-1-2", str(record), "-o", str(out), "--original", str(fifo), cwd=fifo.parent)
    assert proc.returncode == 1
    assert FIFO_MESSAGE in proc.stderr
    assert not out.exists()


# -- large documents still read right (correctness only; speed is benchmarks/bigdocs.py) ----

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _grown(docx: bytes, tables: int, paragraphs: int) -> bytes:
    """``docx`` with its body's table repeated ``tables`` times after itself and
    ``paragraphs`` paragraphs of Thai text at the end of the body."""
    import copy
    import io
    import random
    import zipfile

    from lxml import etree

    rng = random.Random(5)
    words = ["การ", "พัฒนา", "ครู", "นักเรียน", "สถานศึกษา", "๒๕๖๗", "1.", "ร้อยละ", "โครงการ", "(ต่อ)"]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                root = etree.fromstring(data)
                body = root.find(f"{{{W}}}body")
                table = body.find(f"{{{W}}}tbl")
                for _ in range(tables):
                    table.addnext(copy.deepcopy(table))
                end = body.find(f"{{{W}}}sectPr")
                for _ in range(paragraphs):
                    p = etree.Element(f"{{{W}}}p")
                    etree.SubElement(etree.SubElement(p, f"{{{W}}}r"), f"{{{W}}}t").text = " ".join(
                        rng.choices(words, k=rng.randint(3, 30)))
                    end.addprevious(p)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data)
    return out.getvalue()


def _xml_bytes(docx: bytes) -> int:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        return zf.getinfo("word/document.xml").file_size


def test_a_sample_grown_large_reads_the_same_record() -> None:
    from formkit.read.parse import parse_file

    sample = ROOT / "samples" / "esao-1-2" / "before-dots.docx"
    expected = json.loads(sample.with_suffix(".json").read_text("utf-8"))
    big = _grown(sample.read_bytes(), tables=300, paragraphs=6000)
    assert _xml_bytes(big) > 8_000_000
    result = parse_file(big, "big.docx")
    assert result.error is None, result.error
    assert result.form == expected["form"]
    assert result.record == expected["record"]


def test_large_filled_documents_read_back() -> None:
    import io

    from formkit import forms
    from formkit.fill.filler import Filler
    from formkit.read.parse import parse_file

    line = "ครูและบุคลากร {n} คนร่วมกิจกรรม ร้อยละ {n}.5 ของเป้าหมาย"
    text = "\n".join(line.format(n=n) for n in range(40))
    work = {k: text for k in ("background", "method", "technique", "quantitative", "qualitative",
                              "success_factors", "dissemination")}
    records = {
        "esao-3-1": {"level": 3, "evidence": {"works_detail": True},
                     "works": [{**work, "title": f"ผลงานลำดับ {n}", "group": "อำนวยการ", "photos": []}
                               for n in range(120)]},
        "esao-1-2": {"level": 4, "process": "\n".join(line.format(n=n) for n in range(3000)),
                     "problems": text, "suggestions": text,
                     "evidence": {"action_plan": True, "km_plan": False, "km_report": True, "other": True},
                     "other_evidence": [line.format(n=n) for n in range(500)]},
    }
    for form_id, record in records.items():
        buf = io.BytesIO()
        canon = Filler(forms.load(form_id)).render(record, buf)
        assert _xml_bytes(buf.getvalue()) > 1_000_000
        result = parse_file(buf.getvalue(), f"{form_id}-large.docx")
        assert result.error is None, result.error
        assert result.warnings == []
        assert result.record == canon
