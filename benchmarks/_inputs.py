"""Benchmark inputs: small distinct PNG photos and N generated records per form.

Photos are made with zlib + struct (no imaging library), written once to the
work folder and read once into memory by every task that needs their bytes.
Records vary per row (office, level, boxes, texts, which photos) and are
written as one ``.jsonl`` file per form, photo paths relative to it, exactly
as ``formkit bulk`` reads them.
"""
from __future__ import annotations

import copy
import json
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMS = ("esao-1-2", "esao-3-1")
PHOTO_POOL = 20          # distinct pictures; each esao-3-1 record uses all of them
WORKS_PER_RECORD = 5
PHOTOS_PER_WORK = 4
GROUPS = (
    "นโยบายและแผน",
    "นิเทศ ติดตามและประเมินผลการจัดการศึกษา",
    "ส่งเสริมการจัดการศึกษา",
    "บริหารงานบุคคล",
    "อำนวยการ",
)


def png(width: int, height: int, seed: int) -> bytes:
    """A small RGB PNG whose pixels depend on ``seed`` (so every seed differs)."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            rows += bytes(((x * 3 + seed * 37) % 256, (y * 5 + seed * 11) % 256, ((x ^ y) + seed * 53) % 256))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")


def write_photos(folder: Path, count: int = PHOTO_POOL) -> dict[str, bytes]:
    """Write ``count`` distinct PNGs into ``folder``; return relative path -> bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, bytes] = {}
    for i in range(count):
        data = png(120, 90, i + 1)
        (folder / f"photo-{i + 1:02d}.png").write_bytes(data)
        out[f"{folder.name}/photo-{i + 1:02d}.png"] = data
    return out


def _base(samples: Path, form: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((samples / form / "record-1.json").read_text(encoding="utf-8"))
    return data


def record_1_2(base: dict[str, Any], row: int) -> dict[str, Any]:
    """An esao-1-2 record for ``row``: every field filled, values varying."""
    rec = copy.deepcopy(base)
    rec["office"] = f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษา แห่งที่ {row}"
    rec["level"] = row % 5 + 1
    rec["process"] = base["process"] + f"\nรอบการดำเนินงานที่ {row} ติดตามผลทุกเดือน"
    rec["problems"] = f"{base['problems']} (สำนักงานที่ {row})"
    keys = list(base["evidence"])
    rec["evidence"] = {key: bool((row >> i) & 1) or i == 0 for i, key in enumerate(keys)}
    rec["other_evidence"] = list(base["other_evidence"]) + [f"รายงานการประชุมครั้งที่ {row}"]
    return rec


def record_3_1(base: dict[str, Any], row: int, photos: list[str]) -> dict[str, Any]:
    """An esao-3-1 record for ``row``: 5 works, 4 photos each (all 20 distinct)."""
    rec = copy.deepcopy(base)
    rec["office"] = f"สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา แห่งที่ {row}"
    rec["level"] = row % 5 + 1
    template = base["works"][0]
    works = []
    for k in range(WORKS_PER_RECORD):
        work = {key: value for key, value in template.items() if key != "photos"}
        work["title"] = f"{template['title']} ผลงานที่ {k + 1} ของแห่งที่ {row}"
        work["group"] = GROUPS[k % len(GROUPS)]
        work["method"] = template["method"] + f"\n{5}. สรุปผลรอบที่ {row}"
        work["photos"] = [photos[(row + PHOTOS_PER_WORK * k + j) % len(photos)] for j in range(PHOTOS_PER_WORK)]
        works.append(work)
    rec["works"] = works
    return rec


@dataclass(slots=True)
class FormInputs:
    """One form's generated records and where they were written."""

    form: str
    records: list[dict[str, Any]]
    jsonl: Path


def make_records(samples: Path, form: str, n: int, photos: list[str]) -> list[dict[str, Any]]:
    """``n`` records of ``form`` (rows numbered from 1)."""
    base = _base(samples, form)
    if form == "esao-1-2":
        return [record_1_2(base, row) for row in range(1, n + 1)]
    if form == "esao-3-1":
        return [record_3_1(base, row, photos) for row in range(1, n + 1)]
    raise ValueError(f"no record generator for {form}")


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    """Write ``records`` as JSON Lines (UTF-8, Thai kept as is)."""
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def prepare(work: Path, samples: Path, form: str, n: int, photos: list[str]) -> FormInputs:
    """Records of ``form`` for size ``n``, written to ``work/<form>-<n>.jsonl``
    (beside the photos folder, so relative photo paths resolve)."""
    records = make_records(samples, form, n, photos)
    return FormInputs(form, records, write_jsonl(work / f"{form}-{n}.jsonl", records))
