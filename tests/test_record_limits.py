"""The record limits keep fill's documents within what parse accepts.

parse refuses a package part over 1 MiB that is compressed more than 200:1,
as a zip bomb is (formkit.docx.package.Limits); a long repetitive answer once made
fill write exactly that. The limits on a record (characters in one answer
and in all, lines, works, photos) are what prevent it: here the largest and
most compressible records they allow ("&" is five bytes once escaped, and
compresses best; a new line is a new paragraph) are filled and parsed back.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from formkit import forms
from formkit.learn.roundtrip import png
from formkit.fill.filler import Filler
from formkit.read.parse import parse_file
from formkit.fill.records import MAX_ITEMS, MAX_LINES, MAX_PHOTOS, MAX_RECORD_TEXT, MAX_TEXT, BadData, validate

SECTIONS = ["background", "method", "technique", "quantitative", "qualitative", "success_factors", "dissemination"]


def _most_works(photos: bool) -> dict[str, Any]:
    """Every work, every section, every line and character the limits allow."""
    count = MAX_ITEMS * len(SECTIONS)
    newlines = MAX_LINES - count  # each section is one line before its new lines
    chars = (MAX_RECORD_TEXT - newlines - 2 * MAX_ITEMS - 100) // count
    works = []
    for w in range(MAX_ITEMS):
        work: dict[str, Any] = {"title": "&", "group": "&"}
        for i, name in enumerate(SECTIONS):
            k = w * len(SECTIONS) + i
            breaks = newlines // count + (k < newlines % count)
            work[name] = "&" * (chars - 2 * breaks) + "\n&" * breaks  # every line printed
        if photos:
            work["photos"] = ["p.png"] * MAX_PHOTOS
        works.append(work)
    return {"office": "&" * 100, "works": works}


RECORDS = {
    "esao-3-1 most works, text and lines": ("esao-3-1", _most_works(photos=False)),
    "esao-3-1 and photos": ("esao-3-1", _most_works(photos=True)),
    "esao-3-1 longest answers": ("esao-3-1", {"works": [{"background": "&" * MAX_TEXT}] * (MAX_RECORD_TEXT // MAX_TEXT)}),
    "esao-1-2 longest answers": ("esao-1-2", {"process": "&" * MAX_TEXT, "problems": "&" * MAX_TEXT,
                                              "suggestions": "&" * MAX_TEXT, "office": "&" * MAX_TEXT,
                                              "other_evidence": ["&" * 20] * (MAX_LINES - 3)}),
    "esao-1-2 most lines": ("esao-1-2", {"process": "\n".join("&" * 5 for _ in range(MAX_LINES))}),
}


@pytest.mark.parametrize("case", sorted(RECORDS))
def test_parse_accepts_what_fill_writes_for_the_largest_records(tmp_path: Path, case: str) -> None:
    form_id, record = RECORDS[case]
    (tmp_path / "p.png").write_bytes(png(1, 1, 1))
    form = forms.load(form_id)
    clean = validate(form, record, tmp_path)  # within every limit
    filler = Filler(form)
    buf = io.BytesIO()
    canonical = filler.render(clean, buf)
    with zipfile.ZipFile(buf) as zf:
        part = zf.getinfo("word/document.xml")
    assert part.file_size <= 2**20 or part.file_size <= 200 * part.compress_size, (
        part.file_size, part.compress_size)
    result = parse_file(buf.getvalue(), f"{case}.docx")
    assert result.error is None, result.error
    assert result.record == canonical


@pytest.mark.parametrize(("record", "problem"), [
    ({"process": "ก" * 6000, "problems": "ข" * 6000, "suggestions": "ค" * 6000, "office": "ง" * 5000,
      "other_evidence": ["จ" * 9000] * 5},
     f"the record has 68,000 characters of text, over the limit of {MAX_RECORD_TEXT:,} for one document"),
    ({"process": "\n".join(["ก"] * 600), "other_evidence": ["ข"] * 401},
     f"the record has 1,001 lines of multi-line answers, over the limit of {MAX_LINES:,} for one document"),
    ({"other_evidence": ["ข"] * (MAX_LINES + 1)}, f"other_evidence: 1,001 lines, over the limit of {MAX_LINES:,}"),
])
def test_one_past_a_record_limit_is_refused(record: dict[str, Any], problem: str) -> None:
    with pytest.raises(BadData) as info:
        validate(forms.load("esao-1-2"), record)
    assert problem in info.value.problems


def test_without_the_limits_fill_would_write_what_parse_refuses() -> None:
    """Why the limits exist: a record far past them, rendered without
    validation, gives a part parse takes for a zip bomb."""
    buf = io.BytesIO()
    Filler(forms.load("esao-1-2")).render({"process": "&" * (30 * MAX_TEXT)}, buf)
    result = parse_file(buf.getvalue(), "long.docx")
    assert result.error is not None and result.error.code == "too-large" and "200:1" in result.error.message
