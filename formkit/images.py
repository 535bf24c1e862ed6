"""Pictures given to fill: what they are and how big, from their own bytes.

Only the headers are read (PNG IHDR, JPEG SOFn, GIF logical screen, BMP
info header), so a photo's size is known without an imaging library.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

from .errors import FormkitError


@dataclass(frozen=True, slots=True)
class ImageInfo:
    media_type: str
    ext: str
    width: int
    height: int


def image_info(data: bytes, name: str = "image") -> ImageInfo:
    """Media type and pixel size of ``data``; FormkitError ``bad-data`` when
    it is not a PNG, JPEG, GIF or BMP picture."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return ImageInfo("image/png", "png", width, height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return ImageInfo("image/gif", "gif", width, height)
    if data.startswith(b"BM") and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
        return ImageInfo("image/bmp", "bmp", width, abs(height))
    if data.startswith(b"\xff\xd8"):
        size = _jpeg_size(data)
        if size:
            return ImageInfo("image/jpeg", "jpeg", *size)
    raise FormkitError("bad-data", f"{name}: not a PNG, JPEG, GIF or BMP picture")


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the first SOFn marker (ITU T.81, B.2.2)."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            i += 2 if marker != 0xFF else 1
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return (width, height) if width and height else None
        i += 2 + length
    return None
