"""``formkit check --roundtrip N``: generated records filled into a form and
parsed back, the test of a (learned) definition in both directions.

Records are made from the definition alone, field kind by field kind, with
Thai text that holds what breaks naive code (& < > " ฯ ๆ, Thai digits,
several lines), some empty fields, 0-3 repeated blocks and 0-4 photos (small
PNGs written to a temporary folder). Each is filled with the same code as
``formkit fill`` and parsed with the same code as ``formkit parse``; a record
that does not come back as its canonical form is reported field by field.
"""
from __future__ import annotations

import io
import random
import struct
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formkit.forms import FieldDef, FormDef

_WORDS = (
    "โครงการ", "พัฒนา", "ครู", "ผู้บริหาร", "โรงเรียน", "นิเทศ", "ติดตาม", "ร้อยละ ๘๐", "ครั้งที่ 2",
    "R&D", "<ออนไลน์>", 'ระบบ "DMS"', "ฯลฯ", "ต่าง ๆ", "PLC", "ประจำปี ๒๕๖๖", "กลุ่มนโยบายและแผน",
)


@dataclass(frozen=True, slots=True)
class Mismatch:
    number: int
    field: str
    expected: Any
    got: Any


def example(fields: tuple[FieldDef, ...], rng: random.Random, photos: list[str]) -> dict[str, Any]:
    """A record for ``fields`` (photos: paths of images to use)."""
    out: dict[str, Any] = {}
    for f in fields:
        value = _value(f, rng, photos)
        if value is not None or not f.optional:
            out[f.name] = value
    return out


def _line(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 5)))


def _value(f: FieldDef, rng: random.Random, photos: list[str]) -> Any:
    kind = f.kind
    if kind == "level":
        return rng.choice([None, 1, 2, 3, 4, 5])
    if kind == "section":
        return "\n".join(_line(rng) for _ in range(rng.randint(0, 3)))
    if kind == "value":
        return rng.choice(["", _line(rng)])
    if kind == "lines":
        return [_line(rng) for _ in range(rng.randint(0, 4))]
    if kind == "boxes":
        return {key: rng.random() < 0.5 for key, _ in f.items}
    if kind == "year":
        return rng.choice([None, "2566", "๒๕๖๗"])
    if kind == "header":
        return rng.choice([None, "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต 1"])
    if kind == "images":
        return rng.sample(photos, rng.randint(0, min(4, len(photos))))
    if kind == "repeat":
        return [example(f.fields, rng, photos) for _ in range(rng.randint(0, 3))]
    if kind == "control":
        from formkit.learn.controls import example as control_example

        return control_example(f, rng, _line, photos)
    if kind == "grid":
        return [{c.name: rng.choice(["", _line(rng)]) for c in f.fields} for _ in range(rng.randint(0, 6))]
    if kind == "signature":
        return example(f.fields, rng, photos)
    if kind == "date":
        return _date(f, rng)
    return None


_MONTHS = ("มกราคม", "กุมภาพันธ์", "ม.ค.", "December", "5", "๑๒")


def _date(f: FieldDef, rng: random.Random) -> str | None:
    """A date in the pieces the form prints: day, month, year (Thai or Arabic digits)."""
    if rng.random() < 0.2:
        return None
    day = str(rng.randint(1, 28))
    year = rng.choice(["2567", "๒๕๖๘", "2024"])
    parts = [day, rng.choice(_MONTHS), year][-(len(f.between) + 1):]
    sep = "/" if any(b.strip() == "/" for b in f.between) else " "
    return sep.join(parts)


def png(colour: int, width: int = 40, height: int = 30) -> bytes:
    """A small solid-colour PNG."""
    raw = b"".join(b"\x00" + bytes([colour % 256, 255 - colour % 256, 90]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def roundtrip(form: FormDef, count: int, original: Path | None = None, seed: int = 0) -> list[Mismatch]:
    """Fill ``count`` generated records and parse them back; the differences."""
    from formkit.fill.filler import Filler
    from formkit.fill.verify import differences
    from formkit.read.parse import parse_file

    rng = random.Random(seed)
    filler = Filler(form, original)
    out: list[Mismatch] = []
    with tempfile.TemporaryDirectory(prefix="formkit-check-") as tmp:
        photos = []
        for n in range(4):
            path = Path(tmp) / f"photo-{n + 1}.png"
            path.write_bytes(png(40 * n + 20))
            photos.append(str(path))
        for number in range(1, count + 1):
            record = example(form.fields, rng, photos)
            buf = io.BytesIO()
            canon = filler.render(record, buf)
            result = parse_file(buf.getvalue(), f"record-{number}.docx", str(form.folder))
            if result.error is not None:
                out.append(Mismatch(number, "(document)", "a readable document", str(result.error)))
                continue
            out += [Mismatch(number, d.path, d.expected, d.got) for d in differences(canon, result.record or {})]
    return out
