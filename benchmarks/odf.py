"""OpenDocument returns: fidelity and speed of the way parse reads .odt and
.fodt, against the conversion path before it (README, "Returns from other
word processors").

    python3 benchmarks/odf.py              # 16 returns, two rounds: a few minutes
    python3 benchmarks/odf.py --count 40 --rounds 3

Returns are made the way offices make them: records filled into esao-1-2
and esao-3-1, and as many copies of the esao-1-2 sample whose answers sit in
plain-text content controls, each with answers of its own, each saved by
LibreOffice as .odt and as .fodt. Then, with one LibreOffice
process per batch as ``formkit parse`` does:

* **before**: the copy converted as it is, the .docx export read as it
  comes (LibreOffice's repeated text fields read as written; a .fodt was
  refused then, so only .odt);
* **now**: text-input and drop-down fields made plain text in the copy
  (formkit.office.odf_fields), repeated fields read once
  (formkit.docx.repeats).

Each row gives the fields right against their truth (the filled
record, or the sample's checked expected record with its new answers),
those wrong with no warning on their field (the silently wrong), the fastest
round's wall seconds for the batch and ms per file. Ratios are between rows of one run; say the machine's load.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from formkit import forms  # noqa: E402
from formkit.fill.filler import Filler  # noqa: E402
from formkit.read.batch import parse_files  # noqa: E402


def _flat(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict) and "sha256" in value:
        yield path, "photo"
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _flat(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield from _flat(v, f"{path}[{n}]")
    else:
        yield path, value


def _records(count: int) -> Iterator[tuple[str, dict[str, Any]]]:
    phrases = ["ประชุมเชิงปฏิบัติการ", "จัด PLC ข้ามกลุ่มงาน", "การนิเทศแบบ Coaching ผสานกับ PLC", "ติดตามผลรายไตรมาส"]
    for n in range(count):
        if n % 3 == 2:
            yield "esao-3-1", {"level": n % 5 + 1, "evidence": {"works_detail": bool(n % 2)},
                               "works": [{"title": f"ผลงานที่ {n}", "group": "กลุ่มนิเทศ", "method": phrases[n % 4]}]}
        else:
            yield "esao-1-2", {"level": n % 5 + 1, "process": "\n".join(phrases[: n % 4 + 1]),
                               "problems": phrases[(n + 1) % 4], "suggestions": phrases[(n + 2) % 4],
                               "evidence": {"action_plan": bool(n % 2), "km_plan": True, "km_report": False,
                                            "other": bool(n % 3)},
                               "other_evidence": [f"หลักฐาน {k}" for k in range(n % 3)]}


_SAMPLE = ROOT / "samples" / "esao-1-2" / "content-controls.docx"
_PROBLEMS = "ระบบอินเทอร์เน็ตของสำนักงานไม่เสถียร"
_SUGGESTIONS = "ควรปรับปรุงโครงข่ายอินเทอร์เน็ต"


def _controls(path: Path, n: int) -> dict[str, Any]:
    """The content-control sample with answers of its own; its truth."""
    problems = f"การนิเทศแบบ Coaching ผสานกับ PLC ครั้งที่ {n}"
    suggestions = f"ควรจัดอบรม {n + 1} ครั้งต่อปี"
    with zipfile.ZipFile(_SAMPLE) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                text = data.decode("utf-8")
                assert _PROBLEMS in text and _SUGGESTIONS in text
                data = text.replace(_PROBLEMS, problems).replace(_SUGGESTIONS, suggestions).encode("utf-8")
            dst.writestr(name, data)
    truth = json.loads(_SAMPLE.with_suffix(".json").read_text("utf-8"))["record"]
    return {**truth, "problems": problems, "suggestions": suggestions}


def _soffice(files: list[Path], target: str, outdir: Path, profile: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice is missing (apt-get install libreoffice-writer-nogui)")
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=1200)


@contextmanager
def _before() -> Iterator[None]:
    """The conversion path as it was: no field made plain, no repeat read once."""
    with mock.patch("formkit.office.odf_fields.rewrite", lambda members: members), \
            mock.patch("formkit.docx.reader.read_once", lambda root: []):
        yield


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _measure(files: list[Path], truths: list[dict[str, Any]]) -> tuple[int, int, int, float]:
    """Fields right, wrong without a warning on their field, in all; seconds."""
    start = time.perf_counter()
    results = list(parse_files(files))
    seconds = time.perf_counter() - start
    right = silent = total = 0
    for result, truth in zip(results, truths):
        got = dict(_flat(result.record or {}))
        warned = {w.field.split(".")[0].split("[")[0] for w in result.warnings if w.field}
        for path, want in _flat(truth):
            total += 1
            right += got.get(path) == want
            silent += got.get(path) != want and path.split(".")[0].split("[")[0] not in warned
    return right, silent, total, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=8,
                        help="filled returns, and as many returns with content controls (default 8)")
    parser.add_argument("--rounds", type=int, default=2, help="timed rounds per path; the fastest is kept")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="formkit-odf-bench-") as tmp_name:
        tmp = Path(tmp_name)
        docs, truths = [], []
        for n, (form_id, record) in enumerate(_records(args.count)):
            target = tmp / "docx" / f"r{n:03d}-{form_id}.docx"
            target.parent.mkdir(exist_ok=True)
            truths.append(Filler(forms.load(form_id)).fill(record, target))
            docs.append(target)
        for n in range(args.count):  # answers in plain-text content controls, as many
            path = tmp / "docx" / f"cc{n:03d}.docx"
            truths.append(_controls(path, n))
            docs.append(path)
        for ext in ("odt", "fodt"):
            (tmp / ext).mkdir()
            _soffice(docs, ext, tmp / ext, tmp / "profile")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"# ODF returns: {len(docs)} files per format, load average {load:.1f}, {os.cpu_count()} CPUs\n")
        print("| path | format | fields right | wrong without a warning | batch s | ms/file |")
        print("|---|---|---|---|---|---|")
        for ext in ("odt", "fodt"):
            files = [tmp / ext / f"{d.stem}.{ext}" for d in docs]
            rows = [("now", None)] + ([("before", _before)] if ext == "odt" else [])
            best: dict[str, tuple[int, int, int, float]] = {}
            for round_ in range(args.rounds):  # interleaved, order reversed every other round
                for label, patch in rows if round_ % 2 == 0 else rows[::-1]:
                    with patch() if patch is not None else _nothing():
                        right, silent, total, seconds = _measure(files, truths)
                    if label not in best or seconds < best[label][3]:
                        best[label] = (right, silent, total, seconds)
            for label, _ in rows:
                right, silent, total, seconds = best[label]
                print(f"| {label} | .{ext} | {right}/{total} ({100 * right / total:.1f} %) | {silent} | "
                      f"{seconds:.1f} | {1000 * seconds / len(files):.0f} |")


if __name__ == "__main__":
    main()
