"""The client matrix: returns re-saved by the word processors offices use,
then parsed. Each field equals its truth, or the program demonstrably
dropped what it held (the check below says how it knows, from the re-saved
file itself) and the field carries a warning. Never a different value
without one.

Returns: the samples with their checked expected records (every box style,
content controls, legacy form fields, tracked changes, photos) and records
filled into both forms. Programs: LibreOffice (.odt, Word 2007 .docx, .rtf,
.fodt), AbiWord (``--to=docx``), pandoc (docx to docx) and Calligra Words
(its converter to .odt). By default a small subset runs (about a minute);
the whole matrix runs when CI=true or FORMKIT_CLIENT_MATRIX=1 (a few
minutes). A missing program fails in CI and skips elsewhere (conftest.py).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from formkit import forms
from formkit.docx.model import Break, Checkbox, Document, Image, Paragraph, paragraphs_of
from formkit.fill.filler import Filler
from formkit.fill.records import read_record
from formkit.office.rtf_boxes import stateless_boxes
from formkit.read.batch import parse_files
from formkit.read.parse import ParseResult, read_model
from tests.conftest import ROOT, convert, expected_samples

FULL = bool(os.environ.get("CI") or os.environ.get("FORMKIT_CLIENT_MATRIX"))
SUBSET = {"esao-1-2__content-controls", "esao-1-2__typed-marks", "esao-1-2__wps-glyphs", "filled__esao-1-2__record-1"}
_EXTRA_RECORDS = {  # more varied answers than the sample records
    "esao-1-2": [{"level": 5, "process": "ประชุมชี้แจง\nจัดอบรม Coaching ผสานกับ PLC\nติดตามผล",
                  "problems": "งบประมาณไม่เพียงพอ", "suggestions": "ควรเพิ่มงบประมาณ",
                  "evidence": {"action_plan": True, "km_plan": False, "km_report": True, "other": True},
                  "other_evidence": ["รายงานการประชุม", "ภาพถ่ายกิจกรรม"]},
                 {"level": 1, "process": "", "problems": "", "suggestions": "",
                  "evidence": {"action_plan": False, "km_plan": False, "km_report": False, "other": False}}],
}


@dataclass
class Return:
    name: str
    path: Path
    truth: dict[str, Any]


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> list[Return]:
    tmp = tmp_path_factory.mktemp("returns")
    out: list[Return] = []
    for expected in expected_samples():
        name = f"{expected.parent.name}__{expected.stem}"
        path = tmp / f"{name}.docx"
        shutil.copy(expected.with_suffix(".docx"), path)
        out.append(Return(name, path, json.loads(expected.read_text("utf-8"))["record"]))
    records: list[tuple[str, str, Any]] = []
    for path in sorted((ROOT / "samples").glob("*/record-*")):
        records.append((path.parent.name, path.stem, path))
    for form_id, extra in _EXTRA_RECORDS.items():
        records += [(form_id, f"varied-{n}", record) for n, record in enumerate(extra, 1)]
    for form_id, stem, source in records:
        form = forms.load(form_id)
        record = read_record(source, form) if isinstance(source, Path) else source
        target = tmp / f"filled__{form_id}__{stem}.docx"
        truth = Filler(form).fill(record, target)
        out.append(Return(target.stem, target, truth))
    return out if FULL else [r for r in out if r.name in SUBSET]


# ---- the programs -----------------------------------------------------------------------

def _run(cmd: list[str], **kwargs: Any) -> None:
    subprocess.run(cmd, check=True, capture_output=True, timeout=300, **kwargs)


def _libreoffice(target: str, ext: str) -> Any:
    def save(program: str, files: list[Path], outdir: Path) -> list[Path]:
        return convert(program, files, target, outdir, outdir.parent / "profile")
    save.ext = ext  # type: ignore[attr-defined]
    return save


def _abiword(program: str, files: list[Path], outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    for f in files:
        _run([program, "--to=docx", "-o", str(outdir / f"{f.stem}.docx"), str(f)])
    return [outdir / f"{f.stem}.docx" for f in files]


def _pandoc(program: str, files: list[Path], outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    for f in files:
        _run([program, "-f", "docx", "-t", "docx", "-o", str(outdir / f"{f.stem}.docx"), str(f)])
    return [outdir / f"{f.stem}.docx" for f in files]


def _calligra(program: str, files: list[Path], outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(outdir)}
    for f in files:
        _run([program, "--batch", str(f), str(outdir / f"{f.stem}.odt")], env=env, cwd=outdir)
    return [outdir / f"{f.stem}.odt" for f in files]


PROGRAMS = {
    "libreoffice-odt": ("soffice", _libreoffice("odt", "odt")),
    "libreoffice-docx": ("soffice", _libreoffice("docx:MS Word 2007 XML", "docx")),
    "libreoffice-rtf": ("soffice", _libreoffice("rtf", "rtf")),
    "libreoffice-fodt": ("soffice", _libreoffice("fodt", "fodt")),
    "abiword-docx": ("abiword", _abiword),
    "pandoc-docx": ("pandoc", _pandoc),
    "calligra-odt": ("calligraconverter", _calligra),
}


# ---- what a re-saved file still holds -------------------------------------------------------

def _all_paragraphs(doc: Document) -> list[Paragraph]:
    return [p for story in (doc.body, *(s.blocks for s in doc.headers)) for p in paragraphs_of(story)]


def _squash(text: str) -> str:
    return "".join(text.split())


def _count(doc: Document, kind: type) -> int:
    return sum(isinstance(i, kind) for p in _all_paragraphs(doc) for i in p.inlines)


def _flat(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict) and "sha256" in value:
        yield path, "photo"  # programs re-encode pictures: a photo is compared by its presence
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _flat(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        yield f"{path}#", len(value)
        for n, v in enumerate(value):
            yield from _flat(v, f"{path}[{n}]")
    else:
        yield path, value


def _dropped(path: str, want: Any, got: Any, result: ParseResult, source: Document, saved: Path) -> str:
    """How the re-saved file shows that the information of ``path`` is gone
    (empty when it does not: the miss is formkit's)."""
    doc = result.document
    assert doc is not None
    codes = {w.code for w in result.warnings if w.field and _top(w.field) == _top(path)}
    if isinstance(want, bool) or path == "level" or path.endswith(".level"):
        if _count(doc, Checkbox) < _count(source, Checkbox):
            return f"{_count(source, Checkbox) - _count(doc, Checkbox)} box(es) fewer in the re-saved file"
        if "checkbox-state-lost" in codes and saved.suffix == ".rtf" and stateless_boxes(saved, 1 << 26):
            return "the .rtf holds its check boxes without their state"
        return ""
    if want == "photo" or path.endswith("photos#"):
        return "pictures fewer in the re-saved file" if _count(doc, Image) < _count(source, Image) else ""
    if path == "office" and not doc.headers:
        return "the re-saved file has no page header"
    if isinstance(want, str):
        text = _squash("".join(p.text for p in _all_paragraphs(doc)))
        if _squash(want) not in text:
            return "the answer's text is not in the re-saved file"
        moved = any(p.inlines and isinstance(p.inlines[0], Break) and _squash(want) in _squash(p.text)
                    for p in _all_paragraphs(doc))
        if isinstance(got, str) and _squash(got) == _squash(want) and moved and "line-breaks-lost" in codes:
            return "the answer's line breaks stand in front of it in the re-saved file"
    if path.endswith("#"):
        return "items missing from the re-saved file" if got is None or got < want else ""
    return ""


def _top(path: str) -> str:
    return path.split(".")[0].split("[")[0].rstrip("#")


@pytest.mark.parametrize("client", list(PROGRAMS))
def test_returns_resaved_by_each_client_read_right_or_flagged(client: str, returns: list[Return],
                                                                request: pytest.FixtureRequest,
                                                                tmp_path: Path) -> None:
    fixture, save = PROGRAMS[client]
    program = request.getfixturevalue(fixture)
    saved = save(program, [r.path for r in returns], tmp_path / client)
    results = list(parse_files(saved))
    assert len(results) == len(returns)
    total = right = 0
    unflagged: list[str] = []
    for ret, copy, result in zip(returns, saved, results):
        assert result.error is None, (client, ret.name, result.error)
        assert result.record is not None and result.document is not None
        source = read_model(ret.path, ret.path.name)
        got = dict(_flat(result.record))
        for path, want in _flat(ret.truth):
            total += 1
            if got.get(path) == want:
                right += 1
                continue
            warned = [w for w in result.warnings if w.field and _top(w.field) == _top(path)]
            how = _dropped(path, want, got.get(path), result, source, copy)
            if not (warned and how):
                unflagged.append(f"{ret.name}: {path}: want {want!r}, got {got.get(path)!r}"
                                 + ("" if warned else " (no warning)") + ("" if how else " (still in the file)"))
    print(f"{client}: {right}/{total} fields right")  # noqa: T201 - the matrix figures, with -s
    assert not unflagged, "\n".join(unflagged)
